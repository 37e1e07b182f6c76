// The first-spy (first-timestamp) estimator against cases worked out independently of the engine.
//
// 1. Flooding, constant latency L, an eavesdropper with θ = 1, on a tree: the origin sends its copy to
//    the eavesdropper at time 0, so it arrives at L. Every other node first hears the broadcast at L or
//    later (one hop at least) and its copy to the eavesdropper arrives at 2L or later. The origin is the
//    first to report, strictly: recall 1, and every guess is right, so precision 1.
// 2. Diffusion on a line against the eavesdropper (θ = 1): each copy, the one to the eavesdropper
//    included, leaves after its own Exp(mean D) wait and takes L. On a line the path from the origin is
//    unique, so node v first hears at the sum of (wait + L) over the hops to it, and reports at that plus
//    one more wait + L. A Monte Carlo of a few lines below draws exactly that and estimates
//    P(the origin reports first); the engine's recall over thousands of broadcasts must agree within
//    four standard errors of the two estimates combined.
// 3. Diffusion on a small regular tree (internal degree 3) against spies at fraction 0.2: spies relay
//    like anyone, and the log keeps a spy's receipts from honest senders only. On a tree, node u hears
//    at the sum of (wait + L) along the unique path; honest u sends a copy to every neighbour but the
//    one it heard from, so each spy neighbour w of u other than u's parent gets a copy at t_u + wait + L.
//    The guess is the sender of the earliest such copy. Same Monte Carlo comparison.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { Result } from '../src/result.js';
import { mulberry32 } from './mulberry32.js';

const { runScenario } = (await import('../dist/src/run.js' as string)) as typeof import('../src/run.js');
const { parseScenario } = (await import('../dist/src/scenario/load.js' as string)) as typeof import('../src/scenario/load.js');
const { adversaryMask } = (await import('../dist/src/models/gossip/adversary.js' as string)) as typeof import('../src/models/gossip/adversary.js');

