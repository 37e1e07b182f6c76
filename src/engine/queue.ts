// The pending-event set of one shard, DESIGN §2–3.
//
// Why this shape: measured on a 1M-node flood, a binary heap over typed arrays managed ~1.1M events/s
// (23 dependent reads per pop over a 230 MB array) while a ring of time buckets sorted only when it
// becomes current managed 5.4M. So: time is cut into buckets of `width` ms; an event is appended, unsorted,
// to the chunk list of its bucket; when a bucket becomes current its records are sorted once by the
// total order key (time, source node, source sequence number). Events that land in the current bucket
// after it was sorted (short timers, cross-shard batches drained mid-bucket) go to a small binary heap
// that pop merges with the sorted run. Events beyond the ring's horizon wait in a far heap and move into
// the ring as it turns. Records are 32-byte structs in recycled 256-record chunks of one typed buffer:
// no object per event, and a bucket's records stay close together in memory. The sort moves runs of
// one node's sends as wholes (sortOrder), and lanes let a bucket give its chunks back as it is popped
// (see `lanes`).

import { doubled, resize } from './typed-arrays.js';

const CHUNK_BITS = 8;
const CHUNK = 1 << CHUNK_BITS;
const NONE = -1;
const MIN_RUN = 32;
// A record: time as double 0; then as int32s 2..7.
const RECORD_BYTES = 32;
const DST = 2;
const SRC = 3;
const SEQ = 4;
const KIND = 5;
const A = 6;
const B = 7;
/** A sorted bucket of at least this many runs decides, by its times, whether lanes are used. */
const LANES_MIN = 1 << 14;
const RADIX_BITS = 11;
const RADIX_MASK = (1 << RADIX_BITS) - 1;
/** Below this many events a bucket is sorted by comparisons; three radix passes would cost more. */
const RADIX_TIME_MIN = 256;

export class EventQueue {
  // Records are 32-byte structs in one buffer, seen as doubles (time) and as int32s (the rest): a push
  // to a random bucket or a pop in sorted order touches one cache line, where seven parallel arrays
  // touched seven (measured: 266 ns a push for diffusion at 300k nodes with parallel arrays).
  private f64: Float64Array;
  private i32: Int32Array;

  private chunkNext: Int32Array;
  private freeChunks: Int32Array;
  private freeTop = 0;
  private chunks = 0;

  private readonly ringSize: number;
  private readonly ringMask: number;
  private readonly width: number;
  private readonly invWidth: number;
  private readonly head: Int32Array;
  private readonly tail: Int32Array;
  private readonly tailFill: Int32Array;
  // Lanes: while the large buckets sorted have one time each (flooding over a constant latency), a
  // bucket's records go to one of `lanes` chunk lists by source range (lane = bucket * lanes + k).
  // Such a bucket pops by source, hence lane after lane, so each lane's chunks go back to the free
  // list as soon as the pops leave it, and the next wave, sent meanwhile, reuses them while they are
  // still in cache. Without lanes a wave's chunks are free only when the whole wave is handled, and
  // two waves are alive at once (1M-node flood: 3.65M + 2.33M records, 182 MiB). When times differ,
  // pops interleave the lanes and part-filled lane chunks would only cost memory, so they are off.
  // Where a record lies never changes the order of events.
  private readonly lanes: number;
  private readonly laneShift: number;
  private lanesOn = false;
  private readonly bucketSize: Int32Array;
  /** Per bucket: 1 while every record in it went to its source's lane. */
  private readonly laned: Uint8Array;
  /** The lane of the current bucket the pops are in, or -1 when lanes are not being freed. */
  private popLane = -1;
  /** Absolute number of the current bucket. */
  private cur = 0;
  private curSorted = false;
  /** Earliest time in the current bucket while it is unsorted; NaN when not yet scanned. */
  private curMin = NaN;
  private inRing = 0;

  private order = new Int32Array(CHUNK);
  // Sort scratch, one entry per run (see sortOrder).
  private runSlot = new Int32Array(0);
  private runLen = new Int32Array(0);
  private items = new Int32Array(0);
  private items2 = new Int32Array(0);
  private keyT = new Float64Array(0);
  private keyT2 = new Float64Array(0);
  private keyS = new Int32Array(0);
  private keyS2 = new Int32Array(0);
  private starts = new Int32Array(0);
  // The bucket being sorted: its time range and largest source, found with its runs.
  private tMin = 0;
  private tMax = 0;
  private maxSrc = 0;
  private readonly radixCount = new Int32Array(RADIX_MASK + 2);
  private orderLen = 0;
  private orderPos = 0;
  private late = new Int32Array(256);
  private lateLen = 0;
  private pending = new Int32Array(256);
  private pendingLen = 0;
  private batching = false;

