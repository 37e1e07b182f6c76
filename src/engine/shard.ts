// A shard: a disjoint set of nodes, their state, and their pending events. This file is the whole engine
// core; a run is N of these, one per worker thread, and `--workers 1` is the case N = 1
// (docs/architecture.md, "Shards").
//
// The event order, in one place (docs/architecture.md, "Event order"): every shard handles its events in
// the order of the key (time, source node, source's send sequence number). A timer is an event a node
// sends itself. Since a node's sequence numbers count its own sends, the key is unique and independent
// of the sharding, so every node sees its inputs in the same order at any worker count, and the run is
// deterministic.
//
// Synchronization (docs/architecture.md, "Synchronization"), one barrier a window:
//   1. drain the batches the other shards wrote to us in the last window into the queue;
//   2. T = min of the lower bounds all shards published; stop when T >= end;
//   3. handle every event with time < min(T + lookahead, end); messages for other shards go to
//      outboxes (double-buffered by window parity, so draining window k overlaps writing window k+1);
//   4. publish min(own next event, earliest message sent) as this shard's lower bound; barrier.
// The minimum of the bounds is exactly the next event time anywhere, so empty stretches are skipped.
//
// Faults act in two places, never inside a model: send() drops what a partition or loss takes, and the
// loop drops events at nodes offline when they arrive. The engine's own events — a node going down or
// coming back, a heal, peer maintenance (peer-maintenance.ts) — are kinds above every model's. Taps see
// a model's sends and what its handlers are given, on the same two paths.
import { NODE_PURPOSE, NodeStreams } from './node-streams.js';
import type { ShardInit, ShardStats } from './messages.js';
import type { Context, FaultView, Link, LinkRandom, Model, ModelOutcome, Scheduler, Tap } from './model.js';
import { PeerLists } from './peer-lists.js';
import { ACCEPT, ADDR, CLOSE, DOWN, ENGINE_MIN, GETADDR, LINK_CLOSED, LINK_OPENED, OPEN, OPEN_TIMEOUT, PeerMaintenance, RECONNECT, REFUSE, SEED_RETRY, SEED_TIMEOUT, type PeerHost } from './peer-maintenance.js';
import { COUNT_SHIFT, EventQueue, KIND_MASK, type QueueWork } from './queue.js';
import { barrier, beat, clockAt, controlLayout, ctlAt, Phase, setPhase, OUT_A, OUT_B, OUT_DST, OUT_KIND_COUNT, OUT_SEQ, OUT_SRC, OUTBOX_INTS, outboxAt, type ControlLayout } from './sync.js';
import { SpanLog } from './spans.js';

const TIMER = 0x80;
// Engine events at a node, from the fault schedule: it comes back online; a partition it was in heals.
// Below them, peer maintenance's own (peer-maintenance.ts), down to ENGINE_MIN.
const RECOVER = 0x7f;
const HEAL = 0x7e;
/** Model kinds are 0..MAX_MODEL_KIND; the ones above are the engine's. */
export const MAX_MODEL_KIND = ENGINE_MIN - 1;
const BEAT_EVERY = 0xffff;

/** A broken model rule (zero delay, lookahead violated, overflow, a kind out of range): the run stops and names it. */
export class ModelError extends Error {}

/** What the shard runs and consults, built by whoever hosts it (a worker thread, a test). */
export interface ShardParts {
  readonly model: Model;
  readonly link: Link;
  /** The network faults of the scenario; null: every node always online, no message lost. */
  readonly faults: FaultView | null;
  readonly taps: readonly Tap[];
}

export class Shard implements PeerHost, Scheduler, LinkRandom {
  // The context of the event being handled; handlers read these.
  // Fields that take fractional values start as doubles (-0 is zero stored as a double): a field that
  // starts as a small integer and later takes a fraction changes the object's hidden class, and V8
  // then discards every optimized function that used the old one (docs/architecture.md, "Hidden classes").
  now = -0;
  self = 0;
  local = 0;

