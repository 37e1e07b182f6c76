// Newcomers in a gossip network: 60 join at 10 s a network of 300, latency a constant L = 50 ms, every
// seed up. A newcomer's first seed answers, so its first connection comes exactly 4L = 200 ms after its
// join (getaddr, addr, open, accept), and a gossip newcomer, with nothing to download, is synced then.
// Of four broadcasts by flood, at 0, 5, 20 and 30 s, the last two come after every newcomer is in: the
// (newcomer, later broadcast) pairs are 60 × 2 = 120, and a flood over a connected graph reaches them all.
import { describe, expect, it } from 'vitest';
import type { Result } from '../src/result.js';

const { runScenario } = (await import('../dist/src/run.js' as string)) as typeof import('../src/run.js');
const { parseScenario } = (await import('../dist/src/scenario/load.js' as string)) as typeof import('../src/scenario/load.js');
const { formatSummary } = (await import('../dist/src/report.js' as string)) as typeof import('../src/report.js');

const L = 50;

function run(workers = 1): Promise<Result> {
  const raw = {
    seed: 5,
    nodes: 300,
    topology: { kind: 'bitcoin' },
    latency: { kind: 'constant', ms: L },
    protocol: { kind: 'flood' },
    workload: { count: 4, atMs: [0, 5000, 20_000, 30_000] },
    joins: [{ count: 60, atMs: 10_000 }],
    bootstrap: { seeds: 5 },
    durationMs: 60_000,
  };
  return runScenario(parseScenario(raw), { workers, assignment: 'contiguous', baseDir: '.' });
}

describe('newcomers in a gossip network', () => {
  it('get in 4L after joining, are synced then, and hear every later broadcast', { timeout: 60_000 }, async () => {
    const r = await run();
    const j = r.joins!;
    expect(j).toBeDefined();
    expect(j.initial).toBe(300);
    expect(j.joined).toBe(60);
    expect(j.connected).toBe(60);
    expect(j.neverConnected).toBe(0);
    expect(j.firstConnectionMs!.p50).toBeCloseTo(4 * L, 9);
    expect(j.firstConnectionMs!.max).toBeCloseTo(4 * L, 9);
    expect(j.fullOutboundMs!.p50).toBeGreaterThanOrEqual(4 * L);
    expect(j.synced).toBe(60);
    expect(j.syncMs).toEqual(j.firstConnectionMs);
    expect(j.coverage).toEqual({ pairs: 120, share: 1 });
    expect(formatSummary(r)).toMatch(/joins: 60 newcomers beside 300 initial nodes; 60 got in/);
  });

  it('gives the same digest and joins section at 1, 2 and 3 workers', { timeout: 60_000 }, async () => {
    const runs = [await run(1), await run(2), await run(3)];
    expect(new Set(runs.map((r) => r.digest)).size).toBe(1);
    expect(new Set(runs.map((r) => JSON.stringify(r.joins))).size).toBe(1);
  });
});
