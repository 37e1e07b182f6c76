// Robustness after a mass failure: 60 % of a 100,000-node random-regular (degree 8) network crashes at
// t = 0, then a flood starts at a survivor. Flood reaches exactly the origin's connected component among
// the survivors, so the coverage among online nodes must equal that component's share of the survivors:
// computed here by our own BFS over the surviving nodes of the graph, built independently of the run.
// Repeated with the highest-degree nodes crashing, on the bitcoin topology where degrees differ.
import { describe, expect, it } from 'vitest';

const { runScenario } = (await import('../dist/src/run.js' as string)) as typeof import('../src/run.js');
const { parseScenario } = (await import('../dist/src/scenario/load.js' as string)) as typeof import('../src/scenario/load.js');
const { buildTopology } = (await import('../dist/src/topology/generators.js' as string)) as typeof import('../src/topology/generators.js');
const { compileFaults, isOnline } = (await import('../dist/src/faults/schedule.js' as string)) as typeof import('../src/faults/schedule.js');

const TIMEOUT = 120_000;
const N = 100_000;

/** Nodes reachable from `origin` through nodes with alive[v]. */
function component(offsets: Int32Array, targets: Int32Array, alive: Uint8Array, origin: number): Uint8Array {
  const seen = new Uint8Array(offsets.length - 1);
  const stack = [origin];
  seen[origin] = 1;
  while (stack.length > 0) {
    const u = stack.pop()!;
    for (let i = offsets[u]!; i < offsets[u + 1]!; i++) {
      const v = targets[i]!;
      if (alive[v] && !seen[v]) {
        seen[v] = 1;
        stack.push(v);
      }
    }
  }
  return seen;
}

describe('flood after a 60 % crash', () => {
  const cases = [
    ['random', { kind: 'random-regular', degree: 8 }],
    ['highest-degree', { kind: 'bitcoin', outbound: 8 }],
  ] as const;
  for (const [select, topology] of cases) {
    it(`${select} on ${topology.kind}: coverage among survivors = the origin's surviving component, exactly`, { timeout: TIMEOUT }, async () => {
      const seed = 31;
      const crash = { kind: 'crash', atMs: 0, fraction: 0.6, select } as const;
      // The topology with its defaults filled, as the run sees it.
      const spec = parseScenario({ nodes: N, topology });
      if (spec.model !== 'gossip') throw new Error('expected a gossip scenario');
      const g = buildTopology(spec.topology, N, seed, '.');
      const schedule = compileFaults([crash], N, seed, new Uint8Array(N), ['all'], g.offsets, 1e9)!;
      const alive = new Uint8Array(N);
      let survivors = 0;
      for (let v = 0; v < N; v++) if (isOnline(schedule, v, 1)) (alive[v] = 1), survivors++;
      expect(survivors).toBe(N - Math.round(0.6 * N));
      const origin = alive.indexOf(1);
      const comp = component(g.offsets, g.targets, alive, origin);
      const reachable = comp.reduce((a, b) => a + b, 0);

      const raw = {
        seed,
        nodes: N,
        topology,
        latency: { kind: 'constant', ms: 50 },
        protocol: { kind: 'flood' },
        workload: { count: 1, origins: [origin], startMs: 1 },
        faults: [crash],
        // The BFS reasons about the initial graph: no replacement connections during the flood.
        peers: { maintain: false },
      };
      const r = await runScenario(parseScenario(raw), { workers: 2, assignment: 'contiguous', baseDir: '.', keepPerNode: true });
      const m = r.messages![0]!;
      expect(m.coverageOnline).toBe(reachable / survivors);
      expect(m.coverage).toBe(reachable / N);
      // And node by node: reached exactly the component.
      const hops = r.perNode!.hops!;
      for (let v = 0; v < N; v++) expect(hops[v]! >= 0).toBe(comp[v] === 1);
    });
  }
});
