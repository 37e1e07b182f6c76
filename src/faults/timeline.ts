// The share of nodes online over the run, for plots: exact at evenly spaced sample times, from the
// compiled schedule's offline intervals in one pass (a difference array over the samples), so it costs
// O(intervals + samples) whatever the number of nodes.
import type { FaultSchedule } from './schedule.js';

export const TIMELINE_SAMPLES = 200;

export interface OnlineTimeline {
  /** Sample times, evenly spaced over [0, endMs]. */
  tMs: number[];
  /** Share of all nodes online at each sample time. */
  onlineShare: number[];
}

export function onlineTimeline(f: FaultSchedule, endMs: number, samples = TIMELINE_SAMPLES): OnlineTimeline {
  const n = f.offOffsets.length - 1;
  const k = Math.max(2, samples + 1);
  const dt = endMs > 0 ? endMs / (k - 1) : 1;
  const tMs = Array.from({ length: k }, (_, j) => j * dt);
  // diff[j] counts intervals that start covering sample j, minus those that stop; an interval
  // [s, e) covers sample j when s <= j·dt < e. Intervals are disjoint per node, so counts are nodes.
  const diff = new Float64Array(k + 1);
  const last = f.offOffsets[n]!;
  for (let i = 0; i < last; i++) {
    const from = firstAtOrAfter(f.offTimes[2 * i]!, dt, k);
    const end = f.offTimes[2 * i + 1]!;
    const to = Number.isFinite(end) ? firstAtOrAfter(end, dt, k) : k;
    if (from >= to) continue;
    diff[from]++;
    diff[to]--;
  }
  const onlineShare: number[] = [];
  let off = 0;
  for (let j = 0; j < k; j++) {
    off += diff[j]!;
    onlineShare.push(n ? (n - off) / n : 1);
  }
  return { tMs, onlineShare };
}

/** The first sample j with j·dt >= t (k if none), computed on the very products the samples use. */
function firstAtOrAfter(t: number, dt: number, k: number): number {
  let j = Math.min(k, Math.max(0, Math.ceil(t / dt)));
  while (j > 0 && (j - 1) * dt >= t) j--;
  while (j < k && j * dt < t) j++;
  return j;
}
