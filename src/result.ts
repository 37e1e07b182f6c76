// The versioned result of a run (DESIGN §8), assembled from every shard's outcome.
import { createHash } from 'node:crypto';
import type { ShardStats } from './engine/messages.js';
import type { ModelOutcome, PerNodeArray } from './engine/model.js';
import { chainStats, type ChainStats } from './chain-metrics.js';
import { isOnline, type FaultSchedule } from './faults/schedule.js';
import { connections, type Connections, type LinkChanges } from './fault-metrics.js';
import { fairness, messageStats, sumTotals, type Fairness, type MessageStats } from './metrics.js';
import type { Plan } from './scenario/plan.js';
import { resolvedScenario, type ResolvedScenario } from './scenario/load.js';
import type { Scenario } from './scenario/schema.js';

export const RESULT_VERSION = 1;

export interface ShardProfile {
  shard: number;
  nodes: number;
  events: number;
  windows: number;
  /** Windows cut short because an outbox filled. */
  cutWindows: number;
  busyMs: number;
  waitMs: number;
  crossSent: number;
  crossReceived: number;
  largestBatch: number;
  peakQueued: number;
}

export interface Profile {
  lookaheadMs: number | null;
  windows: number;
  meanEventsPerWindow: number;
  /** Share of messages between nodes that crossed shards. */
  crossShare: number;
  setupMs: number;
  simulationMs: number;
  shards: ShardProfile[];
}

export interface Result {
  version: number;
  /** The scenario as run, defaults filled in, less those that do not apply: valid as a scenario file. */
  scenario: ResolvedScenario;
  model: Plan['model'];
  nodes: number;
  workers: number;
  partition: string;
  seed: number;
  events: number;
  wallSeconds: number;
  eventsPerSecond: number;
  digest: string;
  /** Gossip: one entry per broadcast. */
  messages?: MessageStats[];
  network?: { messagesSent: number };
  /** Network-level fairness across nodes. */
  fairness?: Fairness;
  /** The blockchain layer: blocks, forks, stale rate, time to consistency, rewards. */
  chain?: ChainStats;
  /** Only with faults: what they dropped (messages and timers at offline nodes, across partitions, lost). */
  faults?: { droppedOffline: number; droppedPartition: number; droppedLoss: number; connections: Connections };
  /** PHOLD: events committed (handled before `end`). */
  phold?: { lps: number; committed: number; end: number };
  profile: Profile;
  /** Per shard, (wall start ms, busy ms, wait ms) triples; only with --trace, dropped from JSON output. */
  trace?: number[][];
  /** Per-node outcomes in node-id order, row-major by message (gossip) — only with keepPerNode. */
  perNode?: Record<string, PerNodeArray>;
}

interface Parts {
  scenario: Scenario;
  plan: Plan;
  shards: number;
  partition: string;
  lookaheadMs: number;
  stats: ShardStats[];
  outcomes: ModelOutcome[];
  members: Int32Array[];
  setupMs: number;
  simMs: number;
  totalMs: number;
  keepPerNode: boolean;
  faults: FaultSchedule | null;
  /** The initial graph, for the connection observers under faults. */
  graph: { offsets: Int32Array; targets: Int32Array };
}

/** Reassembles one per-node key from all shards into global node order. */
function gather<T extends PerNodeArray>(key: string, n: number, outcomes: ModelOutcome[], members: Int32Array[]): T {
  const first = outcomes[0]!.perNode[key]!;
  const rows = first.length / Math.max(1, members[0]!.length);
  const out = new (first.constructor as new (len: number) => T)(rows * n);
  outcomes.forEach((o, s) => {
    const local = o.perNode[key]!;
    const ids = members[s]!;
    const k = ids.length;
    for (let r = 0; r < rows; r++) {
      for (let i = 0; i < k; i++) out[r * n + ids[i]!] = local[r * k + i]!;
    }
  });
  return out;
}

function sha256(...arrays: ArrayBufferView[]): string {
  const h = createHash('sha256');
  for (const a of arrays) h.update(new Uint8Array(a.buffer, a.byteOffset, a.byteLength));
  return h.digest('hex');
}

/** The shards' connection changes, when peer maintenance ran. */
function linkChanges(stats: readonly ShardStats[]): LinkChanges[] | null {
  const logs = stats.flatMap((s) => (s.linkChanges ? [s.linkChanges] : []));
  return logs.length ? logs : null;
}

