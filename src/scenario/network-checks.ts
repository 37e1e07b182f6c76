// The rules that relate one field of a network scenario to another (the schema holds the per-field
// rules): topology against nodes, latency regions against matrices, bandwidth and faults against regions.
import { InputError } from '../errors.js';
import type { NetworkScenario } from './network-schema.js';
import { bitcoinParams, joinTimes } from './network-plan.js';
import { oneOf, show } from './wording.js';


// Both presets describe SimBlock's six regions (data/bitcoin-network-params.json).
const PRESET_REGION_COUNT = 6;
// The largest count in topology.outboundDistribution 'bitcoin-2015' (pmf over 1..20 outbound, same file).
const DISTRIBUTION_MAX_OUTBOUND = 20;

/** Topology, latency and bandwidth against the nodes and each other. */
export function checkLinks(s: NetworkScenario): void {
  const n = s.nodes;
  const t = s.topology;
  const lessThanNodes = (field: string, value: number): void => {
    if (value >= n) throw new InputError(field, `must be < nodes (${n}), got ${value}`);
  };
  switch (t.kind) {
    case 'ring':
      // k neighbours on each side must be distinct nodes.
      if (2 * t.k >= n) throw new InputError('topology.k', `must be < nodes / 2 (${n / 2}), got ${t.k}`);
      break;
    case 'random-regular':
      lessThanNodes('topology.degree', t.degree);
      // A d-regular graph on n nodes has n*d/2 edges.
      if ((n * t.degree) % 2 !== 0) {
        throw new InputError('topology.degree', `must be even when nodes (${n}) is odd, got ${t.degree}`);
      }
      break;
    case 'small-world':
      lessThanNodes('topology.degree', t.degree);
      break;
    case 'scale-free':
      lessThanNodes('topology.m', t.m);
      break;
    case 'erdos-renyi':
      if (t.meanDegree > n - 1) throw new InputError('topology.meanDegree', `must be <= nodes - 1 (${n - 1}), got ${t.meanDegree}`);
      break;
    case 'bitcoin':
      if (t.outboundDistribution) {
        // topology.outbound is ignored. As with a fixed count, every node must find enough peers for
        // the most any node opens, and accept at least that many.
        const most = DISTRIBUTION_MAX_OUTBOUND;
        if (n <= most) throw new InputError('topology.outboundDistribution', `needs nodes > ${most} (its largest outbound count), got ${n}`);
        if (t.maxInbound < most) {
          throw new InputError('topology.maxInbound', `must be >= ${most} (the largest outbound count of topology.outboundDistribution), got ${t.maxInbound}`);
        }
        break;
      }
      lessThanNodes('topology.outbound', t.outbound);
      // Every outbound link is someone's inbound link, so on average inbound = outbound.
      if (t.maxInbound < t.outbound) {
        throw new InputError('topology.maxInbound', `must be >= topology.outbound (${t.outbound}), got ${t.maxInbound}`);
      }
      break;
    case 'edge-list':
      break;
  }

  const regionCount = checkLatency(s);
  checkBandwidth(s, regionCount);
  checkHeterogeneity(s, regionCount);
}

/** Returns the number of regions when latency is by region. */
function checkLatency(s: NetworkScenario): number | undefined {
  const l = s.latency;
  if (l.kind === 'uniform' && l.maxMs < l.minMs) {
    throw new InputError('latency.maxMs', `must be >= latency.minMs (${l.minMs}), got ${l.maxMs}`);
  }
  if (l.kind !== 'regions') return undefined;

  if (!l.preset) {
    if (!l.regions) throw new InputError('latency.regions', 'is required when latency.preset is not set');
    if (!l.matrixMs) throw new InputError('latency.matrixMs', 'is required when latency.preset is not set');
  }
  const regions = l.regions?.length ?? PRESET_REGION_COUNT;
  if (l.regions) {
    const seen = new Set<string>();
    l.regions.forEach((r, i) => {
      if (seen.has(r.name)) throw new InputError(`latency.regions.${i}.name`, `is a duplicate, got ${show(r.name)}`);
      seen.add(r.name);
    });
    if (!(l.regions.reduce((sum, r) => sum + r.share, 0) > 0)) {
      throw new InputError('latency.regions', 'shares must sum to more than 0, got all 0');
    }
  }
  if (l.matrixMs) {
    // Rows are "from", columns "to"; asymmetric matrices are allowed (measured paths differ).
    if (l.matrixMs.length !== regions) {
      throw new InputError('latency.matrixMs', `must have ${regions} rows (one per region), got ${l.matrixMs.length}`);
    }
    l.matrixMs.forEach((row, i) => {
      if (row.length !== regions) {
        throw new InputError(`latency.matrixMs.${i}`, `must have ${regions} items (one per region), got ${row.length}`);
      }
    });
    if (l.distribution === 'pareto') {
      l.matrixMs.forEach((row, i) =>
        row.forEach((ms, j) => {
          // SimBlock's Pareto has scale (entry - 5 ms), which must be positive.
          if (ms <= 5) throw new InputError(`latency.matrixMs.${i}.${j}`, `must be > 5 with distribution "pareto", got ${ms}`);
        }),
      );
    }
  } else if (regions !== PRESET_REGION_COUNT) {
    throw new InputError(
      'latency.regions',
      `must have ${PRESET_REGION_COUNT} items to use the matrix of preset ${show(l.preset)} (or give latency.matrixMs), got ${regions}`,
    );
  }
  return regions;
}

