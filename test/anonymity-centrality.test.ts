// The reporting-centrality estimator against cases worked out independently of the engine.
//
// 1. The distance centre (a pure function) on hand-drawn graphs, its sums worked out by hand below, and
//    on random small graphs against a brute force over all-pairs distances (Floyd–Warshall), which checks
//    that truncating the searches never loses a minimiser.
// 2. The report log: each shard's fixed-size buffer, pooled, gives the earliest K distinct senders of a
//    brute-force sort of every report, whatever the order reports come in and however they are split.
// 3. Flooding, constant latency L, an eavesdropper with θ = 1: a node at distance d from the origin first
//    hears at d·L and reports at (d + 1)·L. On the regular tree below (root 3 children, other internal
//    nodes 2, so every internal node has degree 3), a node within distance 2 of a node with two levels
//    below it has exactly 1 + 3 + 6 = 10 nodes within distance 2 (ids 0 … 9 are such nodes), and those
//    report at 3L at the latest, everyone else at 4L or later. With K = 10 the reporters are that ball,
//    each branch at the origin holds 3 of its 10 nodes (fewer than half), and the origin's sum (3·1 +
//    6·2 = 15) beats a neighbour's (19): the centre is the origin alone, recall 1, |C| = 1. On a path
//    with the origin in the middle and K = 2, the second report is a tie at 2L between the origin's two
//    neighbours, broken to the lower sender id, so C = {origin − 1, origin}: recall 1/2, |C| = 2.
// 4. Diffusion on the same tree against the eavesdropper: each node's copy to the eavesdropper leaves
//    after its own Exp(mean D) wait, and on a tree a node first hears at the sum of (wait + L) along its
//    unique path. A Monte Carlo of a few lines draws that, takes the first K reporters and their centre by
//    brute force; the engine's recall and mean |C| must agree within four standard errors.
// 5. The same anonymity section at 1, 2 and 3 workers, with spies split over the shards and ties in time.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { Result } from '../src/result.js';
import { mulberry32 } from './mulberry32.js';

const { runScenario } = (await import('../dist/src/run.js' as string)) as typeof import('../src/run.js');
const { parseScenario } = (await import('../dist/src/scenario/load.js' as string)) as typeof import('../src/scenario/load.js');
const { DistanceCentre } = (await import('../dist/src/models/gossip/centrality.js' as string)) as typeof import('../src/models/gossip/centrality.js');
const { ReportBuffer } = (await import('../dist/src/models/gossip/spies.js' as string)) as typeof import('../src/models/gossip/spies.js');
const { poolReports } = (await import('../dist/src/models/gossip/anonymity.js' as string)) as typeof import('../src/models/gossip/anonymity.js');

const TIMEOUT = 180_000;
const L = 50;
const D = 100;
const dir = mkdtempSync(join(tmpdir(), 'p2psim-centrality-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function edgeList(name: string, edges: [number, number][]): string {
  writeFileSync(join(dir, name), edges.map(([a, b]) => `${a} ${b}`).join('\n') + '\n');
  return name;
}

async function run(raw: object, workers = 1, assignment = 'contiguous'): Promise<Result> {
  return runScenario(parseScenario(raw), { workers, assignment: assignment as 'contiguous', baseDir: dir });
}

/** CSR arrays of an undirected graph on n nodes. */
function csr(n: number, edges: readonly [number, number][]): { offsets: Int32Array; targets: Int32Array } {
  const adj: number[][] = Array.from({ length: n }, () => []);
  for (const [a, b] of edges) adj[a]!.push(b), adj[b]!.push(a);
  const offsets = new Int32Array(n + 1);
  adj.forEach((row, v) => (offsets[v + 1] = offsets[v]! + row.length));
  return { offsets, targets: Int32Array.from(adj.flat()) };
}

/** All-pairs hop distances (Floyd–Warshall), Infinity where unreachable. */
function allPairs(n: number, edges: readonly [number, number][]): number[][] {
  const d = Array.from({ length: n }, (_, i) => Array.from({ length: n }, (_, j) => (i === j ? 0 : Infinity)));
  for (const [a, b] of edges) d[a]![b] = d[b]![a] = 1;
  for (let k = 0; k < n; k++) for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) d[i]![j] = Math.min(d[i]![j]!, d[i]![k]! + d[k]![j]!);
  return d;
}

