// The scenario's faults compiled, before the run, into one schedule every shard reads (docs/architecture.md, "Faults and what a node may know"):
// "is B online at t?", "are A and B on the same side at t?" and "how lossy is the network at t?" are
// then pure functions of shared, read-only arrays, and no shard draws or reads another's live state.
// Every draw comes from the fault's own scenario stream ('faults:<index>'), so adding a fault never
// shifts another's draws (docs/architecture.md, "Randomness"). At 10^6 nodes the offline intervals live in typed arrays (CSR by
// node), never an object per interval.
import type { FaultView } from '../engine/model.js';
import { InputError } from '../errors.js';
import { exponential, scenarioStream, type Stream } from '../rng.js';
import type { Distribution, Fault } from '../scenario/network-schema.js';
import { sharedInt32, sharedUint8 } from '../engine/shared-memory.js';
import { maxDegree } from '../topology/graph.js';
import { exp, log, pow } from '../math.js';

export interface FaultSchedule {
  /** CSR over nodes: node v's offline intervals are [offTimes[2i], offTimes[2i+1]) for i in offOffsets[v] .. offOffsets[v+1], sorted, disjoint, merged; end may be Infinity. Arrays on SharedArrayBuffers. */
  readonly offOffsets: Int32Array;
  readonly offTimes: Float64Array;
  /** Partitions: during [fromMs, toMs) messages between nodes of different groups are dropped. group: per node, on a SharedArrayBuffer. */
  readonly partitions: readonly { readonly fromMs: number; readonly toMs: number; readonly group: Uint8Array }[];
  /** Message loss windows. */
  readonly loss: readonly { readonly rate: number; readonly fromMs: number; readonly toMs: number }[];
  /** Ids from here on are newcomers; joinAt[v - initial] is when v joins (offline before). Shared. */
  readonly initial: number;
  readonly joinAt: Float64Array;
}

/** Who joins when, and the bootstrap seeds: what a schedule with joins needs besides the faults. */
export interface Arrivals {
  readonly initial: number;
  /** Ascending, one per newcomer (ids initial, initial + 1, ...). */
  readonly joinAtMs: readonly number[];
  readonly seeds: readonly number[];
}

/** The most offline intervals a schedule holds: 16 bytes each when built, up to about 40 while building. */
export const MAX_INTERVALS = 50_000_000;

/**
 * Whether a run has a fault schedule: faults, or newcomers (each offline until it joins). Without one
 * nothing goes offline and there is no peer maintenance, so peer lists never change.
 */
export function hasFaultSchedule(faults: readonly Fault[], joinAtMs: readonly number[]): boolean {
  return faults.length > 0 || joinAtMs.length > 0;
}

/**
 * Compiles `faults` for `n` nodes; null where `hasFaultSchedule` is false. `region` and `regionNames`
 * place nodes in the latency regions, `offsets` is the graph's CSR (degrees, for select
 * "highest-degree"), and `horizonMs` (the run's duration) is where churn stops drawing sessions.
 */
