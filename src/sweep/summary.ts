// The sweep's summary, built from whatever result files the output directory holds: per cell and
// metric the statistics of stats.ts, as summary.json and summary.csv (docs/sweeps.md, "Outputs"). It
// reads nothing but the files, so a pooled sweep, a job array and the queue give the same summary.
import { InputError } from '../errors.js';
import { getAt } from './paths.js';
import { describe, type Stats } from './stats.js';
import type { SweepPlan } from './grid.js';
import type { Store } from './store.js';

export interface CellSummary {
  cell: number;
  values: Record<string, unknown>;
  /** Runs of the cell with a complete result file, and with an error file. */
  runs: number;
  failed: number;
  metrics: Record<string, Stats>;
}

export interface Summary {
  version: 1;
  name: string | null;
  seed: number;
  replications: number;
  axes: string[];
  metrics: string[];
  runs: { total: number; complete: number; failed: number; missing: number };
  cells: CellSummary[];
}

const STAT_COLUMNS = ['mean', 'sd', 'ci95Low', 'ci95High', 'min', 'max', 'n'] as const;

/**
 * The value of metric `i` in a result: a number, or null where the result says "never" (a t90 that was
 * not reached), which is left out of n. Anything else is a metric that does not name a number.
 */
export function metricValue(result: unknown, metrics: readonly string[], i: number, runIndex: number): number | null {
  const path = metrics[i]!;
  const v = getAt(result, path);
  if (v === null) return null;
  if (typeof v === 'number') return v;
  const what = v === undefined ? 'is not in' : `is ${Array.isArray(v) ? 'a list' : typeof v}, not a number, in`;
  throw new InputError(`metrics.${i}`, `"${path}" ${what} the result of run ${runIndex} (see docs/results.md for the result's fields)`);
}

export function summarize(plan: SweepPlan, store: Store): Summary {
  const { spec } = plan;
  const values = plan.cells.map(() => spec.metrics.map((): number[] => []));
  const runs = plan.cells.map(() => 0);
  const failed = plan.cells.map(() => 0);
  let complete = 0;
  let failures = 0;
  // Runs in index order, so every way of running the sweep sums the same values in the same order.
  for (const run of plan.runs) {
    const file = store.read(run);
    if (file === undefined) {
      if (store.readError(run) !== undefined) {
        failed[run.cell]!++;
        failures++;
      }
      continue;
    }
    complete++;
    runs[run.cell]!++;
    spec.metrics.forEach((_, i) => {
      const v = metricValue(file.result, spec.metrics, i, run.index);
      if (v !== null) values[run.cell]![i]!.push(v);
    });
  }
  return {
    version: 1,
    name: spec.name ?? null,
    seed: spec.seed,
    replications: spec.replications,
    axes: [...plan.paths],
    metrics: [...spec.metrics],
    runs: { total: plan.runs.length, complete, failed: failures, missing: plan.runs.length - complete - failures },
    cells: plan.cells.map((c) => ({
      cell: c.index,
      values: { ...c.values },
      runs: runs[c.index]!,
      failed: failed[c.index]!,
      metrics: Object.fromEntries(spec.metrics.map((m, i) => [m, describe(values[c.index]![i]!)])),
    })),
  };
}

/**
 * One row per cell: `cell`, each axis path, `runs`, `failed`, then per metric mean, sd, ci95Low,
 * ci95High, min, max, n — prefixed `<metric>.` when there are several metrics. Numbers in full
 * precision; an empty field where a statistic does not exist (sd of one value).
 */
export function summaryCsv(s: Summary): string {
  const several = s.metrics.length > 1;
  const statHeaders = s.metrics.flatMap((m) => STAT_COLUMNS.map((c) => (several ? `${m}.${c}` : c)));
  const lines = [['cell', ...s.axes, 'runs', 'failed', ...statHeaders].map(csvField).join(',')];
  for (const c of s.cells) {
    const stats = s.metrics.flatMap((m) => STAT_COLUMNS.map((col) => c.metrics[m]![col]));
    lines.push([c.cell, ...s.axes.map((a) => c.values[a]), c.runs, c.failed, ...stats].map(csvField).join(','));
  }
  return lines.join('\n') + '\n';
}

function csvField(v: unknown): string {
  if (v === null || v === undefined) return '';
  const text = typeof v === 'string' ? v : typeof v === 'number' || typeof v === 'boolean' ? String(v) : JSON.stringify(v);
  return /[",\n\r]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

export function summaryJson(s: Summary): string {
  return JSON.stringify(s, null, 2) + '\n';
}