  readonly index: number;
  readonly nodes: number;
  private readonly shards: number;
  private readonly offsets: Int32Array;
  private readonly shardOf: Int32Array;
  private readonly localOf: Int32Array;
  // When this shard's ids are an arithmetic progression first, first + 2^k, ... (the contiguous and
  // the strided partitions), "is it mine?" and "which row?" are arithmetic, not a lookup in a big
  // array: those lookups were a cache miss per event at 10^6 nodes. first is -1 otherwise.
  private readonly first: number;
  private readonly strideShift: number;
  private readonly span: number;
  // And "which shard?" for a message that leaves: arithmetic too for those two partitions.
  private readonly shardStarts: Int32Array | null;
  private readonly stridedPow2: boolean;
  private readonly lookahead: number;
  private readonly end: number;
  private readonly streams: NodeStreams;
  private readonly queue: EventQueue;
  private readonly sync: ControlLayout;
  private readonly model: Model;
  private readonly link: Link;
  private readonly taps: readonly Tap[];
  // Per tap method, the one tap that has it, a fan-out over several, or null: the hot paths test a
  // field and make one monomorphic call.
  private readonly onSent: Tap | null;
  private readonly onDelivered: Tap | null;
  private readonly onTimer: Tap | null;
  private readonly onConnected: Tap | null;

  // Outboxes, [parity][to]; fills are local counters published at the barrier.
  private readonly outTimes: (Float64Array | null)[][];
  private readonly outInts: (Int32Array | null)[][];
  private readonly outFill: Int32Array;
  /** Per destination shard, this window: the record index of the run the last send there started, or -1. */
  private readonly outRun: Int32Array;
  private readonly outCapacity: number;
  private readonly outReserve: number;
  private curTimes: (Float64Array | null)[] = [];
  private curInts: (Int32Array | null)[] = [];
  private windowEnd = -0;
  private sentMin = Infinity;
  private cut = false;

  private readonly stats = {
    events: 0, windows: 0, cutWindows: 0, busyMs: -0, waitMs: -0,
    sent: 0, crossSent: 0, crossReceived: 0, largestBatch: 0, peakQueued: 0,
    lostOffline: 0, lostPartition: 0, lostLoss: 0,
  };
  /** Windows by the events they handled: bucket 0 none, bucket b ≥ 1 from 2^(b−1) to 2^b − 1. */
  private readonly windowEvents = new Array<number>(33).fill(0);
  private readonly faults: FaultView | null;
  private readonly links: PeerLists;
  /** Replaces lost connections; null without faults or when the scenario turns it off. */
  private readonly peers: PeerMaintenance | null;
  private readonly spans: SpanLog | null;
  /** The phase of the window (sync.ts, Phase), restored when a long queue operation ends. */
  private phase: Phase = Phase.starting;