export function compileFaults(
  faults: readonly Fault[],
  n: number,
  seed: number,
  region: Uint8Array,
  regionNames: readonly string[],
  offsets: Int32Array,
  horizonMs: number,
  arrivals: Arrivals = { initial: n, joinAtMs: [], seeds: [] },
): FaultSchedule | null {
  const joins = arrivals.joinAtMs;
  if (!hasFaultSchedule(faults, joins)) return null;
  const off = new IntervalList();
  // A newcomer is a node offline until it joins ("add random nodes"); a crash without recovery deletes one.
  const joinAt = new Float64Array(new SharedArrayBuffer(8 * joins.length));
  joins.forEach((t, i) => {
    joinAt[i] = t;
    off.push(arrivals.initial + i, 0, t);
  });
  const partitions: FaultSchedule['partitions'][number][] = [];
  const loss: FaultSchedule['loss'][number][] = [];
  faults.forEach((f, i) => {
    const field = `faults.${i}`;
    off.field = field;
    const rand = scenarioStream(seed, `faults:${i}`);
    switch (f.kind) {
      case 'crash': {
        const end = f.recoverAtMs ?? Infinity;
        for (const v of crashedNodes(f, present(arrivals, f.atMs), rand, region, regionIndices(f.regions, regionNames, `${field}.regions`), offsets, arrivals.seeds)) off.push(v, f.atMs, end);
        break;
      }
      case 'churn':
        churn(f, n, rand, horizonMs, off);
        break;
      case 'partition': {
        const group = sharedUint8(n);
        if (f.regions) {
          // Two sides: the nodes of the named regions (group 1) and the rest (group 0).
          const side = new Uint8Array(256);
          for (const r of regionIndices(f.regions, regionNames, `${field}.regions`)) side[r] = 1;
          for (let v = 0; v < n; v++) group[v] = side[region[v]!]!;
        } else {
          // Each node joins group j with probability fractions[j], independently.
          const shares = f.fractions!; // validated (load.ts): regions or fractions
          for (let v = 0; v < n; v++) {
            const u = rand();
            let g = 0;
            let below = shares[0]!;
            // The last group also takes what floating-point rounding leaves of the cumulative sum.
            while (g < shares.length - 1 && u >= below) below += shares[++g]!;
            group[v] = g;
          }
        }
        partitions.push({ fromMs: f.fromMs, toMs: f.toMs, group });
        break;
      }
      case 'loss':
        loss.push({ rate: f.rate, fromMs: f.fromMs, toMs: f.toMs ?? Infinity });
        break;
    }
  });
  return { ...off.toCsr(n), partitions, loss, initial: arrivals.initial, joinAt };
}

/** The nodes present at t: the initial ones and the newcomers joined by then (ids are in join order). */
function present(a: Arrivals, t: number): number {
  let k = 0;
  while (k < a.joinAtMs.length && a.joinAtMs[k]! <= t) k++;
  return a.initial + k;
}

/** False inside one of the node's offline intervals. */
export function isOnline(f: FaultSchedule, node: number, t: number): boolean {
  const first = f.offOffsets[node]!;
  // The last interval starting at or before t is the only one that can contain t.
  let lo = first;
  let hi = f.offOffsets[node + 1]!;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (f.offTimes[2 * mid]! <= t) lo = mid + 1;
    else hi = mid;
  }
  return lo === first || t >= f.offTimes[2 * lo - 1]!;
}

/** False if some partition active at t puts a and b in different groups. */
export function sameSide(f: FaultSchedule, a: number, b: number, t: number): boolean {
  for (const p of f.partitions) if (t >= p.fromMs && t < p.toMs && p.group[a] !== p.group[b]) return false;
  return true;
}

/**
 * The probability that a message sent at t is lost. Overlapping windows drop independently, so the
 * rates combine as 1 - prod(1 - r) (two 50 % windows lose 75 %, not 100 %); computed as r1 + r2 - r1*r2
 * step by step, which returns a lone window's rate exactly.
 */
export function lossRate(f: FaultSchedule, t: number): number {
  let rate = 0;
  for (const w of f.loss) if (t >= w.fromMs && t < w.toMs) rate = rate + w.rate - rate * w.rate;
  return rate;
}

/**
 * The times a node comes back online (the finite ends of its offline intervals) — the engine schedules a
 * "recover" event there. A newcomer's join is one, at 0 too (it has no interval then).
 */
export function recoveries(f: FaultSchedule, node: number): number[] {
  const out: number[] = [];
  if (node >= f.initial && f.joinAt[node - f.initial] === 0) out.push(0);
  for (let i = f.offOffsets[node]!; i < f.offOffsets[node + 1]!; i++) {
    const end = f.offTimes[2 * i + 1]!;
    if (end !== Infinity) out.push(end);
  }
  return out;
}

// ---- drawing ----

type Crash = Extract<Fault, { kind: 'crash' }>;
type Churn = Extract<Fault, { kind: 'churn' }>;

