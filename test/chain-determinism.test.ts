// The determinism contract for the chain layer: the digest (every node's receipt of every block and
// every transaction, and its final tip) and the chain statistics are identical at 1, 2 and 3 workers and on a repeated run, for
// every relay kind, with transactions and with verification delays; another seed changes them.
import { describe, expect, it } from 'vitest';
import type { AssignmentKind } from '../src/engine/assignment.js';
import type { Result } from '../src/result.js';

const { runScenario } = (await import('../dist/src/run.js' as string)) as typeof import('../src/run.js');
const { parseScenario } = (await import('../dist/src/scenario/load.js' as string)) as typeof import('../src/scenario/load.js');

const TIMEOUT = 120_000;

function scenario(relay: string, extra: object = {}): object {
  return {
    seed: 21,
    nodes: 500,
    topology: { kind: 'bitcoin', outbound: 6 },
    latency: { kind: 'regions', preset: 'bitcoin-2019', distribution: 'uniform', jitter: 0.2 },
    bandwidth: { preset: 'bitcoin-2019' },
    // Short intervals against large blocks: forks, reorgs and orphans all happen.
    chain: { blockIntervalS: 1, blocks: 15, blockSizeBytes: 400_000, miners: { count: 40 } },
    relay: { kind: relay },
    durationMs: 1e9,
    ...extra,
  };
}

async function run(raw: object, workers: number, partition: AssignmentKind = 'contiguous'): Promise<Result> {
  return runScenario(parseScenario(raw), { workers, assignment: partition, baseDir: '.' });
}

function expectSame(a: Result, b: Result): void {
  expect(b.digest).toBe(a.digest);
  expect(b.events).toBe(a.events);
  expect(b.chain).toEqual(a.chain);
}

describe('chain determinism at 1, 2 and 3 workers, and 2 strided', () => {
  const cases: [string, object][] = [
    ['unsolicited', {}],
    ['inv-getdata', { chain: { blockIntervalS: 1, blocks: 15, blockSizeBytes: 400_000, verifyMs: 40, miners: { count: 40 } } }],
    ['compact', { transactions: { ratePerSecond: 20, count: 300, sizeBytes: 400 } }],
  ];
  for (const [relay, extra] of cases) {
    it(`${relay} ${JSON.stringify(extra).slice(0, 60)}`, { timeout: TIMEOUT }, async () => {
      const raw = scenario(relay, extra);
      const one = await run(raw, 1);
      expect(one.chain!.forks).toBeGreaterThan(0);
      expectSame(one, await run(raw, 1));
      expectSame(one, await run(raw, 2));
      expectSame(one, await run(raw, 3));
      expectSame(one, await run(raw, 2, 'strided'));
      const other = await run({ ...raw, seed: 22 }, 1);
      expect(other.digest).not.toBe(one.digest);
    });
  }
});

describe('the chain digest', () => {
  it('covers every node\'s receipt of every transaction: runs that differ only in their transactions differ in it', { timeout: TIMEOUT }, async () => {
    // No block after genesis, so blocks and tips are the same in all three runs: only the
    // transactions' receipts can tell the runs apart.
    const raw = (ratePerSecond: number) => scenario('compact', { chain: { blockIntervalS: 1e6, miners: { count: 4 } }, transactions: { ratePerSecond, count: 40, sizeBytes: 300 }, durationMs: 60_000 });
    const a = await run(raw(10), 1);
    expect(a.chain!.traffic.blockMessages).toBe(0);
    expect(a.chain!.transactions!.meanCoverage).toBe(1);
    expect((await run(raw(10), 2)).digest).toBe(a.digest);
    expect((await run(raw(11), 1)).digest).not.toBe(a.digest);
  });
});
