// What the report and the CSV tables show of the simulation is the same at 1, 2 and 3 workers: the delay
// distributions, the online timeline and fault windows, every chart but the run's own (busy and wait
// times, windows), and every CSV table but shards.csv — for a chain under churn, a partition and loss,
// and for a gossip run. The digest, as ever, too.
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import type { Section } from '../src/plots/charts.js';
import type { Result } from '../src/result.js';

const ROOT = join(import.meta.dirname, '..');
const CLI = join(ROOT, 'dist', 'src', 'cli.js');
const TIMEOUT = 120_000;
const exec = promisify(execFile);
const dir = mkdtempSync(join(tmpdir(), 'p2psim-report-det-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

interface Run {
  result: Result;
  sections: Section[];
  csv: Record<string, string>;
}

async function run(scenario: string, workers: number, tag: string): Promise<Run> {
  const out = join(dir, `${tag}-${workers}`);
  await exec(process.execPath, [CLI, 'run', scenario, '--quiet', '--workers', String(workers), '--out', `${out}.json`, '--report', `${out}.html`, '--csv', out, '--per-node'], { cwd: dir, maxBuffer: 64 << 20 });
  const html = readFileSync(`${out}.html`, 'utf8');
  const sections = (JSON.parse(html.match(/<script id="p2psim-data" type="application\/json">(.*?)<\/script>/s)![1]!) as { sections: Section[] }).sections;
  const csv = Object.fromEntries(readdirSync(out).filter((f) => f !== 'shards.csv').map((f) => [f, readFileSync(join(out, f), 'utf8')]));
  return { result: JSON.parse(readFileSync(`${out}.json`, 'utf8')) as Result, sections, csv };
}

describe.each([
  ['a chain under faults', join(ROOT, 'test', 'fixtures', 'report-chain-faults.json'), 'chain'],
  ['a Poisson stream of broadcasts', join(ROOT, 'scenarios', 'poisson-small.json'), 'gossip'],
])('%s at 1, 2 and 3 workers', (_name, scenario, tag) => {
  it('gives the same delays, timeline, charts and CSV tables', { timeout: TIMEOUT }, async () => {
    const runs = [];
    for (const w of [1, 2, 3]) runs.push(await run(scenario, w, tag));
    const [one, ...others] = runs;
    expect(one!.result.workers).toBe(1);
    expect(Object.keys(one!.csv).sort()).toContain('node-items.csv');
    for (const r of others) {
      expect(r.result.workers).toBeGreaterThan(1);
      expect(r.result.digest).toBe(one!.result.digest);
      expect(r.result.delays).toEqual(one!.result.delays);
      expect(r.result.faults?.timeline).toEqual(one!.result.faults?.timeline);
      expect(r.result.faults?.partitions).toEqual(one!.result.faults?.partitions);
      expect(r.sections.filter((s) => s.id !== 'run')).toEqual(one!.sections.filter((s) => s.id !== 'run'));
      expect(r.csv).toEqual(one!.csv);
    }
  });
});