/**
 * The crashing nodes, ascending, among the n nodes present at the crash. `regions`: indices of the
 * fault's regions (select "region").
 */
function crashedNodes(f: Crash, n: number, rand: Stream, region: Uint8Array, regions: number[], offsets: Int32Array, seeds: readonly number[]): Iterable<number> {
  if (f.select === 'ids') return [...f.ids!].sort((a, b) => a - b); // validated: ids given, distinct, < n
  if (f.select === 'random' && f.count !== undefined) return members(pickDistinct(Math.min(f.count, n), n, rand));
  const fraction = f.fraction!; // validated: required unless select is "ids" or a count is given
  if (f.select === 'seeds') {
    const picked = members(pickDistinct(Math.round(fraction * seeds.length), seeds.length, rand));
    return Array.from(picked, (j) => seeds[j]!).sort((a, b) => a - b);
  }
  if (f.select === 'highest-degree') return highestDegree(Math.round(fraction * n), n, offsets);
  if (f.select === 'random') return members(pickDistinct(Math.round(fraction * n), n, rand));
  // region: `fraction` of the nodes of those regions.
  const inSet = new Uint8Array(256);
  for (const r of regions) inSet[r] = 1;
  let m = 0;
  for (let v = 0; v < n; v++) m += inSet[region[v]!]!;
  const candidates = new Int32Array(m);
  for (let v = 0, j = 0; v < n; v++) if (inSet[region[v]!]) candidates[j++] = v;
  return Array.from(members(pickDistinct(Math.round(fraction * m), m, rand)), (j) => candidates[j]!);
}

/** The k nodes of highest degree, ties to the lower id: by a degree histogram, O(n), no sort. */
export function highestDegree(k: number, n: number, offsets: Int32Array): number[] {
  const top = maxDegree(offsets);
  const count = new Int32Array(top + 1);
  for (let v = 0; v < n; v++) count[offsets[v + 1]! - offsets[v]!]++;
  // The threshold degree d: fewer than k nodes have a degree above it, at least k have d or more.
  let above = 0;
  let d = top;
  while (d > 0 && above + count[d]! < k) above += count[d--]!;
  let atThreshold = k - above; // taken from the degree-d nodes, lowest ids first
  const out: number[] = [];
  for (let v = 0; v < n; v++) {
    const deg = offsets[v + 1]! - offsets[v]!;
    if (deg > d || (deg === d && atThreshold-- > 0)) out.push(v);
  }
  return out;
}

/** A uniformly random k-subset of [0, m), as a mask. */
export function pickDistinct(k: number, m: number, rand: Stream): Uint8Array {
  const mask = new Uint8Array(m);
  // Rejection costs m / (m - picked) draws a pick: cheap up to half of m; beyond, pick those left out.
  const flip = k > m / 2;
  for (let picked = 0, want = flip ? m - k : k; picked < want; ) {
    const v = Math.floor(rand() * m);
    if (mask[v] === 0) {
      mask[v] = 1;
      picked++;
    }
  }
  if (flip) for (let v = 0; v < m; v++) mask[v] ^= 1;
  return mask;
}

function* members(mask: Uint8Array): Generator<number> {
  for (let v = 0; v < mask.length; v++) if (mask[v]) yield v;
}

/**
 * Churn: round(share * n) random nodes each start a session at startMs, then alternate downtime and
 * session, drawn in node order, until a downtime would start at or after the horizon. (All sessions
 * start together at startMs, a fresh session rather than one already under way.)
 */
