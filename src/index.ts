// The library: what `import ... from 'p2psim'` gives a script or a notebook (docs/library.md). The same
// loading, validation and coordinator as the command line, with its errors as exceptions: InputError
// (bad input, naming the field) and RunError (a failed run).
import { InputError, RunError } from './errors.js';
import { ASSIGNMENT_KINDS, type AssignmentKind } from './engine/assignment.js';
import { modelOf, type Scenario } from './models/registry.js';
import type { Result } from './result.js';
import { defaultWorkers, runScenario as runCoordinator, type Progress } from './run.js';
import { applyOverrides, loadScenarioFile, parseScenario } from './scenario/load.js';

export { InputError, RunError };
export type { AssignmentKind, Progress, Result, Scenario };
export type { ResolvedScenario } from './models/registry.js';
export type { DelayDistributions } from './models/delays.js';
export type { FaultsSection, Profile, ShardProfile } from './result.js';
export { readResultFile } from './result-file.js';
export { reportHtml } from './plots/page.js';
export { writeCsv } from './csv.js';

/** Where each loaded scenario's relative paths (edge-list files) resolve. */
const baseDirs = new WeakMap<Scenario, string>();
/**
 * Scenarios this library validated: run as they are. Any other object is validated first (a validated
 * scenario has its defaults filled in, some of which the rules reject when written, so it is not
 * validated twice).
 */
const parsedHere = new WeakSet<object>();

/**
 * Reads and validates a scenario file. Throws InputError naming the field (`topology.degree: must be
 * ...`) or the file. Relative paths in it (edge lists) resolve against the file's directory when the
 * scenario is run.
 */
export function loadScenario(path: string): Scenario {
  const { scenario, baseDir } = loadScenarioFile(path);
  baseDirs.set(scenario, baseDir);
  parsedHere.add(scenario);
  return scenario;
}

/**
 * Validates a scenario given as a plain object (parsed JSON, or one built in code) and returns it with
 * every default filled in. Throws InputError naming the first bad field; `err.field` holds its path.
 */
export function validateScenario(raw: unknown): Scenario {
  const scenario = parseScenario(raw);
  parsedHere.add(scenario);
  return scenario;
}

export interface RunScenarioOptions {
  /** Worker threads, one shard each; default: the cores, at most one per 200,000 units of work. */
  workers?: number;
  /** Node-to-shard assignment; changes the speed, never the result. Default "contiguous". */
  partition?: AssignmentKind;
  /** Override the scenario's seed. */
  seed?: number;
  /** Override the node count (PHOLD: the logical processes). */
  nodes?: number;
  /** Where relative paths resolve; default the loaded file's directory, else the current directory. */
  baseDir?: string;
  /** Called about every 200 ms while the shards run, and once at the end. */
  onProgress?: (p: Progress) => void;
  /** Aborting stops the run; it then rejects with a RunError. */
  signal?: AbortSignal;
  /** Keep the per-node outcomes in result.perNode (large: one value per node and item). */
  keepPerNode?: boolean;
  /** Run even when the memory estimate exceeds what the machine offers. */
  force?: boolean;
}

/**
 * A run in progress: await it for the result, or iterate it for progress. Iteration yields the latest
 * progress each time (snapshots are never queued up behind a slow reader), ends when the run ends, and
 * throws the run's error if it fails.
 */
export type RunHandle = Promise<Result> & AsyncIterable<Progress>;

/** Runs a scenario (loaded, validated, or a plain object to validate) and resolves with its result. */
export function runScenario(scenario: Scenario | object, options: RunScenarioOptions = {}): RunHandle {
  const listeners = new Set<(p: Progress) => void>();
  const progress = (p: Progress): void => {
    options.onProgress?.(p);
    for (const l of listeners) l(p);
  };
  const done = start(scenario, options, progress);
  const iterate = async function* (): AsyncGenerator<Progress> {
    let latest: Progress | null = null;
    let wake: (() => void) | null = null;
    let finished = false;
    let failure: { error: unknown } | null = null;
    const listener = (p: Progress): void => {
      latest = p;
      wake?.();
    };
    listeners.add(listener);
    done.then(
      () => {
        finished = true;
        wake?.();
      },
      (error: unknown) => {
        failure = { error };
        finished = true;
        wake?.();
      },
    );
    try {
      for (;;) {
        if (latest !== null) {
          const p: Progress = latest;
          latest = null;
          yield p;
          continue;
        }
        if (finished) {
          if (failure !== null) throw (failure as { error: unknown }).error;
          return;
        }
        await new Promise<void>((resolve) => (wake = resolve));
        wake = null;
      }
    } finally {
      listeners.delete(listener);
    }
  };
  return Object.assign(done, { [Symbol.asyncIterator]: iterate });
}

async function start(input: Scenario | object, o: RunScenarioOptions, progress: (p: Progress) => void): Promise<Result> {
  // Settles a tick later, so an iterator made right after the call sees every progress.
  await Promise.resolve();
  const parsed = parsedHere.has(input) ? (input as Scenario) : parseScenario(input);
  const scenario = o.seed === undefined && o.nodes === undefined ? parsed : applyOverrides(parsed, { seed: o.seed, nodes: o.nodes });
  const workers = o.workers ?? defaultWorkers(scenario);
  if (!Number.isInteger(workers) || workers < 1) throw new InputError('workers', `must be an integer >= 1, got ${workers}`);
  const assignment = o.partition ?? ASSIGNMENT_KINDS[0];
  if (!ASSIGNMENT_KINDS.includes(assignment)) throw new InputError('partition', `must be one of ${ASSIGNMENT_KINDS.join(', ')}, got ${String(assignment)}`);
  let last: Progress | null = null;
  const result = await runCoordinator(scenario, {
    workers,
    assignment,
    baseDir: o.baseDir ?? baseDirs.get(parsed) ?? process.cwd(),
    onProgress: (p) => progress((last = p)),
    ...(o.signal ? { signal: o.signal } : {}),
    keepPerNode: o.keepPerNode === true,
    force: o.force === true,
  });
  // The shards report every 200 ms; a shorter run has not reported at all. The end, in any case.
  const endMs = (last as Progress | null)?.endMs ?? (modelOf(scenario).compile(scenario) as { endMs: number }).endMs;
  progress({ simMs: endMs, endMs, events: result.events });
  return result;
}
