import { describe, expect, it } from 'vitest';
import { assignNodes, regionsOnShards, type Assignment } from '../src/engine/assignment.js';

/** Every node in exactly one shard; members ascending; shardOf and localOf agree with members. */
function expectConsistent(p: Assignment, n: number): void {
  expect(p.shardOf.buffer).toBeInstanceOf(SharedArrayBuffer);
  expect(p.localOf.buffer).toBeInstanceOf(SharedArrayBuffer);
  expect(p.members.length).toBe(p.shards);
  const seen = new Array<number>(n).fill(0);
  let problems = 0;
  p.members.forEach((ids, s) => {
    ids.forEach((v, i) => {
      seen[v]++;
      if (i > 0 && v <= (ids[i - 1] as number)) problems++;
      if (p.shardOf[v] !== s || p.localOf[v] !== i) problems++;
    });
  });
  expect(problems).toBe(0);
  expect(seen.every((c) => c === 1)).toBe(true);
  // Contiguous ranges, which the shards use to route without reading shardOf, must agree with it.
  if (p.starts) {
    expect(p.starts.length).toBe(p.shards + 1);
    for (let v = 0; v < n; v++) {
      const s = p.shardOf[v]!;
      if (!(p.starts[s]! <= v && v < p.starts[s + 1]!)) problems++;
    }
    expect(problems).toBe(0);
  }
}

const sizes = (p: Assignment): number[] => p.members.map((m) => m.length);
const regionArray = (values: number[]): Uint8Array => Uint8Array.from(values);

describe('strided', () => {
  it('gives node v to shard v mod S, rows in id order', () => {
    const p = assignNodes('strided', 10, 3, new Uint8Array(10));
    expectConsistent(p, 10);
    expect(p.members.map((m) => Array.from(m))).toEqual([[0, 3, 6, 9], [1, 4, 7], [2, 5, 8]]);
    expect(Array.from(p.localOf)).toEqual([0, 0, 0, 1, 1, 1, 2, 2, 2, 3]);
  });
});

describe('contiguous', () => {
  it('gives shard s the ids [floor(s n / S), floor((s + 1) n / S))', () => {
    const p = assignNodes('contiguous', 10, 3, new Uint8Array(10));
    expectConsistent(p, 10);
    expect(p.members.map((m) => Array.from(m))).toEqual([[0, 1, 2], [3, 4, 5], [6, 7, 8, 9]]);
    expect(Array.from(p.localOf)).toEqual([0, 1, 2, 0, 1, 2, 0, 1, 2, 3]);
  });

  it('works for one shard and for many', () => {
    expect(sizes(assignNodes('contiguous', 7, 1, new Uint8Array(7)))).toEqual([7]);
    const p = assignNodes('contiguous', 1000, 7, new Uint8Array(1000));
    expectConsistent(p, 1000);
    expect(sizes(p)).toEqual([142, 143, 143, 143, 143, 143, 143]);
  });
});

