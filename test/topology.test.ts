import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { InputError } from '../src/errors.js';
import type { Topology } from '../src/scenario/network-schema.js';
import { buildTopology, writeEdgeList } from '../src/topology/generators.js';
import { csrFromDirectedEdges, csrFromEdges, edgeCount, type Graph } from '../src/topology/graph.js';
import { assignRegions, regionCounts } from '../src/topology/regions.js';

// ---- independent checkers (plain loops, no code shared with the builders) ----

function neighbours(g: Graph, v: number): number[] {
  return Array.from(g.targets.subarray(g.offsets[v], g.offsets[v + 1]));
}

function degrees(g: Graph): number[] {
  const d: number[] = [];
  for (let v = 0; v < g.n; v++) d.push((g.offsets[v + 1] as number) - (g.offsets[v] as number));
  return d;
}

/** Throws (via expect) unless g is a well-formed simple undirected CSR graph in shared memory. */
function expectSimple(g: Graph): void {
  expect(g.offsets.buffer).toBeInstanceOf(SharedArrayBuffer);
  expect(g.targets.buffer).toBeInstanceOf(SharedArrayBuffer);
  expect(g.offsets.length).toBe(g.n + 1);
  expect(g.offsets[0]).toBe(0);
  expect(g.offsets[g.n]).toBe(g.targets.length);
  const has = new Set<number>();
  let problems = 0;
  for (let u = 0; u < g.n; u++) {
    const list = neighbours(g, u);
    for (let i = 0; i < list.length; i++) {
      const v = list[i] as number;
      if (v === u || v < 0 || v >= g.n) problems++; // self-loop or out of range
      if (i > 0 && v <= (list[i - 1] as number)) problems++; // unsorted or duplicate
      has.add(u * g.n + v);
    }
  }
  for (const key of has) {
    const u = Math.floor(key / g.n);
    const v = key % g.n;
    if (!has.has(v * g.n + u)) problems++; // asymmetric
  }
  expect(problems).toBe(0);
}

/** Average local clustering coefficient (as networkx.average_clustering, 0 for degree < 2). */
function averageClustering(g: Graph): number {
  const mark = new Int32Array(g.n).fill(-1);
  let sum = 0;
  for (let v = 0; v < g.n; v++) {
    const list = neighbours(g, v);
    const k = list.length;
    if (k < 2) continue;
    for (const w of list) mark[w] = v;
    let links = 0;
    for (const a of list) for (const b of neighbours(g, a)) if (mark[b] === v) links++;
    sum += links / (k * (k - 1)); // each link among neighbours counted twice
  }
  return sum / g.n;
}

function expectInputError(fn: () => unknown, field: string, message: RegExp): void {
  let caught: unknown;
  try {
    fn();
  } catch (err) {
    caught = err;
  }
  expect(caught).toBeInstanceOf(InputError);
  expect((caught as InputError).field).toBe(field);
  expect((caught as InputError).message).toMatch(message);
}

const build = (spec: Topology, n: number, seed = 7): Graph => buildTopology(spec, n, seed, '.');

// ---- CSR builder ----

describe('csrFromEdges', () => {
  it('symmetrises, sorts, drops self-loops and repeated links', () => {
    const us = Int32Array.from([0, 1, 2, 3, 1, 9]);
    const vs = Int32Array.from([1, 0, 2, 1, 2, 9]);
    const g = csrFromEdges(4, us, vs, 5); // the 6th pair is beyond edgeCount and must be ignored
    expect(Array.from(g.offsets)).toEqual([0, 1, 4, 5, 6]);
    expect(Array.from(g.targets)).toEqual([1, 0, 2, 3, 1, 1]);
    expect(edgeCount(g)).toBe(3);
    expectSimple(g);
  });

  it('keeps the direction of opening aligned with the sorted targets', () => {
    const g = csrFromDirectedEdges(4, Int32Array.from([3, 0, 2]), Int32Array.from([1, 1, 0]), 3);
    expect(Array.from(g.targets)).toEqual([1, 2, 0, 3, 0, 1]);
    expect(Array.from(g.outbound ?? [])).toEqual([1, 0, 0, 0, 1, 1]);
    expect(g.outbound?.buffer).toBeInstanceOf(SharedArrayBuffer);
  });

  it('rejects node ids outside 0..n-1', () => {
    expect(() => csrFromEdges(3, Int32Array.from([0]), Int32Array.from([3]), 1)).toThrow(RangeError);
  });
});

