// The packed per-(node, transaction) states of transaction relay (tx-states.ts), checked against one
// byte per state.
import { describe, expect, it } from 'vitest';
import { HAVE, NONE, REQUESTED, TxStates, type TxState } from '../src/models/chain/tx-states.js';
import { mulberry32 } from './mulberry32.js';

describe('transaction states: two bits per (node, transaction)', () => {
  it('read back what was set, and forgetting requests clears only the node’s REQUESTED states', () => {
    // 37 transactions: rows of three words, the last one part-used, so a row's end is exercised.
    const nodes = 5;
    const T = 37;
    const s = new TxStates(nodes, T);
    const ref = new Uint8Array(nodes * T);
    const rnd = mulberry32(11);
    const values: TxState[] = [NONE, REQUESTED, HAVE];
    const wrong: string[] = [];
    for (let step = 0; step < 20_000; step++) {
      const local = Math.floor(rnd() * nodes);
      if (rnd() < 0.01) {
        s.forgetRequests(local);
        for (let k = 0; k < T; k++) if (ref[local * T + k] === REQUESTED) ref[local * T + k] = NONE;
      } else {
        const k = Math.floor(rnd() * T);
        const v = values[Math.floor(rnd() * 3)]!;
        s.set(local, k, v);
        ref[local * T + k] = v;
      }
      if (step % 97 === 0) {
        for (let u = 0; u < nodes; u++) {
          for (let k = 0; k < T; k++) if (s.get(u, k) !== ref[u * T + k]) wrong.push(`step ${step}: node ${u} tx ${k}: ${s.get(u, k)}, want ${ref[u * T + k]}`);
        }
      }
    }
    expect(wrong.slice(0, 5)).toEqual([]);
    // All three states occur, so the check covered each.
    expect(new Set(ref)).toEqual(new Set([NONE, REQUESTED, HAVE]));
  });
});
