// The table of block requests in flight: announcers are asked in the order they announced, one at a
// time, and round again from the first after a restart; closed requests and their entries are reused
// without mixing lists.
import { describe, expect, it } from 'vitest';
import { RequestTable } from '../src/models/chain/requests.js';

describe('RequestTable', () => {
  it('asks announcers in order, then round again', () => {
    const t = new RequestTable();
    const id = t.open(7);
    expect(t.takeNext(id)).toBe(7);
    expect(t.askedCount(id)).toBe(1);
    expect(t.hasNext(id)).toBe(false);
    t.add(id, 8);
    t.add(id, 9);
    expect(t.hasNext(id)).toBe(true);
    expect(t.takeNext(id)).toBe(8);
    expect(t.takeNext(id)).toBe(9);
    expect(t.hasNext(id)).toBe(false);
    t.restart(id);
    expect(t.takeNext(id)).toBe(7);
    t.add(id, 10);
    expect([t.takeNext(id), t.takeNext(id), t.takeNext(id)]).toEqual([8, 9, 10]);
    expect(t.askedCount(id)).toBe(7);
  });

  it('keeps thousands of interleaved requests apart, reusing closed ones', () => {
    const t = new RequestTable();
    const ids: number[] = [];
    for (let r = 0; r < 3000; r++) ids.push(t.open(r * 10));
    for (let k = 1; k < 5; k++) for (let r = 0; r < 3000; r++) t.add(ids[r]!, r * 10 + k);
    for (let r = 0; r < 3000; r += 2) t.close(ids[r]!);
    for (let r = 0; r < 3000; r += 2) ids[r] = t.open(-(r + 1));
    for (let r = 0; r < 3000; r++) {
      const got: number[] = [];
      while (t.hasNext(ids[r]!)) got.push(t.takeNext(ids[r]!));
      expect(got).toEqual(r % 2 === 0 ? [-(r + 1)] : [0, 1, 2, 3, 4].map((k) => r * 10 + k));
    }
  });
});
