// The result section `anonymity` (docs/results.md): what the adversary guesses about each broadcast's
// origin, from its pooled log alone, and how often it is right. Estimators:
// - first-spy: the honest node that handed the broadcast to any of the adversary's nodes first (Fanti &
//   Viswanath's first-timestamp estimator; against the eavesdropper, the first node to report it).
// - first-stem (stem protocols only): the node that passed the stem copy to the first of the adversary's
//   nodes the stem reached, the Dandelion++ paper's simple best guess; first-spy's guess when no stem
//   copy reached the adversary.
// - reporting-centrality: the honest nodes nearest, by summed hop distance, to the first K distinct
//   nodes that reported the broadcast (models/gossip/centrality.ts); a candidate set, ties kept.
// Recall and precision are those of the Dandelion papers: recall = the share of broadcasts whose origin
// was guessed exactly; precision = the mean over honest origins v of (broadcasts of v guessed v) / (all
// broadcasts guessed v), 0 where none was guessed v — the papers' definition when every node makes one.
// A candidate set C counts as a uniform pick in it, with no random draw: 1/|C| of a guess for each
// member, so recall and precision are their expected values, and a single guess counts 1 as before.
// Broadcasts made by the adversary's own nodes are not counted.
import type { ModelOutcome } from '../../engine/model.js';
import { earlier, type SpyLogOutcome } from './spies.js';
import type { Adversary } from './adversary.js';
import { DistanceCentre, type CsrGraph } from './centrality.js';

export type EstimatorName = 'first-spy' | 'first-stem' | 'reporting-centrality';

export interface EstimatorStats {
  name: EstimatorName;
  recall: number;
  precision: number;
  /** Wilson score interval over the counted broadcasts (with candidate sets, over expected hits). */
  recallCi95: [number, number];
  /** Broadcasts counted: those made by honest nodes. */
  messages: number;
  /**
   * The candidate sets over the counted broadcasts the adversary saw: mean size, and mean log2 of the
   * size (the entropy of a uniform pick among them, in bits). 0 and 0 when it saw none.
   */
  candidates: { mean: number; entropyBits: number };
}

export interface Guess {
  message: number;
  origin: number;
  /** Per estimator, in `estimators` order: the guessed node (the lowest id of a candidate set), or -1 where the adversary saw nothing. */
  guesses: number[];
  /** Per estimator: the size of its candidate set (1 for a single guess, 0 where it saw nothing). */
  sizes: number[];
}

/** Per broadcast, a candidate set: `nodes[start[m]] … nodes[start[m + 1] - 1]`, ascending. */
export interface CandidateSets {
  start: Int32Array;
  nodes: Int32Array;
}

export interface AnonymitySection {
  adversary: Adversary['kind'];
  /** The adversary's nodes: spies, or the eavesdropper's θ connections. */
  adversaryNodes: number;
  /** Counted broadcasts that reached at least one of the adversary's nodes. */
  seen: number;
  estimators: EstimatorStats[];
  /** What the protocol pays: mean t50 and t99 over counted broadcasts (honest nodes), and messages sent per broadcast. */
  price: { meanT50Ms: number | null; meanT99Ms: number | null; messagesPerBroadcast: number };
  /** Only with adversary.guesses. */
  guesses?: Guess[];
}

interface Log {
  firstFrom: Int32Array;
  stemFrom: Int32Array;
}

/**
 * The shards' reports pooled: per broadcast, the earliest K distinct senders over all shards, in
 * `earlier` order (time, sender, receiving node), each at its own earliest report.
 */
export function poolReports(logs: readonly ModelOutcome[], broadcasts: number, k: number): number[][] {
  const out: number[][] = [];
  for (let m = 0; m < broadcasts; m++) {
    const entries: [number, number, number][] = [];
    for (const { totals: t } of logs as SpyLogOutcome[]) {
      for (let i = m * k, end = i + k; i < end && t.reportFrom[i]! >= 0; i++) entries.push([t.reportMs[i]!, t.reportFrom[i]!, t.reportAt[i]!]);
    }
    entries.sort((a, b) => a[0] - b[0] || a[1] - b[1] || a[2] - b[2]);
    const senders: number[] = [];
    const taken = new Set<number>();
    for (const [, from] of entries) {
      if (senders.length === k) break;
      if (!taken.has(from)) taken.add(from), senders.push(from);
    }
    out.push(senders);
  }
  return out;
}

/** Single guesses as candidate sets: {g}, or empty where g = -1. */
export function singletons(guess: Int32Array): CandidateSets {
  const start = new Int32Array(guess.length + 1);
  let c = 0;
  for (let m = 0; m < guess.length; m++) {
    if (guess[m]! >= 0) c++;
    start[m + 1] = c;
  }
  return { start, nodes: Int32Array.from(guess.filter((g) => g >= 0)) };
}

/** The reporting-centrality candidates of every counted broadcast (uncounted ones get an empty set). */
export function reportingCentrality(reporters: readonly number[][], counted: Uint8Array, graph: CsrGraph, honest: number, mask: ArrayLike<number>): CandidateSets {
  const centre = new DistanceCentre(graph, honest, mask);
  const start = new Int32Array(reporters.length + 1);
  const sets: Int32Array[] = [];
  let c = 0;
  reporters.forEach((rs, m) => {
    const set = counted[m] ? centre.centre(rs) : new Int32Array(0);
    sets.push(set);
    c += set.length;
    start[m + 1] = c;
  });
  const nodes = new Int32Array(c);
  sets.forEach((set, m) => nodes.set(set, start[m]!));
  return { start, nodes };
}

