// Connection observers under faults (DESIGN §8, §10), computed after the run from the graph and the
// fault schedule: at sampled moments, how many online peers each online node has. A node whose peers
// are all offline is isolated: it can neither hear nor tell anything until one returns.
import { isOnline, type FaultSchedule } from './faults/schedule.js';

export interface Connections {
  /** The moments sampled (ms): evenly spread over the times given, at most SAMPLES of them. */
  samples: number;
  /** Mean over samples of the mean number of online peers of an online node. */
  meanDegree: number;
  /** Fewest online peers any online node had at any sample. */
  minDegree: number;
  /** Share of online nodes without an online peer: mean and worst over samples. */
  isolatedShareMean: number;
  isolatedShareMax: number;
  /** Share of nodes online: mean and lowest over samples. */
  onlineShareMean: number;
  onlineShareMin: number;
}

const SAMPLES = 20;

export function connections(f: FaultSchedule, offsets: Int32Array, targets: Int32Array, times: readonly number[]): Connections {
  const n = offsets.length - 1;
  const sorted = [...times].sort((a, b) => a - b);
  const at = sorted.length <= SAMPLES ? sorted : Array.from({ length: SAMPLES }, (_, i) => sorted[Math.floor((i * (sorted.length - 1)) / (SAMPLES - 1))]!);
  const up = new Uint8Array(n);
  let degreeSum = 0;
  let minDegree = Infinity;
  let isolatedSum = 0;
  let isolatedMax = 0;
  let onlineSum = 0;
  let onlineMin = 1;
  for (const t of at) {
    let online = 0;
    for (let v = 0; v < n; v++) online += up[v] = isOnline(f, v, t) ? 1 : 0;
    let links = 0;
    let isolated = 0;
    for (let v = 0; v < n; v++) {
      if (!up[v]) continue;
      let d = 0;
      for (let i = offsets[v]!; i < offsets[v + 1]!; i++) d += up[targets[i]!]!;
      links += d;
      if (d === 0) isolated++;
      if (d < minDegree) minDegree = d;
    }
    degreeSum += online ? links / online : 0;
    const iso = online ? isolated / online : 0;
    isolatedSum += iso;
    isolatedMax = Math.max(isolatedMax, iso);
    onlineSum += online / n;
    onlineMin = Math.min(onlineMin, online / n);
  }
  const k = Math.max(1, at.length);
  return {
    samples: at.length,
    meanDegree: degreeSum / k,
    minDegree: Number.isFinite(minDegree) ? minDegree : 0,
    isolatedShareMean: isolatedSum / k,
    isolatedShareMax: isolatedMax,
    onlineShareMean: onlineSum / k,
    onlineShareMin: onlineMin,
  };
}
