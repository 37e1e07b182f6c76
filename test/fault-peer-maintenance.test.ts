// Peer maintenance after half of a bitcoin-topology network crashes. Every node first opened exactly 8
// connections. A survivor replaces each one it opened to a crashed node (and not those crashed nodes
// had opened to it), so once the replacements are accepted every survivor has opened exactly 8 again:
// 8 x survivors connections among survivors, a mean degree of exactly 16, as before the crash.
// Without maintenance the survivors keep only their links to other survivors.
import { describe, expect, it } from 'vitest';

const { runScenario } = (await import('../dist/src/run.js' as string)) as typeof import('../src/run.js');
const { parseScenario } = (await import('../dist/src/scenario/load.js' as string)) as typeof import('../src/scenario/load.js');

const TIMEOUT = 60_000;

function scenario(maintain: boolean): object {
  return {
    seed: 14,
    nodes: 3000,
    topology: { kind: 'bitcoin', outbound: 8, maxInbound: 125 },
    latency: { kind: 'constant', ms: 50 },
    protocol: { kind: 'flood' },
    // Connections are sampled when messages are created: before the crash, and well after it.
    workload: { count: 3, atMs: [500, 30_000, 60_000] },
    faults: [{ kind: 'crash', atMs: 1000, fraction: 0.5, select: 'random' }],
    peers: { maintain, reconnectDelayMs: 2000 },
    durationMs: 70_000,
  };
}

describe('peer maintenance', () => {
  it('survivors reopen every connection they lost: mean degree back to exactly 16, nobody isolated, at 1 and 2 workers', { timeout: TIMEOUT }, async () => {
    for (const workers of [1, 2]) {
      const r = await runScenario(parseScenario(scenario(true)), { workers, assignment: 'contiguous', baseDir: '.' });
      const k = r.faults!.connections;
      expect(k.samples).toBe(3);
      expect(k.meanDegree).toBe(16);
      expect(k.isolatedShareMax).toBe(0);
      expect(k.onlineShareMin).toBe(0.5);
      // A message after the crash, from a survivor, reaches every survivor.
      for (const m of r.messages!.slice(1)) expect(m.coverageOnline === 0 || m.coverageOnline === 1).toBe(true);
    }
  });

  it('without it, survivors are left with fewer peers', { timeout: TIMEOUT }, async () => {
    const k = (await runScenario(parseScenario(scenario(false)), { workers: 1, assignment: 'contiguous', baseDir: '.' })).faults!.connections;
    // Sample 1 is before the crash (16), samples 2 and 3 after: about half the links survive.
    expect(k.meanDegree).toBeLessThan(16 * (1 + 0.5 + 0.5) / 3 + 1);
    expect(k.meanDegree).toBeGreaterThan(16 * (1 + 0.4 + 0.4) / 3);
  });
});
