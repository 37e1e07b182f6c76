// Each run's seed, from the sweep's seed, the cell and the replication alone (docs/sweeps.md, "Seeds").
// It hashes the cell's values, not its position, so adding a value to an axis or reordering the axes
// leaves every existing run's seed, and so its result file, as it was.
import { createHash } from 'node:crypto';
import { canonicalJson } from './paths.js';

/** A cell as the path -> value pairs its axes set. */
export type CellValues = Readonly<Record<string, unknown>>;

/**
 * seed = the first 4 bytes, big-endian, of SHA-256 over the canonical JSON (keys sorted at every depth)
 * of `{"cell": {path: value, ...}, "replication": r, "seed": S}`: an integer in 0 … 2³² − 1, which is
 * the range a scenario's seed takes.
 */
export function runSeed(sweepSeed: number, cell: CellValues, replication: number): number {
  const digest = createHash('sha256').update(canonicalJson({ cell, replication, seed: sweepSeed })).digest();
  return digest.readUInt32BE(0);
}
