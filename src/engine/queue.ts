// The pending-event set of one shard, docs/architecture.md, "Event order".
//
// Why this shape: a binary heap pays a chain of dependent reads per pop over a large array, while a
// ring of time buckets sorted only when it becomes current reads each bucket in order (the measurements
// behind each choice here are in docs/architecture.md, "The event queue"). So: time is cut into buckets of `width` ms; an event is appended, unsorted,
// to the chunk list of its bucket; when a bucket becomes current its records are sorted once by the
// total order key (time, source node, source sequence number). Events that land in the current bucket
// after it was sorted (short timers, cross-shard batches drained mid-bucket) go to a small binary heap
// that pop merges with the sorted run. Events beyond the ring's horizon wait in a far heap and move into
// the ring as it turns. Records are 32-byte structs in recycled 256-record chunks of one typed buffer:
// no object per event, and a bucket's records stay close together in memory. A record is a run: the
// events one source sends with one time and one payload, as a node relaying a message to all its peers
// does, share one header and add only their destinations (see `extend`). Lanes let a bucket give its
// chunks back as it is popped (see `lanes`).

import { doubled, resize } from './typed-arrays.js';

const CHUNK_BITS = 8;
const CHUNK = 1 << CHUNK_BITS;
const NONE = -1;
const MIN_RUN = 32;
// A record, the header of a run: time as double 0; then as int32s 2..7. The run's first destination
// is in the header, its others in the slots right after it, 8 to a slot.
const RECORD_BYTES = 32;
const DST = 2;
const SRC = 3;
const SEQ = 4;
/** The kind in the low 8 bits, the run's length above them. */
const KIND_COUNT = 5;
const A = 6;
const B = 7;
/** A run's kind and length share one int32, here and in the cross-shard outboxes (shard.ts). */
export const COUNT_SHIFT = 8;
export const KIND_MASK = (1 << COUNT_SHIFT) - 1;
/** Word offset, from a header's first word, of its run's destination j (j >= 1). */
const MORE = 7;
/** What the queue tells its owner it is doing (the constructor's `tick`). */
export type QueueWork = 'sorting' | 'growing' | 'done';
/** Sorts of at least this many runs are announced as long operations. */
const LONG_SORT = 1 << 16;
/** Bytes copied between beats when the record pool grows. */
const GROW_SLICE = 64 << 20;

/** A sorted bucket of at least this many runs decides, by its times, whether lanes are used. */
const LANES_MIN = 1 << 14;
/** The widest radix digit: its counts (16 KiB) stay in the first-level cache. */
const RADIX_BITS = 11;
const RADIX_MASK = (1 << RADIX_BITS) - 1;
/** Bits of a time key beyond log2 of the runs sorted: about one run in 2^SPARE_BITS ties another. */
const SPARE_BITS = 5;
/** A sorted bucket of at least this many runs is copied into key order (see `compact`). */
const COMPACT_MIN = 1 << 14;
/** Below this many events a bucket is sorted by comparisons; the radix passes would cost more. */
const RADIX_TIME_MIN = 64;
/** A bucket of distinct times with at least this many runs is split before it is sorted (see `split`). */
const SPLIT_MIN = 1 << 14;
/** Runs a split aims to put in each sub-bucket: its records and sort scratch stay in the second-level cache. */
const SUB_RUNS = 1 << 13;
/** The compaction beats after every BEAT_RUNS + 1 runs it copies. */
const BEAT_RUNS = (1 << 16) - 1;
/** The most sub-buckets a split makes. */
const SUB_MAX = 64;

export class EventQueue {
  // Records are 32-byte structs in one buffer, seen as doubles (time) and as int32s (the rest): a push
  // to a random bucket or a pop in sorted order touches one cache line, where seven parallel arrays
  // touched seven.
  private f64: Float64Array;
  private i32: Int32Array;

