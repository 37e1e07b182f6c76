// `p2psim report` and `run --report` through the compiled CLI: the page is one self-contained file whose
// charts carry the run's numbers — checked on scenarios/ring-small.json, whose delays are known in closed
// form — and every chart a chain under faults calls for; bad input is one line and exit 2, and nothing the
// user has is replaced. Drawing in a real browser: test/report-browser.test.ts.
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Section } from '../src/plots/charts.js';
import type { Result } from '../src/result.js';

const ROOT = join(import.meta.dirname, '..');
const CLI = join(ROOT, 'dist', 'src', 'cli.js');
const RING = join(ROOT, 'scenarios', 'ring-small.json');
const CHAIN = join(ROOT, 'test', 'fixtures', 'report-chain-faults.json');
const TIMEOUT = 60_000;

const dir = mkdtempSync(join(tmpdir(), 'p2psim-report-'));
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

/** The sections a page embeds for its script to draw. */
function embedded(html: string): Section[] {
  const m = html.match(/<script id="p2psim-data" type="application\/json">(.*?)<\/script>/s);
  if (!m) throw new Error('no embedded data');
  return (JSON.parse(m[1]!) as { sections: Section[] }).sections;
}

const chart = (sections: Section[], id: string) => sections.flatMap((s) => s.charts).find((c) => c.id === id);

// The ring (test/cli-run.test.ts checks the file is this): 1,000 nodes, each linked to one neighbour
// each side, constant 10 ms, flooding without delay. Node v is min(|v - o|, N - |v - o|) hops from the
// origin o and hears the message 10 ms a hop later: one node at 0 ms, two at each of 10 ... 4990 ms,
// one at 5000 ms.
const N = 1000;
const L = 10;
const ringDelay = (i: number) => L * Math.ceil(i / 2); // the i-th smallest delay, i = 0 ... N - 1

describe('p2psim run --report on the ring', () => {
  let result: Result;
  let html: string;
  let sections: Section[];
  beforeAll(async () => {
    const r = await cli('run', RING, '--quiet', '--workers', '2', '--out', join(dir, 'ring.json'), '--report', join(dir, 'ring.html'));
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    result = JSON.parse(readFileSync(join(dir, 'ring.json'), 'utf8')) as Result;
    html = readFileSync(join(dir, 'ring.html'), 'utf8');
    sections = embedded(html);
  }, TIMEOUT);

  it('the result carries the ring\'s delays: histogram, node quantiles, region, coverage curve', () => {
    const d = result.delays!;
    expect(d.receipts).toBe(N);
    // Largest delay 5000 ms over 200 bins needs 25 ms; the next width of 1, 2, 5 x 10^k is 50: 100 bins,
    // bin i holding the distances 5i ... 5i + 4 (10 nodes; 9 in bin 0, 11 in the last, closed, bin).
    expect(d.histogram.binMs).toBe(50);
    expect(d.histogram.counts).toEqual([9, ...Array<number>(98).fill(10), 11]);
    // One message: a node's mean delay is its delay. Quantile q is the ceil(q N)-th smallest.
    d.nodeMeanQuantilesMs.forEach((v, i) => expect(v, `q ${i}%`).toBe(ringDelay(Math.max(0, Math.ceil((i / 100) * N) - 1))));
    expect(d.byRegion).toEqual([{ region: 'all', nodes: N, p10Ms: ringDelay(99), p50Ms: ringDelay(499), p90Ms: ringDelay(899), p99Ms: ringDelay(989) }]);
    // k/50 of the nodes is ceil(20k) nodes, which 1 + 2d nodes within d hops reach at d = ceil((20k - 1) / 2).
    expect(d.coverage).toEqual([{ item: 0, ms: Array.from({ length: 50 }, (_, j) => L * Math.ceil((20 * (j + 1) - 1) / 2)) }]);
    expect(result.messages![0]!.t100Ms).toBe(5000);
  });

  it('the page is one file: no script, style or image fetched from anywhere', () => {
    expect(html.startsWith('<!doctype html>')).toBe(true);
    expect(html.match(/<(script|link|img|iframe)\b[^>]*\b(src|href)=/gi)).toBeNull();
    expect(html).toContain('uPlot 1.6.32');
    expect(html).toContain(result.digest);
  });

  it('charts the ring: coverage reaching 1 at 5000 ms, the CDF from the histogram, the run', () => {
    expect(sections.flatMap((s) => s.charts.map((c) => c.id))).toEqual(['coverage', 'delay-cdf', 'fairness', 'delays-by-region', 'shards', 'window-events']);
    const cov = chart(sections, 'coverage')!;
    if (cov.kind !== 'lines') throw new Error('coverage is a line chart');
    // The share of nodes reached by t is (1 + 2 floor(t / 10)) / N, counted in steps of 1/50.
    cov.x.forEach((t, i) => {
      const reached = Math.min(N, 1 + 2 * Math.floor(t / L + 1e-9));
      expect(cov.series[0]!.y[i], `t ${t}`).toBe(Math.floor((reached / N) * 50 + 1e-9) / 50);
    });
    const cdf = chart(sections, 'delay-cdf')!;
    if (cdf.kind !== 'lines') throw new Error('the CDF is a line chart');
    expect(cdf.series[0]!.y.at(-1)).toBe(1);
    expect(cdf.series[0]!.y[50]).toBe((9 + 49 * 10) / N); // receipts below 2500 ms: distances 0 ... 249
    const shards = chart(sections, 'shards')!;
    if (shards.kind !== 'bars') throw new Error('shards are bars');
    expect(shards.categories).toEqual(['shard 0', 'shard 1']);
    expect(shards.series[0]!.values).toEqual(result.profile.shards.map((s) => s.busyMs));
    // Every window of every shard is in the events-per-window histogram.
    result.profile.shards.forEach((s) => expect(s.windowEvents.reduce((a, b) => a + b, 0)).toBe(s.windows));
  });

  it('a result from before the report (no delays, no events per window) still gets a page', { timeout: TIMEOUT }, async () => {
    const old = JSON.parse(readFileSync(join(dir, 'ring.json'), 'utf8')) as Result & { delays?: unknown };
    delete old.delays;
    for (const s of old.profile.shards) delete (s as { windowEvents?: unknown }).windowEvents;
    writeFileSync(join(dir, 'old.json'), JSON.stringify(old));
    expect((await cli('report', 'old.json')).code).toBe(0);
    const s = embedded(readFileSync(join(dir, 'old.html'), 'utf8'));
    expect(s.flatMap((x) => x.charts.map((c) => c.id))).toEqual(['message-times', 'shards']);
    expect(chart(s, 'message-times')).toMatchObject({ series: [{ label: 't50', values: [result.messages![0]!.t50Ms] }, {}, {}, { label: 't100', values: [5000] }] });
  });

  it('p2psim report makes the same charts from the result file', { timeout: TIMEOUT }, async () => {
    const r = await cli('report', 'ring.json', '-o', 'again.html');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^again\.html: report written \(\d+ KiB\)\n$/);
    expect(embedded(readFileSync(join(dir, 'again.html'), 'utf8'))).toEqual(sections);
  });
});

