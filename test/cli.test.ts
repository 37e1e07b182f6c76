// The command line's contract (docs/architecture.md, "Errors"): bad input is one line on stderr naming what is wrong, exit 2,
// no stack trace, nothing written. Parse errors are checked in-process through main(); the compiled
// CLI (dist/, built by `npm test`) is run as a child process for what only a real process shows.
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../src/cli.js';

const ROOT = join(import.meta.dirname, '..');
const CLI = join(ROOT, 'dist', 'src', 'cli.js');
const SCENARIOS = join(ROOT, 'scenarios');
const RING = join(SCENARIOS, 'ring-small.json');
const SIMBLOCK = join(SCENARIOS, 'simblock-bitcoin-2019.json');

const dir = mkdtempSync(join(tmpdir(), 'p2psim-cli-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const BAD = join(dir, 'bad.json');
writeFileSync(BAD, JSON.stringify({ nodes: 100, topology: { kind: 'random-regular', degree: 0 } }));

async function inProcess(...argv: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const code = await main(argv, { stdout: (t) => void (stdout += t), stderr: (t) => void (stderr += t), stderrIsTTY: false });
  return { code, stdout, stderr };
}

/** One line on stderr, no stack frames. */
function expectOneLine(stderr: string, text: string): void {
  expect(stderr).toBe(`p2psim: ${text}\n`);
  expect(stderr).not.toMatch(/^\s+at /m);
}

describe('main() in-process', () => {
  it('validate: ok', async () => {
    const r = await inProcess('validate', RING);
    expect(r.code).toBe(0);
    expect(r.stderr).toBe('');
    // Then the memory estimate (src/memory.ts).
    expect(r.stdout).toMatch(new RegExp(`^${RING}: ok \\(gossip, 1000 nodes\\)\nmemory: about \\d+ MiB at 1 worker \\(1,000 nodes\\); this machine has .* free\n$`));
  });

  it('validate: phold counts LPs as nodes', async () => {
    const file = join(SCENARIOS, 'phold-1k.json');
    expect((await inProcess('validate', file)).stdout.split('\n')[0]).toBe(`${file}: ok (phold, 1024 nodes)`);
  });

  it('validate: every shipped scenario', async () => {
    for (const f of readdirSync(SCENARIOS).filter((f) => !f.endsWith('.sweep.json'))) expect((await inProcess('validate', join(SCENARIOS, f))).code).toBe(0);
  });

  it('validate: a bad field', async () => {
    const r = await inProcess('validate', BAD);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expectOneLine(r.stderr, 'topology.degree: must be an integer >= 1, got 0');
  });

  it('validate: a rule across fields of the chain', async () => {
    const file = join(dir, 'chain-workload.json');
    writeFileSync(file, JSON.stringify({ nodes: 100, chain: { miners: { count: 10 } }, workload: { count: 5 } }));
    const r = await inProcess('validate', file);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expectOneLine(r.stderr, "workload: cannot be combined with chain (blocks are the chain's workload); remove workload");
  });

  it('validate: a missing file', async () => {
    const missing = join(dir, 'nope.json');
    const r = await inProcess('validate', missing);
    expect(r.code).toBe(2);
    expectOneLine(r.stderr, `cannot read ${missing}: no such file`);
  });

  it.each<[string[], string]>([
    [['validate', '--strict', RING], "unknown option '--strict'"],
    [['run', '--worker', '2'], "unknown option '--worker' (Did you mean --workers?)"],
    [['frobnicate'], "unknown command 'frobnicate'"],
    [['validate'], "missing required argument 'file'"],
    [['validate', RING, RING], "too many arguments for 'validate'. Expected 1 argument but got 2."],
    [['run', RING, '--workers'], "option '--workers <n>' argument missing"],
    [['run', RING, '--partition', 'random'], "option '--partition <kind>' argument 'random' is invalid. Allowed choices are contiguous, strided, by-region."],
    [[], 'missing command: run, report, export, viz, sweep, worker, validate or schema (see p2psim --help)'],
  ])('usage error %j', async (argv, text) => {
    const r = await inProcess(...argv);
    expect(r.code).toBe(2);
    expectOneLine(r.stderr, text);
  });

  it.each<[string[], string]>([
    [['run', RING, '--workers', '0'], '--workers: must be an integer >= 1 and <= 1024, got 0'],
    [['run', RING, '--workers', '2.5'], '--workers: must be an integer >= 1 and <= 1024, got 2.5'],
    [['run', RING, '--workers', 'many'], '--workers: must be an integer >= 1 and <= 1024, got many'],
    [['run', RING, '--nodes', 'abc'], '--nodes: must be an integer >= 2, got abc'],
    [['run', RING, '--nodes', '0'], 'nodes: must be an integer >= 2, got 0'],
    [['run', RING, '--nodes', '2'], 'topology.k: must be < nodes / 2 (1), got 1'],
    [['run', RING, '--seed', '0x10'], '--seed: must be an integer >= 0, got 0x10'],
    [['run', RING, '--seed', '-1'], 'seed: must be an integer >= 0, got -1'],
    [['run', join(SCENARIOS, 'phold-1k.json'), '--nodes', 'x'], '--nodes: must be an integer >= 1, got x'],
    [['run', SIMBLOCK, '--nodes', '100'], 'chain.miners.count: must be <= nodes (100), got 10000'],
  ])('run flag %j', async (argv, text) => {
    const r = await inProcess(...argv);
    expect(r.code).toBe(2);
    expectOneLine(r.stderr, text);
  });

  it('run --out into a missing directory fails before running and writes nothing', async () => {
    const out = join(dir, 'missing-dir', 'result.json');
    const r = await inProcess('run', RING, '--quiet', '--out', out);
    expect(r.code).toBe(2);
    expectOneLine(r.stderr, `--out: directory does not exist: ${join(dir, 'missing-dir')}`);
    expect(existsSync(join(dir, 'missing-dir'))).toBe(false);
  });

  it('run --out never targets the scenario file', async () => {
    const scenario = join(dir, 'keep.json');
    writeFileSync(scenario, '{"nodes": 10}');
    const r = await inProcess('run', scenario, '--out', scenario);
    expect(r.code).toBe(2);
    expectOneLine(r.stderr, `--out: would overwrite ${scenario}, which this run reads or writes`);
  });

  it('schema prints JSON Schema with the scenario fields', async () => {
    const r = await inProcess('schema');
    expect(r.code).toBe(0);
    const schema = JSON.parse(r.stdout) as { properties: Record<string, unknown> };
    expect(schema.properties.topology).toBeDefined();
  });

  it('--help and --version print and exit 0', async () => {
    const help = await inProcess('--help');
    expect(help.code).toBe(0);
    expect(help.stdout).toContain('Usage: p2psim');
    const version = await inProcess('--version');
    expect(version.code).toBe(0);
    expect(version.stdout).toMatch(/^\d+\.\d+\.\d+\n$/);
  });
});

describe('compiled CLI as a child process', () => {
  const exec = promisify(execFile);
  async function cli(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
    try {
      const { stdout, stderr } = await exec(process.execPath, [CLI, ...args], { cwd: dir, timeout: 20_000 });
      return { code: 0, stdout, stderr };
    } catch (err) {
      const e = err as { code?: number; stdout: string; stderr: string };
      return { code: typeof e.code === 'number' ? e.code : -1, stdout: e.stdout, stderr: e.stderr };
    }
  }

  beforeAll(() => {
    if (!existsSync(CLI)) throw new Error(`${CLI} is missing: build first (npm run build; npm test does)`);
  });

  it('validate ok exits 0', async () => {
    const r = await cli('validate', RING);
    expect({ ...r, stdout: r.stdout.split('\n')[0] }).toEqual({ code: 0, stdout: `${RING}: ok (gossip, 1000 nodes)`, stderr: '' });
  });

  it('validate error exits 2 with one line', async () => {
    const r = await cli('validate', BAD);
    expect(r.code).toBe(2);
    expectOneLine(r.stderr, 'topology.degree: must be an integer >= 1, got 0');
  });

  it('unknown flag exits 2 with one line', async () => {
    const r = await cli('run', '--bogus');
    expect(r.code).toBe(2);
    expectOneLine(r.stderr, "unknown option '--bogus'");
  });

  it('schema prints JSON Schema', async () => {
    const r = await cli('schema');
    expect(r.code).toBe(0);
    expect((JSON.parse(r.stdout) as { properties: Record<string, unknown> }).properties.topology).toBeDefined();
  });

  it('--workers 0 exits 2 naming --workers', async () => {
    const r = await cli('run', RING, '--workers', '0');
    expect(r.code).toBe(2);
    expectOneLine(r.stderr, '--workers: must be an integer >= 1 and <= 1024, got 0');
  });

  it('--out into a missing directory exits 2 and writes nothing', async () => {
    const before = readdirSync(dir).sort();
    const r = await cli('run', RING, '--quiet', '--out', join('no-such-dir', 'r.json'));
    expect(r.code).toBe(2);
    expectOneLine(r.stderr, `--out: directory does not exist: ${join(dir, 'no-such-dir')}`);
    expect(readdirSync(dir).sort()).toEqual(before);
  });
});