  private far: FarHeap;
  private live = 0;

  /**
   * `tick` is called at every pass of a sort: a bucket of tens of millions of events takes seconds to
   * sort, and the shard's heartbeat must keep going meanwhile or the watchdog would call it stuck.
   */
  constructor(widthMs: number, initialRecords: number, ringSize = 4096, private readonly tick: () => void = () => {}, lanes = 1, sources = 1) {
    if (!(widthMs > 0) || !Number.isFinite(widthMs)) throw new Error(`bucket width must be > 0, got ${widthMs}`);
    this.width = widthMs;
    this.invWidth = 1 / widthMs;
    this.ringSize = ringSize;
    this.ringMask = ringSize - 1;
    this.lanes = lanes;
    this.laneShift = Math.max(0, Math.ceil(Math.log2(Math.max(1, sources))) - Math.log2(lanes));
    this.head = new Int32Array(ringSize * lanes).fill(NONE);
    this.tail = new Int32Array(ringSize * lanes).fill(NONE);
    this.tailFill = new Int32Array(ringSize * lanes);
    this.bucketSize = new Int32Array(ringSize);
    this.laned = new Uint8Array(ringSize);
    const chunks = Math.max(16, Math.ceil(initialRecords / CHUNK));
    const buf = new ArrayBuffer(chunks * CHUNK * RECORD_BYTES);
    this.f64 = new Float64Array(buf);
    this.i32 = new Int32Array(buf);
    this.chunkNext = new Int32Array(chunks);
    this.freeChunks = new Int32Array(chunks);
    this.chunks = chunks;
    // Hand out low chunks first so a small run touches little memory.
    for (let c = 0; c < chunks; c++) this.freeChunks[c] = chunks - 1 - c;
    this.freeTop = chunks;
    this.far = new FarHeap();
  }

  get size(): number {
    return this.live;
  }

  // The fields of a popped slot.
  time(s: number): number {
    return this.f64[s << 2]!;
  }
  dst(s: number): number {
    return this.i32[(s << 3) + DST]!;
  }
  src(s: number): number {
    return this.i32[(s << 3) + SRC]!;
  }
  kind(s: number): number {
    return this.i32[(s << 3) + KIND]!;
  }
  a(s: number): number {
    return this.i32[(s << 3) + A]!;
  }
  b(s: number): number {
    return this.i32[(s << 3) + B]!;
  }
  private seqOf(s: number): number {
    return this.i32[(s << 3) + SEQ]! >>> 0;
  }

  push(t: number, dst: number, src: number, seq: number, kind: number, a: number, b: number): void {
    let bucket = Math.floor(t * this.invWidth);
    // An event earlier than the current bucket is legal: peekTime may have advanced to a later bucket
    // before a cross-shard batch (all of it later than anything popped) was drained. It joins the current
    // bucket, whose order (sort or late heap) compares full keys, so it still pops first.
    if (bucket < this.cur) bucket = this.cur;
    this.live++;
    if (bucket >= this.cur + this.ringSize) {
      this.far.push(t, dst, src, seq, kind, a, b);
      return;
    }
    const s = this.append(bucket & this.ringMask, src);
    this.f64[s << 2] = t;
    const o = s << 3;
    const r = this.i32;
    r[o + DST] = dst;
    r[o + SRC] = src;
    r[o + SEQ] = seq;
    r[o + KIND] = kind;
    r[o + A] = a;
    r[o + B] = b;
    this.inRing++;
    if (bucket === this.cur && t < this.curMin) this.curMin = t;
    if (bucket === this.cur && this.curSorted) {
      // Merged into the pops out of lane order: from here on, this bucket's lanes wait for its end.
      this.popLane = -1;
      if (this.batching) this.pendingPush(s);
      else this.latePush(s);
    }
  }

  /**
   * Between batch(true) and batch(false), events for the current, already sorted bucket are held back
   * and merged into it by one re-sort at the next peek. Why: a drained cross-shard batch can hold
   * millions of them (a whole flood wave), and the late heap, right for a timer or two, would take
   * them one random-access insertion at a time.
   */
  batch(on: boolean): void {
    this.batching = on;
  }

  /** Time of the next event, or Infinity. Sorts the next non-empty bucket if needed. */
  peekTime(): number {
    const s = this.peekSlot();
    return s === NONE ? Infinity : this.f64[s << 2]!;
  }

