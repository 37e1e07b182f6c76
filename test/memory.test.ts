// The memory preflight (src/memory.ts, docs/cli.md, "Memory") and the four rows of issue 18's table: each
// scenario either runs to the end or is refused in one line, exit 2, before any work is done.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { afterAll, describe, expect, it } from 'vitest';

const { estimateMemory, preflight } = (await import('../dist/src/memory.js' as string)) as typeof import('../src/memory.js');
const { modelOf } = (await import('../dist/src/models/registry.js' as string)) as typeof import('../src/models/registry.js');
const { parseScenario } = (await import('../dist/src/scenario/load.js' as string)) as typeof import('../src/scenario/load.js');
const { InputError } = (await import('../dist/src/errors.js' as string)) as typeof import('../src/errors.js');

const ROOT = join(import.meta.dirname, '..');
const CLI = join(ROOT, 'dist', 'src', 'cli.js');
const GiB = 2 ** 30;

const dir = mkdtempSync(join(tmpdir(), 'p2psim-memory-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function estimate(raw: object, shards = 1) {
  const s = parseScenario(raw);
  return estimateMemory(modelOf(s).compile(s) as never, shards, dir);
}

interface Exit {
  code: number | null;
  stdout: string;
  stderr: string;
  wallMs: number;
}

function cli(args: string[], env: Record<string, string> = {}): Promise<Exit> {
  const started = performance.now();
  const child = spawn(process.execPath, [CLI, ...args], { cwd: ROOT, env: { ...process.env, P2PSIM_DEBUG: '', P2PSIM_FAULT: '', ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  return new Promise((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr, wallMs: performance.now() - started }));
  });
}

function file(name: string, scenario: object): string {
  const f = join(dir, name);
  writeFileSync(f, JSON.stringify(scenario));
  return f;
}

/** One line on stderr from p2psim, exit 2, no stack frame, fast: nothing was built. */
function expectRefused(r: Exit, field: string): string {
  expect(r.code, r.stderr).toBe(2);
  expect(r.stderr).toMatch(new RegExp(`^p2psim: ${field.replace('.', '\\.')}: [^\\n]+\\n$`));
  expect(r.stderr).not.toMatch(/^\s+at /m);
  expect(r.wallMs).toBeLessThan(10_000);
  return r.stderr;
}

describe('the estimate', () => {
  it('grows with the broadcasts in flight at once, and names workload.count', () => {
    const one = estimate({ nodes: 100_000, workload: { count: 1 } });
    const many = estimate({ nodes: 100_000, workload: { count: 500 } });
    expect(one.driver.field).toBe('nodes');
    expect(many.driver).toEqual({ field: 'workload.count', why: '500 broadcasts at once on 100,000 nodes' });
    expect(many.bytes).toBeGreaterThan(40 * one.bytes);
    // The same broadcasts spread over time are not all in flight at once.
    const spread = estimate({ nodes: 100_000, workload: { count: 500, ratePerSecond: 0.01 } });
    expect(spread.bytes).toBeLessThan(many.bytes / 3);
  });

  it('names the chain blocks, the transactions and the PHOLD start events that drive it', () => {
    expect(estimate({ model: 'chain', nodes: 1000, chain: { blocks: 50 }, durationMs: 1e9 }).driver.field).toBe('chain.blocks');
    expect(estimate({ model: 'chain', nodes: 1000, chain: { blocks: 2 }, transactions: { ratePerSecond: 50 }, durationMs: 3_600_000 }).driver.field).toBe('transactions.ratePerSecond');
    expect(estimate({ model: 'phold', lps: 1000, startEvents: 64 }).driver.field).toBe('startEvents');
  });

  it('preflight: refuses, in words, what does not fit, and passes what does', () => {
    const e = estimate({ nodes: 100_000, workload: { count: 500 } });
    expect(() => preflight(e, { bytes: e.bytes * 2, words: 'this machine has plenty free' })).not.toThrow();
    let err: unknown;
    try {
      preflight(e, { bytes: 2 * GiB, words: 'this machine has 2.0 GiB free' });
    } catch (x) {
      err = x;
    }
    expect(err).toBeInstanceOf(InputError);
    expect((err as Error).message).toMatch(/^workload\.count: 500 broadcasts at once on 100,000 nodes need about \d+(\.\d)? GiB, this machine has 2\.0 GiB free; .*--force/);
  });
});

describe('issue 18, the table: a finished run or one clear line before any work', () => {
  it('row 1: a billion broadcasts on 100 nodes: workload.count, exit 2 (not a V8 fatal error)', { timeout: 30_000 }, async () => {
    const r = await cli(['run', file('row1.json', { nodes: 100, workload: { kind: 'broadcast', count: 1e9 } }), '--quiet']);
    expect(expectRefused(r, 'workload.count')).toMatch(/must be <= 1,000,000/);
  });

  // Rows 2 and 3 on a machine that cannot hold them; P2PSIM_MEMORY_AVAILABLE stands in for its free memory.
  it('row 2: 500 broadcasts at once on 100,000 nodes, 4 GiB free: the estimate, the room and the field', { timeout: 30_000 }, async () => {
    const f = file('row2.json', { nodes: 100_000, workload: { kind: 'broadcast', count: 500 } });
    const r = await cli(['run', f, '--quiet'], { P2PSIM_MEMORY_AVAILABLE: String(4 * GiB) });
    expect(expectRefused(r, 'workload.count')).toMatch(/500 broadcasts at once on 100,000 nodes need about \d+(\.\d)? GiB, this machine has 4\.0 GiB free/);
    // validate says the same, and --force lets validate say ok.
    expect(expectRefused(await cli(['validate', f], { P2PSIM_MEMORY_AVAILABLE: String(4 * GiB) }), 'workload.count')).toBe(r.stderr);
    const forced = await cli(['validate', f, '--force'], { P2PSIM_MEMORY_AVAILABLE: String(4 * GiB) });
    expect(forced.code).toBe(0);
    expect(forced.stdout).toMatch(/\nmemory: about \d+(\.\d)? GiB at \d+ workers? \(500 broadcasts at once on 100,000 nodes\); this machine has 4\.0 GiB free\n$/);
  });

  it('row 3: 2,000 broadcasts at once on 200,000 nodes, 16 GiB free: refused in one line', { timeout: 30_000 }, async () => {
    const r = await cli(['run', file('row3.json', { nodes: 200_000, workload: { kind: 'broadcast', count: 2000 } }), '--quiet'], { P2PSIM_MEMORY_AVAILABLE: String(16 * GiB) });
    expect(expectRefused(r, 'workload.count')).toMatch(/2,000 broadcasts at once on 200,000 nodes need about \d+ GiB, this machine has 16 GiB free/);
  });

  it('row 4: 100 broadcasts on 100,000 nodes: runs to the end (or, on a small machine, one line up front)', { timeout: 180_000 }, async () => {
    const r = await cli(['run', file('row4.json', { nodes: 100_000, workload: { kind: 'broadcast', count: 100 } }), '--quiet', '--workers', '2']);
    if (r.code === 2) {
      expectRefused(r, 'workload.count');
      return;
    }
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/100,000 nodes/);
  });
});
