// CSV tables (`run --csv`, `export --csv`, `--per-node`): read back with a separate RFC 4180 parser
// written here, they hold the result's numbers, and the per-node table holds the ring's hop counts and
// receipt times in closed form. Bad input is one line and exit 2, and a directory with files in it is
// never written into.
import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { csvField, csvLine } from '../src/csv.js';
import type { Result } from '../src/result.js';

const ROOT = join(import.meta.dirname, '..');
const CLI = join(ROOT, 'dist', 'src', 'cli.js');
const RING = join(ROOT, 'scenarios', 'ring-small.json');
const CHAIN = join(ROOT, 'test', 'fixtures', 'report-chain-faults.json');
const TIMEOUT = 60_000;

const dir = mkdtempSync(join(tmpdir(), 'p2psim-csv-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const exec = promisify(execFile);
async function cli(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await exec(process.execPath, [CLI, ...args], { cwd: dir, env: { ...process.env, P2PSIM_FAULT: '' }, maxBuffer: 64 << 20 });
    return { code: 0, stdout, stderr };
  } catch (e) {
    const err = e as { code: number; stdout: string; stderr: string };
    return { code: err.code, stdout: err.stdout, stderr: err.stderr };
  }
}

/** RFC 4180 records: fields split on commas outside quotes, "" inside quotes is one quote, CRLF ends a record. */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        field += '"';
        i++;
      } else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') {
      row.push(field);
      field = '';
    } else if (c === '\r' && text[i + 1] === '\n') {
      row.push(field);
      rows.push(row);
      row = [];
      field = '';
      i++;
    } else field += c;
  }
  expect(field === '' && row.length === 0, 'the file ends with CRLF').toBe(true);
  return rows;
}

/** A table as objects keyed by its header, with every row as long as the header. */
function table(file: string): Record<string, string>[] {
  const [header, ...rows] = parseCsv(readFileSync(file, 'utf8'));
  for (const r of rows) expect(r.length).toBe(header!.length);
  return rows.map((r) => Object.fromEntries(header!.map((h, i) => [h, r[i]!])));
}

/** What a number or null must read back as: the shortest round-trip text, "" for null. */
const cell = (x: number | boolean | null): string => (x === null ? '' : String(x));

describe('csvField', () => {
  it('quotes commas, quotes and line breaks, doubling quotes; numbers plain; null and non-finite empty', () => {
    expect(['a', 'a,b', 'say "hi"', 'two\nlines', 'cr\r', ''].map(csvField)).toEqual(['a', '"a,b"', '"say ""hi"""', '"two\nlines"', '"cr\r"', '']);
    expect([1234567.5, 1e21, -0.001, NaN, Infinity, null, undefined, true].map(csvField)).toEqual(['1234567.5', '1e+21', '-0.001', '', '', '', '', 'true']);
    expect(parseCsv(csvLine(['x,y', 'q"', 3, null]))).toEqual([['x,y', 'q"', '3', '']]);
  });
});

describe('run --csv --per-node on the ring', () => {
  let result: Result;
  const out = join(dir, 'ring');
  beforeAll(async () => {
    const r = await cli('run', RING, '--quiet', '--workers', '2', '--out', join(dir, 'ring.json'), '--csv', out, '--per-node');
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    result = JSON.parse(readFileSync(join(dir, 'ring.json'), 'utf8')) as Result;
  }, TIMEOUT);

  it('writes the tables, and no per-node arrays into the JSON', () => {
    expect(readdirSync(out).sort()).toEqual(['coverage.csv', 'delay-histogram.csv', 'messages.csv', 'node-items.csv', 'regions.csv', 'shards.csv']);
    expect('perNode' in result).toBe(false);
  });

  it('messages.csv is the result\'s messages, column by column', () => {
    const rows = table(join(out, 'messages.csv'));
    const m = result.messages![0]!;
    expect(rows).toEqual([{
      message: '0', origin: cell(m.origin), created_ms: cell(m.createdMs), coverage: cell(m.coverage), coverage_online: cell(m.coverageOnline),
      reached: cell(m.reached), t50_ms: cell(m.t50Ms), t90_ms: cell(m.t90Ms), t99_ms: cell(m.t99Ms), t100_ms: cell(m.t100Ms),
      max_hops: cell(m.maxHops), mean_hops: cell(m.meanHops), redundancy: cell(m.redundancy),
    }]);
  });

  it('node-items.csv: every node\'s hops and receipt time, the ring distance from the origin and 10 ms a hop', () => {
    const rows = table(join(out, 'node-items.csv'));
    const { origin, createdMs } = result.messages![0]!;
    expect(rows.length).toBe(1000);
    rows.forEach((r, v) => {
      const hops = Math.min(Math.abs(v - origin), 1000 - Math.abs(v - origin));
      expect(r.item).toBe('0');
      expect(Number(r.node)).toBe(v);
      expect(Number(r.hops)).toBe(hops);
      expect(Number(r.first_ms)).toBeCloseTo(createdMs + 10 * hops, 9);
    });
  });

  it('the histogram, coverage and shard tables match the result', () => {
    const h = table(join(out, 'delay-histogram.csv'));
    expect(h.map((r) => Number(r.receipts))).toEqual(result.delays!.histogram.counts);
    expect(h.map((r) => Number(r.to_ms) - Number(r.from_ms))).toEqual(h.map(() => 50));
    const c = table(join(out, 'coverage.csv'));
    expect(c.map((r) => Number(r.ms))).toEqual(result.delays!.coverage[0]!.ms);
    expect(c.at(-1)).toEqual({ message: '0', share: '1', ms: '5000' });
    const s = table(join(out, 'shards.csv'));
    expect(s.map((r) => Number(r.events))).toEqual(result.profile.shards.map((x) => x.events));
  });
});

