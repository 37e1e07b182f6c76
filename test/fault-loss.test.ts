// Message loss costs time, not correctness, where the protocol waits for a reply: with inv/getdata
// relay and 20 % of all messages lost, an unanswered getdata goes to the next announcer (and round
// again), so every block still reaches every node. Without loss the same blocks arrive sooner.
import { describe, expect, it } from 'vitest';

const { runScenario } = (await import('../dist/src/run.js' as string)) as typeof import('../src/run.js');
const { parseScenario } = (await import('../dist/src/scenario/load.js' as string)) as typeof import('../src/scenario/load.js');

const TIMEOUT = 60_000;

function scenario(rate: number): object {
  return {
    seed: 9,
    nodes: 2000,
    topology: { kind: 'bitcoin', outbound: 8 },
    latency: { kind: 'regions', preset: 'bitcoin-2019' },
    bandwidth: { preset: 'bitcoin-2019' },
    chain: { blockIntervalS: 60, blocks: 15, blockSizeBytes: 200_000, miners: { count: 30 } },
    relay: { kind: 'inv-getdata', timeoutMs: 2000 },
    ...(rate > 0 ? { faults: [{ kind: 'loss', rate }] } : {}),
    durationMs: 1e9,
  };
}

describe('20 % message loss with inv-getdata', () => {
  it('every block reaches every node, later than without loss', { timeout: TIMEOUT }, async () => {
    const lossy = await runScenario(parseScenario(scenario(0.2)), { workers: 2, partition: 'contiguous', baseDir: '.' });
    const clean = await runScenario(parseScenario(scenario(0)), { workers: 1, partition: 'contiguous', baseDir: '.' });
    const sent = lossy.network!.messagesSent;
    // Each message was lost with probability 0.2: the count is binomial.
    expect(Math.abs(lossy.faults!.droppedLoss - 0.2 * sent)).toBeLessThan(4 * Math.sqrt(sent * 0.2 * 0.8));
    for (const b of lossy.chain!.blocks) {
      expect(b.coverage).toBe(1);
      expect(b.coverageOnline).toBe(1);
    }
    expect(lossy.chain!.blockT100MsMedian!).toBeGreaterThan(clean.chain!.blockT100MsMedian!);
  });
});
