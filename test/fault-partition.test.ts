// A partition into two random halves, with miners on both sides, forks the chain; at the heal the
// sides announce their tips, the lighter side fetches the heavier chain block by block, and every
// online node ends on the same tip. The blocks the losing side mined are counted exactly: the test
// finds the final chain itself from the parent links and the nodes' tips.
import { describe, expect, it } from 'vitest';

const { runScenario } = (await import('../dist/src/run.js' as string)) as typeof import('../src/run.js');
const { parseScenario } = (await import('../dist/src/scenario/load.js' as string)) as typeof import('../src/scenario/load.js');

const TIMEOUT = 60_000;
const FROM = 100_000;
const TO = 400_000;

describe('partition and heal', () => {
  for (const relay of ['inv-getdata', 'unsolicited'] as const) {
    it(`${relay}: a fork during the partition, one tip everywhere after the heal, the losing side's blocks counted`, { timeout: TIMEOUT }, async () => {
      const raw = {
        seed: 17,
        nodes: 1000,
        topology: { kind: 'random-regular', degree: 8 },
        latency: { kind: 'uniform', minMs: 20, maxMs: 120 },
        chain: { blockIntervalS: 10, blocks: 80, blockSizeBytes: 0, miners: { count: 20 } },
        relay: { kind: relay },
        faults: [{ kind: 'partition', fromMs: FROM, toMs: TO, fractions: [0.5, 0.5] }],
        durationMs: 1e9,
      };
      const r = await runScenario(parseScenario(raw), { workers: 2, assignment: 'contiguous', baseDir: '.', keepPerNode: true });
      const c = r.chain!;
      const tips = new Set(Array.from(r.perNode!.tip!));
      expect(tips.size).toBe(1);
      // The final chain, walked from the common tip by the parent links.
      const byId = new Map(c.blocks.map((b) => [b.id, b]));
      const main = new Set<number>();
      for (let x = [...tips][0]!; x > 0; x = byId.get(x)!.parent) main.add(x);
      const lost = c.blocks.filter((b) => b.createdMs >= FROM && b.createdMs < TO && !main.has(b.id)).length;
      expect(lost).toBeGreaterThan(0);
      expect(c.partitions![0]!.staleBlocks).toBe(lost);
      // The losing side's branch, counted here from the parent links: its longest run off the main chain.
      const depthOf = (id: number): number => (main.has(id) || id === 0 ? 0 : 1 + depthOf(byId.get(id)!.parent));
      const deepest = Math.max(...c.blocks.filter((b) => b.createdMs >= FROM && b.createdMs < TO).map((b) => depthOf(b.id)));
      expect(c.partitions![0]!.reorgDepthAtHeal).toBe(deepest);
      expect(c.maxReorgDepth).toBeGreaterThanOrEqual(deepest);
      expect(c.blocks.filter((b) => !main.has(b.id)).length).toBe(c.blocksMined - c.mainChainLength);
      expect(c.partitions![0]!.consistencyAfterHealMs).not.toBeNull();
      expect(r.faults!.droppedPartition).toBeGreaterThan(0);
      // Before the partition and after the heal, blocks reach everyone.
      for (const b of c.blocks) if (b.createdMs < FROM || b.createdMs >= TO + 60_000) expect(b.coverage).toBe(1);
    });
  }
});
