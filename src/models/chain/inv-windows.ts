// How a transaction message names its transactions (tx-relay.ts): a message carries two int32 fields,
// so it names a window of WINDOW consecutive ids: the first in `a`'s low BASE_BITS bits (the plan
// allows at most 1,000,000 transactions), a bitmask of the window in `b` (offsets 0-31) and in `a`'s
// bits 20-30 (offsets 32-42).
import { doubled } from '../../engine/typed-arrays.js';

/** Transactions per message window: the 32 bits of `b` and 11 of `a`. */
export const WINDOW = 43;
export const BASE_BITS = 20;
export const BASE_MASK = (1 << BASE_BITS) - 1;

/** Packs a set of transaction ids into windows, greedily from the smallest id. */
export class WindowPacker {
  /** Each window's fields: `a` at 2i, `b` at 2i + 1. */
  out: Int32Array = new Int32Array(16);

  /** Windows for `ids[0..n)` (distinct, any order, n >= 1), into `out`; sorts `ids`; returns how many. */
  pack(ids: Int32Array, n: number): number {
    // A node's queue is in arrival order, close to id order: an insertion sort is about linear here.
    // (A bitmap of the ids' span instead was no faster on the transaction load: 8 interleaved pairs.)
    for (let i = 1; i < n; i++) {
      const x = ids[i]!;
      let j = i - 1;
      for (; j >= 0 && ids[j]! > x; j--) ids[j + 1] = ids[j]!;
      ids[j + 1] = x;
    }
    let count = 0;
    for (let i = 0; i < n; count++) {
      const base = ids[i]!;
      let low = 0;
      let high = 0;
      for (; i < n && ids[i]! - base < WINDOW; i++) {
        const off = ids[i]! - base;
        if (off < 32) low |= 1 << off;
        else high |= 1 << (off - 32);
      }
      if (2 * count + 2 > this.out.length) this.out = doubled(this.out);
      this.out[2 * count] = base | (high << BASE_BITS);
      this.out[2 * count + 1] = low;
    }
    return count;
  }
}

/** The transaction ids of a window (a, b), in increasing order, into `ids`; returns how many. */
export function unpackWindow(a: number, b: number, ids: Int32Array): number {
  const base = a & BASE_MASK;
  let n = 0;
  for (let m = b; m !== 0; m &= m - 1) ids[n++] = base + 31 - Math.clz32(m & -m);
  for (let m = a >>> BASE_BITS; m !== 0; m &= m - 1) ids[n++] = base + 63 - Math.clz32(m & -m);
  return n;
}

/** How many transactions a window names. */
export function windowCount(a: number, b: number): number {
  return popcount(a >>> BASE_BITS) + popcount(b);
}

function popcount(x: number): number {
  let c = 0;
  for (let m = x; m !== 0; m &= m - 1) c++;
  return c;
}
