// The event queue pops in the total order (time, source, sequence), checked against a plain sort of
// the same events, across every path through it: ties, the radix and merge sorts, the late heap, far
// events beyond the ring, cross-shard-like pushes earlier than the current bucket, and growth.
import { describe, expect, it } from 'vitest';
import seedrandom from 'seedrandom';
import { EventQueue } from '../src/engine/queue.js';

interface Ev {
  t: number;
  src: number;
  seq: number;
  dst: number;
}

const byKey = (x: Ev, y: Ev) => x.t - y.t || x.src - y.src || x.seq - y.seq;

function popAll(q: EventQueue, end = Infinity): Ev[] {
  const out: Ev[] = [];
  for (let s = q.popBefore(end); s >= 0; s = q.popBefore(end)) out.push({ t: q.time(s), src: q.src(s), seq: q.a(s), dst: q.dst() });
  return out;
}

/** Pushes with the sequence number also stored in field a, so the test can read it back. */
function push(q: EventQueue, e: Ev): void {
  q.push(e.t, e.dst, e.src, e.seq, 1, e.seq, 0);
}

describe('event queue order', () => {
  it('pops a random batch in key order, ties broken by source then sequence', () => {
    const rnd = seedrandom('q1');
    const q = new EventQueue(10, 1024);
    const evs: Ev[] = [];
    const seqs = new Map<number, number>();
    for (let i = 0; i < 20_000; i++) {
      const src = Math.floor(rnd() * 500);
      const seq = (seqs.get(src) ?? 0) + 1;
      seqs.set(src, seq);
      // Few distinct times, so ties on time are everywhere.
      evs.push({ t: Math.floor(rnd() * 40) * 5, src, seq, dst: i });
    }
    for (const e of evs) push(q, e);
    expect(popAll(q)).toEqual([...evs].sort(byKey));
  });

  it('sorts a bucket where every event has the same time by source, then sequence, even when appended out of sequence order', () => {
    const q = new EventQueue(50, 1024);
    const evs: Ev[] = [];
    for (let src = 999; src >= 0; src--) for (let k = 5; k >= 1; k--) evs.push({ t: 100, src, seq: k, dst: src });
    for (const e of evs) push(q, e);
    expect(popAll(q)).toEqual([...evs].sort(byKey));
  });

  // A node sending to all its peers at once appends a run (one time, one source, consecutive
  // sequence numbers) that the sort moves as a whole: runs longer than a chunk, a source's runs
  // appended latest first, sequence gaps inside a stretch, and times that change mid-stretch must all
  // still come out in key order.
  it('sorts runs of one source\'s consecutive sends as wholes, however they are split or appended', () => {
    // One time (radix by source), few times (merge sort), a time per source (radix by time).
    for (const times of ['one', 'few', 'many']) {
      const rnd = seedrandom(`runs-${times}`);
      const q = new EventQueue(50, 1024);
      const evs: Ev[] = [];
      const sources = Array.from({ length: 400 }, (_, i) => i).sort(() => rnd() - 0.5);
      for (const src of sources) {
        // Two runs per source, with disjoint sequence ranges; half the time the later one first.
        const lens = [1 + Math.floor(rnd() * 300), 1 + Math.floor(rnd() * 20)];
        const runs = [{ from: 1, len: lens[0]! }, { from: 1 + lens[0]! + Math.floor(rnd() * 3), len: lens[1]! }];
        if (rnd() < 0.5) runs.reverse();
        const own = 100 + rnd() * 40;
        for (const { from, len } of runs) {
          const t0 = times === 'one' ? 100 : times === 'few' ? 100 + Math.floor(rnd() * 4) * 7 : own;
          for (let k = 0; k < len; k++) {
            // Now and then a time change or a skipped sequence number inside the stretch.
            const t = times !== 'one' && rnd() < 0.05 ? t0 + 3 : t0;
            const seq = from + k + (rnd() < 0.02 ? 1000 : 0);
            evs.push({ t, src, seq, dst: evs.length });
          }
        }
      }
      for (const e of evs) push(q, e);
      expect(popAll(q)).toEqual([...evs].sort(byKey));
    }
  });

  // Lanes: once large one-time buckets are seen, records go to chunk lists by source range, and a
  // one-time bucket returns each lane's chunks as soon as the pops leave it, while the next wave is
  // being pushed into them. A record freed too early would be overwritten before it pops.
  // About 2 s alone; the whole suite runs CLI processes beside it (fuzz, memory), hence the room.
  it('frees a one-time bucket lane by lane while the next wave reuses the chunks, losing nothing', { timeout: 20_000 }, () => {
    const rnd = seedrandom('lanes');
    const nodes = 4096;
    const q = new EventQueue(10, 64, 64, () => {}, 4, nodes);
    const seqs = new Int32Array(nodes);
    let id = 0;
    const wave = new Map<number, Ev[]>();
    const send = (t: number, src: number, dst: number) => {
      const e = { t, src, seq: ++seqs[src]!, dst };
      (wave.get(t) ?? wave.set(t, []).get(t)!).push(e);
      q.push(t, dst, src, e.seq, 1, id++, e.seq);
    };
    for (let i = 0; i < 20_000; i++) send(10, Math.floor(rnd() * nodes), Math.floor(rnd() * nodes));
    for (let w = 1; w <= 6; w++) {
      const t = 10 * w;
      const got: Ev[] = [];
      const ids = new Set<number>();
      for (let s = q.popBefore(t + 10); s >= 0; s = q.popBefore(t + 10)) {
        got.push({ t: q.time(s), src: q.src(s), seq: q.b(s), dst: q.dst() });
        ids.add(q.a(s));
        // The node that received it relays once or twice into the next wave; in wave 4, one relay in
        // 5,000 lands in the bucket being popped (the late heap).
        const late = w === 4 && got.length % 5000 === 0;
        send(late ? t + 5 : t + 10, q.dst(), Math.floor(rnd() * nodes));
        if (rnd() < 0.5 && !late) send(t + 10, q.dst(), Math.floor(rnd() * nodes));
        // In wave 5, a batch (as drained from another shard) lands in the bucket being popped, at
        // two later times, spread over all lanes.
        if (w === 5 && got.length === 1000) {
          q.batch(true);
          for (let k = 0; k < 400; k++) send(t + (k % 2 ? 3 : 6), Math.floor(rnd() * nodes), Math.floor(rnd() * nodes));
          q.batch(false);
        }
      }
      const want = [t, t + 3, t + 5, t + 6].flatMap((x) => wave.get(x) ?? []).sort(byKey);
      expect(got).toEqual(want);
      expect(ids.size).toBe(got.length);
      for (const x of [t, t + 3, t + 5, t + 6]) wave.delete(x);
    }
  });

  it('interleaves pops with pushes into the current bucket, later buckets and beyond the ring', () => {
    const rnd = seedrandom('q2');
    const q = new EventQueue(1, 1024, 64);
    let seq = 0;
    const ref: Ev[] = [];
    const popped: Ev[] = [];
    const add = (t: number) => {
      const e = { t, src: Math.floor(rnd() * 50), seq: ++seq, dst: 0 };
      ref.push(e);
      push(q, e);
    };
    for (let i = 0; i < 200; i++) add(rnd() * 10);
    let now = 0;
    while (q.size > 0) {
      const s = q.popBefore(Infinity);
      const e = { t: q.time(s), src: q.src(s), seq: q.a(s), dst: q.dst() };
      expect(e.t).toBeGreaterThanOrEqual(now);
      now = e.t;
      popped.push(e);
      // Handlers send with delays below one bucket (late heap), a few buckets, and past the 64-bucket ring.
      if (seq < 30_000) {
        const r = rnd();
        add(now + (r < 0.3 ? 0.01 + rnd() * 0.5 : r < 0.9 ? 1 + rnd() * 20 : 100 + rnd() * 500));
      }
    }
    expect(popped).toEqual([...ref].sort(byKey));
  });

  it('accepts an event earlier than the current bucket (a drained batch) and still pops it first', () => {
    const q = new EventQueue(10, 1024);
    push(q, { t: 500, src: 1, seq: 1, dst: 0 });
    expect(q.peekTime()).toBe(500); // the queue has advanced to bucket 50
    push(q, { t: 120, src: 2, seq: 1, dst: 0 });
    push(q, { t: 120, src: 0, seq: 7, dst: 0 });
    expect(popAll(q).map((e) => [e.t, e.src])).toEqual([[120, 0], [120, 2], [500, 1]]);
  });

  it('stops at the window end without removing the next event', () => {
    const q = new EventQueue(5, 1024);
    for (const t of [1, 2, 8, 9, 30]) push(q, { t, src: 0, seq: t, dst: 0 });
    expect(popAll(q, 8).map((e) => e.t)).toEqual([1, 2]);
    expect(q.peekTime()).toBe(8);
    expect(popAll(q).map((e) => e.t)).toEqual([8, 9, 30]);
    expect(q.size).toBe(0);
    expect(q.peekTime()).toBe(Infinity);
  });

  it('grows past its reservation without losing or reordering records', () => {
    const rnd = seedrandom('q3');
    const q = new EventQueue(1, 16);
    const evs: Ev[] = [];
    for (let i = 0; i < 100_000; i++) evs.push({ t: rnd() * 50, src: i % 977, seq: i, dst: i });
    for (const e of evs) push(q, e);
    expect(popAll(q)).toEqual([...evs].sort(byKey));
  });

  it('sorts one bucket after another of varying sizes, merge and radix paths alike (scratch buffers swap places)', () => {
    const rnd = seedrandom('q4');
    const q = new EventQueue(10, 1024);
    let seq = 0;
    for (const [i, size] of [1100, 1700, 1133, 4000, 1500, 900, 3000, 70, 200, 40, 64, 63].entries()) {
      const evs: Ev[] = [];
      const tied = i % 2 === 1;
      for (let k = 0; k < size; k++) evs.push({ t: 10 * i + (tied ? 5 : rnd() * 9), src: Math.floor(rnd() * 300), seq: ++seq, dst: k });
      for (const e of evs) push(q, e);
      expect(popAll(q)).toEqual([...evs].sort(byKey));
    }
  });

  it('sorts distinct times with two or three radix passes, near-equal times that share a key included', () => {
    // The time key has log2(runs) + 5 bits: 300 runs take two passes of 7-bit digits, 3,000 two of 9
    // (below 64 runs the merge sort runs instead). 150,000 runs pushed in one bucket would be split
    // (see the next test), so they arrive as a drained batch into the bucket being popped, and the
    // re-sort of the batch takes three passes of 8. A tenth of the times sit a nanosecond from
    // another, so keys tie and insertion must order them.
    const rnd = seedrandom('radix-bits');
    let seq = 0;
    for (const [i, size] of [300, 3000, 150_000].entries()) {
      const q = new EventQueue(10, 1024);
      const first = { t: 10 * i, src: 0, seq: ++seq, dst: -1 };
      push(q, first);
      expect(popAll(q, 10 * i + 0.1)).toEqual([first]);
      const evs: Ev[] = [];
      for (let k = 0; k < size; k++) {
        const near = k > 0 && rnd() < 0.1;
        const t = near ? evs[Math.floor(rnd() * k)]!.t + 1e-9 * (rnd() < 0.5 ? 1 : -1) : 10 * i + 0.5 + rnd() * 9;
        evs.push({ t, src: Math.floor(rnd() * 1000), seq: ++seq, dst: k });
      }
      q.batch(true);
      for (const e of evs) push(q, e);
      q.batch(false);
      expect(popAll(q)).toEqual([...evs].sort(byKey));
    }
  });

  it('splits a large bucket of distinct times into sub-buckets and pops them in order, through window ends, late pushes and drained batches', { timeout: 20_000 }, () => {
    // 40,000 runs in bucket 0 (more than the 16,384 from which a bucket is split): five sub-buckets.
    // While they are popped, handlers send into the sub-bucket being popped, into later ones, into
    // the next bucket and past the ring; batches land the same way. At each window end the bound
    // must be the earliest time still queued, found without sorting.
    const rnd = seedrandom('split');
    const q = new EventQueue(10, 1024, 64);
    const ref: Ev[] = [];
    const popped: Ev[] = [];
    let seq = 0;
    const add = (t: number) => {
      const e = { t, src: Math.floor(rnd() * 3000), seq: ++seq, dst: 0 };
      ref.push(e);
      push(q, e);
    };
    for (let k = 0; k < 40_000; k++) add(rnd() * 10);
    const earliestLeft = () => {
      const all = ref.map((e) => e.t).sort((x, y) => x - y);
      const gone = popped.map((e) => e.t).sort((x, y) => x - y);
      let j = 0;
      for (const t of all) {
        if (j < gone.length && gone[j] === t) j++;
        else return t;
      }
      return Infinity;
    };
    for (let end = 0.37; q.size > 0; end += 0.37) {
      for (let s = q.popBefore(end); s >= 0; s = q.popBefore(end)) {
        const e = { t: q.time(s), src: q.src(s), seq: q.a(s), dst: q.dst() };
        popped.push(e);
        if (seq > 60_000) continue;
        const r = rnd();
        add(e.t + (r < 0.2 ? 0.001 + rnd() * 0.1 : r < 0.7 ? 0.5 + rnd() * 4 : r < 0.95 ? 10 + rnd() * 30 : 700 + rnd() * 100));
      }
      if (end < 12 && Math.floor(end / 0.37) % 3 === 0) {
        q.batch(true);
        for (let k = 0; k < 50; k++) add(end + rnd() * 6);
        q.batch(false);
      }
      if (end < 12) expect(q.nextTimeBound()).toBe(earliestLeft());
    }
    expect(popped).toEqual([...ref].sort(byKey));
    // The last window ended inside the last bucket; a pop with no end moves past it and frees it.
    expect(q.popBefore(Infinity)).toBe(-1);
    expect(q.runs).toBe(0);
  });

  it('at a window end inside a split bucket, reports the next sub-bucket\'s earliest time without sorting it, also after a push lowers it', () => {
    // 40,000 runs from 0 to just under 10: one bucket of width 10, split into five sub-buckets of about
    // 2 ms. The first holds times below 1.9 and the second none below 2.1, so a window ending at 2
    // pops the first whole and leaves the second unsorted: the bound is its earliest time. Then a push
    // at 2.000001 joins the second sub-bucket and must lower the bound.
    const rnd = seedrandom('sub-bound');
    const q = new EventQueue(10, 1024, 64);
    const later: number[] = [];
    const at = (t: number, k: number) => push(q, { t, src: k % 997, seq: k + 1, dst: 0 });
    at(0, 0);
    at(10 - 1e-9, 1);
    for (let k = 2; k < 8_000; k++) at(1.9 * rnd(), k);
    for (let k = 8_000; k < 40_000; k++) {
      const t = 2.1 + 7.8 * rnd();
      later.push(t);
      at(t, k);
    }
    expect(popAll(q, 2)).toHaveLength(7_999);
    expect(q.nextTimeBound()).toBe(Math.min(...later));
    at(2.000001, 50_000);
    expect(q.nextTimeBound()).toBe(2.000001);
    expect(popAll(q, 2.1).map((e) => e.t)).toEqual([2.000001]);
  });

  it('at a window end, leaves the next bucket unsorted yet reports its earliest time, also after a drained batch lowers it', () => {
    const q = new EventQueue(10, 1024);
    push(q, { t: 5, src: 0, seq: 1, dst: 0 });
    push(q, { t: 104, src: 3, seq: 1, dst: 0 });
    push(q, { t: 101, src: 4, seq: 1, dst: 0 });
    expect(popAll(q, 50).map((e) => e.t)).toEqual([5]);
    expect(q.nextTimeBound()).toBe(101);
    push(q, { t: 70, src: 9, seq: 1, dst: 0 }); // earlier than the bucket the queue stopped at
    push(q, { t: 101, src: 1, seq: 1, dst: 0 });
    expect(q.nextTimeBound()).toBe(70);
    expect(popAll(q).map((e) => [e.t, e.src])).toEqual([[70, 9], [101, 1], [101, 4], [104, 3]]);
  });
});

