// `p2psim viz` in a real browser: the CLI serves the page, headless Chromium opens it, and the test
// clicks as a user would — add 50 nodes (they join), delete 100, send a flood — until the page shows the
// flood at 100 % of the online nodes. The exported run then replays under `p2psim run` to the digest the
// page shows, and its own result agrees with the page: the flood reached every node online when it was
// sent. A scenario with spies shows them and the adversary's guess, which is the guess `p2psim run`
// makes on the export. With --chain, "mine a block" finds a block at the click, the chain panel shows
// every online node agreeing on it, and a transaction spreads to every online node.
// Screenshots go to test-artifacts/. Needs Chromium (.ci/run installs Debian's; see README).
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { chromiumPath, launchChromium } from './chromium.js';

const ROOT = join(import.meta.dirname, '..');
const CLI = join(ROOT, 'dist/src/cli.js');
const ARTIFACTS = join(ROOT, 'test-artifacts');

/** Starts `p2psim viz` on a free port; resolves with its URL once it prints it. */
function startViz(...args: string[]): Promise<{ url: string; child: ChildProcess }> {
  const child = spawn(process.execPath, [CLI, 'viz', '--port', '0', ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  return new Promise((resolve, reject) => {
    let out = '';
    child.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
      const m = /(http:\/\/127\.0\.0\.1:\d+\/)/.exec(out);
      if (m) resolve({ url: m[1]!, child });
    });
    child.stderr!.on('data', (d: Buffer) => (out += d.toString()));
    child.once('exit', (code) => reject(new Error(`p2psim viz exited ${code}: ${out}`)));
  });
}

const viz = (page: Page) => page.evaluate(() => (window as unknown as { __viz: { runs: number; pending: boolean; simMs: number } }).__viz);

/** Clicks and waits until the worker has run the scenario with the new event. */
async function clickAndRun(page: Page, id: string): Promise<void> {
  const before = (await viz(page)).runs;
  await page.click(`#${id}`);
  await page.waitForFunction((n) => {
    const v = (window as unknown as { __viz: { runs: number; pending: boolean } }).__viz;
    return v.runs > n && !v.pending;
  }, before, { timeout: 60_000 });
}

/** A fresh page of the viz at `url`, ready (its first run done), with every page error and console error collected. */
async function openViz(browser: Browser, url: string): Promise<{ page: Page; errors: string[] }> {
  const page = await browser.newPage({ viewport: { width: 1280, height: 800 }, acceptDownloads: true });
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  page.on('console', (m) => {
    if (m.type() === 'error') errors.push(m.text());
  });
  await page.goto(url);
  await page.waitForFunction(() => (window as unknown as { __viz: { ready: boolean } }).__viz.ready, null, { timeout: 60_000 });
  return { page, errors };
}

/** Clicks Export run and saves the download; its path. */
async function exportRun(page: Page): Promise<string> {
  const [download] = await Promise.all([page.waitForEvent('download'), page.click('#export')]);
  const file = join(mkdtempSync(join(tmpdir(), 'p2psim-viz-')), 'run.json');
  await download.saveAs(file);
  return file;
}

/** `p2psim run FILE --json` at `workers` workers; its result. */
function replay<T extends { digest: string }>(file: string, workers: number): T {
  const r = spawnSync(process.execPath, [CLI, 'run', file, '--json', '--quiet', '--workers', String(workers)], { encoding: 'utf8', maxBuffer: 64 << 20 });
  expect(r.status, r.stderr).toBe(0);
  return JSON.parse(r.stdout) as T;
}

