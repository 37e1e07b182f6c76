// The conservative lookahead (docs/architecture.md, "Synchronization") is the smallest delay any cross-shard message can have, so it
// follows from the latency model's floor: constant ms; uniform minMs; lognormal's minMs (0 by default,
// which is no lookahead at all); for regions, the smallest matrix entry between regions that have nodes
// on different shards, times (1 - jitter) for uniform jitter or minus 5 ms for SimBlock's Pareto.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { Result } from '../src/result.js';

const { runScenario } = (await import('../dist/src/run.js' as string)) as typeof import('../src/run.js');
const { parseScenario } = (await import('../dist/src/scenario/load.js' as string)) as typeof import('../src/scenario/load.js');
const { InputError } = (await import('../dist/src/errors.js' as string)) as typeof import('../src/errors.js');

const ROOT = join(import.meta.dirname, '..');
const TIMEOUT = 60_000;
const dir = mkdtempSync(join(tmpdir(), 'p2psim-lookahead-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function run(raw: object, workers: number): Promise<Result> {
  return runScenario(parseScenario(raw), { workers, assignment: 'contiguous', baseDir: dir, keepPerNode: true });
}

const base = { seed: 4, nodes: 4000, topology: { kind: 'random-regular', degree: 6 }, protocol: { kind: 'flood' }, workload: { origins: [0] } };

/** Every link delay is at least `floor`, so a node reached in h hops was reached no earlier than h x floor. */
function expectHopFloor(r: Result, floor: number): void {
  const { firstMs, hops } = r.perNode as { firstMs: Float64Array; hops: Int32Array };
  let violations = 0;
  for (let v = 0; v < hops.length; v++) if (hops[v]! >= 0 && firstMs[v]! < hops[v]! * floor - 1e-9) violations++;
  expect(violations).toBe(0);
}

describe('lognormal latency', () => {
  const lognormal = { ...base, latency: { kind: 'lognormal', medianMs: 40, sigma: 0.5 } };

  it('without minMs, 2 workers is refused: an InputError naming latency and minMs', { timeout: TIMEOUT }, async () => {
    const err = await run(lognormal, 2).then(
      () => null,
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(InputError);
    expect((err as Error).message).toMatch(/^latency\b/);
    expect((err as Error).message).toContain('minMs');
  });

  it('without minMs, 1 worker runs (no lookahead needed)', { timeout: TIMEOUT }, async () => {
    const r = await run(lognormal, 1);
    expect(r.messages![0]!.coverage).toBe(1);
    expect(r.profile.lookaheadMs).toBeNull();
  });

  it('with minMs 5, 2 workers run with lookahead 5, and no hop is faster than 5 ms', { timeout: TIMEOUT }, async () => {
    const raw = { ...base, latency: { kind: 'lognormal', medianMs: 40, sigma: 0.5, minMs: 5 } };
    const r = await run(raw, 2);
    expect(r.profile.lookaheadMs).toBe(5);
    expect(r.messages![0]!.coverage).toBe(1);
    expectHopFloor(r, 5);
    expect(r.digest).toBe((await run(raw, 1)).digest);
  });
});

describe('lookahead of the other latency models', () => {
  it('constant 50 ms: lookahead 50; one worker: none', { timeout: TIMEOUT }, async () => {
    const raw = { ...base, latency: { kind: 'constant', ms: 50 } };
    expect((await run(raw, 2)).profile.lookaheadMs).toBe(50);
    expect((await run(raw, 1)).profile.lookaheadMs).toBeNull();
  });

  it('uniform 20-80 ms: lookahead 20', { timeout: TIMEOUT }, async () => {
    const r = await run({ ...base, latency: { kind: 'uniform', minMs: 20, maxMs: 80 } }, 2);
    expect(r.profile.lookaheadMs).toBe(20);
    expectHopFloor(r, 20);
  });

  // The bitcoin-2019 preset, read here from the data file itself. With the contiguous partition every
  // populated region has nodes on both shards (regions are shuffled over node ids, and even the smallest
  // region has dozens of the 4000 nodes), so every pair of populated regions crosses shards and the
  // lookahead is taken over the whole matrix restricted to populated regions.
  const params = JSON.parse(readFileSync(join(ROOT, 'data', 'bitcoin-network-params.json'), 'utf8')) as {
    regions: string[];
    node_distribution_by_region: Record<string, Record<string, number>>;
    latency_ms: Record<string, number[][]>;
  };
  const shares = params.regions.map((r) => params.node_distribution_by_region.bitcoin_2019_active![r]!);
  const matrix = params.latency_ms.y2019_active!;
  let minEntry = Infinity;
  for (let a = 0; a < shares.length; a++) {
    for (let b = 0; b < shares.length; b++) if (shares[a]! > 0 && shares[b]! > 0) minEntry = Math.min(minEntry, matrix[a]![b]!);
  }

  it('regions bitcoin-2019, uniform jitter 0.1: lookahead = min(matrix) x 0.9', { timeout: TIMEOUT }, async () => {
    expect(minEntry).toBe(11); // Europe to Europe, per the data file
    const jitter = 0.1;
    const r = await run({ ...base, latency: { kind: 'regions', preset: 'bitcoin-2019', distribution: 'uniform', jitter } }, 2);
    expect(r.profile.lookaheadMs).toBeCloseTo(minEntry * (1 - jitter), 12);
    expectHopFloor(r, minEntry * (1 - jitter));
  });

  it('regions bitcoin-2019, pareto: lookahead = min(matrix) - 5', { timeout: TIMEOUT }, async () => {
    const r = await run({ ...base, latency: { kind: 'regions', preset: 'bitcoin-2019', distribution: 'pareto' } }, 2);
    expect(r.profile.lookaheadMs).toBe(minEntry - 5);
    expectHopFloor(r, minEntry - 5);
  });

  it('PHOLD: the lookahead is the model lookahead', { timeout: TIMEOUT }, async () => {
    const r = await run({ model: 'phold', lps: 256, end: 20, mean: 1.5, lookahead: 0.25 }, 2);
    expect(r.profile.lookaheadMs).toBe(0.25);
  });
});
