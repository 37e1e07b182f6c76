// The "mixed" protocol: each broadcast relayed by its own protocol. A broadcast in a mixed run is
// relayed exactly as its protocol relays it alone — checked against the hand-computed flood times on a
// ring, and against runs of diffusion, trickle, Dandelion and Dandelion++ alone (flood draws no random numbers and constant
// latency draws none, so the node's protocol stream gives diffusion and trickle the same draws in both
// runs) — the result is the same at 1, 2 and 3 workers, and bad input names the field.
import { describe, expect, it } from 'vitest';
import type { Result } from '../src/result.js';

const { runScenario } = (await import('../dist/src/run.js' as string)) as typeof import('../src/run.js');
const { parseScenario } = (await import('../dist/src/scenario/load.js' as string)) as typeof import('../src/scenario/load.js');

const N = 20;

function ring(protocol: object, origins: number[], atMs: number[], extra: object = {}): object {
  return {
    seed: 5, nodes: N, topology: { kind: 'ring', k: 1 }, latency: { kind: 'constant', ms: 50 },
    protocol, workload: { kind: 'broadcast', count: origins.length, origins, atMs }, durationMs: 120_000, ...extra,
  };
}

async function run(raw: object, workers = 1): Promise<Result> {
  return runScenario(parseScenario(raw), { workers, assignment: 'contiguous', baseDir: '.', keepPerNode: true });
}

const row = (r: Result, m: number) => Array.from((r.perNode!.firstMs as Float64Array).slice(m * N, (m + 1) * N));

describe('mixed protocol', () => {
  it('each broadcast spreads as its protocol alone spreads it', { timeout: 60_000 }, async () => {
    const protocols = [{ kind: 'flood' }, { kind: 'diffusion', meanDelayMs: 300 }, { kind: 'trickle', tickMs: 100 }];
    const mixed = await run(ring({ kind: 'mixed', protocols, of: ['flood', 'diffusion', 'flood'] }, [0, 7, 3], [0, 100, 2000]));
    // Flood on a ring at 50 ms: node v hears a broadcast from o created at T at T + 50 * (ring distance).
    const dist = (o: number, v: number) => Math.min(Math.abs(o - v), N - Math.abs(o - v));
    expect(row(mixed, 0)).toEqual(Array.from({ length: N }, (_, v) => 50 * dist(0, v)));
    expect(row(mixed, 2)).toEqual(Array.from({ length: N }, (_, v) => 2000 + 50 * dist(3, v)));
    const diffusionAlone = await run(ring({ kind: 'diffusion', meanDelayMs: 300 }, [7], [100]));
    expect(row(mixed, 1)).toEqual(row(diffusionAlone, 0));
    // Diffusion's delays are random: the check means something only if they are not flood's times.
    expect(row(mixed, 1)).not.toEqual(Array.from({ length: N }, (_, v) => 100 + 50 * dist(7, v)));

    const withTrickle = await run(ring({ kind: 'mixed', protocols, of: ['trickle', 'flood'] }, [4, 9], [0, 50]));
    const trickleAlone = await run(ring({ kind: 'trickle', tickMs: 100 }, [4], [0]));
    expect(row(withTrickle, 0)).toEqual(row(trickleAlone, 0));
    expect(row(withTrickle, 1)).toEqual(Array.from({ length: N }, (_, v) => 50 + 50 * dist(9, v)));
  });

  it('a mixed run of one protocol is that protocol', { timeout: 60_000 }, async () => {
    const plain = await run(ring({ kind: 'diffusion' }, [1, 2], [0, 10]));
    const mixed = await run(ring({ kind: 'mixed', protocols: [{ kind: 'diffusion' }], of: ['diffusion', 'diffusion'] }, [1, 2], [0, 10]));
    expect(mixed.digest).toBe(plain.digest);
  });

  it('Dandelion and Dandelion++ mix too: each stem broadcast as alone, its embargo timers kept apart from trickle\'s ticks', { timeout: 60_000 }, async () => {
    const dpp = { kind: 'dandelion++', embargoMeanMs: 400, meanDelayMs: 100 };
    for (const stem of [dpp, { kind: 'dandelion', q: 0.3, meanDelayMs: 100 }]) {
      const mixed = await run(ring({ kind: 'mixed', protocols: [{ kind: 'flood' }, stem], of: ['flood', stem.kind] }, [0, 7], [0, 100]));
      const alone = await run(ring(stem, [7], [100]));
      expect(row(mixed, 1), stem.kind).toEqual(row(alone, 0));
      const one = await run(ring({ kind: 'mixed', protocols: [stem], of: [stem.kind, stem.kind] }, [1, 2], [0, 10]));
      expect(one.digest, stem.kind).toBe((await run(ring(stem, [1, 2], [0, 10]))).digest);
    }
    // Trickle's tick and Dandelion++'s embargo are both timers of the protocols' own kinds: mixed hands
    // each to its own relay. Black-hole spies drop every stem that reaches them, so only the embargo
    // timers get those broadcasts out: every honest node still has every broadcast.
    const both = await run(ring({ kind: 'mixed', protocols: [{ kind: 'trickle', tickMs: 100 }, dpp], of: ['dandelion++', 'trickle', 'dandelion++', 'dandelion++'] }, [3, 9, 15, 17], [0, 50, 400, 900], {
      adversary: { kind: 'spies', fraction: 0.3, blackHole: true },
    }));
    for (let m = 0; m < 4; m++) expect(row(both, m).every((t) => t >= 0), `broadcast ${m}`).toBe(true);
  });

  it('the same result at 1, 2 and 3 workers, under faults', { timeout: 120_000 }, async () => {
    const raw = {
      seed: 11, nodes: 400, topology: { kind: 'bitcoin', outbound: 8 }, latency: { kind: 'regions', preset: 'bitcoin-2019' },
      protocol: { kind: 'mixed', protocols: [{ kind: 'flood' }, { kind: 'diffusion' }, { kind: 'trickle' }], of: ['trickle', 'flood', 'diffusion', 'flood'] },
      workload: { kind: 'broadcast', count: 4, origins: [1, 50, 99, 300], atMs: [0, 500, 4000, 9000] },
      faults: [{ kind: 'crash', atMs: 3000, fraction: 0.2 }, { kind: 'partition', fromMs: 8000, toMs: 12_000, regions: ['EUROPE'] }],
      durationMs: 60_000,
    };
    const one = await run(raw, 1);
    for (const w of [2, 3]) {
      const r = await run(raw, w);
      expect(r.digest, `${w} workers`).toBe(one.digest);
      expect(r.events).toBe(one.events);
    }
  });

  it('bad input names the field', () => {
    const bad = (protocol: object, count = 2) => () => parseScenario(ring(protocol, new Array(count).fill(0), new Array(count).fill(0)));
    expect(bad({ kind: 'mixed', protocols: [{ kind: 'flood' }], of: ['flood'] })).toThrow('protocol.of: must have workload.count (2) items, one protocol per broadcast, got 1');
    expect(bad({ kind: 'mixed', protocols: [{ kind: 'flood' }], of: ['flood', 'trickle'] })).toThrow('protocol.of.1: names "trickle", which protocols does not list');
    expect(bad({ kind: 'mixed', protocols: [{ kind: 'flood' }, { kind: 'flood' }], of: ['flood', 'flood'] })).toThrow('protocol.protocols.1.kind: lists "flood" twice; each protocol once');
  });
});
