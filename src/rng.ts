// Scenario streams (docs/architecture.md, "Randomness"): topology, regions, workload and placement are
// drawn once, on one thread, before the run, from seedrandom's Alea keyed by (seed, purpose), so adding a
// purpose never shifts another's numbers. The node streams drawn inside handlers are the engine's
// (engine/node-streams.ts).
import seedrandom from 'seedrandom';
import { log } from './math.js';

export type Stream = () => number;

export function scenarioStream(seed: number, purpose: string): Stream {
  const alea = seedrandom.alea(`p2psim:${seed}:${purpose}`);
  return () => alea.double();
}

/**
 * Exponential variate with the given mean from a uniform in [0, 1). The logarithm is src/math.ts's:
 * the same bits in the CLI and in any browser running the visualizer.
 */
export function exponential(u: number, mean: number): number {
  return -log(1 - u) * mean;
}
