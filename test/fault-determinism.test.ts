// The determinism contract under every fault model: crash with recovery, churn, partition and loss,
// each on the chain layer (so catch-up and heal run too), give the same digest and chain statistics at
// 1, 2 and 3 workers, and a different seed changes them.
import { describe, expect, it } from 'vitest';
import type { AssignmentKind } from '../src/engine/assignment.js';
import type { Result } from '../src/result.js';

const { runScenario } = (await import('../dist/src/run.js' as string)) as typeof import('../src/run.js');
const { parseScenario } = (await import('../dist/src/scenario/load.js' as string)) as typeof import('../src/scenario/load.js');

const TIMEOUT = 120_000;

const FAULTS: Record<string, object> = {
  crash: { kind: 'crash', atMs: 20_000, fraction: 0.3, select: 'random', recoverAtMs: 60_000 },
  churn: { kind: 'churn', share: 0.3, session: { kind: 'exponential', meanMs: 30_000 }, downtime: { kind: 'weibull', shape: 0.8, scaleMs: 10_000 } },
  partition: { kind: 'partition', fromMs: 20_000, toMs: 60_000, regions: ['EUROPE'] },
  loss: { kind: 'loss', rate: 0.1 },
};

async function run(fault: object, workers: number, seed = 23, partition: AssignmentKind = 'contiguous'): Promise<Result> {
  const raw = {
    seed,
    nodes: 600,
    topology: { kind: 'bitcoin', outbound: 6 },
    latency: { kind: 'regions', preset: 'bitcoin-2019' },
    bandwidth: { preset: 'bitcoin-2019' },
    chain: { blockIntervalS: 8, blocks: 12, blockSizeBytes: 100_000, miners: { count: 30 } },
    relay: { kind: 'compact', timeoutMs: 3000 },
    faults: [fault],
    // Churn goes on to the end of the run: keep it near the last block.
    durationMs: 150_000,
  };
  return runScenario(parseScenario(raw), { workers, assignment: partition, baseDir: '.' });
}

describe('fault determinism at 1, 2 and 3 workers, and 2 strided', () => {
  for (const [name, fault] of Object.entries(FAULTS)) {
    it(name, { timeout: TIMEOUT }, async () => {
      const one = await run(fault, 1);
      for (const [w, partition] of [[2, 'contiguous'], [3, 'contiguous'], [2, 'strided']] as const) {
        const other = await run(fault, w, 23, partition);
        expect(other.digest).toBe(one.digest);
        expect(other.chain).toEqual(one.chain);
        expect(other.faults).toEqual(one.faults);
      }
      expect((await run(fault, 1, 24)).digest).not.toBe(one.digest);
    });
  }
});
