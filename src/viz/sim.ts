// The visualizer's engine host: one shard in this thread — a Web Worker in the page, or Node under a
// test — with no worker_threads and no CLI. It builds what the coordinator builds for one shard (the
// graph, the regions, the fault schedule), runs the same Shard to the end of the scenario, and gathers
// the same result, so its digest is the digest `p2psim run` prints for the same file. Gossip scenarios
// show broadcasts; chain scenarios show blocks and each node's tip, from which the page times consistency.
import type { ShardInit } from '../engine/messages.js';
import type { Context, Model } from '../engine/model.js';
import { Shard } from '../engine/shard.js';
import { clockBytes, controlBytes } from '../engine/sync.js';
import { InputError } from '../errors.js';
import { compileFaults, ScheduledFaults, type FaultSchedule } from '../faults/schedule.js';
import { adversaryMask } from '../models/gossip/adversary.js';
import type { AnonymitySection } from '../models/gossip/anonymity.js';
import type { GossipPlan } from '../models/gossip/plan.js';
import type { ChainStats } from '../models/chain/metrics.js';
import type { ChainPlan } from '../models/chain/plan.js';
import type { Chain, ChainOutcome } from '../models/chain/protocol.js';
import { shard as chainShard } from '../models/chain/shard.js';
import { shardWith } from '../models/gossip/shard.js';
import { bucketWidth } from '../models/delay-floor.js';
import { modelOf } from '../models/registry.js';
import { relay as dandelionPlusRelay } from '../protocols/dandelion-plus/relay.js';
import { relay as dandelionRelay } from '../protocols/dandelion/relay.js';
import { relay as diffusionRelay } from '../protocols/diffusion/relay.js';
import { relay as floodRelay } from '../protocols/flood/relay.js';
import { relay as mixedRelay } from '../protocols/mixed/relay.js';
import type { RelayModule } from '../protocols/protocol.js';
import type { Protocol } from '../protocols/registry.js';
import { relay as trickleRelay } from '../protocols/trickle/relay.js';
import { buildResult } from '../result.js';
import { parseScenario } from '../scenario/load.js';
import { peerRulesOf } from '../scenario/network-plan.js';
import { buildTopology } from '../topology/generators.js';
import type { Graph } from '../topology/graph.js';
import { assignRegions } from '../topology/regions.js';
import { withArrivals } from '../topology/room.js';
import { roomLeft, scenarioOf, withRoomFor, type VizBase, type VizEvent } from './session.js';

type VizPlan = GossipPlan | ChainPlan;

/** The most nodes the page draws and simulates (the "a few thousand"). */
export const MAX_VIZ_NODES = 10_000;

/** Everything the page draws that does not change with the clicks. */
export interface VizNetwork {
  readonly base: VizBase;
  /** Every node the runs have room for: the initial ones, the scenario's own newcomers, the room for clicks. */
  readonly nodes: number;
  /** The scenario's `nodes`: ids below this are there from the start. */
  readonly initialNodes: number;
  readonly offsets: Int32Array;
  readonly targets: Int32Array;
  readonly region: Uint8Array;
  readonly regionNames: readonly string[];
  readonly model: 'gossip' | 'chain';
  /** The gossip protocol, or "chain". */
  readonly protocol: string;
  /** 1 for each spy, by node id; null without an adversary. */
  readonly spies: Uint8Array | null;
  /** A chain's miners: node and normalized hash share each; null for gossip. */
  readonly miners: { readonly nodes: readonly number[]; readonly shares: readonly number[] } | null;
}

/** A chain run's blocks and tips, by block id (0: genesis). */
export interface VizBlocks {
  /** -1 for a block never mined (its miner was offline at its time). */
  readonly height: Int32Array;
  readonly parent: Int32Array;
  /** Every tip change, in time order: (time, node, new tip). Every node starts at genesis. */
  readonly tipTimes: Float64Array;
  readonly tipNodes: Int32Array;
  readonly tipBlocks: Int32Array;
}

/** The adversary's part of a run: the result's `anonymity` section, with every counted broadcast's guesses. */
export type VizAnonymity = Pick<AnonymitySection, 'adversary' | 'adversaryNodes' | 'seen' | 'estimators'> & { readonly guesses: NonNullable<AnonymitySection['guesses']> };

