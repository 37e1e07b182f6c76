// Flooding against results that follow from the graph alone: on a ring the arrival times are the ring
// distances, on any graph with constant latency they are BFS distances (computed here, by our own BFS over
// our own parse of the edge list), and the copies a ring carries can be counted by hand.
// The engine is used compiled (dist/), because its shards run in worker threads that load dist/.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { Result } from '../src/result.js';

const { runScenario } = (await import('../dist/src/run.js' as string)) as typeof import('../src/run.js');
const { parseScenario } = (await import('../dist/src/scenario/load.js' as string)) as typeof import('../src/scenario/load.js');
const { buildTopology, writeEdgeList } = (await import('../dist/src/topology/generators.js' as string)) as typeof import('../src/topology/generators.js');

const TIMEOUT = 60_000;
const dir = mkdtempSync(join(tmpdir(), 'p2psim-flood-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function run(raw: object, workers: number): Promise<Result> {
  return runScenario(parseScenario(raw), { workers, assignment: 'contiguous', baseDir: dir, keepPerNode: true });
}

/** The graph a gossip scenario generates, written out as edge-list text. */
function generatedEdges(raw: object, n: number): string {
  const spec = parseScenario(raw);
  if (spec.model !== 'gossip') throw new Error('expected a gossip scenario');
  return writeEdgeList(buildTopology(spec.topology, n, spec.seed, dir));
}

/** Adjacency lists from edge-list text, parsed here independently of the engine's parser. */
function parseEdges(text: string, n: number): number[][] {
  const adj: Set<number>[] = Array.from({ length: n }, () => new Set<number>());
  for (const line of text.split('\n')) {
    const t = line.trim();
    if (t === '' || t.startsWith('#')) continue;
    const [a, b] = t.split(/\s+/).map(Number) as [number, number];
    if (a === b) continue;
    adj[a]!.add(b);
    adj[b]!.add(a);
  }
  return adj.map((s) => [...s]);
}

/** Hop distance from `source` to every node; -1 where unreachable. */
function bfs(adj: number[][], source: number): Int32Array {
  const dist = new Int32Array(adj.length).fill(-1);
  const queue = [source];
  dist[source] = 0;
  for (let head = 0; head < queue.length; head++) {
    const u = queue[head]!;
    for (const v of adj[u]!) {
      if (dist[v] === -1) {
        dist[v] = dist[u]! + 1;
        queue.push(v);
      }
    }
  }
  return dist;
}

/** Time for fraction f of n nodes to be reached, from the sorted hop distances of the reached ones. */
function timeToFraction(sortedReachedDist: number[], n: number, f: number, perHop: number): number | null {
  const need = Math.ceil(f * n);
  return need <= sortedReachedDist.length ? sortedReachedDist[need - 1]! * perHop : null;
}

describe('flood on a ring (k = 1): arrival time = ring distance x latency', () => {
  const L = 10;
  for (const N of [1000, 1001]) {
    for (const workers of [1, 2]) {
      it(`N = ${N}, ${workers} worker(s)`, { timeout: TIMEOUT }, async () => {
        const r = await run(
          { nodes: N, topology: { kind: 'ring', k: 1 }, latency: { kind: 'constant', ms: L }, protocol: { kind: 'flood' }, workload: { origins: [0] } },
          workers,
        );
        const m = r.messages![0]!;
        const far = Math.ceil((N - 1) / 2); // the farthest node is this many hops away either way round
        expect(m.coverage).toBe(1);
        expect(m.reached).toBe(N);
        expect(m.t100Ms).toBe(far * L);
        expect(m.maxHops).toBe(far);
        // Within h hops of the origin: 1 + 2h nodes (capped at N). t_f is the first h covering ceil(f N).
        const hopsFor = (f: number): number => {
          let h = 0;
          while (Math.min(N, 1 + 2 * h) < Math.ceil(f * N)) h++;
          return h;
        };
        expect(m.t50Ms).toBe(hopsFor(0.5) * L);
        expect(m.t90Ms).toBe(hopsFor(0.9) * L);
        expect(m.t99Ms).toBe(hopsFor(0.99) * L);
        let distSum = 0;
        const { firstMs, hops } = r.perNode as { firstMs: Float64Array; hops: Int32Array };
        for (let v = 0; v < N; v++) {
          const d = Math.min(v, N - v);
          distSum += d;
          if (firstMs[v] !== d * L || hops[v] !== d) {
            expect({ v, firstMs: firstMs[v], hops: hops[v] }).toEqual({ v, firstMs: d * L, hops: d });
          }
        }
        expect(m.meanHops).toBeCloseTo(distSum / N, 12);
      });
    }
  }

  it('relayDelayMs R adds R to every hop: t100 = hops x (L + R)', { timeout: TIMEOUT }, async () => {
    const N = 1001;
    const R = 3;
    const r = await run(
      { nodes: N, topology: { kind: 'ring', k: 1 }, latency: { kind: 'constant', ms: L }, protocol: { kind: 'flood', relayDelayMs: R }, workload: { origins: [0] } },
      2,
    );
    const far = Math.ceil((N - 1) / 2);
    expect(r.messages![0]!.t100Ms).toBe(far * (L + R));
    expect(r.messages![0]!.maxHops).toBe(far);
    const firstMs = r.perNode!.firstMs as Float64Array;
    for (let v = 0; v < N; v++) {
      if (firstMs[v] !== Math.min(v, N - v) * (L + R)) expect([v, firstMs[v]]).toEqual([v, Math.min(v, N - v) * (L + R)]);
    }
  });

  // Copies: the origin sends 2 (one each way); every other node forwards exactly once, to the neighbour it
  // did not hear from, so N + 1 copies are sent in all and, the run being long enough, all are received
  // (the origin itself receives none). Each of the N - 1 other nodes receives its first copy; the two copies
  // left over are the pair that cross between the two farthest nodes m and m + 1 (N = 2m + 1).
  it('redundancy on an odd ring: (N + 1) copies over N reached', { timeout: TIMEOUT }, async () => {
    const N = 1001;
    for (const workers of [1, 2]) {
      const r = await run(
        { nodes: N, topology: { kind: 'ring', k: 1 }, latency: { kind: 'constant', ms: L }, protocol: { kind: 'flood' }, workload: { origins: [0] } },
        workers,
      );
      expect(r.network!.messagesSent).toBe(N + 1);
      expect(r.messages![0]!.redundancy).toBeCloseTo((N + 1) / N, 12);
    }
  });
});

describe('flood on random-regular (n = 5000, degree 6, constant 7 ms): arrival = BFS distance x latency', () => {
  const n = 5000;
  const L = 7;
  const raw = { seed: 7, nodes: n, topology: { kind: 'random-regular', degree: 6 }, latency: { kind: 'constant', ms: L }, protocol: { kind: 'flood' }, workload: { origins: [0] } };

  // The graph the scenario generates, written out and read back by our own parser.
  const text = generatedEdges(raw, n);
  writeFileSync(join(dir, 'rr.txt'), text);
  const adj = parseEdges(text, n);
  const dist = bfs(adj, 0);

  function check(r: Result): void {
    const { firstMs, hops } = r.perNode as { firstMs: Float64Array; hops: Int32Array };
    let reached = 0;
    let maxDist = 0;
    for (let v = 0; v < n; v++) {
      const d = dist[v]!;
      if (d >= 0) {
        reached++;
        maxDist = Math.max(maxDist, d);
      }
      const want = d >= 0 ? { firstMs: d * L, hops: d } : { firstMs: NaN, hops: -1 };
      if (!Object.is(firstMs[v], want.firstMs) || hops[v] !== want.hops) expect({ v, firstMs: firstMs[v], hops: hops[v] }).toEqual({ v, ...want });
    }
    expect(reached).toBe(n); // a random 6-regular graph of this size is connected
    expect(r.messages![0]!.coverage).toBe(1);
    expect(r.messages![0]!.maxHops).toBe(maxDist);
    expect(r.messages![0]!.t100Ms).toBe(maxDist * L);
  }

  it('our parse of the generated graph is 6-regular', () => {
    expect(adj.every((a) => a.length === 6)).toBe(true);
    expect(text.trim().split('\n').length).toBe((n * 6) / 2);
  });

  it('generated topology, 2 workers', { timeout: TIMEOUT }, async () => {
    check(await run(raw, 2));
  });

  it('the same graph as an edge list, 1 and 2 workers', { timeout: TIMEOUT }, async () => {
    const asFile = { ...raw, topology: { kind: 'edge-list', file: 'rr.txt' } };
    const r1 = await run(asFile, 1);
    check(r1);
    const r2 = await run(asFile, 2);
    check(r2);
  });
});

describe('flood on a disconnected edge list', () => {
  // Nodes 0..69: a ring with chords; 70..94: a second ring; 95..99: isolated. Origin 0.
  const n = 100;
  const L = 5;
  const lines = ['# two components and five isolated nodes'];
  for (let u = 0; u < 70; u++) lines.push(`${u} ${(u + 1) % 70}`);
  for (let u = 0; u < 70; u += 7) lines.push(`${(u + 31) % 70}\t${u}`); // chords, either orientation
  lines.push('1 0'); // a repeated link, reversed
  for (let u = 70; u < 95; u++) lines.push(`${u} ${u === 94 ? 70 : u + 1}`);
  const text = lines.join('\n') + '\n';
  writeFileSync(join(dir, 'split.txt'), text);
  const dist = bfs(parseEdges(text, n), 0);
  const reachedDist = [...dist].filter((d) => d >= 0).sort((a, b) => a - b);

  for (const workers of [1, 2]) {
    it(`coverage = the origin component's share, ${workers} worker(s)`, { timeout: TIMEOUT }, async () => {
      const r = await run(
        { nodes: n, topology: { kind: 'edge-list', file: 'split.txt' }, latency: { kind: 'constant', ms: L }, protocol: { kind: 'flood' }, workload: { origins: [0] } },
        workers,
      );
      const m = r.messages![0]!;
      expect(reachedDist.length).toBe(70);
      expect(m.coverage).toBe(reachedDist.length / n);
      expect(m.reached).toBe(reachedDist.length);
      expect(m.t50Ms).toBe(timeToFraction(reachedDist, n, 0.5, L));
      expect(m.t90Ms).toBeNull();
      expect(m.t100Ms).toBeNull();
      expect(m.maxHops).toBe(reachedDist.at(-1));
      const { firstMs, hops } = r.perNode as { firstMs: Float64Array; hops: Int32Array };
      for (let v = 0; v < n; v++) {
        const d = dist[v]!;
        if (d < 0) {
          expect(Number.isNaN(firstMs[v])).toBe(true);
          expect(hops[v]).toBe(-1);
        } else {
          expect(firstMs[v]).toBe(d * L);
          expect(hops[v]).toBe(d);
        }
      }
    });
  }
});

// At 10^5 nodes and more the queue uses lanes (records kept in chunk lists by source range, freed lane
// by lane while the next wave is sent into them): the largest waves here hold ~250k events, so a
// record freed too early, or an order broken by the layout, would show in the arrival times.
describe('flood on random-regular (n = 100,000, degree 8, constant 50 ms), the queue\'s lanes in use', () => {
  const n = 100_000;
  const L = 50;
  const raw = { seed: 11, nodes: n, topology: { kind: 'random-regular', degree: 8 }, latency: { kind: 'constant', ms: L }, protocol: { kind: 'flood' }, workload: { origins: [0] } };
  const dist = bfs(parseEdges(generatedEdges(raw, n), n), 0);

  it('arrival = BFS distance x latency at 1, 2 and 3 workers, one digest', { timeout: TIMEOUT }, async () => {
    const digests = new Set<string>();
    for (const workers of [1, 2, 3]) {
      const r = await run(raw, workers);
      const { firstMs, hops } = r.perNode as { firstMs: Float64Array; hops: Int32Array };
      let wrong = 0;
      for (let v = 0; v < n; v++) if (firstMs[v] !== dist[v]! * L || hops[v] !== dist[v]) wrong++;
      expect(wrong, `${workers} workers`).toBe(0);
      expect(r.events).toBe(1 + 8 + 7 * (n - 1)); // each node forwards once, to all but its sender
      digests.add(r.digest);
    }
    expect(digests.size).toBe(1);
  });
});
