// The fault schedule (src/faults/schedule.ts): which nodes crash, how churn alternates, who is cut off
// from whom, how lossy the network is — each checked against expectations computed here independently
// (hand-made degree lists, analytic means, binomial tolerances), not against the module's own helpers.
import { describe, expect, it } from 'vitest';
import { InputError } from '../src/errors.js';
import { compileFaults, isOnline, lossRate, recoveries, sameSide, type FaultSchedule } from '../src/faults/schedule.js';
import { faultSchema, type Fault } from '../src/scenario/network-schema.js';

const faults = (...raw: object[]): Fault[] => raw.map((f) => faultSchema.parse(f));
/** A degree-2 graph's offsets: degrees only matter to select "highest-degree". */
const ringOffsets = (n: number) => Int32Array.from({ length: n + 1 }, (_, v) => 2 * v);
const noRegions = (n: number) => new Uint8Array(n);

function compile(fs: Fault[], n: number, opts: { seed?: number; region?: Uint8Array; names?: string[]; offsets?: Int32Array; horizonMs?: number } = {}): FaultSchedule {
  const f = compileFaults(fs, n, opts.seed ?? 1, opts.region ?? noRegions(n), opts.names ?? ['all'], opts.offsets ?? ringOffsets(n), opts.horizonMs ?? 1e6);
  if (!f) throw new Error('expected a schedule');
  return f;
}

/** Node v's intervals as [start, end] pairs, read straight from the CSR. */
function intervalsOf(f: FaultSchedule, v: number): [number, number][] {
  const out: [number, number][] = [];
  for (let i = f.offOffsets[v]!; i < f.offOffsets[v + 1]!; i++) out.push([f.offTimes[2 * i]!, f.offTimes[2 * i + 1]!]);
  return out;
}

const offlineAt = (f: FaultSchedule, n: number, t: number) => Array.from({ length: n }, (_, v) => v).filter((v) => !isOnline(f, v, t));

/** Γ(x) for x > 0, Lanczos with Numerical Recipes' g = 5 coefficients (not the module's g = 7 set). */
function gamma(x: number): number {
  const cof = [76.18009172947146, -86.50532032941677, 24.01409824083091, -1.231739572450155, 0.1208650973866179e-2, -0.5395239384953e-5];
  let y = x;
  let tmp = x + 5.5;
  tmp -= (x + 0.5) * Math.log(tmp);
  let ser = 1.000000000190015;
  for (const c of cof) ser += c / ++y;
  return Math.exp(-tmp + Math.log((2.5066282746310005 * ser) / x));
}

describe('compileFaults', () => {
  it('returns null for no faults, and puts every array on a SharedArrayBuffer', () => {
    expect(compileFaults([], 10, 1, noRegions(10), ['all'], ringOffsets(10), 1000)).toBeNull();
    const f = compile(faults({ kind: 'crash', fraction: 0.5 }, { kind: 'partition', fromMs: 0, toMs: 10, fractions: [0.5, 0.5] }), 10);
    expect(f.offOffsets.buffer).toBeInstanceOf(SharedArrayBuffer);
    expect(f.offTimes.buffer).toBeInstanceOf(SharedArrayBuffer);
    expect(f.partitions[0]!.group.buffer).toBeInstanceOf(SharedArrayBuffer);
    expect(f.offOffsets).toHaveLength(11);
  });
});