// ---- generators ----

describe('ring', () => {
  it('links each node to its k nearest on each side', () => {
    const g = build({ kind: 'ring', k: 2 }, 10);
    expectSimple(g);
    expect(degrees(g).every((d) => d === 4)).toBe(true);
    expect(edgeCount(g)).toBe(20);
    expect(neighbours(g, 0)).toEqual([1, 2, 8, 9]);
    expect(neighbours(g, 5)).toEqual([3, 4, 6, 7]);
  });

  it('rejects 2k >= n', () => {
    expectInputError(() => build({ kind: 'ring', k: 5 }, 10), 'topology.k', /< nodes \(10\)/);
  });
});

describe('random-regular', () => {
  it.each([
    [1000, 8],
    [1001, 4],
    [200, 20],
    [10, 1],
    [6, 3],
    [7, 4],
    [50, 47],
  ])('n = %i, degree %i: every node has exactly that degree', (n, d) => {
    const g = build({ kind: 'random-regular', degree: d }, n);
    expectSimple(g);
    expect(degrees(g).every((x) => x === d)).toBe(true);
    expect(edgeCount(g)).toBe((n * d) / 2);
  });

  it('n = 10, degree 9 is the complete graph', () => {
    const g = build({ kind: 'random-regular', degree: 9 }, 10);
    for (let v = 0; v < 10; v++) expect(neighbours(g, v)).toEqual([...Array(10).keys()].filter((w) => w !== v));
  });

  it('reaches different 3-regular graphs on 6 nodes (there are two shapes, K3,3 and the prism)', () => {
    // K3,3 has no triangle; the prism has two. Both must turn up over a few seeds.
    const triangles = new Set<number>();
    for (let seed = 0; seed < 40; seed++) {
      const g = build({ kind: 'random-regular', degree: 3 }, 6, seed);
      let t = 0;
      for (let a = 0; a < 6; a++)
        for (const b of neighbours(g, a)) for (const c of neighbours(g, b)) if (a < b && b < c && neighbours(g, c).includes(a)) t++;
      triangles.add(t);
    }
    expect([...triangles].sort()).toEqual([0, 2]);
  });

  it('rejects degree >= n and odd n x degree', () => {
    expectInputError(() => build({ kind: 'random-regular', degree: 100 }, 100), 'topology.degree', /< nodes \(100\), got 100/);
    expectInputError(() => build({ kind: 'random-regular', degree: 3 }, 7), 'topology.degree', /even/);
  });
});

describe('erdos-renyi', () => {
  const n = 20000;
  const mean = 8;
  const g = build({ kind: 'erdos-renyi', meanDegree: mean }, n);

  it('is simple', () => expectSimple(g));

  it('has a binomial number of links (within 5 sigma)', () => {
    const pairs = (n * (n - 1)) / 2;
    const p = mean / (n - 1);
    const sigma = Math.sqrt(pairs * p * (1 - p));
    expect(Math.abs(edgeCount(g) - pairs * p)).toBeLessThan(5 * sigma);
  });

  it('has binomial degree variance (unlike a regular graph)', () => {
    // Degree ~ Binomial(n - 1, p), variance (n - 1) p (1 - p) ~ 8; the sample variance of 20000 nearly
    // Poisson(8) values has standard error sqrt((2 l^2 + l) / n) ~ 0.082.
    const d = degrees(g);
    const m = d.reduce((a, b) => a + b, 0) / n;
    const variance = d.reduce((a, b) => a + (b - m) ** 2, 0) / (n - 1);
    const p = mean / (n - 1);
    expect(Math.abs(variance - (n - 1) * p * (1 - p))).toBeLessThan(5 * Math.sqrt((2 * mean * mean + mean) / n));
  });

  it('with mean degree n - 1 is the complete graph', () => {
    const k5 = build({ kind: 'erdos-renyi', meanDegree: 4 }, 5);
    expect(edgeCount(k5)).toBe(10);
    expectSimple(k5);
  });

  it('rejects a mean degree above n - 1', () => {
    expectInputError(() => build({ kind: 'erdos-renyi', meanDegree: 10 }, 10), 'topology.meanDegree', /<= nodes - 1/);
  });
});

