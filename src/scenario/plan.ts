// parse → validate → compile: a scenario validated by load.ts (field rules and cross-field rules alike)
// becomes a frozen plan of plain data that every shard receives. Presets are resolved here, and the
// workload is drawn here from the scenario's own stream, so no shard ever draws scenario-level
// randomness (DESIGN §4, §10).
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { InputError } from '../errors.js';
import { exponential, NODE_PURPOSE, nodeUniform, scenarioStream } from '../rng.js';
import type { Chain, Fault, GossipScenario, PholdScenario, Protocol, Relay, Scenario, Topology } from './schema.js';

export type LatencyPlan =
  | { readonly kind: 'constant'; readonly ms: number }
  | { readonly kind: 'uniform'; readonly minMs: number; readonly maxMs: number }
  | { readonly kind: 'lognormal'; readonly mu: number; readonly sigma: number; readonly minMs: number }
  | {
      readonly kind: 'regions';
      /** Row-major, regions × regions, mean one-way latency in ms. */
      readonly matrixMs: readonly number[];
      readonly distribution: 'uniform' | 'pareto';
      readonly jitter: number;
    };

/** What every network model (gossip, chain) shares: nodes, links, regions, bandwidth. */
export interface NetworkPlan {
  readonly seed: number;
  readonly nodes: number;
  readonly endMs: number;
  readonly topology: Topology;
  readonly regionNames: readonly string[];
  readonly regionShares: readonly number[];
  readonly latency: LatencyPlan;
  /** Per region, Mbps; null when messages take no transfer time. */
  readonly uploadMbps: readonly number[] | null;
  readonly downloadMbps: readonly number[] | null;
  /** Crashes, churn, partitions, loss: compiled into a schedule once the graph exists (run.ts). */
  readonly faults: readonly Fault[];
  readonly peers: GossipScenario['peers'];
}

export interface GossipPlan extends NetworkPlan {
  readonly model: 'gossip';
  readonly protocol: Protocol;
  readonly messages: { readonly origin: readonly number[]; readonly createdMs: readonly number[]; readonly sizeBytes: number };
}

/**
 * Proof of work is memoryless and a miner keeps its timer when it switches tip, so when each block is
 * found, and by whom, does not depend on the network: the whole schedule is drawn here, from each miner
 * node's own stream, and blocks get dense ids 1..B in (time, miner) order (0 is genesis). Only a block's
 * parent — the miner's tip at that moment — is decided during the run.
 */
export interface ChainPlan extends NetworkPlan {
  readonly model: 'chain';
  readonly chain: {
    readonly intervalMs: number;
    readonly blockSizeBytes: number;
    readonly verifyMs: number;
    /** Per miner: its node and its normalized hash share. */
    readonly minerNodes: readonly number[];
    readonly minerShares: readonly number[];
    /** Per block id (index 0 = genesis, unused): the miner's index and the creation time. */
    readonly blockMiner: readonly number[];
    readonly blockCreatedMs: readonly number[];
    readonly secureNodes: readonly number[];
    readonly superNodes: readonly number[];
    readonly blockReward: number;
    readonly rewardShares: Chain['rewardShares'];
  };
  readonly relay: Relay;
  /** Transactions, like blocks, fixed in advance: origin and creation time per id. */
  readonly transactions: {
    readonly origin: readonly number[];
    readonly createdMs: readonly number[];
    readonly sizeBytes: number;
    readonly outboundMeanMs: number;
    readonly inboundMeanMs: number;
  } | null;
}

export interface PholdPlan {
  readonly model: 'phold';
  readonly seed: number;
  readonly nodes: number;
  readonly endMs: number;
  readonly startEvents: number;
  readonly remote: number;
  readonly mean: number;
  readonly lookahead: number;
}

export type Plan = GossipPlan | ChainPlan | PholdPlan;

