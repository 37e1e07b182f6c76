// The network part of a plan, compiled from the sections every network model shares: latency and
// bandwidth with their presets resolved, regions, faults and peer maintenance. Plain frozen data that
// every shard receives.
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { PeerRules } from '../engine/peer-maintenance.js';
import { logCdfPercentiles, type TraitsPlan } from '../network/node-traits.js';
import { InputError } from '../errors.js';
import { exponential, scenarioStream } from '../rng.js';
import type { Bootstrap, Fault, Heterogeneity, Join, NetworkScenario, Peers, Topology } from './network-schema.js';
import { log } from '../math.js';

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

/** What every network model (gossip, chain) shares: nodes, links, regions, bandwidth, faults. */
export interface NetworkPlan {
  readonly seed: number;
  /** Every node the run has room for: the initial ones, then the newcomers (joins). */
  readonly nodes: number;
  /** The scenario's `nodes`: ids below this exist from the start; the rest are newcomers. */
  readonly initialNodes: number;
  /** Per newcomer (id initialNodes + i), its join time, ascending: until then it is offline. */
  readonly joinAtMs: readonly number[];
  /** How newcomers get in; null without joins. */
  readonly bootstrap: BootstrapPlan | null;
  readonly endMs: number;
  readonly topology: Topology;
  readonly regionNames: readonly string[];
  readonly regionShares: readonly number[];
  readonly latency: LatencyPlan;
  /** Per region, Mbps; null when messages take no transfer time. */
  readonly uploadMbps: readonly number[] | null;
  readonly downloadMbps: readonly number[] | null;
  /** Per-node heterogeneity; null without a `heterogeneity` section (every node of a region alike). */
  readonly traits: TraitsPlan | null;
  /** Crashes, churn, partitions, loss: compiled into a schedule once the graph exists (the coordinator). */
  readonly faults: readonly Fault[];
  readonly peers: Peers;
  /**
   * Nodes outside the topology, the last ids, each connected to every other node (an eavesdropper's
   * connections, docs/anonymity.md); 0 or absent for none. `nodes` counts them.
   */
  readonly observers?: number;
}

export interface BootstrapPlan extends Omit<Bootstrap, 'seeds'> {
  /** The seed nodes' ids (initial nodes). */
  readonly seeds: readonly number[];
}

/** No more nodes in all than the scenario's nodes allow (network-schema.ts). */
const MAX_NODES = 50_000_000;

/**
 * The newcomers' join times, ascending: each `count` entry adds count nodes at atMs, each rate entry a
 * Poisson stream over [fromMs, toMs) from its own scenario stream ('joins:<i>'), so adding an entry never
 * shifts another's draws. Joins at or after the end are dropped: they would never be online.
 */
export function joinTimes(joins: readonly Join[], seed: number, initial: number, endMs: number): number[] {
  const times: number[] = [];
  joins.forEach((j, i) => {
    if (j.count !== undefined) {
      if (initial + times.length + j.count > MAX_NODES) throw new InputError(`joins.${i}.count`, `gives more than ${MAX_NODES} nodes in all, got ${j.count}`);
      const at = j.atMs ?? 0;
      if (at < endMs) for (let k = 0; k < j.count; k++) times.push(at);
    } else {
      const rand = scenarioStream(seed, `joins:${i}`);
      const to = Math.min(j.toMs!, endMs); // validated: rate entries have toMs
      // Refused before drawing when the mean alone is over the limit (drawing would take long to say so).
      const expected = (j.ratePerSecond! * Math.max(0, to - (j.fromMs ?? 0))) / 1000;
      if (!(initial + times.length + expected <= MAX_NODES)) throw new InputError(`joins.${i}.ratePerSecond`, `gives about ${expected.toPrecision(3)} newcomers, more than ${MAX_NODES} nodes in all; lower the rate or shorten the window`);
      for (let t = (j.fromMs ?? 0) + exponential(rand(), 1000 / j.ratePerSecond!); t < to; t += exponential(rand(), 1000 / j.ratePerSecond!)) {
        times.push(t);
        if (initial + times.length > MAX_NODES) throw new InputError(`joins.${i}.ratePerSecond`, `gives more than ${MAX_NODES} nodes in all; lower the rate or shorten the window`);
      }
    }
    if (initial + times.length > MAX_NODES) throw new InputError(`joins.${i}.count`, `gives more than ${MAX_NODES} nodes in all`);
  });
  return times.sort((a, b) => a - b);
}

