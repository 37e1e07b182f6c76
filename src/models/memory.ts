// What a model's memory estimate (ModelDefinition.memory) shares: the figures of the network it runs on
// that its own state depends on. The estimate is a rough, calibrated peak: docs/benchmarks.md, "Memory",
// compares it with measured peak RSS.
import type { NetworkPlan } from '../scenario/network-plan.js';
import { exp, log } from '../math.js';

/** A model's share of the run's peak memory, and the field a user would change to shrink it. */
export interface MemoryEstimate {
  readonly bytes: number;
  readonly driver: MemoryDriver;
}

export interface MemoryDriver {
  /** The scenario field that drives the estimate (`workload.count`), or '' when it is the node count. */
  readonly field: string;
  /** What it is, in words: "500 broadcasts at once on 100,000 nodes". */
  readonly why: string;
}

/** Edges per node, both directions (a CSR row's length on average). */
export function meanDegree(p: NetworkPlan): number {
  const t = p.topology;
  switch (t.kind) {
    case 'ring':
      return 2 * t.k;
    case 'random-regular':
      return t.degree;
    case 'erdos-renyi':
      return t.meanDegree;
    case 'bitcoin':
      return 2 * (t.outboundDistribution ? 8.645 : t.outbound);
    case 'small-world':
      return t.degree;
    case 'scale-free':
      return 2 * t.m;
    case 'edge-list':
      return 8; // unknown before the file is read; the coordinator counts its bytes
  }
}

/** The mean one-hop delay, ms: what sets how long a broadcast or a block takes to cross the network. */
export function meanLatencyMs(p: NetworkPlan): number {
  const l = p.latency;
  switch (l.kind) {
    case 'constant':
      return l.ms;
    case 'uniform':
      return (l.minMs + l.maxMs) / 2;
    case 'lognormal':
      return Math.max(l.minMs, exp(l.mu + (l.sigma * l.sigma) / 2));
    case 'regions':
      return l.matrixMs.reduce((a, b) => a + b, 0) / Math.max(1, l.matrixMs.length);
  }
}

/** Hops from one node to nearly all others: log base (degree - 1) of the nodes, at least 1. */
export function hopsAcross(p: NetworkPlan): number {
  const d = Math.max(2, meanDegree(p) - 1);
  return Math.max(1, Math.ceil(log(p.nodes) / log(d)));
}

/** "100,000": counts in messages, as people write them. */
export function count(n: number): string {
  return Math.round(n).toLocaleString('en-US');
}

/** The most creation times within any `spanMs` of each other: the broadcasts (or transactions) spreading at once. */
export function inFlight(createdMs: readonly number[], spanMs: number): number {
  const t = Float64Array.from(createdMs).sort();
  let most = 0;
  for (let lo = 0, hi = 0; hi < t.length; hi++) {
    while (t[hi]! - t[lo]! > spanMs) lo++;
    most = Math.max(most, hi - lo + 1);
  }
  return most;
}