interface NetworkParams {
  regions: string[];
  node_distribution_by_region: Record<string, Record<string, number>>;
  latency_ms: Record<string, number[][]>;
  bandwidth_bps: Record<string, Record<string, number> | number | string>;
  /** Outbound connections per node, Bitcoin 2015: pmf[k - 1] is the share of nodes that open k. */
  degree_distribution: { pmf_outbound_1_to_20: number[]; mean_outbound: number };
  /** Hash-power shares (%) of the 16 largest Bitcoin pools, Gervais et al. 2016. */
  mining_pools_bitcoin_2016: { shares_percent: number[] };
}

let params: NetworkParams | undefined;
/** Measured Bitcoin network parameters (SimBlock's 2015 and 2019 sets), shipped in data/ with sources. */
export function bitcoinParams(): NetworkParams {
  if (!params) {
    // This module runs compiled (dist/src/scenario/) or as source (src/scenario/, under vitest).
    const compiled = fileURLToPath(new URL('../../../data/bitcoin-network-params.json', import.meta.url));
    const source = fileURLToPath(new URL('../../data/bitcoin-network-params.json', import.meta.url));
    params = JSON.parse(readFileSync(existsSync(compiled) ? compiled : source, 'utf8')) as NetworkParams;
  }
  return params;
}

function preset(year: 'bitcoin-2019' | 'bitcoin-2015') {
  const p = bitcoinParams();
  const tag = year === 'bitcoin-2019' ? { dist: 'bitcoin_2019_active', lat: 'y2019_active', bw: '2019_active' } : { dist: 'bitcoin_2015', lat: 'y2015', bw: '2015' };
  const bw = (dir: 'upload' | 'download') => {
    const table = p.bandwidth_bps[`${dir}_${tag.bw}`] as Record<string, number>;
    return p.regions.map((r) => table[r]! / 1e6);
  };
  return {
    names: p.regions,
    shares: p.regions.map((r) => p.node_distribution_by_region[tag.dist]![r]!),
    matrix: p.latency_ms[tag.lat]!,
    uploadMbps: bw('upload'),
    downloadMbps: bw('download'),
  };
}

export function compilePlan(s: Scenario): Plan {
  return Object.freeze(s.model === 'phold' ? compilePhold(s) : compileGossip(s));
}

function compilePhold(s: PholdScenario): PholdPlan {
  return { model: 'phold', seed: s.seed, nodes: s.lps, endMs: s.end, startEvents: s.startEvents, remote: s.remote, mean: s.mean, lookahead: s.lookahead };
}

function compileGossip(s: GossipScenario): GossipPlan | ChainPlan {
  let regionNames = ['all'];
  let regionShares = [1];
  let latency: LatencyPlan;
  const l = s.latency;
  switch (l.kind) {
    case 'constant':
      latency = { kind: 'constant', ms: l.ms };
      break;
    case 'uniform':
      latency = { kind: 'uniform', minMs: l.minMs, maxMs: l.maxMs };
      break;
    case 'lognormal':
      latency = { kind: 'lognormal', mu: Math.log(l.medianMs), sigma: l.sigma, minMs: l.minMs };
      break;
    case 'regions': {
      // Validated: without a preset both regions and matrixMs are given, and the sizes agree.
      const p = l.preset ? preset(l.preset) : undefined;
      regionNames = l.regions?.map((r) => r.name) ?? p!.names;
      regionShares = l.regions?.map((r) => r.share) ?? p!.shares;
      latency = { kind: 'regions', matrixMs: (l.matrixMs ?? p!.matrix).flat(), distribution: l.distribution, jitter: l.jitter };
      break;
    }
  }

  let uploadMbps: number[] | null = null;
  let downloadMbps: number[] | null = null;
  const bw = s.bandwidth;
  if (bw) {
    const R = regionNames.length;
    const fromPreset = bw.preset ? preset(bw.preset) : undefined;
    uploadMbps = bw.perRegion?.uploadMbps ?? fromPreset?.uploadMbps ?? new Array<number>(R).fill(bw.uploadMbps ?? Infinity);
    downloadMbps = bw.perRegion?.downloadMbps ?? fromPreset?.downloadMbps ?? new Array<number>(R).fill(bw.downloadMbps ?? Infinity);
    if (bw.uploadMbps !== undefined) uploadMbps = uploadMbps.map(() => bw.uploadMbps!);
    if (bw.downloadMbps !== undefined) downloadMbps = downloadMbps.map(() => bw.downloadMbps!);
  }

  const network: NetworkPlan = {
    seed: s.seed,
    nodes: s.nodes,
    endMs: s.durationMs,
    topology: s.topology,
    regionNames,
    regionShares,
    latency,
    uploadMbps,
    downloadMbps,
    faults: s.faults ?? [],
    peers: s.peers,
  };
  if (s.chain) return compileChain(s, s.chain, network);
  return { ...network, model: 'gossip', protocol: s.protocol, messages: compileWorkload(s) };
}

