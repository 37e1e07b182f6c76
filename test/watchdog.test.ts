// The watchdog's side in the engine (docs/architecture.md, "Errors", "Stuck or busy"): a shard says what
// it is doing in a phase word of the control memory, and the queue announces its long operations (a
// large sort, a growth) and beats through them, so a busy shard is never taken for a stuck one.
import { describe, expect, it } from 'vitest';
import { EventQueue, type QueueWork } from '../src/engine/queue.js';
import { clockAt, controlBytes, controlLayout, clockBytes, ctlAt, Phase, PHASE_WORDS, phaseOf, setPhase } from '../src/engine/sync.js';

function recorder(): { ticks: (QueueWork | 'beat')[]; tick: (w?: QueueWork) => void } {
  const ticks: (QueueWork | 'beat')[] = [];
  return { ticks, tick: (w) => ticks.push(w ?? 'beat') };
}

describe('the queue announces its long operations', () => {
  it('a bucket of 100,000 runs: "sorting", beats through the passes, then "done"; a small one says nothing', () => {
    const r = recorder();
    const q = new EventQueue(10, 1 << 18, 64, r.tick);
    for (let src = 0; src < 100_000; src++) q.push(1 + (src % 7), src, src, 0, 1, 0, 0);
    let popped = 0;
    while (q.popBefore(10) >= 0) popped++;
    expect(popped).toBe(100_000);
    const at = r.ticks.indexOf('sorting');
    expect(at).toBeGreaterThanOrEqual(0);
    expect(r.ticks.indexOf('done')).toBeGreaterThan(at);
    expect(r.ticks.slice(at + 1, r.ticks.indexOf('done'))).toContain('beat');

    const small = recorder();
    const q2 = new EventQueue(10, 1 << 12, 64, small.tick);
    for (let src = 0; src < 1000; src++) q2.push(1 + (src % 7), src, src, 0, 1, 0, 0);
    while (q2.popBefore(10) >= 0);
    expect(small.ticks.filter((t) => t !== 'beat')).toEqual([]);
  });

  it('a sort whose copy into key order grows the pool: "sorting", "growing", "sorting" again, "done" only at the end', () => {
    // 100,000 runs of one time fill 391 of the reservation's 512 chunks; copying them into key order
    // needs 391 more before the old ones are freed, so the pool grows in the middle of the sort.
    const r = recorder();
    const q = new EventQueue(10, 1 << 17, 64, r.tick);
    for (let src = 0; src < 100_000; src++) q.push(5, src, src, 0, 1, src, 0);
    expect(r.ticks).toEqual([]);
    let n = 0;
    for (let s = q.popBefore(10); s >= 0; s = q.popBefore(10)) expect(q.a(s)).toBe(n++);
    expect(n).toBe(100_000);
    expect(r.ticks.filter((t) => t !== 'beat')).toEqual(['sorting', 'growing', 'sorting', 'done']);
  });

  it('growing past its reservation: "growing", a beat per slice copied, then "done", and no record lost', () => {
    const r = recorder();
    const q = new EventQueue(10, 256, 64, r.tick);
    for (let src = 0; src < 5000; src++) q.push(5, src, src, 0, 1, src, 0);
    expect(r.ticks).toContain('growing');
    expect(r.ticks.filter((t) => t === 'growing').length).toBe(r.ticks.filter((t) => t === 'done').length);
    let n = 0;
    for (let s = q.popBefore(10); s >= 0; s = q.popBefore(10)) expect(q.a(s)).toBe(n++);
    expect(n).toBe(5000);
  });
});

describe('phase words', () => {
  it('each shard has its own, starting at "starting"; setting one beats the shard', () => {
    const shards = 3;
    const c = controlLayout(new SharedArrayBuffer(controlBytes(shards)), new SharedArrayBuffer(clockBytes(shards)), shards);
    for (let i = 0; i < shards; i++) expect(phaseOf(c, i)).toBe(Phase.starting);
    setPhase(c, 1, Phase.sorting);
    expect([phaseOf(c, 0), phaseOf(c, 1), phaseOf(c, 2)]).toEqual([Phase.starting, Phase.sorting, Phase.starting]);
    expect(Atomics.load(c.ctl, ctlAt.beat(1))).toBe(1);
    expect(PHASE_WORDS[Phase.sorting]).toBe('sorting its event queue');
  });
});

describe('control layout', () => {
  // A shard waiting at the barrier spins on its generation word; a word another shard writes in the same
  // cache line takes the line from the spinner at every write. Words written by different shards, and the
  // barrier's, must lie at least a 64-byte line apart, so that no alignment of the buffer puts two in one.
  it.each([1, 2, 3, 40])('%i shards: no two writers share a line, and every word is inside the buffer', (shards) => {
    const ints = controlBytes(shards) / 4;
    const written: { writer: string; at: number }[] = [0, 1, 2].map((at) => ({ writer: 'barrier', at }));
    for (let i = 0; i < shards; i++) {
      written.push({ writer: `shard ${i}`, at: ctlAt.beat(i) }, { writer: `shard ${i}`, at: ctlAt.phase(i) });
      for (const parity of [0, 1]) for (let to = 0; to < shards; to++) written.push({ writer: `shard ${i} fills`, at: ctlAt.fill(shards, parity, i, to) });
    }
    const clash: string[] = [];
    for (const x of written) {
      if (!(x.at >= 0 && x.at < ints)) clash.push(`${x.writer} at ${x.at} outside ${ints}`);
      for (const y of written) if (x.writer !== y.writer && Math.abs(x.at - y.at) < 16) clash.push(`${x.writer} at ${x.at}, ${y.writer} at ${y.at}`);
    }
    expect(clash.slice(0, 3)).toEqual([]);
    expect(new Set(written.map((x) => x.at)).size).toBe(written.length);
    const doubles = clockBytes(shards) / 8;
    for (let i = 0; i < shards; i++) {
      const own = [clockAt.bound(0, i), clockAt.bound(1, i), clockAt.progress(i), clockAt.events(i)];
      expect(Math.max(...own)).toBeLessThan(doubles);
      if (i > 0) expect(Math.min(...own) - clockAt.events(i - 1)).toBeGreaterThanOrEqual(8);
    }
  });
});
