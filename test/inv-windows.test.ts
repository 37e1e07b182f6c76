// Transaction messages name windows of 43 consecutive ids (inv-windows.ts). Packing a set of ids must
// give the windows a sort would: from the smallest id, each window everything within 43 of its first
// id, the next one starting at the smallest id left; unpacking gives the ids back.
import { describe, expect, it } from 'vitest';
import { BASE_MASK, WINDOW, WindowPacker, unpackWindow, windowCount } from '../src/models/chain/inv-windows.js';
import { mulberry32 } from './mulberry32.js';

/** The windows by a sort, as lists of ids: the reference. */
function sortedWindows(ids: number[]): number[][] {
  const sorted = [...ids].sort((a, b) => a - b);
  const out: number[][] = [];
  for (let i = 0; i < sorted.length; ) {
    const w: number[] = [];
    const base = sorted[i]!;
    for (; i < sorted.length && sorted[i]! - base < WINDOW; i++) w.push(sorted[i]!);
    out.push(w);
  }
  return out;
}

describe('transaction windows', () => {
  it('pack any set of ids, in any order, into the windows a sort gives, and unpack to the same ids', () => {
    const rnd = mulberry32(3);
    const packer = new WindowPacker();
    const back = new Int32Array(WINDOW);
    const wrong: string[] = [];
    for (let trial = 0; trial < 3000; trial++) {
      // Dense runs, sparse spans up to 10^6, ids on word and window edges: sizes 1 to 200.
      const n = 1 + Math.floor(rnd() * 200);
      const spread = [40, 64, 500, 20_000, 999_000][trial % 5]!;
      const start = Math.floor(rnd() * (1_000_000 - spread));
      const set = new Set<number>();
      while (set.size < Math.min(n, spread)) set.add(start + Math.floor(rnd() * spread));
      const ids = [...set];
      const count = packer.pack(Int32Array.from(ids), ids.length);
      const got: number[][] = [];
      for (let i = 0; i < count; i++) {
        const a = packer.out[2 * i]!;
        const b = packer.out[2 * i + 1]!;
        const k = unpackWindow(a, b, back);
        if (k !== windowCount(a, b)) wrong.push(`trial ${trial}: count ${windowCount(a, b)} for ${k} ids`);
        if (back[0] !== (a & BASE_MASK)) wrong.push(`trial ${trial}: window starts at ${back[0]}, base ${a & BASE_MASK}`);
        got.push(Array.from(back.subarray(0, k)));
      }
      const want = sortedWindows(ids);
      if (JSON.stringify(got) !== JSON.stringify(want)) wrong.push(`trial ${trial}: ${JSON.stringify(got).slice(0, 80)} != ${JSON.stringify(want).slice(0, 80)}`);
    }
    expect(wrong.slice(0, 3)).toEqual([]);
  });
});
