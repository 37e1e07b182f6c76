// A connection that closed announces nothing (tx-relay.ts, onDisconnect): what a node had queued for
// it goes with it, as a socket's send queue does. Before, the queue and its timer outlived the
// connection, and the next tick sent the transactions to a node that was no longer a peer.
//
// A hub and k leaves that each opened their connection to it; the hub creates a transaction every
// 20 s. Leaf 1 goes offline 100 ms after each transaction and is back 10 s later: peer maintenance
// closes its connection (its peer hears of it 50 ms later) and, once it is back, opens a new one to a
// random online node, the hub or another leaf. That peer had queued the transaction for leaf 1 and
// armed a timer (mean 2 or 5 s), which almost always fires after the close. On the old code 22 of the
// run's invs went to a node that was no longer a peer.
import { describe, expect, it } from 'vitest';
import { TXINV } from '../src/models/chain/tx-relay.js';
import { runLeafChurn, SendsToNonPeers } from './leaf-churn.js';

const K = 6;
const COUNT = 100;
const GAP_MS = 20_000;
const LATENCY_MS = 50;
const durationMs = COUNT * GAP_MS + 60_000;
const created = Array.from({ length: COUNT }, (_, i) => 1000 + i * GAP_MS);
const down = created.map((t) => t + 100);
const outages = { down, up: down.map((t) => t + 10_000) };

describe('transaction relay over connections that close', () => {
  it('sends no inv to a node that is no longer a peer, and still announces to the leaves that stay', () => {
    const raw = {
      seed: 3,
      topology: { kind: 'bitcoin', outbound: 1 },
      latency: { kind: 'constant', ms: LATENCY_MS },
      chain: { blocks: 1, blockSizeBytes: 0, miners: { shares: [1] } },
      relay: { kind: 'inv-getdata' },
      transactions: { sent: created.map((atMs) => ({ atMs, origin: 0 })), sizeBytes: 0 },
      durationMs,
    };
    const invs = new SendsToNonPeers(TXINV);
    const { model } = runLeafChurn(raw, K, outages, invs);
    expect(invs.count).toBeGreaterThan(0);
    expect(invs.toNonPeers).toBe(0);
    // Every transaction still reached the hub and the k - 1 leaves that never leave.
    const reached = model.outcome().totals as { txReached: number[] };
    expect(reached.txReached.every((r) => r >= K)).toBe(true);
  });
});
