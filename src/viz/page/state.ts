// What the page reads off a finished run at a moment t: who is online, which connections are open, who
// has the last broadcast, and its coverage. Pure functions of the run, so the page can draw any moment.
import type { VizRun } from '../sim.js';

/** Whether node v is online at t: outside every offline interval [start, end). */
export function online(run: VizRun, v: number, t: number): boolean {
  for (let i = run.offOffsets[v]!; i < run.offOffsets[v + 1]!; i++) {
    if (run.offTimes[2 * i]! <= t && t < run.offTimes[2 * i + 1]!) return false;
  }
  return true;
}

/** Whether node v was offline at some moment of [from, to]. */
export function wentDown(run: VizRun, v: number, from: number, to: number): boolean {
  for (let i = run.offOffsets[v]!; i < run.offOffsets[v + 1]!; i++) {
    if (run.offTimes[2 * i]! <= to && run.offTimes[2 * i + 1]! > from) return true;
  }
  return false;
}

/** Never online yet at t: a spare not yet added (offline since t = 0). */
export function notYetJoined(run: VizRun, v: number, t: number): boolean {
  const i = run.offOffsets[v]!;
  return i < run.offOffsets[v + 1]! && run.offTimes[2 * i] === 0 && t < run.offTimes[2 * i + 1]!;
}

export interface Coverage {
  message: number;
  createdMs: number;
  origin: number;
  onlineNodes: number;
  reached: number;
  /** Times after creation (ms) at which 50, 90 and 100 % of the nodes online at t had it; NaN: not yet. */
  t50: number;
  t90: number;
  t100: number;
  /** Sorted receipt times (ms after creation) of the nodes online at t that have it by t. */
  curve: Float64Array;
}

/** The last broadcast created by t, over the nodes online at t. */
export function coverage(run: VizRun, isOnline: Uint8Array, t: number): Coverage | null {
  let m = -1;
  for (let i = 0; i < run.createdMs.length; i++) if (run.createdMs[i]! <= t && (m < 0 || run.createdMs[i]! >= run.createdMs[m]!)) m = i;
  if (m < 0) return null;
  const n = isOnline.length;
  const created = run.createdMs[m]!;
  const times: number[] = [];
  let onlineNodes = 0;
  for (let v = 0; v < n; v++) {
    if (!isOnline[v]) continue;
    onlineNodes++;
    const f = run.firstMs[m * n + v]!;
    if (f <= t) times.push(f - created);
  }
  const curve = Float64Array.from(times).sort();
  const at = (p: number) => {
    const k = Math.ceil(p * onlineNodes);
    return k >= 1 && k <= curve.length ? curve[k - 1]! : NaN;
  };
  return { message: m, createdMs: created, origin: run.origin[m]!, onlineNodes, reached: curve.length, t50: at(0.5), t90: at(0.9), t100: at(1), curve };
}
