// Message loss costs time, not correctness, where the protocol waits for a reply: with inv/getdata
// relay and 20 % of all messages lost, an unanswered getdata goes to the next announcer (and round
// again), so every block still reaches every node. Without loss the same blocks arrive sooner.
import { describe, expect, it } from 'vitest';

const { runScenario } = (await import('../dist/src/run.js' as string)) as typeof import('../src/run.js');
const { parseScenario } = (await import('../dist/src/scenario/load.js' as string)) as typeof import('../src/scenario/load.js');

const TIMEOUT = 60_000;

function scenario(rate: number, extra: object[] = []): object {
  return {
    seed: 9,
    nodes: 2000,
    topology: { kind: 'bitcoin', outbound: 8 },
    latency: { kind: 'regions', preset: 'bitcoin-2019' },
    bandwidth: { preset: 'bitcoin-2019' },
    chain: { blockIntervalS: 60, blocks: 15, blockSizeBytes: 200_000, miners: { count: 30 } },
    relay: { kind: 'inv-getdata', timeoutMs: 2000 },
    ...(rate > 0 ? { faults: [{ kind: 'loss', rate }, ...extra] } : {}),
    durationMs: 1e9,
  };
}

describe('20 % message loss with inv-getdata', () => {
  it('every block reaches every node, later than without loss', { timeout: TIMEOUT }, async () => {
    const lossy = await runScenario(parseScenario(scenario(0.2)), { workers: 2, assignment: 'contiguous', baseDir: '.' });
    const clean = await runScenario(parseScenario(scenario(0)), { workers: 1, assignment: 'contiguous', baseDir: '.' });
    const sent = lossy.network!.messagesSent;
    // Each message was lost with probability 0.2: the count is binomial.
    expect(Math.abs(lossy.faults!.droppedLoss - 0.2 * sent)).toBeLessThan(4 * Math.sqrt(sent * 0.2 * 0.8));
    for (const b of lossy.chain!.blocks) {
      expect(b.coverage).toBe(1);
      expect(b.coverageOnline).toBe(1);
    }
    expect(lossy.chain!.blockT100MsMedian!).toBeGreaterThan(clean.chain!.blockT100MsMedian!);
  });

  it('nodes back after the last block still catch up on all they missed: asking for tips is retried too', { timeout: TIMEOUT }, async () => {
    // Half of all messages lost, and no new block after the nodes return to announce the chain again:
    // only the retried requests for tips (and for blocks) can bring them up to date.
    const crash = { kind: 'crash', atMs: 100_000, fraction: 0.2, select: 'random', recoverAtMs: 2_000_000 };
    const raw = { ...(scenario(0.5, [crash]) as Record<string, unknown>), peers: { maintain: false } };
    const r = await runScenario(parseScenario(raw), { workers: 2, assignment: 'contiguous', baseDir: '.' });
    const c = r.chain!;
    expect(Math.max(...c.blocks.map((b) => b.createdMs))).toBeLessThan(2_000_000);
    expect(c.catchUp!.recoveries).toBeGreaterThan(300);
    expect(c.catchUp!.unfinished).toBe(0);
  });
});
