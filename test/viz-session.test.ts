// The visualizer's engine host (src/viz/sim.ts): one shard in this thread, as the page's Web Worker
// runs it. Its clicks become scheduled events; the file they make replays under the coordinator to the
// same digest at 1, 2 and 3 workers, and on a hand-computable ring the times a click's flood reaches
// each node are the hand-computed ones.
import { describe, expect, it } from 'vitest';
import type { VizEvent } from '../src/viz/session.js';

const { runScenario } = (await import('../dist/src/run.js' as string)) as typeof import('../src/run.js');
const { parseScenario } = (await import('../dist/src/scenario/load.js' as string)) as typeof import('../src/scenario/load.js');
const { VizSimulator, prepareBase } = (await import('../dist/src/viz/sim.js' as string)) as typeof import('../src/viz/sim.js');
const { defaultScenario } = (await import('../dist/src/viz/session.js' as string)) as typeof import('../src/viz/session.js');

describe('the visualizer host', () => {
  it('a flood clicked on a ring reaches each node at the hand-computed time, and not past a crashed node', () => {
    // A ring of 20 nodes, each linked to its two neighbours, every message 50 ms: a flood from node 0
    // created at T reaches node d at T + 50 * min(d, 20 - d). Peer maintenance is off, so a crashed node
    // is a hole: after node 5 crashes, nodes 6..15 are reached the other way round, at T + 50 * (20 - v).
    const written = {
      seed: 7, nodes: 20, topology: { kind: 'ring', k: 1 }, latency: { kind: 'constant', ms: 50 },
      protocol: { kind: 'flood' }, workload: { kind: 'broadcast', count: 1, origins: [0], atMs: [0] },
      peers: { maintain: false }, durationMs: 60_000,
    };
    const sim = new VizSimulator(prepareBase(written, 0));
    const events: VizEvent[] = [
      { kind: 'send', atMs: 1000, origin: 0 },
      { kind: 'crash', atMs: 2000, ids: [5] },
      { kind: 'send', atMs: 3000, origin: 0 },
    ];
    const run = sim.run(events);
    const n = 20;
    for (let v = 0; v < n; v++) {
      expect(run.firstMs[v], `message 0 at node ${v}`).toBe(50 * Math.min(v, n - v));
      expect(run.firstMs[n + v], `message 1 at node ${v}`).toBe(1000 + 50 * Math.min(v, n - v));
      if (v === 5) expect(run.firstMs[2 * n + v]).toBeNaN();
      else expect(run.firstMs[2 * n + v], `message 2 at node ${v}`).toBe(3000 + 50 * (v < 5 ? v : n - v));
    }
    // The offline intervals the page greys nodes by: node 5 from 2000 on, no one else.
    expect(Array.from(run.offOffsets.slice(5, 7))).toEqual([0, 1]);
    expect(Array.from(run.offTimes)).toEqual([2000, Infinity]);
  });

  it('the exported run replays under the coordinator to the page digest at 1, 2 and 3 workers', { timeout: 120_000 }, async () => {
    const base = prepareBase(defaultScenario(300), 60);
    const sim = new VizSimulator(base);
    // Room for 60 newcomers: ids 300..359, all runs the same 360 nodes.
    expect(sim.network.nodes).toBe(360);
    const events: VizEvent[] = [
      { kind: 'add', atMs: 1500, count: 20 },
      { kind: 'crash', atMs: 2500, ids: [3, 17, 42, 99, 150, 299] },
      { kind: 'split', atMs: 3000, region: 'EUROPE' },
      { kind: 'send', atMs: 4200, origin: 12, protocol: 'diffusion' },
      { kind: 'heal', atMs: 6000 },
      { kind: 'send', atMs: 9000, origin: 33, protocol: 'flood' },
    ];
    const run = sim.run(events);
    // The 20 newcomers joined at 1500 through the bootstrap seeds; the last flood, after the heal,
    // reaches each of them; the room not taken (ids 320..359) never joins before the end and is never drawn.
    expect(run.roomFrom).toBe(320);
    for (let v = 300; v < 320; v++) expect(run.firstMs[2 * 360 + v], `newcomer ${v}`).toBeGreaterThanOrEqual(9000);
    for (let v = 320; v < 360; v++) expect(run.firstMs[2 * 360 + v]).toBeNaN();
    const file = JSON.parse(JSON.stringify(run.scenario));
    // The add is a joins entry at the click; the room left joins in the run's last millisecond.
    expect(file.nodes).toBe(300);
    expect(file.joins).toEqual([{ count: 20, atMs: 1500 }, { count: 40, atMs: 3_599_999 }]);
    expect(file.faults.every((f: { kind: string; atMs?: number }) => f.kind !== 'crash' || f.atMs === 2500)).toBe(true);
    // A transaction by another protocol than the scenario's makes the run "mixed", one protocol each.
    expect(file.protocol).toEqual({ kind: 'mixed', protocols: [{ kind: 'flood' }, { kind: 'diffusion' }], of: ['flood', 'diffusion', 'flood'] });
    for (const workers of [1, 2, 3]) {
      const r = await runScenario(parseScenario(file), { workers, assignment: 'contiguous', baseDir: '.' });
      expect(r.digest, `${workers} workers`).toBe(run.digest);
      expect(r.events).toBe(run.events);
    }
    // A click changes the run: without the last send the digest differs.
    expect(sim.run(events.slice(0, -1)).digest).not.toBe(run.digest);
  });

  it('a click changes nothing before its time: adding nodes keeps the room, so the past is the same run', () => {
    const sim = new VizSimulator(prepareBase({ ...defaultScenario(200), adversary: { kind: 'spies', fraction: 0.1 } }, 40));
    const before = sim.run([{ kind: 'send', atMs: 500, origin: 5 }]);
    const after = sim.run([{ kind: 'send', atMs: 500, origin: 5 }, { kind: 'add', atMs: 2000, count: 25 }]);
    const n = sim.network.nodes;
    // Both broadcasts at every node: what happened before the add at 2000 ms is identical.
    for (let i = 0; i < 2 * n; i++) {
      const a = before.firstMs[i]!;
      if (a < 2000) expect(after.firstMs[i], `entry ${i}`).toBe(a);
    }
    // The adversary's guesses of the broadcasts it saw before the add are the same.
    expect(after.anonymity!.guesses[1]).toEqual(before.anonymity!.guesses[1]);
  });

  it('spies and a Dandelion++ transaction: the page\'s anonymity section is the coordinator\'s, at 1 and 2 workers', { timeout: 120_000 }, async () => {
    const written = { ...defaultScenario(250), adversary: { kind: 'spies', fraction: 0.08, select: 'highest-degree', guesses: true } };
    const sim = new VizSimulator(prepareBase(written, 30));
    const spies = sim.network.spies!;
    expect(spies.reduce((a, b) => a + b, 0)).toBe(Math.round(0.08 * 280));
    const events: VizEvent[] = [
      { kind: 'add', atMs: 800, count: 30 },
      { kind: 'send', atMs: 3000, origin: 40, protocol: 'dandelion++' },
      { kind: 'send', atMs: 5000, origin: 41, protocol: 'dandelion' },
      { kind: 'send', atMs: 7000, origin: 42, protocol: 'trickle' },
    ];
    const run = sim.run(events);
    const file = JSON.parse(JSON.stringify(run.scenario));
    expect(file.protocol.of).toEqual(['flood', 'dandelion++', 'dandelion', 'trickle']);
    expect(file.joins).toEqual([{ count: 30, atMs: 800 }]);
    const page = run.anonymity!;
    expect(page.estimators.map((e) => e.name)).toEqual(['first-spy', 'first-stem', 'reporting-centrality']);
    expect(page.guesses.map((g) => g.origin)).toEqual([0, 40, 41, 42].filter((o) => !spies[o]));
    for (const workers of [1, 2]) {
      const r = (await runScenario(parseScenario(file), { workers, assignment: 'contiguous', baseDir: '.' })) as unknown as { digest: string; anonymity: typeof page };
      expect(r.digest, `${workers} workers`).toBe(run.digest);
      expect(r.anonymity.guesses, `${workers} workers`).toEqual(page.guesses);
      expect(r.anonymity.estimators).toEqual(page.estimators);
      expect(r.anonymity.adversaryNodes).toBe(page.adversaryNodes);
    }
  });
});
