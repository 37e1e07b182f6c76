// parse → validate → compile: a scenario validated by load.ts (field rules and cross-field rules alike)
// becomes a frozen plan of plain data that every shard receives. Presets are resolved here, and the
// workload is drawn here from the scenario's own stream, so no shard ever draws scenario-level
// randomness (DESIGN §4, §10).
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { exponential, scenarioStream } from '../rng.js';
import type { GossipScenario, PholdScenario, Protocol, Scenario, Topology } from './schema.js';

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

export interface GossipPlan {
  readonly model: 'gossip';
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
  readonly protocol: Protocol;
  readonly messages: { readonly origin: readonly number[]; readonly createdMs: readonly number[]; readonly sizeBytes: number };
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

export type Plan = GossipPlan | PholdPlan;

interface NetworkParams {
  regions: string[];
  node_distribution_by_region: Record<string, Record<string, number>>;
  latency_ms: Record<string, number[][]>;
  bandwidth_bps: Record<string, Record<string, number> | number | string>;
}

let params: NetworkParams | undefined;
/** Measured Bitcoin network parameters (SimBlock's 2015 and 2019 sets), shipped in data/ with sources. */
export function bitcoinParams(): NetworkParams {
  params ??= JSON.parse(
    readFileSync(fileURLToPath(new URL('../../../data/bitcoin-network-params.json', import.meta.url)), 'utf8'),
  ) as NetworkParams;
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

function compileGossip(s: GossipScenario): GossipPlan {
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

  return {
    model: 'gossip',
    seed: s.seed,
    nodes: s.nodes,
    endMs: s.durationMs,
    topology: s.topology,
    regionNames,
    regionShares,
    latency,
    uploadMbps,
    downloadMbps,
    protocol: s.protocol,
    messages: compileWorkload(s),
  };
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
