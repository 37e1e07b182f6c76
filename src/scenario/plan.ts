// parse → validate → compile: a validated scenario becomes a frozen plan of plain data that every shard
// receives. Presets are resolved here, and the workload is drawn here from the scenario's own stream,
// so no shard ever draws scenario-level randomness (DESIGN §4, §10).
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { InputError } from '../errors.js';
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
  if (s.mean < s.lookahead) throw new InputError('mean', `must be >= lookahead (${s.lookahead}), got ${s.mean}: the increment is Exp(mean - lookahead) + lookahead`);
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
      if (l.maxMs < l.minMs) throw new InputError('latency.maxMs', `must be >= latency.minMs (${l.minMs}), got ${l.maxMs}`);
      latency = { kind: 'uniform', minMs: l.minMs, maxMs: l.maxMs };
      break;
    case 'lognormal':
      latency = { kind: 'lognormal', mu: Math.log(l.medianMs), sigma: l.sigma, minMs: l.minMs };
      break;
    case 'regions': {
      const p = l.preset ? preset(l.preset) : undefined;
      const names = l.regions?.map((r) => r.name) ?? p?.names;
      const shares = l.regions?.map((r) => r.share) ?? p?.shares;
      const matrix = l.matrixMs ?? p?.matrix;
      if (!names || !shares) throw new InputError('latency.regions', 'is required without a preset');
      if (!matrix) throw new InputError('latency.matrixMs', 'is required without a preset');
      if (matrix.length !== names.length || matrix.some((row) => row.length !== names.length)) {
        throw new InputError('latency.matrixMs', `must be ${names.length}×${names.length} (one row and column per region)`);
      }
      if (!(shares.reduce((a, b) => a + b, 0) > 0)) throw new InputError('latency.regions', 'shares must sum to more than 0');
      if (l.distribution === 'pareto' && matrix.some((row) => row.some((ms) => ms <= 5))) {
        throw new InputError('latency.matrixMs', 'pareto latency needs every entry > 5 ms (its scale is entry - 5 ms)');
      }
      regionNames = names;
      regionShares = shares;
      latency = { kind: 'regions', matrixMs: matrix.flat(), distribution: l.distribution, jitter: l.jitter };
      break;
    }
  }

  let uploadMbps: number[] | null = null;
  let downloadMbps: number[] | null = null;
  const bw = s.bandwidth;
  if (bw) {
    const R = regionNames.length;
    const fromPreset = bw.preset ? preset(bw.preset) : undefined;
    if (fromPreset && fromPreset.names.length !== R) throw new InputError('bandwidth.preset', `needs the ${fromPreset.names.length} regions of its latency preset, got ${R}`);
    if (bw.perRegion && (bw.perRegion.uploadMbps.length !== R || bw.perRegion.downloadMbps.length !== R)) {
      throw new InputError('bandwidth.perRegion', `needs one value per region (${R})`);
    }
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
    if (w.origins) {
      const o = w.origins.length === 1 ? w.origins[0]! : w.origins[m];
      if (o === undefined) throw new InputError('workload.origins', `needs 1 or ${w.count} entries (workload.count), got ${w.origins.length}`);
      if (o >= s.nodes) throw new InputError(`workload.origins.${w.origins.length === 1 ? 0 : m}`, `must be a node id < ${s.nodes}, got ${o}`);
      origin.push(o);
    } else {
      origin.push(Math.floor(rand() * s.nodes));
    }
    if (w.atMs) {
      const at = w.atMs[m];
      if (at === undefined) throw new InputError('workload.atMs', `needs ${w.count} entries (workload.count), got ${w.atMs.length}`);
      createdMs.push(at);
    } else if (w.ratePerSecond !== undefined) {
      t += exponential(rand(), 1000 / w.ratePerSecond);
      createdMs.push(t);
    } else {
      createdMs.push(w.startMs);
    }
  }
  return { origin, createdMs, sizeBytes: w.sizeBytes };
}
