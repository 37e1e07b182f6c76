// The sweep's runs: the cells (the product of the axes, the last axis moving fastest) times the
// replications, each with its scenario, seed and file name. Every cell's scenario is checked before
// anything runs, so a bad value fails the sweep at once, not after hours of runs.
import { createHash } from 'node:crypto';
import { InputError } from '../errors.js';
import { parseScenario } from '../scenario/load.js';
import { show } from '../scenario/wording.js';
import { canonicalJson, setAt } from './paths.js';
import { runSeed, type CellValues } from './seeds.js';
import type { SweepSpec } from './spec.js';

export interface Cell {
  readonly index: number;
  /** The value of every axis path at this cell, in axis order. */
  readonly values: CellValues;
  /** The base scenario with this cell's values, as written (no defaults filled in). */
  readonly scenario: Readonly<Record<string, unknown>>;
}

export interface RunSpec {
  /** 0 … runs − 1: cell × replications + replication (the job-array index). */
  readonly index: number;
  readonly cell: number;
  readonly replication: number;
  readonly seed: number;
  /** Names the run's files: the first 16 hex digits of SHA-256 over its scenario and replication. */
  readonly hash: string;
  /** The cell's scenario with this run's seed: what the run is given. */
  readonly scenario: Readonly<Record<string, unknown>>;
}

export interface SweepPlan {
  readonly spec: SweepSpec;
  /** Every axis path, in axis order: the CSV's value columns. */
  readonly paths: readonly string[];
  readonly cells: readonly Cell[];
  readonly runs: readonly RunSpec[];
}

export function planSweep(spec: SweepSpec): SweepPlan {
  const paths = spec.axes.flatMap((a) => a.paths);
  const cells: Cell[] = [];
  // Odometer over the axes' points, the last axis fastest.
  const at = spec.axes.map(() => 0);
  const count = spec.axes.reduce((n, a) => n * a.points.length, 1);
  for (let index = 0; index < count; index++) {
    let scenario: Record<string, unknown> = { ...spec.base };
    const values: Record<string, unknown> = {};
    spec.axes.forEach((axis, k) => {
      axis.paths.forEach((path, j) => {
        const value = axis.points[at[k]!]![j];
        values[path] = value;
        try {
          scenario = setAt(scenario, path, value);
        } catch (e) {
          throw new InputError(`${axis.source}.${path}`, `cannot be set in the scenario: ${(e as Error).message}`);
        }
      });
    });
    checkCell(spec, index, values, scenario, count);
    cells.push({ index, values, scenario });
    for (let k = spec.axes.length - 1; k >= 0; k--) {
      if (++at[k]! < spec.axes[k]!.points.length) break;
      at[k] = 0;
    }
  }

  const runs: RunSpec[] = [];
  for (const cell of cells) {
    for (let replication = 0; replication < spec.replications; replication++) {
      const seed = runSeed(spec.seed, cell.values, replication);
      const scenario = { ...cell.scenario, seed };
      const hash = createHash('sha256').update(canonicalJson({ replication, scenario })).digest('hex').slice(0, 16);
      runs.push({ index: runs.length, cell: cell.index, replication, seed, hash, scenario });
    }
  }
  return { spec, paths, cells, runs };
}

/** Validates a cell's scenario; the error names the axis whose value is wrong when it can tell. */
function checkCell(spec: SweepSpec, index: number, values: CellValues, scenario: Record<string, unknown>, cells: number): void {
  try {
    // The seed is set per run; any valid one stands in for it here.
    parseScenario({ ...scenario, seed: 0 });
  } catch (e) {
    if (!(e instanceof InputError)) throw e;
    for (const axis of spec.axes) {
      for (const path of axis.paths) {
        if (e.field === path || e.field.startsWith(`${path}.`) || path.startsWith(`${e.field}.`)) {
          throw new InputError(`${axis.source}.${path}`, `the value ${show(values[path])} makes an invalid scenario: ${e.message}`);
        }
      }
    }
    const where = cells > 1 ? ` (in cell ${index}: ${Object.entries(values).map(([p, v]) => `${p}=${show(v)}`).join(', ')})` : '';
    throw new InputError(e.field ? `scenario.${e.field}` : 'scenario', `${e.problem}${where}`);
  }
}
