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
    const spares = base.spares;
    const events: VizEvent[] = [
      { kind: 'add', atMs: 1500, ids: spares.slice(0, 20) },
      { kind: 'crash', atMs: 2500, ids: [3, 17, 42, 99, 150, 299] },
      { kind: 'split', atMs: 3000, region: 'EUROPE' },
      { kind: 'send', atMs: 4200, origin: 12, protocol: 'diffusion' },
      { kind: 'heal', atMs: 6000 },
      { kind: 'send', atMs: 9000, origin: spares[3]!, protocol: 'flood' },
    ];
    const run = sim.run(events);
    // The added spares were offline at t = 0 and online from 1500 on; the last flood, after the heal,
    // reaches every node online then that has a connection, the newcomers among them.
    for (const v of spares.slice(0, 20)) expect(run.firstMs[2 * 360 + v], `spare ${v}`).toBeGreaterThanOrEqual(9000);
    for (const v of spares.slice(20)) expect(run.firstMs[2 * 360 + v]).toBeNaN();
    const file = JSON.parse(JSON.stringify(run.scenario));
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
});