/** Every non-excluded node minimising the summed distance to `reporters`, ascending. */
function bruteCentre(d: number[][], reporters: readonly number[], excluded: ArrayLike<number> = []): number[] {
  let best = Infinity;
  let out: number[] = [];
  d.forEach((row, v) => {
    if (excluded[v]) return;
    const s = reporters.reduce((a, r) => a + row[r]!, 0);
    if (s < best) (best = s), (out = []);
    if (s === best) out.push(v);
  });
  return out;
}

/** A tree whose root has 3 children and every other internal node 2: internal degree 3. */
function regularTree(depth: number): [number, number][] {
  const edges: [number, number][] = [];
  let level = [0];
  let next = 1;
  for (let d = 0; d < depth; d++) {
    const below: number[] = [];
    for (const u of level) {
      for (let c = 0; c < (u === 0 ? 3 : 2); c++) {
        edges.push([u, next]);
        below.push(next++);
      }
    }
    level = below;
  }
  return edges;
}

describe('the distance centre', () => {
  //         0
  //       / | \
  //      1  2  3
  //     / \     \
  //    4   5     6
  //              |
  //              7
  const tree: [number, number][] = [[0, 1], [0, 2], [0, 3], [1, 4], [1, 5], [3, 6], [6, 7]];
  const centre = (edges: [number, number][], n: number, reporters: number[], excluded: number[] = [], nodes = n) =>
    Array.from(new DistanceCentre(csr(n, edges), nodes, Uint8Array.from({ length: n }, (_, v) => (excluded.includes(v) ? 1 : 0))).centre(reporters));

  it('on a hand-drawn tree', () => {
    // Reporters 4, 5, 1, 7: sums 0 → 2+2+1+3 = 8, 1 → 1+1+0+4 = 6, 4 → 0+2+1+5 = 8, 5 → 8, 3 → 3+3+2+2 = 10,
    // 2 → 12, 6 → 4+4+3+1 = 12, 7 → 5+5+4+0 = 14. Each branch at 1 holds at most 2 of the 4.
    expect(centre(tree, 8, [4, 5, 1, 7])).toEqual([1]);
    // Reporters 4 and 7: every node on the path 4-1-0-3-6-7 sums 5, the others 7: a tie of six.
    expect(centre(tree, 8, [4, 7])).toEqual([0, 1, 3, 4, 6, 7]);
    // Node 3 excluded is never a candidate, but the path still runs through it.
    expect(centre(tree, 8, [4, 7], [3])).toEqual([0, 1, 4, 6, 7]);
    // A single reporter is its own centre; none gives nothing.
    expect(centre(tree, 8, [6])).toEqual([6]);
    expect(centre(tree, 8, [])).toEqual([]);
    // Node 8, joined to every node, is an eavesdropper's connection: outside `nodes`, it carries nothing.
    const observed: [number, number][] = [...tree, ...Array.from({ length: 8 }, (_, v) => [v, 8] as [number, number])];
    expect(centre(observed, 9, [4, 5, 1, 7], [8], 8)).toEqual([1]);
    expect(centre(observed, 9, [4, 7], [8], 8)).toEqual([0, 1, 3, 4, 6, 7]);
  });

  it('on a cycle, where ties are the rule', () => {
    const c6: [number, number][] = Array.from({ length: 6 }, (_, i) => [i, (i + 1) % 6] as [number, number]);
    // Reporters 0 and 3 are opposite: every node sums 3.
    expect(centre(c6, 6, [0, 3])).toEqual([0, 1, 2, 3, 4, 5]);
    // Reporters 0 and 2: 0, 1, 2 sum 2; 3, 4, 5 sum 4.
    expect(centre(c6, 6, [0, 2])).toEqual([0, 1, 2]);
    // Reporters 0, 1, 2: 1 sums 2, 0 and 2 sum 3, 3 and 5 sum 6 and 4, 4 sums 6.
    expect(centre(c6, 6, [0, 1, 2])).toEqual([1]);
    // With 1 excluded, 0 and 2 tie at 3.
    expect(centre(c6, 6, [0, 1, 2], [1])).toEqual([0, 2]);
  });

  it('keeps the reporters the first one reaches', () => {
    // Two components: the path 0-1-2-3 and 4-5. The first reporter, 1, reaches 0 and 2, not 4 and 5, so
    // the reporters are 1, 0, 2: 1 sums 2, 0 and 2 sum 3, 3 sums 6.
    expect(centre([[0, 1], [1, 2], [2, 3], [4, 5]], 6, [1, 4, 0, 2, 5])).toEqual([1]);
    // The first reporter picks the component, whichever holds more reporters.
    expect(centre([[0, 1], [1, 2], [2, 3], [4, 5]], 6, [4, 1, 5])).toEqual([4, 5]);
  });

  it('agrees with a brute force over all-pairs distances on random graphs', () => {
    const rand = mulberry32(3);
    for (let trial = 0; trial < 300; trial++) {
      const n = 5 + Math.floor(rand() * 40);
      const edges: [number, number][] = [];
      // A random spanning tree (connected), then a few chords that make cycles, sometimes none.
      for (let v = 1; v < n; v++) edges.push([v, Math.floor(rand() * v)]);
      const chords = Math.floor(rand() * n * (trial % 3));
      for (let c = 0; c < chords; c++) {
        const a = Math.floor(rand() * n);
        const b = Math.floor(rand() * n);
        if (a !== b) edges.push([a, b]);
      }
      const excluded = Uint8Array.from({ length: n }, () => (rand() < 0.2 ? 1 : 0));
      const k = 1 + Math.floor(rand() * Math.min(n, 12));
      const reporters = [...new Set(Array.from({ length: k }, () => Math.floor(rand() * n)))];
      const d = allPairs(n, edges);
      const dc = new DistanceCentre(csr(n, edges), n, excluded);
      expect(Array.from(dc.centre(reporters)), `trial ${trial}`).toEqual(bruteCentre(d, reporters, excluded));
      // Scratch state is reset between calls: the same instance answers a second query alike.
      expect(Array.from(dc.centre(reporters.slice(0, 1)))).toEqual(bruteCentre(d, reporters.slice(0, 1), excluded));
    }
  });
});

