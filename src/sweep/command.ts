// `p2psim sweep` and `p2psim worker`: the flags, checked before anything runs, and which way the runs go —
// all of them on this machine's pool, one of them (a job array's index), through a Redis queue, or none
// (--list, --summarize). docs/sweeps.md is the user's account of all of it.
import { availableParallelism } from 'node:os';
import { isAbsolute, join, relative, resolve } from 'node:path';
import { InputError, RunError } from '../errors.js';
import { planSweep, type RunSpec, type SweepPlan } from './grid.js';
import { runPool } from './pool.js';
import { runProgress } from './progress.js';
import { loadSweepFile } from './spec.js';
import { Store } from './store.js';
import { metricValue, summarize, summaryCsv, summaryJson, type Summary } from './summary.js';

/** Where the commands write (the CLI's Io). */
export interface SweepIo {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  stderrIsTTY: boolean;
}

export interface SweepFlags {
  out?: string;
  list?: boolean;
  /** `--index N`, or `--index` alone (true): from JOB_COMPLETION_INDEX or SLURM_ARRAY_TASK_ID. */
  index?: string | boolean;
  summarize?: boolean;
  retryFailed?: boolean;
  pool?: string;
  workers?: string;
  timeout?: string;
  queue?: string;
  queueName?: string;
  quiet?: boolean;
}

export interface WorkerFlags {
  queue: string;
  queueName?: string;
  concurrency?: string;
  lockMs?: string;
  stalledMs?: string;
  linger?: string;
  quiet?: boolean;
}

export const DEFAULT_QUEUE_NAME = 'p2psim-sweep';
const MAX_THREADS = 1024;

export async function sweepCommand(file: string, flags: SweepFlags, io: SweepIo): Promise<void> {
  // Every flag is checked before the sweep file, which may be slow to plan, and before any run.
  const modes = [flags.list && '--list', flags.index !== undefined && '--index', flags.summarize && '--summarize', flags.queue !== undefined && '--queue'].filter(Boolean);
  if (modes.length > 1) throw new InputError(String(modes[1]), `cannot be combined with ${String(modes[0])}`);
  const workers = flags.workers === undefined ? undefined : intFlag('--workers', flags.workers, 1, MAX_THREADS);
  const poolSize = flags.pool === undefined ? undefined : intFlag('--pool', flags.pool, 1, MAX_THREADS);
  const timeoutMs = flags.timeout === undefined ? undefined : 1000 * numberFlag('--timeout', flags.timeout, 'a number of seconds > 0', (x) => x > 0);
  if (flags.queue !== undefined) queueUrl(flags.queue);

  const spec = loadSweepFile(file);
  const plan = planSweep(spec);
  if (flags.list) {
    io.stdout(`${plan.runs.length}\n`);
    return;
  }
  const index = flags.index === undefined ? undefined : indexFlag(flags.index, plan.runs.length);
  if (flags.out === undefined) throw new InputError('--out', 'is required: the directory the runs and the summary go to');
  const store = new Store(flags.out).open();

  if (flags.summarize) {
    const s = writeSummary(plan, store);
    io.stdout(summaryCsv(s));
    io.stderr(`sweep: summary of ${s.runs.complete} of ${s.runs.total} runs (${s.runs.failed} failed, ${s.runs.missing} missing)\n`);
    return;
  }

  if (index !== undefined) {
    await runIndex(plan, store, plan.runs[index]!, { workers, retryFailed: flags.retryFailed === true, timeoutMs }, io);
    return;
  }

  // Resume: a complete result file stands; a recorded failure stands too unless --retry-failed.
  const todo: RunSpec[] = [];
  let complete = 0;
  let failedBefore = 0;
  for (const run of plan.runs) {
    const state = store.state(run);
    if (state === 'complete') complete++;
    else if (state === 'failed' && !flags.retryFailed) failedBefore++;
    else todo.push(run);
  }

  const checkMetrics = metricCheck(plan);
  let failed = failedBefore;
  let done = complete;
  if (flags.queue !== undefined) {
    const { runViaQueue } = await import('./queue.js');
    const outcome = await runViaQueue(plan, todo, {
      url: flags.queue,
      name: flags.queueName ?? DEFAULT_QUEUE_NAME,
      workers: workers ?? 1,
      retryFailed: flags.retryFailed === true,
      onDone: (run, text) => {
        store.writeResult(run, text);
        done++;
        checkMetrics(run, text);
      },
      onFail: (run, error) => {
        store.writeError(run, error);
        failed++;
      },
      log: flags.quiet ? () => undefined : (line) => io.stderr(`sweep: ${line}\n`),
    });
    finish(plan, store, outcome.interrupted, { done, failed, complete, ran: todo.length }, io, flags.quiet === true);
    return;
  }

  const perRun = workers ?? 1;
  const size = Math.max(1, Math.min(poolSize ?? Math.floor(availableParallelism() / perRun), todo.length || 1));
  const bar = await runProgress(!flags.quiet && io.stderrIsTTY && todo.length > 0);
  bar.start(plan.runs.length, done);
  let running = 0;
  let outcome;
  try {
    outcome = await runPool(todo, {
      size,
      workers: perRun,
      baseDir: plan.spec.baseDir,
      timeoutMs,
      onDone: (run, text) => {
        store.writeResult(run, text);
        done++;
        bar.update(done, running, failed);
        checkMetrics(run, text);
      },
      onFail: (run, error) => {
        store.writeError(run, error);
        failed++;
        bar.update(done, running, failed);
      },
      onRunning: (n) => {
        running = n;
        bar.update(done, running, failed);
      },
    });
  } finally {
    bar.stop();
  }
  finish(plan, store, outcome.interrupted, { done, failed, complete, ran: todo.length }, io, flags.quiet === true);
}