function checkBandwidth(s: NetworkScenario, regions: number | undefined): void {
  const b = s.bandwidth;
  if (!b) return;
  const needRegions = (field: string): number => {
    if (regions === undefined) {
      throw new InputError(field, `needs latency.kind "regions", got latency.kind ${show(s.latency.kind)}`);
    }
    return regions;
  };
  if (b.perRegion) {
    const r = needRegions('bandwidth.perRegion');
    for (const dir of ['uploadMbps', 'downloadMbps'] as const) {
      const len = b.perRegion[dir].length;
      if (len !== r) throw new InputError(`bandwidth.perRegion.${dir}`, `must have ${r} items (one per region), got ${len}`);
    }
  }
  if (b.preset) {
    const r = needRegions('bandwidth.preset');
    if (r !== PRESET_REGION_COUNT) {
      throw new InputError('bandwidth.preset', `needs ${PRESET_REGION_COUNT} latency regions (the preset's), got ${r}`);
    }
  }
}

/** Per-node heterogeneity against the bandwidth it varies and the regions its preset describes. */
function checkHeterogeneity(s: NetworkScenario, regions: number | undefined): void {
  const h = s.heterogeneity;
  if (!h) return;
  if (h.preset) {
    if (regions !== PRESET_REGION_COUNT) {
      throw new InputError('heterogeneity.preset', `needs ${PRESET_REGION_COUNT} latency regions (the preset's tables), got ${regions ?? `latency.kind ${show(s.latency.kind)}`}`);
    }
  } else if (h.bandwidth === 'empirical') {
    throw new InputError('heterogeneity.bandwidth', 'is "empirical" and needs heterogeneity.preset (its tables), got none');
  }
  const varies = (h.bandwidth ?? (h.preset ? 'empirical' : 'region')) !== 'region';
  if (varies && !s.bandwidth) {
    throw new InputError('heterogeneity.bandwidth', `needs a bandwidth section (the per-region values it varies), got ${show(h.bandwidth ?? 'empirical')} without one`);
  }
  if (h.slow.bandwidthFactor !== 1 && !s.bandwidth) {
    throw new InputError('heterogeneity.slow.bandwidthFactor', `needs a bandwidth section, got ${h.slow.bandwidthFactor} without one`);
  }
}

