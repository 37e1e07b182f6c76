// Sweep files are checked like scenarios, before anything runs: one line naming the field, exit 2, no
// stack trace, nothing written.
import { existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { main } from '../src/cli.js';
import { planSweep } from '../src/sweep/grid.js';
import { loadSweepFile, parseSweep } from '../src/sweep/spec.js';

const dir = mkdtempSync(join(tmpdir(), 'p2psim-sweep-spec-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const SCENARIO = { nodes: 200, topology: { kind: 'random-regular', degree: 6 } };
const OK = { scenario: SCENARIO, grid: { 'topology.degree': [4, 6] }, replications: 2, seed: 1, metrics: ['network.messagesSent'] };

/** The one-line error planning `sweep` gives (parse, then every cell's scenario). */
function errorOf(sweep: unknown): string {
  try {
    planSweep(parseSweep(sweep, dir));
  } catch (e) {
    return (e as Error).message;
  }
  return 'no error';
}

describe('sweep file validation', () => {
  it('accepts the pinned form and counts cells x replications', () => {
    const plan = planSweep(parseSweep(OK, dir));
    expect(plan.cells.map((c) => c.values)).toEqual([{ 'topology.degree': 4 }, { 'topology.degree': 6 }]);
    expect(plan.runs).toHaveLength(4);
  });

  it.each([
    [{ ...OK, replications: undefined }, 'replications: is required'],
    [{ ...OK, replications: 0 }, 'replications: must be an integer >= 1, got 0'],
    [{ ...OK, replication: 2 }, 'replication: unknown field (did you mean "replications"?)'],
    [{ ...OK, seed: -1 }, 'seed: must be an integer >= 0, got -1'],
    [{ ...OK, metrics: [] }, 'metrics: must have at least 1 item(s), got []'],
    [{ ...OK, metrics: ['network..x'] }, 'metrics.0: must be a dotted path into the result, such as "chain.staleRate" or "messages.0.t90Ms", got "network..x"'],
    [{ ...OK, metrics: ['a', 'a'] }, 'metrics: lists a metric twice'],
    [{ ...OK, grid: { 'topology.degree': [] } }, 'grid.topology.degree: must have at least 1 item(s), got []'],
    [{ ...OK, grid: { 'topology.degre': [4] } }, 'grid.topology.degre: the value 4 makes an invalid scenario: topology.degre: unknown field (did you mean "degree"?)'],
    [{ ...OK, grid: { 'topology.degree': [4, 0] } }, 'grid.topology.degree: the value 0 makes an invalid scenario: topology.degree: must be an integer >= 1, got 0'],
    [{ ...OK, grid: { seed: [1, 2] } }, 'grid.seed: the seed of every run derives from the sweep\'s "seed" and the cell; use "replications" for more seeds'],
    [{ ...OK, zip: { 'topology.degree': [4, 6], nodes: [100] }, grid: {} }, 'zip.nodes: must have 2 item(s), as zip.topology.degree has (zipped axes move together), got 1'],
    [{ ...OK, zip: { 'topology.degree': [4] } }, 'zip.topology.degree: is already an axis (grid.topology.degree)'],
    [{ ...OK, scenario: { nodes: 1 } }, 'scenario.nodes: must be an integer >= 2, got 1 (in cell 0: topology.degree=4)'],
    [{ ...OK, scenario: 'missing.json' }, 'scenario: cannot read missing.json: no such file'],
    [{ ...OK, scenario: 7 }, 'scenario: does not match any allowed form, got 7'],
    [[1], 'sweep: must be an object, got [1]'],
  ])('%j', (sweep, message) => {
    expect(errorOf(sweep)).toBe(message);
  });

  it.each(readdirSync(join(import.meta.dirname, '..', 'scenarios')).filter((f) => f.endsWith('.sweep.json')))('scenarios/%s plans', (f) => {
    const plan = planSweep(loadSweepFile(join(import.meta.dirname, '..', 'scenarios', f)));
    expect(plan.runs.length).toBeGreaterThan(0);
  });

  it('the stale-rate example: 8 intervals x 20 replications of 2,000 nodes', () => {
    const plan = planSweep(loadSweepFile(join(import.meta.dirname, '..', 'scenarios', 'stale-rate.sweep.json')));
    expect(plan.cells).toHaveLength(8);
    expect(plan.runs).toHaveLength(160);
    expect(plan.runs[0]!.scenario).toMatchObject({ nodes: 2000, chain: { blockIntervalS: 600 } });
  });

  it('a zip group moves its axes together, times the grid', () => {
    const plan = planSweep(parseSweep({ ...OK, zip: { nodes: [100, 300], 'topology.kind': ['random-regular', 'random-regular'] } }, dir));
    expect(plan.cells.map((c) => c.values)).toEqual([
      { 'topology.degree': 4, nodes: 100, 'topology.kind': 'random-regular' },
      { 'topology.degree': 4, nodes: 300, 'topology.kind': 'random-regular' },
      { 'topology.degree': 6, nodes: 100, 'topology.kind': 'random-regular' },
      { 'topology.degree': 6, nodes: 300, 'topology.kind': 'random-regular' },
    ]);
  });

  it('a scenario path resolves next to the sweep file', () => {
    const sub = mkdtempSync(join(dir, 'sub-'));
    writeFileSync(join(sub, 'base.json'), JSON.stringify(SCENARIO));
    const plan = planSweep(parseSweep({ ...OK, scenario: 'base.json' }, sub));
    expect(plan.spec.baseDir).toBe(sub);
    expect(plan.runs[0]!.scenario).toMatchObject({ nodes: 200, topology: { kind: 'random-regular', degree: 4 } });
  });

  it('the command: exit 2, one line, nothing written', async () => {
    const file = join(dir, 'bad.json');
    const out = join(dir, 'out');
    writeFileSync(file, JSON.stringify({ ...OK, replications: 0 }));
    let stderr = '';
    let stdout = '';
    const code = await main(['sweep', file, '--out', out], { stdout: (t) => void (stdout += t), stderr: (t) => void (stderr += t), stderrIsTTY: false });
    expect(code).toBe(2);
    expect(stdout).toBe('');
    expect(stderr).toBe('p2psim: replications: must be an integer >= 1, got 0\n');
    expect(existsSync(out)).toBe(false);
  });

  it('flags: --out is required to run, and the modes exclude each other', async () => {
    const file = join(dir, 'ok.json');
    writeFileSync(file, JSON.stringify(OK));
    const run = async (...argv: string[]) => {
      let stderr = '';
      let stdout = '';
      const code = await main(argv, { stdout: (t) => void (stdout += t), stderr: (t) => void (stderr += t), stderrIsTTY: false });
      return { code, stdout, stderr };
    };
    expect(await run('sweep', file, '--list')).toEqual({ code: 0, stdout: '4\n', stderr: '' });
    expect(await run('sweep', file)).toEqual({ code: 2, stdout: '', stderr: 'p2psim: --out: is required: the directory the runs and the summary go to\n' });
    expect((await run('sweep', file, '--list', '--summarize')).stderr).toBe('p2psim: --summarize: cannot be combined with --list\n');
    expect((await run('sweep', file, '--out', join(dir, 'o2'), '--index', '4')).stderr).toBe('p2psim: --index: must be an integer >= 0 and <= 3, got 4\n');
    expect((await run('sweep', file, '--out', join(dir, 'o2'), '--workers', '0')).stderr).toBe('p2psim: --workers: must be an integer >= 1 and <= 1024, got 0\n');
    expect((await run('sweep', file, '--out', join(dir, 'o2'), '--queue', 'http://x')).stderr).toBe('p2psim: --queue: must be a redis:// or rediss:// URL, got http://x\n');
  });
});