describe('bitcoin', () => {
  function directions(g: Graph): { out: number[]; inb: number[]; mismatched: number } {
    const out = new Array<number>(g.n).fill(0);
    const inb = new Array<number>(g.n).fill(0);
    let mismatched = 0;
    const flags = g.outbound as Uint8Array;
    for (let u = 0; u < g.n; u++) {
      for (let i = g.offsets[u] as number; i < (g.offsets[u + 1] as number); i++) {
        const v = g.targets[i] as number;
        if (flags[i] === 1) out[u]++;
        else inb[u]++;
        // The same link seen from v must carry the opposite flag.
        const j = (g.offsets[v] as number) + neighbours(g, v).indexOf(u);
        if (flags[j] === flags[i]) mismatched++;
      }
    }
    return { out, inb, mismatched };
  }

  /** A node that opened fewer than `outbound` had no candidate left: every other node is linked or full. */
  function stoppedOnlyWhenStuck(g: Graph, outbound: number, maxInbound: number): boolean {
    const { out, inb } = directions(g);
    for (let u = 0; u < g.n; u++) {
      if ((out[u] as number) >= outbound) continue;
      const linked = new Set(neighbours(g, u));
      for (let v = 0; v < g.n; v++) if (v !== u && !linked.has(v) && (inb[v] as number) < maxInbound) return false;
    }
    return true;
  }

  it('with room to spare, every node opens exactly `outbound` and accepts at most maxInbound', () => {
    // 5000 nodes open 40000 links; at most 320 nodes can be full (125 each), plus at most 133 linked,
    // so every node always has candidates left.
    const g = build({ kind: 'bitcoin', outbound: 8, maxInbound: 125 }, 5000);
    expectSimple(g);
    const { out, inb, mismatched } = directions(g);
    expect(mismatched).toBe(0);
    expect(out.every((x) => x === 8)).toBe(true);
    expect(Math.max(...inb)).toBeLessThanOrEqual(125);
    expect(edgeCount(g)).toBe(8 * 5000);
  });

  it('under tight inbound limits keeps the caps and stops only when no candidate is left', () => {
    for (const [n, outbound, maxInbound] of [
      [50, 8, 2],
      [10, 8, 125],
      [300, 8, 9],
    ] as const) {
      const g = build({ kind: 'bitcoin', outbound, maxInbound }, n);
      expectSimple(g);
      const { out, inb, mismatched } = directions(g);
      expect(mismatched).toBe(0);
      expect(Math.max(...out)).toBeLessThanOrEqual(outbound);
      expect(Math.max(...inb)).toBeLessThanOrEqual(maxInbound);
      expect(edgeCount(g)).toBe(out.reduce((a, b) => a + b, 0));
      expect(stoppedOnlyWhenStuck(g, outbound, maxInbound)).toBe(true);
    }
    // 50 nodes x 2 inbound slots: at most 100 links, and the limit must actually bind.
    const tight = build({ kind: 'bitcoin', outbound: 8, maxInbound: 2 }, 50);
    expect(edgeCount(tight)).toBeLessThanOrEqual(100);
    expect(edgeCount(tight)).toBeGreaterThan(90);
  });

  describe('outboundDistribution bitcoin-2015', () => {
    // The measured pmf, read here from the data file, not through the simulator's loader.
    const data = JSON.parse(readFileSync(join(import.meta.dirname, '..', 'data', 'bitcoin-network-params.json'), 'utf8')) as {
      degree_distribution: { pmf_outbound_1_to_20: number[] };
    };
    const pmf = data.degree_distribution.pmf_outbound_1_to_20;
    const spec = (maxInbound: number, outbound = 8): Topology => ({ kind: 'bitcoin', outbound, maxInbound, outboundDistribution: 'bitcoin-2015' });
    const n = 20_000;

    it('draws each node\'s outbound count from the pmf (mean and every share within 4 standard errors)', () => {
      expect(pmf.length).toBe(20);
      expect(pmf.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 9);
      const mean = pmf.reduce((a, p, i) => a + p * (i + 1), 0);
      const variance = pmf.reduce((a, p, i) => a + p * (i + 1 - mean) ** 2, 0);
      expect(mean).toBeCloseTo(8.645, 9);

      // Inbound room to spare (mean inbound 8.6, at most 1000 each): every node opens its whole draw.
      const g = build(spec(1000), n, 42);
      expectSimple(g);
      const { out, inb, mismatched } = directions(g);
      expect(mismatched).toBe(0);
      expect(Math.max(...inb)).toBeLessThanOrEqual(1000);
      expect(Math.min(...out)).toBeGreaterThanOrEqual(1);
      expect(Math.max(...out)).toBeLessThanOrEqual(20);

      let opened = 0;
      for (const f of g.outbound as Uint8Array) if (f === 1) opened++;
      expect(edgeCount(g)).toBe(opened);
      expect(Math.abs(opened / n - mean)).toBeLessThan(4 * Math.sqrt(variance / n));

      const histogram = new Array<number>(21).fill(0);
      for (const k of out) histogram[k]!++;
      for (let k = 1; k <= 20; k++) {
        const p = pmf[k - 1] as number;
        const share = (histogram[k] as number) / n;
        if (p === 0) expect(histogram[k], `count ${k} has pmf 0`).toBe(0);
        else expect(Math.abs(share - p), `share of count ${k}`).toBeLessThan(4 * Math.sqrt((p * (1 - p)) / n));
      }
    });

    it('is a function of the seed alone and ignores topology.outbound', () => {
      const a = build(spec(125), 2000, 1);
      const b = build(spec(125, 3), 2000, 1);
      const c = build(spec(125), 2000, 2);
      expect(Array.from(b.offsets)).toEqual(Array.from(a.offsets));
      expect(Array.from(b.targets)).toEqual(Array.from(a.targets));
      expect(Array.from(b.outbound ?? [])).toEqual(Array.from(a.outbound ?? []));
      expect(Array.from(c.targets)).not.toEqual(Array.from(a.targets));
      expect(edgeCount(a)).not.toBe(8 * 2000); // not the fixed outbound
    });

    it('keeps the inbound cap when it binds', () => {
      // 2000 nodes x 8 inbound slots = 16000 < 17290 expected openings.
      const g = build(spec(8), 2000, 3);
      expectSimple(g);
      const { out, inb, mismatched } = directions(g);
      expect(mismatched).toBe(0);
      expect(Math.max(...inb)).toBe(8);
      expect(Math.max(...out)).toBeLessThanOrEqual(20);
      expect(edgeCount(g)).toBeLessThanOrEqual(16000);
      expect(edgeCount(g)).toBeGreaterThan(15000);
    });
  });
});