export function buildResult(p: Parts): Result {
  const n = p.plan.nodes;
  const events = p.stats.reduce((s, x) => s + x.events, 0);
  const windows = Math.max(0, ...p.stats.map((s) => s.windows));
  const sent = p.stats.reduce((s, x) => s + x.sent, 0);
  const crossSent = p.stats.reduce((s, x) => s + x.crossSent, 0);
  const base = {
    version: RESULT_VERSION,
    scenario: resolvedScenario(p.scenario),
    model: p.plan.model,
    nodes: n,
    workers: p.shards,
    partition: p.partition,
    seed: p.plan.seed,
    events,
    wallSeconds: p.totalMs / 1000,
    eventsPerSecond: p.simMs > 0 ? events / (p.simMs / 1000) : 0,
    profile: {
      lookaheadMs: Number.isFinite(p.lookaheadMs) ? p.lookaheadMs : null,
      windows,
      meanEventsPerWindow: windows ? events / windows : 0,
      crossShare: sent ? crossSent / sent : 0,
      setupMs: p.setupMs,
      simulationMs: p.simMs,
      shards: p.stats.map((s) => ({
        shard: s.index, nodes: s.nodes, events: s.events, windows: s.windows, cutWindows: s.cutWindows,
        busyMs: s.busyMs, waitMs: s.waitMs, crossSent: s.crossSent, crossReceived: s.crossReceived,
        largestBatch: s.largestBatch, peakQueued: s.peakQueued,
      })),
    },
    ...(p.stats[0]!.trace ? { trace: p.stats.map((s) => Array.from(s.trace ?? [])) } : {}),
  };

  if (p.plan.model === 'phold') {
    const handled = gather<Uint32Array>('handled', n, p.outcomes, p.members);
    const trail = gather<Uint32Array>('trail', n, p.outcomes, p.members);
    const committed = handled.reduce((s, x) => s + x, 0);
    return { ...base, digest: sha256(handled, trail), phold: { lps: n, committed, end: p.plan.endMs }, ...(p.keepPerNode ? { perNode: { handled, trail } } : {}) };
  }

  const f = p.faults;
  const online = f ? (v: number, t: number) => isOnline(f, v, t) : null;
  const total = (k: 'lostOffline' | 'lostPartition' | 'lostLoss') => p.stats.reduce((a, x) => a + x[k], 0);
  // Connections are sampled when something is created: the moments the network has to carry it.
  const moments = p.plan.model === 'chain' ? p.plan.chain.blockCreatedMs.slice(1) : p.plan.model === 'gossip' ? p.plan.messages.createdMs : [];
  const dropped = f
    ? { faults: { droppedOffline: total('lostOffline'), droppedPartition: total('lostPartition'), droppedLoss: total('lostLoss'), connections: connections(f, p.graph.offsets, p.graph.targets, moments, linkChanges(p.stats)) } }
    : {};

  if (p.plan.model === 'chain') {
    const recvMs = gather<Float32Array>('recvMs', n, p.outcomes, p.members);
    const tip = gather<Int32Array>('tip', n, p.outcomes, p.members);
    const reorg = gather<Int32Array>('reorg', n, p.outcomes, p.members);
    return {
      ...base,
      // Every node's receipt of every block, and its chain (its final tip).
      digest: sha256(recvMs, tip),
      network: { messagesSent: sent },
      chain: chainStats(p.plan, { recvMs, tip, reorg }, p.outcomes, p.faults, online),
      ...dropped,
      ...(p.keepPerNode ? { perNode: { recvMs, tip, reorg } } : {}),
    };
  }

  const firstMs = gather<Float64Array>('firstMs', n, p.outcomes, p.members);
  const hops = gather<Int32Array>('hops', n, p.outcomes, p.members);
  const copies = sumTotals('copies', p.outcomes);
  const { origin, createdMs } = p.plan.messages;
  return {
    ...base,
    digest: sha256(firstMs, hops),
    messages: messageStats(n, origin, createdMs, firstMs, hops, copies, online),
    ...dropped,
    network: { messagesSent: sent },
    fairness: fairness(n, createdMs, firstMs, hops),
    ...(p.keepPerNode ? { perNode: { firstMs, hops } } : {}),
  };
}
