// A newcomer's sync time against hand-computed cases: one seed on a path of constant latency L = 50 ms,
// the newcomer's download 8 Mbps = 1,000 bytes/ms (the peers upload at 1,000 Mbps, so the newcomer's own
// download is the narrow end), k blocks of S bytes, window w, verifyMs V. The newcomer (node 2) joins
// at J. Its steps, each a message:
//   J        getaddr to the seed (node 0)              -> at the seed at J + L
//   J + 2L   the seed's addr answer in hand; open      -> accept back at J + 4L (first connection: 4L)
//   J + 4L   getheaders                                -> the headers (k * 80 bytes, h ms) in at J + 6L + h
//   J + 6L + h  w getblocks                            -> at the peer at R = J + 7L + h
// The peer's upload FIFO sends block j (j <= w) in at R + L + j*s (s = S / 1,000 bytes/ms). After that
// block j + w is asked when block j arrives: it reaches the peer L later, so when w*s > 2L + s the FIFO
// is still busy and blocks keep arriving every s ("bandwidth-bound": sync = 8L + h + k*s + V after the
// join); with w = 1 each block costs a round trip and its transfer ("latency-bound": sync = 8L + h + s
// + (k - 1)(2L + s) + V). Verification (V < s) finishes V after the last block.
// A getblock lost (message loss at rate 1 for the millisecond it is sent in) is asked again timeoutMs
// after it was asked, of the same peer (the only one), and everything after it moves by timeoutMs.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { Result } from '../src/result.js';

const { runScenario } = (await import('../dist/src/run.js' as string)) as typeof import('../src/run.js');
const { parseScenario } = (await import('../dist/src/scenario/load.js' as string)) as typeof import('../src/scenario/load.js');

