// Reassembling per-node records from the shards into global node order (models/outcomes.ts), on
// hand-made shards: two records (rows) of 4 nodes.
import { describe, expect, it } from 'vitest';
import { gather } from '../src/models/outcomes.js';
import type { ModelOutcome } from '../src/engine/model.js';

const outcome = (values: number[]): ModelOutcome => ({ perNode: { x: Float64Array.from(values) }, totals: {} });

describe('gather: per-node records in global node order', () => {
  // Row r of node v holds 10 r + v, so the result must read 0 1 2 3 | 10 11 12 13.
  const want = [0, 1, 2, 3, 10, 11, 12, 13];

  it('two shards, nodes interleaved: each local row goes to its members’ places', () => {
    const out = gather<Float64Array>('x', 4, [outcome([0, 2, 10, 12]), outcome([1, 3, 11, 13])], [Int32Array.from([0, 2]), Int32Array.from([1, 3])]);
    expect(Array.from(out)).toEqual(want);
  });

  it('one shard holding the nodes out of order is copied into order', () => {
    const local = outcome([3, 1, 2, 0, 13, 11, 12, 10]);
    const out = gather<Float64Array>('x', 4, [local], [Int32Array.from([3, 1, 2, 0])]);
    expect(Array.from(out)).toEqual(want);
    expect(out).not.toBe(local.perNode.x);
  });

  it('one shard holding every node in order is handed back without a copy', () => {
    const local = outcome(want);
    const out = gather<Float64Array>('x', 4, [local], [Int32Array.from([0, 1, 2, 3])]);
    expect(out).toBe(local.perNode.x);
    expect(Array.from(out)).toEqual(want);
  });
});