describe.skipIf(!chromiumPath && process.env.P2PSIM_NO_BROWSER === '1')('p2psim viz in headless Chromium', () => {
  let browser: Browser | undefined;
  // One server for both tests: each page is a fresh session of the same scenario.
  let started: ReturnType<typeof startViz> | undefined;
  const server = () => (started ??= startViz());
  let spyServer: ReturnType<typeof startViz> | undefined;
  let chainServer: ReturnType<typeof startViz> | undefined;
  const drawServers: ReturnType<typeof startViz>[] = [];
  afterAll(async () => {
    await browser?.close();
    for (const s of [started, spyServer, chainServer, ...drawServers]) if (s) (await s).child.kill('SIGTERM');
  });

  it('add 50, delete 100, flood to 100 % of online nodes, export, replay to the same digest', { timeout: 240_000 }, async () => {
    mkdirSync(ARTIFACTS, { recursive: true });
    const started = await server();
    browser = await launchChromium();
    const { page, errors } = await openViz(browser, started.url);
    // The default network: 500 nodes online, the room for 200 more not drawn.
    await page.waitForFunction(() => document.getElementById('online')!.textContent === '500');
    await page.selectOption('#speed', '5');
    await page.screenshot({ path: join(ARTIFACTS, 'viz-1-start.png') });

    await page.fill('#count', '50');
    await clickAndRun(page, 'add');
    await page.fill('#count', '100');
    await clickAndRun(page, 'delete');
    // Let peer maintenance reconnect the newcomers and the deleted nodes' peers (1 s reconnect delay).
    const t = (await viz(page)).simMs;
    await page.waitForFunction((t0) => (window as unknown as { __viz: { simMs: number } }).__viz.simMs > t0 + 5000, t, { timeout: 60_000 });
    // 500 + 50 added - 100 deleted.
    expect(await page.textContent('#online')).toBe('450');
    await page.screenshot({ path: join(ARTIFACTS, 'viz-2-after-add-delete.png') });

    await clickAndRun(page, 'send');
    await page.waitForFunction(
      () => document.getElementById('message')!.textContent!.startsWith('#1 ') && document.getElementById('coverage')!.textContent === '100.0 %',
      null,
      { timeout: 90_000 },
    );
    await page.screenshot({ path: join(ARTIFACTS, 'viz-3-flood-covered.png') });
    const digest = (await page.textContent('#digest'))!;
    expect(digest).toMatch(/^[0-9a-f]{64}$/);

    const file = await exportRun(page);
    const scenario = JSON.parse(readFileSync(file, 'utf8')) as { nodes: number; workload: { atMs: number[] }; joins: { count: number; atMs: number }[]; faults: { ids: number[]; atMs: number }[] };
    // The clicks as scheduled events: 500 initial nodes, 50 joining at the add, the 150 of room left
    // joining in the last millisecond, 100 nodes crashing at the delete, and a second broadcast.
    expect(scenario.nodes).toBe(500);
    expect(scenario.joins.map((j) => j.count)).toEqual([50, 150]);
    expect(scenario.joins[0]!.atMs).toBeGreaterThan(0);
    expect(scenario.joins[1]!.atMs).toBe(3_599_999);
    expect(scenario.workload.atMs.length).toBe(2);
    expect(scenario.faults.length).toBe(1);
    expect(scenario.faults[0]!.ids.length).toBe(100);
    expect(scenario.faults[0]!.atMs).toBeGreaterThan(scenario.joins[0]!.atMs);

    const result = replay<{ digest: string; messages: { coverageOnline: number }[] }>(file, 2);
    expect(result.digest).toBe(digest);
    expect(result.messages[1]!.coverageOnline).toBe(1);
    expect(errors).toEqual([]);
  });

  it('split and heal a region, crash the best-connected, send by trickle: the export replays to the page digest', { timeout: 240_000 }, async () => {
    browser ??= await launchChromium();
    const { url } = await server();
    const { page, errors } = await openViz(browser, url);
    await page.selectOption('#speed', '5');
    await page.selectOption('#region', 'EUROPE');
    await clickAndRun(page, 'split');
    await page.fill('#count', '10');
    await clickAndRun(page, 'crash-top');
    await page.selectOption('#protocol', 'trickle');
    await clickAndRun(page, 'send');
    const t = (await viz(page)).simMs;
    await page.waitForFunction((t0) => (window as unknown as { __viz: { simMs: number } }).__viz.simMs > t0 + 3000, t, { timeout: 60_000 });
    await clickAndRun(page, 'heal');
    await page.screenshot({ path: join(ARTIFACTS, 'viz-4-split-heal-trickle.png') });
    expect(await page.textContent('#online')).toBe('490');
    const digest = (await page.textContent('#digest'))!;
    const file = await exportRun(page);
    const scenario = JSON.parse(readFileSync(file, 'utf8')) as { protocol: { kind: string; of: string[] }; faults: { kind: string; fromMs?: number; toMs?: number; ids?: number[]; atMs?: number }[] };
    expect(scenario.protocol.kind).toBe('mixed');
    expect(scenario.protocol.of).toEqual(['flood', 'trickle']);
    const split = scenario.faults.find((f) => f.kind === 'partition')!;
    expect(split.toMs! - split.fromMs!).toBeGreaterThan(3000);
    expect(scenario.faults.filter((f) => f.kind === 'crash' && f.atMs! > 0).flatMap((f) => f.ids).length).toBe(10);
    expect(replay(file, 3).digest).toBe(digest);
    expect(errors).toEqual([]);
  });

  it('spies marked, 40 nodes join, a Dandelion++ transaction: the adversary panel shows the guess `p2psim run` makes on the export', { timeout: 240_000 }, async () => {
    mkdirSync(ARTIFACTS, { recursive: true });
    // The default network with 10 % spies: round(0.1 * 700) of the 500 nodes and the 200 of room.
    const scenario = {
      name: 'bitcoin-like network with spies', seed: 42, nodes: 500, topology: { kind: 'bitcoin', outbound: 8, maxInbound: 125 },
      latency: { kind: 'regions', preset: 'bitcoin-2019', distribution: 'uniform', jitter: 0.1 }, protocol: { kind: 'flood' },
      workload: { kind: 'broadcast', count: 1, origins: [0], atMs: [0] }, durationMs: 3_600_000,
      adversary: { kind: 'spies', fraction: 0.1, guesses: true },
    };
    const input = join(mkdtempSync(join(tmpdir(), 'p2psim-viz-')), 'spies.json');
    writeFileSync(input, JSON.stringify(scenario));
    spyServer ??= startViz(input);
    const { url } = await spyServer;
    browser ??= await launchChromium();
    const { page, errors } = await openViz(browser, url);
    await page.waitForFunction(() => document.getElementById('online')!.textContent === '500');
    expect(await page.textContent('#spies')).toBe('70');
    expect(await page.isVisible('#adversary-panel')).toBe(true);
    expect(await page.isVisible('#spy-legend')).toBe(true);
    // Spies among the room are not drawn until they join: the page draws the spies among the 500.
    const drawn = await page.evaluate(() => (window as unknown as { __viz: { spiesShown: number } }).__viz.spiesShown);
    expect(drawn).toBeGreaterThan(0);
    expect(drawn).toBeLessThan(70);
    await page.selectOption('#speed', '5');

    await page.fill('#count', '40');
    await clickAndRun(page, 'add');
    const t = (await viz(page)).simMs;
    await page.waitForFunction((t0) => (window as unknown as { __viz: { simMs: number } }).__viz.simMs > t0 + 3000, t, { timeout: 60_000 });
    // The newcomers are online from their join on.
    expect(await page.textContent('#online')).toBe('540');
    expect(await page.textContent('#spares')).toBe('160');

    await page.selectOption('#protocol', 'dandelion++');
    await clickAndRun(page, 'send');
    await page.waitForFunction(
      () => document.getElementById('message')!.textContent!.startsWith('#1 ') && document.getElementById('guess')!.dataset.guess !== '',
      null,
      { timeout: 90_000 },
    );
    await page.locator('#adversary-panel').scrollIntoViewIfNeeded();
    await page.screenshot({ path: join(ARTIFACTS, 'viz-5-spies-join-dandelion.png') });
    const guess = Number(await page.getAttribute('#guess', 'data-guess'));
    const verdict = (await page.textContent('#guess-right'))!;
    const origin = Number(/from node (\d+)/.exec((await page.textContent('#message'))!)![1]);
    const digest = (await page.textContent('#digest'))!;
    const recall = (await page.textContent('#recall'))!;

    const file = await exportRun(page);
    const exported = JSON.parse(readFileSync(file, 'utf8')) as { nodes: number; joins: { count: number; atMs: number }[]; protocol: { kind: string; of: string[] } };
    // The add is a join at the click's time; the room not taken joins in the run's last millisecond.
    expect(exported.nodes).toBe(500);
    expect(exported.joins.map((j) => j.count)).toEqual([40, 160]);
    expect(exported.joins[0]!.atMs).toBeGreaterThan(0);
    expect(exported.joins[1]!.atMs).toBe(3_599_999);
    expect(exported.protocol).toEqual({ kind: 'mixed', protocols: [{ kind: 'flood' }, { kind: 'dandelion++' }], of: ['flood', 'dandelion++'] });

    const result = replay<{
      digest: string;
      anonymity: { adversaryNodes: number; estimators: { name: string; recall: number; messages: number }[]; guesses: { message: number; origin: number; guesses: number[] }[] };
    }>(file, 2);
    expect(result.digest).toBe(digest);
    expect(result.anonymity.adversaryNodes).toBe(70);
    // The page's guess is the first-spy guess of the CLI's own anonymity section for that broadcast.
    const g = result.anonymity.guesses.find((x) => x.message === 1)!;
    expect(g.origin).toBe(origin);
    expect(g.guesses[0]).toBe(guess);
    expect(verdict.startsWith(guess === origin ? 'right' : 'wrong')).toBe(true);
    const firstSpy = result.anonymity.estimators.find((e) => e.name === 'first-spy')!;
    expect(recall).toBe(`${(100 * firstSpy.recall).toFixed(0)} % of ${firstSpy.messages}`);
    expect(errors).toEqual([]);
  });

  it('--chain: mine a block, watch every online node take it as tip, send a transaction, export, replay to the page digest', { timeout: 240_000 }, async () => {
    mkdirSync(ARTIFACTS, { recursive: true });
    chainServer ??= startViz('--chain');
    const { url } = await chainServer;
    browser ??= await launchChromium();
    const { page, errors } = await openViz(browser, url);
    await page.waitForFunction(() => document.getElementById('online')!.textContent === '500');
    expect(await page.isVisible('#mine')).toBe(true);
    expect(await page.isVisible('#send')).toBe(true);
    expect(await page.isVisible('#chain-panel')).toBe(true);
    // Before any block: everyone on genesis.
    expect(await page.textContent('#best-tip')).toBe('genesis');
    expect(await page.getAttribute('#agree', 'data-agree')).toBe('yes');
    await page.selectOption('#speed', '5');

    await page.fill('#count', '30');
    await clickAndRun(page, 'delete');
    await clickAndRun(page, 'mine');
    // The drawn schedule's first block comes minutes later: the clicked one is block #1.
    await page.waitForFunction(
      () => document.getElementById('message')!.textContent!.startsWith('block #1 ') && document.getElementById('consistency')!.dataset.ms !== '',
      null,
      { timeout: 90_000 },
    );
    await page.locator('#chain-panel').scrollIntoViewIfNeeded();
    await page.screenshot({ path: join(ARTIFACTS, 'viz-6-chain-mined.png') });
    expect(await page.textContent('#online')).toBe('470');
    expect(await page.getAttribute('#agree', 'data-agree')).toBe('yes');
    expect(await page.textContent('#best-tip')).toBe('#1 at height 1, on 470 of 470');
    expect(await page.textContent('#coverage')).toBe('100.0 %');
    // With no rival block every online node adopts the block on receipt: the page's time to
    // consistency (from the tip log) is the coverage's t100 (from the receipts), to the millisecond shown.
    const consistency = Number(await page.getAttribute('#consistency', 'data-ms'));
    expect(`${consistency.toFixed(0)} ms`).toBe(await page.textContent('#t100'));
    const blockBy = /by node (\d+)/.exec((await page.textContent('#message'))!)![1];

    // A transaction, relayed by the chain's inv timers: the page follows it to every online node.
    expect(await page.isVisible('#protocol')).toBe(false);
    await clickAndRun(page, 'send');
    await page.waitForFunction(
      () => document.getElementById('message')!.textContent!.startsWith('transaction #1 ') && document.getElementById('coverage')!.textContent === '100.0 %',
      null,
      { timeout: 90_000 },
    );
    await page.screenshot({ path: join(ARTIFACTS, 'viz-7-chain-transaction.png') });
    const digest = (await page.textContent('#digest'))!;

    const file = await exportRun(page);
    const exported = JSON.parse(readFileSync(file, 'utf8')) as {
      chain: { mined: { atMs: number; miner: number }[] };
      faults: { ids: number[]; atMs: number }[];
      transactions: { sent: { atMs: number; origin: number }[] };
    };
    expect(exported.chain.mined.length).toBe(1);
    expect(exported.transactions.sent.length).toBe(1);
    expect(exported.transactions.sent[0]!.atMs).toBeGreaterThan(exported.chain.mined[0]!.atMs);
    expect(exported.faults[0]!.ids.length).toBe(30);
    expect(exported.chain.mined[0]!.atMs).toBeGreaterThanOrEqual(exported.faults[0]!.atMs);
    const result = replay<{ digest: string; chain: { blocks: { id: number; createdMs: number; miner: number }[] } }>(file, 2);
    expect(result.digest).toBe(digest);
    const block = result.chain.blocks[0]!;
    expect(block.createdMs).toBe(exported.chain.mined[0]!.atMs);
    expect(String(block.miner)).toBe(blockBy);
    expect(errors).toEqual([]);
  });

  // Chromium's Math.exp, log, cos and pow differ from Node 20's in the last bit for some arguments; the
  // page computes them as Node does (src/math.ts), so runs that draw with them replay too. A gossip run
  // shows it: its digest holds every receipt time as a double, where a chain's holds delays as float32.
  const drawing: [string, object][] = [
    ['gossip: lognormal latency, diffusion, Weibull sessions and Pareto downtimes', {
      seed: 5, nodes: 300, topology: { kind: 'random-regular', degree: 6 }, latency: { kind: 'lognormal', medianMs: 80, sigma: 0.6, minMs: 5 },
      protocol: { kind: 'diffusion' }, workload: { kind: 'broadcast', count: 30, ratePerSecond: 0.5 },
      faults: [{ kind: 'churn', share: 0.3, session: { kind: 'weibull', shape: 0.6, scaleMs: 40_000 }, downtime: { kind: 'pareto', shape: 1.5, scaleMs: 5000 } }],
      durationMs: 120_000,
    }],
  ];
  for (const [what, scenario] of drawing) {
    it(`exact replay where the run draws with exp, log, cos and pow: ${what}`, { timeout: 120_000 }, async () => {
      const input = join(mkdtempSync(join(tmpdir(), 'p2psim-viz-')), 'drawn.json');
      writeFileSync(input, JSON.stringify(scenario));
      const server = startViz(input);
      drawServers.push(server);
      const { url } = await server;
      browser ??= await launchChromium();
      const { page } = await openViz(browser, url);
      const digest = (await page.textContent('#digest'))!;
      const file = await exportRun(page);
      expect(replay(file, 2).digest).toBe(digest);
      await page.close();
    });
  }
});
