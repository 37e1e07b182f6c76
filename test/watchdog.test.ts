// The watchdog's side in the engine (docs/architecture.md, "Errors", "Stuck or busy"): a shard says what
// it is doing in a phase word of the control memory, and the queue announces its long operations (a
// large sort, a growth) and beats through them, so a busy shard is never taken for a stuck one.
import { describe, expect, it } from 'vitest';
import { EventQueue, type QueueWork } from '../src/engine/queue.js';
import { controlBytes, controlLayout, clockBytes, Phase, PHASE_WORDS, phaseOf, setPhase } from '../src/engine/sync.js';

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
    expect(Atomics.load(c.ctl, c.beatsAt + 1)).toBe(1);
    // The phases lie past the outbox fills: writing one touches no other word.
    expect(c.phasesAt).toBeGreaterThanOrEqual(c.fillsAt + 2 * shards * shards);
    expect(PHASE_WORDS[Phase.sorting]).toBe('sorting its event queue');
  });
});
