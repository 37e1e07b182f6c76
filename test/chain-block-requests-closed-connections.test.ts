// A block is asked only of a peer (protocol.ts, ask and onDisconnect): a connection that closed carries
// nothing, so the announcements that came over it go with it, and a request in flight over it moves on
// at once, as Bitcoin Core re-requests a disconnected peer's blocks. Before, the request waited for its
// timeout and then asked the same node again, over no connection, and got the block.
//
// A hub and k leaves that each opened their connection to it. Leaf 1 mines a block every 30 s and goes
// offline 20 ms later, before the hub's getdata reaches it; it is back 10 s later and, after a second,
// opens a new connection to a random online node. The hub's request had only leaf 1 to ask. On the old
// code its timeout (10 s) fell just after leaf 1 came back and before it reconnected: 20 getdatas went
// to a node that was no longer a peer, and it sent the block back.
import { describe, expect, it } from 'vitest';
import { runLeafChurn, SendsToNonPeers } from './leaf-churn.js';

const K = 6;
const N = K + 1;
const BLOCKS = 20;
const GAP_MS = 30_000;
const durationMs = BLOCKS * GAP_MS + 120_000;
const mined = Array.from({ length: BLOCKS }, (_, i) => 1000 + i * GAP_MS);
const down = mined.map((t) => t + 20);
const outages = { down, up: down.map((t) => t + 10_000) };

describe('block requests over connections that close', () => {
  it('asks no node that is no longer a peer, and every node still gets every block', () => {
    const raw = {
      seed: 5,
      topology: { kind: 'bitcoin', outbound: 1 },
      latency: { kind: 'constant', ms: 50 },
      chain: { blockIntervalS: 1e9, blockSizeBytes: 0, mined: mined.map((atMs) => ({ atMs, miner: 0 })), miners: { shares: [1], nodes: [1] } },
      relay: { kind: 'inv-getdata', timeoutMs: 10_000 },
      durationMs,
    };
    const sends = new SendsToNonPeers();
    const { plan, model } = runLeafChurn(raw, K, outages, sends);
    expect(plan.chain.blockCreatedMs.length).toBe(BLOCKS + 1);
    expect(sends.count).toBeGreaterThan(0);
    expect(sends.toNonPeers).toBe(0);
    // Each block reached every node: the hub and the leaves through leaf 1's new connections.
    const recvMs = model.outcome().perNode.recvMs as Float32Array;
    expect(recvMs.length).toBe(BLOCKS * N);
    expect(recvMs.every((ms) => Number.isFinite(ms))).toBe(true);
  });
});
