// Small statistics every model's measures use: nearest-rank quantiles, time until a share of the
// nodes had something, and coverage among the nodes online.
import type { OnlineAt } from './definition.js';

/**
 * Time for each of `fractions` (increasing) of `n` nodes to have the message: the ceil(fraction × n)-th
 * receipt, or null if fewer nodes were reached. From the delays of the nodes reached in any order,
 * which it reorders. Selection, not a sort: a run's results make one such call per message, and
 * sorting 10^4 to 10^5 delays for each was most of the time a long run spent after simulating.
 */
export function timesToFractions(delays: Float64Array, n: number, fractions: readonly number[]): (number | null)[] {
  const ranks = fractions.map((f) => needed(n, f) - 1);
  // Fractions increase, so the ranks reached are a prefix.
  let reached = 0;
  while (reached < ranks.length && ranks[reached]! < delays.length) reached++;
  const values = valuesAtRanks(delays, ranks.slice(0, reached));
  return ranks.map((_, i) => (i < reached ? values[i]! : null));
}

/**
 * The values of ranks `ranks` (from 0, non-decreasing, each below a.length) of `a`, which it
 * reorders: what sorting `a` and reading those places gives, by selection.
 */
export function valuesAtRanks(a: Float64Array, ranks: readonly number[]): number[] {
  selectRanks(a, 0, a.length - 1, ranks, 0, ranks.length - 1);
  return ranks.map((k) => a[k]!);
}

/**
 * Puts ranks[from..to] of a[lo..hi] in place: the middle one first, then those below it within the
 * part below it, and those above within the part above. Each level of the recursion reads a[lo..hi]
 * about twice, so 101 quantiles of 10^6 values cost about 7 passes, not 101.
 */
function selectRanks(a: Float64Array, lo: number, hi: number, ranks: readonly number[], from: number, to: number): void {
  if (from > to) return;
  const mid = (from + to) >> 1;
  const k = ranks[mid]!;
  select(a, lo, hi, k);
  let below = mid;
  while (below > from && ranks[below - 1] === k) below--;
  let above = mid;
  while (above < to && ranks[above + 1] === k) above++;
  selectRanks(a, lo, k - 1, ranks, from, below - 1);
  selectRanks(a, k + 1, hi, ranks, above + 1, to);
}

/** The rank (from 1) of the receipt at which `fraction` of `n` nodes have the message. */
export function needed(n: number, fraction: number): number {
  return Math.max(1, Math.ceil(fraction * n - 1e-9));
}

/** Puts the value of rank k of a[lo..hi] at a[k], smaller ones before it and larger after (Hoare's FIND). */
function select(a: Float64Array, lo: number, hi: number, k: number): void {
  while (lo < hi) {
    // The median of three as the pivot: sorted or reversed input stays linear.
    const x = median3(a[lo]!, a[k]!, a[hi]!);
    let i = lo;
    let j = hi;
    while (i <= j) {
      while (a[i]! < x) i++;
      while (x < a[j]!) j--;
      if (i <= j) {
        const t = a[i]!;
        a[i++] = a[j]!;
        a[j--] = t;
      }
    }
    if (j < k) lo = i;
    if (k < i) hi = j;
  }
}

function median3(a: number, b: number, c: number): number {
  return a < b ? (b < c ? b : a < c ? c : a) : a < c ? a : b < c ? c : b;
}

/** [nodes online at t, of those the ones `got` says received it]; all nodes count without faults. */
export function onlineCoverage(n: number, t: number, online: OnlineAt | null, got: (v: number) => boolean): [number, number] {
  let up = 0;
  let reached = 0;
  for (let v = 0; v < n; v++) {
    if (online !== null && !online(v, t)) continue;
    up++;
    if (got(v)) reached++;
  }
  return [up, reached];
}

/** Nearest-rank quantile of sorted values. */
export function quantile(sorted: Float64Array, q: number): number {
  return sorted[quantileRank(sorted.length, q)]!;
}

/** The nearest-rank median of `xs` (any order), or null if there are none. */
export function median(xs: readonly number[]): number | null {
  return xs.length ? quantile(Float64Array.from(xs).sort(), 0.5) : null;
}

/** The rank (from 0) of the nearest-rank q-quantile among `length` values. */
export function quantileRank(length: number, q: number): number {
  return Math.min(length - 1, Math.max(0, Math.ceil(q * length) - 1));
}
