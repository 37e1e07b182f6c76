// The gossip model's measures, computed after the run from the receipts observer's records in global
// node order: nothing here reads a shard's live state, and nothing is averaged per shard.

import { onlineCoverage, quantileRank, timesToFractions, valuesAtRanks } from '../stats.js';
import type { OnlineAt } from '../definition.js';
import type { DelayDistributions } from '../delays.js';
import { connections, type Connections, type Spread } from '../join-log.js';
import type { AnonymitySection } from './anonymity.js';

/** The gossip model's sections of the result. */
export interface GossipSections {
  /** One entry per broadcast. */
  messages: MessageStats[];
  network: { messagesSent: number };
  /** Network-level fairness across nodes. */
  fairness: Fairness;
  /** Receipt delays as compact distributions, for plots. */
  delays: DelayDistributions;
  /** Only with an adversary. */
  anonymity?: AnonymitySection;
  /** Only with joins. */
  joins?: GossipJoinsSection;
}

/**
 * How newcomers got in. A gossip newcomer has nothing to download: it is synced once it has a connection,
 * and from then on it hears new broadcasts like everyone else; `coverage` says whether it did.
 */
export interface GossipJoinsSection extends Connections {
  synced: number;
  neverSynced: number;
  syncMs: Spread | null;
  /** Over every (newcomer, broadcast created after its join) pair: how many, and the share that reached the newcomer. */
  coverage: { pairs: number; share: number };
}

/** The joins section from the newcomers' connection records and every node's first receipts. */
export function gossipJoins(initialNodes: number, joinAtMs: readonly number[], firstMs: Float64Array, fullMs: Float64Array, n: number, createdMs: readonly number[], hops: Int32Array): GossipJoinsSection {
  const c = connections(initialNodes, joinAtMs, firstMs, fullMs);
  let pairs = 0;
  let reached = 0;
  joinAtMs.forEach((at, i) => {
    const v = initialNodes + i;
    createdMs.forEach((created, m) => {
      if (created < at) return;
      pairs++;
      if (hops[m * n + v]! >= 0) reached++;
    });
  });
  return { ...c, synced: c.connected, neverSynced: c.neverConnected, syncMs: c.firstConnectionMs, coverage: { pairs, share: pairs ? reached / pairs : 0 } };
}

export interface MessageStats {
  origin: number;
  createdMs: number;
  /** Fraction of all nodes that received the message. */
  coverage: number;
  /** Fraction of the nodes online when it was created that received it (= coverage without faults). */
  coverageOnline: number;
  reached: number;
  /** Time from creation until that fraction of all nodes had it; null if never. */
  t50Ms: number | null;
  t90Ms: number | null;
  t99Ms: number | null;
  t100Ms: number | null;
  maxHops: number;
  meanHops: number;
  /** Copies received / nodes reached (1 would be a perfect spanning tree). */
  redundancy: number;
}

export interface Fairness {
  /** Jain's index of each node's mean receipt delay over the messages it got: 1 = all equal. */
  jain: number;
  p50Ms: number;
  p99Ms: number;
  p99OverP50: number;
}


export function messageStats(
  n: number,
  origin: readonly number[],
  createdMs: readonly number[],
  firstMs: Float64Array,
  hops: Int32Array,
  copies: readonly number[],
  online: OnlineAt | null = null,
  /** The nodes measured, ids 0 .. honest - 1: an eavesdropper's connections are nodes but not measured. */
  honest = n,
): MessageStats[] {
  return origin.map((o, m) => {
    const delays = new Float64Array(honest);
    let reached = 0;
    let hopSum = 0;
    let maxHops = 0;
    const [up, reachedUp] = onlineCoverage(honest, createdMs[m]!, online, (v) => hops[m * n + v]! >= 0);
    for (let v = 0; v < honest; v++) {
      const h = hops[m * n + v]!;
      if (h < 0) continue;
      delays[reached++] = firstMs[m * n + v]! - createdMs[m]!;
      hopSum += h;
      if (h > maxHops) maxHops = h;
    }
    const [t50Ms, t90Ms, t99Ms, t100Ms] = timesToFractions(delays.subarray(0, reached), honest, [0.5, 0.9, 0.99, 1]);
    return {
      origin: o,
      createdMs: createdMs[m]!,
      coverage: reached / honest,
      coverageOnline: up ? reachedUp / up : 0,
      reached,
      t50Ms,
      t90Ms,
      t99Ms,
      t100Ms,
      maxHops,
      meanHops: reached ? hopSum / reached : 0,
      redundancy: reached ? copies[m]! / reached : 0,
    };
  });
}



export function fairness(n: number, createdMs: readonly number[], firstMs: Float64Array, hops: Int32Array, honest = n): Fairness {
  const means = new Float64Array(honest);
  let k = 0;
  for (let v = 0; v < honest; v++) {
    let sum = 0;
    let got = 0;
    for (let m = 0; m < createdMs.length; m++) {
      if (hops[m * n + v]! < 0) continue;
      sum += firstMs[m * n + v]! - createdMs[m]!;
      got++;
    }
    if (got > 0) means[k++] = sum / got;
  }
  const x = means.subarray(0, k);
  let s1 = 0;
  let s2 = 0;
  for (let i = 0; i < k; i++) {
    s1 += x[i]!;
    s2 += x[i]! * x[i]!;
  }
  // Two ranks by selection, not a sort: at 10^6 nodes the sort took about 0.1 s after simulating.
  const [p50, p99] = k ? valuesAtRanks(x, [quantileRank(k, 0.5), quantileRank(k, 0.99)]) : [0, 0];
  return { jain: s2 > 0 ? (s1 * s1) / (k * s2) : 1, p50Ms: p50, p99Ms: p99, p99OverP50: p50 > 0 ? p99 / p50 : 1 };
}