describe('small-world', () => {
  it('with rewire = 0 is exactly the ring lattice', () => {
    const ws = build({ kind: 'small-world', degree: 6, rewire: 0 }, 100);
    const lattice = build({ kind: 'ring', k: 3 }, 100);
    expect(Array.from(ws.offsets)).toEqual(Array.from(lattice.offsets));
    expect(Array.from(ws.targets)).toEqual(Array.from(lattice.targets));
  });

  it('keeps n x degree / 2 links and each node its own degree/2 lattice ends when rewiring', () => {
    for (const rewire of [0.1, 0.5, 1]) {
      const g = build({ kind: 'small-world', degree: 8, rewire }, 3000);
      expectSimple(g);
      expect(edgeCount(g)).toBe((3000 * 8) / 2);
      expect(Math.min(...degrees(g))).toBeGreaterThanOrEqual(4);
    }
  });

  it('rewiring actually moves links (degrees are no longer all equal)', () => {
    const g = build({ kind: 'small-world', degree: 8, rewire: 0.5 }, 3000);
    expect(new Set(degrees(g)).size).toBeGreaterThan(3);
  });

  it('has the lattice clustering 3(k-2)/(4(k-1)) at rewire 0, ~(1-p)^3 of it at p, ~k/n at 1', () => {
    const n = 2000;
    const k = 6;
    const c0 = (3 * (k - 2)) / (4 * (k - 1));
    expect(averageClustering(build({ kind: 'small-world', degree: k, rewire: 0 }, n))).toBeCloseTo(c0, 12);
    // Barrat & Weigt (2000): C(p) ~ C(0) (1 - p)^3 for the rewired model.
    const c1 = averageClustering(build({ kind: 'small-world', degree: k, rewire: 0.1 }, n));
    expect(Math.abs(c1 - c0 * 0.9 ** 3)).toBeLessThan(0.03);
    expect(averageClustering(build({ kind: 'small-world', degree: k, rewire: 1 }, n))).toBeLessThan(0.02);
  });

  it('rejects degree >= n', () => {
    expectInputError(() => build({ kind: 'small-world', degree: 10, rewire: 0.1 }, 10), 'topology.degree', /< nodes/);
  });
});

