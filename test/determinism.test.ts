// The determinism contract (docs/architecture.md, "Shards" and "Event order"): the same scenario and seed give a bit-identical outcome for
// any worker count (including uneven shards: 3 workers never divide these node counts evenly), on a
// repeated run, and under the strided and by-region partitions. The digest is compared, and so are the per-node
// outcomes themselves and the per-message statistics, so the check does not rest on the digest function
// alone; a different seed must change the digest, so an insensitive digest cannot pass either.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { Result } from '../src/result.js';
import type { AssignmentKind } from '../src/engine/assignment.js';

const { runScenario } = (await import('../dist/src/run.js' as string)) as typeof import('../src/run.js');
const { parseScenario } = (await import('../dist/src/scenario/load.js' as string)) as typeof import('../src/scenario/load.js');

const TIMEOUT = 120_000;
const dir = mkdtempSync(join(tmpdir(), 'p2psim-determinism-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function run(raw: object, workers: number, partition: AssignmentKind = 'contiguous', outboxRecords?: number): Promise<Result> {
  return runScenario(parseScenario(raw), { workers, assignment: partition, baseDir: dir, keepPerNode: true, outboxRecords });
}

function bytes(a: ArrayBufferView): Buffer {
  return Buffer.from(a.buffer, a.byteOffset, a.byteLength);
}

/** Same digest, same per-node arrays byte for byte, same per-message statistics. */
function expectSameOutcome(a: Result, b: Result, label: string): void {
  expect(b.digest, label).toBe(a.digest);
  expect(Object.keys(b.perNode!).sort(), label).toEqual(Object.keys(a.perNode!).sort());
  for (const key of Object.keys(a.perNode!)) {
    expect(bytes(b.perNode![key]!).equals(bytes(a.perNode![key]!)), `${label}: perNode.${key}`).toBe(true);
  }
  expect(b.messages, label).toEqual(a.messages);
  expect(b.phold, label).toEqual(a.phold);
  expect(b.events, label).toBe(a.events);
}

interface Case {
  name: string;
  raw: Record<string, unknown>;
  /** Also run under the by-region partition. */
  byRegion?: boolean;
  /** Sanity: the run did real work, so equal outcomes are not equal because both are empty. */
  nonTrivial: (r: Result) => void;
}

const gossipNonTrivial = (r: Result): void => {
  for (const m of r.messages!) expect(m.coverage).toBeGreaterThan(0.9);
};

const cases: Case[] = [
  {
    name: 'flood, random-regular, constant latency (equal times everywhere)',
    raw: { seed: 3, nodes: 4000, topology: { kind: 'random-regular', degree: 8 }, latency: { kind: 'constant', ms: 50 }, protocol: { kind: 'flood' }, workload: { count: 3, startMs: 0 } },
    nonTrivial: gossipNonTrivial,
  },
  {
    name: 'diffusion, random-regular, uniform latency 20-80 ms',
    raw: { seed: 5, nodes: 3000, topology: { kind: 'random-regular', degree: 8 }, latency: { kind: 'uniform', minMs: 20, maxMs: 80 }, protocol: { kind: 'diffusion', meanDelayMs: 200 }, workload: { count: 2 } },
    nonTrivial: gossipNonTrivial,
  },
  {
    name: 'diffusion, bitcoin topology, regions bitcoin-2019 uniform jitter',
    raw: { seed: 8, nodes: 3000, topology: { kind: 'bitcoin' }, latency: { kind: 'regions', preset: 'bitcoin-2019', distribution: 'uniform', jitter: 0.1 }, protocol: { kind: 'diffusion', meanDelayMs: 200 }, workload: { count: 1 } },
    byRegion: true,
    nonTrivial: gossipNonTrivial,
  },
  {
    name: 'flood, bitcoin topology, regions bitcoin-2019 pareto',
    raw: { seed: 9, nodes: 3000, topology: { kind: 'bitcoin' }, latency: { kind: 'regions', preset: 'bitcoin-2019', distribution: 'pareto' }, protocol: { kind: 'flood', relayDelayMs: 1 }, workload: { count: 2 } },
    byRegion: true,
    nonTrivial: gossipNonTrivial,
  },
  {
    name: 'Poisson stream of messages, erdos-renyi, sizeBytes and bandwidth',
    raw: {
      seed: 42, nodes: 3000, topology: { kind: 'erdos-renyi', meanDegree: 8 }, latency: { kind: 'uniform', minMs: 20, maxMs: 80 },
      bandwidth: { uploadMbps: 10, downloadMbps: 50 }, protocol: { kind: 'diffusion', meanDelayMs: 300 },
      workload: { count: 8, ratePerSecond: 2, sizeBytes: 500 },
    },
    nonTrivial: (r) => {
      // An erdos-renyi graph with mean degree 8 has a few isolated nodes, so coverage is just under 1.
      for (const m of r.messages!) expect(m.coverage).toBeGreaterThan(0.99);
      expect(new Set(r.messages!.map((m) => m.createdMs)).size).toBe(8);
    },
  },
  {
    name: 'PHOLD, 512 LPs, end 50',
    raw: { model: 'phold', lps: 512, end: 50 },
    nonTrivial: (r) => expect(r.phold!.committed).toBeGreaterThan(0),
  },
];

describe('determinism across worker counts, runs and partitions', () => {
  for (const c of cases) {
    it(c.name, { timeout: TIMEOUT }, async () => {
      const base = await run(c.raw, 1);
      c.nonTrivial(base);
      expect(base.digest).toMatch(/^[0-9a-f]{64}$/);
      for (const workers of [2, 3]) expectSameOutcome(base, await run(c.raw, workers), `${workers} workers`);
      expectSameOutcome(base, await run(c.raw, 2), 'repeated run, 2 workers');
      // Strided: 2 and 4 workers take the arithmetic id mapping, 3 the lookup tables.
      for (const workers of [2, 3, 4]) {
        const r = await run(c.raw, workers, 'strided');
        expect(r.partition).toBe('strided');
        expectSameOutcome(base, r, `strided, ${workers} workers`);
      }
      if (c.byRegion) {
        for (const workers of [2, 3]) {
          const r = await run(c.raw, workers, 'by-region');
          expect(r.partition).toBe('by-region');
          expectSameOutcome(base, r, `by-region, ${workers} workers`);
        }
      }
      const seed = (c.raw.seed as number | undefined) ?? 42;
      const other = await run({ ...c.raw, seed: seed + 1 }, 1);
      expect(other.digest).not.toBe(base.digest);
    });
  }
});

// A shard whose outbox to another shard runs low stops its window early (shard.ts, takeOutRecord), and a
// run of sends then continues in the next window's outbox. Real runs cut windows only at 10^5+ nodes,
// so small outboxes force it here, on ties (constant latency) and on distinct times.
describe('windows cut short by full outboxes', () => {
  const floods = [cases[0]!, cases[3]!];
  for (const c of floods) {
    it(c.name, { timeout: TIMEOUT }, async () => {
      const base = await run(c.raw, 1);
      for (const workers of [2, 3]) {
        const r = await run(c.raw, workers, 'contiguous', 1);
        const cut = r.profile.shards.reduce((n, s) => n + s.cutWindows, 0);
        expect(cut, `${workers} workers: windows cut`).toBeGreaterThan(0);
        expectSameOutcome(base, r, `${workers} workers, small outboxes`);
      }
    });
  }
});
