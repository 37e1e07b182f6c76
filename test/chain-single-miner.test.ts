// With one miner nothing can fork: every block extends the one before it, so the stale rate is exactly
// 0, the main chain holds every block in mining order, and every block reaches every node.
import { describe, expect, it } from 'vitest';

const { runScenario } = (await import('../dist/src/run.js' as string)) as typeof import('../src/run.js');
const { parseScenario } = (await import('../dist/src/scenario/load.js' as string)) as typeof import('../src/scenario/load.js');

const TIMEOUT = 60_000;

describe('one miner', () => {
  for (const relay of ['unsolicited', 'inv-getdata', 'compact'] as const) {
    it(`${relay}: stale rate 0, a chain of every block, every node reached`, { timeout: TIMEOUT }, async () => {
      const raw = {
        seed: 5,
        nodes: 500,
        topology: { kind: 'bitcoin', outbound: 4 },
        latency: { kind: 'regions', preset: 'bitcoin-2019', distribution: 'pareto' },
        bandwidth: { preset: 'bitcoin-2019' },
        // Blocks every 2 s on average, faster than they spread: forks would be common with two miners.
        chain: { blockIntervalS: 2, blocks: 60, blockSizeBytes: 200_000, miners: { shares: [1] } },
        relay: { kind: relay },
        durationMs: 1e9,
      };
      const r = await runScenario(parseScenario(raw), { workers: 1, assignment: 'contiguous', baseDir: '.', keepPerNode: true });
      const c = r.chain!;
      expect(c.blocksMined).toBe(60);
      expect(c.staleRate).toBe(0);
      expect(c.forks).toBe(0);
      expect(c.maxReorgDepth).toBe(0);
      expect(c.mainChainLength).toBe(60);
      c.blocks.forEach((b, i) => {
        expect(b.height).toBe(i + 1);
        expect(b.parent).toBe(i);
        expect(b.inMainChain).toBe(true);
        expect(b.coverage).toBe(1);
        expect(b.t100Ms).not.toBeNull();
        // Consistent once the last node has it, and never before.
        expect(b.consistencyMs).not.toBeNull();
        expect(b.consistencyMs!).toBeGreaterThanOrEqual(b.t100Ms! - 1e-3);
      });
      expect(Array.from(r.perNode!.tip!).every((t) => t === 60)).toBe(true);
      expect(c.miners[0]!.mainShare).toBe(1);
    });
  }
});