/** One run of the scenario the clicks so far make, to its end. */
export interface VizRun {
  readonly scenario: Record<string, unknown>;
  readonly digest: string;
  readonly events: number;
  /** Wall time of the shard's run alone, ms. */
  readonly simWallMs: number;
  /**
   * Per message m and node v: firstMs[m * nodes + v], the time v first had m (NaN: never). The messages
   * are the broadcasts; in a chain, the blocks (block x is message x - 1), then the transactions.
   */
  readonly firstMs: Float64Array;
  readonly createdMs: readonly number[];
  readonly origin: readonly number[];
  /** Per message, the protocol it was sent by; in a chain "block" or "transaction". */
  readonly protocolOf: readonly string[];
  /** The fault schedule's offline intervals (CSR by node), or empty without faults; a newcomer is offline until it joins. */
  readonly offOffsets: Int32Array;
  readonly offTimes: Float64Array;
  /** Ids from here on are room no click has taken yet: never drawn. */
  readonly roomFrom: number;
  /** Connections peer maintenance opened: (time, opener, peer) each. */
  readonly connTimes: Float64Array;
  readonly connFrom: Int32Array;
  readonly connTo: Int32Array;
  /** Null without an adversary. */
  readonly anonymity: VizAnonymity | null;
  /** Null for gossip. */
  readonly blocks: VizBlocks | null;
}

/** Only gossip and chain scenarios, on generated topologies, with spies if any, of a size the page can draw. */
function checkDrawable(s: { model: string; topology?: { kind: string }; adversary?: { kind: string }; peers?: { maintain: boolean } }, spare: number): void {
  if (s.model !== 'gossip' && s.model !== 'chain') throw new InputError('model', `p2psim viz runs gossip scenarios (broadcasts) and chain scenarios (blocks), got "${s.model}"`);
  if (s.adversary?.kind === 'eavesdropper') {
    throw new InputError('adversary.kind', 'p2psim viz shows spies, not the eavesdropper (it connects to every node, and the page adds nodes as joins and deletes them as faults, which the eavesdropper cannot be combined with); use "spies"');
  }
  if (s.topology?.kind === 'edge-list') throw new InputError('topology.kind', 'edge-list cannot be read in the page; use a generated topology');
  if (spare > 0 && s.peers?.maintain === false) throw new InputError('peers.maintain', 'must be true for the page to add nodes (newcomers join through peer maintenance), got false; or use --spare 0');
}

/** The page's starting point: the written scenario with its broadcasts made explicit and room for `spare` newcomers. */
export function prepareBase(written: Record<string, unknown>, spare: number): VizBase {
  const s = parseScenario(written);
  checkDrawable(s, spare);
  const plan = modelOf(s).compile(s) as VizPlan;
  const base = withRoomFor(written, spare, plan.model === 'gossip' ? { origins: plan.messages.origin, createdMs: plan.messages.createdMs } : null, plan.endMs);
  const n = (modelOf(s).compile(parseScenario(base.scenario)) as VizPlan).nodes;
  if (n > MAX_VIZ_NODES) throw new InputError('nodes', `p2psim viz draws at most ${MAX_VIZ_NODES.toLocaleString('en-US')} nodes (newcomers and room for added nodes included), got ${n}`);
  return base;
}

const RELAYS = { flood: floodRelay, diffusion: diffusionRelay, trickle: trickleRelay, dandelion: dandelionRelay, 'dandelion++': dandelionPlusRelay, mixed: mixedRelay } as const;

/**
 * Hands every call on to the model, and notes each connection peer maintenance opens and, given a
 * chain, each change of a node's tip (after the call that made it: a tip is the model's state, which
 * no tap sees).
 */