  /**
   * A time no later than the next event's, exact but without sorting a bucket that is not sorted yet:
   * a shard publishes this at each window's end, and the bucket may still receive a batch before it
   * is handled, which would make sorting it now wasted work.
   */
  nextTimeBound(): number {
    if (this.pendingLen > 0 || this.live === 0) return this.peekTime();
    if (this.curSorted) {
      if (this.orderPos < this.orderLen || this.lateLen > 0) return this.peekTime();
      return this.boundFrom(this.cur + 1);
    }
    if (this.bucketSize[this.cur & this.ringMask] !== 0) return this.currentMin();
    return this.boundFrom(this.cur + 1);
  }

  /** The earliest time in buckets from `b` on, without moving the current bucket. */
  private boundFrom(b: number): number {
    let min = this.far.size > 0 ? this.far.minTime() : Infinity;
    for (const stop = this.cur + this.ringSize; b < stop && this.inRing > 0; b++) {
      if (this.bucketSize[b & this.ringMask] !== 0) return Math.min(min, this.bucketMin(b & this.ringMask));
    }
    return min;
  }

  /** Earliest time in the current, unsorted bucket; kept up to date by push until the bucket changes. */
  private currentMin(): number {
    if (Number.isNaN(this.curMin)) this.curMin = this.bucketMin(this.cur & this.ringMask);
    return this.curMin;
  }

  private bucketMin(r: number): number {
    let min = Infinity;
    for (let lane = r * this.lanes, stop = lane + this.lanes; lane < stop; lane++) {
      for (let c = this.head[lane]!; c !== NONE; c = this.chunkNext[c]!) {
        const fill = c === this.tail[lane] ? this.tailFill[lane]! : CHUNK;
        const base = (c << CHUNK_BITS) << 2;
        for (let i = 0; i < fill; i++) min = Math.min(min, this.f64[base + (i << 2)]!);
      }
    }
    return min;
  }

  /**
   * Removes the next event if its time is before `end` and returns its slot (its fields stay readable
   * until the next pop), else returns -1 and removes nothing.
   */
  popBefore(end: number): number {
    // The common case first: the next record of the sorted current bucket, nothing merged into it.
    if (this.curSorted && this.lateLen === 0 && this.pendingLen === 0 && this.orderPos < this.orderLen) {
      const next = this.order[this.orderPos]!;
      if (!(this.f64[next << 2]! < end)) return NONE;
      if (this.popLane >= 0) this.leaveLanes(next);
      this.orderPos++;
      this.live--;
      this.inRing--;
      return next;
    }
    const s = this.peekSlot(end);
    if (s === NONE || !(this.f64[s << 2]! < end)) return NONE;
    if (this.lateLen > 0 && s === this.late[0]) this.latePop();
    else this.orderPos++;
    this.live--;
    this.inRing--;
    return s;
  }

  /**
   * The next event's slot, sorting the next bucket if needed, or NONE. The current bucket never moves
   * past the one holding `limit`: a drained batch (all of it at or after the window's end) then always
   * lands in or after the current bucket. Past it, such events would join the current bucket, which
   * can be a far one (the next block, seconds ahead) that would be re-sorted at every window. A bucket
   * that starts at or after `limit` is left unsorted, since the coming drain may add to it.
   */
  private peekSlot(limit = Infinity): number {
    if (this.pendingLen > 0) this.resortCurrent();
    const last = limit === Infinity ? Infinity : Math.floor(limit * this.invWidth);
    for (;;) {
      if (this.curSorted) {
        const hasOrder = this.orderPos < this.orderLen;
        if (hasOrder && this.lateLen > 0) {
          const x = this.order[this.orderPos]!;
          const y = this.late[0]!;
          return this.before(y, x) ? y : x;
        }
        if (hasOrder) return this.order[this.orderPos]!;
        if (this.lateLen > 0) return this.late[0]!;
        if (this.cur >= last) return NONE;
        this.finishBucket();
      }
      if (this.live === 0) return NONE;
      if (this.inRing === 0) {
        const b = Math.floor(this.far.minTime() * this.invWidth);
        if (b > last) return NONE;
        this.cur = b;
        this.curMin = NaN;
      }
      this.migrateFar();
      if (limit !== Infinity && this.bucketSize[this.cur & this.ringMask] !== 0 && this.currentMin() >= limit) return NONE;
      this.sortCurrent();
    }
  }

  /** The rest of the current bucket, the late heap and the held-back batch, sorted into one run. */
  private resortCurrent(): void {
    const rest = this.orderLen - this.orderPos;
    const n = rest + this.lateLen + this.pendingLen;
    if (this.order.length < n) {
      const grown = new Int32Array(Math.max(n, this.order.length * 2));
      grown.set(this.order.subarray(this.orderPos, this.orderLen));
      this.order = grown;
    } else {
      this.order.copyWithin(0, this.orderPos, this.orderLen);
    }
    this.order.set(this.late.subarray(0, this.lateLen), rest);
    this.order.set(this.pending.subarray(0, this.pendingLen), rest + this.lateLen);
    this.orderPos = 0;
    this.orderLen = n;
    this.lateLen = 0;
    this.pendingLen = 0;
    this.sortOrder(n);
  }

