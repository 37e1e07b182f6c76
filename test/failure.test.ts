// A failure during a run (docs/architecture.md, "Errors"): a shard that throws, exits, hangs or runs out of memory stops the
// whole run promptly; the command prints one line naming the shard and the cause, exits non-zero, and
// leaves no result file. Faults are injected with the test-only P2PSIM_FAULT=kind:shard:window (or the
// `fault` run option). Ctrl-C (SIGINT) and SIGTERM (containers, job schedulers) likewise end a run with one
// line and no result.
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, describe, expect, it } from 'vitest';

const { runScenario } = (await import('../dist/src/run.js' as string)) as typeof import('../src/run.js');
const { parseScenario } = (await import('../dist/src/scenario/load.js' as string)) as typeof import('../src/scenario/load.js');
const { RunError } = (await import('../dist/src/errors.js' as string)) as typeof import('../src/errors.js');

const ROOT = join(import.meta.dirname, '..');
const CLI = join(ROOT, 'dist', 'src', 'cli.js');
const TIMEOUT = 60_000;

const dir = mkdtempSync(join(tmpdir(), 'p2psim-failure-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

// Long enough that window 3 comes well before the end: diffusion over 20,000 nodes with a 5 ms lookahead
// takes a few hundred windows.
const LONG = {
  seed: 1,
  nodes: 20_000,
  topology: { kind: 'random-regular', degree: 8 },
  latency: { kind: 'uniform', minMs: 5, maxMs: 10 },
  protocol: { kind: 'diffusion', meanDelayMs: 50 },
  workload: { count: 1 },
};
const LONG_FILE = join(dir, 'long.json');
writeFileSync(LONG_FILE, JSON.stringify(LONG));

// A run that takes far longer than the test waits (tens of seconds here): 60 messages diffusing over
// 100,000 nodes, some 40 million events.
const ENDLESS_FILE = join(dir, 'endless.json');
writeFileSync(ENDLESS_FILE, JSON.stringify({ ...LONG, nodes: 100_000, workload: { count: 60 } }));

// Preloaded into the CLI process for the SIGINT test: marks the moment the coordinator starts listening
// for SIGINT (it does so once the shards are started), so the signal is sent neither too early nor late.
const MARK_HOOK = join(dir, 'mark-sigint.cjs');
writeFileSync(
  MARK_HOOK,
  `process.on('newListener', (ev) => { if (ev === 'SIGINT' && process.env.P2PSIM_TEST_MARK) require('fs').writeFileSync(process.env.P2PSIM_TEST_MARK, ''); });\n`,
);

interface Exit {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  wallMs: number;
}

function cli(args: string[], env: Record<string, string>, nodeFlags: string[] = [], onSpawn?: (pid: number) => void): Promise<Exit> {
  const started = performance.now();
  const child = spawn(process.execPath, [...nodeFlags, CLI, ...args], {
    cwd: ROOT,
    env: { ...process.env, P2PSIM_FAULT: '', P2PSIM_DEBUG: '', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  onSpawn?.(child.pid!);
  return new Promise((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code, signal) => resolve({ code, signal, stdout, stderr, wallMs: performance.now() - started }));
  });
}

/** Exactly one line on stderr, from p2psim, without stack frames. */
function expectOneLine(stderr: string): string {
  const lines = stderr.split('\n');
  expect(lines, stderr).toHaveLength(2);
  expect(lines[1]).toBe('');
  expect(lines[0]).toMatch(/^p2psim: /);
  expect(stderr).not.toContain('    at ');
  return lines[0]!;
}

/** What each injected fault must be reported as, besides the shard. */
const CAUSE: Record<string, RegExp> = {
  throw: /injected fault/,
  exit: /exit/,
  hang: /stuck while handling events, no progress for 3 s/,
  oom: /out of memory \(its JavaScript heap reached its limit of 64 MiB; the process holds /,
};

describe('the CLI on a failing shard', () => {
  for (const kind of ['throw', 'exit', 'hang', 'oom']) {
    it.concurrent(`${kind}: non-zero exit, one line naming shard 1, no result file`, { timeout: TIMEOUT }, async () => {
      const sub = mkdtempSync(join(dir, `${kind}-`));
      const out = join(sub, 'r.json');
      const r = await cli(['run', LONG_FILE, '--workers', '2', '--quiet', '--out', out], { P2PSIM_FAULT: `${kind}:1:3` });
      // It exits at all, on its own (close fired), with a failure code rather than a signal.
      expect(r.signal).toBeNull();
      expect(r.code).not.toBe(0);
      expect(r.code).not.toBeNull();
      // The watchdog calls a shard stuck after 3 s without progress; 15 s leaves room for a loaded machine.
      expect(r.wallMs).toBeLessThan(15_000);
      const line = expectOneLine(r.stderr);
      expect(line).toMatch(/\bshard 1\b/);
      expect(line).toMatch(CAUSE[kind]!);
      expect(existsSync(out)).toBe(false);
      expect(readdirSync(sub)).toEqual([]); // no temporary or partial file either
    });
  }
});

describe('runScenario on a failing shard, in-process', () => {
  const ring = parseScenario({ nodes: 1001, topology: { kind: 'ring', k: 1 }, latency: { kind: 'constant', ms: 10 }, workload: { origins: [0] } });
  const long = parseScenario(LONG);

  for (const kind of ['throw', 'exit', 'hang'] as const) {
    it(`${kind}: rejects with a RunError naming shard 1; the next run is unaffected`, { timeout: TIMEOUT }, async () => {
      const sigintListeners = process.listenerCount('SIGINT');
      const err = await runScenario(long, { workers: 2, assignment: 'contiguous', baseDir: dir, fault: { kind, shard: 1, window: 3 } }).then(
        () => null,
        (e: unknown) => e,
      );
      expect(err).toBeInstanceOf(RunError);
      expect((err as Error).message).toMatch(/\bshard 1\b/);
      expect((err as Error).message).toMatch(CAUSE[kind]!);
      expect(process.listenerCount('SIGINT')).toBe(sigintListeners);

      // A clean run afterwards gives the analytic answer: ring of 1001, 10 ms a hop, 500 hops at most.
      const r = await runScenario(ring, { workers: 2, assignment: 'contiguous', baseDir: dir });
      expect(r.messages![0]!.coverage).toBe(1);
      expect(r.messages![0]!.t100Ms).toBe(500 * 10);
      expect(r.events).toBe(1 + 1002); // the origin's timer, then N + 1 copies
    });
  }
});

describe.each([
  ['SIGINT', 130],
  ['SIGTERM', 143],
] as const)('%s', (signal, exitCode) => {
  it(`interrupts a running run: exit ${exitCode}, one line saying interrupted, no result file`, { timeout: TIMEOUT }, async () => {
    const sub = mkdtempSync(join(dir, `${signal}-`));
    const out = join(sub, 'r.json');
    const mark = join(dir, `${signal}.mark`);
    let pid = 0;
    const exit = cli(['run', ENDLESS_FILE, '--workers', '2', '--quiet', '--out', out], { P2PSIM_TEST_MARK: mark }, ['--require', MARK_HOOK], (p) => (pid = p));
    let finished = false;
    void exit.then(() => (finished = true));
    let r: Exit;
    try {
      // Wait for the shards to be running (the SIGINT listener is added as they start), then a little more.
      const deadline = performance.now() + 30_000;
      while (!existsSync(mark) && !finished && performance.now() < deadline) await sleep(50);
      expect(finished).toBe(false);
      expect(existsSync(mark)).toBe(true);
      await sleep(500);
      expect(finished).toBe(false);
      const sent = performance.now();
      process.kill(pid, signal);
      r = await exit;
      expect(performance.now() - sent).toBeLessThan(10_000);
    } finally {
      // Never leave the long run behind.
      if (!finished) {
        try {
          process.kill(pid, 'SIGKILL');
        } catch {
          // already gone
        }
      }
    }
    expect(r.signal).toBeNull();
    // 128 + the signal's number, as a shell reports a command the signal ended (docs/cli.md, "Exit codes").
    expect(r.code).toBe(exitCode);
    const line = expectOneLine(r.stderr);
    expect(line).toBe(`p2psim: run failed: interrupted (${signal})`);
    expect(existsSync(out)).toBe(false);
    expect(readdirSync(sub)).toEqual([]);
  });
});