describe('p2psim report on a chain under faults', () => {
  let result: Result;
  let sections: Section[];
  beforeAll(async () => {
    const r = await cli('run', CHAIN, '--quiet', '--out', join(dir, 'chain.json'));
    expect(r.code).toBe(0);
    result = JSON.parse(readFileSync(join(dir, 'chain.json'), 'utf8')) as Result;
    const rep = await cli('report', 'chain.json');
    expect(rep.code).toBe(0);
    sections = embedded(readFileSync(join(dir, 'chain.html'), 'utf8'));
  }, TIMEOUT);

  it('has the chain, fault and run charts', () => {
    expect(sections.map((s) => s.id)).toEqual(['propagation', 'chain', 'faults', 'run']);
    expect(sections.flatMap((s) => s.charts.map((c) => c.id))).toEqual([
      'coverage', 'delay-cdf', 'fairness', 'delays-by-region',
      'blocks-over-time', 'forks', 'consistency', 'rewards',
      'online', 'fault-windows', 'catch-up',
      'shards', 'window-events',
    ]);
  });

  it('the blocks chart ends at the blocks mined; the windows chart holds the partition and loss windows', () => {
    const blocks = chart(sections, 'blocks-over-time')!;
    if (blocks.kind !== 'lines') throw new Error('lines');
    expect(blocks.series[0]!.y.at(-1)).toBe(result.chain!.blocksMined);
    expect(blocks.series[1]!.y.at(-1)).toBe(result.chain!.mainChainLength);
    const windows = chart(sections, 'fault-windows')!;
    if (windows.kind !== 'lines') throw new Error('lines');
    const scenario = JSON.parse(readFileSync(CHAIN, 'utf8')) as { faults: { kind: string; fromMs: number; toMs: number; rate?: number }[] };
    const part = scenario.faults.find((f) => f.kind === 'partition')!;
    const loss = scenario.faults.find((f) => f.kind === 'loss')!;
    windows.x.forEach((s, i) => {
      const t = s * 1000;
      expect(windows.series[0]!.y[i], `partition at ${t}`).toBe(t >= part.fromMs && t < part.toMs ? 1 : 0);
      expect(windows.series[1]!.y[i], `loss at ${t}`).toBe(t >= loss.fromMs && t < loss.toMs ? loss.rate : 0);
    });
    expect(result.faults!.partitions).toEqual([{ fromMs: part.fromMs, toMs: part.toMs }]);
  });

  it('leaves out a chart with nothing to draw', { timeout: TIMEOUT }, async () => {
    const none = JSON.parse(readFileSync(join(dir, 'chain.json'), 'utf8')) as Result;
    for (const b of none.chain!.blocks) Object.assign(b, { consistencyMs: null, t90Ms: null });
    writeFileSync(join(dir, 'none.json'), JSON.stringify(none));
    expect((await cli('report', 'none.json')).code).toBe(0);
    const s = embedded(readFileSync(join(dir, 'none.html'), 'utf8'));
    expect(chart(s, 'consistency')).toBeUndefined();
    expect(chart(s, 'forks')).toBeDefined();
  });

  it('adds anonymity and join sections when the result has them, and skips malformed ones', { timeout: TIMEOUT }, async () => {
    const extra = {
      ...result,
      anonymity: { estimators: [{ name: 'first-spy', recall: 0.42, precision: 0.5, recallCi95: [0.38, 0.46], messages: 200 }, { name: 'bogus' }] },
      joins: { joined: 50, synced: 48, neverSynced: 2, syncMs: { p50: 900, p90: 2100, max: 5000 }, storage: { peakBytes: 123456 } },
    };
    writeFileSync(join(dir, 'extra.json'), JSON.stringify(extra));
    expect((await cli('report', 'extra.json')).code).toBe(0);
    const s = embedded(readFileSync(join(dir, 'extra.html'), 'utf8'));
    expect(s.map((x) => x.id)).toEqual(['propagation', 'chain', 'faults', 'anonymity', 'joins', 'run']);
    const anon = chart(s, 'anonymity')!;
    if (anon.kind !== 'bars') throw new Error('bars');
    expect(anon.categories).toEqual(['first-spy']);
    expect(anon.series.map((x) => x.values)).toEqual([[0.42], [0.5]]);
    expect(chart(s, 'sync-time')).toMatchObject({ categories: ['p50', 'p90', 'max'], series: [{ values: [900, 2100, 5000] }] });
    expect(s.find((x) => x.id === 'joins')!.facts).toContainEqual(['peak storage, all online nodes', '123,456 bytes']);
  });
});

