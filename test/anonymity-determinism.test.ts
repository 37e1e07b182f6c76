// The determinism contract with an adversary (docs/architecture.md, "Shards"): the same scenario and seed
// give the same digest, per-node outcomes, per-message statistics and anonymity section at 1, 2 and 3
// workers. The spies are chosen in every shard from the plan and the graph alone, their logs are pooled
// by a total order on (time, sender, receiving node), and Dandelion++'s epoch state is drawn from each
// node's own stream, so none of it may depend on the sharding. A different seed must change the
// anonymity section, so equal sections cannot come from an insensitive computation.
import { describe, expect, it } from 'vitest';
import type { Result } from '../src/result.js';

const { runScenario } = (await import('../dist/src/run.js' as string)) as typeof import('../src/run.js');
const { parseScenario } = (await import('../dist/src/scenario/load.js' as string)) as typeof import('../src/scenario/load.js');

const TIMEOUT = 180_000;

async function run(raw: object, workers: number): Promise<Result> {
  return runScenario(parseScenario(raw), { workers, assignment: 'contiguous', baseDir: '.', keepPerNode: true });
}

const net = { nodes: 601, latency: { kind: 'uniform', minMs: 20, maxMs: 80 }, workload: { count: 60, ratePerSecond: 8 }, durationMs: 25_000 };

const cases: [string, object][] = [
  ['Dandelion++, black-hole spies by degree, crashes, short epochs', {
    ...net, topology: { kind: 'bitcoin', outbound: 8 }, protocol: { kind: 'dandelion++', q: 0.2, epochMs: 3000, embargoMeanMs: 2000, meanDelayMs: 300 },
    adversary: { kind: 'spies', fraction: 0.1, select: 'highest-degree', blackHole: true }, faults: [{ kind: 'crash', atMs: 2000, fraction: 0.05 }],
  }],
  ['Dandelion, random spies, random successors', {
    ...net, topology: { kind: 'random-regular', degree: 6 }, protocol: { kind: 'dandelion', q: 0.2, meanDelayMs: 300 },
    adversary: { kind: 'spies', fraction: 0.2, guesses: true },
  }],
  ['trickle against an eavesdropper with θ = 2', {
    ...net, nodes: 600, topology: { kind: 'random-regular', degree: 8 }, protocol: { kind: 'trickle', tickMs: 200 },
    adversary: { kind: 'eavesdropper', connections: 2 },
  }],
  ['diffusion against an eavesdropper with θ = 1 on a bitcoin graph', {
    ...net, topology: { kind: 'bitcoin', outbound: 8 }, protocol: { kind: 'diffusion', meanDelayMs: 500 },
    adversary: { kind: 'eavesdropper', connections: 1, guesses: true },
  }],
];

const bytes = (a: ArrayBufferView) => Buffer.from(a.buffer, a.byteOffset, a.byteLength);

describe('anonymity runs are deterministic at every worker count', () => {
  for (const [name, raw] of cases) {
    it(name, async () => {
      const one = await run({ ...raw, seed: 7 }, 1);
      expect(one.anonymity!.seen).toBeGreaterThan(0);
      for (const workers of [2, 3]) {
        const r = await run({ ...raw, seed: 7 }, workers);
        expect(r.digest, `${workers} workers`).toBe(one.digest);
        expect(r.anonymity, `${workers} workers`).toEqual(one.anonymity);
        expect(r.messages, `${workers} workers`).toEqual(one.messages);
        for (const key of Object.keys(one.perNode!)) expect(bytes(r.perNode![key]!).equals(bytes(one.perNode![key]!))).toBe(true);
      }
      const other = await run({ ...raw, seed: 8 }, 2);
      expect(other.anonymity).not.toEqual(one.anonymity);
    }, TIMEOUT);
  }
});