  private chunkNext: Int32Array;
  /** Slots used in each chunk that is not its list's tail (a copied run never straddles two chunks). */
  private chunkFill: Int32Array;
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
  // Chunk lists are numbered: bucket r's lanes are r * lanes + k, then come the SUB_MAX sub-buckets of a
  // split current bucket (subBase + j), then one list a copy is built in (scratchList).
  private readonly subBase: number;
  private readonly scratchList: number;
  // Lanes: while the large buckets sorted have one time each (flooding over a constant latency), a
  // bucket's records go to one of `lanes` chunk lists by source range (lane = bucket * lanes + k).
  // Such a bucket pops by source, hence lane after lane, so each lane's chunks go back to the free
  // list as soon as the pops leave it, and the next wave, sent meanwhile, reuses them while they are
  // still in cache. Without lanes a wave's chunks are free only when the whole wave is handled, and
  // two waves are alive at once. When times differ,
  // pops interleave the lanes and part-filled lane chunks would only cost memory, so they are off.
  // Where a record lies never changes the order of events.
  private readonly lanes: number;
  private readonly laneShift: number;
  private lanesOn = false;
  /** Per bucket: events, and records (run headers). */
  private readonly bucketSize: Int32Array;
  private readonly bucketHeads: Int32Array;
  /**
   * Per bucket: the earliest and latest time of its records, kept by every insert. A bucket learns its
   * range as it fills, so the window's bound and the choice to split a bucket need no pass over it.
   */
  private readonly bucketMin: Float64Array;
  private readonly bucketMax: Float64Array;
  // The run the last push started or extended, the only one a push may extend (see `extend`), and its
  // lane; -1 when there is none: the last push was sealed, or since then the run's bucket was sorted
  // (its order is fixed), a lane was freed, or lanes were turned on or off (a source's next events go
  // to another lane). A push compares itself with that header, just written and still in cache: copies
  // of its fields kept here cost more in stores than they saved where no two sends share a time.
  private lastHead = NONE;
  private lastLane = 0;
  /** Per bucket: 1 while every record in it went to its source's lane. */
  private readonly laned: Uint8Array;
  /** The lane of the current bucket the pops are in, or -1 when lanes are not being freed. */
  private popLane = -1;
  /** Absolute number of the current bucket. */
  private cur = 0;
  private curSorted = false;
  private inRing = 0;
  // A split current bucket (see `split`): its sub-buckets, subAt the one being popped or next to be
  // sorted; sub-bucket j holds the times t with floor((t - subT0) * subScale) = j, the last also later ones.
  private subK = 0;
  private subAt = 0;
  // Doubles from the start, as the times they hold (-0: see Shard.now).
  private subT0 = -0;
  private subScale = -0;
  /** Each sub-bucket's earliest time, kept by the split's copy and by inserts, for the window's bound. */
  private readonly subMin = new Float64Array(SUB_MAX);

  /** The current bucket's run headers in key order; the pops are at order[orderPos], event popJ. */
  private order = new Int32Array(CHUNK);
  private popJ = 0;
  private popDst = 0;
  // A run partly popped when its bucket was sorted again (resortCurrent) resumes at event partialFrom.
  private partialSlot = NONE;
  private partialFrom = 0;
  // Sort scratch, one entry per run (see sortRuns): the headers, and a permutation of them (items).
  private runSlot = new Int32Array(0);
  private items = new Int32Array(0);
  private items2 = new Int32Array(0);
  private keyT = new Float64Array(0);
  private keyT2 = new Float64Array(0);
  private keyS = new Int32Array(0);
  private keyS2 = new Int32Array(0);
  private starts = new Int32Array(0);
  // The bucket being sorted: its time range and largest source, found with its runs.
  private tMin = -0;
  private tMax = -0;
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
  /** The long operations under way, outermost first. */
  private readonly working: ('sorting' | 'growing')[] = [];

