// The visualizer's engine host: one shard in this thread — a Web Worker in the page, or Node under a
// test — with no worker_threads and no CLI. It builds what the coordinator builds for one shard (the
// graph, the regions, the fault schedule), runs the same Shard to the end of the scenario, and gathers
// the same result, so its digest is the digest `p2psim run` prints for the same file.
import type { ShardInit } from '../engine/messages.js';
import type { Context, Model } from '../engine/model.js';
import { Shard } from '../engine/shard.js';
import { clockBytes, controlBytes } from '../engine/sync.js';
import { InputError } from '../errors.js';
import { compileFaults, ScheduledFaults, type FaultSchedule } from '../faults/schedule.js';
import type { GossipPlan } from '../models/gossip/plan.js';
import { Receipts } from '../models/gossip/receipts.js';
import { link as gossipLink } from '../models/gossip/shard.js';
import { modelOf } from '../models/registry.js';
import { relay as dandelionPlusRelay } from '../protocols/dandelion-plus/relay.js';
import { relay as dandelionRelay } from '../protocols/dandelion/relay.js';
import { relay as diffusionRelay } from '../protocols/diffusion/relay.js';
import { relay as floodRelay } from '../protocols/flood/relay.js';
import { relay as mixedRelay } from '../protocols/mixed/relay.js';
import { HeardBits } from '../protocols/protocol.js';
import type { Protocol } from '../protocols/registry.js';
import { relay as trickleRelay } from '../protocols/trickle/relay.js';
import { buildResult } from '../result.js';
import { parseScenario } from '../scenario/load.js';
import { buildTopology } from '../topology/generators.js';
import type { Graph } from '../topology/graph.js';
import { assignRegions } from '../topology/regions.js';
import { scenarioOf, withSpares, type VizBase, type VizEvent } from './session.js';

/** The most nodes the page draws and simulates (the "a few thousand"). */
export const MAX_VIZ_NODES = 10_000;

/** Everything the page draws that does not change with the clicks. */
export interface VizNetwork {
  readonly base: VizBase;
  readonly nodes: number;
  readonly offsets: Int32Array;
  readonly targets: Int32Array;
  readonly region: Uint8Array;
  readonly regionNames: readonly string[];
  readonly protocol: string;
}

/** One run of the scenario the clicks so far make, to its end. */
export interface VizRun {
  readonly scenario: Record<string, unknown>;
  readonly digest: string;
  readonly events: number;
  /** Wall time of the shard's run alone, ms. */
  readonly simWallMs: number;
  /** Per broadcast m and node v: firstMs[m * nodes + v], the time v first had m (NaN: never). */
  readonly firstMs: Float64Array;
  readonly createdMs: readonly number[];
  readonly origin: readonly number[];
  /** The fault schedule's offline intervals (CSR by node), or empty without faults. */
  readonly offOffsets: Int32Array;
  readonly offTimes: Float64Array;
  /** Connections peer maintenance opened: (time, opener, peer) each. */
  readonly connTimes: Float64Array;
  readonly connFrom: Int32Array;
  readonly connTo: Int32Array;
}

/** Only gossip scenarios, on generated topologies, of a size the page can draw. */
function checkDrawable(s: { model: string; nodes?: number; topology?: { kind: string }; joins?: unknown[]; adversary?: unknown }, spare: number): void {
  if (s.model !== 'gossip') throw new InputError('model', `p2psim viz runs gossip scenarios (broadcasts), got "${s.model}"`);
  if (s.joins?.length) throw new InputError('joins', 'p2psim viz adds nodes from its own spares; remove joins from the scenario');
  if (s.adversary !== undefined) throw new InputError('adversary', 'p2psim viz does not show an adversary yet; remove it from the scenario');
  if (s.topology?.kind === 'edge-list') throw new InputError('topology.kind', 'edge-list cannot be read in the page; use a generated topology');
  const n = (s.nodes ?? 0) + spare;
  if (n > MAX_VIZ_NODES) throw new InputError('nodes', `p2psim viz draws at most ${MAX_VIZ_NODES.toLocaleString('en-US')} nodes (spares included), got ${n}`);
}

/** The page's starting point: the written scenario with its broadcasts made explicit and `spare` nodes added. */
export function prepareBase(written: Record<string, unknown>, spare: number): VizBase {
  const s = parseScenario(written);
  checkDrawable(s, spare);
  const plan = modelOf(s).compile(s) as GossipPlan;
  return withSpares(written, plan.nodes, spare, plan.messages.origin, plan.messages.createdMs, plan.endMs);
}

const RELAYS = { flood: floodRelay, diffusion: diffusionRelay, trickle: trickleRelay, dandelion: dandelionRelay, 'dandelion++': dandelionPlusRelay, mixed: mixedRelay } as const;

/** The gossip model's shard part, built here rather than loaded by URL (a bundle has no module files). */
function relayFor(p: Protocol, plan: GossipPlan, localNodes: number, heard: HeardBits): Model {
  const make = RELAYS[p.kind] as (p: Protocol, b: GossipPlan['messages'], n: number, h: HeardBits) => Model;
  return make(p, plan.messages, localNodes, heard);
}

