// The versioned result of a run (docs/results.md), assembled from every shard's outcome: what every
// run has (profile, digest), the model's own sections (its definition builds them), and what faults
// did, measured the same way for every model.
import type { ShardStats } from './engine/messages.js';
import type { PerNodeArray } from './engine/model.js';
import { connections, type Connections, type LinkChanges } from './faults/connections.js';
import { isOnline, type FaultSchedule } from './faults/schedule.js';
import { onlineTimeline, type OnlineTimeline } from './faults/timeline.js';
import type { ChainSections } from './models/chain/metrics.js';
import type { RunRecords } from './models/definition.js';
import type { GossipSections } from './models/gossip/metrics.js';
import type { PholdSections } from './models/phold/index.js';
import { modelOf, type Plan, type ResolvedScenario, type Scenario } from './models/registry.js';
import { resolvedScenario } from './scenario/load.js';

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
  /** Windows by the events handled in them: [0] none, [b] from 2^(b−1) to 2^b − 1 events. */
  windowEvents: number[];
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

/** Only with faults: what they dropped (messages and timers at offline nodes, across partitions, lost). */
export interface FaultsSection {
  droppedOffline: number;
  droppedPartition: number;
  droppedLoss: number;
  connections: Connections;
  /** The share of nodes online at evenly spaced times, exact, from the schedule (for plots). */
  timeline: OnlineTimeline;
  /** The partitions' and loss windows' times, as compiled. */
  partitions: { fromMs: number; toMs: number }[];
  loss: { fromMs: number; toMs: number; rate: number }[];
}

export interface ResultBase {
  version: number;
  /** The scenario as run, defaults filled in, less those that do not apply: valid as a scenario file. */
  scenario: ResolvedScenario;
  model: Plan['model'];
  nodes: number;
  workers: number;
  /** The node-to-shard assignment (the CLI's --partition). */
  partition: string;
  seed: number;
  events: number;
  wallSeconds: number;
  eventsPerSecond: number;
  digest: string;
  faults?: FaultsSection;
  profile: Profile;
  /** Per shard, (wall start ms, busy ms, wait ms) triples; only with --trace, dropped from JSON output. */
  trace?: number[][];
  /** Per-node outcomes in node-id order — only with keepPerNode, never in the JSON. */
  perNode?: Record<string, PerNodeArray>;
  /** With perNode: its keys that hold one row per item (broadcast, block) rather than one value per node. */
  perItem?: readonly string[];
}

/** A result: the base and the sections of its model (each model's definition says which). */
export type Result = ResultBase & Partial<GossipSections> & Partial<Omit<ChainSections, 'network'>> & Partial<PholdSections>;

interface Parts {
  scenario: Scenario;
  plan: Plan;
  shards: number;
  assignment: string;
  lookaheadMs: number;
  stats: ShardStats[];
  records: Omit<RunRecords, 'online' | 'messagesSent' | 'faults' | 'nodes' | 'graph'>;
  setupMs: number;
  simMs: number;
  totalMs: number;
  keepPerNode: boolean;
  faults: FaultSchedule | null;
  /** The initial graph, for the connection observers under faults and for the model's result. */
  graph: { offsets: Int32Array; targets: Int32Array };
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
  const f = p.faults;
  const online = f ? (v: number, t: number) => isOnline(f, v, t) : null;
  const model = modelOf(p.plan);
  const r = model.result(p.plan, { ...p.records, nodes: n, faults: f, online, messagesSent: sent, graph: p.graph });
  const total = (k: 'lostOffline' | 'lostPartition' | 'lostLoss') => p.stats.reduce((a, x) => a + x[k], 0);
  const faults: FaultsSection | undefined = f
    ? {
        droppedOffline: total('lostOffline'),
        droppedPartition: total('lostPartition'),
        droppedLoss: total('lostLoss'),
        // Connections are sampled when something is created: the moments the network has to carry it.
        connections: connections(f, p.graph.offsets, p.graph.targets, r.moments, linkChanges(p.stats)),
        timeline: onlineTimeline(f, p.plan.endMs),
        partitions: f.partitions.map(({ fromMs, toMs }) => ({ fromMs, toMs })),
        loss: f.loss.map(({ fromMs, toMs, rate }) => ({ fromMs, toMs, rate })),
      }
    : undefined;
  return {
    version: RESULT_VERSION,
    scenario: resolvedScenario(p.scenario),
    model: p.plan.model,
    nodes: n,
    workers: p.shards,
    partition: p.assignment,
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
        largestBatch: s.largestBatch, peakQueued: s.peakQueued, windowEvents: [...s.windowEvents],
      })),
    },
    ...(p.stats[0]!.trace ? { trace: p.stats.map((s) => Array.from(s.trace ?? [])) } : {}),
    digest: r.digest,
    ...r.sections,
    ...(faults ? { faults } : {}),
    ...(p.keepPerNode ? { perNode: r.perNode, perItem: r.perItem } : {}),
  };
}