  /**
   * `tick` is called at every pass of a sort and every slice of a growth's copy: a bucket of tens of
   * millions of events takes seconds to sort, and the shard's heartbeat must keep going meanwhile or the
   * watchdog would call it stuck. It is told, too, when a large sort or a growth starts ('sorting',
   * 'growing') and ends ('done'), so the watchdog knows what the shard is doing (sync.ts, Phase).
   */
  constructor(widthMs: number, initialRecords: number, ringSize = 4096, private readonly tick: (work?: QueueWork) => void = () => {}, lanes = 1, sources = 1) {
    if (!(widthMs > 0) || !Number.isFinite(widthMs)) throw new Error(`bucket width must be > 0, got ${widthMs}`);
    this.width = widthMs;
    this.invWidth = 1 / widthMs;
    this.ringSize = ringSize;
    this.ringMask = ringSize - 1;
    this.lanes = lanes;
    this.laneShift = Math.max(0, Math.ceil(Math.log2(Math.max(1, sources))) - Math.log2(lanes));
    this.subBase = ringSize * lanes;
    this.scratchList = this.subBase + SUB_MAX;
    this.head = new Int32Array(this.scratchList + 1).fill(NONE);
    this.tail = new Int32Array(this.scratchList + 1).fill(NONE);
    this.tailFill = new Int32Array(this.scratchList + 1);
    this.bucketSize = new Int32Array(ringSize);
    this.bucketHeads = new Int32Array(ringSize);
    this.bucketMin = new Float64Array(ringSize).fill(Infinity);
    this.bucketMax = new Float64Array(ringSize).fill(-Infinity);
    this.laned = new Uint8Array(ringSize);
    const chunks = Math.max(16, Math.ceil(initialRecords / CHUNK));
    const buf = new ArrayBuffer(chunks * CHUNK * RECORD_BYTES);
    this.f64 = new Float64Array(buf);
    this.i32 = new Int32Array(buf);
    this.chunkNext = new Int32Array(chunks);
    this.chunkFill = new Int32Array(chunks);
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

  /** Records held in the ring: runs, each a 32-byte header and its further destinations. */
  get runs(): number {
    let n = 0;
    for (let r = 0; r < this.ringSize; r++) n += this.bucketHeads[r]!;
    return n;
  }

  // The fields of the event popBefore returned last, read through the slot it returned (its run's
  // header), valid until the next pop.
  time(s: number): number {
    return this.f64[s << 2]!;
  }
  /** Its destination: a run's events differ only in that. */
  dst(): number {
    return this.popDst;
  }
  src(s: number): number {
    return this.i32[(s << 3) + SRC]!;
  }
  kind(s: number): number {
    return this.i32[(s << 3) + KIND_COUNT]! & KIND_MASK;
  }
  a(s: number): number {
    return this.i32[(s << 3) + A]!;
  }
  b(s: number): number {
    return this.i32[(s << 3) + B]!;
  }
  /** A run's first sequence number: its events' order among a source's events of one time. */
  private seqOf(s: number): number {
    return this.i32[(s << 3) + SEQ]! >>> 0;
  }
  private countOf(s: number): number {
    return this.i32[(s << 3) + KIND_COUNT]! >>> COUNT_SHIFT;
  }

  /**
   * Adds an event. A source's events of one time must be pushed in the order of their sequence
   * numbers (a node's sends, local or drained from another shard, always are): a run covers the
   * sequence numbers from its first to its last event, and two runs of one source and time must not
   * interleave. The sort checks what it can of that and throws if it sees it broken.
   */
  push(t: number, dst: number, src: number, seq: number, kind: number, a: number, b: number): void {
    let bucket = Math.floor(t * this.invWidth);
    // An event earlier than the current bucket is legal: peekTime may have advanced to a later bucket
    // before a cross-shard batch (all of it later than anything popped) was drained. It joins the current
    // bucket, whose order (sort or late heap) compares full keys, so it still pops first.
    if (bucket < this.cur) bucket = this.cur;
    this.live++;
    if (this.lastHead !== NONE && this.f64[this.lastHead << 2] === t && this.sameRun(src, kind, a, b) && this.extend(dst)) {
      this.bucketSize[bucket & this.ringMask]!++;
      this.inRing++;
      return;
    }
    if (bucket >= this.cur + this.ringSize) {
      this.far.push(t, dst, src, seq, kind, a, b);
      return;
    }
    this.insert(bucket, t, dst, src, seq, kind, a, b, true);
  }

  /**
   * Starts a new run in a ring bucket. Only a `direct` one (straight from a send) may grow, and only
   * while its bucket is not sorted yet.
   */
  private insert(bucket: number, t: number, dst: number, src: number, seq: number, kind: number, a: number, b: number, direct: boolean): void {
    const r = bucket & this.ringMask;
    let list = this.laneOf(r, src);
    this.inRing++;
    this.bucketHeads[r]!++;
    if (t < this.bucketMin[r]!) this.bucketMin[r] = t;
    if (t > this.bucketMax[r]!) this.bucketMax[r] = t;
    let sorted = bucket === this.cur && this.curSorted;
    if (bucket === this.cur && this.subK > 0) {
      // A split bucket: a time of the sub-bucket being popped merges into its pops; any other joins its
      // own sub-bucket, which is not sorted yet. Never a run that may grow: that needs a lane's tail.
      const j = Math.max(this.subAt, this.subOf(t));
      if (!sorted || j > this.subAt) {
        list = this.subBase + j;
        if (t < this.subMin[j]!) this.subMin[j] = t;
        sorted = false;
        direct = false;
      }
    }
    const s = this.takeSlot(list);
    this.f64[s << 2] = t;
    const o = s << 3;
    const w = this.i32;
    w[o + DST] = dst;
    w[o + SRC] = src;
    w[o + SEQ] = seq;
    w[o + KIND_COUNT] = kind | (1 << COUNT_SHIFT);
    w[o + A] = a;
    w[o + B] = b;
    this.lastHead = direct && !sorted ? s : NONE;
    this.lastLane = list;
    if (sorted) {
      // Merged into the pops out of lane order: from here on, this bucket's lanes wait for its end.
      this.popLane = -1;
      if (this.batching) this.pendingPush(s);
      else this.latePush(s);
    }
  }

  /** Whether an event of the last push's run's time has its source, kind and payload. */
  private sameRun(src: number, kind: number, a: number, b: number): boolean {
    const o = this.lastHead << 3;
    const w = this.i32;
    return w[o + SRC] === src && (w[o + KIND_COUNT]! & KIND_MASK) === kind && w[o + A] === a && w[o + B] === b;
  }

  /**
   * Adds a destination to the last push's run, which has this event's time, source, kind and payload.
   * Why: a node relaying a message to its peers pushes one such event per peer, one after another; a
   * 1M-node flood's waves are runs of about 7, so an event costs 4 bytes after its run's 32-byte header
   * instead of a record of its own. Sequence numbers need
   * not be consecutive (a node's sends to other shards fall in between): a run stands for its source's
   * events of that time from its first to its last, which is why only a push straight from a send, in
   * sequence order, may extend one.
   */
  private extend(dst: number): boolean {
    const lane = this.lastLane;
    const o = this.lastHead << 3;
    const w = this.i32;
    const kc = w[o + KIND_COUNT]!;
    const count = kc >>> COUNT_SHIFT;
    if (((count - 1) & 7) === 0) {
      // The run's slots are full: it grows into the next slot of its chunk, which is the lane's tail.
      if (this.tailFill[lane] === CHUNK) return false;
      this.tailFill[lane]!++;
    }
    w[o + MORE + count] = dst;
    w[o + KIND_COUNT] = kc + (1 << COUNT_SHIFT);
    return true;
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
      if (this.bucketSize[b & this.ringMask] !== 0) return Math.min(min, this.bucketMin[b & this.ringMask]!);
    }
    return min;
  }