const TIMEOUT = 120_000;
const L = 50;
const D = 100;
const dir = mkdtempSync(join(tmpdir(), 'p2psim-anonymity-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function edgeList(name: string, edges: [number, number][]): string {
  writeFileSync(join(dir, name), edges.map(([a, b]) => `${a} ${b}`).join('\n') + '\n');
  return name;
}

async function run(raw: object, workers = 1): Promise<Result> {
  return runScenario(parseScenario(raw), { workers, assignment: 'contiguous', baseDir: dir });
}

const exp = (r: () => number) => -D * Math.log(1 - r());

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

function expectAgrees(engine: { recall: number; messages: number }, mc: number, trials: number): void {
  const se = Math.sqrt((mc * (1 - mc)) / engine.messages + (mc * (1 - mc)) / trials);
  expect(Math.abs(engine.recall - mc), `engine ${engine.recall} vs Monte Carlo ${mc} (se ${se})`).toBeLessThan(4 * se);
}

describe('first-spy estimator', () => {
  it('flood, constant latency, eavesdropper θ = 1 on a tree: the origin reports strictly first (recall 1)', async () => {
    const edges = regularTree(4);
    const file = edgeList('tree.txt', edges);
    for (const workers of [1, 2, 3]) {
      const r = await run({
        nodes: edges.length + 1, seed: 5, topology: { kind: 'edge-list', file }, latency: { kind: 'constant', ms: L },
        protocol: { kind: 'flood' }, workload: { count: 200 }, adversary: { kind: 'eavesdropper', connections: 1 },
      }, workers);
      const a = r.anonymity!;
      expect(a.adversaryNodes).toBe(1);
      // first-spy, then reporting-centrality (test/anonymity-centrality.test.ts), which every protocol has.
      expect(a.estimators.map((e) => e.name)).toEqual(['first-spy', 'reporting-centrality']);
      const e = a.estimators[0]!;
      expect(e).toMatchObject({ name: 'first-spy', recall: 1, precision: 1, messages: 200 });
      // Coverage is of the honest nodes only: the eavesdropper is not one of them.
      for (const m of r.messages!) expect(m.coverage).toBe(1);
    }
  }, TIMEOUT);

  it('diffusion on a line against the eavesdropper (θ = 1) matches a Monte Carlo of the same process', async () => {
    const N = 31;
    const file = edgeList('line.txt', Array.from({ length: N - 1 }, (_, i) => [i, i + 1] as [number, number]));
    const r = await run({
      nodes: N, seed: 11, topology: { kind: 'edge-list', file }, latency: { kind: 'constant', ms: L },
      protocol: { kind: 'diffusion', meanDelayMs: D }, workload: { count: 4000 }, durationMs: 120_000,
      adversary: { kind: 'eavesdropper', connections: 1 },
    });
    const rand = mulberry32(1);
    const trials = 200_000;
    let hits = 0;
    const t = new Float64Array(N);
    for (let k = 0; k < trials; k++) {
      const s = Math.floor(rand() * N);
      t[s] = 0;
      for (let v = s + 1; v < N; v++) t[v] = t[v - 1]! + exp(rand) + L;
      for (let v = s - 1; v >= 0; v--) t[v] = t[v + 1]! + exp(rand) + L;
      let best = -1;
      let bestT = Infinity;
      for (let v = 0; v < N; v++) {
        const report = t[v]! + exp(rand) + L;
        if (report < bestT) [best, bestT] = [v, report];
      }
      if (best === s) hits++;
    }
    const e = r.anonymity!.estimators[0]!;
    expect(e.messages).toBe(4000);
    expectAgrees(e, hits / trials, trials);
    // Not a degenerate case: the eavesdropper is right often, but far from always.
    expect(e.recall).toBeGreaterThan(0.3);
    expect(e.recall).toBeLessThan(0.9);
  }, TIMEOUT);

  it('diffusion on a regular tree against spies at fraction 0.2 matches a Monte Carlo of the same process', async () => {
    const edges = regularTree(4);
    const n = edges.length + 1;
    const file = edgeList('tree2.txt', edges);
    const adversary = { kind: 'spies', fraction: 0.2, select: 'random' } as const;
    const seed = 21;
    const r = await run({
      nodes: n, seed, topology: { kind: 'edge-list', file }, latency: { kind: 'constant', ms: L },
      protocol: { kind: 'diffusion', meanDelayMs: D }, workload: { count: 4000 }, durationMs: 120_000, adversary,
    });
    // The spies the run had: the same pure function of (scenario, seed), not a draw of the engine's.
    const spy = adversaryMask({ ...adversary, blackHole: false, guesses: false, reports: 16 }, n, n, seed, new Int32Array(0));
    expect(spy.reduce((a, b) => a + b, 0)).toBe(Math.round(0.2 * n));
    const adj: number[][] = Array.from({ length: n }, () => []);
    for (const [a, b] of edges) adj[a]!.push(b), adj[b]!.push(a);
    const rand = mulberry32(2);
    const trials = 100_000;
    let hits = 0;
    let counted = 0;
    const t = new Float64Array(n);
    const parent = new Int32Array(n);
    for (let k = 0; k < trials; k++) {
      const s = Math.floor(rand() * n);
      if (spy[s]) continue; // the adversary's own broadcasts are not counted
      counted++;
      t[s] = 0;
      parent[s] = -1;
      const queue = [s];
      for (let i = 0; i < queue.length; i++) {
        const u = queue[i]!;
        for (const w of adj[u]!) {
          if (w === parent[u]) continue;
          parent[w] = u;
          t[w] = t[u]! + exp(rand) + L;
          queue.push(w);
        }
      }
      let best = -1;
      let bestT = Infinity;
      for (let u = 0; u < n; u++) {
        if (spy[u]) continue;
        for (const w of adj[u]!) {
          if (!spy[w] || w === parent[u]) continue;
          const at = t[u]! + exp(rand) + L;
          if (at < bestT) [best, bestT] = [u, at];
        }
      }
      if (best === s) hits++;
    }
    const e = r.anonymity!.estimators[0]!;
    expectAgrees(e, hits / counted, counted);
    expect(e.recall).toBeGreaterThan(0.1);
    expect(e.recall).toBeLessThan(0.9);
  }, TIMEOUT);
});