describe('crash', () => {
  it('random: exactly round(fraction * n) distinct nodes, offline from atMs until recoverAtMs', () => {
    const n = 1000;
    const f = compile(faults({ kind: 'crash', atMs: 100, fraction: 0.3037, recoverAtMs: 500 }), n);
    expect(offlineAt(f, n, 99.999)).toEqual([]);
    const down = offlineAt(f, n, 100);
    expect(down).toHaveLength(Math.round(0.3037 * n)); // 304
    expect(offlineAt(f, n, 499.999)).toEqual(down);
    expect(offlineAt(f, n, 500)).toEqual([]);
    for (let v = 0; v < n; v++) expect(recoveries(f, v)).toEqual(down.includes(v) ? [500] : []);
  });

  it('random: more than half the nodes, and no recovery', () => {
    const n = 1000;
    const f = compile(faults({ kind: 'crash', atMs: 0, fraction: 0.6, select: 'random' }), n);
    expect(offlineAt(f, n, 0)).toHaveLength(600);
    expect(offlineAt(f, n, 1e15)).toHaveLength(600);
    for (let v = 0; v < n; v++) expect(recoveries(f, v)).toEqual([]);
    expect(new Set(f.offTimes.filter((_, i) => i % 2 === 1))).toEqual(new Set([Infinity]));
  });

  it('random: every node equally likely (over seeds)', () => {
    // Each node's crash count over 300 seeds is Binomial(300, 0.3): mean 90, sd 7.9; allow 5 sd.
    const n = 100;
    const seeds = 300;
    const hits = new Array<number>(n).fill(0);
    for (let seed = 0; seed < seeds; seed++) {
      for (const v of offlineAt(compile(faults({ kind: 'crash', fraction: 0.3 }), n, { seed }), n, 0)) hits[v]!++;
    }
    const sd = Math.sqrt(seeds * 0.3 * 0.7);
    for (const h of hits) expect(Math.abs(h - seeds * 0.3)).toBeLessThan(5 * sd);
  });

  it('highest-degree: exactly the top-degree nodes, ties to the lower id', () => {
    const degrees = [3, 1, 4, 1, 5, 9, 2, 6, 5, 3, 5, 8];
    const n = degrees.length;
    const offsets = new Int32Array(n + 1);
    degrees.forEach((d, v) => (offsets[v + 1] = offsets[v]! + d));
    const expected = (k: number) =>
      degrees
        .map((d, v) => ({ d, v }))
        .sort((a, b) => b.d - a.d || a.v - b.v)
        .slice(0, k)
        .map((x) => x.v)
        .sort((a, b) => a - b);
    for (const fraction of [0, 0.1, 0.25, 0.34, 0.5, 0.75, 1]) {
      const f = compile(faults({ kind: 'crash', select: 'highest-degree', fraction, atMs: 10 }), n, { offsets });
      expect(offlineAt(f, n, 10)).toEqual(expected(Math.round(fraction * n)));
    }
    // By hand: degrees 9, 8, then 6, then the three 5s (nodes 4, 8, 10) of which the lowest ids go first.
    expect(offlineAt(compile(faults({ kind: 'crash', select: 'highest-degree', fraction: 5 / 12 }), n, { offsets }), n, 0)).toEqual([4, 5, 7, 8, 11]);
  });

  it('region: round(fraction * m) of the m nodes of the regions, none elsewhere', () => {
    const n = 2000;
    const region = Uint8Array.from({ length: n }, (_, v) => (v * 7) % 3);
    const names = ['a', 'b', 'c'];
    for (const [regions, inSet] of [
      [['b'], [1]],
      [['c', 'a'], [0, 2]],
    ] as const) {
      const f = compile(faults({ kind: 'crash', select: 'region', regions, fraction: 0.5 }), n, { region, names });
      const down = offlineAt(f, n, 0);
      const m = region.filter((r) => (inSet as readonly number[]).includes(r)).length;
      expect(down).toHaveLength(Math.round(0.5 * m));
      for (const v of down) expect(inSet).toContain(region[v]);
    }
  });

  it('ids: exactly those nodes', () => {
    const f = compile(faults({ kind: 'crash', select: 'ids', ids: [7, 2, 9], atMs: 5, recoverAtMs: 6 }), 10);
    expect(offlineAt(f, 10, 5)).toEqual([2, 7, 9]);
    expect(offlineAt(f, 10, 6)).toEqual([]);
  });
});

