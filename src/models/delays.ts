// Compact distributions of receipt delays, for plots (docs/results.md, "delays"): a histogram of every
// receipt, each node's mean delay as quantiles (overall and per region), and coverage curves of the first
// items. Bounded in size whatever the run's size: no per-node array reaches the result. Computed after
// the run from the per-node records in node order, like every observer; the digest never sees them.
import { needed, quantile } from './stats.js';

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
  const means = (keep: (v: number) => boolean): Float64Array => {
    const out: number[] = [];
    for (let v = 0; v < n; v++) if (got[v]! > 0 && keep(v)) out.push(sum[v]! / got[v]!);
    return Float64Array.from(out).sort();
  };
  const all = means(() => true);
  const q = (s: Float64Array, p: number): number | null => (s.length ? quantile(s, p) : null);
  const byRegion = regionNames.map((name, r) => {
    const s = means((v) => region[v] === r);
    let nodes = 0;
    for (let v = 0; v < n; v++) if (region[v] === r) nodes++;
    return { region: name, nodes, p10Ms: q(s, 0.1), p50Ms: q(s, 0.5), p90Ms: q(s, 0.9), p99Ms: q(s, 0.99) };
  });
  return {
    receipts,
    histogram: { binMs, counts },
    nodeMeanQuantilesMs: all.length ? Array.from({ length: QUANTILE_STEPS + 1 }, (_, i) => (i === 0 ? all[0]! : quantile(all, i / QUANTILE_STEPS))) : [],
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
    const sorted = delays.subarray(0, k).sort();
    const ms: (number | null)[] = [];
    for (let step = 1; step <= COVERAGE_STEPS; step++) {
      // The same rule as t50Ms ... t100Ms: the need-th receipt, need = ceil(fraction × n).
      const need = needed(n, step / COVERAGE_STEPS);
      ms.push(need <= k ? sorted[need - 1]! : null);
    }
    curves.push({ item: label(m), ms });
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
