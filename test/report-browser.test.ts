// The report in a real browser (headless Chromium, test/chromium.ts): pages made by the CLI for a gossip
// run, a chain under faults with anonymity and join sections, and a PHOLD run open from disk with no
// request leaving the file, no console error, and every chart drawn with its data: a line chart's
// canvas holds pixels of its series' colours, a bar chart's SVG holds one bar per positive value.
// Screenshots go to test-artifacts/ (run: npx vitest run test/report-browser.test.ts). Without Chromium the
// test fails and says how to get it; P2PSIM_SKIP_BROWSER=1 skips it.
import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Section } from '../src/plots/charts.js';
import { launchChromium } from './chromium.js';

const ROOT = join(import.meta.dirname, '..');
const CLI = join(ROOT, 'dist', 'src', 'cli.js');
const ARTIFACTS = join(ROOT, 'test-artifacts');
const TIMEOUT = 120_000;
const exec = promisify(execFile);

const dir = mkdtempSync(join(tmpdir(), 'p2psim-report-browser-'));
let browser: Browser;

async function cli(...args: string[]): Promise<void> {
  await exec(process.execPath, [CLI, ...args], { cwd: dir, env: { ...process.env, P2PSIM_FAULT: '' }, maxBuffer: 64 << 20 });
}

/** The page's series colours, as its script draws them (render-script.ts, COLORS). */
const COLORS = ['#1f77b4', '#d62728', '#2ca02c', '#ff7f0e', '#9467bd', '#8c564b', '#e377c2', '#7f7f7f', '#bcbd22', '#17becf', '#393b79', '#637939']
  .map((h) => [1, 3, 5].map((i) => parseInt(h.slice(i, i + 2), 16)));

interface Drawn {
  id: string;
  kind: string;
  rendered: boolean;
  /** Line charts: canvas pixels near each series' colour (one series may hide another it equals). */
  seriesPixels: number[];
  /** Bar charts: bars with a positive height. */
  bars: number;
}

async function open(name: string): Promise<{ drawn: Drawn[]; expected: number; errors: string[]; requests: string[]; sections: Section[] }> {
  const page = await browser.newPage({ viewport: { width: 1250, height: 900 } });
  const errors: string[] = [];
  const requests: string[] = [];
  page.on('console', (m) => {
    if (m.type() === 'error') errors.push(m.text());
  });
  page.on('pageerror', (e) => errors.push(e.message));
  page.on('request', (r) => {
    if (!r.url().startsWith('file:') && !r.url().startsWith('data:')) requests.push(r.url());
  });
  const file = join(dir, `${name}.html`);
  await page.goto(pathToFileURL(file).href);
  await page.waitForSelector('body[data-charts-drawn]', { timeout: 30_000 });
  const expected = Number(await page.getAttribute('body', 'data-charts'));
  const drawn = await page.evaluate((colors) => {
    return Array.from(document.querySelectorAll<HTMLElement>('.chart')).map((el) => {
      const seriesPixels = colors.map(() => 0);
      const canvas = el.querySelector('canvas');
      if (canvas) {
        const d = canvas.getContext('2d')!.getImageData(0, 0, canvas.width, canvas.height).data;
        for (let i = 0; i < d.length; i += 4) {
          if (d[i + 3]! <= 128) continue;
          colors.forEach((c, k) => {
            if (Math.abs(d[i]! - c[0]!) + Math.abs(d[i + 1]! - c[1]!) + Math.abs(d[i + 2]! - c[2]!) < 60) seriesPixels[k]!++;
          });
        }
      }
      const bars = Array.from(el.querySelectorAll('rect.bar')).filter((r) => Number(r.getAttribute('height')) > 0).length;
      return { id: el.id.replace(/^chart-/, ''), kind: el.dataset.kind!, rendered: el.dataset.rendered === '1', seriesPixels, bars };
    });
  }, COLORS);
  const text = readFileSync(file, 'utf8');
  const sections = (JSON.parse(text.match(/<script id="p2psim-data" type="application\/json">(.*?)<\/script>/s)![1]!) as { sections: Section[] }).sections;
  await page.screenshot({ path: join(ARTIFACTS, `report-${name}.png`), fullPage: true });
  await page.close();
  return { drawn, expected, errors, requests, sections };
}