describe('the report log', () => {
  it('pooled shard buffers give the earliest K distinct senders of all reports', () => {
    const rand = mulberry32(4);
    const M = 50;
    for (const k of [1, 3, 8]) {
      for (const shards of [1, 2, 3]) {
        const bufs = Array.from({ length: shards }, () => new ReportBuffer(M, k));
        const all: [number, number, number, number][] = [];
        for (let i = 0; i < 3000; i++) {
          // Coarse times and few senders, so ties in time and repeated senders are common.
          const r: [number, number, number, number] = [Math.floor(rand() * M), Math.floor(rand() * 20), Math.floor(rand() * 15), Math.floor(rand() * 6)];
          all.push(r);
          bufs[Math.floor(rand() * shards)]!.add(r[0], r[1], r[2], r[3]);
        }
        const outcomes = bufs.map((b) => ({ perNode: {}, totals: { reportMs: Array.from(b.ms), reportFrom: Array.from(b.from), reportAt: Array.from(b.at) } }));
        const pooled = poolReports(outcomes, M, k);
        for (let m = 0; m < M; m++) {
          const sorted = all.filter((r) => r[0] === m).sort((a, b) => a[1] - b[1] || a[2] - b[2] || a[3] - b[3]);
          const want = [...new Set(sorted.map((r) => r[2]))].slice(0, k);
          expect(pooled[m], `k ${k}, ${shards} shards, broadcast ${m}`).toEqual(want);
        }
      }
    }
  });
});

