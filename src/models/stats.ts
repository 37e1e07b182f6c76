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
  let lo = 0;
  return fractions.map((f) => {
    const k = needed(n, f) - 1;
    if (k >= delays.length) return null;
    select(delays, lo, delays.length - 1, k);
    // Everything after rank k is at least delays[k]: the next, larger rank is found among it.
    lo = k + 1;
    return delays[k]!;
  });
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
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))]!;
}
