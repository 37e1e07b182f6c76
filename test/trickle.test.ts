// Trickle against cases worked out by hand. With aligned ticks (every tick at a multiple of T) and a
// constant latency L < T: a star's centre reaches one new leaf per tick, so the leaves receive at
// exactly T + L, 2T + L, ..., kT + L, one copy each; on a path from one end, node j (j >= 1) receives at
// j·T + L, since each node forwards at its first tick after receipt. With random phases each hop takes
// L plus the wait to the next tick, uniform on (0, T], whose mean is T / 2 and variance T² / 12.
// The engine is used compiled (dist/), because its shards run in worker threads that load dist/.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { Result } from '../src/result.js';

const { runScenario } = (await import('../dist/src/run.js' as string)) as typeof import('../src/run.js');
const { parseScenario } = (await import('../dist/src/scenario/load.js' as string)) as typeof import('../src/scenario/load.js');

const TIMEOUT = 60_000;
const T = 200;
const L = 50;
const dir = mkdtempSync(join(tmpdir(), 'p2psim-trickle-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function edgeList(name: string, edges: [number, number][]): string {
  writeFileSync(join(dir, name), edges.map(([a, b]) => `${a} ${b}`).join('\n') + '\n');
  return name;
}

async function run(raw: object, workers = 1): Promise<Result> {
  return runScenario(parseScenario(raw), { workers, assignment: 'contiguous', baseDir: dir, keepPerNode: true });
}

function trickle(nodes: number, file: string, phase: 'aligned' | 'random', extra: object = {}): object {
  return {
    nodes,
    topology: { kind: 'edge-list', file },
    latency: { kind: 'constant', ms: L },
    protocol: { kind: 'trickle', tickMs: T, phase },
    workload: { count: 1, origins: [0], atMs: [0] },
    ...extra,
  };
}

describe('trickle', () => {
  it('a star, aligned ticks: leaf i of k receives at i·T + L, one copy each', async () => {
    const k = 12;
    const file = edgeList('star.txt', Array.from({ length: k }, (_, i) => [0, i + 1] as [number, number]));
    for (const workers of [1, 2]) {
      const r = await run(trickle(k + 1, file, 'aligned'), workers);
      const got = Array.from(r.perNode!.firstMs!).slice(1).sort((a, b) => a - b);
      expect(got).toEqual(Array.from({ length: k }, (_, i) => (i + 1) * T + L));
      expect(r.perNode!.firstMs![0]).toBe(0);
      const m = r.messages![0]!;
      expect(m.t100Ms).toBe(k * T + L);
      expect(m.redundancy).toBeCloseTo(k / (k + 1), 12); // k copies over k + 1 nodes reached
      expect(m.maxHops).toBe(1);
    }
  }, TIMEOUT);

  it('a path, aligned ticks: node j receives at j·T + L', async () => {
    const n = 40;
    const file = edgeList('path.txt', Array.from({ length: n - 1 }, (_, i) => [i, i + 1] as [number, number]));
    const r = await run(trickle(n, file, 'aligned'), 3);
    const got = Array.from(r.perNode!.firstMs!);
    expect(got).toEqual(Array.from({ length: n }, (_, j) => (j === 0 ? 0 : j * T + L)));
    expect(Array.from(r.perNode!.hops!)).toEqual(Array.from({ length: n }, (_, j) => j));
  }, TIMEOUT);

  it('a path, random phases: every hop takes L plus (0, T], and the mean wait is T / 2', async () => {
    const n = 2001;
    const file = edgeList('long-path.txt', Array.from({ length: n - 1 }, (_, i) => [i, i + 1] as [number, number]));
    const r = await run(trickle(n, file, 'random', { durationMs: 10_000_000 }));
    const t = r.perNode!.firstMs!;
    let waits = 0;
    for (let j = 1; j < n; j++) {
      const wait = t[j]! - t[j - 1]! - L;
      expect(wait).toBeGreaterThan(0);
      expect(wait).toBeLessThanOrEqual(T + 1e-9);
      waits += wait;
    }
    const mean = waits / (n - 1);
    const se = T / Math.sqrt(12 * (n - 1));
    expect(Math.abs(mean - T / 2)).toBeLessThan(4 * se);
  }, TIMEOUT);

  it('several broadcasts on a random graph: every node gets every one, the same digest at 1, 2 and 3 workers', async () => {
    const raw = {
      nodes: 300,
      topology: { kind: 'random-regular', degree: 6 },
      latency: { kind: 'uniform', minMs: 20, maxMs: 120 },
      protocol: { kind: 'trickle' },
      workload: { count: 5, ratePerSecond: 2 },
    };
    const runs = await Promise.all([1, 2, 3].map((w) => run(raw, w)));
    for (const r of runs) expect(r.messages!.every((m) => m.coverage === 1)).toBe(true);
    expect(new Set(runs.map((r) => r.digest)).size).toBe(1);
  }, TIMEOUT);
});