describe('export --csv on a chain result', () => {
  let result: Result;
  beforeAll(async () => {
    const r = await cli('run', CHAIN, '--quiet', '--out', join(dir, 'chain.json'));
    expect(r.code).toBe(0);
    result = JSON.parse(readFileSync(join(dir, 'chain.json'), 'utf8')) as Result;
  }, TIMEOUT);

  it('blocks.csv has one row per block with true/false and empty fields for never', { timeout: TIMEOUT }, async () => {
    const r = await cli('export', 'chain.json', '--csv', 'chain-csv');
    expect(r.code).toBe(0);
    expect(r.stdout).toBe('chain-csv: blocks.csv, miners.csv, coverage.csv, delay-histogram.csv, regions.csv, online.csv, shards.csv\n');
    const rows = table(join(dir, 'chain-csv', 'blocks.csv'));
    expect(rows.length).toBe(result.chain!.blocks.length);
    rows.forEach((row, i) => {
      const b = result.chain!.blocks[i]!;
      expect(row).toEqual({
        id: cell(b.id), height: cell(b.height), parent: cell(b.parent), miner: cell(b.miner), created_ms: cell(b.createdMs),
        coverage: cell(b.coverage), coverage_online: cell(b.coverageOnline), t50_ms: cell(b.t50Ms), t90_ms: cell(b.t90Ms),
        t95_ms: cell(b.t95Ms), t99_ms: cell(b.t99Ms), t100_ms: cell(b.t100Ms), consistency_ms: cell(b.consistencyMs), in_main_chain: cell(b.inMainChain),
      });
    });
    // Under churn some block never reaches every node: its t100 is an empty field, not "null".
    expect(rows.some((row) => row.t100_ms === '')).toBe(true);
    const online = table(join(dir, 'chain-csv', 'online.csv'));
    expect(online.map((x) => Number(x.online_share))).toEqual(result.faults!.timeline.onlineShare);
    const regions = table(join(dir, 'chain-csv', 'regions.csv'));
    expect(regions.map((x) => x.region)).toEqual(result.delays!.byRegion.map((x) => x.region));
  });
});

describe('CSV: bad input', () => {
  const fail = async (...args: string[]) => {
    const r = await cli(...args);
    expect(r.code).toBe(2);
    expect(r.stderr.split('\n').filter(Boolean)).toHaveLength(1);
    return r.stderr;
  };

  it('a directory with files in it is refused before anything is written, for export and for run', { timeout: TIMEOUT }, async () => {
    const full = join(dir, 'full');
    mkdirSync(full);
    writeFileSync(join(full, 'messages.csv'), 'mine');
    expect(await fail('export', join(dir, 'ring.json'), '--csv', full)).toMatch(/^p2psim: --csv: directory is not empty: /);
    expect(await fail('run', RING, '--quiet', '--csv', full, '--out', join(dir, 'never.json'))).toMatch(/^p2psim: --csv: directory is not empty: /);
    expect(readdirSync(full)).toEqual(['messages.csv']);
    expect(readFileSync(join(full, 'messages.csv'), 'utf8')).toBe('mine');
    expect(readdirSync(dir)).not.toContain('never.json');
  });

  it('flags that cannot work: export without --csv, export --per-node, run --per-node without --csv, a missing file', { timeout: TIMEOUT }, async () => {
    expect(await fail('export', join(dir, 'ring.json'))).toBe('p2psim: --csv: is required: the directory for the tables\n');
    expect(await fail('export', join(dir, 'ring.json'), '--csv', join(dir, 'x'), '--per-node')).toMatch(/^p2psim: --per-node: a result file holds no per-node outcomes/);
    expect(await fail('run', RING, '--per-node')).toBe('p2psim: --per-node: needs --csv DIR, where the per-node tables go\n');
    expect(await fail('export', join(dir, 'none.json'), '--csv', join(dir, 'y'))).toMatch(/^p2psim: cannot read .*none\.json/);
    expect(await fail('export', join(dir, 'ring.json'), '--csv', join(dir, 'no', 'such'))).toMatch(/^p2psim: --csv: directory does not exist/);
  });
});