  /** Earliest time in the current, unsorted bucket (of a split one, in its next sub-bucket). */
  private currentMin(): number {
    return this.subK === 0 ? this.bucketMin[this.cur & this.ringMask]! : this.subMin[this.subAt]!;
  }

  /** The chunk lists the current bucket is sorted from: its lanes, or the split's next sub-bucket. */
  private currentLists(): [number, number] {
    if (this.subK > 0) return [this.subBase + this.subAt, this.subBase + this.subAt + 1];
    const from = (this.cur & this.ringMask) * this.lanes;
    return [from, from + this.lanes];
  }

  /**
   * Removes the next event if its time is before `end` and returns its slot (its fields stay readable
   * until the next pop), else returns -1 and removes nothing.
   */
  popBefore(end: number): number {
    // The common case first: the next event of the sorted current bucket, nothing merged into it.
    if (this.curSorted && this.lateLen === 0 && this.pendingLen === 0 && this.orderPos < this.orderLen) {
      const h = this.order[this.orderPos]!;
      if (!(this.f64[h << 2]! < end)) return NONE;
      this.popRun(h);
      this.live--;
      this.inRing--;
      return h;
    }
    const s = this.peekSlot(end);
    if (s === NONE || !(this.f64[s << 2]! < end)) return NONE;
    if (this.lateLen > 0 && s === this.late[0]) {
      this.latePop();
      this.popDst = this.i32[(s << 3) + DST]!;
    } else {
      this.popRun(s);
    }
    this.live--;
    this.inRing--;
    return s;
  }

  /** Pops the next event of run `h`, the one at order[orderPos]. */
  private popRun(h: number): void {
    let j = this.popJ;
    const o = h << 3;
    if (j === 0) {
      if (h === this.partialSlot) {
        j = this.partialFrom;
        this.partialSlot = NONE;
      }
      if (this.popLane >= 0) this.leaveLanes(h);
    }
    this.popDst = j === 0 ? this.i32[o + DST]! : this.i32[o + MORE + j]!;
    if (++j === this.i32[o + KIND_COUNT]! >>> COUNT_SHIFT) {
      j = 0;
      this.orderPos++;
    }
    this.popJ = j;
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
    // With events in the ring, one lies within a turn of it; a count that finds none would loop forever.
    for (let turns = 0; ; turns++) {
      if (turns > this.ringSize + SUB_MAX || (this.live > 0 && this.inRing === 0 && this.far.size === 0)) throw new Error('event queue: events counted but not found');
      if (this.curSorted) {
        const hasOrder = this.orderPos < this.orderLen;
        if (hasOrder && this.lateLen > 0) {
          const x = this.order[this.orderPos]!;
          const y = this.late[0]!;
          return this.before(y, x) ? y : x;
        }
        if (hasOrder) return this.order[this.orderPos]!;
        if (this.lateLen > 0) return this.late[0]!;
        if (!(this.subK > 0 && this.nextSub())) {
          if (this.cur >= last) return NONE;
          this.finishBucket();
        }
      }
      if (this.live === 0) return NONE;
      if (this.inRing === 0) {
        const b = Math.floor(this.far.minTime() * this.invWidth);
        if (b > last) return NONE;
        this.cur = b;
      }
      this.migrateFar();
      // Only the bucket holding `limit` can start at or after it: an earlier one's times are all before it.
      if (this.cur >= last && this.bucketSize[this.cur & this.ringMask] !== 0 && this.currentMin() >= limit) return NONE;
      this.sortCurrent();
    }
  }

  /** The rest of the current bucket, the late heap and the held-back batch, sorted into one order. */
  private resortCurrent(): void {
    const rest = this.orderLen - this.orderPos;
    if (this.popJ > 0) {
      // Only runs of the sorted bucket have more than one event, and they all sort after this one, so
      // at most one run is ever partly popped.
      if (this.partialSlot !== NONE) throw new Error('event queue: two runs partly popped');
      this.partialSlot = this.order[this.orderPos]!;
      this.partialFrom = this.popJ;
      this.popJ = 0;
    }
    const G = rest + this.lateLen + this.pendingLen;
    const long = G >= LONG_SORT;
    if (long) this.begin('sorting');
    this.ensureRunScratch(G);
    const runs = this.runSlot;
    runs.set(this.order.subarray(this.orderPos, this.orderLen));
    runs.set(this.late.subarray(0, this.lateLen), rest);
    runs.set(this.pending.subarray(0, this.pendingLen), rest + this.lateLen);
    this.lateLen = 0;
    this.pendingLen = 0;
    let tMin = Infinity;
    let tMax = -Infinity;
    let maxSrc = 0;
    for (let g = 0; g < G; g++) {
      const h = runs[g]!;
      const t = this.f64[h << 2]!;
      const src = this.i32[(h << 3) + SRC]!;
      this.items[g] = g;
      this.keyS[g] = src;
      if (t < tMin) tMin = t;
      if (t > tMax) tMax = t;
      if (src > maxSrc) maxSrc = src;
    }
    this.tMin = tMin;
    this.tMax = tMax;
    this.maxSrc = maxSrc;
    this.sortRuns(G);
    if (long) this.end();
  }