/** After a pooled or queued sweep: the summary, the CSV on stdout, and the exit the runs deserve. */
function finish(plan: SweepPlan, store: Store, interrupted: string | null, n: { done: number; failed: number; complete: number; ran: number }, io: SweepIo, quiet: boolean): void {
  const s = writeSummary(plan, store);
  const where = shown(store.dir);
  if (interrupted !== null) {
    throw new RunError(`interrupted (${interrupted}): ${s.runs.complete} of ${s.runs.total} runs complete in ${where}; run the same command again to resume`);
  }
  io.stdout(summaryCsv(s));
  if (!quiet) io.stderr(`sweep: ${s.runs.total} runs, ${n.complete} complete before, ${n.ran} to run; ${s.runs.complete} complete, ${s.runs.failed} failed; ${join(where, 'summary.csv')}\n`);
  if (s.runs.failed > 0) {
    throw new RunError(`${s.runs.failed} of ${s.runs.total} runs failed (errors in ${join(where, 'runs', '*.error.json')}); rerun with --retry-failed to run them again`);
  }
}

function writeSummary(plan: SweepPlan, store: Store): Summary {
  const s = summarize(plan, store);
  store.writeFile('summary.json', summaryJson(s));
  store.writeFile('summary.csv', summaryCsv(s));
  return s;
}

/**
 * Checks the metrics against the first result that arrives, so a misspelt metric stops the sweep at
 * once (exit 2) instead of after every run; the result file itself is kept.
 */
function metricCheck(plan: SweepPlan): (run: RunSpec, text: string) => void {
  let checked = false;
  return (run, text) => {
    if (checked) return;
    checked = true;
    const { result } = JSON.parse(text) as { result: unknown };
    plan.spec.metrics.forEach((_, i) => metricValue(result, plan.spec.metrics, i, run.index));
  };
}

/** Job-array mode: run `run` alone, in this process's pool of one, with the machine's cores as shards. */
async function runIndex(plan: SweepPlan, store: Store, run: RunSpec, o: { workers: number | undefined; retryFailed: boolean; timeoutMs: number | undefined }, io: SweepIo): Promise<void> {
  const total = plan.runs.length;
  const state = store.state(run);
  if (state === 'complete') {
    io.stdout(`run ${run.index} of ${total}: already complete (${shown(store.resultPath(run.hash))})\n`);
    return;
  }
  if (state === 'failed' && !o.retryFailed) {
    throw new RunError(`run ${run.index} failed before: ${store.readError(run)?.error ?? 'see its error file'}; rerun with --retry-failed to run it again`);
  }
  const { parseScenario } = await import('../scenario/load.js');
  const { defaultWorkers } = await import('../run.js');
  // Alone on its machine (a pod, a Slurm task), a run gets the shard count `p2psim run` would give it.
  const workers = o.workers ?? defaultWorkers(parseScenario(run.scenario));
  let error: string | undefined;
  const outcome = await runPool([run], {
    size: 1,
    workers,
    baseDir: plan.spec.baseDir,
    timeoutMs: o.timeoutMs,
    onDone: (r, text) => {
      store.writeResult(r, text);
      metricCheck(plan)(r, text);
    },
    onFail: (r, e) => {
      store.writeError(r, e);
      error = e;
    },
    onRunning: () => undefined,
  });
  if (outcome.interrupted !== null) throw new RunError(`interrupted (${outcome.interrupted}): run ${run.index} not written; run it again`);
  if (error !== undefined) throw new RunError(`run ${run.index}: ${error}`);
  io.stdout(`run ${run.index} of ${total}: done (${shown(store.resultPath(run.hash))})\n`);
}

