// Every message between the coordinator and a shard, in one file. The data plane (windows, batches,
// the barrier) never uses these: it is shared memory, see sync.ts. These cross comlink, once per run.
import type { PeerRules } from './peer-maintenance.js';
import type { ModelOutcome } from './model.js';

export type InjectedFaultKind = 'throw' | 'exit' | 'hang' | 'oom';

/** Test-only: shard `shard` misbehaves at the start of window `window` (not the network faults of a scenario). */
export interface InjectedFault {
  readonly kind: InjectedFaultKind;
  readonly shard: number;
  readonly window: number;
}

/** Everything a shard needs; the typed arrays are views on SharedArrayBuffers, so nothing is copied. */
export interface ShardInit {
  readonly index: number;
  readonly shards: number;
  /** The scenario's seed: the node streams' key. */
  readonly seed: number;
  /** No event at or after this time is handled. */
  readonly endMs: number;
  readonly offsets: Int32Array;
  readonly targets: Int32Array;
  /** Direction of each link, aligned with targets, where the topology has one. */
  readonly outbound: Uint8Array | null;
  readonly shardOf: Int32Array;
  readonly localOf: Int32Array;
  /** Contiguous assignment: shard s holds ids [shardStarts[s], shardStarts[s + 1]); else null. */
  readonly shardStarts: Int32Array | null;
  /** Strided assignment: node v is on shard v mod shards. */
  readonly strided: boolean;
  readonly members: Int32Array;
  readonly lookaheadMs: number;
  /** Width of the event queue's time buckets: the smallest delay between any two nodes. */
  readonly bucketMs: number;
  readonly control: SharedArrayBuffer;
  readonly clock: SharedArrayBuffer;
  /** Indexed by sync.ts's outboxAt(shards, parity, from, to); null on the diagonal. */
  readonly outboxes: readonly (SharedArrayBuffer | null)[];
  readonly outboxCapacity: number;
  /** Room kept free in an outbox for one event's sends: a window is cut short when less is left. */
  readonly outboxReserve: number;
  /** Spin at the barrier (shards <= cores) rather than sleep at once. */
  readonly spin: boolean;
  /** Most trace spans to keep (0: no trace). */
  readonly traceSpans: number;
  readonly injected: InjectedFault | null;
  /** Peer maintenance under faults; null without faults or when the scenario turns it off. */
  readonly peerRules: PeerRules | null;
}

export interface ShardStats {
  readonly index: number;
  readonly nodes: number;
  readonly events: number;
  readonly windows: number;
  readonly cutWindows: number;
  readonly busyMs: number;
  readonly waitMs: number;
  readonly sent: number;
  readonly crossSent: number;
  readonly crossReceived: number;
  readonly largestBatch: number;
  readonly peakQueued: number;
  /** Windows by the events handled in them: [0] none, [b] from 2^(b−1) to 2^b − 1 events. */
  readonly windowEvents: readonly number[];
  /** Messages and timers dropped: at a node offline on arrival, across a partition, by loss. */
  readonly lostOffline: number;
  readonly lostPartition: number;
  readonly lostLoss: number;
  /** Triples (wall start ms, busy ms, wait ms) per span, coalesced to at most traceSpans spans. */
  readonly trace: Float64Array | null;
  /** With peer maintenance: every connection change, (time, node, ±1). */
  readonly linkChanges: { times: Float64Array; nodes: Int32Array; deltas: Int8Array } | null;
}

/** What a shard hands back after its run: the model's outcome and each tap's, in registration order. */
export interface ShardOutcome {
  readonly model: ModelOutcome;
  readonly taps: readonly ModelOutcome[];
}

/** The comlink API a shard exposes to the coordinator. */
export interface ShardApi {
  run(): ShardStats;
  collect(): ShardOutcome;
  close(): void;
}