  constructor(private readonly init: ShardInit, parts: ShardParts) {
    this.index = init.index;
    this.shards = init.shards;
    this.offsets = init.offsets;
    this.model = parts.model;
    this.link = parts.link;
    this.faults = parts.faults;
    this.taps = parts.taps;
    this.onSent = tapsWith(parts.taps, 'sent');
    this.onDelivered = tapsWith(parts.taps, 'delivered');
    this.onTimer = tapsWith(parts.taps, 'timer');
    this.onConnected = tapsWith(parts.taps, 'connected');
    this.shardOf = init.shardOf;
    this.localOf = init.localOf;
    this.lookahead = init.lookaheadMs;
    this.end = init.endMs;
    this.nodes = init.members.length;
    this.links = new PeerLists(init.offsets, init.targets, init.outbound, this.nodes);
    this.peers = parts.faults !== null && init.peerRules !== null ? new PeerMaintenance(this.links, init.peerRules, this.nodes) : null;
    [this.first, this.strideShift] = progression(init.members);
    this.span = this.first < 0 ? 0 : ((this.nodes - 1) << this.strideShift) + 1;
    this.shardStarts = init.shardStarts;
    this.stridedPow2 = init.strided && (init.shards & (init.shards - 1)) === 0;
    this.streams = new NodeStreams(init.seed, this.nodes);
    const degree = init.targets.length / Math.max(1, init.offsets.length - 1);
    this.sync = controlLayout(init.control, init.clock, init.shards);
    // Reserve room for every node's fan-out twice over: pages are only committed when touched, while
    // growing later would copy every record.
    // Lanes (queue.ts) pay only when a wave holds hundreds of thousands of events.
    const sources = init.shardOf.length;
    const lanes = sources >= 1 << 16 ? 16 : 1;
    this.queue = new EventQueue(init.bucketMs, (1 << 16) + this.nodes * 2 * Math.max(2, Math.ceil(degree)), 4096, (work) => this.queueWork(work), lanes, sources);
    this.outCapacity = init.outboxCapacity;
    this.outReserve = init.outboxReserve;
    this.outFill = new Int32Array(init.shards);
    this.outRun = new Int32Array(init.shards).fill(-1);
    const mine = (p: number) => init.outboxes.slice(outboxAt(init.shards, p, init.index, 0), outboxAt(init.shards, p, init.index, init.shards));
    const cap = init.outboxCapacity;
    this.outTimes = [0, 1].map((p) => mine(p).map((b) => (b ? new Float64Array(b, 0, cap) : null)));
    this.outInts = [0, 1].map((p) => mine(p).map((b) => (b ? new Int32Array(b, 8 * cap, OUTBOX_INTS * cap) : null)));
    this.spans = init.traceSpans > 0 ? new SpanLog(init.traceSpans) : null;
  }

  /** Places the model's exogenous events and the fault layer's: call once, before run(). */
  start(): void {
    this.model.start(this);
    const f = this.faults;
    if (f === null) return;
    for (const v of this.init.members) for (const t of f.recoveries(v)) this.engineAt(v, t, RECOVER, 0, 0);
    if (this.peers) for (const v of this.init.members) for (const t of f.outages(v)) this.engineAt(v, t, DOWN, 0, 0);
    for (const t of f.heals()) {
      if (t < this.end) for (const v of this.init.members) this.engineAt(v, t, HEAL, 0, 0);
    }
  }

  /** The model's outcome and each tap's, after run(). */
  outcomes(): { model: ModelOutcome; taps: ModelOutcome[] } {
    return { model: this.model.outcome(), taps: this.taps.map((t) => t.outcome()) };
  }

  // ---- Context: what handlers call -------------------------------------------------------------

  send(to: number, kind: number, a: number, b: number, extraMs = 0, sizeBytes = 0): number {
    if (!(kind >= 0 && kind <= MAX_MODEL_KIND)) throw new ModelError(`node ${this.self} sent kind ${kind}; model kinds are 0..${MAX_MODEL_KIND}`);
    let delay = extraMs + this.link.latency(this.self, to, this);
    if (sizeBytes > 0) delay += this.link.transferMs(this.self, to, sizeBytes);
    if (this.onSent !== null) this.onSent.sent!(this, to, kind, a, b, delay);
    this.transmit(to, kind, a, b, delay);
    return delay;
  }

  engineSend(to: number, kind: number, a = 0, b = 0): void {
    this.transmit(to, kind, a, b, this.link.latency(this.self, to, this));
  }

  /**
   * Faults act here, on the one send path, never inside a protocol: the sender spent its time and
   * bytes either way. A message to a node that is offline when it arrives is dropped on delivery.
   */
  private transmit(to: number, kind: number, a: number, b: number, delay: number): void {
    this.stats.sent++;
    const f = this.faults;
    if (f !== null) {
      if (!f.sameSide(this.self, to, this.now)) {
        this.stats.lostPartition++;
        return;
      }
      const rate = f.lossRate(this.now);
      if (rate > 0 && this.streams.next(this.local, this.self, NODE_PURPOSE.loss) < rate) {
        this.stats.lostLoss++;
        return;
      }
    }
    this.post(to, kind, a, b, delay);
  }

