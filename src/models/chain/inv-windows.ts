// How a transaction message names its transactions (tx-relay.ts): a message carries two int32 fields,
// so it names a window of WINDOW consecutive ids: the first in `a`'s low BASE_BITS bits (the plan
// allows at most 1,000,000 transactions), a bitmask of the window in `b` (offsets 0-31) and in `a`'s
// bits 20-30 (offsets 32-42).

/** Transactions per message window: the 32 bits of `b` and 11 of `a`. */
export const WINDOW = 43;
export const BASE_BITS = 20;
export const BASE_MASK = (1 << BASE_BITS) - 1;
const HIGH_MASK = (1 << (WINDOW - 32)) - 1;

/** Packs a set of transaction ids into windows, greedily from the smallest id. */
export class WindowPacker {
  /** Each window's fields: `a` at 2i, `b` at 2i + 1. */
  out: Int32Array = new Int32Array(16);
  // A bitmap of the ids' span, all zero between calls. Why not a sort: a node's queue is in arrival
  // order, tens of ids out of id order, and the insertion sort was a sixth of a tick.
  private bits = new Int32Array(64);

  /** Windows for `ids[0..n)` (distinct, any order, n >= 1), into `out`; returns how many. */
  pack(ids: Int32Array, n: number): number {
    let lo = ids[0]!;
    let hi = lo;
    for (let i = 1; i < n; i++) {
      const x = ids[i]!;
      if (x < lo) lo = x;
      else if (x > hi) hi = x;
    }
    // Two spare words: a window read at the span's end looks past it, at zeros.
    const last = (hi - lo) >>> 5;
    if (this.bits.length < last + 3) this.bits = new Int32Array(2 * (last + 3));
    const bits = this.bits;
    for (let i = 0; i < n; i++) {
      const off = ids[i]! - lo;
      bits[off >>> 5] |= 1 << (off & 31);
    }
    let count = 0;
    for (let from = 0; ; ) {
      // The next id at or after offset `from`.
      let w = from >>> 5;
      let word = w <= last ? bits[w]! & (-1 << (from & 31)) : 0;
      while (word === 0 && w < last) word = bits[++w]!;
      if (word === 0) break;
      const at = (w << 5) + 31 - Math.clz32(word & -word);
      if (2 * count + 2 > this.out.length) this.out = doubledInts(this.out);
      this.out[2 * count] = (lo + at) | ((bitsAt(bits, at + 32) & HIGH_MASK) << BASE_BITS);
      this.out[2 * count + 1] = bitsAt(bits, at);
      count++;
      from = at + WINDOW;
    }
    for (let i = 0; i < n; i++) bits[(ids[i]! - lo) >>> 5] = 0;
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

/** The 32 bits of `bits` from bit `at` on, as an int32. */
function bitsAt(bits: Int32Array, at: number): number {
  const w = at >>> 5;
  const shift = at & 31;
  return shift === 0 ? bits[w]! : (bits[w]! >>> shift) | (bits[w + 1]! << (32 - shift));
}

function doubledInts(a: Int32Array): Int32Array {
  const b = new Int32Array(2 * a.length);
  b.set(a);
  return b;
}

function popcount(x: number): number {
  let c = 0;
  for (let m = x; m !== 0; m &= m - 1) c++;
  return c;
}