const TIMEOUT = 60_000;
const L = 50;
const J = 1000;
const V = 10;
const T = 5000;
const dir = mkdtempSync(join(tmpdir(), 'p2psim-ibd-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
writeFileSync(join(dir, 'path.txt'), '0 1\n');

/** Drops every message sent within half a millisecond of each of `at` (ms). */
const lostAround = (at: number[]) => at.map((t) => ({ kind: 'loss', rate: 1, fromMs: t - 0.5, toMs: t + 0.5 }));

async function syncMs(k: number, size: number, window: number, downloadMbps = 8, workers = 1, lost: number[] = [], timeoutMs = 60_000): Promise<Result> {
  const raw = {
    seed: 5,
    nodes: 2,
    topology: { kind: 'edge-list', file: 'path.txt' },
    latency: { kind: 'constant', ms: L },
    bandwidth: { uploadMbps: 1000, downloadMbps },
    // No block is mined during the run: the interval is far beyond it.
    chain: { blockIntervalS: 1e9, initialHeight: k, blockSizeBytes: size, verifyMs: V, miners: { shares: [1], nodes: [0] } },
    ibd: { parallel: window, timeoutMs },
    faults: lostAround(lost),
    joins: [{ count: 1, atMs: J }],
    bootstrap: { seeds: [0], outbound: 1 },
    durationMs: 600_000,
  };
  return runScenario(parseScenario(raw), { workers, assignment: 'contiguous', baseDir: dir, keepPerNode: true });
}

describe('initial block download of one newcomer from one seed', () => {
  it('bandwidth-bound (w*s > 2L + s): 8L + h + k*s + V', { timeout: TIMEOUT }, async () => {
    const k = 20;
    const s = 100; // 100,000 bytes at 1,000 bytes/ms
    const h = (k * 80) / 1000;
    const r = await syncMs(k, 100_000, 8);
    expect(r.joins!.firstConnectionMs!.max).toBeCloseTo(4 * L, 9);
    expect(r.joins!.synced).toBe(1);
    expect(r.joins!.syncMs!.max).toBeCloseTo(8 * L + h + k * s + V, 6);
    expect(r.joins!.downloadedBytes!.max).toBe(k * 100_000 + k * 80);
  });

  it('latency-bound (w = 1): 8L + h + s + (k - 1)(2L + s) + V', { timeout: TIMEOUT }, async () => {
    const k = 20;
    const s = 100;
    const h = (k * 80) / 1000;
    const r = await syncMs(k, 100_000, 1);
    expect(r.joins!.syncMs!.max).toBeCloseTo(8 * L + h + s + (k - 1) * (2 * L + s) + V, 6);
  });

  it('doubling the download halves a bandwidth-bound sync, and barely moves a latency-bound one', { timeout: TIMEOUT }, async () => {
    // 1 MB blocks, w = 8: the transfers are nearly all of it (20 s of 20.4 s), so the ratio is near 1/2:
    // exactly (8L + h/2 + k*s/2 + V) / (8L + h + k*s + V) by the formula above.
    const k = 20;
    const slow = (await syncMs(k, 1_000_000, 8, 8)).joins!.syncMs!.max;
    const fast = (await syncMs(k, 1_000_000, 8, 16)).joins!.syncMs!.max;
    const h = (k * 80) / 1000;
    expect(slow).toBeCloseTo(8 * L + h + k * 1000 + V, 6);
    expect(fast).toBeCloseTo(8 * L + h / 2 + k * 500 + V, 6);
    expect(fast / slow).toBeGreaterThan(0.5);
    expect(fast / slow).toBeLessThan(0.52);
    // 10 kB blocks, w = 1: every block waits a round trip of 2L = 100 ms and takes 10 ms to send, so
    // halving the 10 ms saves under 5 %.
    const slowL = (await syncMs(k, 10_000, 1, 8)).joins!.syncMs!.max;
    const fastL = (await syncMs(k, 10_000, 1, 16)).joins!.syncMs!.max;
    expect(slowL).toBeCloseTo(8 * L + h + 10 + (k - 1) * (2 * L + 10) + V, 6);
    expect(fastL / slowL).toBeGreaterThan(0.95);
  });

  it('gives the same digest at 1, 2 and 3 workers', { timeout: TIMEOUT }, async () => {
    const digests = await Promise.all([1, 2, 3].map(async (w) => (await syncMs(10, 100_000, 4, 8, w)).digest));
    expect(new Set(digests).size).toBe(1);
  });
});

describe('a block asked and never answered is asked again after ibd.timeoutMs', () => {
  const k = 20;
  const s = 100;
  const h = (k * 80) / 1000;
  // The first getblocks leave at J + 6L + h; with w = 1 block j's at J + 6L + h + (j - 1)(2L + s).
  const firstAsk = J + 6 * L + h;

  it('latency-bound (w = 1), the 5th and the 12th getblock lost: 2 timeouts later', { timeout: TIMEOUT }, async () => {
    const ask = (j: number) => firstAsk + (j - 1) * (2 * L + s);
    // The first loss delays every later getblock by T.
    const r = await syncMs(k, 100_000, 1, 8, 1, [ask(5), ask(12) + T], T);
    expect(r.joins!.synced).toBe(1);
    expect(r.joins!.syncMs!.max).toBeCloseTo(8 * L + h + s + (k - 1) * (2 * L + s) + V + 2 * T, 6);
  });

  it('bandwidth-bound (w = 8), all 8 first getblocks lost at once: one timeout later', { timeout: TIMEOUT }, async () => {
    const r = await syncMs(k, 100_000, 8, 8, 1, [firstAsk], T);
    expect(r.joins!.syncMs!.max).toBeCloseTo(8 * L + h + k * s + V + T, 6);
    expect(r.joins!.downloadedBytes!.max).toBe(k * 100_000 + k * 80);
  });

  it('gives the same digest at 1, 2 and 3 workers', { timeout: TIMEOUT }, async () => {
    const digests = await Promise.all([1, 2, 3].map(async (w) => (await syncMs(10, 100_000, 4, 8, w, [firstAsk, firstAsk + 2000], T)).digest));
    expect(new Set(digests).size).toBe(1);
  });
});