  // Long operations nest (a sort's copy can grow the pool): when the inner one ends, the outer one is
  // announced again, not "done".
  private begin(work: 'sorting' | 'growing'): void {
    this.working.push(work);
    this.tick(work);
  }

  private end(): void {
    this.working.pop();
    this.tick(this.working.at(-1) ?? 'done');
  }

  private pendingPush(s: number): void {
    if (this.pendingLen === this.pending.length) this.pending = doubled(this.pending);
    this.pending[this.pendingLen++] = s;
  }

  private finishBucket(): void {
    const r = this.cur & this.ringMask;
    for (let lane = r * this.lanes, stop = lane + this.lanes; lane < stop; lane++) this.freeLane(lane);
    this.bucketSize[r] = 0;
    this.bucketHeads[r] = 0;
    this.bucketMin[r] = Infinity;
    this.bucketMax[r] = -Infinity;
    this.popLane = -1;
    this.curSorted = false;
    this.orderLen = 0;
    this.orderPos = 0;
    this.popJ = 0;
    this.cur++;
  }

  /**
   * Frees the popped sub-bucket of a split bucket and makes the next non-empty one current, unsorted;
   * returns false, ending the split, when none is left.
   */
  private nextSub(): boolean {
    this.freeLane(this.subBase + this.subAt);
    this.orderLen = 0;
    this.orderPos = 0;
    this.popJ = 0;
    while (++this.subAt < this.subK) {
      if (this.head[this.subBase + this.subAt] !== NONE) {
        this.curSorted = false;
        return true;
      }
    }
    // The bucket stays sorted and popped to its end, as without a split: what lands in it now is late.
    this.subK = 0;
    return false;
  }

  private subOf(t: number): number {
    return Math.min(this.subK - 1, Math.floor((t - this.subT0) * this.subScale));
  }

  private migrateFar(): void {
    // Compare bucket numbers, not times: push() decides by bucket number, and a time just below a
    // computed horizon could still round into the bucket past it and bounce back here forever.
    const horizon = this.cur + this.ringSize;
    while (this.far.size > 0 && Math.floor(this.far.minTime() * this.invWidth) < horizon) {
      const f = this.far;
      const i = f.popIndex();
      // Sealed: the far heap gives ties on time back in any order, so these never form runs.
      const bucket = Math.max(this.cur, Math.floor(f.time[i]! * this.invWidth));
      this.insert(bucket, f.time[i]!, f.dst[i]!, f.src[i]!, f.seq[i]!, f.kind[i]!, f.a[i]!, f.b[i]!, false);
    }
  }

  private sortCurrent(): void {
    const r = this.cur & this.ringMask;
    // Only sorts long enough to matter are announced, scan and scratch included: a call per small
    // bucket would cost more than it says.
    const long = this.bucketHeads[r]! >= LONG_SORT;
    if (long) this.begin('sorting');
    this.ensureRunScratch(this.bucketHeads[r]!);
    if (this.subK === 0) {
      const runs = this.bucketHeads[r]!;
      const tMin = this.bucketMin[r]!;
      const tMax = this.bucketMax[r]!;
      if (runs >= LANES_MIN) this.lanesOn = this.lanes > 1 && tMin === tMax;
      if (runs >= SPLIT_MIN && tMin < tMax) this.split(runs, tMin, tMax);
    }
    const [from, to] = this.currentLists();
    const G = this.scan(from, to);
    this.lastHead = NONE;
    this.curSorted = true;
    this.popJ = 0;
    this.sortRuns(G);
    // One time throughout and every record in its source's lane: the pops go lane by lane.
    this.popLane = G > 1 && this.subK === 0 && this.laned[r] === 1 && this.tMin === this.tMax ? 0 : -1;
    // Inside the announcement: copying tens of millions of runs takes seconds.
    if (this.popLane < 0 && G >= COMPACT_MIN) this.compact(from, to, G);
    if (long) this.end();
  }

  /**
   * One pass over the records of chunk lists from..to-1 lists their runs and sets up the sort: runSlot
   * the headers in list order, items 0..G-1, keyS each run's source, and the time range and largest
   * source. Returns G, the runs found.
   */
  private scan(from: number, to: number): number {
    const { runSlot, items, keyS } = this;
    let tMin = Infinity;
    let tMax = -Infinity;
    let maxSrc = 0;
    let g = 0;
    for (let list = from; list < to; list++) {
      for (let c = this.head[list]!; c !== NONE; c = this.chunkNext[c]!) {
        const fill = this.fillOf(list, c);
        for (let h = c << CHUNK_BITS, end = h + fill; h < end; g++) {
          const o = h << 3;
          const t = this.f64[h << 2]!;
          const src = this.i32[o + SRC]!;
          runSlot[g] = h;
          items[g] = g;
          keyS[g] = src;
          if (t < tMin) tMin = t;
          if (t > tMax) tMax = t;
          if (src > maxSrc) maxSrc = src;
          h = nextRecord(h, this.i32[o + KIND_COUNT]! >>> COUNT_SHIFT);
        }
      }
    }
    this.tMin = tMin;
    this.tMax = tMax;
    this.maxSrc = maxSrc;
    return g;
  }