function compileBootstrap(b: Bootstrap, seed: number, initial: number): BootstrapPlan {
  let seeds: number[];
  if (Array.isArray(b.seeds)) seeds = [...b.seeds];
  else {
    // Distinct random initial nodes, from their own stream.
    const rand = scenarioStream(seed, 'bootstrap');
    const taken = new Set<number>();
    seeds = [];
    while (seeds.length < b.seeds) {
      const v = Math.floor(rand() * initial);
      if (!taken.has(v)) {
        taken.add(v);
        seeds.push(v);
      }
    }
  }
  return { ...b, seeds };
}

interface NetworkParams {
  regions: string[];
  node_distribution_by_region: Record<string, Record<string, number>>;
  latency_ms: Record<string, number[][]>;
  bandwidth_bps: Record<string, Record<string, number> | number | string>;
  /** Outbound connections per node, Bitcoin 2015: pmf[k - 1] is the share of nodes that open k. */
  degree_distribution: { pmf_outbound_1_to_20: number[]; mean_outbound: number };
  /** Hash-power shares (%) of the 16 largest Bitcoin pools, Gervais et al. 2016. */
  mining_pools_bitcoin_2016: { shares_percent: number[] };
  /** Per region, download bandwidth (Mbps) at percentiles 0..100 of Gervais et al. 2016's per-node histograms. */
  bandwidth_per_node_2015: { download_mbps_percentiles: Record<string, number[]> };
  /** Bitcoin nodes' measured block upload, 2015: [Mbps, share of nodes below it] points, one set for every region. */
  bitcoin_node_upload_2015: { cdf_points: [number, number][] };
  /** Block validation cost, Gervais et al. 2016's simulator. */
  block_validation: { ms_per_mb: number };
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

export function preset(year: 'bitcoin-2019' | 'bitcoin-2015') {
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

/** The network part of a plan: regions, latency, bandwidth, faults, peers. */
export function compileNetwork(s: NetworkScenario): NetworkPlan {
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
      latency = { kind: 'lognormal', mu: log(l.medianMs), sigma: l.sigma, minMs: l.minMs };
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

  const joinAtMs = s.joins ? joinTimes(s.joins, s.seed, s.nodes, s.durationMs) : [];
  return {
    seed: s.seed,
    nodes: s.nodes + joinAtMs.length,
    initialNodes: s.nodes,
    joinAtMs,
    bootstrap: s.joins ? compileBootstrap(s.bootstrap ?? bootstrapDefaults, s.seed, s.nodes) : null,
    endMs: s.durationMs,
    topology: s.topology,
    regionNames,
    regionShares,
    latency,
    uploadMbps,
    downloadMbps,
    traits: s.heterogeneity ? compileTraits(s.seed, s.heterogeneity) : null,
    faults: s.faults ?? [],
    peers: s.peers,
  };
}

const bootstrapDefaults: Bootstrap = { seeds: 8, addrCount: 16, outbound: 8, newSize: 256, triedSize: 64, seedTimeoutMs: 2000, retryMs: 5000 };

/** The `heterogeneity` section with its preset resolved (the checks have related it to the regions). */
function compileTraits(seed: number, h: Heterogeneity): TraitsPlan {
  const p = h.preset ? bitcoinParams() : undefined;
  const upload = p && logCdfPercentiles(p.bitcoin_node_upload_2015.cdf_points);
  return {
    seed,
    bandwidth: h.bandwidth ?? (p ? 'empirical' : 'region'),
    bandwidthSigma: h.bandwidthSigma,
    uploadPercentiles: p ? p.regions.map(() => upload!) : null,
    downloadPercentiles: p ? p.regions.map((r) => p.bandwidth_per_node_2015.download_mbps_percentiles[r]!) : null,
    speedSigma: h.speedSigma,
    slowShare: h.slow.share,
    slowBandwidthFactor: h.slow.bandwidthFactor,
    slowSpeedFactor: h.slow.speedFactor,
    verifyMsPerMB: h.verifyMsPerMB ?? p?.block_validation.ms_per_mb ?? 0,
  };
}

/**
 * What peer maintenance runs by in every shard, or null where it does not run: it acts only under a
 * fault schedule (faults or joins). Shared by the coordinator and the visualizer's engine host.
 */
export function peerRulesOf(net: NetworkPlan, scheduled: boolean): PeerRules | null {
  if (!scheduled || !net.peers.maintain) return null;
  return {
    nodes: net.nodes,
    maxInbound: net.topology.kind === 'bitcoin' ? net.topology.maxInbound : Infinity,
    reconnectDelayMs: net.peers.reconnectDelayMs,
    openTimeoutMs: net.peers.openTimeoutMs,
    bootstrap: net.bootstrap ? { ...net.bootstrap, initial: net.initialNodes, seeds: Int32Array.from(net.bootstrap.seeds) } : null,
  };
}