describe('p2psim report: bad input', () => {
  const fail = async (...args: string[]) => {
    const r = await cli(...args);
    expect(r.code).toBe(2);
    expect(r.stderr.split('\n').filter(Boolean)).toHaveLength(1);
    expect(r.stderr).not.toMatch(/\bat .*\.js:\d+/);
    return r.stderr;
  };

  it('a missing file, bad JSON, or a file that is not a result: one line naming it and the field', { timeout: TIMEOUT }, async () => {
    expect(await fail('report', 'nothing.json')).toMatch(/^p2psim: cannot read nothing\.json: /);
    writeFileSync(join(dir, 'bad.json'), '{"version": 1,');
    expect(await fail('report', 'bad.json')).toMatch(/^p2psim: bad\.json: invalid JSON/);
    writeFileSync(join(dir, 'half.json'), JSON.stringify({ version: 1, scenario: {}, model: 'gossip', nodes: 3 }));
    expect(await fail('report', 'half.json')).toBe('p2psim: half.json: workers: is required\n');
    writeFileSync(join(dir, 'wrong.json'), JSON.stringify({ ...JSON.parse(readFileSync(join(dir, 'ring.json'), 'utf8')), profile: { shards: 'x' } }));
    expect(await fail('report', 'wrong.json')).toMatch(/^p2psim: wrong\.json: profile\.lookaheadMs: is required/);
    expect(existsSync(join(dir, 'nothing.html')) || existsSync(join(dir, 'bad.html')) || existsSync(join(dir, 'half.html'))).toBe(false);
  });

  it('never replaces a page by its default name; -o replaces only when given', { timeout: TIMEOUT }, async () => {
    writeFileSync(join(dir, 'ring.html'), 'mine');
    expect(await fail('report', 'ring.json')).toMatch(/^p2psim: --output: ring\.html exists; pass -o FILE/);
    expect(readFileSync(join(dir, 'ring.html'), 'utf8')).toBe('mine');
    expect(await fail('report', 'ring.json', '-o', 'ring.json')).toMatch(/would overwrite ring\.json/);
    expect(await fail('report', 'ring.json', '-o', join(dir, 'no', 'such', 'x.html'))).toMatch(/directory does not exist/);
  });

  it('run --report is checked before the run', { timeout: TIMEOUT }, async () => {
    expect(await fail('run', RING, '--report', join(dir, 'no', 'r.html'))).toMatch(/^p2psim: --report: directory does not exist/);
  });
});