describe('reporting-centrality estimator', () => {
  it('flood, constant latency, eavesdropper θ = 1 on a tree: the first 10 reports are the ball around the origin, its centre', async () => {
    const edges = regularTree(4);
    const file = edgeList('tree.txt', edges);
    const count = 200;
    for (const workers of [1, 2, 3]) {
      const r = await run({
        nodes: edges.length + 1, seed: 5, topology: { kind: 'edge-list', file }, latency: { kind: 'constant', ms: L },
        protocol: { kind: 'flood' }, workload: { count, origins: Array.from({ length: count }, (_, i) => i % 10) },
        adversary: { kind: 'eavesdropper', connections: 1, reports: 10, guesses: true },
      }, workers, 'strided');
      const a = r.anonymity!;
      expect(a.estimators.map((e) => e.name)).toEqual(['first-spy', 'reporting-centrality']);
      expect(a.estimators[1]).toMatchObject({ recall: 1, precision: 1, messages: count, candidates: { mean: 1, entropyBits: 0 } });
      expect(a.estimators[0]!.candidates).toEqual({ mean: 1, entropyBits: 0 });
      for (const g of a.guesses!) expect(g).toMatchObject({ guesses: [g.origin, g.origin], sizes: [1, 1] });
    }
  }, TIMEOUT);

  it('flood on a path: a tie in time goes to the lower sender, and the centre is a set of two', async () => {
    const N = 11;
    const file = edgeList('path.txt', Array.from({ length: N - 1 }, (_, i) => [i, i + 1] as [number, number]));
    const base = { nodes: N, seed: 5, topology: { kind: 'edge-list', file }, latency: { kind: 'constant', ms: L }, protocol: { kind: 'flood' }, workload: { count: 20, origins: [5] } };
    const two = await run({ ...base, adversary: { kind: 'eavesdropper', reports: 2, guesses: true } }, 2);
    const rc = two.anonymity!.estimators[1]!;
    // Reporters 5 (at L) and 4 (at 2L, ahead of 6 by id): C = {4, 5}. Guesses of 4 and 5 are half right
    // and half wrong each, so precision is (10 / 10) over the one origin.
    expect(rc).toMatchObject({ name: 'reporting-centrality', recall: 0.5, precision: 1, candidates: { mean: 2, entropyBits: 1 } });
    for (const g of two.anonymity!.guesses!) expect(g).toMatchObject({ origin: 5, guesses: [5, 4], sizes: [1, 2] });
    // With K = 3 both neighbours report: the centre is the origin alone.
    const three = await run({ ...base, adversary: { kind: 'eavesdropper', reports: 3 } }, 2);
    expect(three.anonymity!.estimators[1]).toMatchObject({ recall: 1, candidates: { mean: 1, entropyBits: 0 } });
  }, TIMEOUT);

  it('diffusion on a regular tree against the eavesdropper (θ = 1) matches a Monte Carlo of the same process', async () => {
    const edges = regularTree(4);
    const n = edges.length + 1;
    const K = 4;
    const file = edgeList('tree-diffusion.txt', edges);
    const r = await run({
      nodes: n, seed: 17, topology: { kind: 'edge-list', file }, latency: { kind: 'constant', ms: L },
      protocol: { kind: 'diffusion', meanDelayMs: D }, workload: { count: 4000 }, durationMs: 120_000,
      adversary: { kind: 'eavesdropper', connections: 1, reports: K },
    });
    const adj: number[][] = Array.from({ length: n }, () => []);
    for (const [a, b] of edges) adj[a]!.push(b), adj[b]!.push(a);
    const d = allPairs(n, edges);
    const rand = mulberry32(9);
    const exp = () => -D * Math.log(1 - rand());
    const trials = 40_000;
    let hit = 0;
    let hit2 = 0;
    let size = 0;
    let size2 = 0;
    const t = new Float64Array(n);
    const parent = new Int32Array(n);
    for (let k = 0; k < trials; k++) {
      const s = Math.floor(rand() * n);
      t[s] = 0;
      parent[s] = -1;
      const queue = [s];
      for (let i = 0; i < queue.length; i++) {
        const u = queue[i]!;
        for (const w of adj[u]!) {
          if (w === parent[u]) continue;
          parent[w] = u;
          t[w] = t[u]! + exp() + L;
          queue.push(w);
        }
      }
      const report = Array.from(t, (tu) => tu + exp() + L);
      const reporters = Array.from({ length: n }, (_, v) => v).sort((a, b) => report[a]! - report[b]!).slice(0, K);
      const c = bruteCentre(d, reporters);
      const x = c.includes(s) ? 1 / c.length : 0;
      hit += x;
      hit2 += x * x;
      size += c.length;
      size2 += c.length * c.length;
    }
    const e = r.anonymity!.estimators.find((x) => x.name === 'reporting-centrality')!;
    expect(e.messages).toBe(4000);
    const agree = (engine: number, mean: number, meanSq: number, what: string) => {
      const variance = meanSq - mean * mean;
      const se = Math.sqrt(variance / e.messages + variance / trials);
      expect(Math.abs(engine - mean), `${what}: engine ${engine} vs Monte Carlo ${mean} (se ${se})`).toBeLessThan(4 * se);
    };
    agree(e.recall, hit / trials, hit2 / trials, 'recall');
    agree(e.candidates.mean, size / trials, size2 / trials, 'mean |C|');
    // Not a degenerate case: right often, far from always, and ties happen.
    expect(e.recall).toBeGreaterThan(0.2);
    expect(e.recall).toBeLessThan(0.9);
    expect(e.candidates.mean).toBeGreaterThan(1);
  }, TIMEOUT);
});

