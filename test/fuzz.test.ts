// Fuzzed scenarios (bench/fuzz-cases.ts): the shipped scenarios mutated and handed to the real CLI, which
// must exit 0, or 2 with one line, and never print a stack trace, die of a V8 fatal error or hang.
// Seeded and bounded, so it stays well under a minute; `npm run fuzz` is the long campaign.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';

const { edgeListFiles, fuzzCases, problem, runCase } = (await import('../dist/bench/fuzz-cases.js' as string)) as typeof import('../bench/fuzz-cases.js');

const dir = mkdtempSync(join(tmpdir(), 'p2psim-fuzz-test-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const CASES = 36;
/** Two CLI processes at a time: the machine has two cores. */
const PARALLEL = 2;
/** A case slower than this is a hang (a validate takes well under a second). */
const LIMIT_MS = 20_000;

describe('fuzzed scenarios', () => {
  it(`${CASES} mutated scenarios: exit 0, or 2 with one line; no stack trace, fatal error or hang`, { timeout: 90_000 }, async () => {
    const cases = fc.sample(fuzzCases(edgeListFiles(dir)), { numRuns: CASES, seed: 20261204 });
    const failures: string[] = [];
    let next = 0;
    const worker = async (slot: number) => {
      for (let i = next++; i < cases.length; i = next++) {
        const c = cases[i]!;
        const p = problem(await runCase(c, join(dir, `case-${slot}.json`), LIMIT_MS));
        if (p) failures.push(`${c.command} ${c.what}: ${p}`);
      }
    };
    await Promise.all(Array.from({ length: PARALLEL }, (_, s) => worker(s)));
    expect(failures).toEqual([]);
  });

  it('the table of issue 18, row 1: a billion broadcasts on 100 nodes is one line, exit 2, not a V8 fatal error', { timeout: 30_000 }, async () => {
    const o = await runCase({ text: '{"nodes":100,"workload":{"kind":"broadcast","count":1e9}}', command: 'run', what: 'row 1' }, join(dir, 'row1.json'), LIMIT_MS);
    expect(problem(o)).toBeNull();
    expect(o.code).toBe(2);
    expect(o.stderr).toMatch(/^p2psim: workload\.count: /);
  });
});
