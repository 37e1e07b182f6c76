// One run of a sweep, as a pool thread or a queue worker executes it: the run's scenario, checked
// again where it runs (a queue worker trusts nothing it is sent), run by the coordinator with the given
// shard count, and returned as the text of its result file.
import type { RunInfo } from './store.js';
import { runFileText } from './store.js';

/** What a pool thread or a queue job is given: plain data, so it crosses threads and Redis alike. */
export interface SweepTask {
  readonly run: RunInfo;
  /** The run's scenario as written, its seed included. */
  readonly scenario: Readonly<Record<string, unknown>>;
  /** Where the scenario's relative paths resolve (an absolute path; the same on every queue worker). */
  readonly baseDir: string;
  /** Shard threads for this run. */
  readonly workers: number;
}

/** Runs the task and returns its result file's text; throws the run's error. */
export async function executeRun(task: SweepTask): Promise<string> {
  // Loaded here, not at the top: the sweep's main thread plans and summarizes without the engine.
  const { parseScenario } = await import('../scenario/load.js');
  const { runScenario } = await import('../run.js');
  const scenario = parseScenario(task.scenario);
  const result = await runScenario(scenario, { workers: task.workers, assignment: 'contiguous', baseDir: task.baseDir });
  // The trace and the per-node arrays are never part of a result file.
  const { trace: _trace, perNode: _perNode, ...rest } = result;
  return runFileText(task.run, JSON.stringify(rest));
}
