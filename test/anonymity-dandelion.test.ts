// Dandelion and Dandelion++ against spies, on cases worked out by hand.
//
// 1. Dandelion on a ring with successor "next-id": the stem is the directed line v -> v + 1 (mod n), and
//    when it turns to fluff, the fluffing node sends to every neighbour but its stem predecessor, that is
//    only forward; so does every node after it. Every copy travels forward, so the nodes after the origin
//    s first hear it in the order s + 1, s + 2, ..., and the first spy to receive anything is the first
//    spy s + j after s, from s + j - 1 (its first copy can come from nowhere else). The first-spy guess
//    is right exactly when s + 1 is a spy (j = 1): recall is the share of counted broadcasts whose
//    origin's successor is a spy, exactly, whatever q; about p when spies are a random fraction p.
//    (A stem that went all the way round, (1 - q)^(n - 1) = 0.8^199 here, would change that; it cannot
//    happen in practice.) Precision follows from the same guesses: recomputed here from the per-message
//    guesses with the papers' definition.
// 2. Black holes: spies that drop stems. Under Dandelion a stem that reaches a spy dies (no fail-safe):
//    with 30 % spies and q = 0.1 the stem's first hop alone is a spy about 30 % of the time, and then the
//    broadcast reaches its origin only. Under Dandelion++ the embargo timers fluff every stem that died,
//    and every node gets every broadcast.
import { describe, expect, it } from 'vitest';
import type { Result } from '../src/result.js';

const { runScenario } = (await import('../dist/src/run.js' as string)) as typeof import('../src/run.js');
const { parseScenario } = (await import('../dist/src/scenario/load.js' as string)) as typeof import('../src/scenario/load.js');
const { adversaryMask } = (await import('../dist/src/models/gossip/adversary.js' as string)) as typeof import('../src/models/gossip/adversary.js');

const TIMEOUT = 120_000;

async function run(raw: object, workers = 1): Promise<Result> {
  return runScenario(parseScenario(raw), { workers, assignment: 'contiguous', baseDir: '.' });
}

describe('Dandelion against spies', () => {
  it('on a ring (the line of the paper), first-spy is right exactly when the first stem hop is a spy', async () => {
    const n = 200;
    const seed = 8;
    const adversary = { kind: 'spies', fraction: 0.15, select: 'random', guesses: true } as const;
    for (const workers of [1, 3]) {
      const r = await run({
        nodes: n, seed, topology: { kind: 'ring', k: 1 }, latency: { kind: 'uniform', minMs: 20, maxMs: 80 },
        protocol: { kind: 'dandelion', q: 0.2, successor: 'next-id', meanDelayMs: 500 }, workload: { count: 3000, ratePerSecond: 50 },
        durationMs: 600_000, adversary,
      }, workers);
      const spy = adversaryMask({ ...adversary, blackHole: false }, n, n, seed, new Int32Array(0));
      const a = r.anonymity!;
      let counted = 0;
      let firstHopSpy = 0;
      const guessed = new Map<number, number>();
      const right = new Map<number, number>();
      const origins = new Set<number>();
      for (const g of a.guesses!) {
        expect(spy[g.origin]).toBe(0);
        counted++;
        if (spy[(g.origin + 1) % n]) firstHopSpy++;
        // The guess is the first spy's predecessor on the line.
        let j = 1;
        while (!spy[(g.origin + j) % n]) j++;
        expect(g.guesses[0]).toBe((g.origin + j - 1) % n);
        origins.add(g.origin);
        guessed.set(g.guesses[0]!, (guessed.get(g.guesses[0]!) ?? 0) + 1);
        if (g.guesses[0] === g.origin) right.set(g.origin, (right.get(g.origin) ?? 0) + 1);
      }
      let precision = 0;
      for (const [v, c] of right) precision += c / guessed.get(v)!;
      precision /= origins.size;
      const [firstSpy, firstStem] = a.estimators;
      expect(firstSpy!.messages).toBe(counted);
      expect(firstSpy!.recall).toBe(firstHopSpy / counted);
      expect(firstSpy!.precision).toBeCloseTo(precision, 12);
      // Every first spy receipt here is a stem copy or a fluff copy from the same predecessor: same guess.
      expect(firstStem!.recall).toBe(firstSpy!.recall);
      // And about p: 30 spies of 200, a successor is a spy with probability 30/199 for an honest origin.
      expect(Math.abs(firstSpy!.recall - 30 / 199)).toBeLessThan(0.05);
      expect(firstSpy!.recallCi95[0]).toBeLessThan(firstSpy!.recall);
      expect(firstSpy!.recallCi95[1]).toBeGreaterThan(firstSpy!.recall);
    }
  }, TIMEOUT);

  it('black-hole spies: a Dandelion stem dies at the first spy; Dandelion++ embargo timers still reach every honest node', async () => {
    const base = {
      nodes: 300, seed: 4, topology: { kind: 'random-regular', degree: 8 }, latency: { kind: 'uniform', minMs: 20, maxMs: 80 },
      workload: { count: 60, ratePerSecond: 1 }, durationMs: 300_000, adversary: { kind: 'spies', fraction: 0.3, blackHole: true },
    };
    // Spies drop stems only: the fluff that an embargo timer starts reaches them too, so every node.
    const plus = await run({ ...base, protocol: { kind: 'dandelion++', q: 0.1, embargoMeanMs: 5000 } });
    for (const m of plus.messages!) expect(m.coverage).toBe(1);
    const plain = await run({ ...base, protocol: { kind: 'dandelion', q: 0.1 } });
    // Under Dandelion, a broadcast whose stem met a spy spread no further than its stem.
    const stuck = plain.messages!.filter((m) => m.coverage < 0.5).length;
    expect(stuck).toBeGreaterThan(10);
  }, TIMEOUT);
});
