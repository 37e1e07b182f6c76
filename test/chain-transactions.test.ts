// Transaction relay: diffusion with Bitcoin Core's Poisson inv timers. Between two linked nodes a
// transaction waits Exp(mean) before its inv, where the mean is 2 s towards a peer the sender opened
// the connection to (outbound) and 5 s towards one that opened it (inbound); then inv, getdata and the
// transaction itself each take the latency L. Origins are uniform, so half the transactions go each way:
// mean delay = (2000 + 5000) / 2 + 3 L.
import { describe, expect, it } from 'vitest';

const { runScenario } = (await import('../dist/src/run.js' as string)) as typeof import('../src/run.js');
const { parseScenario } = (await import('../dist/src/scenario/load.js' as string)) as typeof import('../src/scenario/load.js');

const TIMEOUT = 60_000;
const L = 50;

describe('transactions', () => {
  it('two linked nodes: mean delay = mean of the two inv timers + 3 latencies, all delivered', { timeout: TIMEOUT }, async () => {
    const count = 4000;
    const raw = {
      seed: 4,
      nodes: 2,
      topology: { kind: 'bitcoin', outbound: 1 },
      latency: { kind: 'constant', ms: L },
      chain: { blocks: 1, blockSizeBytes: 0, miners: { shares: [1] } },
      relay: { kind: 'inv-getdata' },
      transactions: { ratePerSecond: 10, count, sizeBytes: 0 },
      durationMs: 1e9,
    };
    const r = await runScenario(parseScenario(raw), { workers: 1, assignment: 'contiguous', baseDir: '.' });
    const tx = r.chain!.transactions!;
    expect(tx.count).toBe(count);
    expect(tx.meanCoverage).toBe(1);
    // The delay is a 50/50 mixture of Exp(2000) and Exp(5000), shifted by 3 L: its variance, over the
    // origins' own coin flips too, is E[X^2] - E[X]^2 = (2 * 2000^2 + 2 * 5000^2) / 2 - 3500^2.
    const mean = (2000 + 5000) / 2 + 3 * L;
    const sd = Math.sqrt((2 * 2000 ** 2 + 2 * 5000 ** 2) / 2 - 3500 ** 2);
    expect(Math.abs(tx.meanDelayMs! - mean)).toBeLessThan((4 * sd) / Math.sqrt(count));
  });

  it('spread over a network, with bytes through the upload queues, every transaction reaches every node', { timeout: TIMEOUT }, async () => {
    const raw = {
      seed: 4,
      nodes: 300,
      topology: { kind: 'bitcoin', outbound: 8 },
      latency: { kind: 'regions', preset: 'bitcoin-2019' },
      bandwidth: { preset: 'bitcoin-2019' },
      chain: { blockIntervalS: 30, blocks: 3, miners: { count: 10 } },
      transactions: { ratePerSecond: 5, count: 300, sizeBytes: 500 },
      durationMs: 1e9,
    };
    const c = (await runScenario(parseScenario(raw), { workers: 2, assignment: 'contiguous', baseDir: '.' })).chain!;
    expect(c.transactions!.meanCoverage).toBe(1);
    expect(c.traffic.transactionBytes).toBe(300 * 299 * 500);
    expect(c.blocks.every((b) => b.coverage === 1)).toBe(true);
  });

  it('with 20 % of messages lost, an unanswered getdata is asked again: every transaction still arrives where it was announced', { timeout: TIMEOUT }, async () => {
    const raw = {
      seed: 6,
      nodes: 300,
      topology: { kind: 'random-regular', degree: 8 },
      latency: { kind: 'constant', ms: 40 },
      chain: { blockIntervalS: 600, blocks: 1, blockSizeBytes: 0, miners: { shares: [1] } },
      relay: { kind: 'inv-getdata', timeoutMs: 1000 },
      transactions: { ratePerSecond: 20, count: 300, sizeBytes: 300 },
      faults: [{ kind: 'loss', rate: 0.2 }],
      durationMs: 1e9,
    };
    const c = (await runScenario(parseScenario(raw), { workers: 2, assignment: 'contiguous', baseDir: '.' })).chain!;
    // A node misses a transaction only if every announcement to it is lost: about 0.2^8 of 90,000
    // (transaction, node) pairs, well under one. Without the retry, a fifth of the getdata and a fifth
    // of the replies would be lost for good: a third of all transfers.
    expect(c.transactions!.meanCoverage).toBeGreaterThan(0.999);
  });
});
