// Per-node heterogeneity (docs/scenario.md, "Heterogeneity"): arrival times on a 3-node path computed
// by hand from each node's own bandwidth, validation time and processing delay; the same result at 1, 2
// and 3 workers; no heterogeneity section, or one at its defaults, changes nothing; the draws follow the
// measured tables; the scenario rules.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
const { InputError } = (await import('../dist/src/errors.js' as string)) as typeof import('../src/errors.js');
import type { Result } from '../src/result.js';

const { runScenario } = (await import('../dist/src/run.js' as string)) as typeof import('../src/run.js');
const { parseScenario } = (await import('../dist/src/scenario/load.js' as string)) as typeof import('../src/scenario/load.js');
const traits = (await import('../dist/src/network/node-traits.js' as string)) as typeof import('../src/network/node-traits.js');
const { compileChain } = (await import('../dist/src/models/chain/plan.js' as string)) as typeof import('../src/models/chain/plan.js');

const TIMEOUT = 120_000;
const dir = mkdtempSync(join(tmpdir(), 'p2psim-hetero-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
writeFileSync(join(dir, 'path.txt'), '0 1\n1 2\n');
writeFileSync(join(dir, 'star.txt'), '0 1\n0 2\n');

const L = 50;
const SIZE = 100_000;
const VERIFY_MS = 10;
const VERIFY_PER_MB = 100;
const PROCESSING_MS = 2;
// Seed 5 makes node 1 (only) slow at share 0.5: the path crosses both classes.
const heterogeneity = {
  bandwidth: 'lognormal',
  bandwidthSigma: 0.8,
  speedSigma: 0.4,
  verifyMsPerMB: VERIFY_PER_MB,
  slow: { share: 0.5, bandwidthFactor: 0.25, speedFactor: 3 },
};

function pathScenario(relay: string, seed = 5): object {
  return {
    seed,
    nodes: 3,
    topology: { kind: 'edge-list', file: 'path.txt' },
    latency: { kind: 'constant', ms: L },
    bandwidth: { uploadMbps: 8, downloadMbps: 16 },
    heterogeneity,
    chain: { blocks: 1, blockSizeBytes: SIZE, verifyMs: VERIFY_MS, miners: { shares: [1], nodes: [0] } },
    relay: { kind: relay, processingMs: PROCESSING_MS },
    durationMs: 1e9,
  };
}

async function receipts(raw: object, workers = 1): Promise<number[]> {
  const r: Result = await runScenario(parseScenario(raw), { workers, assignment: 'contiguous', baseDir: dir, keepPerNode: true });
  return Array.from(r.perNode!.recvMs!.subarray(0, 3));
}

describe('a block on the path 0 - 1 - 2 with per-node bandwidth, validation and processing', () => {
  // Each node's traits, as the run draws them (pure functions of seed and node).
  const plan = compileChain(parseScenario(pathScenario('unsolicited')) as Parameters<typeof compileChain>[0]);
  const t = plan.traits!;
  const up = [0, 1, 2].map((v) => traits.nodeMbps(t, 'upload', v, 0, 8));
  const down = [0, 1, 2].map((v) => traits.nodeMbps(t, 'download', v, 0, 16));
  const speed = [0, 1, 2].map((v) => traits.speedFactor(t, v));
  // Bytes / (Mbps × 1000) = ms; the narrower of the sender's upload and the receiver's download.
  const transfer = (a: number, b: number) => (SIZE * 8) / (Math.min(up[a]!, down[b]!) * 1000);
  const verify = (v: number) => (VERIFY_MS + (VERIFY_PER_MB * SIZE) / 1e6) * speed[v]!;
  const processing = (v: number) => PROCESSING_MS * speed[v]!;

  it('draws distinct traits, and node 1 is the slow one', () => {
    expect([0, 1, 2].map((v) => traits.isSlow(t, v))).toEqual([false, true, false]);
    expect(new Set(up).size).toBe(3);
    // The slow factor is applied on top of the lognormal draw.
    const unslowed = { ...t, slowShare: 0 };
    expect(traits.nodeMbps(t, 'upload', 1, 0, 8)).toBeCloseTo(traits.nodeMbps(unslowed, 'upload', 1, 0, 8) * 0.25, 4);
    expect(traits.speedFactor(t, 1)).toBeCloseTo(traits.speedFactor(unslowed, 1) * 3, 12);
  });

  it('unsolicited: each hop is processing + latency + transfer, and a relay waits for validation', { timeout: TIMEOUT }, async () => {
    // Node 0 mines (no validation of its own block) and pushes it to 1; node 1 validates, then pushes to 2.
    const at1 = processing(0) + L + transfer(0, 1);
    const at2 = at1 + verify(1) + processing(1) + L + transfer(1, 2);
    const got = await receipts(pathScenario('unsolicited'));
    expect(got[0]).toBe(0);
    expect(got[1]).toBeCloseTo(at1, 3);
    expect(got[2]).toBeCloseTo(at2, 3);
  });

  it('inv-getdata: inv and getdata cost a latency each, the block processing + latency + transfer', { timeout: TIMEOUT }, async () => {
    const at1 = L + L + processing(0) + L + transfer(0, 1);
    const at2 = at1 + verify(1) + L + L + processing(1) + L + transfer(1, 2);
    const got = await receipts(pathScenario('inv-getdata'));
    expect(got[1]).toBeCloseTo(at1, 3);
    expect(got[2]).toBeCloseTo(at2, 3);
  });

  it('gives the same times at 2 and 3 workers', { timeout: TIMEOUT }, async () => {
    const one = await receipts(pathScenario('inv-getdata'));
    expect(await receipts(pathScenario('inv-getdata'), 2)).toEqual(one);
    expect(await receipts(pathScenario('inv-getdata'), 3)).toEqual(one);
  });
});

// Node 0 pushes its block to node 1, whose download is far below node 0's upload, then to node 2. How
// long the first upload holds node 0 (relay.uploadBusy) decides when the second starts: until the last
// byte reaches node 1 at node 1's rate (transfer), for node 0's own upload time only (upload), or until
// the block has arrived (delivery).
describe('a block pushed to a slow receiver and then a fast one: how long the upload holds the sender', () => {
  const star = (seed: number, uploadBusy: string) => ({
    seed, nodes: 3, topology: { kind: 'edge-list', file: 'star.txt' }, latency: { kind: 'constant', ms: L },
    bandwidth: { uploadMbps: 8, downloadMbps: 16 }, heterogeneity: { bandwidth: 'lognormal', bandwidthSigma: 1 },
    chain: { blocks: 1, blockSizeBytes: SIZE, miners: { shares: [1], nodes: [0] } },
    relay: { kind: 'unsolicited', processingMs: PROCESSING_MS, uploadBusy }, durationMs: 1e9,
  });
  const drawn = (seed: number) => {
    const t = compileChain(parseScenario(star(seed, 'transfer')) as Parameters<typeof compileChain>[0]).traits!;
    return { up0: traits.nodeMbps(t, 'upload', 0, 0, 8), down: [1, 2].map((v) => traits.nodeMbps(t, 'download', v, 0, 16)) };
  };
  // The first seed whose draws make the case: node 1 downloads at under half node 0's upload, node 2 faster than it.
  const seed = Array.from({ length: 100 }, (_, k) => k + 1).find((k) => {
    const d = drawn(k);
    return d.down[0]! < d.up0 / 2 && d.down[1]! > d.up0;
  })!;
  const { up0, down } = drawn(seed);
  const ms = (mbps: number) => (SIZE * 8) / (mbps * 1000);
  const at1 = PROCESSING_MS + L + ms(down[0]!);
  // Both pushes are queued at time 0; the second starts when node 0 is free again, after its processing.
  const second = (freeAt: number) => freeAt + PROCESSING_MS + L + ms(up0);

  it.each([
    ['transfer', PROCESSING_MS + ms(down[0]!)],
    ['upload', PROCESSING_MS + ms(up0)],
    ['delivery', at1],
  ])('uploadBusy %s', { timeout: TIMEOUT }, async (uploadBusy, freeAt) => {
    expect(seed).toBeDefined();
    for (const workers of [1, 2]) {
      const got = await receipts(star(seed, uploadBusy as string), workers);
      expect(got[1]).toBeCloseTo(at1, 3);
      expect(got[2]).toBeCloseTo(second(freeAt as number), 3);
    }
  });
});

function network(extra: object = {}): object {
  return {
    seed: 21,
    nodes: 600,
    topology: { kind: 'bitcoin', outbound: 6 },
    latency: { kind: 'regions', preset: 'bitcoin-2015', distribution: 'uniform', jitter: 0.2 },
    bandwidth: { preset: 'bitcoin-2015' },
    chain: { blockIntervalS: 2, blocks: 12, blockSizeBytes: 300_000, miners: { count: 30 } },
    relay: { kind: 'inv-getdata' },
    transactions: { ratePerSecond: 10, count: 60, sizeBytes: 400 },
    durationMs: 1e9,
    ...extra,
  };
}

async function run(raw: object, workers: number): Promise<Result> {
  return runScenario(parseScenario(raw), { workers, assignment: 'contiguous', baseDir: '.' });
}

describe('determinism with heterogeneity on', () => {
  it('the same digest, events and chain statistics (classes included) at 1, 2 and 3 workers', { timeout: TIMEOUT }, async () => {
    // The legacy scenario's relay: the sender held for its own upload time, the next announcer asked after 2 minutes.
    const raw = network({
      heterogeneity: { preset: 'bitcoin-2015', speedSigma: 0.5, slow: { share: 0.1, bandwidthFactor: 0.2, speedFactor: 4 } },
      relay: { kind: 'inv-getdata', uploadBusy: 'upload', timeoutMs: 120_000 },
    });
    const one = await run(raw, 1);
    expect(one.chain!.classes!.map((k) => k.class)).toContain('slow');
    for (const workers of [2, 3]) {
      const other = await run(raw, workers);
      expect(other.digest).toBe(one.digest);
      expect(other.events).toBe(one.events);
      expect(other.chain).toEqual(one.chain);
    }
  });

  it('no section and a section at its defaults give the same digest; the preset changes it', { timeout: TIMEOUT }, async () => {
    const plain = await run(network(), 1);
    const defaults = await run(network({ heterogeneity: {} }), 1);
    expect(defaults.digest).toBe(plain.digest);
    expect(defaults.events).toBe(plain.events);
    expect(plain.chain!.classes).toBeNull();
    expect(defaults.chain!.classes!.length).toBeGreaterThan(0);
    const preset = await run(network({ heterogeneity: { preset: 'bitcoin-2015' } }), 1);
    expect(preset.digest).not.toBe(plain.digest);
  });

  it('slow nodes are later than fast ones', { timeout: TIMEOUT }, async () => {
    const r = await run(network({ heterogeneity: { slow: { share: 0.3, bandwidthFactor: 0.1, speedFactor: 5 } }, chain: { blockIntervalS: 600, blocks: 8, blockSizeBytes: 300_000, miners: { count: 30 } } }), 1);
    const t50 = (cls: string) => {
      const xs = r.chain!.classes!.filter((k) => k.class === cls && k.region === 'EUROPE');
      return xs[0]!.blockT50MsMedian!;
    };
    expect(t50('slow')).toBeGreaterThan(t50('fast'));
    expect(r.chain!.transactions!.t95MsMedian).not.toBeNull();
    expect(r.chain!.blockT99MsMedian!).toBeGreaterThanOrEqual(r.chain!.blockT95MsMedian!);
  });
});

describe('the draws', () => {
  it('empirical: a region\'s node bandwidths follow the measured tables, upload at the 2015 survey\'s own points', () => {
    const plan = compileChain(parseScenario(network({ heterogeneity: { preset: 'bitcoin-2015' } })) as Parameters<typeof compileChain>[0]);
    const t = plan.traits!;
    const n = 20_000;
    for (const dir of ['upload', 'download'] as const) {
      const table = (dir === 'upload' ? t.uploadPercentiles : t.downloadPercentiles)![1]!; // EUROPE
      const xs = Float64Array.from({ length: n }, (_, v) => traits.nodeMbps(t, dir, v, 1, 8.1));
      // The share of nodes below each percentile of the table, within 4 binomial standard errors.
      for (const q of [10, 37, 50, 69, 84, 90]) {
        const below = xs.filter((x) => x < table[q]!).length / n;
        expect(Math.abs(below - q / 100), `${dir} p${q}`).toBeLessThan(4 * Math.sqrt((q / 100) * (1 - q / 100) / n));
      }
    }
    // The survey's figures (bitcoin-dev, 2015-07-23): 10 % under 1 MB in 6 s, 37 % under 1 MB/s, 69 %
    // under 20 MB in 6 s, 84 % under 10 MB/s; in Mbps.
    const upload = t.uploadPercentiles![1]!;
    expect([upload[10], upload[37], upload[69], upload[84]].map((x) => +x!.toFixed(2))).toEqual([1.33, 8, 26.67, 80]);
    expect(t.uploadPercentiles!.every((r) => r === upload)).toBe(true);
    expect(plan.traits!.verifyMsPerMB).toBeCloseTo(379.7, 1);
  });

  it('a CDF given at a few points: percentiles linear in log(value) between them', () => {
    const p = traits.logCdfPercentiles([[1, 0], [100, 0.5], [400, 1]]);
    expect(p.length).toBe(101);
    expect(p[0]).toBeCloseTo(1, 12);
    expect(p[25]).toBeCloseTo(10, 10); // halfway between 1 and 100 in log
    expect(p[50]).toBeCloseTo(100, 10);
    expect(p[75]).toBeCloseTo(200, 10); // halfway between 100 and 400 in log
    expect(p[100]).toBeCloseTo(400, 10);
  });

  it('lognormal: median the region\'s value, σ as given', () => {
    const t = { ...compileChain(parseScenario(network({ heterogeneity: { bandwidth: 'lognormal', bandwidthSigma: 1 } })) as Parameters<typeof compileChain>[0]).traits! };
    const logs = Float64Array.from({ length: 20_000 }, (_, v) => Math.log(traits.nodeMbps(t, 'download', v, 0, 25) / 25)).sort();
    expect(Math.abs(logs[10_000]!)).toBeLessThan(0.03);
    const mean = logs.reduce((a, b) => a + b, 0) / logs.length;
    const sd = Math.sqrt(logs.reduce((a, b) => a + (b - mean) ** 2, 0) / logs.length);
    expect(sd).toBeCloseTo(1, 1);
  });
});

describe('scenario rules', () => {
  function errorOf(raw: object): string {
    try {
      parseScenario(raw);
    } catch (err) {
      expect(err).toBeInstanceOf(InputError);
      return (err as Error).message;
    }
    throw new Error('expected an InputError, got none');
  }
  it.each<[string, object, string]>([
    ['empirical needs the preset', { heterogeneity: { bandwidth: 'empirical' } }, 'heterogeneity.bandwidth: is "empirical" and needs heterogeneity.preset (its tables), got none'],
    ['the preset needs six regions', { heterogeneity: { preset: 'bitcoin-2015' } }, "heterogeneity.preset: needs 6 latency regions (the preset's tables), got latency.kind \"constant\""],
    ['varying bandwidth needs bandwidth', { latency: { kind: 'regions', preset: 'bitcoin-2015' }, heterogeneity: { preset: 'bitcoin-2015' } }, 'heterogeneity.bandwidth: needs a bandwidth section (the per-region values it varies), got "empirical" without one'],
    ['slow bandwidth needs bandwidth', { heterogeneity: { slow: { share: 0.1, bandwidthFactor: 0.5 } } }, 'heterogeneity.slow.bandwidthFactor: needs a bandwidth section, got 0.5 without one'],
    ['speed needs the chain', { heterogeneity: { speedSigma: 0.3 } }, 'heterogeneity.speedSigma: needs a chain section (it scales validation and processing), got 0.3'],
    ['validation needs the chain', { heterogeneity: { verifyMsPerMB: 100 } }, 'heterogeneity.verifyMsPerMB: needs a chain section, got 100'],
    ['slow factor at most 1', { heterogeneity: { slow: { bandwidthFactor: 2 } } }, 'heterogeneity.slow.bandwidthFactor: must be a number <= 1, got 2'],
  ])('%s', (_name, raw, message) => {
    expect(errorOf(raw)).toBe(message);
  });
});