/** The shards' logs pooled: per broadcast, the earliest entry over all shards. */
export function poolLogs(logs: readonly ModelOutcome[], broadcasts: number): Log {
  const firstMs = new Float64Array(broadcasts).fill(Infinity);
  const firstFrom = new Int32Array(broadcasts).fill(-1);
  const firstAt = new Int32Array(broadcasts).fill(-1);
  const stemMs = new Float64Array(broadcasts).fill(Infinity);
  const stemFrom = new Int32Array(broadcasts).fill(-1);
  for (const o of logs as SpyLogOutcome[]) {
    const t = o.totals;
    for (let m = 0; m < broadcasts; m++) {
      const from = t.firstFrom[m]!;
      if (from >= 0 && earlier(t.firstMs[m]!, from, t.firstAt[m]!, firstMs[m]!, firstFrom[m]!, firstAt[m]!)) {
        firstMs[m] = t.firstMs[m]!;
        firstFrom[m] = from;
        firstAt[m] = t.firstAt[m]!;
      }
      const sf = t.stemFrom[m]!;
      if (sf >= 0 && earlier(t.stemMs[m]!, sf, 0, stemMs[m]!, stemFrom[m]!, 0)) {
        stemMs[m] = t.stemMs[m]!;
        stemFrom[m] = sf;
      }
    }
  }
  return { firstFrom, stemFrom };
}

const Z95 = 1.959963984540054;

/** Wilson score interval for k successes in n trials. */
export function wilson(k: number, n: number): [number, number] {
  if (n === 0) return [0, 1];
  const p = k / n;
  const z2 = Z95 * Z95;
  const centre = (p + z2 / (2 * n)) / (1 + z2 / n);
  const half = (Z95 * Math.sqrt((p * (1 - p)) / n + z2 / (4 * n * n))) / (1 + z2 / n);
  return [Math.max(0, centre - half), Math.min(1, centre + half)];
}

/** Recall, precision and candidate-set size of one estimator's guesses over the counted broadcasts. */
export function score(name: EstimatorName, origins: readonly number[], sets: CandidateSets, counted: Uint8Array): EstimatorStats {
  let messages = 0;
  let right = 0;
  let withSet = 0;
  let sizes = 0;
  let bits = 0;
  const guessed = new Map<number, number>();
  const correct = new Map<number, number>();
  const sources = new Set<number>();
  for (let m = 0; m < origins.length; m++) {
    if (!counted[m]) continue;
    messages++;
    const o = origins[m]!;
    sources.add(o);
    const from = sets.start[m]!;
    const size = sets.start[m + 1]! - from;
    if (size === 0) continue;
    withSet++;
    sizes += size;
    bits += Math.log2(size);
    const w = 1 / size;
    for (let i = from; i < from + size; i++) {
      const g = sets.nodes[i]!;
      guessed.set(g, (guessed.get(g) ?? 0) + w);
      if (g === o) {
        right += w;
        correct.set(o, (correct.get(o) ?? 0) + w);
      }
    }
  }
  let precisionSum = 0;
  for (const [v, c] of correct) precisionSum += c / guessed.get(v)!;
  return {
    name,
    recall: messages ? right / messages : 0,
    precision: sources.size ? precisionSum / sources.size : 0,
    recallCi95: wilson(right, messages),
    messages,
    candidates: { mean: withSet ? sizes / withSet : 0, entropyBits: withSet ? bits / withSet : 0 },
  };
}

export interface AnonymityInputs {
  adversary: Adversary;
  stem: boolean;
  origins: readonly number[];
  mask: Int32Array;
  logs: readonly ModelOutcome[];
  /** The network the broadcasts ran on (initial connections), which the adversary knows. */
  graph: CsrGraph;
  /** Nodes of that network: the eavesdropper's ids, from here on, are not part of it. */
  honest: number;
  t50: readonly (number | null)[];
  t99: readonly (number | null)[];
  messagesSent: number;
}

export function anonymity(x: AnonymityInputs): AnonymitySection {
  const M = x.origins.length;
  const log = poolLogs(x.logs, M);
  const counted = new Uint8Array(M);
  let seen = 0;
  for (let m = 0; m < M; m++) {
    if (x.mask[x.origins[m]!] === 1) continue;
    counted[m] = 1;
    if (log.firstFrom[m]! >= 0) seen++;
  }
  const guesses: [EstimatorName, CandidateSets][] = [['first-spy', singletons(log.firstFrom)]];
  if (x.stem) guesses.push(['first-stem', singletons(log.stemFrom.map((g, m) => (g >= 0 ? g : log.firstFrom[m]!)))]);
  const reporters = poolReports(x.logs, M, x.adversary.reports);
  guesses.push(['reporting-centrality', reportingCentrality(reporters, counted, x.graph, x.honest, x.mask)]);
  let adversaryNodes = 0;
  for (const v of x.mask) adversaryNodes += v;
  const mean = (xs: readonly (number | null)[]) => {
    let s = 0;
    let k = 0;
    xs.forEach((v, m) => {
      if (counted[m] && v !== null) (s += v), k++;
    });
    return k ? s / k : null;
  };
  return {
    adversary: x.adversary.kind,
    adversaryNodes,
    seen,
    estimators: guesses.map(([name, g]) => score(name, x.origins, g, counted)),
    price: { meanT50Ms: mean(x.t50), meanT99Ms: mean(x.t99), messagesPerBroadcast: M ? x.messagesSent / M : 0 },
    ...(x.adversary.guesses
      ? {
          guesses: x.origins.flatMap((origin, message) => {
            if (!counted[message]) return [];
            const size = (c: CandidateSets) => c.start[message + 1]! - c.start[message]!;
            return [{ message, origin, guesses: guesses.map(([, c]) => (size(c) ? c.nodes[c.start[message]!]! : -1)), sizes: guesses.map(([, c]) => size(c)) }];
          }),
        }
      : {}),
  };
}
