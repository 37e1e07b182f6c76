// The link model against the distributions it claims, and its floors (the lookahead's building blocks)
// against the samples: no sample may ever fall below the floor.
import { describe, expect, it } from 'vitest';
import seedrandom from 'seedrandom';
import type { LinkRandom } from '../src/engine/model.js';
import { makeLink } from '../src/network/link.js';

function rnd(seed: string): LinkRandom {
  const r = seedrandom(seed);
  return { linkUniform: () => r() };
}

describe('link model', () => {
  it('uniform: samples lie in [min, max] with mean (min + max) / 2 within 4 standard errors', () => {
    const link = makeLink({ kind: 'uniform', minMs: 20, maxMs: 80 }, new Uint8Array(2));
    const r = rnd('u');
    const n = 50_000;
    let sum = 0;
    let lo = Infinity;
    let hi = -Infinity;
    for (let i = 0; i < n; i++) {
      const x = link.latency(0, 1, r);
      sum += x;
      lo = Math.min(lo, x);
      hi = Math.max(hi, x);
    }
    expect(lo).toBeGreaterThanOrEqual(link.floor(0, 0));
    expect(hi).toBeLessThanOrEqual(80);
    // Uniform(20, 80): standard deviation 60 / sqrt(12).
    expect(Math.abs(sum / n - 50)).toBeLessThan((4 * 60) / Math.sqrt(12) / Math.sqrt(n));
  });

  it('lognormal: the sample median is the configured median, and minMs is a hard floor', () => {
    const link = makeLink({ kind: 'lognormal', mu: Math.log(100), sigma: 0.5, minMs: 30 }, new Uint8Array(2));
    const r = rnd('l');
    const xs = Float64Array.from({ length: 40_001 }, () => link.latency(0, 1, r)).sort();
    expect(xs[0]).toBeGreaterThanOrEqual(30);
    expect(link.floor(0, 0)).toBe(30);
    // The median of n samples has standard error ~ 1.2533 * sigma_x / sqrt(n) ~ median * sigma * 1.25 / sqrt(n).
    expect(Math.abs(xs[20_000]! - 100)).toBeLessThan((4 * 100 * 0.5 * 1.2533) / Math.sqrt(40_001));
  });

  it('regions, pareto: mean of each pair is its matrix entry (SimBlock), never below entry - 5 ms', () => {
    const region = Uint8Array.from([0, 1]);
    const link = makeLink({ kind: 'regions', matrixMs: [20, 150, 150, 40], distribution: 'pareto', jitter: 0 }, region);
    const r = rnd('p');
    for (const [a, b, mean] of [[0, 0, 20], [0, 1, 150], [1, 1, 40]] as const) {
      // Pareto with shape alpha = 0.2 * mean has infinite variance below alpha = 2, so check the median,
      // x_m * 2^(1/alpha), and the floor instead of the mean.
      const xs = Float64Array.from({ length: 20_001 }, () => link.latency(a, b, r)).sort();
      const xm = mean - 5;
      expect(xs[0]).toBeGreaterThanOrEqual(link.floor(region[a]!, region[b]!));
      expect(link.floor(region[a]!, region[b]!)).toBe(xm);
      const median = xm * 2 ** (1 / (0.2 * mean));
      // The sample median's standard error is 1 / (2 f(m) sqrt(n)), f the Pareto density at the median.
      const f = (0.2 * mean * xm ** (0.2 * mean)) / median ** (0.2 * mean + 1);
      expect(Math.abs(xs[10_000]! - median)).toBeLessThan(4 / (2 * f * Math.sqrt(20_001)));
    }
  });

  it('regions, uniform jitter: samples lie within entry * (1 +- jitter), floor at entry * (1 - jitter)', () => {
    const region = Uint8Array.from([0, 1]);
    const link = makeLink({ kind: 'regions', matrixMs: [10, 100, 120, 30], distribution: 'uniform', jitter: 0.1 }, region);
    const r = rnd('j');
    let lo = Infinity;
    let hi = -Infinity;
    for (let i = 0; i < 20_000; i++) {
      const x = link.latency(1, 0, r);
      lo = Math.min(lo, x);
      hi = Math.max(hi, x);
    }
    expect(link.floor(1, 0)).toBeCloseTo(108, 12);
    expect(lo).toBeGreaterThanOrEqual(link.floor(1, 0));
    expect(hi).toBeLessThanOrEqual(132);
    expect(lo).toBeLessThan(109); // the range is actually used
    expect(hi).toBeGreaterThan(131);
  });
});