/** Each fault's fields against each other and against the nodes and regions of the scenario. */
export function checkFaults(s: NetworkScenario): void {
  const l = s.latency;
  // The names a fault may use: those of latency.regions, else the preset's (the order plan.ts uses).
  const known = l.kind === 'regions' ? (l.regions?.map((r) => r.name) ?? bitcoinParams().regions) : undefined;
  const checkRegions = (field: string, names: readonly string[]): void => {
    if (!known) throw new InputError(field, `needs latency.kind "regions", got latency.kind ${show(l.kind)}`);
    names.forEach((name, j) => {
      if (!known.includes(name)) throw new InputError(`${field}.${j}`, `must be ${oneOf(known)}, got ${show(name)}`);
    });
  };
  const checkWindow = (at: string, fromMs: number, toMs: number | undefined): void => {
    if (toMs !== undefined && toMs <= fromMs) throw new InputError(`${at}.toMs`, `must be > ${at}.fromMs (${fromMs}), got ${toMs}`);
  };

  checkJoins(s);
  // Crash ids may name newcomers too (ids nodes, nodes + 1, ... in join order): a crash deletes one.
  let everyNode = -1;
  const idLimit = () => (everyNode < 0 ? (everyNode = s.nodes + (s.joins ? joinTimes(s.joins, s.seed, s.nodes, s.durationMs).length : 0)) : everyNode);
  (s.faults ?? []).forEach((f, i) => {
    const at = `faults.${i}`;
    switch (f.kind) {
      case 'crash': {
        // Each selection reads its own field; a field another selection reads would be silently ignored.
        if (f.regions && f.select !== 'region') throw new InputError(`${at}.regions`, `needs ${at}.select "region", got ${at}.select ${show(f.select)}`);
        if (f.ids && f.select !== 'ids') throw new InputError(`${at}.ids`, `needs ${at}.select "ids", got ${at}.select ${show(f.select)}`);
        if (f.select === 'ids') {
          if (!f.ids) throw new InputError(`${at}.ids`, `is required when ${at}.select is "ids"`);
          const seen = new Set<number>();
          f.ids.forEach((v, j) => {
            if (v >= idLimit()) {
              throw new InputError(`${at}.ids.${j}`, idLimit() === s.nodes ? `must be < nodes (${s.nodes}), got ${v}` : `must be < ${idLimit()} (nodes and the newcomers of joins), got ${v}`);
            }
            if (seen.has(v)) throw new InputError(`${at}.ids.${j}`, `is a duplicate, got ${v}`);
            seen.add(v);
          });
        } else if (f.fraction === undefined && f.count === undefined) {
          throw new InputError(`${at}.fraction`, `is required (or ${at}.count) when ${at}.select is ${show(f.select)}`);
        }
        if (f.fraction !== undefined && f.count !== undefined) throw new InputError(`${at}.count`, `must not be given with ${at}.fraction, got both`);
        if (f.count !== undefined && f.select !== 'random') throw new InputError(`${at}.count`, `needs ${at}.select "random", got ${at}.select ${show(f.select)}`);
        if (f.count !== undefined && f.count > s.nodes) throw new InputError(`${at}.count`, `must be <= nodes (${s.nodes}), got ${f.count}`);
        if (f.select === 'seeds' && !s.joins) throw new InputError(`${at}.select`, 'is "seeds", which needs joins (the seeds are the bootstrap\'s), got no joins');
        if (f.select === 'region') {
          if (!f.regions) throw new InputError(`${at}.regions`, `is required when ${at}.select is "region"`);
          checkRegions(`${at}.regions`, f.regions);
        }
        if (f.recoverAtMs !== undefined && f.recoverAtMs <= f.atMs) {
          throw new InputError(`${at}.recoverAtMs`, `must be > ${at}.atMs (${f.atMs}), got ${f.recoverAtMs}`);
        }
        break;
      }
      case 'partition': {
        if (f.regions && f.fractions) throw new InputError(at, 'must give only one of regions or fractions, got regions and fractions');
        if (f.regions) checkRegions(`${at}.regions`, f.regions);
        else if (f.fractions) {
          const sum = f.fractions.reduce((a, b) => a + b, 0);
          if (Math.abs(sum - 1) > 1e-9) throw new InputError(`${at}.fractions`, `must sum to 1, got ${Number(sum.toPrecision(12))}`);
        } else throw new InputError(at, 'must give one of regions or fractions, got none');
        checkWindow(at, f.fromMs, f.toMs);
        break;
      }
      case 'loss':
        checkWindow(at, f.fromMs, f.toMs);
        break;
      case 'churn':
        break;
    }
  });
}


/** Each joins entry is one of its two forms; bootstrap goes with joins, and its seeds are initial nodes. */
function checkJoins(s: NetworkScenario): void {
  if (s.bootstrap && !s.joins) throw new InputError('bootstrap', 'needs joins (it is how newcomers get in), got no joins');
  if (!s.joins) return;
  if (!s.peers.maintain) throw new InputError('peers.maintain', 'must be true with joins (newcomers open their connections through it), got false');
  s.joins.forEach((j, i) => {
    const at = `joins.${i}`;
    if (j.count !== undefined) {
      if (j.ratePerSecond !== undefined) throw new InputError(`${at}.ratePerSecond`, `must not be given with ${at}.count (one form an entry), got both`);
      if (j.fromMs !== undefined || j.toMs !== undefined) throw new InputError(`${at}.${j.fromMs !== undefined ? 'fromMs' : 'toMs'}`, `goes with ratePerSecond; a count entry takes atMs`);
    } else if (j.ratePerSecond !== undefined) {
      if (j.atMs !== undefined) throw new InputError(`${at}.atMs`, 'goes with count; a rate entry takes fromMs and toMs');
      if (j.toMs === undefined) throw new InputError(`${at}.toMs`, `is required with ${at}.ratePerSecond`);
      if (j.toMs <= (j.fromMs ?? 0)) throw new InputError(`${at}.toMs`, `must be > ${at}.fromMs (${j.fromMs ?? 0}), got ${j.toMs}`);
    } else {
      throw new InputError(at, 'must give count (with atMs) or ratePerSecond (with fromMs and toMs), got neither');
    }
  });
  const seeds = s.bootstrap?.seeds;
  if (typeof seeds === 'number' && seeds > s.nodes) throw new InputError('bootstrap.seeds', `must be <= nodes (${s.nodes}), got ${seeds}`);
  if (Array.isArray(seeds)) {
    const seen = new Set<number>();
    seeds.forEach((v, j) => {
      if (v >= s.nodes) throw new InputError(`bootstrap.seeds.${j}`, `must be < nodes (${s.nodes}, the initial nodes), got ${v}`);
      if (seen.has(v)) throw new InputError(`bootstrap.seeds.${j}`, `is a duplicate, got ${v}`);
      seen.add(v);
    });
  }
}