function churn(f: Churn, n: number, rand: Stream, horizonMs: number, off: IntervalList): void {
  const k = Math.round(f.share * n);
  if (k === 0) return;
  // Refuse before drawing a run whose intervals would not fit (renewal theory: span / mean cycle each).
  const cycles = Math.max(0, horizonMs - f.startMs) / (mean(f.session) + mean(f.downtime));
  const expected = k * (cycles + 1) + off.length;
  // Negated, so that a NaN (an endless horizon over endless sessions) is refused too.
  if (!(expected <= MAX_INTERVALS)) off.tooMany(Number.isFinite(expected) ? `about ${expected.toPrecision(3)}` : 'unboundedly many');
  off.reserve(1.05 * (expected - off.length)); // one allocation rather than a series of doublings
  const session = sampler(f.session, rand);
  const downtime = sampler(f.downtime, rand);
  for (const v of members(pickDistinct(k, n, rand))) {
    for (let t = f.startMs; ; ) {
      const down = t + session();
      if (down >= horizonMs) break;
      t = down + downtime();
      off.push(v, down, t);
    }
  }
}

function sampler(d: Distribution, rand: Stream): () => number {
  switch (d.kind) {
    case 'exponential':
      return () => exponential(rand(), d.meanMs);
    case 'weibull':
      return () => d.scaleMs * pow(-log(1 - rand()), 1 / d.shape);
    case 'pareto':
      // Inverse CDF; 1 - u is in (0, 1], so the draw is finite and >= scaleMs.
      return () => d.scaleMs / pow(1 - rand(), 1 / d.shape);
  }
}

function mean(d: Distribution): number {
  switch (d.kind) {
    case 'exponential':
      return d.meanMs;
    case 'weibull':
      return d.scaleMs * exp(logGamma(1 + 1 / d.shape));
    case 'pareto':
      return (d.shape * d.scaleMs) / (d.shape - 1);
  }
}

// Lanczos approximation (g = 7, 9 terms), about 15 digits for x >= 1; in log form so that large
// arguments (a Weibull shape near 0) give Infinity rather than Infinity * 0.
const LANCZOS = [
  0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313, -176.61502916214059, 12.507343278686905,
  -0.13857109526572012, 9.9843695780195716e-6, 1.5056327351493116e-7,
];
function logGamma(x: number): number {
  x -= 1;
  let a = LANCZOS[0]!;
  for (let i = 1; i < LANCZOS.length; i++) a += LANCZOS[i]! / (x + i);
  const t = x + 7.5;
  return 0.5 * log(2 * Math.PI) + (x + 0.5) * log(t) - t + log(a);
}

function regionIndices(names: readonly string[] | undefined, regionNames: readonly string[], field: string): number[] {
  return (names ?? []).map((name, j) => {
    const r = regionNames.indexOf(name);
    // load.ts checks the names against the scenario's regions; this guards callers that skip it.
    if (r < 0) throw new InputError(`${field}.${j}`, `is not a latency region, got ${JSON.stringify(name)}`);
    return r;
  });
}

// ---- the CSR ----

/** Offline intervals (node, start, end) in growable typed arrays, in any order. */
class IntervalList {
  node = new Int32Array(1024);
  start = new Float64Array(1024);
  end = new Float64Array(1024);
  length = 0;
  /** The fault being compiled, for the error when there are too many intervals. */
  field = 'faults';

  push(v: number, start: number, end: number): void {
    if (!(end > start)) return; // empty: a zero-length downtime never takes the node offline
    if (this.length === MAX_INTERVALS) this.tooMany('more than that');
    if (this.length === this.node.length) this.reserve(Math.max(this.length, 1024));
    this.node[this.length] = v;
    this.start[this.length] = start;
    this.end[this.length++] = end;
  }

  /** Makes room for `more` intervals beyond the current ones (at most MAX_INTERVALS in all). */
  reserve(more: number): void {
    const capacity = Math.min(this.length + Math.ceil(more), MAX_INTERVALS);
    if (capacity <= this.node.length) return;
    const node = new Int32Array(capacity);
    const start = new Float64Array(capacity);
    const end = new Float64Array(capacity);
    node.set(this.node.subarray(0, this.length));
    start.set(this.start.subarray(0, this.length));
    end.set(this.end.subarray(0, this.length));
    [this.node, this.start, this.end] = [node, start, end];
  }