  /**
   * Splits the current bucket, of G runs, into sub-buckets of equal time spans,
   * each to be sorted when the pops reach it, and copies each run into its sub-bucket. Why: a bucket is
   * as wide as the smallest delay, so that nothing sent from it lands in it; with a dense wave of
   * distinct times (a 1M-node flood over random latencies) that is 100k runs and megabytes of records,
   * and sorting them, then gathering them in key order, misses the cache at every run. The copy reads
   * them in memory order, and a sub-bucket of about SUB_RUNS runs is sorted and popped in cache; its
   * chunks are freed as soon as it is popped, and the next wave reuses them while they are still warm.
   */
  private split(G: number, tMin: number, tMax: number): void {
    const k = Math.min(SUB_MAX, Math.ceil(G / SUB_RUNS));
    this.subK = k;
    this.subAt = 0;
    this.subT0 = tMin;
    this.subScale = k / (tMax - tMin);
    this.subMin.fill(Infinity, 0, k);
    // Each chunk is freed as soon as it is copied, so the copies reuse it, in cache, rather than touching
    // memory the bucket did not need before (a first touch of a page costs microseconds).
    const from = (this.cur & this.ringMask) * this.lanes;
    for (let lane = from; lane < from + this.lanes; lane++) {
      for (let c = this.head[lane]!; c !== NONE; ) {
        const fill = this.fillOf(lane, c);
        for (let h = c << CHUNK_BITS, end = h + fill; h < end; h = nextRecord(h, this.countOf(h))) {
          const t = this.f64[h << 2]!;
          const j = this.subOf(t);
          if (t < this.subMin[j]!) this.subMin[j] = t;
          this.copyRun(h, this.subBase + j);
        }
        const next = this.chunkNext[c]!;
        this.freeChunks[this.freeTop++] = c;
        c = next;
      }
      this.emptyList(lane);
    }
    this.lastHead = NONE;
  }

  /**
   * Copies the sorted current bucket's runs, in chunk lists from..to-1, into fresh chunks in key order
   * and frees the old ones. Why: popping in key order from where the runs were appended costs a cache
   * miss per run, paid one at a time between handlers; the copy pays them in one loop whose addresses
   * are all known, so they overlap, and the pops then read memory in order.
   */
  private compact(from: number, to: number, G: number): void {
    const order = this.order;
    for (let i = 0; i < G; i++) {
      if ((i & BEAT_RUNS) === BEAT_RUNS) this.tick();
      order[i] = this.copyRun(order[i]!, this.scratchList);
    }
    for (let list = from; list < to; list++) this.freeLane(list);
    this.moveList(this.scratchList, from);
  }

  /** Appends a copy of the run at slot h to chunk list `list`, whole within one chunk; returns its slot. */
  private copyRun(h: number, list: number): number {
    const o = h << 3;
    const n = nextRecord(0, this.i32[o + KIND_COUNT]! >>> COUNT_SHIFT);
    if (this.tail[list] === NONE || this.tailFill[list]! + n > CHUNK) this.openChunk(list);
    const s = (this.tail[list]! << CHUNK_BITS) + this.tailFill[list]!;
    this.tailFill[list]! += n;
    const w = this.i32; // read after openChunk, which may have grown the pool
    const d = s << 3;
    // A loop, not copyWithin, for the usual run of a few slots: the call costs more than the copy.
    if (n <= 4) for (let i = 0, m = n << 3; i < m; i++) w[d + i] = w[o + i]!;
    else w.copyWithin(d, o, o + (n << 3));
    return s;
  }

  /** Slots used in chunk c of chunk list `list`. */
  private fillOf(list: number, c: number): number {
    return c === this.tail[list] ? this.tailFill[list]! : this.chunkFill[c]!;
  }

  /** Gives chunk list `from` (its chunks, tail and fill) to the empty list `to`. */
  private moveList(from: number, to: number): void {
    this.head[to] = this.head[from]!;
    this.tail[to] = this.tail[from]!;
    this.tailFill[to] = this.tailFill[from]!;
    this.emptyList(from);
  }

  /** Forgets chunk list `list`'s chunks, which its caller has freed or handed on. */
  private emptyList(list: number): void {
    this.head[list] = NONE;
    this.tail[list] = NONE;
    this.tailFill[list] = 0;
  }

  /** The total event order, docs/architecture.md, "Event order", on two runs (by their first events). */
  private before(x: number, y: number): boolean {
    return this.less(this.f64[x << 2]!, this.i32[(x << 3) + SRC]!, x, this.f64[y << 2]!, this.i32[(y << 3) + SRC]!, y);
  }

  // Sorting a bucket sorts its runs, not its events: runSlot[0..G) holds their headers, items a
  // permutation of 0..G-1, keyS each item's source; afterwards order[0..G) holds the headers in key
  // order. A run's events are consecutive in the total order (see `extend`), so ordering runs by their
  // first events orders every event. Why: a 1M-node flood's largest wave is 3.6M events but only 520k
  // runs, so the radix passes and their scratch arrays shrink 7×.
  private sortRuns(G: number): void {
    const { tMin, tMax } = this;
    if (G > 1) {
      if (tMin === tMax) this.radixBySource(G, this.maxSrc);
      else if (!(G >= RADIX_TIME_MIN && this.radixByTime(G, tMin, tMax))) this.mergeSort(G);
    }
    const order = this.order.length >= G ? this.order : (this.order = new Int32Array(grown(this.order.length, G)));
    for (let i = 0; i < G; i++) order[i] = this.runSlot[this.items[i]!]!;
    this.orderLen = G;
    this.orderPos = 0;
  }

