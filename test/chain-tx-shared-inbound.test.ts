// A node's inbound connections share one inv timer, as in Bitcoin Core (NextInvToInbounds); with
// `inboundTimer: "per-peer"` each has its own (tx-relay.ts).
//
// A hub and k leaves that each opened their connection to it, so all k are inbound at the hub; the hub
// creates one transaction every 100 s. The leaves got it from the hub, their only peer, so they never
// tick. A spy holding the k leaves first sees each transaction after the earliest of the timers that
// announce it to them: the shared timer's Exp(m), mean m, where k timers of its own give the minimum
// of k Exp(m), mean m / k. That is why Core shares it.
import { describe, expect, it } from 'vitest';
import type { Context, Tap } from '../src/engine/model.js';
import { Shard } from '../src/engine/shard.js';
import { compileChain } from '../src/models/chain/plan.js';
import type { ChainScenario } from '../src/models/chain/schema.js';
import { shard as chainShard } from '../src/models/chain/shard.js';
import { TXINV, TXTICK } from '../src/models/chain/tx-relay.js';
import { parseScenario } from '../src/scenario/load.js';
import { hubInit } from './one-shard.js';

const K = 8;
const N = K + 1;
const COUNT = 400;
const GAP_MS = 100_000;
const INBOUND_MS = 5000;

/** The inv timers and the invs, as (node, time) and (from, to, time). */
class Invs implements Tap {
  readonly ticks: [number, number][] = [];
  readonly invs: [number, number, number][] = [];
  timer(ctx: Context, kind: number): void {
    if (kind === TXTICK) this.ticks.push([ctx.self, ctx.now]);
  }
  sent(ctx: Context, to: number, kind: number): void {
    if (kind === TXINV) this.invs.push([ctx.self, to, ctx.now]);
  }
  outcome() {
    return { perNode: {}, totals: {} };
  }
}

function run(inboundTimer: 'shared' | 'per-peer'): { tap: Invs; createdMs: readonly number[] } {
  const durationMs = COUNT * GAP_MS + 60_000;
  const plan = compileChain(parseScenario({
    seed: 3,
    nodes: N,
    topology: { kind: 'bitcoin', outbound: 1 },
    latency: { kind: 'constant', ms: 50 },
    chain: { blocks: 1, blockSizeBytes: 0, miners: { shares: [1] } },
    relay: { kind: 'inv-getdata' },
    transactions: { sent: Array.from({ length: COUNT }, (_, i) => ({ atMs: 1000 + i * GAP_MS, origin: 0 })), sizeBytes: 0, inboundMeanMs: INBOUND_MS, inboundTimer },
    durationMs,
  }) as ChainScenario);
  const parts = chainShard(plan, Int32Array.from({ length: N }, (_, v) => v), new Uint8Array(N));
  const tap = new Invs();
  const shard = new Shard(hubInit(K, durationMs, 3), { ...parts, faults: null, taps: [tap] });
  shard.start();
  shard.run();
  return { tap, createdMs: plan.transactions!.createdMs };
}

/** Per transaction, the first time the hub sent an inv to any leaf at or after its creation. */
function firstSeen(invs: readonly [number, number, number][], createdMs: readonly number[]): number[] {
  const times = invs.filter(([from]) => from === 0).map(([, , t]) => t);
  return createdMs.map((c) => Math.min(...times.filter((t) => t >= c)) - c);
}

const mean = (xs: readonly number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;

describe('inbound connections share one inv timer', () => {
  it('shared: one hub tick per transaction, each sending to all k leaves at once; a spy on the k leaves sees it after Exp(m)', () => {
    const { tap, createdMs } = run('shared');
    expect(tap.ticks.every(([node]) => node === 0)).toBe(true);
    expect(tap.ticks.length).toBe(COUNT);
    for (const [, t] of tap.ticks) {
      const at = tap.invs.filter(([from, , s]) => from === 0 && s === t).map(([, to]) => to).sort((a, b) => a - b);
      expect(at).toEqual(Array.from({ length: K }, (_, i) => i + 1));
    }
    expect(tap.invs.length).toBe(K * COUNT);
    // Exp(m): sd m, so the mean of COUNT draws is within 4 m / √COUNT of m.
    expect(Math.abs(mean(firstSeen(tap.invs, createdMs)) - INBOUND_MS)).toBeLessThan((4 * INBOUND_MS) / Math.sqrt(COUNT));
  });

  it('per-peer: k hub ticks per transaction at k distinct times; the spy sees it after the minimum of k Exp(m), mean m / k', () => {
    const { tap, createdMs } = run('per-peer');
    expect(tap.ticks.every(([node]) => node === 0)).toBe(true);
    expect(tap.ticks.length).toBe(K * COUNT);
    expect(tap.invs.length).toBe(K * COUNT);
    expect(new Set(tap.invs.map(([, , t]) => t)).size).toBe(K * COUNT);
    // The minimum of k Exp(m) is Exp(m / k): mean and sd m / k.
    const m = INBOUND_MS / K;
    expect(Math.abs(mean(firstSeen(tap.invs, createdMs)) - m)).toBeLessThan((4 * m) / Math.sqrt(COUNT));
  });
});
