// Runs a sweep's runs on a piscina pool of threads on this machine (docs/sweeps.md, "Pool size and
// shards"). The main thread only hands out runs and writes their files; each pool thread coordinates
// one run at a time, whose shard threads do the simulating.
import { fileURLToPath } from 'node:url';
import { Piscina } from 'piscina';
import type { RunSpec } from './grid.js';
import { onInterrupt } from './signals.js';
import type { SweepTask } from './task.js';

const SWEEP_WORKER = fileURLToPath(new URL('../../workers/sweep-worker.js', import.meta.url));

export interface PoolOptions {
  /** Pool threads: runs at once. */
  size: number;
  /** Shard threads per run. */
  workers: number;
  baseDir: string;
  /** A run still going after this long is stopped and recorded as failed; none when undefined. */
  timeoutMs: number | undefined;
  /** A run's result file text arrived; may throw to stop the sweep (a metric that is not in the result). */
  onDone: (run: RunSpec, text: string) => void;
  onFail: (run: RunSpec, error: string) => void;
  onRunning: (running: number) => void;
}

export interface PoolOutcome {
  /** The signal that stopped the sweep early, if one did. */
  interrupted: string | null;
}

/** Runs `runs` (each once) and resolves when all are done, or when an interrupt has stopped them. */
export async function runPool(runs: readonly RunSpec[], opts: PoolOptions): Promise<PoolOutcome> {
  const pool = new Piscina<SweepTask, string>({
    filename: SWEEP_WORKER,
    minThreads: Math.min(opts.size, runs.length),
    maxThreads: opts.size,
    concurrentTasksPerWorker: 1,
    // A run's coordinator awaits its shards asynchronously; piscina's Atomics wait between tasks would
    // block that thread's event loop.
    atomics: 'disabled',
  });
  const inFlight = new Set<AbortController>();
  let interrupted: string | null = null;
  let stopError: unknown = null;
  const stopAll = (): void => {
    for (const c of inFlight) c.abort();
  };
  const offInterrupt = onInterrupt((signal) => {
    interrupted ??= signal;
    stopAll();
  });

  let next = 0;
  // `size` lanes, each taking the next run when its last one ends: exactly `size` runs at a time, and
  // none handed to piscina's own queue, so an interrupt has nothing queued to drain.
  const lane = async (): Promise<void> => {
    while (interrupted === null && stopError === null && next < runs.length) {
      const run = runs[next++]!;
      const controller = new AbortController();
      inFlight.add(controller);
      opts.onRunning(inFlight.size);
      const timer = opts.timeoutMs === undefined ? undefined : setTimeout(() => controller.abort('timeout'), opts.timeoutMs);
      const task: SweepTask = { run: { index: run.index, cell: run.cell, replication: run.replication, seed: run.seed, hash: run.hash }, scenario: run.scenario, baseDir: opts.baseDir, workers: opts.workers };
      try {
        const text = await pool.run(task, { signal: controller.signal });
        opts.onDone(run, text);
      } catch (e) {
        if (stopError !== null) break;
        if (controller.signal.aborted && controller.signal.reason === 'timeout') {
          opts.onFail(run, `timed out after ${(opts.timeoutMs! / 1000).toFixed(0)} s`);
        } else if (interrupted === null) {
          opts.onFail(run, message(e));
        }
        // Interrupted: the run is simply not done; nothing is recorded, and a rerun runs it.
      } finally {
        clearTimeout(timer);
        inFlight.delete(controller);
        opts.onRunning(inFlight.size);
      }
    }
  };
  const guarded = async (): Promise<void> => {
    try {
      await lane();
    } catch (e) {
      // onDone threw: stop every lane, then report it.
      stopError ??= e;
      stopAll();
    }
  };
  try {
    await Promise.all(Array.from({ length: Math.min(opts.size, runs.length) }, guarded));
  } finally {
    offInterrupt();
    await pool.destroy();
  }
  if (stopError !== null) throw stopError;
  return { interrupted };
}

/** The error's first line, as the engine words a failed run. */
function message(e: unknown): string {
  const text = e instanceof Error ? e.message : String(e);
  return text.split('\n')[0]!;
}
