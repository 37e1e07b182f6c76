// The shared-memory data plane between shards, docs/architecture.md, "Synchronization": the window barrier, the published next-event
// times, the heartbeats, and the cross-shard outboxes. Only Atomics and plain shared reads and writes;
// the barrier's Atomics operations order every write before it against every read after it.

// Int32 control words. The words each shard writes sit in a slot of their own, SLOT ints (128 bytes)
// from the next, so that words of different writers are never in one 64-byte cache line, whatever the
// buffer's alignment: a waiting shard spins on GENERATION, and every word a shard still working wrote
// into that line (its heartbeat, its phase, its outbox fills) took the line from the spinner and back,
// several times a window.
const SLOT = 32;
/** The same 128 bytes in the clock's doubles. */
const CLOCK_SLOT = SLOT / 2;
const ARRIVED = 0;
const GENERATION = 1;
const ABORT = 2;

export interface ControlLayout {
  readonly shards: number;
  readonly ctl: Int32Array;
  /** Float64: per shard, a slot of its published lower bounds (one per parity), window start (progress) and events. */
  readonly clock: Float64Array;
}

/** Ints of one row of outbox fills (one sender, one parity): a slot per SLOT receivers. */
function fillRow(shards: number): number {
  return SLOT * Math.ceil(shards / SLOT);
}

export function controlBytes(shards: number): number {
  return 4 * (SLOT * (1 + shards) + 2 * shards * fillRow(shards));
}

export function clockBytes(shards: number): number {
  return 8 * CLOCK_SLOT * shards;
}

export function controlLayout(control: SharedArrayBuffer, clock: SharedArrayBuffer, shards: number): ControlLayout {
  return { shards, ctl: new Int32Array(control), clock: new Float64Array(clock) };
}

/** Where the control words are: the barrier's slot, then one slot per shard, then the outbox fills. */
export const ctlAt = {
  /** Shard i's heartbeat, bumped while alive; the coordinator's watchdog reads it. */
  beat: (i: number) => SLOT * (1 + i),
  /** Shard i's phase (a Phase): the watchdog gives long operations longer before calling a shard stuck. */
  phase: (i: number) => SLOT * (1 + i) + 1,
  /** Messages `from` put in its outbox to `to` in the window of `parity`; the receiver resets it. */
  fill: (shards: number, parity: number, from: number, to: number) => SLOT * (1 + shards) + (parity * shards + from) * fillRow(shards) + to,
};

/**
 * What a shard is doing, written where it already beats (per window, per drain, per large sort), never
 * per event. The watchdog (run.ts) calls a shard stuck when its heartbeat stops for longer than its
 * phase allows, and says which phase it was in. Starting is 0, so a shard is starting until it says
 * otherwise: building its state (the per-node and per-(item, node) arrays) can take seconds.
 */
export const Phase = {
  starting: 0,
  running: 1,
  draining: 2,
  sorting: 3,
  growing: 4,
  waiting: 5,
} as const;
export type Phase = (typeof Phase)[keyof typeof Phase];

/** The phases as the watchdog's message says them: "stuck while <words>". */
export const PHASE_WORDS: readonly string[] = [
  'starting (building its state)',
  'handling events',
  'draining messages from other shards',
  'sorting its event queue',
  'growing its event queue',
  'waiting at the barrier',
];

export function setPhase(c: ControlLayout, shard: number, phase: Phase): void {
  Atomics.store(c.ctl, ctlAt.phase(shard), phase);
  Atomics.add(c.ctl, ctlAt.beat(shard), 1);
}

export function phaseOf(c: ControlLayout, shard: number): Phase {
  return Atomics.load(c.ctl, ctlAt.phase(shard)) as Phase;
}

/** Where shard i's words are in the clock: its slot, which only it writes. */
export const clockAt = {
  bound: (parity: number, i: number) => CLOCK_SLOT * i + parity,
  progress: (i: number) => CLOCK_SLOT * i + 2,
  events: (i: number) => CLOCK_SLOT * i + 3,
};

