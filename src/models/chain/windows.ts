// The chain model's estimates for the default worker count (src/default-workers.ts): its work, and how
// many events fall between two barriers.
import { hopsAcross, meanDegree, meanLatencyMs } from '../memory.js';
import type { ChainPlan } from './plan.js';
import type { ChainScenario } from './schema.js';

/** A block costs a node about three of a broadcast's messages: inv, getdata and the block. */
const BLOCK_WORK = 3;

/** Work in (node, message) pairs: the blocks, and a transaction costs a node about one such pair. */
export function chainWork(s: ChainScenario): number {
  const blocks = s.chain.blocks ?? Math.max(1, s.durationMs / (s.chain.blockIntervalS * 1000));
  const tx = s.transactions;
  const txs = tx ? Math.min(tx.count ?? Infinity, ((tx.ratePerSecond ?? 0) * s.durationMs) / 1000) + (tx.sent?.length ?? 0) : 0;
  return s.nodes * (BLOCK_WORK * blocks + txs);
}

/**
 * Events per window of `lookaheadMs`. A block costs each node an inv per peer, a getdata, the block
 * and its validation; transactions cost each connection about three events per tick of its inv timer
 * (the tick, the inv, a share of getdata and transfer: 18 a node a second on a degree-16 network at
 * 7 transactions a second). Events happen while a block spreads (hops × three latencies) — all the time
 * with transactions or faults (timers, catch-up, retries) — and the engine skips windows with none.
 */
export function chainEventsPerWindow(p: ChainPlan, lookaheadMs: number): number {
  const c = p.chain;
  const n = p.nodes;
  const degree = meanDegree(p);
  const hops = hopsAcross(p);
  const spreadMs = hops * (3 * (meanLatencyMs(p) + p.relay.messageDelayMs) + c.verifyMs);
  const created = c.blockCreatedMs.slice(1);
  let events = created.length * n * (degree + 3);
  const tx = p.transactions;
  let last = created.length ? created[created.length - 1]! : 0;
  if (tx && tx.createdMs.length > 0) {
    const from = tx.createdMs[0]!;
    last = Math.max(last, tx.createdMs[tx.createdMs.length - 1]!);
    const links = (n * degree) / 2;
    // Per link and tick an inv, a getdata and the transactions; a tick of its own unless inbound ones share.
    const invsPerMs = links * (1 / tx.outboundMeanMs + 1 / tx.inboundMeanMs);
    const sharedTicksSaved = tx.sharedInbound ? Math.max(0, links - n) / tx.inboundMeanMs : 0;
    events += (3 * invsPerMs - sharedTicksSaved) * (Math.min(p.endMs, last + spreadMs) - from);
  }
  let activeMs = 0;
  if (tx || p.faults.length > 0) {
    activeMs = Math.min(p.endMs, last + spreadMs);
  } else {
    // The union of [created, created + spread] over blocks, in time order.
    let end = -Infinity;
    for (const t of created) {
      activeMs += Math.min(spreadMs, t + spreadMs - Math.max(t, end));
      end = t + spreadMs;
    }
  }
  return events / Math.max(1, activeMs / lookaheadMs);
}
