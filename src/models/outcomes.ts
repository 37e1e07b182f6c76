// Merging the shards' outcomes after a run: per-node rows back into global node order, totals summed
// or maximized, and the digest. Nothing here reads a shard's live state.
import { createHash } from 'node:crypto';
import type { ModelOutcome, PerNodeArray } from '../engine/model.js';

/**
 * Reassembles one per-node key from every shard into global node order (row-major by record). One shard
 * holding every node in order already has that order: its array is returned, not copied. Per (item,
 * node) records are a run's largest (1 GB of transaction receipts in an hour of Bitcoin's load), and a
 * copy doubled the peak after the run.
 */
export function gather<T extends PerNodeArray, K extends string = string>(key: K, n: number, outcomes: readonly ModelOutcome<K, string, string>[], members: readonly Int32Array[]): T {
  const first = outcomes[0]!.perNode[key];
  if (outcomes.length === 1 && inOrder(members[0]!, n)) return first as T;
  const rows = first.length / Math.max(1, members[0]!.length);
  const out = new (first.constructor as new (len: number) => T)(rows * n);
  outcomes.forEach((o, s) => {
    const local = o.perNode[key];
    const ids = members[s]!;
    const k = ids.length;
    for (let r = 0; r < rows; r++) {
      for (let i = 0; i < k; i++) out[r * n + ids[i]!] = local[r * k + i]!;
    }
  });
  return out;
}

/** Whether `ids` is 0, 1, ..., n - 1. */
function inOrder(ids: Int32Array, n: number): boolean {
  if (ids.length !== n) return false;
  for (let i = 0; i < n; i++) if (ids[i] !== i) return false;
  return true;
}

export function sha256(...arrays: ArrayBufferView[]): string {
  const h = createHash('sha256');
  for (const a of arrays) h.update(new Uint8Array(a.buffer, a.byteOffset, a.byteLength));
  return h.digest('hex');
}

/** A total merged over shards: summed (ModelOutcome.totals). */
export function sumTotals<K extends string>(key: K, outcomes: readonly ModelOutcome<string, K, string>[]): number[] {
  const sum = outcomes[0]!.totals[key].map(() => 0);
  for (const o of outcomes) o.totals[key].forEach((x, i) => (sum[i]! += x));
  return sum;
}

/** A maximum merged over shards (ModelOutcome.maxima). */
export function maxTotals<K extends string>(key: K, outcomes: readonly ModelOutcome<string, string, K>[]): number[] {
  const max = outcomes[0]!.maxima![key].map(() => -Infinity);
  for (const o of outcomes) o.maxima![key].forEach((x, i) => (max[i] = Math.max(max[i]!, x)));
  return max;
}
