// `npm run bench:viz`: how the visualizer page keeps up, in headless Chromium — frames per second while
// a flood spreads, and the engine's simulated events per second in the page's worker — at 500 and 2,000
// nodes; with --chain, the same network mining blocks (each "mine a block" re-runs the engine). A bench,
// not a test: the figures depend on the machine, its load and its WebGL (headless Chromium without a
// GPU draws with its software rasterizer).
//
//   npm run bench:viz -- --sizes 500,2000 --seconds 6 [--chain]
import { Command } from 'commander';
import { launchChromium } from '../test/chromium.js';
import { startVizServer } from '../src/viz/server.js';
import { defaultChainScenario, defaultScenario } from '../src/viz/session.js';

const opts = new Command('bench-viz')
  .option('--sizes <list>', 'node counts', '500,2000')
  .option('--seconds <s>', 'wall seconds of frames counted per size', '6')
  .option('--sends <n>', 'transactions sent (blocks mined, with --chain) per size: each one re-runs the engine', '5')
  .option('--chain', 'the chain network: mine blocks instead of sending transactions')
  .parse()
  .opts<{ sizes: string; seconds: string; sends: string; chain?: boolean }>();
const button = opts.chain ? '#mine' : '#send';

interface Viz {
  ready: boolean;
  pending: boolean;
  frames: number;
  runs: number;
  lastRunMs: number;
  simEventsPerSecond: number;
  drawMs: number;
}

const browser = await launchChromium();
console.log(opts.chain ? 'chain: blocks mined by click' : 'gossip: transactions by flood');
console.log('nodes  fps (message spreading)  page work per frame ms  engine events/s (median of runs)  engine run ms (median)  events per run');
try {
  for (const nodes of opts.sizes.split(',').map(Number)) {
    const server = await startVizServer({ written: opts.chain ? defaultChainScenario(nodes) : defaultScenario(nodes), spare: 200, port: 0 });
    const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    try {
      await page.goto(server.url);
      const viz = () => page.evaluate(() => (globalThis as unknown as { __viz: Viz }).__viz);
      await page.waitForFunction(() => (globalThis as unknown as { __viz: Viz }).__viz.ready, null, { timeout: 120_000 });
      const rates: number[] = [];
      const runMs: number[] = [];
      let events = 0;
      for (let i = 0; i < Number(opts.sends); i++) {
        const before = (await viz()).runs;
        await page.click(button);
        await page.waitForFunction((n) => (globalThis as unknown as { __viz: Viz }).__viz.runs > n && !(globalThis as unknown as { __viz: Viz }).__viz.pending, before, { timeout: 120_000 });
        const v = await viz();
        rates.push(v.simEventsPerSecond);
        runMs.push(v.lastRunMs);
        events = Number((await page.textContent('#events'))!.replace(/,/g, ''));
      }
      // Frames while the last flood spreads, slowed down so it lasts the whole count, connections drawn.
      await page.selectOption('#speed', '0.1');
      await page.check('#edges');
      await page.click(button);
      const f0 = (await viz()).frames;
      const t0 = Date.now();
      await page.waitForTimeout(Number(opts.seconds) * 1000);
      const end = await viz();
      const fps = (end.frames - f0) / ((Date.now() - t0) / 1000);
      const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
      console.log(`${String(nodes).padStart(5)}  ${fps.toFixed(1).padStart(21)}  ${end.drawMs.toFixed(1).padStart(22)}  ${Math.round(median(rates)).toLocaleString('en-US').padStart(32)}  ${median(runMs).toFixed(1).padStart(22)}  ${events.toLocaleString('en-US').padStart(14)}`);
    } finally {
      await page.close();
      await server.close();
    }
  }
} finally {
  await browser.close();
}