  /**
   * Throws if run y, sorted right after run x with the same time and source, starts inside x: the
   * pushes broke the rule `push` states. Sequence numbers need not be consecutive, so a run's last is
   * not known and some breaks go unseen.
   */
  private checkApart(x: number, y: number): void {
    const a = this.runSlot[x]!;
    if (((this.seqOf(this.runSlot[y]!) - this.seqOf(a)) >>> 0) < this.countOf(a)) {
      throw new Error(`event queue: source ${this.i32[(a << 3) + SRC]}'s events of time ${this.f64[a << 2]} were pushed out of sequence order`);
    }
  }

  /** The total order on runs: by their first record. */
  private runBefore(x: number, y: number): boolean {
    return this.before(this.runSlot[x]!, this.runSlot[y]!);
  }

  // Every run of the bucket at one time (constant latency, PHOLD): the order is by source, then
  // sequence, so a linear LSD radix sort on the source replaces the comparison sort. It is stable, and a
  // node's runs mostly arrive in sequence order; the final pass repairs the few that do not.
  private radixBySource(G: number, maxSrc: number): void {
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
    for (let i = 1; i < G; i++) if (ks[i] === ks[i - 1]) this.checkApart(items[i - 1]!, items[i]!);
  }

  // Distinct times (random latencies, diffusion): an LSD radix sort on a key that is a monotone
  // function of the time, floor((t - tMin) * 2^bits / span); then equal keys (equal or nearly equal
  // times) are put in full key order by insertion. Linear where the merge sort was n log n. The key has
  // SPARE_BITS more bits than G needs, so equal keys stay rare while a bucket of under 2^17 runs takes
  // two passes, not three. Returns false, leaving a valid permutation, when long stretches of equal keys
  // (few distinct times) make insertion a poor fit, and the merge sort then finishes.
  private radixByTime(G: number, tMin: number, tMax: number): boolean {
    const bits = Math.min(32, 32 - Math.clz32(G) + SPARE_BITS);
    const scale = (2 ** bits / (tMax - tMin)) * (1 - 2 ** -20);
    for (let i = 0; i < G; i++) this.keyS[i] = ((this.f64[this.runSlot[this.items[i]!]! << 2]! - tMin) * scale) >>> 0;
    this.radixPasses(G, bits);
    const items = this.items;
    const key = this.keyS;
    for (let i = 1, equalFrom = 0; i < G; i++) {
      if (key[i] !== key[i - 1]) {
        equalFrom = i;
        continue;
      }
      if (i - equalFrom >= MIN_RUN) return false;
      const x = items[i]!;
      let h = i - 1;
      while (h >= equalFrom && this.runBefore(x, items[h]!)) {
        items[h + 1] = items[h]!;
        h--;
      }
      items[h + 1] = x;
    }
    for (let i = 1; i < G; i++) if (key[i] === key[i - 1] && this.sameTimeAndSource(items[i - 1]!, items[i]!)) this.checkApart(items[i - 1]!, items[i]!);
    return true;
  }

  private sameTimeAndSource(x: number, y: number): boolean {
    const a = this.runSlot[x]!;
    const b = this.runSlot[y]!;
    return this.f64[a << 2] === this.f64[b << 2] && this.i32[(a << 3) + SRC] === this.i32[(b << 3) + SRC];
  }

