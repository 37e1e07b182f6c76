// The per-node announcement logs and connection tables of transaction relay (announcers.ts), checked
// against a plain model of the same rules: a Map of connections and an array log per node.
import { describe, expect, it } from 'vitest';
import { Announcers, EMPTY } from '../src/models/chain/announcers.js';
import type { Context } from '../src/engine/model.js';
import { mulberry32 } from './mulberry32.js';

/** Just what `forgetGone` asks of a context: the node, and where a peer is among its current peers. */
function contextOf(local: number, peers: () => number[]): Context {
  return { local, peerIndex: (p: number) => peers().indexOf(p) } as unknown as Context;
}

interface RefConn {
  cursor: number;
  armed: boolean;
}

describe('announcers: per-node logs and connection tables', () => {
  it('keep each open connection, its cursor and its armed flag (and their count), through table growth, closed connections, recovery and log compaction', () => {
    const nodes = 3;
    const a = new Announcers(nodes);
    const rnd = mulberry32(5);
    // Up to 90 peers a node, so tables grow from 32 slots to 256; peers come and go.
    const current: number[][] = [[], [], []];
    const ref = [new Map<number, RefConn>(), new Map<number, RefConn>(), new Map<number, RefConn>()];
    const log: { k: number; from: number }[][] = [[], [], []];
    for (let local = 0; local < nodes; local++) expect(a.open(local)).toBe(true);
    expect(a.open(0)).toBe(false);
    // Mismatches are collected and compared once: an expect per check would make the test slow.
    const wrong: string[] = [];
    const same = (what: string, got: unknown, want: unknown) => {
      if (JSON.stringify(got) !== JSON.stringify(want)) wrong.push(`step ${what}: got ${JSON.stringify(got)}, want ${JSON.stringify(want)}`);
    };
    let recoveries = 0;
    for (let step = 0; step < 12_000; step++) {
      const local = Math.floor(rnd() * nodes);
      const ctx = contextOf(local, () => current[local]!);
      const r = rnd();
      if (r < 0.05 && current[local]!.length < 90) {
        current[local]!.push(1000 * (local + 1) + Math.floor(rnd() * 5000));
      } else if (r < 0.08 && current[local]!.length > 0) {
        // A connection closes: the model forgets it (onDisconnect).
        const [v] = current[local]!.splice(Math.floor(rnd() * current[local]!.length), 1);
        a.forget(local, v!);
        ref[local]!.delete(v!);
      } else if (r < 0.09 && current[local]!.length >= 60) {
        // The node went down and is back: it has no connections yet, and forgets those it had. (Only
        // once its table has grown, so that growth is exercised too.)
        current[local] = [];
        a.forgetGone(ctx);
        ref[local]!.clear();
        recoveries++;
      } else if (r < 0.6) {
        // A transaction arrives from one peer and is queued for the others.
        const from = current[local]!.length > 0 ? current[local]![Math.floor(rnd() * current[local]!.length)]! : -1;
        const k = step;
        a.append(local, k, from);
        log[local]!.push({ k, from });
        const at = a.end(local) - 1;
        for (const v of current[local]!) {
          if (v === from) continue;
          const s = a.slot(local, v, at);
          const c = ref[local]!.get(v) ?? { cursor: at, armed: false };
          ref[local]!.set(v, c);
          same(`${step} peer`, a.peerAt(local, s), v);
          same(`${step} cursor`, a.cursor(local, s), c.cursor);
          same(`${step} armed`, a.armed(local, s), c.armed);
          if (!c.armed && rnd() < 0.5) {
            a.setArmed(local, s, true);
            c.armed = true;
          }
        }
      } else if (current[local]!.length > 0) {
        // A tick: take everything after the cursor, less what came from the peer.
        const v = current[local]![Math.floor(rnd() * current[local]!.length)]!;
        const s = a.find(local, v);
        const c = ref[local]!.get(v);
        if (c === undefined) {
          same(`${step} absent`, s, -1);
          continue;
        }
        if (s < 0) {
          wrong.push(`step ${step}: connection to ${v} lost`);
          continue;
        }
        const taken: number[] = [];
        const base = a.logAt(local);
        for (let at = a.cursor(local, s); at < a.end(local); at++) {
          const j = base + 2 * (at - a.first(local));
          if (a.log[j + 1] !== v) taken.push(a.log[j]!);
        }
        const expected = log[local]!.slice(c.cursor).filter((e) => e.from !== v).map((e) => e.k);
        same(`${step} taken`, taken, expected);
        a.setCursor(local, s, a.end(local));
        a.setArmed(local, s, false);
        c.cursor = a.end(local);
        c.armed = false;
      }
      // The count of armed slots, through arming, ticks and connections forgotten armed.
      const armed = [...ref[local]!.values()].filter((c) => c.armed).length;
      if (!a.allArmed(local, armed) || a.allArmed(local, armed + 1)) wrong.push(`step ${step}: armed slots are not ${armed}`);
    }
    expect(wrong.slice(0, 5)).toEqual([]);
    expect(recoveries).toBeGreaterThan(0);
    // Every connection the reference knows is in the table, and nothing else is.
    for (let local = 0; local < nodes; local++) {
      const inTable = new Set<number>();
      for (let s = 0; s < a.size(local); s++) if (a.peerAt(local, s) !== EMPTY) inTable.add(a.peerAt(local, s));
      expect([...inTable].sort((x, y) => x - y)).toEqual([...ref[local]!.keys()].sort((x, y) => x - y));
      expect(a.size(local)).toBeGreaterThanOrEqual(128);
    }
  });

  it('drop the consumed prefix of a log, and keep every position the cursors still need', () => {
    const a = new Announcers(1);
    a.open(0);
    // Peer 7 reads everything as it comes; peer 8 lags behind at position 10.
    const s8 = a.slot(0, 8, 0);
    a.setCursor(0, s8, 10);
    for (let k = 0; k < 500; k++) {
      a.append(0, k, -1);
      a.setCursor(0, a.slot(0, 7, a.end(0) - 1), a.end(0));
    }
    expect(a.end(0)).toBe(500);
    // Compacted up to the laggard's cursor, never past it.
    expect(a.first(0)).toBe(10);
    const base = a.logAt(0);
    for (let at = 10; at < 500; at++) expect(a.log[base + 2 * (at - a.first(0))]).toBe(at);
  });
});
