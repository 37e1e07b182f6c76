// Blocks found and transactions sent at set times (`chain.mined` and `transactions.sent`, what the
// visualizer's "mine a block" and "send a transaction" write). Blocks against a race worked out by hand. Path 0 - 1 - 2, constant 50 ms latency, 1,000 bytes/ms, 100,000-byte blocks pushed
// unsolicited: a hop is 150 ms. Miners sit at both ends; the drawn schedule finds nothing in the run.
//   A: miner 0 (node 0) at 1,000 ms; reaches node 1 at 1,150 and node 2 at 1,300.
//   B: miner 1 (node 2) at 1,100 ms, on genesis, before A got there: a fork. Node 1 has A first and
//      keeps it; node 2 keeps its own B when A arrives (first seen wins a tie); node 0 keeps A.
//   C: miner 1 at 2,000 ms on B: height 2, so nodes 1 (2,150) and 0 (2,300) reorganize, one block deep.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

const { runScenario } = (await import('../dist/src/run.js' as string)) as typeof import('../src/run.js');
const { parseScenario } = (await import('../dist/src/scenario/load.js' as string)) as typeof import('../src/scenario/load.js');
const { compileChain } = (await import('../dist/src/models/chain/plan.js' as string)) as typeof import('../src/models/chain/plan.js');