  /**
   * Stable LSD radix passes over (keyS, items) for keys of `bits` bits; the result is left in both.
   * The passes are as few as digits of at most RADIX_BITS allow, and the digits as narrow as they can
   * then be: a small bucket would spend more on clearing and summing 2^11 counts than on its runs.
   */
  private radixPasses(G: number, bits: number): void {
    let items = this.items;
    let items2 = this.items2;
    let key = this.keyS;
    let key2 = this.keyS2;
    const passes = Math.max(1, Math.ceil(bits / RADIX_BITS));
    const digit = Math.ceil(bits / passes);
    const mask = (1 << digit) - 1;
    for (let p = 0, shift = 0; p < passes; p++, shift += digit) {
      this.tick();
      const count = this.digitStarts(key, G, shift, mask);
      for (let i = 0; i < G; i++) {
        const at = count[(key[i]! >>> shift) & mask]!++;
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
  private digitStarts(key: Int32Array, n: number, shift: number, mask: number): Int32Array {
    const count = this.radixCount;
    count.fill(0, 0, mask + 2);
    for (let i = 0; i < n; i++) count[((key[i]! >>> shift) & mask) + 1]!++;
    for (let d = 1; d <= mask; d++) count[d] = count[d]! + count[d - 1]!;
    return count;
  }

  // Natural merge sort on copies of the keys, for few runs or few distinct times. Why: merging walks
  // contiguous key arrays where a quicksort would jump around a large record pool, and a bucket appended in send order holds long sorted stretches.
  // `items` may hold any permutation (a radix pass may have run first).
  private mergeSort(G: number): void {
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
    if (count === 1) return this.checkAfterMerge(G, kt, ks, items);
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
    this.checkAfterMerge(G, kt, ks, items);
  }

  private checkAfterMerge(G: number, kt: Float64Array, ks: Int32Array, items: Int32Array): void {
    for (let i = 1; i < G; i++) if (kt[i] === kt[i - 1] && ks[i] === ks[i - 1]) this.checkApart(items[i - 1]!, items[i]!);
  }

  // Scratch grows with the most runs a bucket has had and is kept. The arrays trade places as sorts swap
  // buffers, so each is checked on its own. The merge sort's time keys are made only when a merge sort
  // runs: a flood over one constant latency never needs them. Nothing in them is kept across sorts.
  private ensureRunScratch(G: number): void {
    const fit = (a: Int32Array<ArrayBuffer>) => (a.length >= G ? a : new Int32Array(grown(a.length, G)));
    this.runSlot = fit(this.runSlot);
    this.items = fit(this.items);
    this.keyS = fit(this.keyS);
    this.items2 = fit(this.items2);
    this.keyS2 = fit(this.keyS2);
  }

  private ensureMergeScratch(G: number): void {
    if (this.keyT.length < G) this.keyT = new Float64Array(grown(this.keyT.length, G));
    if (this.keyT2.length < G) this.keyT2 = new Float64Array(grown(this.keyT2.length, G));
    if (this.starts.length < G + 1) this.starts = new Int32Array(grown(this.starts.length, G + 1));
  }

  /**
   * The total event order, docs/architecture.md, "Event order": (time, source node, source sequence number), on keys already read
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

  /** The lane of bucket `r` an event of `src` goes to; counts the event in the bucket. */
  private laneOf(r: number, src: number): number {
    const first = this.bucketSize[r]!++ === 0;
    let lane = r * this.lanes;
    if (this.lanesOn) {
      lane += Math.min(this.lanes - 1, src >>> this.laneShift);
      if (first) this.laned[r] = 1;
    } else {
      this.laned[r] = 0;
    }
    return lane;
  }

  /** A free slot at the tail of chunk list `list`. */
  private takeSlot(list: number): number {
    let c = this.tail[list]!;
    if (c === NONE || this.tailFill[list] === CHUNK) c = this.openChunk(list);
    const fill = this.tailFill[list]!;
    this.tailFill[list] = fill + 1;
    return (c << CHUNK_BITS) + fill;
  }

  /** Appends a fresh chunk to chunk list `list`; the tail it follows keeps its fill. */
  private openChunk(list: number): number {
    const c = this.takeChunk();
    const last = this.tail[list]!;
    this.chunkNext[c] = NONE;
    if (last === NONE) this.head[list] = c;
    else {
      this.chunkNext[last] = c;
      this.chunkFill[last] = this.tailFill[list]!;
    }
    this.tail[list] = c;
    this.tailFill[list] = 0;
    return c;
  }

  /** Frees the current bucket's lanes that the pops have left behind, now that `next` is popped. */
  private leaveLanes(next: number): void {
    const lane = Math.min(this.lanes - 1, this.i32[(next << 3) + SRC]! >>> this.laneShift);
    if (lane === this.popLane) return;
    const base = (this.cur & this.ringMask) * this.lanes;
    for (let k = this.popLane; k < lane; k++) this.freeLane(base + k);
    this.popLane = lane;
  }

  /** Returns a chunk list's chunks to the free list; the list is empty after. */
  private freeLane(lane: number): void {
    for (let c = this.head[lane]!; c !== NONE; c = this.chunkNext[c]!) this.freeChunks[this.freeTop++] = c;
    this.emptyList(lane);
    this.lastHead = NONE;
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
    this.begin('growing');
    const buf = new ArrayBuffer(cap * RECORD_BYTES);
    // Copied in slices with a beat between them: at gigabytes, one copy (and the page faults of the new
    // buffer) takes seconds.
    const from = new Uint8Array(this.f64.buffer);
    const to = new Uint8Array(buf);
    for (let at = 0; at < from.length; at += GROW_SLICE) {
      to.set(from.subarray(at, Math.min(from.length, at + GROW_SLICE)), at);
      this.tick();
    }
    this.end();
    this.f64 = new Float64Array(buf);
    this.i32 = new Int32Array(buf);
    this.chunkNext = resize(this.chunkNext, new Int32Array(chunks));
    this.chunkFill = resize(this.chunkFill, new Int32Array(chunks));
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

/**
 * The slot after the run at `h` of `count` events: its header, then 8 more destinations a slot. A
 * branch, not arithmetic: walking a bucket's records, the next address would otherwise wait for this
 * record's load, one cache miss after another; a predicted branch (most runs are one event where times
 * differ) lets the loads overlap.
 */
function nextRecord(h: number, count: number): number {
  if (count === 1) return h + 1;
  return h + 1 + ((count + 6) >> 3);
}

/** A scratch array's next length: at least `need`, at least double the last. */
function grown(length: number, need: number): number {
  return Math.max(need, 2 * length);
}