  private pendingPush(s: number): void {
    if (this.pendingLen === this.pending.length) this.pending = doubled(this.pending);
    this.pending[this.pendingLen++] = s;
  }

  private finishBucket(): void {
    const r = this.cur & this.ringMask;
    for (let lane = r * this.lanes, stop = lane + this.lanes; lane < stop; lane++) this.freeLane(lane);
    this.bucketSize[r] = 0;
    this.popLane = -1;
    this.curSorted = false;
    this.orderLen = 0;
    this.orderPos = 0;
    this.cur++;
    this.curMin = NaN;
  }

  private migrateFar(): void {
    // Compare bucket numbers, not times: push() decides by bucket number, and a time just below a
    // computed horizon could still round into the bucket past it and bounce back here forever.
    const horizon = this.cur + this.ringSize;
    while (this.far.size > 0 && Math.floor(this.far.minTime() * this.invWidth) < horizon) {
      const f = this.far;
      const i = f.popIndex();
      this.live--; // push counts it again
      this.push(f.time[i]!, f.dst[i]!, f.src[i]!, f.seq[i]!, f.kind[i]!, f.a[i]!, f.b[i]!);
    }
  }

  private sortCurrent(): void {
    const r = this.cur & this.ringMask;
    const n = this.bucketSize[r]!;
    if (this.order.length < n) this.order = new Int32Array(Math.max(n, this.order.length * 2));
    const order = this.order;
    let k = 0;
    for (let lane = r * this.lanes, stop = lane + this.lanes; lane < stop; lane++) {
      for (let c = this.head[lane]!; c !== NONE; c = this.chunkNext[c]!) {
        const fill = c === this.tail[lane] ? this.tailFill[lane]! : CHUNK;
        const base = c << CHUNK_BITS;
        for (let i = 0; i < fill; i++) order[k++] = base + i;
      }
    }
    this.orderLen = n;
    this.orderPos = 0;
    this.curSorted = true;
    if (n > 1) this.sortOrder(n);
    // One time throughout and every record in its source's lane: the pops go lane by lane.
    this.popLane = n > 1 && this.laned[r] === 1 && this.tMin === this.tMax ? 0 : -1;
  }

  /** The total event order, DESIGN §3, on two slots. */
  private before(x: number, y: number): boolean {
    return this.less(this.f64[x << 2]!, this.i32[(x << 3) + SRC]!, x, this.f64[y << 2]!, this.i32[(y << 3) + SRC]!, y);
  }

  // Sorting a bucket: `order[0..n)` holds its slots; afterwards they are in key order.
  //
  // What is sorted is runs, not events. A run is a stretch of adjacent slots, listed one after another,
  // with one time and one source and rising sequence numbers: a node that sends one message to all its
  // peers at once (flooding over a constant latency) appends such a run, already in key order. Runs
  // are ordered by their first records; when two runs of one time and source then overlap in sequence
  // numbers (never, while a source's events are appended in the order it sent them), the bucket is
  // sorted again event by event. Why: a 1M-node flood's largest wave is 3.6M events but only 520k
  // runs, so the radix passes, their scratch arrays (the biggest memory after the records) and the
  // tie checks shrink 7×. Runs are items 0..G-1, described by `runSlot`/`runLen`; sorts permute items.
  private sortOrder(n: number): void {
    let G = this.findRuns(n, false);
    if (!this.sortRuns(G)) {
      G = this.findRuns(n, true);
      this.sortRuns(G);
    }
    if (G >= LANES_MIN) this.lanesOn = this.lanes > 1 && this.tMin === this.tMax;
    // Lay the runs out in their sorted order.
    const order = this.order;
    if (G === n) {
      // Every run a single event (random delays, PHOLD): no lengths to read.
      for (let i = 0; i < n; i++) order[i] = this.runSlot[this.items[i]!]!;
      return;
    }
    for (let i = 0, k = 0; i < G; i++) {
      const g = this.items[i]!;
      const s = this.runSlot[g]!;
      for (let j = 0, len = this.runLen[g]!; j < len; j++) order[k++] = s + j;
    }
  }

  /** Sorts items 0..G-1 in run order; false if two runs of one time and source overlap. */
  private sortRuns(G: number): boolean {
    const { tMin, tMax } = this;
    if (G < 2) return true;
    this.ensureRunScratch(G);
    if (tMin === tMax) return this.radixBySource(G, this.maxSrc);
    if (G >= RADIX_TIME_MIN) {
      const sorted = this.radixByTime(G, tMin, tMax);
      if (sorted !== null) return sorted;
    }
    return this.mergeSort(G);
  }

