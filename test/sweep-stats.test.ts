// The summary's statistics against values worked out by hand and Student's t against the printed
// tables; the CSV's pinned column names.
import { describe, expect, it } from 'vitest';
import { describe as stats, tCdf, tQuantile } from '../src/sweep/stats.js';
import { summaryCsv, type Summary } from '../src/sweep/summary.js';

describe("Student's t", () => {
  // t(0.975, df), from any statistics table (e.g. NIST/SEMATECH e-Handbook, table 1.3.6.7.2).
  it.each([
    [1, 12.706],
    [2, 4.303],
    [3, 3.182],
    [4, 2.776],
    [5, 2.571],
    [9, 2.262],
    [10, 2.228],
    [19, 2.093],
    [29, 2.045],
    [30, 2.042],
    [60, 2.0],
    [100, 1.984],
  ])('t(0.975, %i) = %f', (df, t) => {
    expect(tQuantile(0.975, df)).toBeCloseTo(t, 3);
  });

  it('other quantiles, exact cases and symmetry', () => {
    expect(tQuantile(0.95, 10)).toBeCloseTo(1.812, 3);
    expect(tQuantile(0.995, 5)).toBeCloseTo(4.032, 3);
    // df = 1 is Cauchy: the quantile is tan(pi (p - 1/2)); df = 2 has t = (2p - 1) sqrt(2 / (4p(1-p))).
    expect(tQuantile(0.975, 1)).toBeCloseTo(Math.tan(Math.PI * 0.475), 9);
    expect(tQuantile(0.9, 2)).toBeCloseTo(0.8 * Math.sqrt(2 / (4 * 0.9 * 0.1)), 9);
    expect(tQuantile(0.025, 7)).toBeCloseTo(-tQuantile(0.975, 7), 12);
    expect(tQuantile(0.975, 1e6)).toBeCloseTo(1.95996, 4);
    expect(tCdf(0, 3)).toBe(0.5);
  });
});

describe('statistics of one cell and metric', () => {
  it('mean, sd, 95 % interval, min, max, n, by hand', () => {
    // xs = 2, 4, 4, 4, 5, 5, 7, 9: mean 5, squares about the mean sum to 32, sd = sqrt(32 / 7).
    const s = stats([2, 4, 4, 4, 5, 5, 7, 9]);
    const sd = Math.sqrt(32 / 7);
    const half = 2.3646242510102993 * (sd / Math.sqrt(8)); // t(0.975, 7)
    expect(s.mean).toBe(5);
    expect(s.sd).toBeCloseTo(sd, 12);
    expect(s.ci95Low).toBeCloseTo(5 - half, 9);
    expect(s.ci95High).toBeCloseTo(5 + half, 9);
    expect(s.ci95Low).toBeCloseTo(3.2125, 4);
    expect([s.min, s.max, s.n]).toEqual([2, 9, 8]);
  });

  it('two values: t(0.975, 1) times the half-range', () => {
    // mean 2, sd = sqrt(2) (differences ±1), se = sd / sqrt(2) = 1: the interval is 2 ± 12.706.
    const s = stats([1, 3]);
    expect(s.ci95Low).toBeCloseTo(2 - 12.7062047, 6);
    expect(s.ci95High).toBeCloseTo(2 + 12.7062047, 6);
  });

  it('one value has no spread; none has nothing', () => {
    expect(stats([0.25])).toEqual({ mean: 0.25, sd: null, ci95Low: null, ci95High: null, min: 0.25, max: 0.25, n: 1 });
    expect(stats([])).toEqual({ mean: null, sd: null, ci95Low: null, ci95High: null, min: null, max: null, n: 0 });
    expect(stats([3, 3, 3])).toMatchObject({ mean: 3, sd: 0, ci95Low: 3, ci95High: 3 });
  });
});

describe('summary.csv', () => {
  const cell = (metrics: Summary['cells'][number]['metrics']) => ({ cell: 0, values: { 'chain.blockIntervalS': 600 }, runs: 2, failed: 0, metrics });
  const base = { version: 1 as const, name: null, seed: 1, replications: 2, axes: ['chain.blockIntervalS'], runs: { total: 2, complete: 2, failed: 0, missing: 0 } };

  it('one metric: the bare column names', () => {
    const csv = summaryCsv({ ...base, metrics: ['chain.staleRate'], cells: [cell({ 'chain.staleRate': stats([1, 3]) })] });
    const [header, row] = csv.trimEnd().split('\n');
    expect(header).toBe('cell,chain.blockIntervalS,runs,failed,mean,sd,ci95Low,ci95High,min,max,n');
    expect(row!.split(',').slice(0, 5)).toEqual(['0', '600', '2', '0', '2']);
  });

  it('several metrics: prefixed by the metric path; a missing statistic is an empty field', () => {
    const csv = summaryCsv({ ...base, metrics: ['chain.staleRate', 'messages.0.t90Ms'], cells: [cell({ 'chain.staleRate': stats([1, 3]), 'messages.0.t90Ms': stats([7]) })] });
    const [header, row] = csv.trimEnd().split('\n');
    expect(header).toBe([
      'cell', 'chain.blockIntervalS', 'runs', 'failed',
      ...['mean', 'sd', 'ci95Low', 'ci95High', 'min', 'max', 'n'].map((c) => `chain.staleRate.${c}`),
      ...['mean', 'sd', 'ci95Low', 'ci95High', 'min', 'max', 'n'].map((c) => `messages.0.t90Ms.${c}`),
    ].join(','));
    expect(row!.split(',').slice(11)).toEqual(['7', '', '', '', '7', '7', '1']);
  });
});