/** Uniform sample of `k` distinct values of [0, n) not in `taken`, in draw order (Floyd's method would reorder). */
function distinctNodes(k: number, n: number, rand: () => number, taken: Set<number>): number[] {
  const out: number[] = [];
  while (out.length < k) {
    const v = Math.floor(rand() * n);
    if (taken.has(v)) continue;
    taken.add(v);
    out.push(v);
  }
  return out;
}

function minerShares(c: Chain, rand: () => number): number[] {
  const m = c.miners;
  if (m.shares) return m.shares;
  if (m.preset) return bitcoinParams().mining_pools_bitcoin_2016.shares_percent;
  const count = m.count!;
  if (m.distribution === 'equal') return new Array<number>(count).fill(1);
  // SimBlock: mining power ~ Normal(400,000, 100,000) hashes/ms, floored at 1; the scale cancels out.
  return Array.from({ length: count }, () => {
    const z = Math.sqrt(-2 * Math.log(1 - rand())) * Math.cos(2 * Math.PI * rand());
    return Math.max(1 / 400_000, 1 + 0.25 * z);
  });
}

// Above this many (block, node) cells the per-node block records (5 bytes each) would not fit a machine.
const MAX_BLOCK_CELLS = 2e9;

function compileChain(s: GossipScenario, c: Chain, network: NetworkPlan): ChainPlan {
  const rand = scenarioStream(s.seed, 'miners');
  // load.ts has checked that the miners, and the secure and super nodes, fit in the nodes.
  const raw = minerShares(c, rand);
  const total = raw.reduce((a, b) => a + b, 0);
  const shares = raw.map((x) => x / total);
  const taken = new Set<number>();
  const minerNodes = c.miners.nodes ?? distinctNodes(shares.length, s.nodes, rand, taken);
  for (const v of minerNodes) taken.add(v);
  const roleRand = scenarioStream(s.seed, 'roles');
  const secureNodes = distinctNodes(c.roles.secure, s.nodes, roleRand, taken);
  const superNodes = distinctNodes(c.roles.super, s.nodes, roleRand, taken);

  // Merge the miners' exponential timers in (time, miner) order: a heap of each miner's next find.
  const intervalMs = c.blockIntervalS * 1000;
  const limit = c.blocks ?? Infinity;
  const draws = new Array<number>(shares.length).fill(0);
  const next = (i: number, from: number) => from + exponential(nodeUniform(s.seed, minerNodes[i]!, NODE_PURPOSE.mining, draws[i]!++), intervalMs / shares[i]!);
  const heap = new MinHeap();
  shares.forEach((_, i) => heap.push(next(i, 0), i));
  const blockMiner = [-1];
  const blockCreatedMs = [0];
  while (blockMiner.length - 1 < limit && heap.size > 0) {
    const [t, i] = heap.pop();
    if (!(t < s.durationMs)) break;
    blockMiner.push(i);
    blockCreatedMs.push(t);
    heap.push(next(i, t), i);
  }
  const blocks = blockMiner.length;
  if (blocks * s.nodes > MAX_BLOCK_CELLS) {
    throw new InputError('chain.blockIntervalS', `gives ${blocks - 1} blocks over ${s.nodes} nodes, more than ${MAX_BLOCK_CELLS} block records; mine fewer blocks (chain.blocks, durationMs) or use fewer nodes`);
  }

  const relay = s.relay ?? relayDefaults;
  let transactions: ChainPlan['transactions'] = null;
  const tx = s.transactions;
  if (tx) {
    const txRand = scenarioStream(s.seed, 'transactions');
    const origin: number[] = [];
    const createdMs: number[] = [];
    const limit = tx.count ?? Infinity;
    // With a block count the load is there to stress block relay: it ends with the last block.
    const until = c.blocks !== undefined ? Math.min(s.durationMs, blockCreatedMs[blockCreatedMs.length - 1]!) : s.durationMs;
    for (let t = exponential(txRand(), 1000 / tx.ratePerSecond); t < until && origin.length < limit; t += exponential(txRand(), 1000 / tx.ratePerSecond)) {
      createdMs.push(t);
      origin.push(Math.floor(txRand() * s.nodes));
      if (origin.length * s.nodes > MAX_BLOCK_CELLS) {
        throw new InputError('transactions.ratePerSecond', `gives more than ${MAX_BLOCK_CELLS} (transaction, node) records over ${s.nodes} nodes; lower the rate, set transactions.count or shorten durationMs`);
      }
    }
    transactions = { origin, createdMs, sizeBytes: tx.sizeBytes, outboundMeanMs: tx.outboundMeanMs, inboundMeanMs: tx.inboundMeanMs };
  }

  return {
    ...network,
    model: 'chain',
    chain: {
      intervalMs, blockSizeBytes: c.blockSizeBytes, verifyMs: c.verifyMs,
      minerNodes, minerShares: shares, blockMiner, blockCreatedMs, secureNodes, superNodes,
      blockReward: c.blockReward, rewardShares: c.rewardShares,
    },
    relay,
    transactions,
  };
}

