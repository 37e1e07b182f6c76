// A result as CSV tables (docs/cli.md, "CSV tables") that load straight into pandas, R or a
// spreadsheet: a header row, RFC 4180 quoting, CRLF line ends, plain numbers (no thousands separators,
// full precision), an empty field for "never" (NaN in pandas, NA in R), true/false for flags. Each file
// is written atomically into a directory that did not exist or was empty, so nothing the user had is
// replaced.
import { existsSync, mkdirSync, readdirSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { InputError } from './errors.js';
import { writeAtomicallyWith } from './files.js';
import type { PerNodeArray } from './engine/model.js';
import type { Result } from './result.js';

export type Cell = string | number | boolean | null | undefined;

/** One field, quoted when it holds a comma, a quote or a line break (RFC 4180, 2.6 and 2.7). */
export function csvField(x: Cell): string {
  if (x === null || x === undefined) return '';
  if (typeof x === 'number') return Number.isFinite(x) ? String(x) : '';
  const s = String(x);
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

export function csvLine(cells: readonly Cell[]): string {
  return cells.map(csvField).join(',') + '\r\n';
}

interface Table {
  file: string;
  header: string[];
  /** Hands each row to `row`: tables of a million rows are never one array. */
  rows: (row: (cells: Cell[]) => void) => void;
}

/** camelCase field names as snake_case columns, the convention of both pandas and R users. */
export const column = (key: string): string => key.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);

/** The tables a result has; with `perNode` (only a run in hand has it) the per-node ones too. */
export function tables(r: Result, perNode?: PerNodeOutcomes): Table[] {
  const out: Table[] = [];
  const fromObjects = <T extends object>(file: string, items: readonly T[], keys: readonly (keyof T & string)[], index?: string): void => {
    out.push({
      file,
      header: [...(index ? [index] : []), ...keys.map(column)],
      rows: (row) => items.forEach((x, i) => row([...(index ? [i] : []), ...keys.map((k) => x[k] as Cell)])),
    });
  };
  if (r.messages) {
    fromObjects('messages.csv', r.messages, ['origin', 'createdMs', 'coverage', 'coverageOnline', 'reached', 't50Ms', 't90Ms', 't99Ms', 't100Ms', 'maxHops', 'meanHops', 'redundancy'], 'message');
  }
  if (r.chain) {
    fromObjects('blocks.csv', r.chain.blocks, ['id', 'height', 'parent', 'miner', 'createdMs', 'coverage', 'coverageOnline', 't50Ms', 't90Ms', 't95Ms', 't99Ms', 't100Ms', 'consistencyMs', 'inMainChain']);
    fromObjects('miners.csv', r.chain.miners, ['node', 'hashShare', 'mainBlocks', 'mainShare']);
  }
  const d = r.delays;
  if (d) {
    const item = r.chain ? 'block' : 'message';
    out.push({
      file: 'coverage.csv', header: [item, 'share', 'ms'],
      rows: (row) => d.coverage.forEach((c) => c.ms.forEach((ms, k) => row([c.item, (k + 1) / c.ms.length, ms]))),
    });
    out.push({
      file: 'delay-histogram.csv', header: ['from_ms', 'to_ms', 'receipts'],
      rows: (row) => d.histogram.counts.forEach((n, i) => row([i * d.histogram.binMs, (i + 1) * d.histogram.binMs, n])),
    });
    fromObjects('regions.csv', d.byRegion, ['region', 'nodes', 'p10Ms', 'p50Ms', 'p90Ms', 'p99Ms']);
  }
  const tl = r.faults?.timeline;
  if (tl) out.push({ file: 'online.csv', header: ['t_ms', 'online_share'], rows: (row) => tl.tMs.forEach((t, i) => row([t, tl.onlineShare[i]])) });
  fromObjects('shards.csv', r.profile.shards, ['shard', 'nodes', 'events', 'windows', 'cutWindows', 'busyMs', 'waitMs', 'crossSent', 'crossReceived', 'largestBatch', 'peakQueued']);
  if (perNode) out.push(...perNodeTables(r.nodes, perNode));
  return out;
}

/** A run's per-node outcomes (result.perNode) and which of its keys hold one row per item. */
export interface PerNodeOutcomes {
  arrays: Record<string, PerNodeArray>;
  perItem: readonly string[];
}

/**
 * The per-node outcomes: keys with one value per node go to nodes.csv (node, then one column each);
 * keys with a row per item (broadcast, block) to node-items.csv in long form (item, node, then one
 * column each), the shape pandas and R group by.
 */
function perNodeTables(n: number, p: PerNodeOutcomes): Table[] {
  const keys = Object.keys(p.arrays);
  const perNode = keys.filter((k) => !p.perItem.includes(k));
  const perItem = keys.filter((k) => p.perItem.includes(k));
  const out: Table[] = [];
  if (perNode.length) {
    out.push({ file: 'nodes.csv', header: ['node', ...perNode.map(column)], rows: (row) => { for (let v = 0; v < n; v++) row([v, ...perNode.map((k) => p.arrays[k]![v])]); } });
  }
  if (perItem.length) {
    const items = n > 0 ? Math.min(...perItem.map((k) => p.arrays[k]!.length / n)) : 0;
    out.push({
      file: 'node-items.csv',
      header: ['item', 'node', ...perItem.map(column)],
      rows: (row) => {
        for (let m = 0; m < items; m++) for (let v = 0; v < n; v++) row([m, v, ...perItem.map((k) => p.arrays[k]![m * n + v])]);
      },
    });
  }
  return out;
}

/** Fails now, before a run, unless `dir` can be made or is an empty directory. */
export function checkCsvDir(flag: string, dir: string): void {
  const target = resolve(dir);
  if (existsSync(target)) {
    if (!statSync(target).isDirectory()) throw new InputError(flag, `not a directory: ${dir}`);
    if (readdirSync(target).length > 0) throw new InputError(flag, `directory is not empty: ${dir} (choose a new one; nothing in it is replaced)`);
    return;
  }
  const parent = dirname(target);
  if (!existsSync(parent) || !statSync(parent).isDirectory()) throw new InputError(flag, `directory does not exist: ${parent}`);
}

/** Writes the tables into `dir` (made if need be) and returns the files' names. */
export function writeCsv(dir: string, r: Result, perNode?: PerNodeOutcomes): string[] {
  mkdirSync(dir, { recursive: true });
  return tables(r, perNode).map((t) => {
    writeAtomicallyWith(join(dir, t.file), (write) => {
      write(csvLine(t.header));
      t.rows((cells) => write(csvLine(cells)));
    });
    return t.file;
  });
}
