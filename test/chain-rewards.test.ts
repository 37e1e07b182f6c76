// Rewards, hand-computed: every main-chain block pays blockReward, split miner / secure / super /
// treasury; the secure and super shares go equally to the nodes of that role; stale blocks pay nothing.
// And revenue fairness: over many blocks each miner's share of the main chain approaches its hash share.
import { describe, expect, it } from 'vitest';

const { runScenario } = (await import('../dist/src/run.js' as string)) as typeof import('../src/run.js');
const { parseScenario } = (await import('../dist/src/scenario/load.js' as string)) as typeof import('../src/scenario/load.js');

const TIMEOUT = 60_000;

async function chainOf(chain: object, nodes = 200) {
  const raw = { seed: 8, nodes, topology: { kind: 'random-regular', degree: 6 }, latency: { kind: 'constant', ms: 40 }, chain, relay: { kind: 'unsolicited' }, durationMs: 1e12 };
  return (await runScenario(parseScenario(raw), { workers: 1, assignment: 'contiguous', baseDir: '.' })).chain!;
}

describe('rewards', () => {
  it('one miner, 10 blocks, 4 secure and 2 super nodes, reward 12.5 with the Horizen split', { timeout: TIMEOUT }, async () => {
    const c = await chainOf({ blocks: 10, blockSizeBytes: 0, miners: { shares: [1] }, roles: { secure: 4, super: 2 }, blockReward: 12.5 });
    expect(c.mainChainLength).toBe(10);
    expect(c.rewards.miner.total).toBeCloseTo(10 * 12.5 * 0.6, 9);
    expect(c.rewards.secure.nodes).toBe(4);
    expect(c.rewards.secure.perNode.min).toBeCloseTo((10 * 12.5 * 0.1) / 4, 9);
    expect(c.rewards.secure.perNode.max).toBeCloseTo((10 * 12.5 * 0.1) / 4, 9);
    expect(c.rewards.super.perNode.median).toBeCloseTo((10 * 12.5 * 0.1) / 2, 9);
    expect(c.rewards.treasury).toBeCloseTo(10 * 12.5 * 0.2, 9);
    expect(c.rewards.unpaid).toBe(0);
  });

  it('stale blocks pay nothing: the miners are paid for main-chain blocks only', { timeout: TIMEOUT }, async () => {
    const c = await chainOf({ blockIntervalS: 0.2, blocks: 300, blockSizeBytes: 0, miners: { count: 20 } });
    expect(c.blocksMined - c.mainChainLength).toBeGreaterThan(0);
    expect(c.rewards.miner.total).toBeCloseTo(c.mainChainLength * 0.6, 9);
    expect(c.miners.reduce((s, m) => s + m.mainBlocks, 0)).toBe(c.mainChainLength);
    const onMain = c.blocks.filter((b) => b.inMainChain);
    expect(onMain.length).toBe(c.mainChainLength);
    // No secure or super nodes: their shares are unpaid, not lost in the totals.
    expect(c.rewards.unpaid).toBeCloseTo(c.mainChainLength * 0.2, 9);
  });

  it('with forks rare, each pool wins blocks in proportion to its hash share (bitcoin-pools-2016)', { timeout: TIMEOUT }, async () => {
    const c = await chainOf({ blockIntervalS: 600, blocks: 4000, blockSizeBytes: 0 });
    expect(c.staleRate).toBeLessThan(0.002);
    for (const m of c.miners) {
      const se = Math.sqrt((m.hashShare * (1 - m.hashShare)) / c.mainChainLength);
      expect(Math.abs(m.mainShare - m.hashShare)).toBeLessThan(4 * se + 1e-12);
    }
    expect(c.miners.map((m) => m.hashShare * 1000).map(Math.round)).toEqual([289, 196, 159, 133, 66, 54, 29, 16, 12, 12, 12, 9, 5, 5, 2, 2]);
  });
});