class Watched implements Model {
  readonly times: number[] = [];
  readonly from: number[] = [];
  readonly to: number[] = [];
  readonly tipTimes: number[] = [];
  readonly tipNodes: number[] = [];
  readonly tipBlocks: number[] = [];
  private readonly tips: Int32Array;
  constructor(private readonly inner: Model, private readonly chain: Chain | null, n: number) {
    this.tips = new Int32Array(chain ? n : 0);
  }
  private after(ctx: Context): void {
    if (!this.chain) return;
    const tip = this.chain.tipOf(ctx.local);
    if (tip === this.tips[ctx.local]) return;
    this.tips[ctx.local] = tip;
    this.tipTimes.push(ctx.now);
    this.tipNodes.push(ctx.self);
    this.tipBlocks.push(tip);
  }
  start: Model['start'] = (s) => this.inner.start(s);
  onMessage: Model['onMessage'] = (ctx, from, kind, a, b) => {
    this.inner.onMessage(ctx, from, kind, a, b);
    this.after(ctx);
  };
  onTimer: Model['onTimer'] = (ctx, kind, a, b) => {
    this.inner.onTimer(ctx, kind, a, b);
    this.after(ctx);
  };
  onRecover = (ctx: Context) => {
    this.inner.onRecover?.(ctx);
    this.after(ctx);
  };
  onHeal = (ctx: Context) => {
    this.inner.onHeal?.(ctx);
    this.after(ctx);
  };
  onConnect(ctx: Context, peer: number): void {
    this.times.push(ctx.now);
    this.from.push(ctx.self);
    this.to.push(peer);
    this.inner.onConnect?.(ctx, peer);
    this.after(ctx);
  }
  onDisconnect = (ctx: Context, peer: number) => {
    this.inner.onDisconnect?.(ctx, peer);
    this.after(ctx);
  };
  outcome: Model['outcome'] = () => this.inner.outcome();
}

export class VizSimulator {
  private readonly graph: Graph;
  private readonly region: Uint8Array;
  readonly network: VizNetwork;

  constructor(readonly base: VizBase) {
    const s = parseScenario(base.scenario);
    checkDrawable(s, 0);
    const plan = modelOf(s).compile(s) as VizPlan;
    // As the coordinator lays a run out (src/run.ts): the graph and regions of the initial nodes, then
    // room for the newcomers. The room is there from the first run, so every run has the same nodes.
    const built = buildTopology(plan.topology, plan.initialNodes, plan.seed, '.');
    const arranged = withArrivals(built, assignRegions(plan.initialNodes, plan.regionShares, plan.seed), plan.nodes, 0, plan.regionShares, plan.seed);
    this.graph = arranged.graph;
    this.region = arranged.region;
    this.network = {
      base, nodes: plan.nodes, initialNodes: plan.initialNodes, offsets: this.graph.offsets, targets: this.graph.targets, region: this.region,
      regionNames: plan.regionNames, model: plan.model, protocol: plan.model === 'gossip' ? plan.protocol.kind : 'chain',
      spies: plan.model === 'gossip' && plan.adversary ? adversaryMask(plan.adversary, plan.nodes, plan.honest, plan.seed, this.graph.offsets) : null,
      miners: plan.model === 'chain' ? { nodes: plan.chain.minerNodes, shares: plan.chain.minerShares } : null,
    };
  }

