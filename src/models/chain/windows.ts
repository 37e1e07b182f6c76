// The chain model's estimates for the default worker count (src/default-workers.ts): its work, and how
// many events fall between two barriers.
import { hopsAcross, meanDegree, meanLatencyMs } from '../memory.js';
import type { Fault } from '../../scenario/network-schema.js';
import type { ChainPlan } from './plan.js';
import type { ChainScenario } from './schema.js';
import type { WindowEstimate } from '../definition.js';

/**
 * A node's share of a block costs about what two relays of a broadcast do (a unit of a flood on a
 * degree-8 graph), in time: at one worker, 3.3 µs a node and block in stress-crash at 10,000–20,000
 * nodes, against 1.6–1.8 µs a node and broadcast in the uniform-latency floods (docs/benchmarks.md,
 * "The last core"). Counted as three, inv, getdata and block, a chain got a second shard at two-thirds
 * of the work where one pays.
 */
const BLOCK_WORK = 2;

/** Work in units of a node relaying a broadcast: the blocks, and a transaction costs a node about one. */
export function chainWork(s: ChainScenario): number {
  const blocks = s.chain.blocks ?? Math.max(1, s.durationMs / (s.chain.blockIntervalS * 1000));
  const tx = s.transactions;
  const txs = tx ? Math.min(tx.count ?? Infinity, ((tx.ratePerSecond ?? 0) * s.durationMs) / 1000) + (tx.sent?.length ?? 0) : 0;
  return s.nodes * (BLOCK_WORK * blocks + txs);
}

/**
 * Events per window of `lookaheadMs`: over all windows, and as an event sees it (the events of the
 * window it falls in, averaged over events). A block costs each node an inv per peer, a getdata, the
 * block and its validation; transactions cost each connection about three events per tick of its inv
 * timer (the tick, the inv, a share of getdata and transfer: 18 a node a second on a degree-16 network
 * at 7 transactions a second). Events happen while a block spreads (hops × three latencies), while
 * transactions flow, and where faults act (timers, catch-up, retries), and the engine skips windows
 * with none. A fault's windows hold few events: they count as windows, and barely as an event sees them.
 * As an event sees them, a block's windows are fuller than on average over its spread: the nodes that
 * get it grow geometrically hop by hop, so most of its events fall in its last two hops.
 */
export function chainWindows(p: ChainPlan, lookaheadMs: number): WindowEstimate {
  const c = p.chain;
  const n = p.nodes;
  const degree = meanDegree(p);
  const hops = hopsAcross(p);
  const hopMs = 3 * (meanLatencyMs(p) + p.relay.messageDelayMs) + c.verifyMs;
  const spreadMs = hops * hopMs;
  const created = c.blockCreatedMs.slice(1);
  const blockEvents = created.length * n * (degree + 3);
  let txEvents = 0;
  let txSpanMs = 0;
  const tx = p.transactions;
  let last = created.length ? created[created.length - 1]! : 0;
  if (tx && tx.createdMs.length > 0) {
    const from = tx.createdMs[0]!;
    last = Math.max(last, tx.createdMs[tx.createdMs.length - 1]!);
    const links = (n * degree) / 2;
    // Per link and tick an inv, a getdata and the transactions; a tick of its own unless inbound ones share.
    const invsPerMs = links * (1 / tx.outboundMeanMs + 1 / tx.inboundMeanMs);
    const sharedTicksSaved = tx.sharedInbound ? Math.max(0, links - n) / tx.inboundMeanMs : 0;
    txSpanMs = Math.max(0, Math.min(p.endMs, last + spreadMs) - from);
    txEvents = (3 * invsPerMs - sharedTicksSaved) * txSpanMs;
  }
  const busiestMs = Math.min(spreadMs, 2 * hopMs);
  const blockMs = unionMs(created.map((t) => [t + spreadMs - busiestMs, t + spreadMs]), p.endMs);
  // A fault acts all along for churn and loss, and once for a crash or a partition (and its heal).
  const spans: [number, number][] = created.map((t) => [t, t + spreadMs]);
  if (tx && tx.createdMs.length > 0) spans.push([tx.createdMs[0]!, last + spreadMs]);
  for (const f of p.faults) spans.push(...faultSpans(f, p.endMs, spreadMs));
  const events = blockEvents + txEvents;
  // Where blocks spread, a window holds their events and the transactions'; elsewhere in the
  // transactions' span, theirs alone (taken as covering the spreads, as a steady load does).
  const blockDensity = blockMs > 0 ? (blockEvents * lookaheadMs) / blockMs : 0;
  const txDensity = txSpanMs > 0 ? (txEvents * lookaheadMs) / txSpanMs : 0;
  const covered = txSpanMs > 0 ? Math.min(1, blockMs / txSpanMs) : 0;
  const weighted = blockEvents * (blockDensity + txDensity) + txEvents * (txDensity + covered * blockDensity);
  return {
    perWindow: events / Math.max(1, unionMs(spans, p.endMs) / lookaheadMs),
    perEvent: events > 0 ? weighted / events : 0,
  };
}

/** When a fault makes events: after each change it brings, for as long as a block takes to spread. */
function faultSpans(f: Fault, endMs: number, spreadMs: number): [number, number][] {
  switch (f.kind) {
    case 'churn':
      return [[f.startMs, endMs]];
    case 'loss':
      return [[f.fromMs, f.toMs ?? endMs]];
    case 'crash':
      return [f.atMs, f.recoverAtMs].filter((t) => t !== undefined).map((t) => [t, t + spreadMs]);
    case 'partition':
      return [[f.fromMs, f.fromMs + spreadMs], [f.toMs, f.toMs + spreadMs]];
  }
}

/** The length of the union of the spans, within [0, endMs]. */
function unionMs(spans: [number, number][], endMs: number): number {
  spans.sort((x, y) => x[0] - y[0]);
  let total = 0;
  let reached = 0;
  for (const [from, to] of spans) {
    const start = Math.max(from, reached);
    const stop = Math.min(to, endMs);
    if (stop > start) total += stop - start;
    reached = Math.max(reached, stop);
  }
  return total;
}
