// What the sweep tests share: a tiny sweep (200-node gossip runs, each well under a second), the
// compiled CLI run as a child process, and a look at an output directory.
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export const ROOT = join(import.meta.dirname, '..');
export const CLI = join(ROOT, 'dist', 'src', 'cli.js');

/** A 200-node diffusion scenario: a fraction of a second per run. */
export const TINY_SCENARIO = {
  name: 'tiny diffusion',
  nodes: 200,
  topology: { kind: 'random-regular', degree: 6 },
  latency: { kind: 'uniform', minMs: 20, maxMs: 80 },
  protocol: { kind: 'diffusion', meanDelayMs: 500 },
  workload: { kind: 'broadcast', count: 2 },
};

/** Writes a sweep file of `cells` diffusion delays x `replications` into `dir`; returns its path. */
export function writeTinySweep(dir: string, cells = 2, replications = 3, name = 'sweep.json'): string {
  const file = join(dir, name);
  const delays = [100, 300, 500, 700, 900, 1100].slice(0, cells);
  writeFileSync(file, JSON.stringify({
    scenario: TINY_SCENARIO,
    grid: { 'protocol.meanDelayMs': delays },
    replications,
    seed: 5,
    metrics: ['messages.0.t90Ms', 'messages.1.t50Ms', 'network.messagesSent'],
  }, null, 2));
  return file;
}

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** The compiled CLI in a child process. */
export function cli(args: string[], env: Record<string, string> = {}): Promise<CliResult> {
  return new Promise((resolve) => {
    execFile(process.execPath, [CLI, ...args], { cwd: ROOT, env: { ...process.env, P2PSIM_FAULT: '', ...env }, maxBuffer: 64 << 20 }, (err, stdout, stderr) => {
      const code = err === null ? 0 : typeof (err as { code?: unknown }).code === 'number' ? (err as { code: number }).code : 1;
      resolve({ code, stdout, stderr });
    });
  });
}

/** Starts the compiled CLI and hands back the process (for tests that signal or kill it). */
export function start(args: string[]): ChildProcess {
  return spawn(process.execPath, [CLI, ...args], { cwd: ROOT, env: { ...process.env, P2PSIM_FAULT: '' }, stdio: ['ignore', 'pipe', 'pipe'] });
}

/** Names in DIR/runs. */
export function runFiles(out: string): string[] {
  return readdirSync(join(out, 'runs')).sort();
}

export function read(path: string): string {
  return readFileSync(path, 'utf8');
}