  /** Runs the scenario that `events` make of the base, from t = 0 to its end. */
  run(events: readonly VizEvent[]): VizRun {
    const started = performance.now();
    const written = scenarioOf(this.base, events);
    const scenario = parseScenario(written);
    const definition = modelOf(scenario);
    const plan = Object.freeze(definition.compile(scenario)) as VizPlan;
    const graph = this.graph;
    const region = this.region;
    const n = plan.nodes;
    if (n !== this.network.nodes) throw new Error(`the run has ${n} nodes, the page ${this.network.nodes}`);
    const arrivals = { initial: plan.initialNodes, joinAtMs: plan.joinAtMs, seeds: plan.bootstrap?.seeds ?? [] };
    const faults: FaultSchedule | null = compileFaults(plan.faults, n, plan.seed, region, plan.regionNames, graph.offsets, plan.endMs, arrivals);
    const ids = Int32Array.from({ length: n }, (_, v) => v);
    const init: ShardInit = {
      index: 0, shards: 1, seed: plan.seed, endMs: plan.endMs, offsets: graph.offsets, targets: graph.targets, outbound: graph.outbound ?? null,
      shardOf: new Int32Array(n), localOf: ids, shardStarts: Int32Array.from([0, n]), strided: false, members: ids,
      lookaheadMs: Infinity, bucketMs: bucketWidth(plan, region, plan.regionShares.length), control: new SharedArrayBuffer(controlBytes(1)), clock: new SharedArrayBuffer(clockBytes(1)),
      outboxes: [null, null], outboxCapacity: 0, outboxReserve: 0, spin: false, traceSpans: 0, injected: null,
      peerRules: peerRulesOf(plan, faults !== null),
    };
    // The model's shard part; a gossip protocol's handlers bundled rather than loaded by URL.
    const part = plan.model === 'chain' ? chainShard(plan, ids, region) : shardWith(RELAYS[plan.protocol.kind] as RelayModule<Protocol>['relay'], plan, ids, region, graph.offsets);
    const model = new Watched(part.model, plan.model === 'chain' ? (part.model as Chain) : null, n);
    const shard = new Shard(init, { model, link: part.link, faults: faults && new ScheduledFaults(faults), taps: part.taps });
    shard.start();
    const simStarted = performance.now();
    const stats = shard.run();
    const simWallMs = performance.now() - simStarted;
    const out = shard.outcomes();
    // The page shows each transaction's guess, so the result keeps them; the digest does not cover them.
    const shown = plan.model === 'gossip' && plan.adversary ? { ...plan, adversary: { ...plan.adversary, guesses: true } } : plan;
    const result = buildResult({
      scenario, plan: shown, shards: 1, assignment: 'contiguous', lookaheadMs: Infinity, stats: [stats], setupMs: simStarted - started, simMs: simWallMs,
      records: { members: [ids], region, outcomes: [out.model], taps: [out.taps] },
      totalMs: performance.now() - started, keepPerNode: true, faults, graph,
    });
    const anon = (result as { anonymity?: AnonymitySection }).anonymity;
    const messages =
      plan.model === 'chain'
        ? chainMessages(plan, result.perNode!.recvMs as Float32Array, (out.model as ChainOutcome).perNode.txRecvMs as Float32Array)
        : broadcasts(plan, result.perNode!.firstMs as Float64Array);
    return {
      scenario: written, digest: result.digest, events: result.events, simWallMs, ...messages,
      offOffsets: faults ? faults.offOffsets : new Int32Array(n + 1), offTimes: faults ? faults.offTimes : new Float64Array(0),
      roomFrom: n - roomLeft(this.base, events),
      connTimes: Float64Array.from(model.times), connFrom: Int32Array.from(model.from), connTo: Int32Array.from(model.to),
      anonymity: anon ? { adversary: anon.adversary, adversaryNodes: anon.adversaryNodes, seen: anon.seen, estimators: anon.estimators, guesses: anon.guesses ?? [] } : null,
      blocks: plan.model === 'chain' ? blocksOf(plan, (result as { chain?: ChainStats }).chain!, model) : null,
    };
  }
}

type Messages = Pick<VizRun, 'firstMs' | 'createdMs' | 'origin' | 'protocolOf'>;

function broadcasts(plan: GossipPlan, firstMs: Float64Array): Messages {
  const proto = plan.protocol;
  return { firstMs, createdMs: plan.messages.createdMs, origin: plan.messages.origin, protocolOf: proto.kind === 'mixed' ? proto.of : plan.messages.origin.map(() => proto.kind) };
}

/**
 * A chain's blocks, then its transactions, as the page's messages, their receipt delays made times. One
 * shard holds every node in id order, so its transaction records are the run's.
 */
function chainMessages(plan: ChainPlan, recvMs: Float32Array, txRecvMs: Float32Array): Messages {
  const c = plan.chain;
  const n = plan.nodes;
  const tx = plan.transactions;
  const blockMs = c.blockCreatedMs.slice(1);
  const createdMs = [...blockMs, ...(tx?.createdMs ?? [])];
  const firstMs = new Float64Array(createdMs.length * n);
  for (let m = 0; m < createdMs.length; m++) {
    const delays = m < blockMs.length ? recvMs.subarray(m * n) : txRecvMs.subarray((m - blockMs.length) * n);
    for (let v = 0; v < n; v++) firstMs[m * n + v] = createdMs[m]! + delays[v]!;
  }
  return {
    firstMs, createdMs,
    origin: [...c.blockMiner.slice(1).map((i) => c.minerNodes[i]!), ...(tx?.origin ?? [])],
    protocolOf: createdMs.map((_, m) => (m < blockMs.length ? 'block' : 'transaction')),
  };
}

function blocksOf(plan: ChainPlan, stats: ChainStats, watched: Watched): VizBlocks {
  const B = plan.chain.blockCreatedMs.length;
  const height = new Int32Array(B).fill(-1);
  const parent = new Int32Array(B).fill(-1);
  height[0] = 0;
  for (const b of stats.blocks) {
    height[b.id] = b.height;
    parent[b.id] = b.parent;
  }
  return {
    height, parent,
    tipTimes: Float64Array.from(watched.tipTimes), tipNodes: Int32Array.from(watched.tipNodes), tipBlocks: Int32Array.from(watched.tipBlocks),
  };
}
