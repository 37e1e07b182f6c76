// PHOLD's event counts follow from its definition. With the defaults (mean = lookahead = 1) every
// increment is exactly Exp(0) + 1 = 1, so each of the lps x startEvents event "tokens" is handled at
// t = 1, 2, ..., end - 1 (events at or after `end` are never handled): exactly end - 1 times. Handling an
// event sends exactly one, so the tokens are conserved whatever `remote` says; only who handles them
// changes.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { Result } from '../src/result.js';

const { runScenario } = (await import('../dist/src/run.js' as string)) as typeof import('../src/run.js');
const { parseScenario } = (await import('../dist/src/scenario/load.js' as string)) as typeof import('../src/scenario/load.js');

const TIMEOUT = 60_000;
const dir = mkdtempSync(join(tmpdir(), 'p2psim-phold-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function run(raw: object, workers: number): Promise<Result> {
  return runScenario(parseScenario({ model: 'phold', ...raw }), { workers, assignment: 'contiguous', baseDir: dir, keepPerNode: true });
}

describe('PHOLD event counts with unit increments', () => {
  const lps = 1000;
  const end = 30;

  it('committed = lps x (end - 1) x startEvents (startEvents 1 and 3, 1 and 2 workers)', { timeout: TIMEOUT }, async () => {
    for (const startEvents of [1, 3]) {
      for (const workers of [1, 2]) {
        const r = await run({ lps, end, startEvents }, workers);
        expect(r.phold).toEqual({ lps, committed: lps * (end - 1) * startEvents, end });
        expect(r.events).toBe(lps * (end - 1) * startEvents);
      }
    }
  });

  it('remote 0: every LP handles exactly (end - 1) x startEvents', { timeout: TIMEOUT }, async () => {
    const startEvents = 3;
    const r = await run({ lps, end, startEvents, remote: 0 }, 2);
    const handled = r.perNode!.handled as Uint32Array;
    expect(handled.length).toBe(lps);
    for (let lp = 0; lp < lps; lp++) if (handled[lp] !== (end - 1) * startEvents) expect([lp, handled[lp]]).toEqual([lp, (end - 1) * startEvents]);
    expect(r.phold!.committed).toBe(lps * (end - 1) * startEvents);
  });

  it('remote 1: the total is conserved, and per-LP counts spread as uniform scattering predicts', { timeout: TIMEOUT }, async () => {
    const startEvents = 3;
    const r = await run({ lps, end, startEvents, remote: 1 }, 2);
    const handled = r.perNode!.handled as Uint32Array;
    const total = handled.reduce((s, x) => s + x, 0);
    expect(total).toBe(lps * (end - 1) * startEvents);
    expect(r.phold!.committed).toBe(total);
    expect(Math.max(...handled)).toBeGreaterThan(Math.min(...handled));

    // At t = 1 each LP handles its own startEvents start events. At each later step t = 2..end-1 all
    // K = lps x startEvents tokens sit at independent uniform LPs (every send goes to a uniform LP), so an
    // LP's count at that step is Binomial(K, 1/lps), and the sum of squared deviations from the (exact)
    // per-step mean K/lps has expectation K (1 - 1/lps) per step. Hence the population variance V of the
    // per-LP totals has E[V] = (end - 2) x startEvents x (1 - 1/lps) (~83.9). The totals are close to
    // Poisson(lambda = E[V]), whose sample variance has standard error sqrt((2 lambda^2 + lambda) / lps)
    // (~3.8). Tolerance: 4 standard errors.
    const mean = total / lps;
    const V = handled.reduce((s, x) => s + (x - mean) ** 2, 0) / lps;
    const expected = (end - 2) * startEvents * (1 - 1 / lps);
    const se = Math.sqrt((2 * expected ** 2 + expected) / lps);
    expect(Math.abs(V - expected)).toBeLessThan(4 * se);
  });
});

describe('PHOLD with random increments (mean 2, lookahead 0.5)', () => {
  const raw = { lps: 512, end: 50, mean: 2.0, lookahead: 0.5 };

  it('the same digest and per-LP counts at 1, 2 and 3 workers', { timeout: TIMEOUT }, async () => {
    const base = await run(raw, 1);
    for (const workers of [2, 3]) {
      const r = await run(raw, workers);
      expect(r.digest, `${workers} workers`).toBe(base.digest);
      expect(r.phold, `${workers} workers`).toEqual(base.phold);
      expect(Buffer.from((r.perNode!.handled as Uint32Array).buffer).equals(Buffer.from((base.perNode!.handled as Uint32Array).buffer))).toBe(true);
      expect(r.profile.lookaheadMs).toBe(0.5);
    }
  });

  it('committed matches the renewal-theory count', { timeout: TIMEOUT }, async () => {
    // Each token is a renewal process with increments X = 0.5 + Exp(1.5): mean mu = 2, variance
    // s2 = 2.25. Events handled per token = renewals in [0, end): for a non-lattice X the expectation is
    // end/mu + (s2 - mu^2)/(2 mu^2) (~24.78; the correction to this is exponentially small after ~25
    // renewals) with variance ~ s2 end / mu^3 (~14.06). Tokens are independent (each increment is drawn
    // fresh), so for lps x startEvents tokens the total has standard error sqrt(tokens x 14.06).
    // Tolerance: 4 standard errors.
    const r = await run({ ...raw, seed: 1234 }, 2);
    const mu = 2;
    const s2 = 1.5 ** 2;
    const tokens = raw.lps;
    const expected = tokens * (raw.end / mu + (s2 - mu * mu) / (2 * mu * mu));
    const se = Math.sqrt((tokens * s2 * raw.end) / mu ** 3);
    expect(Math.abs(r.phold!.committed - expected)).toBeLessThan(4 * se);
    // And a hard bound: increments are >= 0.5, so a token is handled at most ceil(end / 0.5) - 1 times.
    expect(r.phold!.committed).toBeLessThanOrEqual(tokens * (Math.ceil(raw.end / 0.5) - 1));
  });
});
