// --trace keeps a bounded number of spans by merging neighbours; merging must keep every window's time.
import { describe, expect, it } from 'vitest';
import { SpanLog } from '../src/engine/spans.js';

describe('span log coalescing', () => {
  it('keeps at most `max` spans, the first start, and the total busy and wait time of every window', () => {
    const log = new SpanLog(64);
    let busy = 0;
    let wait = 0;
    for (let w = 0; w < 10_000; w++) {
      const b = 1 + (w % 7);
      const x = (w % 3) * 0.5;
      log.add(1000 + 10 * w, b, x);
      busy += b;
      wait += x;
    }
    const a = log.toArray();
    const spans = a.length / 3;
    expect(spans).toBeLessThanOrEqual(64);
    expect(spans).toBeGreaterThan(16); // halving never leaves fewer than max / 4
    expect(a[0]).toBe(1000);
    let sb = 0;
    let sw = 0;
    for (let i = 0; i < a.length; i += 3) {
      sb += a[i + 1]!;
      sw += a[i + 2]!;
      if (i > 0) expect(a[i]!).toBeGreaterThan(a[i - 3]!); // starts stay in order
    }
    expect(sb).toBe(busy);
    expect(sw).toBe(wait);
  });

  it('keeps every window while there is room', () => {
    const log = new SpanLog(8);
    for (let w = 0; w < 5; w++) log.add(w, 2, 1);
    expect(Array.from(log.toArray())).toEqual([0, 2, 1, 1, 2, 1, 2, 2, 1, 3, 2, 1, 4, 2, 1]);
  });
});