  /** Whether run y, sorted right after run x with the same time and source, starts inside x's range. */
  private overlaps(x: number, y: number): boolean {
    return this.seqOf(this.runSlot[x]! + this.runLen[x]! - 1) >= this.seqOf(this.runSlot[y]!);
  }

  /**
   * Splits order[0..n) into runs (see sortOrder), or into single events, and returns their count; in
   * the same pass over the records, sets up the sort: items in run order, keyS = each run's source,
   * and the time range and largest source.
   */
  private findRuns(n: number, single: boolean): number {
    const order = this.order;
    let runSlot = this.runSlot;
    let runLen = this.runLen;
    let items = this.items;
    let ks = this.keyS;
    let tMin = Infinity;
    let tMax = -Infinity;
    let maxSrc = 0;
    let G = 0;
    let prev = -2;
    let prevT = NaN;
    let prevSrc = 0;
    let prevSeq = 0;
    for (let i = 0; i < n; i++) {
      const s = order[i]!;
      const t = this.f64[s << 2]!;
      const o = s << 3;
      const src = this.i32[o + SRC]!;
      const seq = this.i32[o + SEQ]!;
      if (!single && s === prev + 1 && t === prevT && src === prevSrc && seq >>> 0 > prevSeq >>> 0) {
        runLen[G - 1]!++;
      } else {
        if (G === runSlot.length || G === items.length || G === ks.length) {
          // The count of runs is known only at the end; sized for n up front, the scratch would cost
          // n entries (malloc clears recycled memory, touching every page) where runs need a seventh.
          this.ensureRunScratch(Math.min(n, 2 * G + 1024), G);
          ({ runSlot, runLen, items, keyS: ks } = this);
        }
        runSlot[G] = s;
        runLen[G] = 1;
        items[G] = G;
        ks[G++] = src;
        if (t < tMin) tMin = t;
        if (t > tMax) tMax = t;
        if (src > maxSrc) maxSrc = src;
      }
      prev = s;
      prevT = t;
      prevSrc = src;
      prevSeq = seq;
    }
    this.tMin = tMin;
    this.tMax = tMax;
    this.maxSrc = maxSrc;
    return G;
  }

  /** The total order on runs: by their first record. */
  private runBefore(x: number, y: number): boolean {
    return this.before(this.runSlot[x]!, this.runSlot[y]!);
  }

  // Every run of the bucket at one time (constant latency, PHOLD): the order is by source, then
  // sequence, so a linear LSD radix sort on the source replaces the comparison sort. It is stable, and a
  // node's runs mostly arrive in sequence order; the final pass repairs the few that do not.
  private radixBySource(G: number, maxSrc: number): boolean {
    this.radixPasses(G, 32 - Math.clz32(maxSrc));
    const items = this.items;
    const ks = this.keyS;
    for (let i = 1; i < G; i++) {
      if (ks[i] !== ks[i - 1] || this.runBefore(items[i - 1]!, items[i]!)) continue;
      const x = items[i]!;
      const src = ks[i];
      let h = i - 1;
      while (h >= 0 && ks[h] === src && this.runBefore(x, items[h]!)) {
        items[h + 1] = items[h]!;
        h--;
      }
      items[h + 1] = x;
    }
    for (let i = 1; i < G; i++) if (ks[i] === ks[i - 1] && this.overlaps(items[i - 1]!, items[i]!)) return false;
    return true;
  }

  // Distinct times (random latencies, diffusion): an LSD radix sort on a 32-bit key that is a monotone
  // function of the time, floor((t - tMin) * 2^32 / span), in three passes; then equal keys (equal or
  // nearly equal times) are put in full key order by insertion. Linear where the merge sort was
  // n log n (measured: 39% of a 1M-node bitcoin flood). Returns null, leaving a valid permutation, when
  // long stretches of equal keys (few distinct times) make insertion a poor fit, and the merge sort then
  // finishes; else whether the runs are free of overlaps.
  private radixByTime(G: number, tMin: number, tMax: number): boolean | null {
    const scale = (4294967296 / (tMax - tMin)) * (1 - 2 ** -20);
    for (let i = 0; i < G; i++) this.keyS[i] = ((this.f64[this.runSlot[this.items[i]!]! << 2]! - tMin) * scale) >>> 0;
    this.radixPasses(G, 32);
    const items = this.items;
    const key = this.keyS;
    for (let i = 1, equalFrom = 0; i < G; i++) {
      if (key[i] !== key[i - 1]) {
        equalFrom = i;
        continue;
      }
      if (i - equalFrom >= MIN_RUN) return null;
      const x = items[i]!;
      let h = i - 1;
      while (h >= equalFrom && this.runBefore(x, items[h]!)) {
        items[h + 1] = items[h]!;
        h--;
      }
      items[h + 1] = x;
    }
    for (let i = 1; i < G; i++) if (key[i] === key[i - 1] && this.sameTimeAndSource(items[i - 1]!, items[i]!) && this.overlaps(items[i - 1]!, items[i]!)) return false;
    return true;
  }

