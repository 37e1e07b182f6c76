// The visualizer with a chain: "mine a block" clicks become blocks at set times, the page follows each
// node's tip, and its time to consistency (when a block was first in every online node's chain) is
// checked against a race worked out by hand. The export replays under the coordinator to the page's
// digest at 1, 2 and 3 workers; a transaction click's receipts give the coordinator's own tail.
import { describe, expect, it } from 'vitest';
import type { VizEvent } from '../src/viz/session.js';
// The page's own code (bundled for the browser, not built to dist/): imported from the source.
import { agreementTimes, Tips } from '../src/viz/page/state.js';

const { runScenario } = (await import('../dist/src/run.js' as string)) as typeof import('../src/run.js');
const { parseScenario } = (await import('../dist/src/scenario/load.js' as string)) as typeof import('../src/scenario/load.js');
const { VizSimulator, prepareBase } = (await import('../dist/src/viz/sim.js' as string)) as typeof import('../src/viz/sim.js');
const { defaultChainScenario } = (await import('../dist/src/viz/session.js' as string)) as typeof import('../src/viz/session.js');

// A ring of 6 nodes, 50 ms a hop, blocks of 0 bytes pushed unsolicited (so a hop is exactly 50 ms and no
// upload queues), miners at nodes 0 and 3; the drawn schedule finds nothing in the minute.
//   A: node 0 at 1,000: nodes 1 and 5 at 1,050, 2 and 4 at 1,100, 3 at 1,150.
//   B: node 3 at 1,020 on genesis: 2 and 4 have it at 1,070, before A, and keep it (first seen wins a
//      tie), as does 3; 1 and 5 have A first. Three nodes on each: the best tip is A, the lower id.
//   C: node 0 at 2,000 on A: 1 and 5 at 2,050, 2 and 4 at 2,100 (they leave B), 3 at 2,150.
const ring = {
  seed: 11, nodes: 6, topology: { kind: 'ring', k: 1 }, latency: { kind: 'constant', ms: 50 },
  bandwidth: { uploadMbps: 8, downloadMbps: 8 }, peers: { maintain: false },
  chain: { blockIntervalS: 1e12, blockSizeBytes: 0, miners: { shares: [1, 1], nodes: [0, 3] } },
  relay: { kind: 'unsolicited' }, durationMs: 60_000,
};
const race: VizEvent[] = [
  { kind: 'mine', atMs: 1000, miner: 0 },
  { kind: 'mine', atMs: 1020, miner: 1 },
  { kind: 'mine', atMs: 2000, miner: 0 },
];

