// Connection observers under faults (docs/architecture.md, "Results and observers"), computed after the run: at sampled moments, how
// many peers each online node has. With peer maintenance that is its connections, rebuilt from the
// initial graph and the shards' logs of changes; without, its online neighbours in the initial graph.
// A node without any is isolated: it can neither hear nor tell anything until that changes.
import { isOnline, type FaultSchedule } from './schedule.js';

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

/** Connection changes of all shards, (time, node, ±1) each. */
export interface LinkChanges {
  times: Float64Array;
  nodes: Int32Array;
  deltas: Int8Array;
}

export function connections(f: FaultSchedule, offsets: Int32Array, targets: Int32Array, times: readonly number[], changes: readonly LinkChanges[] | null): Connections {
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
  // With maintenance: every change in time order, applied up to each sample.
  const log = changes && merge(changes);
  const degree = new Int32Array(n);
  if (log) for (let v = 0; v < n; v++) degree[v] = offsets[v + 1]! - offsets[v]!;
  let applied = 0;
  for (const t of at) {
    let online = 0;
    for (let v = 0; v < n; v++) online += up[v] = isOnline(f, v, t) ? 1 : 0;
    for (; log && applied < log.order.length && log.times[log.order[applied]!]! < t; applied++) {
      const c = log.order[applied]!;
      degree[log.nodes[c]!]! += log.deltas[c]!;
    }
    let links = 0;
    let isolated = 0;
    for (let v = 0; v < n; v++) {
      if (!up[v]) continue;
      let d = log ? degree[v]! : 0;
      if (!log) for (let i = offsets[v]!; i < offsets[v + 1]!; i++) d += up[targets[i]!]!;
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

function merge(changes: readonly LinkChanges[]): LinkChanges & { order: Int32Array } {
  const total = changes.reduce((a, c) => a + c.times.length, 0);
  const times = new Float64Array(total);
  const nodes = new Int32Array(total);
  const deltas = new Int8Array(total);
  let k = 0;
  for (const c of changes) {
    times.set(c.times, k);
    nodes.set(c.nodes, k);
    deltas.set(c.deltas, k);
    k += c.times.length;
  }
  const order = Int32Array.from({ length: total }, (_, i) => i).sort((a, b) => times[a]! - times[b]!);
  return { times, nodes, deltas, order };
}
