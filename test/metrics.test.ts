// Observers on hand-computed cases: times to a fraction of all nodes, hops, redundancy, Jain's index.
import { describe, expect, it } from 'vitest';
import { fairness, messageStats } from '../src/models/gossip/metrics.js';
import { quantile, quantileRank, timesToFractions, valuesAtRanks } from '../src/models/stats.js';
import { mulberry32 } from './mulberry32.js';

describe('metrics', () => {
  it('time to a fraction counts all nodes, not only those reached', () => {
    const reached = () => Float64Array.from([30, 0, 20, 10]); // 4 of 5 nodes reached, in any order
    // 0.5 of 5: ceil(2.5) = the 3rd receipt; 0.8: the 4th; all 5: never.
    expect(timesToFractions(reached(), 5, [0.5, 0.8, 1])).toEqual([20, 30, null]);
    expect(timesToFractions(reached(), 4, [0.25, 1])).toEqual([0, 30]);
  });

  it('times to fractions by selection agree with reading them off the sorted delays', () => {
    const rnd = mulberry32(3);
    const fractions = [0.01, 0.5, 0.9, 0.95, 0.99, 1];
    for (let trial = 0; trial < 300; trial++) {
      const n = 1 + Math.floor(rnd() * 2000);
      const reached = Math.floor(rnd() * (n + 1));
      // Few distinct values in some trials (ties), sorted or reversed input in others.
      const distinct = rnd() < 0.3 ? 1 + Math.floor(rnd() * 4) : 0;
      const d = Float64Array.from({ length: reached }, () => (distinct ? Math.floor(rnd() * distinct) : rnd() * 1000));
      if (trial % 7 === 1) d.sort();
      if (trial % 7 === 2) d.sort().reverse();
      const sorted = Float64Array.from(d).sort();
      const want = fractions.map((f) => {
        const need = Math.max(1, Math.ceil(f * n - 1e-9));
        return need <= reached ? sorted[need - 1]! : null;
      });
      expect(timesToFractions(d, n, fractions), `trial ${trial}`).toEqual(want);
    }
  });

  it('quantiles by selection, ranks repeated included, agree with reading them off the sorted values', () => {
    expect(valuesAtRanks(Float64Array.from([5, 1, 4, 2, 3]), [0, 0, 2, 4, 4])).toEqual([1, 1, 3, 5, 5]);
    const rnd = mulberry32(5);
    const qs = Array.from({ length: 101 }, (_, i) => i / 100);
    for (let trial = 0; trial < 200; trial++) {
      const k = 1 + Math.floor(rnd() * 3000);
      const distinct = rnd() < 0.3 ? 1 + Math.floor(rnd() * 4) : 0;
      const x = Float64Array.from({ length: k }, () => (distinct ? Math.floor(rnd() * distinct) : rnd() * 1000));
      if (trial % 5 === 1) x.sort();
      const sorted = Float64Array.from(x).sort();
      expect(valuesAtRanks(x, qs.map((q) => quantileRank(k, q))), `trial ${trial}`).toEqual(qs.map((q) => quantile(sorted, q)));
    }
  });

  it('per-message statistics on a 5-node hand-made case', () => {
    const nan = NaN;
    // message 0 created at 100: node 2 origin, nodes 0,1,3 reached at 150,160,200; node 4 never.
    const first = Float64Array.from([150, 160, 100, 200, nan]);
    const hops = Int32Array.from([1, 1, 0, 2, -1]);
    const [m] = messageStats(5, [2], [100], first, hops, [6]);
    expect(m).toMatchObject({ origin: 2, coverage: 0.8, reached: 4, t50Ms: 60, t90Ms: null, t100Ms: null, maxHops: 2, meanHops: 1, redundancy: 1.5 });
  });

  it("Jain's index: 1 for equal delays, (sum x)^2 / (n sum x^2) otherwise", () => {
    const first = Float64Array.from([10, 10, 10, 10]);
    const hops = Int32Array.from([1, 1, 1, 1]);
    expect(fairness(4, [0], first, hops).jain).toBe(1);
    // Two messages; per-node mean delays: node 0: (0 + 10) / 2 = 5, node 1: (20 + 40) / 2 = 30, node 2: only m0: 60.
    const f2 = Float64Array.from([0, 20, 60, 10, 40, NaN]);
    const h2 = Int32Array.from([0, 1, 2, 1, 2, -1]);
    const f = fairness(3, [0, 0], f2, h2);
    const x = [5, 30, 60];
    const sum = x.reduce((a, b) => a + b, 0);
    const sq = x.reduce((a, b) => a + b * b, 0);
    expect(f.jain).toBeCloseTo((sum * sum) / (3 * sq), 12);
    expect(f.p50Ms).toBe(30);
    expect(f.p99Ms).toBe(60);
  });
});