describe('the offline intervals', () => {
  it('merge overlapping and touching intervals of different faults, per node', () => {
    const f = compile(
      faults(
        { kind: 'crash', select: 'ids', ids: [0], atMs: 300, recoverAtMs: 400 },
        { kind: 'crash', select: 'ids', ids: [0, 1], atMs: 50, recoverAtMs: 150 },
        { kind: 'crash', select: 'ids', ids: [0], atMs: 100, recoverAtMs: 300 },
        { kind: 'crash', select: 'ids', ids: [1], atMs: 1000 },
        { kind: 'crash', select: 'ids', ids: [1], atMs: 900, recoverAtMs: 1100 },
      ),
      3,
    );
    expect(intervalsOf(f, 0)).toEqual([[50, 400]]);
    expect(intervalsOf(f, 1)).toEqual([
      [50, 150],
      [900, Infinity],
    ]);
    expect(intervalsOf(f, 2)).toEqual([]);
    expect(recoveries(f, 0)).toEqual([400]);
    expect(recoveries(f, 1)).toEqual([150]);
    expect([isOnline(f, 0, 49), isOnline(f, 0, 50), isOnline(f, 0, 300), isOnline(f, 0, 399.9), isOnline(f, 0, 400)]).toEqual([true, false, false, false, true]);
  });

  it('are sorted and disjoint, and isOnline agrees with a scan of them', () => {
    const n = 200;
    const f = compile(
      faults(
        { kind: 'churn', share: 0.5, session: { kind: 'exponential', meanMs: 50 }, downtime: { kind: 'exponential', meanMs: 30 } },
        { kind: 'churn', share: 0.5, session: { kind: 'pareto', shape: 2, scaleMs: 20 }, downtime: { kind: 'weibull', shape: 0.8, scaleMs: 40 } },
        { kind: 'crash', fraction: 0.2, atMs: 500, recoverAtMs: 700 },
        { kind: 'crash', fraction: 0.1, atMs: 900 },
      ),
      n,
      { horizonMs: 2000 },
    );
    let sawOverlapCandidates = 0;
    for (let v = 0; v < n; v++) {
      const iv = intervalsOf(f, v);
      sawOverlapCandidates += iv.length;
      iv.forEach(([s, e], i) => {
        expect(s).toBeLessThan(e);
        if (i > 0) expect(s).toBeGreaterThan(iv[i - 1]![1]);
      });
      const times = [0, 1999.5, ...iv.flat().filter(Number.isFinite), ...iv.map(([s, e]) => (s + Math.min(e, s + 10)) / 2)];
      for (const t of times) expect(isOnline(f, v, t)).toBe(!iv.some(([s, e]) => s <= t && t < e));
      expect(recoveries(f, v)).toEqual(iv.map(([, e]) => e).filter(Number.isFinite));
    }
    expect(sawOverlapCandidates).toBeGreaterThan(1000);
  });
});

