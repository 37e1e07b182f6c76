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

/** Every node's tip at t, read off a chain run's tip log; moving t forward reads on from where it stopped. */
export class Tips {
  private readonly tip: Int32Array;
  private next = 0;
  private at = -Infinity;
  constructor(private readonly run: VizRun, nodes: number) {
    this.tip = new Int32Array(nodes);
  }
  /** The tips at t (a view the next call overwrites). */
  atTime(t: number): Int32Array {
    const b = this.run.blocks!;
    if (t < this.at) {
      this.tip.fill(0);
      this.next = 0;
    }
    this.at = t;
    while (this.next < b.tipTimes.length && b.tipTimes[this.next]! <= t) {
      this.tip[b.tipNodes[this.next]!] = b.tipBlocks[this.next]!;
      this.next++;
    }
    return this.tip;
  }
}

/** Per block id, whether it is `block` or descends from it (parents have lower ids: they were found earlier). */
export function descendants(run: VizRun, block: number): Uint8Array {
  const { parent } = run.blocks!;
  const out = new Uint8Array(parent.length);
  out[block] = 1;
  for (let x = block + 1; x < parent.length; x++) if (parent[x]! >= 0 && out[parent[x]!]) out[x] = 1;
  return out;
}

/**
 * When `block` was in the chain of every node online at the moment (the nodes the page draws, so not
 * the room): the times, from its creation on, at which that became true, false, true again, and so
 * on. The page's time to consistency is the first. It reads what the run did up to each moment, unlike
 * the result's `consistencyMs`, which asks for the block to stay in every final chain and counts every
 * node online at the end (there, the room too: docs/viz.md).
 */
export function agreementTimes(run: VizRun, block: number): number[] {
  const b = run.blocks!;
  const n = run.roomFrom;
  const created = run.createdMs[block - 1]!;
  const has = descendants(run, block);
  const tip = new Int32Array(n);
  let i = 0;
  for (; i < b.tipTimes.length && b.tipTimes[i]! < created; i++) if (b.tipNodes[i]! < n) tip[b.tipNodes[i]!] = b.tipBlocks[i]!;
  const up = new Uint8Array(n);
  let missing = 0;
  // The moments nodes go down or come back after the creation: (time, node, online after).
  const changes: [number, number, number][] = [];
  for (let v = 0; v < n; v++) {
    up[v] = online(run, v, created) ? 1 : 0;
    if (up[v] && !has[tip[v]!]) missing++;
    for (let k = run.offOffsets[v]!; k < run.offOffsets[v + 1]!; k++) {
      if (run.offTimes[2 * k]! > created) changes.push([run.offTimes[2 * k]!, v, 0]);
      if (run.offTimes[2 * k + 1]! > created && Number.isFinite(run.offTimes[2 * k + 1]!)) changes.push([run.offTimes[2 * k + 1]!, v, 1]);
    }
  }
  changes.sort((x, y) => x[0] - y[0]);
  const out: number[] = [];
  let all = false;
  let c = 0;
  for (;;) {
    const t = Math.min(i < b.tipTimes.length ? b.tipTimes[i]! : Infinity, c < changes.length ? changes[c]![0] : Infinity);
    if (t === Infinity) break;
    // Everything at one moment, then the verdict.
    for (; i < b.tipTimes.length && b.tipTimes[i] === t; i++) {
      const v = b.tipNodes[i]!;
      if (v >= n) continue;
      if (up[v]) missing += (has[tip[v]!] ? 1 : 0) - (has[b.tipBlocks[i]!] ? 1 : 0);
      tip[v] = b.tipBlocks[i]!;
    }
    for (; c < changes.length && changes[c]![0] === t; c++) {
      const [, v, u] = changes[c]!;
      if (up[v] === u) continue;
      up[v] = u;
      if (!has[tip[v]!]) missing += u ? 1 : -1;
    }
    if ((missing === 0) !== all) {
      all = !all;
      out.push(t);
    }
  }
  return out;
}