describe('scale-free', () => {
  const n = 20000;
  const m = 3;
  const g = build({ kind: 'scale-free', m }, n);

  it('is simple with m (n - m - 1) links plus the m of the seed star', () => {
    expectSimple(g);
    expect(edgeCount(g)).toBe(m * (n - m - 1) + m);
    expect(build({ kind: 'scale-free', m: 1 }, 2).targets.length).toBe(2); // just the star: one link
  });

  it('has min degree >= m and a heavy tail', () => {
    const d = degrees(g);
    expect(Math.min(...d)).toBeGreaterThanOrEqual(m);
    const mean = d.reduce((a, b) => a + b, 0) / n;
    // An Erdős–Rényi graph of the same mean (6) would top out near 20.
    expect(Math.max(...d)).toBeGreaterThan(10 * mean);
  });

  it('follows the BA degree distribution P(K >= k) = m(m+1) / (k(k+1))', () => {
    const d = degrees(g);
    // The relative standard error of the count at k = 24 (~400 nodes) is ~5 %; 15 % is 3 sigma.
    for (const k of [6, 12, 24]) {
      const observed = d.filter((x) => x >= k).length / n;
      const expected = (m * (m + 1)) / (k * (k + 1));
      expect(Math.abs(observed / expected - 1)).toBeLessThan(0.15);
    }
  });

  it('rejects m >= n', () => {
    expectInputError(() => build({ kind: 'scale-free', m: 5 }, 5), 'topology.m', /< nodes \(5\)/);
  });
});

describe('determinism', () => {
  const specs: Topology[] = [
    { kind: 'random-regular', degree: 4 },
    { kind: 'random-regular', degree: 15 },
    { kind: 'erdos-renyi', meanDegree: 5 },
    { kind: 'bitcoin', outbound: 4, maxInbound: 10 },
    { kind: 'small-world', degree: 4, rewire: 0.2 },
    { kind: 'scale-free', m: 2 },
  ];
  it.each(specs.map((s) => [s.kind, s] as const))('%s: same seed, same arrays; other seed, other graph', (_, spec) => {
    const a = build(spec, 500, 1);
    const b = build(spec, 500, 1);
    const c = build(spec, 500, 2);
    expect(Array.from(b.offsets)).toEqual(Array.from(a.offsets));
    expect(Array.from(b.targets)).toEqual(Array.from(a.targets));
    expect(b.outbound === undefined ? undefined : Array.from(b.outbound)).toEqual(
      a.outbound === undefined ? undefined : Array.from(a.outbound),
    );
    expect(Array.from(c.targets)).not.toEqual(Array.from(a.targets));
  });
});

