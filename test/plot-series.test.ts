// The compact series a result carries for plots: the receipt-delay distributions (src/models/delays.ts)
// on a hand-made case, and the online timeline (src/faults/timeline.ts) against asking the schedule
// node by node at each sample time. The ring's analytic delays, through a whole run, are in
// test/report-cli.test.ts.
import { describe, expect, it } from 'vitest';
import { delayDistributions, niceWidth } from '../src/models/delays.js';
import { compileFaults, isOnline } from '../src/faults/schedule.js';
import { onlineTimeline } from '../src/faults/timeline.js';
import { faultSchema } from '../src/scenario/network-schema.js';

describe('delayDistributions', () => {
  // 4 nodes, 2 items; NaN = never. Node 3 is in region 1, the rest in region 0.
  //            node:   0    1    2    3
  const table = [
    [0, 100, 250, NaN], // item 0
    [50, 0, NaN, 400], // item 1
  ];
  const d = delayDistributions(4, [0, 1], (m, v) => table[m]![v]!, Uint8Array.from([0, 0, 0, 1]), ['a', 'b']);

  it('counts the receipts and bins them: max 400 over 200 bins -> 2 ms bins, 200 of them', () => {
    expect(d.receipts).toBe(6);
    expect(d.histogram.binMs).toBe(2);
    expect(d.histogram.counts.length).toBe(200);
    // 0 twice (bin 0), 50 -> bin 25, 100 -> bin 50, 250 -> bin 125, 400 -> the last bin, closed.
    const nonzero = d.histogram.counts.flatMap((c, i) => (c ? [[i, c]] : []));
    expect(nonzero).toEqual([[0, 2], [25, 1], [50, 1], [125, 1], [199, 1]]);
  });

  it("each node's mean delay as quantiles: means 25, 50, 250, 400", () => {
    const q = d.nodeMeanQuantilesMs;
    expect(q.length).toBe(101);
    expect(q[0]).toBe(25);
    // Nearest rank over 4 values: q in (0, .25] -> 25, (.25, .5] -> 50, (.5, .75] -> 250, above -> 400.
    expect([q[25], q[26], q[50], q[51], q[75], q[76], q[100]]).toEqual([25, 50, 50, 250, 250, 400, 400]);
  });

  it('by region: region a holds nodes 0-2 (means 25, 50, 250), region b node 3 (400)', () => {
    expect(d.byRegion).toEqual([
      { region: 'a', nodes: 3, p10Ms: 25, p50Ms: 50, p90Ms: 250, p99Ms: 250 },
      { region: 'b', nodes: 1, p10Ms: 400, p50Ms: 400, p90Ms: 400, p99Ms: 400 },
    ]);
  });

  it('coverage curves: time until k/50 of all 4 nodes had the item, null past what it reached', () => {
    const [c0, c1] = d.coverage;
    expect(c0!.item).toBe(0);
    // k/50 of 4 nodes needs ceil(4k/50) nodes: 1 for k <= 12, 2 for k <= 25, 3 for k <= 37, 4 after;
    // ms[k - 1] is the delay of that many-th receipt. Item 0 reached 3 nodes (0, 100, 250), item 1 too (0, 50, 400).
    expect([c0!.ms[11], c0!.ms[12], c0!.ms[24], c0!.ms[25], c0!.ms[36], c0!.ms[37]]).toEqual([0, 100, 100, 250, 250, null]);
    expect([c1!.ms[11], c1!.ms[12], c1!.ms[36], c1!.ms[37], c1!.ms[49]]).toEqual([0, 50, 400, null, null]);
  });

  it('labels coverage items and counts only the rows given', () => {
    const e = delayDistributions(4, [1], (m, v) => table[m]![v]!, new Uint8Array(4), ['all'], (row) => row + 1);
    expect(e.receipts).toBe(3);
    expect(e.coverage.map((c) => c.item)).toEqual([2]);
  });

  it('no receipts at all: empty quantiles, regions without values', () => {
    const e = delayDistributions(3, [0], () => NaN, new Uint8Array(3), ['all']);
    expect(e.receipts).toBe(0);
    expect(e.nodeMeanQuantilesMs).toEqual([]);
    expect(e.byRegion[0]!.p50Ms).toBeNull();
    expect(e.histogram.counts.reduce((a, b) => a + b, 0)).toBe(0);
  });

  it('bin widths are 1, 2 or 5 times a power of ten, the smallest not below the need', () => {
    expect([niceWidth(0), niceWidth(0.3), niceWidth(1), niceWidth(1.2), niceWidth(3), niceWidth(7), niceWidth(60)]).toEqual([1, 0.5, 1, 2, 5, 10, 100]);
  });
});

describe('onlineTimeline', () => {
  it('equals counting the online nodes at each sample time, under churn and a crash', () => {
    const n = 300;
    const faults = [
      faultSchema.parse({ kind: 'churn', share: 0.6, session: { kind: 'exponential', meanMs: 400 }, downtime: { kind: 'exponential', meanMs: 300 } }),
      faultSchema.parse({ kind: 'crash', atMs: 1500, fraction: 0.2 }),
    ];
    const f = compileFaults(faults, n, 7, new Uint8Array(n), ['all'], Int32Array.from({ length: n + 1 }, (_, v) => 2 * v), 5000)!;
    const tl = onlineTimeline(f, 5000, 100);
    expect(tl.tMs.length).toBe(101);
    expect(tl.tMs[100]).toBe(5000);
    let varied = false;
    tl.tMs.forEach((t, j) => {
      let up = 0;
      for (let v = 0; v < n; v++) if (isOnline(f, v, t)) up++;
      expect(tl.onlineShare[j], `t = ${t}`).toBe(up / n);
      if (up !== n) varied = true;
    });
    expect(varied).toBe(true);
  });

  it('counts a node offline at an interval start sampled exactly, online at its end (half-open)', () => {
    const f = compileFaults([faultSchema.parse({ kind: 'crash', atMs: 1000, fraction: 1, recoverAtMs: 2000 })], 4, 1, new Uint8Array(4), ['all'], Int32Array.from({ length: 5 }, (_, v) => 2 * v), 4000)!;
    const tl = onlineTimeline(f, 4000, 4);
    expect(tl.tMs).toEqual([0, 1000, 2000, 3000, 4000]);
    expect(tl.onlineShare).toEqual([1, 0, 1, 1, 1]);
  });
});