  private sameTimeAndSource(x: number, y: number): boolean {
    const a = this.runSlot[x]!;
    const b = this.runSlot[y]!;
    return this.f64[a << 2] === this.f64[b << 2] && this.i32[(a << 3) + SRC] === this.i32[(b << 3) + SRC];
  }

  /** Stable LSD radix passes over (keyS, items) for keys of `bits` bits; the result is left in both. */
  private radixPasses(G: number, bits: number): void {
    let items = this.items;
    let items2 = this.items2;
    let key = this.keyS;
    let key2 = this.keyS2;
    for (let shift = 0; shift === 0 || shift < bits; shift += RADIX_BITS) {
      this.tick();
      const count = this.digitStarts(key, G, shift);
      for (let i = 0; i < G; i++) {
        const at = count[(key[i]! >>> shift) & RADIX_MASK]!++;
        key2[at] = key[i]!;
        items2[at] = items[i]!;
      }
      [key, key2] = [key2, key];
      [items, items2] = [items2, items];
    }
    this.items = items;
    this.items2 = items2;
    this.keyS = key;
    this.keyS2 = key2;
  }

  /** For one LSD radix pass: where each digit's run starts in the output (a counting sort's offsets). */
  private digitStarts(key: Int32Array, n: number, shift: number): Int32Array {
    const count = this.radixCount;
    count.fill(0);
    for (let i = 0; i < n; i++) count[((key[i]! >>> shift) & RADIX_MASK) + 1]!++;
    for (let d = 1; d <= RADIX_MASK; d++) count[d] = count[d]! + count[d - 1]!;
    return count;
  }

  // Natural merge sort on copies of the keys, for few runs or few distinct times. Why: merging walks
  // contiguous key arrays where a quicksort would jump around a large record pool (measured: 2.7 s vs
  // under 1 s for a 1M-node flood), and a bucket appended in send order holds long sorted stretches.
  // `items` may hold any permutation (a radix pass may have run first).
  private mergeSort(G: number): boolean {
    this.ensureMergeScratch(G);
    let items = this.items;
    let kt = this.keyT;
    let ks = this.keyS;
    for (let i = 0; i < G; i++) {
      const slot = this.runSlot[items[i]!]!;
      kt[i] = this.f64[slot << 2]!;
      ks[i] = this.i32[(slot << 3) + SRC]!;
    }
    // Stretches: maximal ascending ones, each extended to at least MIN_RUN by insertion.
    const starts = this.starts;
    let count = 0;
    let i = 0;
    while (i < G) {
      starts[count++] = i;
      let j = i + 1;
      while (j < G && this.itemLess(kt[j - 1]!, ks[j - 1]!, items[j - 1]!, kt[j]!, ks[j]!, items[j]!)) j++;
      const stop = Math.min(G, i + MIN_RUN);
      for (; j < stop; j++) {
        const t = kt[j]!;
        const sr = ks[j]!;
        const x = items[j]!;
        let h = j - 1;
        while (h >= i && this.itemLess(t, sr, x, kt[h]!, ks[h]!, items[h]!)) {
          kt[h + 1] = kt[h]!;
          ks[h + 1] = ks[h]!;
          items[h + 1] = items[h]!;
          h--;
        }
        kt[h + 1] = t;
        ks[h + 1] = sr;
        items[h + 1] = x;
      }
      i = j;
    }
    if (count === 1) return this.disjointAfterMerge(G, kt, ks, items);
    starts[count] = G;
    let kt2 = this.keyT2;
    let ks2 = this.keyS2;
    let items2 = this.items2;
    while (count > 1) {
      this.tick();
      let out = 0;
      for (let r = 0; r < count; r += 2) {
        const lo = starts[r]!;
        starts[out++] = lo;
        if (r + 1 === count) {
          kt2.set(kt.subarray(lo, G), lo);
          ks2.set(ks.subarray(lo, G), lo);
          items2.set(items.subarray(lo, G), lo);
          break;
        }
        const mid = starts[r + 1]!;
        const hi = starts[r + 2]!;
        let a = lo;
        let b = mid;
        let o = lo;
        while (a < mid && b < hi) {
          if (this.itemLess(kt[b]!, ks[b]!, items[b]!, kt[a]!, ks[a]!, items[a]!)) {
            kt2[o] = kt[b]!;
            ks2[o] = ks[b]!;
            items2[o++] = items[b++]!;
          } else {
            kt2[o] = kt[a]!;
            ks2[o] = ks[a]!;
            items2[o++] = items[a++]!;
          }
        }
        for (; a < mid; a++, o++) {
          kt2[o] = kt[a]!;
          ks2[o] = ks[a]!;
          items2[o] = items[a]!;
        }
        for (; b < hi; b++, o++) {
          kt2[o] = kt[b]!;
          ks2[o] = ks[b]!;
          items2[o] = items[b]!;
        }
      }
      starts[out] = G;
      count = out;
      [kt, kt2] = [kt2, kt];
      [ks, ks2] = [ks2, ks];
      [items, items2] = [items2, items];
    }
    // The ping-pong may end in either buffer: keep the names pointing at the result.
    if (items !== this.items) {
      this.items2 = this.items;
      this.items = items;
      this.keyT2 = this.keyT;
      this.keyT = kt;
      this.keyS2 = this.keyS;
      this.keyS = ks;
    }
    return this.disjointAfterMerge(G, kt, ks, items);
  }