/** `--index N`, or the index a Kubernetes Indexed Job or a Slurm job array gives this task. */
function indexFlag(flag: string | boolean, runs: number): number {
  let text: string;
  let from = '--index';
  if (typeof flag === 'string') {
    text = flag;
  } else if (process.env.JOB_COMPLETION_INDEX !== undefined && process.env.JOB_COMPLETION_INDEX !== '') {
    text = process.env.JOB_COMPLETION_INDEX;
    from = 'JOB_COMPLETION_INDEX';
  } else if (process.env.SLURM_ARRAY_TASK_ID !== undefined && process.env.SLURM_ARRAY_TASK_ID !== '') {
    text = process.env.SLURM_ARRAY_TASK_ID;
    from = 'SLURM_ARRAY_TASK_ID';
  } else {
    throw new InputError('--index', 'needs a run number, or JOB_COMPLETION_INDEX (Kubernetes) or SLURM_ARRAY_TASK_ID (Slurm) in the environment');
  }
  return intFlag(from, text, 0, runs - 1);
}

// ---- p2psim worker ----

export async function workerCommand(flags: WorkerFlags, io: SweepIo): Promise<void> {
  queueUrl(flags.queue);
  const concurrency = flags.concurrency === undefined ? availableParallelism() : intFlag('--concurrency', flags.concurrency, 1, MAX_THREADS);
  const lockMs = flags.lockMs === undefined ? 30_000 : intFlag('--lock-ms', flags.lockMs, 100, 24 * 3600_000);
  const stalledMs = flags.stalledMs === undefined ? 30_000 : intFlag('--stalled-ms', flags.stalledMs, 100, 24 * 3600_000);
  const lingerMs = flags.linger === undefined ? 10_000 : 1000 * numberFlag('--linger', flags.linger, 'a number of seconds >= 0', (x) => x >= 0);
  const { runWorker } = await import('./queue.js');
  const n = await runWorker({
    url: flags.queue,
    name: flags.queueName ?? DEFAULT_QUEUE_NAME,
    concurrency,
    lockMs,
    stalledMs,
    lingerMs,
    log: flags.quiet ? () => undefined : (line) => io.stdout(`${line}\n`),
  });
  if (!flags.quiet) io.stdout(`worker: queue empty, ${n.done} run(s) done, ${n.failed} failed\n`);
  if (n.interrupted !== null) throw new RunError(`interrupted (${n.interrupted}); this worker's runs in flight go back to the queue`);
}

// ---- flags ----

/** A path as the user would type it: relative to here when inside it, else absolute. */
function shown(path: string): string {
  const rel = relative(process.cwd(), path);
  if (rel === '') return '.';
  return rel.startsWith('..') || isAbsolute(rel) ? resolve(path) : rel;
}

/** A Redis URL, checked before anything connects. */
export function queueUrl(text: string): URL {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new InputError('--queue', `must be a Redis URL such as redis://127.0.0.1:6379, got ${text}`);
  }
  if (url.protocol !== 'redis:' && url.protocol !== 'rediss:') throw new InputError('--queue', `must be a redis:// or rediss:// URL, got ${text}`);
  if (!url.hostname) throw new InputError('--queue', `has no host: ${text}`);
  return url;
}

function intFlag(flag: string, text: string, min: number, max: number): number {
  const rule = `an integer >= ${min} and <= ${max}`;
  const n = numberFlag(flag, text, rule, (x) => Number.isInteger(x) && x >= min && x <= max);
  return n;
}

function numberFlag(flag: string, text: string, rule: string, ok: (x: number) => boolean): number {
  // Number() alone would also take "", "0x10" and "Infinity".
  const n = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(text.trim()) ? Number(text) : NaN;
  if (!ok(n)) throw new InputError(flag, `must be ${rule}, got ${text}`);
  return n;
}
