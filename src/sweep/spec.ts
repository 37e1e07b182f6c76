// The sweep file: a base scenario, the axes that vary it, how many replications, the sweep's seed and the
// metrics to collect (docs/sweeps.md, "The sweep file"). Checked with zod and worded like scenario
// errors: one line naming the field.
import { dirname, resolve } from 'node:path';
import { z } from 'zod';
import { InputError } from '../errors.js';
import { issueToError, readJsonFile } from '../scenario/load.js';
import { isPlainObject } from '../scenario/wording.js';
import { isPath } from './paths.js';

const values = z.array(z.unknown()).min(1);
const axes = z.record(z.string(), values);

/** Runs in one sweep at most: beyond this a typo (replications: 1e9) is likelier than a plan. */
export const MAX_RUNS = 10_000_000;

export const sweepSchema = z.strictObject({
  name: z.string().optional(),
  /** The base scenario: inline, or the path of a scenario file relative to the sweep file. */
  scenario: z.union([z.string().min(1), z.record(z.string(), z.unknown())]),
  /** Path into the scenario -> its values; several axes make a product. */
  grid: axes.default({}),
  /** Axes that move together: one group (an object) or several; within a group every list has the same length. */
  zip: z.union([axes, z.array(axes).min(1)]).optional(),
  replications: z.number().int().min(1).max(MAX_RUNS),
  /** Every run's seed derives from it and the cell (seeds.ts). */
  seed: z.number().int().min(0).max(2 ** 32 - 1).default(1),
  /** Paths into each run's result, e.g. `chain.staleRate` or `messages.0.t90Ms`. */
  metrics: z.array(z.string()).min(1),
});
export type SweepFile = z.output<typeof sweepSchema>;

/** One axis of the grid: a single path, or a zip group of paths whose values move together. */
export interface Axis {
  /** Where it came from, for messages: `grid` or `zip` (`zip.1` for the second of several groups). */
  readonly source: string;
  readonly paths: readonly string[];
  /** points[i][j] is the value of paths[j] at the axis's i-th point. */
  readonly points: readonly (readonly unknown[])[];
}

export interface SweepSpec {
  readonly name: string | undefined;
  /** The scenario as written, before any axis applies. */
  readonly base: Readonly<Record<string, unknown>>;
  /** Where the scenario's relative paths (edge lists) resolve. */
  readonly baseDir: string;
  readonly axes: readonly Axis[];
  readonly replications: number;
  readonly seed: number;
  readonly metrics: readonly string[];
}

/** Reads and checks a sweep file; throws InputError naming the first bad field. */
export function loadSweepFile(path: string): SweepSpec {
  return parseSweep(readJsonFile(path), dirname(resolve(path)));
}

/** Checks an already-parsed sweep; `dir` is the sweep file's directory. */
export function parseSweep(raw: unknown, dir: string): SweepSpec {
  const r = sweepSchema.safeParse(raw, { reportInput: true });
  if (!r.success) throw issueToError(r.error.issues[0]!, raw, sweepSchema, 'sweep');
  const s = r.data;

  let base: Record<string, unknown>;
  let baseDir = dir;
  if (typeof s.scenario === 'string') {
    const file = resolve(dir, s.scenario);
    let value: unknown;
    try {
      value = readJsonFile(file);
    } catch (e) {
      throw new InputError('scenario', e instanceof InputError ? e.problem.replace(file, s.scenario) : String(e));
    }
    if (!isPlainObject(value)) throw new InputError('scenario', `${s.scenario} must hold a JSON object`);
    base = value;
    baseDir = dirname(file);
  } else {
    base = s.scenario;
  }

  const axisList: Axis[] = Object.entries(s.grid).map(([path, vs]) => ({ source: 'grid', paths: [path], points: vs.map((v) => [v]) }));
  const groups = s.zip === undefined ? [] : Array.isArray(s.zip) ? s.zip : [s.zip];
  groups.forEach((group, g) => {
    const source = Array.isArray(s.zip) ? `zip.${g}` : 'zip';
    const entries = Object.entries(group);
    if (entries.length === 0) throw new InputError(source, 'must name at least one path');
    const [firstPath, firstValues] = entries[0]!;
    for (const [path, vs] of entries) {
      if (vs.length !== firstValues.length) {
        throw new InputError(`${source}.${path}`, `must have ${firstValues.length} item(s), as ${source}.${firstPath} has (zipped axes move together), got ${vs.length}`);
      }
    }
    axisList.push({ source, paths: entries.map(([p]) => p), points: firstValues.map((_, i) => entries.map(([, vs]) => vs[i])) });
  });

  const seen = new Map<string, string>();
  for (const axis of axisList) {
    for (const path of axis.paths) {
      const field = `${axis.source}.${path}`;
      if (!isPath(path)) throw new InputError(field, 'must be a dotted path into the scenario, such as "chain.blockIntervalS" or "faults.0.fraction"');
      // Each run's seed derives from the sweep's seed; an axis over it would be silently overwritten.
      if (path === 'seed') throw new InputError(field, 'the seed of every run derives from the sweep\'s "seed" and the cell; use "replications" for more seeds');
      const other = seen.get(path);
      if (other !== undefined) throw new InputError(field, `is already an axis (${other})`);
      seen.set(path, field);
    }
  }

  s.metrics.forEach((m, i) => {
    if (!isPath(m)) throw new InputError(`metrics.${i}`, `must be a dotted path into the result, such as "chain.staleRate" or "messages.0.t90Ms", got ${JSON.stringify(m)}`);
  });
  if (new Set(s.metrics).size !== s.metrics.length) throw new InputError('metrics', 'lists a metric twice');

  const cells = axisList.reduce((n, a) => n * a.points.length, 1);
  if (cells * s.replications > MAX_RUNS) {
    throw new InputError('replications', `${cells} cell(s) x ${s.replications} replications is more than ${MAX_RUNS} runs`);
  }
  return { name: s.name, base, baseDir, axes: axisList, replications: s.replications, seed: s.seed, metrics: s.metrics };
}