  private disjointAfterMerge(G: number, kt: Float64Array, ks: Int32Array, items: Int32Array): boolean {
    for (let i = 1; i < G; i++) if (kt[i] === kt[i - 1] && ks[i] === ks[i - 1] && this.overlaps(items[i - 1]!, items[i]!)) return false;
    return true;
  }

  // Scratch grows with the most runs a bucket has had and is kept. The arrays trade places as sorts swap
  // buffers, so each is checked on its own. The merge sort's time keys are made only when a merge sort
  // runs: a flood over one constant latency never needs them.
  // `keep`: entries filled so far, carried over when an array grows.
  private ensureRunScratch(G: number, keep = 0): void {
    const fit = (a: Int32Array<ArrayBuffer>, k: number) => (a.length >= G ? a : resize(a.subarray(0, k), new Int32Array(grown(a.length, G))));
    this.runSlot = fit(this.runSlot, keep);
    this.runLen = fit(this.runLen, keep);
    this.items = fit(this.items, keep);
    this.keyS = fit(this.keyS, keep);
    this.items2 = fit(this.items2, 0);
    this.keyS2 = fit(this.keyS2, 0);
  }

  private ensureMergeScratch(G: number): void {
    if (this.keyT.length < G) this.keyT = new Float64Array(grown(this.keyT.length, G));
    if (this.keyT2.length < G) this.keyT2 = new Float64Array(grown(this.keyT2.length, G));
    if (this.starts.length < G + 1) this.starts = new Int32Array(grown(this.starts.length, G + 1));
  }

  /**
   * The total event order, DESIGN §3: (time, source node, source sequence number), on keys already read
   * (time, source) and the slots for the rare full tie. Ties are never broken at random.
   */
  private less(ta: number, sa: number, a: number, tb: number, sb: number, b: number): boolean {
    if (ta !== tb) return ta < tb;
    if (sa !== sb) return sa < sb;
    return this.seqOf(a) < this.seqOf(b);
  }

  /** `less` on runs: the rare full tie reads the first records' sequence numbers. */
  private itemLess(ta: number, sa: number, x: number, tb: number, sb: number, y: number): boolean {
    if (ta !== tb) return ta < tb;
    if (sa !== sb) return sa < sb;
    return this.seqOf(this.runSlot[x]!) < this.seqOf(this.runSlot[y]!);
  }

  private append(r: number, src: number): number {
    const first = this.bucketSize[r]!++ === 0;
    let lane = r * this.lanes;
    if (this.lanesOn) {
      lane += Math.min(this.lanes - 1, src >>> this.laneShift);
      if (first) this.laned[r] = 1;
    } else {
      this.laned[r] = 0;
    }
    let c = this.tail[lane]!;
    if (c === NONE || this.tailFill[lane] === CHUNK) {
      const fresh = this.takeChunk();
      this.chunkNext[fresh] = NONE;
      if (c === NONE) this.head[lane] = fresh;
      else this.chunkNext[c] = fresh;
      this.tail[lane] = fresh;
      this.tailFill[lane] = 0;
      c = fresh;
    }
    const fill = this.tailFill[lane]!;
    this.tailFill[lane] = fill + 1;
    return (c << CHUNK_BITS) + fill;
  }

  /** Frees the current bucket's lanes that the pops have left behind, now that `next` is popped. */
  private leaveLanes(next: number): void {
    const lane = Math.min(this.lanes - 1, this.i32[(next << 3) + SRC]! >>> this.laneShift);
    if (lane === this.popLane) return;
    const base = (this.cur & this.ringMask) * this.lanes;
    for (let k = this.popLane; k < lane; k++) this.freeLane(base + k);
    this.popLane = lane;
  }

