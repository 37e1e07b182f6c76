// Per-window busy/wait spans for --trace. A long run has millions of windows, so when the log is full
// every pair of neighbouring spans is merged into one and later windows are merged in pairs as they
// come: the trace keeps the whole run at a coarser grain and stays a bounded size.
export class SpanLog {
  private readonly data: Float64Array;
  private count = 0;
  /** Windows per span; doubles at each merge. */
  private grain = 1;
  private pending = 0;

  private readonly max: number;

  constructor(max: number) {
    this.max = Math.max(2, max & ~1); // even, so halving never drops a span
    this.data = new Float64Array(3 * this.max);
  }

  add(start: number, busy: number, wait: number): void {
    const d = this.data;
    if (this.pending > 0) {
      const o = 3 * (this.count - 1);
      d[o + 1] = d[o + 1]! + busy;
      d[o + 2] = d[o + 2]! + wait;
      this.pending--;
      return;
    }
    if (this.count === this.max) this.halve();
    const o = 3 * this.count++;
    d[o] = start;
    d[o + 1] = busy;
    d[o + 2] = wait;
    this.pending = this.grain - 1;
  }

  private halve(): void {
    const d = this.data;
    const half = this.count >> 1;
    for (let i = 0; i < half; i++) {
      const a = 6 * i;
      d[3 * i] = d[a]!;
      d[3 * i + 1] = d[a + 1]! + d[a + 4]!;
      d[3 * i + 2] = d[a + 2]! + d[a + 5]!;
    }
    this.count = half;
    this.grain *= 2;
  }

  toArray(): Float64Array {
    return this.data.slice(0, 3 * this.count);
  }
}
