// src/portable-log.ts: fdlibm's logarithm in plain arithmetic, which the engine's exponential draws use
// so a run in the visualizer's page (a browser's V8) gives the CLI's digest. It must be bit-identical to
// the Math.log of the Node the CLI runs on, or every run with exponential delays would change.
import { describe, expect, it } from 'vitest';

const { log } = (await import('../dist/src/portable-log.js' as string)) as typeof import('../src/portable-log.js');

describe('portable log', () => {
  it('is bit-identical to Math.log on edge cases and a million arguments over the whole range', () => {
    const edges = [0, -0, -1, NaN, Infinity, -Infinity, 1, 2, 0.5, Math.E, 5e-324, 2.2250738585072014e-308, 1e-310, Number.MAX_VALUE, 1 - 2 ** -53, 1 + 2 ** -52, 1 - 2 ** -21, 1 + 2 ** -21];
    for (const v of edges) expect(Object.is(log(v), Math.log(v)), `log(${v})`).toBe(true);
    let x = 0x2545f491;
    let differ = 0;
    for (let i = 0; i < 200_000; i++) {
      x = (Math.imul(x ^ (x >>> 13), 0x5bd1e995) + i) >>> 0;
      const u = x / 4294967296;
      for (const v of [u, 1 - u, u * 1e6, u * 1e-300, 1 + u * 1e-6]) if (!Object.is(log(v), Math.log(v))) differ++;
    }
    expect(differ).toBe(0);
  });
});