describe('by-region', () => {
  it('keeps small regions whole, balancing largest first onto the least-loaded shard', () => {
    // Regions of 6, 5, 5 and 4 nodes, interleaved by id. Even share 10, cap 11: 6 -> s0, 5 -> s1,
    // 5 -> s1 (5 < 6), 4 -> s0.
    const pattern = [0, 1, 2, 3, 0, 1, 2, 3, 0, 1, 2, 3, 0, 1, 2, 3, 0, 1, 2, 0];
    const region = regionArray(pattern);
    const p = assignNodes('by-region', 20, 2, region);
    expectConsistent(p, 20);
    expect(Array.from(p.shardOf)).toEqual(pattern.map((r) => (r === 0 || r === 3 ? 0 : 1)));
    expect(regionsOnShards(p, region, 4)).toEqual([
      [true, false, false, true],
      [false, true, true, false],
    ]);
  });

  it('splits a region larger than the balanced share over the least-loaded shards', () => {
    // 14 + 3 + 3 nodes on 4 shards: even share 5 (cap 5). Region 0 fills s0, s1 to 5 and s2 to 4;
    // region 1 (3) goes whole to the empty s3; region 2 (3) no longer fits anywhere whole: 2 to s3, 1 to s2.
    const region = regionArray([...Array<number>(14).fill(0), 1, 1, 1, 2, 2, 2]);
    const p = assignNodes('by-region', 20, 4, region);
    expectConsistent(p, 20);
    expect(Array.from(p.shardOf)).toEqual([0, 0, 0, 0, 0, 1, 1, 1, 1, 1, 2, 2, 2, 2, 3, 3, 3, 3, 3, 2]);
    expect(sizes(p)).toEqual([5, 5, 5, 5]);
  });

  it('keeps the regions of a bitcoin-like mix whole where they fit', () => {
    // Hand-computed with even share 2500, cap 2875: region 1 (3700) -> s0 2500 + s1 1200; region 0 (3300)
    // -> s2 2500 + s3 800; then 1000 -> s3, 1000 -> s1, 500 -> s3, 300 -> s1, 200 -> s3.
    const counts = [3300, 3700, 1000, 1000, 500, 300, 200];
    const values: number[] = [];
    counts.forEach((c, r) => values.push(...Array<number>(c).fill(r)));
    // Spread regions over ids with a fixed permutation (multiplication by a unit mod 10000).
    const region = new Uint8Array(10000);
    values.forEach((r, i) => (region[(i * 7919) % 10000] = r));
    const p = assignNodes('by-region', 10000, 4, region);
    expectConsistent(p, 10000);
    expect(sizes(p)).toEqual([2500, 2500, 2500, 2500]);
    const on = regionsOnShards(p, region, 7);
    const shardsHolding = (r: number): number => on.filter((row) => row[r]).length;
    expect(counts.map((_, r) => shardsHolding(r))).toEqual([2, 2, 1, 1, 1, 1, 1]);
  });

  it('gives a shard left empty by whole regions half of the biggest piece', () => {
    // Six regions of 115 and one of 110 on 8 shards (cap 115) fill only 7 shards; the first 115 gives 57.
    const counts = [115, 115, 115, 115, 115, 115, 110];
    const values: number[] = [];
    counts.forEach((c, r) => values.push(...Array<number>(c).fill(r)));
    const p = assignNodes('by-region', 800, 8, regionArray(values));
    expectConsistent(p, 800);
    expect(sizes(p)).toEqual([58, 115, 115, 115, 115, 115, 110, 57]);
  });

  it('pours a single region over all shards', () => {
    const p = assignNodes('by-region', 10, 4, new Uint8Array(10));
    expectConsistent(p, 10);
    expect(sizes(p)).toEqual([3, 3, 3, 1]);
  });

  it('never leaves a shard empty when n >= shards, and never exceeds 1.15 x the even share', () => {
    let state = 12345;
    const next = (): number => (state = (Math.imul(state, 1103515245) + 12345) >>> 0) / 2 ** 32;
    for (let trial = 0; trial < 200; trial++) {
      const shards = 1 + Math.floor(next() * 8);
      const n = shards + Math.floor(next() * 60);
      const regions = 1 + Math.floor(next() * 6);
      const region = Uint8Array.from({ length: n }, () => Math.floor(next() ** 2 * regions));
      const p = assignNodes('by-region', n, shards, region);
      expectConsistent(p, n);
      expect(Math.min(...sizes(p))).toBeGreaterThan(0);
      expect(Math.max(...sizes(p))).toBeLessThanOrEqual(Math.floor((Math.ceil(n / shards) * 115) / 100));
    }
  });
});

describe('regionsOnShards', () => {
  it('marks exactly the regions each shard holds', () => {
    const region = regionArray([2, 0, 0, 1, 2, 2]);
    const p = assignNodes('contiguous', 6, 2, region); // shard 0: ids 0..2, shard 1: ids 3..5
    expect(regionsOnShards(p, region, 4)).toEqual([
      [true, false, true, false],
      [false, true, true, false],
    ]);
  });
});
