// The smallest delays a model's link can give: the lookahead and the event queue's bucket width come
// from them, in the coordinator and in the visualizer's one-shard host alike.
import type { Plan } from './registry.js';
import { modelOf } from './registry.js';

/**
 * The smallest delay a message can have between regions `a` and `b` for every pair that `counts`:
 * over the pairs that can cross shards it is the conservative lookahead.
 */
export function smallestDelay(plan: Plan, region: Uint8Array, regionCount: number, counts: (a: number, b: number) => boolean): number {
  const link = modelOf(plan).link(plan, region);
  let min = Infinity;
  for (let a = 0; a < regionCount; a++) {
    for (let b = 0; b < regionCount; b++) if (counts(a, b)) min = Math.min(min, link.floor(a, b));
  }
  return min;
}

/** Buckets as wide as the smallest delay: narrower would waste turns of the ring, wider grows each sort. */
export function bucketWidth(plan: Plan, region: Uint8Array, regionCount: number): number {
  const min = smallestDelay(plan, region, regionCount, () => true);
  return min > 0 && Number.isFinite(min) ? min : 1;
}