  online(node: number): boolean {
    return this.faults === null || this.faults.online(node, this.now);
  }

  transferMs(to: number, sizeBytes: number): number {
    return this.link.transferMs(this.self, to, sizeBytes);
  }

  uploadMs(sizeBytes: number): number {
    return this.link.uploadMs(this.self, sizeBytes);
  }

  setTimer(delayMs: number, kind: number, a: number, b: number): void {
    if (!(kind >= 0 && kind <= MAX_MODEL_KIND)) throw new ModelError(`node ${this.self} set a timer of kind ${kind}; model kinds are 0..${MAX_MODEL_KIND}`);
    this.post(this.self, kind | TIMER, a, b, delayMs);
  }

  engineTimer(delayMs: number, kind: number, a: number): void {
    this.post(this.self, kind | TIMER, a, 0, delayMs);
  }

  random(): number {
    return this.streams.next(this.local, this.self, NODE_PURPOSE.protocol);
  }

  linkUniform(): number {
    return this.streams.next(this.local, this.self, NODE_PURPOSE.link);
  }

  peerList(): Int32Array {
    return this.links.list(this.local);
  }

  peerStart(): number {
    return this.links.start(this.local, this.self);
  }

  peerEnd(): number {
    return this.links.end(this.local, this.self);
  }

  peerOpened(i: number): boolean {
    return this.links.opened(this.local, i);
  }

  peerIndex(peer: number): number {
    return this.links.indexOf(this.local, this.self, peer);
  }

  peerRandom(): number {
    return this.streams.next(this.local, this.self, NODE_PURPOSE.peers);
  }

  // ---- Scheduler: exogenous events placed before the run ----------------------------------------

  owns(node: number): boolean {
    return this.isLocal(node);
  }

  private isLocal(node: number): boolean {
    if (this.first < 0) return this.shardOf[node] === this.index;
    const d = node - this.first;
    return d >>> 0 < this.span && (d & ((1 << this.strideShift) - 1)) === 0;
  }

  private shardFor(node: number): number {
    const st = this.shardStarts;
    if (st !== null) {
      // Ranges are near-equal, so the proportional guess is off by at most one.
      let s = Math.min(this.shards - 1, Math.floor((node * this.shards) / st[this.shards]!));
      while (node < st[s]!) s--;
      while (node >= st[s + 1]!) s++;
      return s;
    }
    return this.stridedPow2 ? node & (this.shards - 1) : this.shardOf[node]!;
  }

  private localIndex(node: number): number {
    return this.first >= 0 ? (node - this.first) >> this.strideShift : this.localOf[node]!;
  }

  scheduleAt(node: number, t: number, kind: number, a: number, b: number): void {
    if (!(kind >= 0 && kind <= MAX_MODEL_KIND)) throw new ModelError(`an event of kind ${kind} was scheduled at node ${node}; model kinds are 0..${MAX_MODEL_KIND}`);
    this.engineAt(node, t, kind, a, b);
  }

  private engineAt(node: number, t: number, kind: number, a: number, b: number): void {
    const local = this.localIndex(node);
    this.queue.push(t, node, node, this.streams.seq(local), kind | TIMER, a, b);
  }

  randomFor(node: number): number {
    return this.streams.next(this.localIndex(node), node, NODE_PURPOSE.protocol);
  }

  // ---- The send path's end: local queue or another shard's outbox ------------------------------

