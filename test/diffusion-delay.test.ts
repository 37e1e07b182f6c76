// Diffusion's per-link delay, measured on the smallest network there is: two nodes and one link. Node 0
// originates every message; node 1 hears it after the latency L plus one Exp(mean) relay delay, and has
// no one to forward to. So each message's t100 (the time until both nodes have it) is one sample of
// L + Exp(mean), and 4000 messages give a sample whose moments the theory fixes.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { Result } from '../src/result.js';

const { runScenario } = (await import('../dist/src/run.js' as string)) as typeof import('../src/run.js');
const { parseScenario } = (await import('../dist/src/scenario/load.js' as string)) as typeof import('../src/scenario/load.js');

const TIMEOUT = 60_000;
const dir = mkdtempSync(join(tmpdir(), 'p2psim-diffusion-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
writeFileSync(join(dir, 'pair.txt'), '0 1\n');

const L = 20;
const MEAN = 100;
const COUNT = 4000;
const SPACING = 1000; // ms between messages: far longer than any plausible delay, though overlap would not matter

function scenario(protocol: object): object {
  return {
    seed: 11,
    nodes: 2,
    topology: { kind: 'edge-list', file: 'pair.txt' },
    latency: { kind: 'constant', ms: L },
    protocol,
    workload: { count: COUNT, origins: [0], atMs: Array.from({ length: COUNT }, (_, m) => m * SPACING) },
    durationMs: COUNT * SPACING + 1_000_000,
  };
}

async function run(raw: object, workers: number): Promise<Result> {
  return runScenario(parseScenario(raw), { workers, assignment: 'contiguous', baseDir: dir, keepPerNode: true });
}

describe('diffusion on one link: delay = L + Exp(meanDelayMs)', () => {
  it('the sample mean, minimum and median agree with L + Exp(100)', { timeout: TIMEOUT }, async () => {
    const r = await run(scenario({ kind: 'diffusion', meanDelayMs: MEAN }), 1);
    expect(r.messages).toHaveLength(COUNT);
    const delays = r.messages!.map((m) => {
      expect(m.coverage).toBe(1);
      return m.t100Ms!;
    });
    // Node 1's receipt time, read directly, must be the same sample.
    const firstMs = r.perNode!.firstMs as Float64Array;
    for (let m = 0; m < COUNT; m += 397) expect(firstMs[m * 2 + 1]! - m * SPACING).toBeCloseTo(delays[m]!, 6);

    // Mean of L + Exp(MEAN) is L + MEAN; the standard deviation of Exp(MEAN) is MEAN, so the standard error
    // of the mean of COUNT samples is MEAN / sqrt(COUNT) (~1.58 ms). Tolerance: 4 standard errors.
    const mean = delays.reduce((s, x) => s + x, 0) / COUNT;
    expect(Math.abs(mean - (L + MEAN))).toBeLessThan((4 * MEAN) / Math.sqrt(COUNT));

    // Exp > 0, so every delay exceeds the latency.
    expect(Math.min(...delays)).toBeGreaterThan(L);

    // P(Exp(MEAN) <= MEAN ln 2) = 1/2: the share of delays below L + MEAN ln 2 is a binomial proportion
    // with standard error sqrt(0.25 / COUNT). Tolerance: 4 standard errors.
    const below = delays.filter((d) => d <= L + MEAN * Math.LN2).length / COUNT;
    expect(Math.abs(below - 0.5)).toBeLessThan(4 * Math.sqrt(0.25 / COUNT));

    // P(Exp(MEAN) <= MEAN) = 1 - 1/e, likewise within 4 standard errors of its binomial proportion.
    const p = 1 - Math.exp(-1);
    const belowMean = delays.filter((d) => d <= L + MEAN).length / COUNT;
    expect(Math.abs(belowMean - p)).toBeLessThan(4 * Math.sqrt((p * (1 - p)) / COUNT));
  });

  it('flooding (relayDelayMs 0) takes exactly L on every message, 1 and 2 workers', { timeout: TIMEOUT }, async () => {
    for (const workers of [1, 2]) {
      const r = await run(scenario({ kind: 'flood', relayDelayMs: 0 }), workers);
      expect(r.messages).toHaveLength(COUNT);
      const firstMs = r.perNode!.firstMs as Float64Array;
      for (let m = 0; m < COUNT; m++) {
        const s = r.messages![m]!;
        if (s.t100Ms !== L || firstMs[m * 2 + 1] !== m * SPACING + L || firstMs[m * 2] !== m * SPACING) {
          expect({ m, t100Ms: s.t100Ms, at1: firstMs[m * 2 + 1], at0: firstMs[m * 2] }).toEqual({ m, t100Ms: L, at1: m * SPACING + L, at0: m * SPACING });
        }
      }
    }
  });
});
