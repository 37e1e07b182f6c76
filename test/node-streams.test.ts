// Per-node random streams (docs/architecture.md, "Randomness"): a node's draws depend on (seed, node, purpose, draw number) only,
// never on the shard or row that holds the node, and they look uniform and independent.
import { describe, expect, it } from 'vitest';
import { NODE_PURPOSES, NodeStreams, nodeUniform } from '../src/engine/node-streams.js';

describe('per-node streams', () => {
  it('give the same draws for a node whatever its row in a shard', () => {
    const a = new NodeStreams(7, 10);
    const b = new NodeStreams(7, 1000);
    for (let k = 0; k < 50; k++) expect(a.next(3, 12345, 0)).toBe(b.next(999, 12345, 0));
  });

  it('give draw k of (node, purpose) as the pure function does, whatever draws, purposes and sequence numbers come between', () => {
    // The stream keeps the hash each of a node's draws starts from, and the link's beside the node's
    // sequence number: interleaving must not mix them up.
    const s = new NodeStreams(11, 5);
    const drawn = new Map<string, number>();
    const seqs = new Array<number>(5).fill(0);
    for (let i = 0; i < 2000; i++) {
      const local = (i * 7) % 5;
      const node = 1000 + local * 3;
      const purpose = (i * 3) % NODE_PURPOSES;
      const key = `${node}/${purpose}`;
      const k = drawn.get(key) ?? 0;
      drawn.set(key, k + 1);
      expect(s.next(local, node, purpose)).toBe(nodeUniform(11, node, purpose, k));
      if (i % 3 !== 0) expect(s.seq(local)).toBe(seqs[local]!++);
    }
    expect(drawn.size).toBe(5 * NODE_PURPOSES);
    expect(Math.min(...seqs)).toBeGreaterThan(200);
  });

  it('differ between seeds, nodes and purposes', () => {
    const s = new NodeStreams(7, 4);
    const t = new NodeStreams(8, 4);
    const x = [s.next(0, 1, 0), s.next(1, 2, 0), s.next(2, 1, 1), t.next(3, 1, 0)];
    expect(new Set(x).size).toBe(4);
  });

  it('are uniform on [0, 1): chi-square over 20 bins, across many nodes and draws', () => {
    const s = new NodeStreams(42, 1000);
    const bins = new Array<number>(20).fill(0);
    const n = 200_000;
    let lo = 1;
    let hi = 0;
    for (let i = 0; i < n; i++) {
      const u = s.next(i % 1000, i % 1000, 0);
      lo = Math.min(lo, u);
      hi = Math.max(hi, u);
      bins[Math.floor(u * 20)]!++;
    }
    expect(lo).toBeGreaterThanOrEqual(0);
    expect(hi).toBeLessThan(1);
    const e = n / 20;
    const chi2 = bins.reduce((acc, o) => acc + ((o - e) * (o - e)) / e, 0);
    // 19 degrees of freedom: P(chi2 > 43.8) = 0.001.
    expect(chi2).toBeLessThan(43.8);
  });

  it('have no correlation between neighbouring nodes or successive draws', () => {
    const s = new NodeStreams(3, 20_001);
    const n = 20_000;
    const cur = Float64Array.from({ length: n + 1 }, (_, v) => s.next(v, v, 0));
    const nxt = Float64Array.from({ length: n }, (_, v) => s.next(v, v, 0));
    const corr = (x: Float64Array, y: Float64Array) => {
      let sx = 0, sy = 0, sxy = 0, sxx = 0, syy = 0;
      for (let i = 0; i < n; i++) {
        sx += x[i]!; sy += y[i]!; sxy += x[i]! * y[i]!; sxx += x[i]! * x[i]!; syy += y[i]! * y[i]!;
      }
      return (n * sxy - sx * sy) / Math.sqrt((n * sxx - sx * sx) * (n * syy - sy * sy));
    };
    // Under independence the sample correlation has standard deviation 1/sqrt(n); allow 4 of them.
    const bound = 4 / Math.sqrt(n);
    expect(Math.abs(corr(cur.subarray(0, n), cur.subarray(1, n + 1)))).toBeLessThan(bound);
    expect(Math.abs(corr(cur.subarray(0, n), nxt))).toBeLessThan(bound);
  });
});