describe('edge-list', () => {
  const dir = mkdtempSync(join(tmpdir(), 'p2psim-topology-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const file = (name: string, text: string): string => {
    writeFileSync(join(dir, name), text);
    return name;
  };

  it('writes each link once, u < v', () => {
    const g = csrFromEdges(4, Int32Array.from([2, 0, 3]), Int32Array.from([0, 1, 2]), 3);
    expect(writeEdgeList(g)).toBe('0 1\n0 2\n2 3\n');
  });

  it('round-trips a generated graph', () => {
    const g = build({ kind: 'erdos-renyi', meanDegree: 6 }, 800);
    const name = file('roundtrip.txt', writeEdgeList(g));
    const back = buildTopology({ kind: 'edge-list', file: name }, 800, 0, dir);
    expect(Array.from(back.offsets)).toEqual(Array.from(g.offsets));
    expect(Array.from(back.targets)).toEqual(Array.from(g.targets));
    // An absolute path ignores baseDir.
    const abs = buildTopology({ kind: 'edge-list', file: join(dir, name) }, 800, 0, '/nonexistent');
    expect(Array.from(abs.targets)).toEqual(Array.from(g.targets));
  });

  it('skips comments and blank lines, drops self-loops and repeats', () => {
    const name = file('messy.txt', '# a comment\n\n0 1\r\n  1\t0  \n2 2\n1 2\n   \n# 3 0\n');
    const g = buildTopology({ kind: 'edge-list', file: name }, 4, 0, dir);
    expect(Array.from(g.offsets)).toEqual([0, 1, 3, 4, 4]);
    expect(Array.from(g.targets)).toEqual([1, 0, 2, 1]);
  });

  it('names the field, the file and the line of a bad entry', () => {
    const cases: [string, RegExp][] = [
      ['0 1\n1 x\n', /bad1\.txt:2: node id "x" is not an integer in 0\.\.4/],
      ['0 1\n\n# c\n3 5\n', /bad2\.txt:4: node id "5" is not an integer in 0\.\.4/],
      ['0 -1\n', /bad3\.txt:1: node id "-1"/],
      ['0 1 2\n', /bad4\.txt:1: expected two node ids/],
      ['1.5 2\n', /bad5\.txt:1: node id "1\.5"/],
      ['0 1\n4\n', /bad6\.txt:2: expected two node ids "u v", got "4"/],
      ['0 1\n2 99999999999999999999\n', /bad7\.txt:2: node id "99999999999999999999"/],
    ];
    cases.forEach(([text, message], i) => {
      const name = file(`bad${i + 1}.txt`, text);
      expectInputError(() => buildTopology({ kind: 'edge-list', file: name }, 5, 0, dir), 'topology.file', message);
    });
  });

  it('reports a missing file', () => {
    expectInputError(
      () => buildTopology({ kind: 'edge-list', file: 'nope.txt' }, 5, 0, dir),
      'topology.file',
      /cannot read .*nope\.txt: no such file/,
    );
  });
});

describe('regions', () => {
  const counts = (region: Uint8Array, regions: number): number[] => {
    const c = new Array<number>(regions).fill(0);
    for (const r of region) c[r]++;
    return c;
  };

  it('splits exactly by largest remainder', () => {
    // Quotas 3.33 each: floors 3, 3, 3; the one left over goes to the tie's lowest index.
    expect(regionCounts(10, [1, 1, 1])).toEqual([4, 3, 3]);
    // Quotas 3.15, 2.45, 1.40: floors 3, 2, 1; the one left over goes to the largest fraction (0.45).
    expect(regionCounts(7, [0.45, 0.35, 0.2])).toEqual([3, 3, 1]);
    // Shares need not sum to 1; a zero share gets nobody.
    expect(regionCounts(9, [0, 2, 1])).toEqual([0, 6, 3]);
    expect(counts(assignRegions(7, [0.45, 0.35, 0.2], 1), 3)).toEqual([3, 3, 1]);
  });

  it('puts everyone in region 0 with one region or none', () => {
    for (const shares of [[], [0.7]]) {
      const r = assignRegions(50, shares, 3);
      expect(r.length).toBe(50);
      expect(r.every((x) => x === 0)).toBe(true);
      expect(r.buffer).toBeInstanceOf(SharedArrayBuffer);
    }
  });

  it('shuffles the placement so region does not follow node id', () => {
    const r = assignRegions(1000, [1, 1], 5);
    expect(r.buffer).toBeInstanceOf(SharedArrayBuffer);
    expect(counts(r, 2)).toEqual([500, 500]);
    // Region 0 among the first 500 ids is hypergeometric: mean 250, sd ~7.9; unshuffled it would be 500.
    const firstHalf = counts(r.subarray(0, 500), 2)[0] as number;
    expect(Math.abs(firstHalf - 250)).toBeLessThan(40);
  });

  it('is deterministic in the seed', () => {
    const shares = [0.3, 0.5, 0.2];
    expect(Array.from(assignRegions(300, shares, 9))).toEqual(Array.from(assignRegions(300, shares, 9)));
    expect(Array.from(assignRegions(300, shares, 10))).not.toEqual(Array.from(assignRegions(300, shares, 9)));
  });

  it('rejects negative shares and all-zero shares', () => {
    expectInputError(() => assignRegions(10, [1, -1], 0), 'latency.regions', />= 0/);
    expectInputError(() => assignRegions(10, [0, 0], 0), 'latency.regions', /share > 0/);
  });
});
