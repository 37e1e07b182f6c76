// A one-shard ShardInit over a hand-made graph, for tests that build a Shard in their own thread (no
// worker, scenario or registry): every node local, no outboxes, no lookahead.
import type { ShardInit } from '../src/engine/messages.js';
import { clockBytes, controlBytes } from '../src/engine/sync.js';

/** `offsets`/`targets`: the graph as CSR; `outbound`: per entry of targets, whether its node opened the link. */
export function oneShardInit(offsets: Int32Array, targets: Int32Array, outbound: Uint8Array | null, endMs: number, seed = 1): ShardInit {
  const n = offsets.length - 1;
  const ids = Int32Array.from({ length: n }, (_, v) => v);
  return {
    index: 0, shards: 1, seed, endMs, offsets, targets, outbound,
    shardOf: new Int32Array(n), localOf: ids, shardStarts: Int32Array.from([0, n]), strided: false, members: ids,
    lookaheadMs: Infinity, bucketMs: 10, control: new SharedArrayBuffer(controlBytes(1)), clock: new SharedArrayBuffer(clockBytes(1)),
    outboxes: [null, null], outboxCapacity: 0, outboxReserve: 0, spin: false, traceSpans: 0, injected: null, peerRules: null,
  };
}

/** A hub (node 0) and `leaves` nodes 1…leaves, each of which opened its link to the hub: all inbound at the hub. */
export function hubInit(leaves: number, endMs: number, seed: number): ShardInit {
  const n = leaves + 1;
  const offsets = Int32Array.from({ length: n + 1 }, (_, v) => (v === 0 ? 0 : leaves + v - 1));
  const targets = Int32Array.from({ length: 2 * leaves }, (_, i) => (i < leaves ? i + 1 : 0));
  const outbound = Uint8Array.from({ length: 2 * leaves }, (_, i) => (i < leaves ? 0 : 1));
  return oneShardInit(offsets, targets, outbound, endMs, seed);
}