// Runs: a source's pushes of one time, kind and payload, one after another, share one record. The
// pops must still come out in key order through every path a run can take: sorted whole, split at a
// chunk's end, popped partly before its bucket is sorted again, beside sealed records from the far
// heap and the late heap, and freed lane by lane.
describe('event queue runs', () => {
  interface Sent extends Ev {
    a: number;
  }
  const byKeyThenId = (x: Sent, y: Sent) => byKey(x, y);

  /** A queue and a log of what was pushed, with each source's sequence numbers counted. */
  function harness(q: EventQueue, nodes: number) {
    const seqs = new Int32Array(nodes);
    const sent: Sent[] = [];
    return {
      sent,
      send(t: number, src: number, dst: number, a: number): void {
        const e = { t, src, seq: ++seqs[src]!, dst, a };
        sent.push(e);
        q.push(t, dst, src, e.seq, 1, a, 0);
      },
      pop(end = Infinity): Sent[] {
        const out: Sent[] = [];
        for (let s = q.popBefore(end); s >= 0; s = q.popBefore(end)) out.push({ t: q.time(s), src: q.src(s), seq: 0, dst: q.dst(), a: q.a(s) });
        return out;
      },
    };
  }
  const strip = (es: Sent[]) => es.map(({ t, src, dst, a }) => ({ t, src, dst, a }));

  it('keeps a node\'s sends of one message as one record and pops them in order, runs longer than a chunk included', () => {
    const q = new EventQueue(10, 1024);
    const h = harness(q, 100);
    // Source 7 relays message 3 to 9 peers at 50 ms; source 2 relays it to 3000 (more than a chunk's
    // 2,048 destinations); source 5 sends two messages, then the first again (three runs).
    for (let d = 0; d < 9; d++) h.send(50, 7, 100 + d, 3);
    for (let d = 0; d < 3000; d++) h.send(50, 2, 1000 + d, 3);
    for (const [a, n] of [[1, 4], [2, 4], [1, 2]] as const) for (let d = 0; d < n; d++) h.send(50, 5, 10 * a + d, a);
    expect(q.size).toBe(9 + 3000 + 10);
    // One record per run, and the 3,000 split in two at the chunk's end.
    expect(q.runs).toBe(1 + 2 + 3);
    expect(strip(h.pop())).toEqual(strip([...h.sent].sort(byKeyThenId)));
    expect(q.runs).toBe(0);
  });

  // About 2 s alone; the whole suite runs CLI processes beside it (fuzz, memory), hence the room.
  it('pops runs in key order while waves are pushed, events land in the bucket being popped, and far events come back', { timeout: 20_000 }, () => {
    const rnd = seedrandom('runs-waves');
    const nodes = 30_000;
    // 4 lanes by source range; 64 buckets of 10 ms, so a send 700 ms ahead waits in the far heap.
    const q = new EventQueue(10, 64, 64, () => {}, 4, nodes);
    const h = harness(q, nodes);
    // Wave 0: 60,000 relays of 20,000 messages (one run a source), enough for the queue to turn lanes on.
    for (let m = 0; m < 20_000; m++) {
      const src = Math.floor(rnd() * nodes);
      for (let k = 0; k < 3; k++) h.send(10, src, Math.floor(rnd() * nodes), m);
    }
    const popped: Sent[] = [];
    let step = 0;
    for (let s = q.popBefore(Infinity); s >= 0; s = q.popBefore(Infinity)) {
      const e = { t: q.time(s), src: q.src(s), seq: 0, dst: q.dst(), a: q.a(s) };
      popped.push(e);
      step++;
      const r = rnd();
      if (r < 0.5) {
        // Relay: one to three peers, one message, one time: a run.
        const t = e.t + 10;
        if (t <= 60) for (let k = 1 + Math.floor(rnd() * 3); k > 0; k--) h.send(t, e.dst, Math.floor(rnd() * nodes), e.a);
      } else if (r < 0.52) {
        // A short timer into the bucket being popped (late heap), twice with one payload.
        h.send(e.t + 0.5, e.dst, e.dst, -1);
        h.send(e.t + 0.5, e.dst, (e.dst + 1) % nodes, -1);
      } else if (r < 0.53) {
        h.send(e.t + 700, e.dst, Math.floor(rnd() * nodes), -2);
      }
      if (step % 7919 === 0) {
        // A drained batch: runs from other sources at this time and just after.
        q.batch(true);
        for (let k = 0; k < 50; k++) {
          const src = Math.floor(rnd() * nodes);
          const t = e.t + (k % 2 ? 0.25 : 3);
          if (t > e.t || src > e.src) for (let j = 0; j < 4; j++) h.send(t, src, Math.floor(rnd() * nodes), -3);
        }
        q.batch(false);
      }
    }
    expect(q.size).toBe(0);
    expect(strip(popped)).toEqual(strip([...h.sent].sort(byKeyThenId)));
  });

  it('pops a large bucket of distinct times, copied into key order, while events land in it, and grows meanwhile', { timeout: 20_000 }, () => {
    const rnd = seedrandom('compact');
    const nodes = 5000;
    // A reservation far below the bucket: the copy itself has to grow the pool.
    const q = new EventQueue(10, 256);
    const h = harness(q, nodes);
    // 20,000 runs in bucket 0, each of 1 to 40 destinations, so runs span several records and some do
    // not fit the rest of a chunk. The bucket is split in three by time, and nine runs in ten crowd
    // into the first third: that sub-bucket has more than the 16,384 runs from which a sorted one is
    // copied.
    for (let m = 0; m < 20_000; m++) {
      const src = Math.floor(rnd() * nodes);
      const t = rnd() < 0.9 ? rnd() * 3 : rnd() * 10;
      for (let k = 1 + Math.floor(rnd() ** 4 * 40); k > 0; k--) h.send(t, src, Math.floor(rnd() * nodes), m);
    }
    const popped: Sent[] = [];
    let step = 0;
    for (let s = q.popBefore(Infinity); s >= 0; s = q.popBefore(Infinity)) {
      const e = { t: q.time(s), src: q.src(s), seq: 0, dst: q.dst(), a: q.a(s) };
      popped.push(e);
      if (++step % 997 === 0 && e.t + 1 < 10) h.send(e.t + 1, e.dst, e.src, -1); // into the bucket being popped
      if (step % 10_007 === 0) {
        q.batch(true);
        for (let k = 0; k < 30; k++) h.send(e.t + 0.5 + k / 100, Math.floor(rnd() * nodes), k, -2);
        q.batch(false);
      }
    }
    expect(q.size).toBe(0);
    expect(q.runs).toBe(0);
    expect(strip(popped)).toEqual(strip([...h.sent].sort(byKeyThenId)));
  });

  it('resumes a run popped partway after a drained batch lands in its bucket', () => {
    const q = new EventQueue(10, 1024);
    const h = harness(q, 100);
    for (let d = 0; d < 20; d++) h.send(10, 5, 100 + d, 1);
    for (let d = 0; d < 3; d++) h.send(10, 9, 200 + d, 1);
    const got: Sent[] = [];
    for (let i = 0; i < 3; i++) {
      const s = q.popBefore(Infinity);
      got.push({ t: q.time(s), src: q.src(s), seq: 0, dst: q.dst(), a: q.a(s) });
    }
    q.batch(true);
    h.send(10, 6, 300, 2); // between source 5's rest and source 9
    h.send(10, 5, 301, 2); // after source 5's run: a later sequence number
    h.send(10.5, 1, 302, 2);
    q.batch(false);
    got.push(...h.pop());
    expect(strip(got)).toEqual(strip([...h.sent].sort(byKeyThenId)));
  });

  it('never grows a run whose bucket is already sorted: a matching push there pops in its place', () => {
    const q = new EventQueue(10, 1024);
    // Bucket 0, the current one: sorted at the first pop with nothing freed before.
    q.push(0.4, 2, 6, 1, 1, 7, 0);
    q.push(0.2, 1, 5, 1, 1, 7, 0);
    expect(q.dst()).toBe(0);
    const s = q.popBefore(Infinity); // sorts the bucket; pops source 5's run
    expect([q.time(s), q.dst()]).toEqual([0.2, 1]);
    q.push(0.2, 3, 5, 2, 1, 7, 0); // same time, source and payload as the run just popped
    const got: number[][] = [];
    for (let x = q.popBefore(Infinity); x >= 0; x = q.popBefore(Infinity)) got.push([q.time(x), q.src(x), q.dst()]);
    expect(got).toEqual([[0.2, 5, 3], [0.4, 6, 2]]);
    expect(q.size).toBe(0);
  });

  it('throws, rather than misorder, when a source\'s pushes of one time break sequence order', () => {
    const q = new EventQueue(10, 1024);
    q.push(10, 1, 4, 1, 1, 7, 0);
    q.push(10, 2, 4, 5, 1, 7, 0); // the run of source 4 now covers 1..5
    q.push(10, 3, 4, 2, 1, 8, 0); // inside it
    expect(() => q.popBefore(Infinity)).toThrow(/source 4's events of time 10 were pushed out of sequence order/);
  });
});