  tooMany(count: string): never {
    throw new InputError(
      this.field,
      `makes ${count} offline intervals in all, over the limit of ${MAX_INTERVALS}; lower the share, lengthen sessions and downtimes, or shorten durationMs`,
    );
  }

  /** Groups by node (counting sort), sorts each node's intervals by start and merges overlapping or touching ones. */
  toCsr(n: number): { offOffsets: Int32Array; offTimes: Float64Array } {
    const first = new Int32Array(n + 1);
    for (let i = 0; i < this.length; i++) first[this.node[i]! + 1]++;
    for (let v = 0; v < n; v++) first[v + 1]! += first[v]!;
    const cursor = first.slice(0, n);
    // Pairs (start, end) interleaved, as in offTimes, so the result is one copy of a prefix.
    const times = new Float64Array(2 * this.length);
    for (let i = 0; i < this.length; i++) {
      const at = 2 * cursor[this.node[i]!]++;
      times[at] = this.start[i]!;
      times[at + 1] = this.end[i]!;
    }
    // The list is spent: let its arrays go before the result is allocated, to lower the peak.
    this.node = new Int32Array(0);
    this.start = this.end = new Float64Array(0);
    this.length = 0;
    const offOffsets = sharedInt32(n + 1);
    let w = 0; // merged intervals are written back in place: w never passes the read position
    for (let v = 0; v < n; v++) {
      const lo = first[v]!;
      const hi = first[v + 1]!;
      sortByStart(times, lo, hi);
      for (let i = lo; i < hi; i++) {
        const start = times[2 * i]!;
        const end = times[2 * i + 1]!;
        if (w > offOffsets[v]! && start <= times[2 * w - 1]!) times[2 * w - 1] = Math.max(times[2 * w - 1]!, end);
        else {
          times[2 * w] = start;
          times[2 * w++ + 1] = end;
        }
      }
      offOffsets[v + 1] = w;
    }
    const offTimes = new Float64Array(new SharedArrayBuffer(2 * w * Float64Array.BYTES_PER_ELEMENT));
    offTimes.set(times.subarray(0, 2 * w));
    return { offOffsets, offTimes };
  }
}

/** Sorts the pairs (times[2i], times[2i+1]) for i in [lo, hi) by start. A node usually has a few, already in order; churn may give it thousands. */
function sortByStart(times: Float64Array, lo: number, hi: number): void {
  let sorted = true;
  for (let i = lo + 1; i < hi && sorted; i++) sorted = times[2 * i - 2]! <= times[2 * i]!;
  if (sorted) return;
  const pairs = Array.from({ length: hi - lo }, (_, k) => [times[2 * (lo + k)]!, times[2 * (lo + k) + 1]!] as const);
  pairs.sort((a, b) => a[0] - b[0]);
  pairs.forEach(([start, end], k) => {
    times[2 * (lo + k)] = start;
    times[2 * (lo + k) + 1] = end;
  });
}

/** The times a node goes offline (the starts of its offline intervals) — where it closes its connections. */
export function outages(f: FaultSchedule, node: number): number[] {
  const out: number[] = [];
  for (let i = f.offOffsets[node]!; i < f.offOffsets[node + 1]!; i++) out.push(f.offTimes[2 * i]!);
  return out;
}

/** The schedule as the engine asks of it (engine/model.ts, FaultView). */
export class ScheduledFaults implements FaultView {
  constructor(private readonly f: FaultSchedule) {}
  online(node: number, t: number): boolean {
    return isOnline(this.f, node, t);
  }
  sameSide(a: number, b: number, t: number): boolean {
    return sameSide(this.f, a, b, t);
  }
  lossRate(t: number): number {
    return lossRate(this.f, t);
  }
  recoveries(node: number): number[] {
    return recoveries(this.f, node);
  }
  outages(node: number): number[] {
    return outages(this.f, node);
  }
  heals(): number[] {
    return this.f.partitions.map((p) => p.toMs);
  }
}
