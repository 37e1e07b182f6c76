// Which region each node sits in. Counts are exact rather than drawn, so a scenario that says "30 % in
// Europe" gets exactly that on every seed and the latency mix does not wander between replications;
// the placement is then shuffled, so region is independent of node id (and of the contiguous shards).
import { InputError } from '../errors.js';
import { scenarioStream } from '../rng.js';
import { sharedUint8 } from '../engine/shared-memory.js';

/** Node id -> region index, SharedArrayBuffer-backed. */
export function assignRegions(n: number, shares: readonly number[], seed: number): Uint8Array {
  const region = sharedUint8(n);
  if (shares.length <= 1) return region;
  const counts = regionCounts(n, shares);
  let v = 0;
  for (let r = 0; r < counts.length; r++) for (let c = counts[r] as number; c > 0; c--) region[v++] = r;
  const rnd = scenarioStream(seed, 'regions');
  for (let i = n - 1; i > 0; i--) {
    const j = Math.floor(rnd() * (i + 1));
    const t = region[i] as number;
    region[i] = region[j] as number;
    region[j] = t;
  }
  return region;
}

/**
 * Nodes per region by the largest-remainder (Hamilton) method: each region gets the floor of its quota
 * n * share / sum, and the nodes left over go one each to the largest fractional parts, ties to the
 * lower region index.
 */
export function regionCounts(n: number, shares: readonly number[]): number[] {
  if (shares.length > 256) throw new InputError('latency.regions', `at most 256 regions, got ${shares.length}`);
  let sum = 0;
  for (const s of shares) {
    if (!(s >= 0 && Number.isFinite(s))) throw new InputError('latency.regions', `shares must be >= 0, got ${s}`);
    sum += s;
  }
  if (!(sum > 0)) throw new InputError('latency.regions', 'at least one region must have a share > 0');
  const counts = shares.map((s) => Math.floor((n * s) / sum));
  let left = n - counts.reduce((a, b) => a + b, 0);
  const order = shares
    .map((s, r) => ({ r, frac: (n * s) / sum - Math.floor((n * s) / sum) }))
    .sort((a, b) => b.frac - a.frac || a.r - b.r);
  for (let i = 0; left > 0; i = (i + 1) % order.length, left--) {
    const r = (order[i] as { r: number }).r;
    counts[r] = (counts[r] as number) + 1;
  }
  return counts;
}