function checkEveryChart(r: Awaited<ReturnType<typeof open>>): void {
  expect(r.errors).toEqual([]);
  expect(r.requests).toEqual([]);
  const charts = r.sections.flatMap((s) => s.charts);
  expect(r.drawn.length).toBe(r.expected);
  expect(r.drawn.map((d) => d.id)).toEqual(charts.map((c) => c.id));
  for (const [i, d] of r.drawn.entries()) {
    const c = charts[i]!;
    expect(d.rendered, d.id).toBe(true);
    if (c.kind === 'lines') {
      const own = d.seriesPixels.slice(0, c.series.length);
      expect(Math.max(...own), `${d.id}: pixels of its series' colours`).toBeGreaterThan(10);
    } else {
      const positive = c.series.flatMap((s) => s.values).filter((v) => v !== null && v > 0).length;
      expect(positive, `${d.id} has data`).toBeGreaterThan(0);
      expect(d.bars, `${d.id}: one bar per positive value`).toBe(positive);
    }
  }
}

describe.skipIf(process.env.P2PSIM_SKIP_BROWSER === '1')('the report in headless Chromium', () => {
  beforeAll(async () => {
    mkdirSync(ARTIFACTS, { recursive: true });
    await cli('run', join(ROOT, 'scenarios', 'poisson-small.json'), '--quiet', '--workers', '2', '--out', 'gossip.json', '--report', 'gossip.html');
    await cli('run', join(ROOT, 'test', 'fixtures', 'report-chain-faults.json'), '--quiet', '--out', 'chain.json');
    const chain = JSON.parse(readFileSync(join(dir, 'chain.json'), 'utf8')) as object;
    writeFileSync(join(dir, 'chain-extra.json'), JSON.stringify({
      ...chain,
      anonymity: { estimators: [{ name: 'first-spy', recall: 0.42, precision: 0.5, recallCi95: [0.38, 0.46], messages: 200 }, { name: 'rumor-centrality', recall: 0.3, precision: 0.31, recallCi95: [0.26, 0.34], messages: 200 }] },
      joins: { joined: 50, synced: 48, neverSynced: 2, syncMs: { p50: 900, p90: 2100, max: 5000 }, storage: { peakBytes: 123456 } },
    }));
    await cli('report', 'chain-extra.json', '-o', 'chain.html');
    await cli('run', join(ROOT, 'scenarios', 'phold-1k.json'), '--quiet', '--out', 'phold.json');
    await cli('report', 'phold.json');
    browser = await launchChromium();
  }, TIMEOUT);

  afterAll(async () => {
    await browser?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('a gossip run: every chart drawn, nothing fetched, no console error', { timeout: TIMEOUT }, async () => {
    const r = await open('gossip');
    expect(r.drawn.map((d) => d.id)).toEqual(['coverage', 'delay-cdf', 'fairness', 'delays-by-region', 'shards', 'window-events']);
    checkEveryChart(r);
  });

  it('a chain under faults with anonymity and joins: every chart drawn', { timeout: TIMEOUT }, async () => {
    const r = await open('chain');
    expect(r.sections.map((s) => s.id)).toEqual(['propagation', 'chain', 'faults', 'anonymity', 'joins', 'run']);
    expect(r.drawn.length).toBe(16);
    checkEveryChart(r);
  });

  it('a PHOLD run: the run section alone', { timeout: TIMEOUT }, async () => {
    const r = await open('phold');
    expect(r.sections.map((s) => s.id)).toEqual(['run']);
    checkEveryChart(r);
  });
});
