// Small statistics every model's measures use: nearest-rank quantiles, time until a share of the
// nodes had something, and coverage among the nodes online.
import type { OnlineAt } from './definition.js';

/** Time for `fraction` of `n` nodes to have the message, from sorted delays of the nodes reached. */
export function timeToFraction(sortedDelays: Float64Array, n: number, fraction: number): number | null {
  const need = Math.max(1, Math.ceil(fraction * n - 1e-9));
  return need <= sortedDelays.length ? sortedDelays[need - 1]! : null;
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