describe('the visualizer with a chain', () => {
  it('follows each node\'s tip through a race, and times consistency as worked out by hand', async () => {
    const sim = new VizSimulator(prepareBase(ring, 0));
    expect(sim.network.model).toBe('chain');
    expect(sim.network.miners!.nodes).toEqual([0, 3]);
    const run = sim.run(race);
    expect(run.createdMs).toEqual([1000, 1020, 2000]);
    expect(run.origin).toEqual([0, 3, 0]);
    // Block A (message 0) reaches each node one hop a time.
    expect(Array.from(run.firstMs.subarray(0, 6))).toEqual([1000, 1050, 1100, 1150, 1100, 1050]);
    const tips = new Tips(run, 6);
    expect(Array.from(tips.atTime(1075))).toEqual([1, 1, 2, 2, 2, 1]);
    expect(Array.from(tips.atTime(2100))).toEqual([3, 3, 3, 2, 3, 3]);
    expect(Array.from(tips.atTime(1500))).toEqual([1, 1, 2, 2, 2, 1]);
    expect(Array.from(tips.atTime(60_000))).toEqual([3, 3, 3, 3, 3, 3]);
    expect(Array.from(run.blocks!.height)).toEqual([0, 1, 1, 2]);
    expect(agreementTimes(run, 1)).toEqual([2150]);
    expect(agreementTimes(run, 2)).toEqual([]);
    expect(agreementTimes(run, 3)).toEqual([2150]);
    // The result's time to consistency agrees where every node stays online: C 150 ms, B never.
    const result = await runScenario(parseScenario(run.scenario), { workers: 1, assignment: 'contiguous', baseDir: '.' });
    const consistency = new Map(result.chain!.blocks.map((b) => [b.id, b.consistencyMs]));
    expect(consistency.get(3)).toBe(150);
    expect(consistency.get(2)).toBeNull();

    // Node 3 deleted at 2,120, still on B: A and C are in every online node's chain from then on.
    const crashed = sim.run([...race, { kind: 'crash', atMs: 2120, ids: [3] }]);
    expect(agreementTimes(crashed, 1)).toEqual([2120]);
    expect(agreementTimes(crashed, 3)).toEqual([2120]);
  });

  it('a click changes nothing before its time, and the export replays to the page digest at 1, 2 and 3 workers', { timeout: 120_000 }, async () => {
    const base = prepareBase(defaultChainScenario(200), 40);
    const sim = new VizSimulator(base);
    expect(sim.network.nodes).toBe(240);
    const events: VizEvent[] = [
      { kind: 'mine', atMs: 4000, miner: 2 },
      { kind: 'add', atMs: 6000, count: 15 },
      { kind: 'crash', atMs: 9000, ids: [5, 17, 60] },
      { kind: 'mine', atMs: 12_000, miner: 9 },
    ];
    const before = sim.run(events.slice(0, 3));
    const run = sim.run(events);
    // The last click (at 12 s) moved nothing earlier: the first block's receipts are the same.
    const n = 240;
    expect(Array.from(run.firstMs.subarray(0, n))).toEqual(Array.from(before.firstMs.subarray(0, n)));
    expect(run.createdMs.slice(0, 2)).toEqual([4000, 12_000]);
    expect((run.scenario.chain as { mined: unknown[] }).mined).toEqual([{ atMs: 4000, miner: 2 }, { atMs: 12_000, miner: 9 }]);
    for (const workers of [1, 2, 3]) {
      const r = await runScenario(parseScenario(run.scenario), { workers, assignment: 'contiguous', baseDir: '.' });
      expect(r.digest, `${workers} workers`).toBe(run.digest);
    }
  });

  it('a transaction clicked in a chain: the page\'s receipts give the coordinator\'s tail, at 1 and 2 workers', { timeout: 120_000 }, async () => {
    const sim = new VizSimulator(prepareBase(defaultChainScenario(200), 40));
    const n = sim.network.nodes;
    const events: VizEvent[] = [
      { kind: 'mine', atMs: 2000, miner: 4 },
      { kind: 'send', atMs: 3000, origin: 17 },
    ];
    const run = sim.run(events);
    expect((run.scenario.transactions as { sent: unknown[] }).sent).toEqual([{ atMs: 3000, origin: 17 }]);
    // The messages: the blocks (the clicked one first, then the drawn ones), then the one transaction.
    const m = run.protocolOf.indexOf('transaction');
    expect(m).toBe(run.blocks!.height.length - 1);
    expect(run.protocolOf.slice(m)).toEqual(['transaction']);
    expect(run.createdMs[m]).toBe(3000);
    expect(run.origin[m]).toBe(17);
    expect(run.firstMs[m * n + 17]).toBe(3000);
    // Its t50 and t100 over every node of the run (the room too, which never has it: t100 null), as the
    // result defines them, from the page's own receipt times.
    const delays = Array.from(run.firstMs.subarray(m * n, (m + 1) * n)).filter((x) => x === x).map((x) => x - 3000).sort((a, b) => a - b);
    const t50 = delays[Math.ceil(0.5 * n) - 1]!;
    for (const workers of [1, 2]) {
      const r = await runScenario(parseScenario(run.scenario), { workers, assignment: 'contiguous', baseDir: '.' });
      expect(r.digest).toBe(run.digest);
      const tx = r.chain!.transactions!;
      expect(tx.count).toBe(1);
      expect(tx.meanCoverage).toBeCloseTo(delays.length / n, 12);
      expect(tx.t50MsMedian).toBeCloseTo(t50, 3);
      expect(tx.t100MsMedian).toBeNull();
    }
  });
});
