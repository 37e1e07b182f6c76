// `npm run bench:memory`: the memory estimate (src/memory.ts) against the measured peak RSS of each run,
// in a fresh process (bench/one.ts), for docs/benchmarks.md, "Memory". Runs one at a time: peak memory
// does not depend on the machine's load, but two heavy runs at once could exhaust it.
//
//   npm run bench:memory                           every case
//   npm run bench:memory -- --only ring-small,heavy-flood-100k-x100
//   npm run bench:memory -- --skip issue18-row2-flood-100k-x500   all but the 8 GiB, 3-minute case
//   npm run bench:memory -- --estimate-only        the estimates alone, in a second
import { execFile } from 'node:child_process';
import { readFileSync, readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { Command } from 'commander';
import { estimateMemory } from '../src/memory.js';
import { modelOf, type Plan } from '../src/models/registry.js';
import { parseScenario } from '../src/scenario/load.js';

const ONE = fileURLToPath(new URL('./one.js', import.meta.url));
const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const SCENARIOS = join(ROOT, 'scenarios');

interface Case {
  name: string;
  scenario: object;
  workers: number;
}

/** The shipped scenarios at one worker, then heavy ones: many broadcasts at once, a million nodes, PHOLD with many start events. */
function cases(): Case[] {
  const shipped = readdirSync(SCENARIOS)
    .filter((f) => f.endsWith('.json') && !f.endsWith('.sweep.json')) // a sweep is many runs, not one scenario
    .sort()
    .map((f) => ({ name: f.replace(/\.json$/, ''), scenario: JSON.parse(readFileSync(join(SCENARIOS, f), 'utf8')) as object, workers: 1 }));
  const heavy: Case[] = [
    { name: 'heavy-flood-100k-x100', scenario: { nodes: 100_000, workload: { kind: 'broadcast', count: 100 } }, workers: 2 },
    { name: 'heavy-flood-100k-x200', scenario: { nodes: 100_000, workload: { kind: 'broadcast', count: 200 } }, workers: 2 },
    { name: 'heavy-flood-20k-x1000', scenario: { nodes: 20_000, workload: { kind: 'broadcast', count: 1000 } }, workers: 1 },
    { name: 'heavy-flood-rr-1m-x2', scenario: { nodes: 1_000_000, topology: { kind: 'random-regular', degree: 8 }, latency: { kind: 'constant', ms: 50 }, workload: { count: 2 } }, workers: 2 },
    // Issue 18's second row: ran to the end in 160 s at 7.9 GiB on the 2-core machine (it was called stuck before).
    { name: 'issue18-row2-flood-100k-x500', scenario: { nodes: 100_000, workload: { kind: 'broadcast', count: 500 } }, workers: 2 },
    { name: 'heavy-phold-1m-x4', scenario: { model: 'phold', lps: 1_000_000, startEvents: 4, end: 20 }, workers: 2 },
  ];
  return [...shipped, ...heavy];
}

const opts = new Command('bench:memory')
  .option('--only <names>', 'comma-separated case names', '')
  .option('--skip <names>', 'comma-separated case names to leave out', '')
  .option('--estimate-only', 'print the estimates without running anything')
  .parse()
  .opts<{ only: string; skip: string; estimateOnly?: boolean }>();
const only = new Set(opts.only.split(',').filter(Boolean));
const skip = new Set(opts.skip.split(',').filter(Boolean));
const run = promisify(execFile);
const mib = (b: number) => Math.round(b / 2 ** 20).toLocaleString('en-US');

console.log('| scenario | workers | estimate (MiB) | measured peak RSS (MiB) | estimate / measured | driver |');
console.log('|---|---|---|---|---|---|');
let worst = 0;
for (const c of cases()) {
  if ((only.size > 0 && !only.has(c.name)) || skip.has(c.name)) continue;
  const s = parseScenario(c.scenario);
  const plan = modelOf(s).compile(s) as Plan;
  const e = estimateMemory(plan, Math.min(c.workers, plan.nodes), SCENARIOS);
  let measured = NaN;
  if (!opts.estimateOnly) {
    const { stdout } = await run(process.execPath, [ONE, JSON.stringify(c.scenario), String(c.workers)], { cwd: SCENARIOS, maxBuffer: 1 << 26 });
    measured = (JSON.parse(stdout.trim().split('\n').pop()!) as { peakRssBytes: number }).peakRssBytes;
    worst = Math.max(worst, Math.abs(e.bytes / measured - 1));
  }
  const ratio = Number.isNaN(measured) ? '' : (e.bytes / measured).toFixed(2);
  console.log(`| ${c.name} | ${c.workers} | ${mib(e.bytes)} | ${Number.isNaN(measured) ? '' : mib(measured)} | ${ratio} | ${e.driver.field}: ${e.driver.why} |`);
}
if (!opts.estimateOnly) console.log(`\nlargest error: ${(worst * 100).toFixed(0)} %`);
