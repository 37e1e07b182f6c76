// Catch-up, hand-computed. With one miner there are no forks; three nodes go offline for different
// stretches and miss k blocks each. Back online, a node asks its peers for their tips (latency L), they
// announce the tip (L), it asks the first announcer for it (L), the block comes (L); the block's parent
// is missing, so it asks the same peer for it (L) and gets it (L), and so on down the k blocks:
// catch-up time = 4L + 2L(k - 1) = 2L(k + 1), with a constant latency and blocks carrying no bytes.
// With peer maintenance its connections closed when it went down: it first waits reconnectDelayMs D,
// opens new ones (L) that are accepted (L), and asks the new peers for their tips: D + 2L(k + 2).
import { describe, expect, it } from 'vitest';

const { runScenario } = (await import('../dist/src/run.js' as string)) as typeof import('../src/run.js');
const { parseScenario } = (await import('../dist/src/scenario/load.js' as string)) as typeof import('../src/scenario/load.js');

const TIMEOUT = 60_000;
const L = 50;
const D = 700;

describe('catch-up after downtime', () => {
  for (const [maintain, expectedFor] of [[false, (k: number) => 2 * L * (k + 1)], [true, (k: number) => D + 2 * L * (k + 2)]] as const) {
    it(`${maintain ? 'reconnecting' : 'on its initial links'}: a node that missed k blocks has them all ${maintain ? 'D + 2L(k + 2)' : '2L(k + 1)'} after it returns`, { timeout: TIMEOUT }, async () => {
      const raw = {
        seed: 12,
        nodes: 200,
        topology: { kind: 'random-regular', degree: 8 },
        latency: { kind: 'constant', ms: L },
        chain: { blockIntervalS: 20, blocks: 60, blockSizeBytes: 0, miners: { shares: [1], nodes: [0] } },
        relay: { kind: 'inv-getdata' },
        faults: [
          { kind: 'crash', select: 'ids', ids: [10], atMs: 100_000, recoverAtMs: 150_000 },
          { kind: 'crash', select: 'ids', ids: [20], atMs: 100_000, recoverAtMs: 300_000 },
          { kind: 'crash', select: 'ids', ids: [30], atMs: 100_000, recoverAtMs: 700_000 },
        ],
        peers: { maintain, reconnectDelayMs: D },
        durationMs: 1e9,
      };
      for (const workers of [1, 3]) {
        const c = (await runScenario(parseScenario(raw), { workers, assignment: 'contiguous', baseDir: '.' })).chain!;
        expect(c.staleRate).toBe(0);
        const cu = c.catchUp!;
        expect(cu.recoveries).toBe(3);
        expect(cu.unfinished).toBe(0);
        expect(cu.byMissed.length).toBe(3);
        const returns = [150_000, 300_000, 700_000];
        cu.byMissed.forEach((g, i) => {
          const expected = expectedFor(g.missed);
          // The premise of the hand count: no new block arrives while the node is catching up.
          expect(c.blocks.some((b) => b.createdMs >= returns[i]! && b.createdMs <= returns[i]! + expected)).toBe(false);
          expect(g.count).toBe(1);
          // Receipt delays after creation are float32: up to ~0.01 ms of rounding at 10 minutes.
          expect(g.maxMs).toBeCloseTo(expected, 1);
        });
        // The three stretches of downtime missed increasingly many blocks.
        expect(cu.byMissed[0]!.missed).toBeLessThan(cu.byMissed[1]!.missed);
        expect(cu.byMissed[1]!.missed).toBeLessThan(cu.byMissed[2]!.missed);
      }
    });
  }
});
