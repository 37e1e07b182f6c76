// The result section `anonymity` (docs/results.md): what the adversary guesses about each broadcast's
// origin, from its pooled log alone, and how often it is right. Estimators:
// - first-spy: the honest node that handed the broadcast to any of the adversary's nodes first (Fanti &
//   Viswanath's first-timestamp estimator; against the eavesdropper, the first node to report it).
// - first-stem (stem protocols only): the node that passed the stem copy to the first of the adversary's
//   nodes the stem reached, the Dandelion++ paper's simple best guess; first-spy's guess when no stem
//   copy reached the adversary.
// Recall and precision are those of the Dandelion papers: recall = the share of broadcasts whose origin
// was guessed exactly; precision = the mean over honest origins v of (broadcasts of v guessed v) / (all
// broadcasts guessed v), 0 where none was guessed v — the papers' definition when every node makes one.
// Broadcasts made by the adversary's own nodes are not counted.
import type { ModelOutcome } from '../../engine/model.js';
import { earlier, type SpyLogOutcome } from './spies.js';
import type { Adversary } from './adversary.js';

export interface EstimatorStats {
  name: 'first-spy' | 'first-stem';
  recall: number;
  precision: number;
  /** Wilson score interval over the counted broadcasts. */
  recallCi95: [number, number];
  /** Broadcasts counted: those made by honest nodes. */
  messages: number;
}

export interface Guess {
  message: number;
  origin: number;
  /** Per estimator, in `estimators` order: the guessed node, or -1 where the adversary saw nothing. */
  guesses: number[];
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

/** Recall and precision of one estimator's guesses over the counted broadcasts. */
export function score(name: EstimatorStats['name'], origins: readonly number[], guess: Int32Array, counted: Uint8Array): EstimatorStats {
  let messages = 0;
  let right = 0;
  const guessed = new Map<number, number>();
  const correct = new Map<number, number>();
  const sources = new Set<number>();
  for (let m = 0; m < origins.length; m++) {
    if (!counted[m]) continue;
    messages++;
    const o = origins[m]!;
    sources.add(o);
    const g = guess[m]!;
    if (g < 0) continue;
    guessed.set(g, (guessed.get(g) ?? 0) + 1);
    if (g === o) {
      right++;
      correct.set(o, (correct.get(o) ?? 0) + 1);
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
  };
}

export interface AnonymityInputs {
  adversary: Adversary;
  stem: boolean;
  origins: readonly number[];
  mask: Int32Array;
  logs: readonly ModelOutcome[];
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
  const guesses: [EstimatorStats['name'], Int32Array][] = [['first-spy', log.firstFrom]];
  if (x.stem) guesses.push(['first-stem', log.stemFrom.map((g, m) => (g >= 0 ? g : log.firstFrom[m]!))]);
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
      ? { guesses: x.origins.flatMap((origin, message) => (counted[message] ? [{ message, origin, guesses: guesses.map(([, g]) => g[message]!) }] : [])) }
      : {}),
  };
}
