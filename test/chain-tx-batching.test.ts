// Transaction invs are batched per timer tick: each tick one inv per peer, with everything queued for it
// (tx-relay.ts). Two nodes have one connection, so the node it is inbound to has one inbound timer
// whether inbound connections share it or not.
//
// Two linked nodes, transactions at rate λ with uniform origins: each direction d of the link sees its
// own transactions at λ/2 and has its timer's mean m_d (2 s one way, 5 s the other). The timer is armed
// by the first transaction queued and fires Exp(m_d) later, announcing all queued; the next cycle
// starts with the next transaction, Exp(2/λ) later (memoryless). So invs on direction d form a renewal
// process with cycle mean μ = 2/λ + m_d and variance σ² = (2/λ)² + m_d²: over a time T, about T/μ
// invs with variance T σ²/μ³ (the renewal central limit theorem) — where one inv per transaction
// would give λT/2.
import { describe, expect, it } from 'vitest';
import type { Result } from '../src/result.js';
import { mulberry32 } from './mulberry32.js';

const { runScenario } = (await import('../dist/src/run.js' as string)) as typeof import('../src/run.js');
const { parseScenario } = (await import('../dist/src/scenario/load.js' as string)) as typeof import('../src/scenario/load.js');

const TIMEOUT = 120_000;
const L = 50;
const MEANS = [2000, 5000];

function twoNodes(rate: number, count: number, extra: object = {}): object {
  return {
    seed: 9,
    nodes: 2,
    topology: { kind: 'bitcoin', outbound: 1 },
    latency: { kind: 'constant', ms: L },
    chain: { blocks: 1, blockSizeBytes: 0, miners: { shares: [1] } },
    relay: { kind: 'inv-getdata' },
    transactions: { ratePerSecond: rate, count, sizeBytes: 0, ...extra },
    durationMs: 1e9,
  };
}

async function run(raw: object, workers = 1): Promise<Result> {
  return runScenario(parseScenario(raw), { workers, assignment: 'contiguous', baseDir: '.' });
}

/**
 * The two-node process written out on its own: per direction a lazily armed Poisson timer, delay =
 * tick − creation + 3 L. Returns the mean delay of one run of `count` transactions.
 */
function monteCarloMeanDelay(rate: number, count: number, rand: () => number): number {
  const exp = (mean: number) => -Math.log(1 - rand()) * mean;
  const fire = [-1, -1]; // pending tick per direction, -1 when unarmed
  let t = 0;
  let sum = 0;
  for (let k = 0; k < count; k++) {
    t += exp(1000 / rate);
    const d = rand() < 0.5 ? 0 : 1;
    if (fire[d]! < t) fire[d] = t + exp(MEANS[d]!); // unarmed (or fired before t): arm on this one
    sum += fire[d]! - t + 3 * L;
  }
  return sum / count;
}

describe('transaction invs batched per connection', () => {
  it('invs follow the renewal count of two lazily armed Poisson timers, far below one per transaction', { timeout: TIMEOUT }, async () => {
    const rate = 10;
    const count = 20_000;
    const c = (await run(twoNodes(rate, count))).chain!;
    expect(c.transactions!.meanCoverage).toBe(1);
    // Over the span of creation T ≈ count / λ; T's own spread (sd √count / λ) adds (Σ 1/μ_d)² var(T).
    const T = count / rate;
    const gap = 2000 / rate;
    let expected = 0;
    let variance = 0;
    let perT = 0;
    for (const m of MEANS) {
      const mu = gap + m;
      expected += T * 1000 / mu;
      variance += (T * 1000 * (gap ** 2 + m ** 2)) / mu ** 3;
      perT += 1000 / mu;
    }
    variance += perT ** 2 * (count / rate ** 2);
    // Per direction at most one tick is still pending when the last transaction is created: +2 at most.
    expect(Math.abs(c.traffic.transactionInvs - expected)).toBeLessThan(4 * Math.sqrt(variance) + 2);
    // One inv per transaction would have been `count`: here about one per 8.
    expect(c.traffic.transactionInvs).toBeLessThan(count / 6);
  });

  it('a batch keeps each transaction\'s delay: mean = mean of the two timers + 3 latencies, sd of the mean from a separate Monte Carlo', { timeout: TIMEOUT }, async () => {
    // The delays of the transactions in one inv share its tick, so they are correlated and the sample
    // mean varies more than independent draws would: its sd comes from replications of the process.
    const rate = 10;
    const count = 4000;
    const c = (await run(twoNodes(rate, count))).chain!;
    const rand = mulberry32(1234);
    const means = Array.from({ length: 200 }, () => monteCarloMeanDelay(rate, count, rand));
    const mcMean = means.reduce((a, b) => a + b, 0) / means.length;
    const sd = Math.sqrt(means.reduce((a, b) => a + (b - mcMean) ** 2, 0) / (means.length - 1));
    const analytic = (MEANS[0]! + MEANS[1]!) / 2 + 3 * L;
    // The Monte Carlo itself agrees with the analytic mean (its own error: sd / √200).
    expect(Math.abs(mcMean - analytic)).toBeLessThan((4 * sd) / Math.sqrt(means.length));
    expect(Math.abs(c.transactions!.meanDelayMs! - analytic)).toBeLessThan(4 * sd);
  });

  it('maxPerInv 1: every transaction takes an inv of its own, and waits in the queue for it', { timeout: TIMEOUT }, async () => {
    const count = 2000;
    const capped = (await run(twoNodes(10, count, { maxPerInv: 1 }))).chain!;
    const free = (await run(twoNodes(10, count))).chain!;
    expect(capped.transactions!.meanCoverage).toBe(1);
    // Each transaction is announced once (the receiver's only peer is its sender): exactly one inv each.
    expect(capped.traffic.transactionInvs).toBe(count);
    // Five transactions a second each way against one tick per 2 s or 5 s: the queue grows.
    expect(capped.transactions!.meanDelayMs!).toBeGreaterThan(2 * free.transactions!.meanDelayMs!);
  });

  it.each(['shared', 'per-peer'])('under churn, peer maintenance and loss the run is the same at 1, 2 and 3 workers (%s inbound timer)', { timeout: TIMEOUT }, async (inboundTimer) => {
    const raw = {
      seed: 31,
      nodes: 300,
      topology: { kind: 'bitcoin', outbound: 6 },
      latency: { kind: 'regions', preset: 'bitcoin-2019' },
      bandwidth: { preset: 'bitcoin-2019' },
      chain: { blockIntervalS: 20, blocks: 6, miners: { count: 10 } },
      transactions: { ratePerSecond: 20, count: 600, sizeBytes: 300, maxPerInv: 7, inboundTimer },
      faults: [
        { kind: 'churn', share: 0.3, session: { kind: 'exponential', meanMs: 20_000 }, downtime: { kind: 'exponential', meanMs: 5_000 } },
        { kind: 'loss', rate: 0.05 },
      ],
      durationMs: 200_000,
    };
    const one = await run(raw, 1);
    expect(one.chain!.traffic.transactionInvs).toBeGreaterThan(0);
    expect(one.chain!.transactions!.meanCoverage).toBeGreaterThan(0.5);
    for (const w of [2, 3]) {
      const r = await run(raw, w);
      expect(r.digest).toBe(one.digest);
      expect(r.events).toBe(one.events);
      expect(r.chain).toEqual(one.chain);
    }
  });
});
