// The joins, bootstrap and IBD fields: bad input is one line naming the field; "add random nodes" and
// "delete random nodes" read as the scenario says (a newcomer is offline until it joins, a crash by
// count removes exactly that many of the nodes present).
import { describe, expect, it } from 'vitest';

const { parseScenario } = (await import('../dist/src/scenario/load.js' as string)) as typeof import('../src/scenario/load.js');
const { compileNetwork, joinTimes } = (await import('../dist/src/scenario/network-plan.js' as string)) as typeof import('../src/scenario/network-plan.js');
const { compileFaults, isOnline } = (await import('../dist/src/faults/schedule.js' as string)) as typeof import('../src/faults/schedule.js');

const base = { nodes: 100, chain: { blockIntervalS: 60 }, durationMs: 600_000 };

function error(extra: object): string {
  try {
    parseScenario({ ...base, ...extra });
  } catch (e) {
    return (e as Error).message;
  }
  return 'no error';
}

describe('joins input', () => {
  it('names the field of a bad entry', () => {
    expect(error({ joins: [{ atMs: 5 }] })).toMatch(/^joins\.0: .*count .*ratePerSecond/);
    expect(error({ joins: [{ count: 5, ratePerSecond: 1, toMs: 10 }] })).toMatch(/^joins\.0\.ratePerSecond:/);
    expect(error({ joins: [{ ratePerSecond: 1 }] })).toMatch(/^joins\.0\.toMs: is required/);
    expect(error({ joins: [{ ratePerSecond: 1, fromMs: 10, toMs: 10 }] })).toMatch(/^joins\.0\.toMs: must be >/);
    expect(error({ joins: [{ count: 0, atMs: 1 }] })).toMatch(/^joins\.0\.count:/);
    expect(error({ bootstrap: { seeds: 2 } })).toMatch(/^bootstrap: needs joins/);
    expect(error({ joins: [{ count: 1 }], bootstrap: { seeds: 101 } })).toMatch(/^bootstrap\.seeds: must be <= nodes/);
    expect(error({ joins: [{ count: 1 }], bootstrap: { seeds: [3, 3] } })).toMatch(/^bootstrap\.seeds\.1: is a duplicate/);
    expect(error({ joins: [{ count: 1 }], peers: { maintain: false } })).toMatch(/^peers\.maintain:/);
    expect(error({ faults: [{ kind: 'crash', select: 'seeds', fraction: 0.5 }] })).toMatch(/^faults\.0\.select: .*needs joins/);
    expect(error({ faults: [{ kind: 'crash', count: 5, fraction: 0.5 }] })).toMatch(/^faults\.0\.count: must not be given with/);
    expect(error({ ibd: { parallel: 0 } })).toMatch(/^ibd\.parallel:/);
    expect(error({ joins: [{ count: 3, atMs: 10 }], chain: { initialHeight: 10 } })).toBe('no error');
    // Crash ids may name newcomers (a crash deletes one), but not past the last of them.
    expect(error({ joins: [{ count: 3, atMs: 10 }], faults: [{ kind: 'crash', select: 'ids', ids: [102], atMs: 20 }] })).toBe('no error');
    expect(error({ joins: [{ count: 3, atMs: 10 }], faults: [{ kind: 'crash', select: 'ids', ids: [5, 103], atMs: 20 }] })).toBe('faults.0.ids.1: must be < 103 (nodes and the newcomers of joins), got 103');
    expect(error({ faults: [{ kind: 'crash', select: 'ids', ids: [100], atMs: 20 }] })).toBe('faults.0.ids.0: must be < nodes (100), got 100');
  });

  it('a count entry adds that many; a rate entry draws a Poisson stream whose count has the right mean', () => {
    expect(joinTimes([{ count: 3, atMs: 50 }, { count: 2, atMs: 10 }], 1, 100, 1000)).toEqual([10, 10, 50, 50, 50]);
    // Entries at or after the end never come online, so they take no room.
    expect(joinTimes([{ count: 3, atMs: 1000 }], 1, 100, 1000)).toEqual([]);
    // 2/s over 100 s: mean 200, sd about 14; the mean of 40 seeds lies within 4 sd / sqrt(40) of 200.
    let total = 0;
    for (let seed = 0; seed < 40; seed++) total += joinTimes([{ ratePerSecond: 2, fromMs: 0, toMs: 100_000 }], seed, 10, 1e9).length;
    expect(Math.abs(total / 40 - 200)).toBeLessThan((4 * Math.sqrt(200)) / Math.sqrt(40));
  });

  it('newcomers are offline until they join; a crash by count deletes that many of the nodes present', () => {
    const s = parseScenario({ ...base, joins: [{ count: 10, atMs: 1000 }, { count: 10, atMs: 5000 }], faults: [{ kind: 'crash', count: 30, atMs: 2000 }] });
    const net = compileNetwork(s as Parameters<typeof compileNetwork>[0]);
    expect(net.nodes).toBe(120);
    expect(net.initialNodes).toBe(100);
    const offsets = new Int32Array(121);
    const f = compileFaults(net.faults, 120, 1, new Uint8Array(120), ['all'], offsets, 600_000, { initial: 100, joinAtMs: net.joinAtMs, seeds: net.bootstrap!.seeds })!;
    expect(isOnline(f, 100, 999)).toBe(false);
    expect(isOnline(f, 100, 1000) || isOnline(f, 100, 3000)).toBe(true);
    expect(isOnline(f, 119, 4999)).toBe(false);
    // At 2,000 ms 110 nodes are present: 30 of them go, and none of the ten not joined yet.
    let gone = 0;
    for (let v = 0; v < 110; v++) if (!isOnline(f, v, 10_000)) gone++;
    expect(gone).toBe(30);
    for (let v = 110; v < 120; v++) expect(isOnline(f, v, 10_000)).toBe(true);
  });
});