export class Aborted extends Error {
  constructor() {
    super('aborted');
  }
}

export function abort(c: ControlLayout): void {
  Atomics.store(c.ctl, ABORT, 1);
  Atomics.add(c.ctl, GENERATION, 1);
  Atomics.notify(c.ctl, GENERATION);
}

export function aborted(c: ControlLayout): boolean {
  return Atomics.load(c.ctl, ABORT) !== 0;
}

export function beat(c: ControlLayout, shard: number): void {
  Atomics.add(c.ctl, ctlAt.beat(shard), 1);
}

/**
 * Sense-reversing barrier. The last shard to arrive opens the next generation. Waiters spin briefly
 * when every shard has its own core (~0.5 µs a step), then sleep on Atomics.wait (~14 µs a step),
 * waking every 50 ms to bump their heartbeat and to notice an abort.
 */
export function barrier(c: ControlLayout, shard: number, spin: boolean): void {
  const ctl = c.ctl;
  const gen = Atomics.load(ctl, GENERATION);
  if (Atomics.load(ctl, ABORT) !== 0) throw new Aborted();
  if (Atomics.add(ctl, ARRIVED, 1) === c.shards - 1) {
    Atomics.store(ctl, ARRIVED, 0);
    Atomics.add(ctl, GENERATION, 1);
    Atomics.notify(ctl, GENERATION);
    return;
  }
  if (spin) {
    for (let i = 0; i < 200_000; i++) {
      if (Atomics.load(ctl, GENERATION) !== gen) return checkAbort(ctl);
    }
  }
  while (Atomics.load(ctl, GENERATION) === gen) {
    Atomics.wait(ctl, GENERATION, gen, 50);
    Atomics.add(ctl, ctlAt.beat(shard), 1);
  }
  checkAbort(ctl);
}

function checkAbort(ctl: Int32Array): void {
  if (Atomics.load(ctl, ABORT) !== 0) throw new Aborted();
}

/**
 * Bytes of one outbox of `capacity` records: times, then six int32 fields a record, interleaved. A record
 * is a run, as in the queue: (to, source, first sequence number, kind | count << 8, a, b), its further
 * destinations in the int fields of the records after it, six to a record.
 */
export function outboxBytes(capacity: number): number {
  return capacity * (8 + OUTBOX_INTS * 4);
}

/** Where the outbox from shard `from` to shard `to`, for windows of `parity`, lies in ShardInit's outboxes. */
export function outboxAt(shards: number, parity: number, from: number, to: number): number {
  return (parity * shards + from) * shards + to;
}

export const OUTBOX_INTS = 6;
/** An outbox record's int fields, by offset: destination, source, first sequence number, kind | count, payload. */
export const OUT_DST = 0;
export const OUT_SRC = 1;
export const OUT_SEQ = 2;
export const OUT_KIND_COUNT = 3;
export const OUT_A = 4;
export const OUT_B = 5;

/**
 * Records of all outboxes together; each outbox gets its share, within [4k, 256k], and room for one
 * event's sends. A shard whose outbox runs low cuts its window short and syncs, so capacity trades
 * barriers for memory; 256k records (8 MiB) hold a whole wave of the 1M-node flood at 2 workers
 * (docs/benchmarks.md). Pages are touched only as far as an outbox fills.
 */
const OUTBOX_RECORDS = 1 << 23;
const OUTBOX_MAX = 1 << 18;

/**
 * Records in each outbox of a run of `shards` shards: its share of OUTBOX_RECORDS, within [4k, 256k]
 * (`forced`, for tests, replaces the share), and at least twice `reserve`, the room one event's sends need.
 */
export function outboxRecords(shards: number, reserve: number, forced?: number): number {
  const share = Math.max(1 << 12, Math.min(OUTBOX_MAX, Math.floor(OUTBOX_RECORDS / Math.max(1, 2 * shards * (shards - 1)))));
  return Math.max(forced ?? share, 2 * reserve);
}