describe('reporting-centrality is deterministic at every worker count', () => {
  const cases: [string, object, string][] = [
    ['flood with constant latency (ties in time) against spies spread over the shards', {
      nodes: 300, topology: { kind: 'random-regular', degree: 6 }, latency: { kind: 'constant', ms: 40 }, protocol: { kind: 'flood' },
      workload: { count: 60, ratePerSecond: 20 }, adversary: { kind: 'spies', fraction: 0.15, reports: 5, guesses: true },
    }, 'contiguous'],
    ['diffusion against an eavesdropper with θ = 3, its nodes in different shards', {
      nodes: 300, topology: { kind: 'bitcoin', outbound: 8 }, latency: { kind: 'uniform', minMs: 20, maxMs: 80 }, protocol: { kind: 'diffusion', meanDelayMs: 300 },
      workload: { count: 60, ratePerSecond: 20 }, adversary: { kind: 'eavesdropper', connections: 3, reports: 8, guesses: true },
    }, 'strided'],
  ];
  for (const [name, raw, assignment] of cases) {
    it(name, async () => {
      const one = await run({ ...raw, seed: 7 }, 1, assignment);
      const rc = one.anonymity!.estimators.find((e) => e.name === 'reporting-centrality')!;
      expect(rc.messages).toBeGreaterThan(0);
      for (const workers of [2, 3]) {
        const r = await run({ ...raw, seed: 7 }, workers, assignment);
        expect(r.digest, `${workers} workers`).toBe(one.digest);
        expect(r.anonymity, `${workers} workers`).toEqual(one.anonymity);
      }
      const other = await run({ ...raw, seed: 8 }, 2, assignment);
      expect(other.anonymity!.guesses).not.toEqual(one.anonymity!.guesses);
    }, TIMEOUT);
  }
});
