// Observers on hand-computed cases: times to a fraction of all nodes, hops, redundancy, Jain's index.
import { describe, expect, it } from 'vitest';
import { fairness, messageStats } from '../src/models/gossip/metrics.js';
import { timeToFraction } from '../src/models/stats.js';

describe('metrics', () => {
  it('time to a fraction counts all nodes, not only those reached', () => {
    const sorted = Float64Array.from([0, 10, 20, 30]); // 4 of 5 nodes reached
    expect(timeToFraction(sorted, 5, 0.5)).toBe(20); // ceil(2.5) = 3rd node
    expect(timeToFraction(sorted, 5, 0.8)).toBe(30);
    expect(timeToFraction(sorted, 5, 1)).toBeNull();
    expect(timeToFraction(sorted, 4, 1)).toBe(30);
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