  /** Returns a lane's chunks to the free list; the lane is empty after. */
  private freeLane(lane: number): void {
    for (let c = this.head[lane]!; c !== NONE; c = this.chunkNext[c]!) this.freeChunks[this.freeTop++] = c;
    this.head[lane] = NONE;
    this.tail[lane] = NONE;
    this.tailFill[lane] = 0;
  }

  private takeChunk(): number {
    if (this.freeTop === 0) this.grow();
    return this.freeChunks[--this.freeTop]!;
  }

  // Rare by design (the shard reserves an estimate up front): doubling copies every record.
  private grow(): void {
    const old = this.chunks;
    const chunks = old * 2;
    const cap = chunks * CHUNK;
    const buf = new ArrayBuffer(cap * RECORD_BYTES);
    new Uint8Array(buf).set(new Uint8Array(this.f64.buffer));
    this.f64 = new Float64Array(buf);
    this.i32 = new Int32Array(buf);
    this.chunkNext = resize(this.chunkNext, new Int32Array(chunks));
    this.freeChunks = new Int32Array(chunks);
    for (let c = 0; c < chunks - old; c++) this.freeChunks[c] = chunks - 1 - c;
    this.freeTop = chunks - old;
    this.chunks = chunks;
  }

  private latePush(s: number): void {
    if (this.lateLen === this.late.length) this.late = doubled(this.late);
    const h = this.late;
    let i = this.lateLen++;
    while (i > 0) {
      const p = (i - 1) >> 1;
      if (!this.before(s, h[p]!)) break;
      h[i] = h[p]!;
      i = p;
    }
    h[i] = s;
  }

  private latePop(): void {
    const h = this.late;
    const n = --this.lateLen;
    const x = h[n]!;
    let i = 0;
    for (;;) {
      let c = 2 * i + 1;
      if (c >= n) break;
      if (c + 1 < n && this.before(h[c + 1]!, h[c]!)) c++;
      if (!this.before(h[c]!, x)) break;
      h[i] = h[c]!;
      i = c;
    }
    h[i] = x;
  }
}

/** Events beyond the ring's horizon (long timers): few, so a plain binary heap on time is enough. */
class FarHeap {
  time = new Float64Array(64);
  dst = new Int32Array(64);
  src = new Int32Array(64);
  seq = new Uint32Array(64);
  kind = new Uint8Array(64);
  a = new Int32Array(64);
  b = new Int32Array(64);
  private heap = new Int32Array(64);
  private free = new Int32Array(64);
  private freeTop = 0;
  private used = 0;
  size = 0;

  push(t: number, dst: number, src: number, seq: number, kind: number, a: number, b: number): void {
    let s: number;
    if (this.freeTop > 0) s = this.free[--this.freeTop]!;
    else {
      if (this.used === this.time.length) this.grow();
      s = this.used++;
    }
    this.time[s] = t;
    this.dst[s] = dst;
    this.src[s] = src;
    this.seq[s] = seq;
    this.kind[s] = kind;
    this.a[s] = a;
    this.b[s] = b;
    const h = this.heap;
    let i = this.size++;
    while (i > 0) {
      const p = (i - 1) >> 1;
      if (this.time[h[p]!]! <= t) break;
      h[i] = h[p]!;
      i = p;
    }
    h[i] = s;
  }

  minTime(): number {
    return this.time[this.heap[0]!]!;
  }

  /** Pops the earliest record and returns its slot, valid until the next push. */
  popIndex(): number {
    const h = this.heap;
    const top = h[0]!;
    const n = --this.size;
    const x = h[n]!;
    const tx = this.time[x]!;
    let i = 0;
    for (;;) {
      let c = 2 * i + 1;
      if (c >= n) break;
      if (c + 1 < n && this.time[h[c + 1]!]! < this.time[h[c]!]!) c++;
      if (this.time[h[c]!]! >= tx) break;
      h[i] = h[c]!;
      i = c;
    }
    h[i] = x;
    this.free[this.freeTop++] = top;
    return top;
  }

  private grow(): void {
    this.time = doubled(this.time);
    this.dst = doubled(this.dst);
    this.src = doubled(this.src);
    this.seq = doubled(this.seq);
    this.kind = doubled(this.kind);
    this.a = doubled(this.a);
    this.b = doubled(this.b);
    this.heap = doubled(this.heap);
    this.free = doubled(this.free);
  }
}

/** A scratch array's next length: at least `need`, at least double the last. */
function grown(length: number, need: number): number {
  return Math.max(need, 2 * length);
}