  private post(to: number, kind: number, a: number, b: number, delay: number): void {
    if (!(delay > 0)) throw new ModelError(`node ${this.self} sent with delay ${delay} ms at ${this.now} ms; delays must be > 0`);
    const t = this.now + delay;
    const seq = this.streams.seq(this.local);
    if (this.isLocal(to)) {
      this.queue.push(t, to, this.self, seq, kind, a, b);
      return;
    }
    const dest = this.shardFor(to);
    if (t < this.windowEnd) {
      throw new ModelError(`node ${this.self} sent across shards with delay ${delay} ms, below the lookahead ${this.lookahead} ms`);
    }
    this.stats.crossSent++;
    const ints = this.curInts[dest]!;
    // Sends of one time and payload from one node travel as a run, as they are kept in the queue: a
    // relay's sends to the other shard take one record and 4 bytes a further destination, not a
    // record each.
    const h = this.outRun[dest]!;
    const ho = h * OUTBOX_INTS;
    if (h >= 0 && this.curTimes[dest]![h] === t && ints[ho + OUT_SRC] === this.self && ints[ho + OUT_A] === a && ints[ho + OUT_B] === b && (ints[ho + OUT_KIND_COUNT]! & KIND_MASK) === kind) {
      const count = ints[ho + OUT_KIND_COUNT]! >>> COUNT_SHIFT;
      if ((count - 1) % OUTBOX_INTS === 0) this.takeOutRecord(dest);
      ints[ho + OUTBOX_INTS + count - 1] = to;
      ints[ho + OUT_KIND_COUNT] = ints[ho + OUT_KIND_COUNT]! + (1 << COUNT_SHIFT);
      return;
    }
    const k = this.takeOutRecord(dest);
    this.outRun[dest] = k;
    this.curTimes[dest]![k] = t;
    const o = k * OUTBOX_INTS;
    ints[o + OUT_DST] = to;
    ints[o + OUT_SRC] = this.self;
    ints[o + OUT_SEQ] = seq;
    ints[o + OUT_KIND_COUNT] = kind | (1 << COUNT_SHIFT);
    ints[o + OUT_A] = a;
    ints[o + OUT_B] = b;
    if (t < this.sentMin) this.sentMin = t;
  }

  /** The next record of the outbox to shard `dest`; ends the window early when the outbox runs low. */
  private takeOutRecord(dest: number): number {
    const k = this.outFill[dest]!;
    if (k === this.outCapacity) throw new ModelError(`one event sent more than ${this.outReserve} messages to shard ${dest}`);
    this.outFill[dest] = k + 1;
    if (k >= this.outCapacity - this.outReserve) this.cut = true;
    return k;
  }

  // ---- The run -----------------------------------------------------------------------------------

  run(): ShardStats {
    const c = this.sync;
    const N = this.shards;
    let parity = 1;
    this.publish(parity, this.queue.nextTimeBound());
    this.waitAtBarrier(performance.now());
    for (;;) {
      const t0 = performance.now();
      this.enter(Phase.draining);
      this.drain(parity);
      let T = Infinity;
      for (let i = 0; i < N; i++) T = Math.min(T, c.clock[clockAt.bound(parity, i)]!);
      if (!(T < this.end)) break;
      parity ^= 1;
      c.clock[clockAt.progress(this.index)] = T;
      this.enter(Phase.running);
      this.fault();
      const before = this.stats.events;
      this.handleUntil(Math.min(T + this.lookahead, this.end), parity);
      this.windowEvents[32 - Math.clz32(this.stats.events - before)]!++;
      this.publish(parity, Math.min(this.queue.nextTimeBound(), this.sentMin));
      this.stats.windows++;
      beat(this.sync, this.index);
      const t1 = performance.now();
      this.stats.busyMs += t1 - t0;
      const t2 = this.waitAtBarrier(t1);
      this.spans?.add(performance.timeOrigin + t0, t1 - t0, t2 - t1);
    }
    const s = this.stats;
    const last = this.windowEvents.findLastIndex((c) => c > 0);
    return { index: this.index, nodes: this.nodes, ...s, windowEvents: this.windowEvents.slice(0, last + 1), trace: this.spans?.toArray() ?? null, linkChanges: this.peers ? this.links.changes() : null };
  }