/** Hands every call on to the protocol, and notes each connection peer maintenance opens. */
class Connects implements Model {
  readonly times: number[] = [];
  readonly from: number[] = [];
  readonly to: number[] = [];
  constructor(private readonly inner: Model) {}
  start: Model['start'] = (s) => this.inner.start(s);
  onMessage: Model['onMessage'] = (ctx, from, kind, a, b) => this.inner.onMessage(ctx, from, kind, a, b);
  onTimer: Model['onTimer'] = (ctx, kind, a, b) => this.inner.onTimer(ctx, kind, a, b);
  onRecover = (ctx: Context) => this.inner.onRecover?.(ctx);
  onHeal = (ctx: Context) => this.inner.onHeal?.(ctx);
  onConnect(ctx: Context, peer: number): void {
    this.times.push(ctx.now);
    this.from.push(ctx.self);
    this.to.push(peer);
    this.inner.onConnect?.(ctx, peer);
  }
  outcome: Model['outcome'] = () => this.inner.outcome();
}

export class VizSimulator {
  private graph: Graph | null = null;
  private region: Uint8Array | null = null;
  readonly network: VizNetwork;

  constructor(readonly base: VizBase) {
    const s = parseScenario(base.scenario);
    checkDrawable(s, 0);
    const plan = modelOf(s).compile(s) as GossipPlan;
    this.graph = buildTopology(plan.topology, plan.nodes, plan.seed, '.');
    this.region = assignRegions(plan.nodes, plan.regionShares, plan.seed);
    this.network = {
      base, nodes: plan.nodes, offsets: this.graph.offsets, targets: this.graph.targets, region: this.region,
      regionNames: plan.regionNames, protocol: plan.protocol.kind,
    };
  }

  /** Runs the scenario that `events` make of the base, from t = 0 to its end. */
  run(events: readonly VizEvent[]): VizRun {
    const started = performance.now();
    const written = scenarioOf(this.base, events);
    const scenario = parseScenario(written);
    const plan = Object.freeze(modelOf(scenario).compile(scenario)) as GossipPlan;
    const graph = this.graph!;
    const region = this.region!;
    const n = plan.nodes;
    const faults: FaultSchedule | null = compileFaults(plan.faults, n, plan.seed, region, plan.regionNames, graph.offsets, plan.endMs);
    const ids = Int32Array.from({ length: n }, (_, v) => v);
    const init: ShardInit = {
      index: 0, shards: 1, seed: plan.seed, endMs: plan.endMs, offsets: graph.offsets, targets: graph.targets, outbound: graph.outbound ?? null,
      shardOf: new Int32Array(n), localOf: ids, shardStarts: Int32Array.from([0, n]), strided: false, members: ids,
      lookaheadMs: Infinity, bucketMs: bucketWidth(plan, region), control: new SharedArrayBuffer(controlBytes(1)), clock: new SharedArrayBuffer(clockBytes(1)),
      outboxes: [null, null], outboxCapacity: 0, outboxReserve: 0, spin: false, traceSpans: 0, injected: null,
      peerRules: faults !== null && plan.peers.maintain
        ? { nodes: n, maxInbound: plan.topology.kind === 'bitcoin' ? plan.topology.maxInbound : Infinity, reconnectDelayMs: plan.peers.reconnectDelayMs, openTimeoutMs: plan.peers.openTimeoutMs, bootstrap: null }
        : null,
    };
    const m = plan.messages.origin.length;
    const heard = new HeardBits(m, n);
    const model = new Connects(relayFor(plan.protocol, plan, n, heard));
    const link = gossipLink(plan, region);
    const shard = new Shard(init, { model, link, faults: faults && new ScheduledFaults(faults), taps: [new Receipts(m, n, heard)] });
    shard.start();
    const simStarted = performance.now();
    const stats = shard.run();
    const simWallMs = performance.now() - simStarted;
    const out = shard.outcomes();
    const result = buildResult({
      scenario, plan, shards: 1, assignment: 'contiguous', lookaheadMs: Infinity, stats: [stats], setupMs: simStarted - started, simMs: simWallMs,
      records: { members: [ids], region, outcomes: [out.model], taps: [out.taps] },
      totalMs: performance.now() - started, keepPerNode: true, faults, graph,
    });
    return {
      scenario: written, digest: result.digest, events: result.events, simWallMs,
      firstMs: result.perNode!.firstMs as Float64Array, createdMs: plan.messages.createdMs, origin: plan.messages.origin,
      offOffsets: faults ? faults.offOffsets : new Int32Array(n + 1), offTimes: faults ? faults.offTimes : new Float64Array(0),
      connTimes: Float64Array.from(model.times), connFrom: Int32Array.from(model.from), connTo: Int32Array.from(model.to),
    };
  }
}

/** The event queue's bucket width, as the coordinator sets it: the smallest delay between any two nodes. */
function bucketWidth(plan: GossipPlan, region: Uint8Array): number {
  const link = gossipLink(plan, region);
  let min = Infinity;
  const R = plan.regionNames.length;
  for (let a = 0; a < R; a++) for (let b = 0; b < R; b++) min = Math.min(min, link.floor(a, b));
  return min > 0 && Number.isFinite(min) ? min : 1;
}
