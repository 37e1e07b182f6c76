// A newcomer's address table, Bitcoin Core's addrman simplified (docs/scenario.md, "Joins and
// bootstrap"): "new" holds addresses heard of, "tried" those it once connected to. Both are bounded;
// a full table replaces a random entry (addrman evicts within a hashed bucket, which is as good as
// random here, since no adversary chooses addresses), and an address evicted from "tried" goes back to
// "new", as in addrman. A connection is opened to a tried or a new address with equal chance.
// Buckets, the per-source grouping and the "terrible address" heuristics are left out.
export class AddressTable {
  private readonly fresh: Int32Array;
  private readonly good: Int32Array;
  private freshCount = 0;
  private goodCount = 0;

  constructor(newSize: number, triedSize: number) {
    this.fresh = new Int32Array(newSize);
    this.good = new Int32Array(triedSize);
  }

  size(): number {
    return this.freshCount + this.goodCount;
  }

  /** Heard of `w` (u: a uniform draw, for the slot a full table replaces). */
  add(w: number, u: number): void {
    if (indexOf(this.fresh, this.freshCount, w) >= 0 || indexOf(this.good, this.goodCount, w) >= 0) return;
    if (this.freshCount < this.fresh.length) this.fresh[this.freshCount++] = w;
    else this.fresh[Math.floor(u * this.fresh.length)] = w;
  }

  /** Connected to `w`: it moves to "tried". */
  tried(w: number, u: number): void {
    this.freshCount = without(this.fresh, this.freshCount, w);
    if (indexOf(this.good, this.goodCount, w) >= 0) return;
    if (this.goodCount < this.good.length) {
      this.good[this.goodCount++] = w;
      return;
    }
    const slot = Math.floor(u * this.good.length);
    const evicted = this.good[slot]!;
    this.good[slot] = w;
    this.add(evicted, u);
  }

  /** `w` never answered: forget it. */
  remove(w: number): void {
    this.freshCount = without(this.fresh, this.freshCount, w);
    this.goodCount = without(this.good, this.goodCount, w);
  }

  /** A tried or a new address with equal chance (the other when one is empty); -1 when there is none. */
  random(u1: number, u2: number): number {
    if (this.size() === 0) return -1;
    const fromTried = this.goodCount > 0 && (this.freshCount === 0 || u1 < 0.5);
    return fromTried ? this.good[Math.floor(u2 * this.goodCount)]! : this.fresh[Math.floor(u2 * this.freshCount)]!;
  }
}

function indexOf(a: Int32Array, count: number, w: number): number {
  for (let i = 0; i < count; i++) if (a[i] === w) return i;
  return -1;
}

/** Removes `w` keeping the order of the rest (draws index by position); returns the new count. */
function without(a: Int32Array, count: number, w: number): number {
  const i = indexOf(a, count, w);
  if (i < 0) return count;
  a.copyWithin(i, i + 1, count);
  return count - 1;
}