describe('churn', () => {
  /** Per churning node, its offline time within [0, horizon). */
  function offlineShare(f: FaultSchedule, n: number, horizon: number): { nodes: number; online: number } {
    let nodes = 0;
    let off = 0;
    for (let v = 0; v < n; v++) {
      const iv = intervalsOf(f, v);
      if (iv.length === 0) continue;
      nodes++;
      for (const [s, e] of iv) off += Math.min(e, horizon) - s;
    }
    return { nodes, online: 1 - off / (nodes * horizon) };
  }

  it('exponential: round(share * n) nodes, online a share S / (S + D) of the time', () => {
    const n = 4000;
    const S = 300;
    const D = 100;
    const horizon = 200 * (S + D);
    const f = compile(faults({ kind: 'churn', share: 0.5, session: { kind: 'exponential', meanMs: S }, downtime: { kind: 'exponential', meanMs: D } }), n, { horizonMs: horizon });
    const { nodes, online } = offlineShare(f, n, horizon);
    expect(nodes).toBe(2000);
    // A two-state Markov chain's time average over H has variance about 2 p (1 - p) tau / H, with
    // tau = S D / (S + D) its correlation time; the start (every node online) biases it up by about
    // (1 - p) tau / H. 2000 independent nodes: sd 4.2e-4, bias 2.3e-4; allow 5 sd plus the bias.
    const p = S / (S + D);
    const tau = (S * D) / (S + D);
    const sd = Math.sqrt((2 * p * (1 - p) * tau) / horizon / nodes);
    const bias = ((1 - p) * tau) / horizon;
    expect(Math.abs(online - p)).toBeLessThan(5 * sd + bias);
    // No downtime starts at or after the horizon, but they run up to it.
    let lastStart = 0;
    for (let i = 0; i < f.offTimes.length; i += 2) lastStart = Math.max(lastStart, f.offTimes[i]!);
    expect(lastStart).toBeLessThan(horizon);
    expect(lastStart).toBeGreaterThan(horizon - 2 * (S + D));
  });

  it('starts at startMs', () => {
    const f = compile(faults({ kind: 'churn', share: 1, startMs: 5000, session: { kind: 'exponential', meanMs: 10 }, downtime: { kind: 'exponential', meanMs: 10 } }), 50, { horizonMs: 6000 });
    for (let v = 0; v < 50; v++) {
      expect(isOnline(f, v, 4999.99)).toBe(true);
      expect(intervalsOf(f, v)[0]![0]).toBeGreaterThan(5000);
    }
  });

  /** The complete sessions of each churning node: from startMs (0) or the end of a downtime to the next downtime. */
  function sessions(f: FaultSchedule, n: number): number[] {
    const out: number[] = [];
    for (let v = 0; v < n; v++) {
      let t = 0;
      for (const [s, e] of intervalsOf(f, v)) {
        out.push(s - t);
        t = e;
      }
    }
    return out;
  }

  it.each<[string, object, number, number]>([
    // [label, session distribution, analytic mean, analytic variance]
    ['weibull, shape 0.7', { kind: 'weibull', shape: 0.7, scaleMs: 100 }, 100 * gamma(1 + 1 / 0.7), 100 ** 2 * (gamma(1 + 2 / 0.7) - gamma(1 + 1 / 0.7) ** 2)],
    ['weibull, shape 2', { kind: 'weibull', shape: 2, scaleMs: 100 }, 100 * gamma(1.5), 100 ** 2 * (gamma(2) - gamma(1.5) ** 2)],
    ['pareto, shape 3', { kind: 'pareto', shape: 3, scaleMs: 100 }, (3 * 100) / 2, (100 ** 2 * 3) / (2 ** 2 * 1)],
  ])('%s: sessions have the analytic mean', (_, session, mean, variance) => {
    const n = 1000;
    const perNode = 4000; // cycles per node: the last, censored session (one in 4000) barely biases the mean
    const f = compile(faults({ kind: 'churn', share: 0.1, session, downtime: { kind: 'exponential', meanMs: 10 } }), n, { horizonMs: perNode * (mean + 10) });
    const xs = sessions(f, n);
    expect(xs.length).toBeGreaterThan(0.9 * 100 * perNode);
    const sample = xs.reduce((a, b) => a + b, 0) / xs.length;
    // 5 standard errors, plus the censoring bias: about mean * CV^2 / cycles per node.
    const tolerance = 5 * Math.sqrt(variance / xs.length) + (variance / mean) / perNode;
    expect(Math.abs(sample - mean)).toBeLessThan(tolerance);
  });

  it('refuses more than 50 million intervals, naming the fault', () => {
    const many = faults(
      { kind: 'loss', rate: 0.1 },
      { kind: 'churn', share: 1, session: { kind: 'exponential', meanMs: 1 }, downtime: { kind: 'exponential', meanMs: 1 } },
    );
    let err: unknown;
    try {
      compile(many, 1_000_000, { horizonMs: 1e6 });
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(InputError);
    expect((err as InputError).field).toBe('faults.1');
    expect((err as InputError).problem).toContain('over the limit of 50000000');
  });
});

describe('partitions', () => {
  it('by regions: sides differ exactly between the regions and the rest, during [fromMs, toMs)', () => {
    const n = 120;
    const region = Uint8Array.from({ length: n }, (_, v) => v % 3);
    const f = compile(faults({ kind: 'partition', fromMs: 100, toMs: 200, regions: ['a', 'c'] }), n, { region, names: ['a', 'b', 'c'] });
    const inSet = (v: number) => region[v] !== 1;
    for (const t of [0, 99.99, 100, 150, 199.99, 200, 1e9]) {
      const active = t >= 100 && t < 200;
      let wrong = 0;
      for (let a = 0; a < n; a++) for (let b = 0; b < n; b++) wrong += Number(sameSide(f, a, b, t) !== (!active || inSet(a) === inSet(b)));
      expect(wrong, `t = ${t}`).toBe(0);
    }
  });

  it('by fractions: groups with the given shares', () => {
    const n = 20_000;
    const shares = [0.5, 0.3, 0.2];
    const f = compile(faults({ kind: 'partition', fromMs: 0, toMs: 10, fractions: shares }), n);
    const group = f.partitions[0]!.group;
    const counts = [0, 0, 0];
    for (const g of group) counts[g]!++;
    expect(counts.reduce((a, b) => a + b)).toBe(n); // no group outside 0..2
    shares.forEach((p, g) => expect(Math.abs(counts[g]! / n - p)).toBeLessThan(5 * Math.sqrt((p * (1 - p)) / n)));
    for (let a = 0; a < 50; a++) for (let b = 0; b < 50; b++) expect(sameSide(f, a, b, 5)).toBe(group[a] === group[b]);
  });

  it('overlapping partitions: separated if any active one separates', () => {
    const n = 60;
    const region = Uint8Array.from({ length: n }, (_, v) => v % 2);
    const f = compile(
      faults({ kind: 'partition', fromMs: 0, toMs: 100, regions: ['x'] }, { kind: 'partition', fromMs: 50, toMs: 150, fractions: [0.5, 0.5] }),
      n,
      { region, names: ['x', 'y'] },
    );
    const g = f.partitions[1]!.group;
    const [a, b] = [0, 2]; // same region
    const c = [...Array(n).keys()].find((v) => v % 2 === 0 && g[v] !== g[a])!;
    expect(sameSide(f, a, b, 25)).toBe(true);
    expect(sameSide(f, a, 1, 25)).toBe(false);
    expect(sameSide(f, a, c, 25)).toBe(true);
    expect(sameSide(f, a, c, 75)).toBe(false);
    expect(sameSide(f, a, 1, 120)).toBe(g[a] === g[1]);
    expect(sameSide(f, a, c, 150)).toBe(true);
  });
});

describe('lossRate', () => {
  it('is the rate of the windows active at t, independent drops combined', () => {
    const f = compile(faults({ kind: 'loss', rate: 0.2, fromMs: 100, toMs: 200 }, { kind: 'loss', rate: 0.5, fromMs: 150 }), 10);
    expect(lossRate(f, 0)).toBe(0);
    expect(lossRate(f, 99.99)).toBe(0);
    expect(lossRate(f, 100)).toBe(0.2);
    expect(lossRate(f, 160)).toBeCloseTo(1 - 0.8 * 0.5, 12);
    expect(lossRate(f, 200)).toBe(0.5);
    expect(lossRate(f, 1e12)).toBe(0.5);
    expect(lossRate(compile(faults({ kind: 'loss', rate: 1 }, { kind: 'loss', rate: 1 }), 10), 0)).toBe(1);
  });
});

describe('determinism', () => {
  const mixed = faults(
    { kind: 'crash', fraction: 0.3, atMs: 10 },
    { kind: 'churn', share: 0.4, session: { kind: 'weibull', shape: 0.6, scaleMs: 50 }, downtime: { kind: 'pareto', shape: 1.5, scaleMs: 20 } },
    { kind: 'partition', fromMs: 0, toMs: 100, fractions: [0.25, 0.75] },
  );
  const arrays = (f: FaultSchedule) => [Array.from(f.offOffsets), Array.from(f.offTimes), Array.from(f.partitions[0]!.group)];

  it('same seed, same schedule; another seed, another', () => {
    const a = arrays(compile(mixed, 500, { seed: 7, horizonMs: 1000 }));
    expect(arrays(compile(mixed, 500, { seed: 7, horizonMs: 1000 }))).toEqual(a);
    const b = arrays(compile(mixed, 500, { seed: 8, horizonMs: 1000 }));
    for (let i = 0; i < 3; i++) expect(b[i]).not.toEqual(a[i]);
  });

  it('each fault draws from its own stream', () => {
    // Two equal entries pick independently; a fault's draws do not depend on what comes before it.
    const n = 500;
    const crashAt = (atMs: number) => ({ kind: 'crash', fraction: 0.1, atMs, recoverAtMs: atMs + 1 });
    const f = compile(faults(crashAt(10), crashAt(20)), n);
    expect(offlineAt(f, n, 20)).not.toEqual(offlineAt(f, n, 10));
    const afterLoss = compile(faults({ kind: 'loss', rate: 0.5 }, crashAt(10)), n);
    const afterPartition = compile(faults({ kind: 'partition', fromMs: 0, toMs: 1, fractions: [0.5, 0.5] }, crashAt(10)), n);
    expect(offlineAt(afterPartition, n, 10)).toEqual(offlineAt(afterLoss, n, 10));
  });

  it('appending a fault leaves the draws of the others alone', () => {
    const n = 500;
    const one = compile(mixed.slice(0, 1), n, { seed: 3 });
    const two = compile([...mixed.slice(0, 1), ...faults({ kind: 'partition', fromMs: 0, toMs: 1, fractions: [0.5, 0.5] })], n, { seed: 3 });
    expect(offlineAt(two, n, 10)).toEqual(offlineAt(one, n, 10));
    expect(offlineAt(one, n, 10)).toHaveLength(150);
  });
});