const relayDefaults: Relay = {
  kind: 'compact', messageDelayMs: 0, processingMs: 0, timeoutMs: 10_000, compactShare: 0.964, compactBytes: 18_000,
  compactFailRate: 0.2666, missingShare: 0.0854, uploadBusy: 'transfer',
};

/** A binary min-heap of (time, miner) pairs, ties by the lower miner index. */
class MinHeap {
  private readonly t: number[] = [];
  private readonly i: number[] = [];
  get size(): number {
    return this.t.length;
  }
  private less(a: number, b: number): boolean {
    return this.t[a]! < this.t[b]! || (this.t[a] === this.t[b] && this.i[a]! < this.i[b]!);
  }
  private swap(a: number, b: number): void {
    [this.t[a], this.t[b]] = [this.t[b]!, this.t[a]!];
    [this.i[a], this.i[b]] = [this.i[b]!, this.i[a]!];
  }
  push(t: number, i: number): void {
    this.t.push(t);
    this.i.push(i);
    for (let k = this.t.length - 1; k > 0; ) {
      const p = (k - 1) >> 1;
      if (!this.less(k, p)) break;
      this.swap(k, p);
      k = p;
    }
  }
  pop(): [number, number] {
    const top: [number, number] = [this.t[0]!, this.i[0]!];
    const lastT = this.t.pop()!;
    const lastI = this.i.pop()!;
    if (this.t.length > 0) {
      this.t[0] = lastT;
      this.i[0] = lastI;
      for (let k = 0; ; ) {
        const l = 2 * k + 1;
        const r = l + 1;
        let m = k;
        if (l < this.t.length && this.less(l, m)) m = l;
        if (r < this.t.length && this.less(r, m)) m = r;
        if (m === k) break;
        this.swap(k, m);
        k = m;
      }
    }
    return top;
  }
}

function compileWorkload(s: GossipScenario): GossipPlan['messages'] {
  const w = s.workload;
  const rand = scenarioStream(s.seed, 'workload');
  const origin: number[] = [];
  const createdMs: number[] = [];
  let t = w.startMs;
  for (let m = 0; m < w.count; m++) {
    origin.push(w.origins ? (w.origins.length === 1 ? w.origins[0]! : w.origins[m]!) : Math.floor(rand() * s.nodes));
    if (w.atMs) {
      createdMs.push(w.atMs[m]!);
    } else if (w.ratePerSecond !== undefined) {
      t += exponential(rand(), 1000 / w.ratePerSecond);
      createdMs.push(t);
    } else {
      createdMs.push(w.startMs);
    }
  }
  return { origin, createdMs, sizeBytes: w.sizeBytes };
}
