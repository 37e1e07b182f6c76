// A flash crowd: 50 % more nodes join within a minute (a Poisson stream), on a bitcoin-like topology of
// 1,000 nodes with a 50-block chain, with every seed up, with 90 % of them down, and with all of them
// down. Latency is a constant 50 ms, so a newcomer whose first seed answers opens its first connection
// exactly 4L = 200 ms after joining (getaddr, addr, open, accept). With 9 of 10 seeds down, a newcomer
// tries seeds in turn from one of its own choice, 2 s (seedTimeoutMs) each, so its first connection
// comes 200 + 2,000 D ms after its join, D the number of dead seeds before the live one in its order:
// uniform on 0..9, so the median lies at 8.2 or 10.2 s and, over ~500 newcomers, the maximum is
// 18.2 s (P(nobody draws D = 9) = 0.9^500 ≈ 1e-23). Every newcomer that reaches a live seed syncs;
// with no seed up nobody gets in, and the result says so.
import { describe, expect, it } from 'vitest';
import type { Result } from '../src/result.js';

const { runScenario } = (await import('../dist/src/run.js' as string)) as typeof import('../src/run.js');
const { parseScenario } = (await import('../dist/src/scenario/load.js' as string)) as typeof import('../src/scenario/load.js');

const TIMEOUT = 120_000;

function crowd(seedsDown: number | null, workers = 1): Promise<Result> {
  const raw = {
    seed: 11,
    nodes: 1000,
    topology: { kind: 'bitcoin' },
    latency: { kind: 'constant', ms: 50 },
    bandwidth: { uploadMbps: 50, downloadMbps: 50 },
    chain: { blockIntervalS: 60, initialHeight: 50, blockSizeBytes: 200_000, verifyMs: 5 },
    joins: [{ ratePerSecond: 500 / 60, fromMs: 10_000, toMs: 70_000 }],
    bootstrap: { seeds: 10 },
    faults: seedsDown === null ? [] : [{ kind: 'crash', select: 'seeds', fraction: seedsDown, atMs: 0 }],
    durationMs: 200_000,
  };
  return runScenario(parseScenario(raw), { workers, assignment: 'contiguous', baseDir: '.' });
}

describe('a flash crowd of newcomers', () => {
  it('with every seed up: all get in after 4L and all sync', { timeout: TIMEOUT }, async () => {
    const j = (await crowd(null)).joins!;
    expect(j.initial).toBe(1000);
    // A Poisson stream of mean 500: within 4 sd.
    expect(Math.abs(j.joined - 500)).toBeLessThan(4 * Math.sqrt(500));
    expect(j.neverConnected).toBe(0);
    expect(j.firstConnectionMs!.max).toBeCloseTo(200, 9);
    expect(j.neverSynced).toBe(0);
    expect(j.synced).toBe(j.joined);
  });

  it('with 90 % of the seeds down: each dead seed tried costs 2 s, and every newcomer still syncs', { timeout: TIMEOUT }, async () => {
    const r = await crowd(0.9);
    const j = r.joins!;
    expect(j.neverConnected).toBe(0);
    expect(j.neverSynced).toBe(0);
    expect([8200, 10_200]).toContain(Math.round(j.firstConnectionMs!.p50));
    expect(j.firstConnectionMs!.max).toBeCloseTo(18_200, 6);
    const up = (await crowd(null)).joins!;
    expect(j.syncMs!.p50).toBeGreaterThan(up.syncMs!.p50 + 8000);
  });

  it('with every seed down: nobody gets in, and the result counts them', { timeout: TIMEOUT }, async () => {
    const j = (await crowd(1)).joins!;
    expect(j.connected).toBe(0);
    expect(j.neverConnected).toBe(j.joined);
    expect(j.neverSynced).toBe(j.joined);
    expect(j.syncMs).toBeNull();
  });

  it('gives the same digest at 1, 2 and 3 workers', { timeout: TIMEOUT }, async () => {
    const digests = [];
    for (const w of [1, 2, 3]) digests.push((await crowd(0.9, w)).digest);
    expect(new Set(digests).size).toBe(1);
  });
});
