// `npm run fuzz`: the long fuzz campaign (bench/fuzz-cases.ts says what a case is and what it must
// do). Thousands of cases, a few CLI processes at a time; prints the count tried and every failing case.
//
//   npm run fuzz                                  2,000 cases, seed 1
//   npm run fuzz -- --cases 10000 --seed 7 --parallel 2
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Command } from 'commander';
import fc from 'fast-check';
import { edgeListFiles, fuzzCases, problem, runCase } from './fuzz-cases.js';

const opts = new Command('fuzz')
  .option('--cases <n>', 'cases to try', '2000')
  .option('--seed <n>', 'fast-check seed', '1')
  .option('--parallel <n>', 'CLI processes at once', '2')
  .option('--limit-ms <n>', 'a case that takes longer is a hang', '60000')
  .parse()
  .opts<{ cases: string; seed: string; parallel: string; limitMs: string }>();

const dir = mkdtempSync(join(tmpdir(), 'p2psim-fuzz-'));
const arbitrary = fuzzCases(edgeListFiles(dir));
const total = Number(opts.cases);
// One case at a time, each from its own seed: some cases are files of tens of megabytes, and thousands
// of them generated up front would not fit in memory.
const caseAt = (i: number) => fc.sample(arbitrary, { numRuns: 1, seed: (Number(opts.seed) * 100_003 + i) | 0 })[0]!;
const counts = { ok: 0, refused: 0, failed: 0 };
const started = Date.now();
let next = 0;
async function worker(slot: number): Promise<void> {
  for (let i = next++; i < total; i = next++) {
    const c = caseAt(i);
    const o = await runCase(c, join(dir, `case-${slot}.json`), Number(opts.limitMs));
    const p = problem(o);
    if (p) {
      counts.failed++;
      console.log(`case ${i} (rerun: --seed ${opts.seed}, case ${i}) FAILED: ${p}\n  ${c.command}: ${c.what}\n  ${c.text.slice(0, 400)}`);
    } else if (o.code === 0) counts.ok++;
    else counts.refused++;
    if ((i + 1) % 100 === 0) console.error(`${i + 1} / ${total} (${Math.round((Date.now() - started) / 1000)} s)`);
  }
}
await Promise.all(Array.from({ length: Number(opts.parallel) }, (_, s) => worker(s)));
rmSync(dir, { recursive: true, force: true });
console.log(`${total} cases (seed ${opts.seed}): ${counts.ok} exit 0, ${counts.refused} exit 2 with one line, ${counts.failed} failed; ${Math.round((Date.now() - started) / 1000)} s`);
process.exitCode = counts.failed > 0 ? 1 : 0;