  /** The hot loop: every event before `end`, in key order. */
  private handleUntil(end: number, parity: number): void {
    this.windowEnd = end;
    this.sentMin = Infinity;
    this.cut = false;
    this.curTimes = this.outTimes[parity]!;
    this.curInts = this.outInts[parity]!;
    this.outFill.fill(0);
    this.outRun.fill(-1);
    const q = this.queue;
    const model = this.model;
    const onDelivered = this.onDelivered;
    const onTimer = this.onTimer;
    const faults = this.faults;
    if (q.size > this.stats.peakQueued) this.stats.peakQueued = q.size;
    let events = 0;
    for (;;) {
      if (this.cut) {
        // An outbox is nearly full: stop early. Safe, since whatever we send later is still at least
        // one lookahead past the time we stopped at, which is past every other shard's window.
        this.stats.cutWindows++;
        break;
      }
      const s = q.popBefore(end);
      if (s < 0) break;
      const dst = q.dst();
      const kind = q.kind(s);
      this.now = q.time(s);
      this.self = dst;
      this.local = this.localIndex(dst);
      if ((kind & ~TIMER) >= ENGINE_MIN) {
        this.engineEvent(kind & ~TIMER, q.src(s), q.a(s), q.b(s));
      } else if (faults !== null && !faults.online(dst, this.now)) {
        this.stats.lostOffline++; // messages and timers alike: an offline node does nothing
      } else if (kind & TIMER) {
        if (onTimer !== null) onTimer.timer!(this, kind & ~TIMER, q.a(s), q.b(s));
        model.onTimer(this, kind & ~TIMER, q.a(s), q.b(s));
      } else {
        if (onDelivered !== null) onDelivered.delivered!(this, q.src(s), kind, q.a(s), q.b(s));
        model.onMessage(this, q.src(s), kind, q.a(s), q.b(s));
      }
      if ((++events & BEAT_EVERY) === 0) {
        beat(this.sync, this.index);
        if (q.size > this.stats.peakQueued) this.stats.peakQueued = q.size;
      }
    }
    this.stats.events += events;
    this.sync.clock[clockAt.events(this.index)] = this.stats.events;
    const fills = this.sync.ctl;
    for (let j = 0; j < this.shards; j++) fills[ctlAt.fill(this.shards, parity, this.index, j)] = this.outFill[j]!;
  }

  /** The engine's own events: faults and peer maintenance. Only going down happens to an offline node. */
  private engineEvent(k: number, src: number, a: number, b: number): void {
    const peers = this.peers;
    if (k === DOWN) return peers!.onDown(this);
    if (!this.faults!.online(this.self, this.now)) {
      this.stats.lostOffline++;
      return;
    }
    switch (k) {
      case RECOVER:
        peers?.onRecover(this);
        return this.model.onRecover?.(this);
      case HEAL:
        return this.model.onHeal?.(this);
      case RECONNECT:
        return peers!.onReconnect(this);
      case OPEN_TIMEOUT:
        return peers!.onOpenTimeout(this, a);
      case SEED_TIMEOUT:
        return peers!.onSeedTimeout(this, a);
      case SEED_RETRY:
        return peers!.onSeedRetry(this, a);
      case OPEN:
      case ACCEPT:
      case REFUSE:
      case CLOSE:
      case GETADDR:
      case ADDR:
        switch (peers!.onMessage(this, k, src, a, b)) {
          case LINK_OPENED:
            this.model.onConnect?.(this, src);
            this.onConnected?.connected!(this, src);
            return;
          case LINK_CLOSED:
            return this.model.onDisconnect?.(this, src);
        }
        return;
    }
  }