const TIMEOUT = 60_000;
const dir = mkdtempSync(join(tmpdir(), 'p2psim-mined-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
writeFileSync(join(dir, 'path.txt'), '0 1\n1 2\n');

const race = (mined: object[]) => ({
  seed: 3,
  nodes: 3,
  topology: { kind: 'edge-list', file: 'path.txt' },
  latency: { kind: 'constant', ms: 50 },
  bandwidth: { uploadMbps: 8, downloadMbps: 8 },
  // A mean of 10¹² s between drawn blocks: none falls in the 10 s run.
  chain: { blockIntervalS: 1e12, blockSizeBytes: 100_000, miners: { shares: [1, 1], nodes: [0, 2] }, mined },
  relay: { kind: 'unsolicited' },
  durationMs: 10_000,
});
const ABC = [
  { atMs: 2000, miner: 1 },
  { atMs: 1000, miner: 0 },
  { atMs: 1100, miner: 1 },
];

describe('blocks mined at set times', () => {
  it('a race and its resolution, as worked out by hand', { timeout: TIMEOUT }, async () => {
    const r = await runScenario(parseScenario(race(ABC)), { workers: 1, assignment: 'contiguous', baseDir: dir, keepPerNode: true });
    const c = r.chain!;
    // Ids follow creation time, whatever order the file lists them in.
    expect(c.blocks.map((b) => [b.id, b.createdMs, b.miner, b.parent, b.height])).toEqual([
      [1, 1000, 0, 0, 1],
      [2, 1100, 2, 0, 1],
      [3, 2000, 2, 2, 2],
    ]);
    expect(Array.from(r.perNode!.recvMs!)).toEqual([0, 150, 300, 300, 150, 0, 300, 150, 0]);
    expect(Array.from(r.perNode!.tip!)).toEqual([3, 3, 3]);
    expect(c.blocks.map((b) => b.inMainChain)).toEqual([false, true, true]);
    expect(c.forks).toBe(1);
    expect(c.staleRate).toBeCloseTo(1 / 3, 12);
    expect(c.maxReorgDepth).toBe(1);
    // B is in every chain once node 0 takes C at 2,300; C once node 0 has it, 300 ms after it was found.
    expect(c.blocks.map((b) => b.consistencyMs)).toEqual([null, 1200, 300]);
  });

  it('gives the same digest at 2 and 3 workers', { timeout: TIMEOUT }, async () => {
    const digests = new Set<string>();
    for (const workers of [1, 2, 3]) digests.add((await runScenario(parseScenario(race(ABC)), { workers, assignment: 'contiguous', baseDir: dir })).digest);
    expect(digests.size).toBe(1);
  });

  it('adds to the drawn schedule without moving it', () => {
    const drawn = { seed: 7, nodes: 50, chain: { blockIntervalS: 60, miners: { count: 4 } }, durationMs: 3_600_000 };
    const before = compileChain(parseScenario(drawn) as Parameters<typeof compileChain>[0]).chain;
    const set = [{ atMs: 600_000, miner: 3 }, { atMs: before.blockCreatedMs[5]!, miner: before.blockMiner[5]! }];
    const after = compileChain(parseScenario({ ...drawn, chain: { ...drawn.chain, mined: set } }) as Parameters<typeof compileChain>[0]).chain;
    const pairs = (c: typeof before) => c.blockCreatedMs.map((t, x) => `${t}/${c.blockMiner[x]}`);
    const expected = [...pairs(before).slice(1), ...set.map((b) => `${b.atMs}/${b.miner}`)].sort((a, b) => parseFloat(a) - parseFloat(b));
    expect(pairs(after).slice(1).sort((a, b) => parseFloat(a) - parseFloat(b))).toEqual(expected);
    expect(after.blockCreatedMs.length).toBe(before.blockCreatedMs.length + 2);
    // In time order, and a set block at the very time and miner of a drawn one comes after it.
    for (let x = 2; x < after.blockCreatedMs.length; x++) expect(after.blockCreatedMs[x]!).toBeGreaterThanOrEqual(after.blockCreatedMs[x - 1]!);
    const twin = after.blockCreatedMs.findIndex((t, x) => x > 1 && t === after.blockCreatedMs[x - 1]);
    expect(after.blockCreatedMs[twin]).toBe(before.blockCreatedMs[5]);
  });

  it('names the field of a bad set block', () => {
    expect(() => parseScenario(race([{ atMs: 10, miner: 2 }]))).toThrow('chain.mined.0.miner: must be < the number of miners (2), got 2');
    expect(() => parseScenario(race([{ atMs: 10, miner: 0 }, { atMs: 10_000, miner: 0 }]))).toThrow('chain.mined.1.atMs: must be < durationMs (10000), got 10000');
    expect(() => parseScenario(race([{ atMs: -1, miner: 0 }]))).toThrow('chain.mined.0.atMs');
  });
});

// Transactions sent at set times between two linked nodes, alternately from each end: each waits for the
// sender's inv timer towards its peer, Exp(2000 ms) on the connection's outbound side and Exp(5000 ms) on
// its inbound side, then inv, getdata and the transaction take L = 50 ms each. Half from each end: mean
// delay 3500 + 3 L, and the mean of `count` delays has sd sqrt((2000² + 5000²) / 2 / count).
describe('transactions sent at set times', () => {
  const count = 4000;
  const pair = (transactions: object) => ({
    seed: 4, nodes: 2, topology: { kind: 'bitcoin', outbound: 1 }, latency: { kind: 'constant', ms: 50 },
    chain: { blocks: 1, blockSizeBytes: 0, miners: { shares: [1] } }, relay: { kind: 'inv-getdata' },
    transactions: { sizeBytes: 0, ...transactions }, durationMs: 1e9,
  });
  const sent = Array.from({ length: count }, (_, k) => ({ atMs: 1000 + 100 * k, origin: k % 2 }));

  it('each arrives after its inv timer and three latencies: the mean against the analytic one', { timeout: TIMEOUT }, async () => {
    const r = await runScenario(parseScenario(pair({ sent })), { workers: 1, assignment: 'contiguous', baseDir: '.' });
    const tx = r.chain!.transactions!;
    expect(tx.count).toBe(count);
    expect(tx.meanCoverage).toBe(1);
    const sd = Math.sqrt((2000 ** 2 + 5000 ** 2) / 2 / count);
    expect(Math.abs(tx.meanDelayMs! - (3500 + 150))).toBeLessThan(4 * sd);
  });

  it('join the drawn stream in time order without moving it, and give the same digest at 1, 2 and 3 workers', { timeout: TIMEOUT }, async () => {
    const drawn = pair({ ratePerSecond: 2, count: 50 });
    const before = compileChain(parseScenario(drawn) as Parameters<typeof compileChain>[0]).transactions!;
    const extra = [{ atMs: 5000, origin: 1 }, { atMs: before.createdMs[10]!, origin: 0 }];
    const after = compileChain(parseScenario(pair({ ratePerSecond: 2, count: 50, sent: extra })) as Parameters<typeof compileChain>[0]).transactions!;
    const pairs = (t: typeof before) => t.createdMs.map((x, k) => `${x}/${t.origin[k]}`);
    expect(pairs(after)).toEqual([...pairs(before), ...extra.map((x) => `${x.atMs}/${x.origin}`)].sort((a, b) => parseFloat(a) - parseFloat(b)));
    for (let k = 1; k < after.createdMs.length; k++) expect(after.createdMs[k]!).toBeGreaterThanOrEqual(after.createdMs[k - 1]!);
    const digests = new Set<string>();
    for (const workers of [1, 2, 3]) {
      const scenario = { ...race([{ atMs: 1000, miner: 0 }]), transactions: { sent: [{ atMs: 500, origin: 1 }, { atMs: 3000, origin: 2 }] } };
      const r = await runScenario(parseScenario(scenario), { workers, assignment: 'contiguous', baseDir: dir });
      expect(r.chain!.transactions!.meanCoverage).toBe(1);
      digests.add(r.digest + JSON.stringify(r.chain!.transactions));
    }
    expect(digests.size).toBe(1);
  });

  it('names the field of a bad set transaction, and wants a rate or a list', () => {
    expect(() => parseScenario(pair({ sent: [{ atMs: 10, origin: 2 }] }))).toThrow('transactions.sent.0.origin: must be < nodes (2), got 2');
    expect(() => parseScenario({ ...pair({ sent: [{ atMs: 2e9, origin: 0 }] }) })).toThrow('transactions.sent.0.atMs: must be < durationMs (1000000000), got 2000000000');
    expect(() => parseScenario(pair({}))).toThrow('transactions.ratePerSecond: is required (or transactions.sent)');
  });
});

