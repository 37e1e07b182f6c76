// Compact distributions of receipt delays, for plots (docs/results.md, "delays"): a histogram of every
// receipt, each node's mean delay as quantiles (overall and per region), and coverage curves of the first
// items. Bounded in size whatever the run's size: no per-node array reaches the result. Computed after
// the run from the per-node records in node order, like every observer; the digest never sees them.
import { quantileRank, timesToFractions, valuesAtRanks } from './stats.js';

export interface DelayDistributions {
  /** Receipts counted: (item, node) pairs where the node got the item (the originator at 0 ms). */
  receipts: number;
  /** Every receipt's delay from creation: counts[i] in [i × binMs, (i + 1) × binMs), the last bin closed. */
  histogram: { binMs: number; counts: number[] };
  /** Each node's mean delay over the items it got, at q = 0, 0.01, ..., 1 (nearest rank); empty if none. */
  nodeMeanQuantilesMs: number[];
  /** The same per latency region, in the order of the regions (one entry "all" without regions). */
  byRegion: { region: string; nodes: number; p10Ms: number | null; p50Ms: number | null; p90Ms: number | null; p99Ms: number | null }[];
  /**
   * For the first COVERAGE_ITEMS items (`item`: the message's index, the block's id): ms[k - 1] is the time from creation until k / COVERAGE_STEPS of
   * all nodes had it (null if never), k = 1 ... COVERAGE_STEPS.
   */
  coverage: { item: number; ms: (number | null)[] }[];
}

export const HISTOGRAM_BINS = 200;
export const QUANTILE_STEPS = 100;
export const COVERAGE_STEPS = 50;
export const COVERAGE_ITEMS = 50;
const COVERAGE_FRACTIONS = Array.from({ length: COVERAGE_STEPS }, (_, i) => (i + 1) / COVERAGE_STEPS);

/**
 * `delayAt(row, node)` is the node's receipt delay of the item in that row, NaN if it never got it;
 * `rows` are the items to count, `label(row)` names one in `coverage`. `region[v]` indexes `regionNames`.
 */
export function delayDistributions(
  n: number,
  rows: readonly number[],
  delayAt: (row: number, node: number) => number,
  region: Uint8Array,
  regionNames: readonly string[],
  label: (row: number) => number = (row) => row,
): DelayDistributions {
  let max = 0;
  let receipts = 0;
  const sum = new Float64Array(n);
  const got = new Int32Array(n);
  for (const m of rows) {
    for (let v = 0; v < n; v++) {
      const d = delayAt(m, v);
      if (Number.isNaN(d)) continue;
      receipts++;
      sum[v] += d;
      got[v]++;
      if (d > max) max = d;
    }
  }
  // A width of one significant digit keeps the bin edges readable in the CSV and the plot's axis.
  const binMs = niceWidth(max / HISTOGRAM_BINS);
  const counts = new Array<number>(Math.max(1, Math.min(HISTOGRAM_BINS, Math.ceil(max / binMs)) || 1)).fill(0);
  if (receipts > 0) {
    for (const m of rows) {
      for (let v = 0; v < n; v++) {
        const d = delayAt(m, v);
        if (!Number.isNaN(d)) counts[Math.min(counts.length - 1, Math.floor(d / binMs))]!++;
      }
    }
  }
  // Nearest-rank quantiles of the nodes' means, by selection: a sort of 10^6 means took 0.1-0.2 s.
  // One scratch for every call: each refills it from the start.
  const out = new Float64Array(n);
  const meanQuantiles = (keep: (v: number) => boolean, qs: readonly number[]): number[] | null => {
    let k = 0;
    for (let v = 0; v < n; v++) if (got[v]! > 0 && keep(v)) out[k++] = sum[v]! / got[v]!;
    return k ? valuesAtRanks(out.subarray(0, k), qs.map((q) => quantileRank(k, q))) : null;
  };
  const byRegion = regionNames.map((name, r) => {
    const q = meanQuantiles((v) => region[v] === r, [0.1, 0.5, 0.9, 0.99]);
    let nodes = 0;
    for (let v = 0; v < n; v++) if (region[v] === r) nodes++;
    return { region: name, nodes, p10Ms: q?.[0] ?? null, p50Ms: q?.[1] ?? null, p90Ms: q?.[2] ?? null, p99Ms: q?.[3] ?? null };
  });
  return {
    receipts,
    histogram: { binMs, counts },
    nodeMeanQuantilesMs: meanQuantiles(() => true, Array.from({ length: QUANTILE_STEPS + 1 }, (_, i) => i / QUANTILE_STEPS)) ?? [],
    byRegion,
    coverage: coverageCurves(n, rows.slice(0, COVERAGE_ITEMS), delayAt, label),
  };
}

function coverageCurves(n: number, rows: readonly number[], delayAt: (row: number, node: number) => number, label: (row: number) => number): DelayDistributions['coverage'] {
  const curves: DelayDistributions['coverage'] = [];
  const delays = new Float64Array(n);
  for (const m of rows) {
    let k = 0;
    for (let v = 0; v < n; v++) {
      const d = delayAt(m, v);
      if (!Number.isNaN(d)) delays[k++] = d;
    }
    // The same rule as t50Ms ... t100Ms: the need-th receipt, need = ceil(fraction × n).
    curves.push({ item: label(m), ms: timesToFractions(delays.subarray(0, k), n, COVERAGE_FRACTIONS) });
  }
  return curves;
}

/** The smallest of 1, 2, 5 × 10^k not below x (x > 0); 1 for x = 0. */
export function niceWidth(x: number): number {
  if (!(x > 0)) return 1;
  const p = 10 ** Math.floor(Math.log10(x));
  for (const m of [1, 2, 5, 10]) if (m * p >= x * (1 - 1e-12)) return m * p;
  return 10 * p;
}