  private drain(parity: number): void {
    const N = this.shards;
    const ctl = this.sync.ctl;
    const q = this.queue;
    q.batch(true);
    for (let from = 0; from < N; from++) {
      if (from === this.index) continue;
      const at = ctlAt.fill(N, parity, from, this.index);
      const n = ctl[at]!;
      if (n === 0) continue;
      const buf = this.init.outboxes[outboxAt(N, parity, from, this.index)]!;
      const times = new Float64Array(buf, 0, n);
      const ints = new Int32Array(buf, 8 * this.outCapacity, OUTBOX_INTS * n);
      let events = 0;
      for (let k = 0; k < n; ) {
        const o = k * OUTBOX_INTS;
        const t = times[k]!;
        const src = ints[o + OUT_SRC]!;
        const seq = ints[o + OUT_SEQ]!;
        const kind = ints[o + OUT_KIND_COUNT]! & KIND_MASK;
        const count = ints[o + OUT_KIND_COUNT]! >>> COUNT_SHIFT;
        const a = ints[o + OUT_A]!;
        const b = ints[o + OUT_B]!;
        q.push(t, ints[o + OUT_DST]!, src, seq >>> 0, kind, a, b);
        // The run's later events: their own sequence numbers are not sent, and first + j orders them
        // as well, since no other event of this source and time lies between them.
        for (let j = 1; j < count; j++) q.push(t, ints[o + OUTBOX_INTS + j - 1]!, src, (seq + j) >>> 0, kind, a, b);
        events += count;
        k += 1 + Math.ceil((count - 1) / OUTBOX_INTS);
      }
      ctl[at] = 0;
      beat(this.sync, this.index);
      this.stats.crossReceived += events;
      if (events > this.stats.largestBatch) this.stats.largestBatch = events;
    }
    q.batch(false);
  }

  private publish(parity: number, bound: number): void {
    this.sync.clock[clockAt.bound(parity, this.index)] = bound;
  }

  private waitAtBarrier(from: number): number {
    this.enter(Phase.waiting);
    barrier(this.sync, this.index, this.init.spin);
    const t = performance.now();
    this.stats.waitMs += t - from;
    return t;
  }

  /** Says what the window is doing now; per window, never per event. */
  private enter(phase: Phase): void {
    this.phase = phase;
    setPhase(this.sync, this.index, phase);
  }

  /** The queue's tick: a beat, or a long sort or growth starting or ending (queue.ts, QueueWork). */
  private queueWork(work?: QueueWork): void {
    if (work === undefined) beat(this.sync, this.index);
    else setPhase(this.sync, this.index, work === 'sorting' ? Phase.sorting : work === 'growing' ? Phase.growing : this.phase);
  }

  private fault(): void {
    const f = this.init.injected;
    if (!f || f.shard !== this.index || f.window !== this.stats.windows) return;
    if (f.kind === 'throw') throw new ModelError('injected fault');
    if (f.kind === 'exit') process.exit(3);
    if (f.kind === 'hang') for (;;) Atomics.load(this.sync.ctl, 0);
    // On the JS heap (a plain array), where the worker's heap limit applies; typed arrays live outside it.
    const hog: number[][] = [];
    for (;;) hog.push(new Array<number>(1 << 20).fill(1.5));
  }
}

/** The taps that implement `method`: none, the one, or a fan-out that calls each in order. */
function tapsWith(taps: readonly Tap[], method: 'sent' | 'delivered' | 'timer' | 'connected'): Tap | null {
  const some = taps.filter((t) => t[method] !== undefined);
  if (some.length <= 1) return some[0] ?? null;
  return {
    sent: (...args) => some.forEach((t) => t.sent!(...args)),
    delivered: (...args) => some.forEach((t) => t.delivered!(...args)),
    timer: (...args) => some.forEach((t) => t.timer!(...args)),
    connected: (...args) => some.forEach((t) => t.connected!(...args)),
    outcome: () => ({ perNode: {}, totals: {} }),
  };
}

/** [first, log2 stride] when the ids are first, first + 2^k, first + 2 * 2^k, ...; else [-1, 0]. */
function progression(ids: Int32Array): [number, number] {
  if (ids.length === 0) return [-1, 0];
  const stride = ids.length > 1 ? ids[1]! - ids[0]! : 1;
  const shift = 31 - Math.clz32(stride);
  if (stride !== 1 << shift) return [-1, 0];
  for (let i = 1; i < ids.length; i++) if (ids[i]! - ids[i - 1]! !== stride) return [-1, 0];
  return [ids[0]!, shift];
}
