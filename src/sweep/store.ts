// The sweep's output directory: one result file per run, `runs/<hash>.json`, or an error file,
// `runs/<hash>.error.json`, for a run that failed. Every file is written to a temporary name and renamed,
// so a file under its final name is complete: an interrupted sweep leaves at most a `*.tmp`, which
// nothing reads. Several processes (a job array, the queue's collector) may share the directory; each
// run's file has one writer at a time, and rename is atomic.
import { existsSync, mkdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { InputError } from '../errors.js';
import { writeAtomically } from '../files.js';
import type { RunSpec } from './grid.js';

/** Written into every run's file, so it can be matched to its run without trusting the name alone. */
export interface RunInfo {
  index: number;
  cell: number;
  replication: number;
  seed: number;
  hash: string;
}

export interface RunFile {
  version: 1;
  run: RunInfo;
  /** The run's result (docs/results.md) without the trace. */
  result: Record<string, unknown>;
}

export interface ErrorFile {
  version: 1;
  run: RunInfo;
  error: string;
}

export type RunState = 'complete' | 'failed' | 'missing';

export function runInfo(r: RunSpec): RunInfo {
  return { index: r.index, cell: r.cell, replication: r.replication, seed: r.seed, hash: r.hash };
}

/** The text of a run's result file, from the result's own JSON text (which is not parsed again). */
export function runFileText(info: RunInfo, resultJson: string): string {
  return `{"version":1,"run":${JSON.stringify(info)},"result":${resultJson}}\n`;
}

export class Store {
  readonly runsDir: string;

  constructor(readonly dir: string) {
    this.runsDir = join(dir, 'runs');
  }

  /** Creates the directory (and runs/); an InputError if that is impossible, before anything runs. */
  open(): this {
    if (existsSync(this.dir) && !statSync(this.dir).isDirectory()) throw new InputError('--out', `not a directory: ${this.dir}`);
    try {
      mkdirSync(this.runsDir, { recursive: true });
    } catch (e) {
      throw new InputError('--out', `cannot create ${this.runsDir}: ${(e as NodeJS.ErrnoException).code ?? String(e)}`);
    }
    return this;
  }

  resultPath(hash: string): string {
    return join(this.runsDir, `${hash}.json`);
  }

  errorPath(hash: string): string {
    return join(this.runsDir, `${hash}.error.json`);
  }

  /** The run's result file if it is there, parses and belongs to this run; else undefined (it will run again). */
  read(run: RunSpec): RunFile | undefined {
    let parsed: unknown;
    try {
      parsed = JSON.parse(readFileSync(this.resultPath(run.hash), 'utf8'));
    } catch {
      return undefined;
    }
    const f = parsed as Partial<RunFile> | null;
    const ok = f !== null && typeof f === 'object' && f.version === 1 && f.run?.hash === run.hash && f.run.seed === run.seed &&
      typeof f.result === 'object' && f.result !== null && typeof f.result.digest === 'string';
    return ok ? (f as RunFile) : undefined;
  }

  readError(run: RunSpec): ErrorFile | undefined {
    try {
      const f = JSON.parse(readFileSync(this.errorPath(run.hash), 'utf8')) as ErrorFile;
      return f.run?.hash === run.hash ? f : undefined;
    } catch {
      return undefined;
    }
  }

  state(run: RunSpec): RunState {
    if (this.read(run)) return 'complete';
    return existsSync(this.errorPath(run.hash)) ? 'failed' : 'missing';
  }

  /** Records a result; a stale error file of the same run goes (the run has now succeeded). */
  writeResult(run: RunSpec, text: string): void {
    writeAtomically(this.resultPath(run.hash), text);
    rmSync(this.errorPath(run.hash), { force: true });
  }

  writeError(run: RunSpec, error: string): void {
    const file: ErrorFile = { version: 1, run: runInfo(run), error };
    writeAtomically(this.errorPath(run.hash), JSON.stringify(file, null, 2) + '\n');
  }

  /** Forgets a failure, for --retry-failed. */
  clearError(run: RunSpec): void {
    rmSync(this.errorPath(run.hash), { force: true });
  }

  writeFile(name: string, text: string): void {
    writeAtomically(join(this.dir, name), text);
  }
}
