// What each node of a shard has to announce to each of its connections (tx-relay.ts): a log of
// (transaction, who sent it) in arrival order, and per connection a cursor into it; the connection's
// queue is what lies after its cursor, less what came from that peer.
//
// Why flat: a tick reads one node's scalars, its connection and its log, and at 10^4 nodes all three
// are cold. As objects with typed arrays that was a chain of five dependent cache misses (the object,
// each array's header, each array's data); here the scalars are one row of `meta`, and the table and
// log are regions of two shared arenas, so the misses are two deep. A region outgrown is left behind and
// a new one taken at the arena's end: regions double, so the garbage stays below what is used.

import type { Context } from '../../engine/model.js';
import { doubled } from '../../engine/typed-arrays.js';

export const EMPTY = -1;

// A node's row in `meta`.
const META = 8;
const EPOCH = 0;
/** Log position of the first pair held: positions only grow, the consumed prefix is dropped. */
const FIRST = 1;
const HELD = 2;
const USED = 3;
/** Slots of the connection table, a power of two; 0 until the node's first transaction. */
const SIZE = 4;
const TABLE = 5;
const LOG = 6;
/** Pairs the log region holds. */
const LOG_CAP = 7;

// A table of `size` slots is two runs of `size` ints: each slot's key, then each slot's cursor. A key
// is the peer, with ARMED set while a timer will flush its queue — its own, or with SHARED too the
// node's one timer for its inbound connections: a node queuing a transaction for all its peers reads
// only the keys (two cache lines for 32 slots), a tick one key and one cursor. Node ids stay below
// 2^29 (at most 50M nodes), so the flags never meet a peer's bits.
const ARMED = 1 << 30;
const SHARED = 1 << 29;
const PEER_BITS = SHARED - 1;

const FIRST_SLOTS = 32;
const FIRST_PAIRS = 16;

export class Announcers {
  private readonly meta: Int32Array;
  /** Per node, its slots whose timer runs (see `allArmed`). */
  private readonly armedSlots: Int32Array;
  /** Per node, 1 while its shared inbound timer runs. */
  private readonly sharedRun: Uint8Array;
  private conn = new Int32Array(1 << 12);
  private connTop = 0;
  /** (transaction, from) pairs: pair p of a node at its log region's 2 (p - first). */
  log = new Int32Array(1 << 12);
  private logTop = 0;
  private scratch = new Int32Array(2 * FIRST_SLOTS);

  constructor(nodes: number) {
    this.meta = new Int32Array(nodes * META);
    this.armedSlots = new Int32Array(nodes);
    this.sharedRun = new Uint8Array(nodes);
  }

  /** Makes the node's table and log at its first transaction; false if it had them already. */
  open(local: number): boolean {
    const m = local * META;
    if (this.meta[m + SIZE] !== 0) return false;
    this.meta[m + SIZE] = FIRST_SLOTS;
    this.meta[m + TABLE] = this.takeTable(FIRST_SLOTS);
    this.meta[m + LOG] = this.takeLog(FIRST_PAIRS);
    this.meta[m + LOG_CAP] = FIRST_PAIRS;
    return true;
  }

  /** Whether the node has its table and log; false too in a run without transactions, which has no rows. */
  has(local: number): boolean {
    return this.meta[local * META + SIZE]! > 0;
  }

  epoch(local: number): number {
    return this.meta[local * META + EPOCH]!;
  }

  bumpEpoch(local: number): void {
    this.meta[local * META + EPOCH]!++;
  }

  first(local: number): number {
    return this.meta[local * META + FIRST]!;
  }

  end(local: number): number {
    return this.meta[local * META + FIRST]! + this.meta[local * META + HELD]!;
  }

  /** Where the node's log region starts in `log`. */
  logAt(local: number): number {
    return this.meta[local * META + LOG]!;
  }

  size(local: number): number {
    return this.meta[local * META + SIZE]!;
  }

  /** The table slot of `peer`, created with its cursor at log position `from` if absent. */
  slot(local: number, peer: number, from: number): number {
    const m = local * META;
    let size = this.meta[m + SIZE]!;
    let t = this.meta[m + TABLE]!;
    let i = home(peer, size);
    for (;;) {
      const key = this.conn[t + i]!;
      if ((key & PEER_BITS) === peer) return i;
      if (key === EMPTY) break;
      i = (i + 1) & (size - 1);
    }
    if (2 * (this.meta[m + USED]! + 1) > size) {
      this.rehash(local, 2 * size, null);
      size = this.meta[m + SIZE]!;
      t = this.meta[m + TABLE]!;
      i = home(peer, size);
      while (this.conn[t + i] !== EMPTY) i = (i + 1) & (size - 1);
    }
    this.conn[t + i] = peer;
    this.conn[t + size + i] = from;
    this.meta[m + USED]!++;
    return i;
  }

  /** The table slot of `peer`, or -1. */
  find(local: number, peer: number): number {
    const m = local * META;
    const size = this.meta[m + SIZE]!;
    const t = this.meta[m + TABLE]!;
    for (let i = home(peer, size); ; i = (i + 1) & (size - 1)) {
      const key = this.conn[t + i]!;
      if ((key & PEER_BITS) === peer) return i;
      if (key === EMPTY) return -1;
    }
  }

  /** Forgets the connection to `peer`, which closed: its queue goes, and a timer of its own finds no slot. */
  forget(local: number, peer: number): void {
    if (this.has(local) && this.find(local, peer) >= 0) this.rehash(local, this.size(local), (p) => p !== peer);
  }

  /** Forgets every connection that is not in the node's peer list now (back online, it has none yet). */
  forgetGone(ctx: Context): void {
    if (this.has(ctx.local)) this.rehash(ctx.local, this.size(ctx.local), (p) => ctx.peerIndex(p) >= 0);
  }

  /** The peer in `slot`, or EMPTY. */
  peerAt(local: number, slot: number): number {
    const key = this.conn[this.meta[local * META + TABLE]! + slot]!;
    return key === EMPTY ? EMPTY : key & PEER_BITS;
  }

  /** Whether a timer will flush the slot's queue, its own or the shared one. */
  armed(local: number, slot: number): boolean {
    return (this.conn[this.meta[local * META + TABLE]! + slot]! & ARMED) !== 0;
  }

  /** Whether the slot waits for the node's shared inbound timer. */
  shared(local: number, slot: number): boolean {
    const key = this.conn[this.meta[local * META + TABLE]! + slot]!;
    return key !== EMPTY && (key & SHARED) !== 0;
  }

  /** Arms the slot (by its own timer, or by the shared one) or disarms it. */
  setArmed(local: number, slot: number, on: boolean, shared = false): void {
    const at = this.meta[local * META + TABLE]! + slot;
    if (((this.conn[at]! & ARMED) !== 0) !== on) this.armedSlots[local]! += on ? 1 : -1;
    this.conn[at] = (this.conn[at]! & PEER_BITS) | (on ? ARMED : 0) | (on && shared ? SHARED : 0);
  }

  sharedRuns(local: number): boolean {
    return this.sharedRun[local] === 1;
  }

  setSharedRuns(local: number, on: boolean): void {
    this.sharedRun[local] = on ? 1 : 0;
  }

  /**
   * Whether the node has `peers` armed slots. Where slots exist only for current peers (peer lists
   * that never change), that is every peer armed: queuing a transaction then arms nothing, and the
   * walk over the peers' slots can be skipped.
   */
  allArmed(local: number, peers: number): boolean {
    return this.armedSlots[local] === peers;
  }

  cursor(local: number, slot: number): number {
    const m = local * META;
    return this.conn[this.meta[m + TABLE]! + this.meta[m + SIZE]! + slot]!;
  }

  setCursor(local: number, slot: number, at: number): void {
    const m = local * META;
    this.conn[this.meta[m + TABLE]! + this.meta[m + SIZE]! + slot] = at;
  }

  /**
   * Appends to the node's log. When it is full, the prefix every cursor has passed is dropped (the table
   * holds open connections only: `forget`, `forgetGone`); the log doubles only if that frees less than half.
   */
  append(local: number, k: number, from: number): void {
    const m = local * META;
    if (this.meta[m + HELD] === this.meta[m + LOG_CAP]) {
      const size = this.meta[m + SIZE]!;
      const t = this.meta[m + TABLE]!;
      let low = this.end(local);
      for (let i = 0; i < size; i++) if (this.conn[t + i] !== EMPTY && this.conn[t + size + i]! < low) low = this.conn[t + size + i]!;
      const drop = low - this.meta[m + FIRST]!;
      const held = this.meta[m + HELD]! - drop;
      const at = this.meta[m + LOG]!;
      this.log.copyWithin(at, at + 2 * drop, at + 2 * (drop + held));
      this.meta[m + FIRST] = low;
      this.meta[m + HELD] = held;
      if (2 * held > this.meta[m + LOG_CAP]!) {
        const cap = 2 * this.meta[m + LOG_CAP]!;
        const to = this.takeLog(cap);
        this.log.copyWithin(to, at, at + 2 * held);
        this.meta[m + LOG] = to;
        this.meta[m + LOG_CAP] = cap;
      }
    }
    const o = this.meta[m + LOG]! + 2 * this.meta[m + HELD]!++;
    this.log[o] = k;
    this.log[o + 1] = from;
  }

  /**
   * Rebuilds the node's table with `size` slots, keeping only the peers `keep` accepts (null: all), in
   * the order of their old slots. The same size is rebuilt in place.
   */
  private rehash(local: number, size: number, keep: ((peer: number) => boolean) | null): void {
    const m = local * META;
    const oldSize = this.meta[m + SIZE]!;
    const oldAt = this.meta[m + TABLE]!;
    if (this.scratch.length < 2 * oldSize) this.scratch = new Int32Array(2 * oldSize);
    const old = this.scratch;
    old.set(this.conn.subarray(oldAt, oldAt + 2 * oldSize));
    const t = size === oldSize ? oldAt : this.takeTable(size);
    const conn = this.conn; // after takeTable, which may have grown the arena
    conn.fill(EMPTY, t, t + size);
    let used = 0;
    let armed = 0;
    for (let j = 0; j < oldSize; j++) {
      const key = old[j]!;
      if (key === EMPTY || (keep !== null && !keep(key & PEER_BITS))) continue;
      let i = home(key & PEER_BITS, size);
      while (conn[t + i] !== EMPTY) i = (i + 1) & (size - 1);
      conn[t + i] = key;
      conn[t + size + i] = old[oldSize + j]!;
      used++;
      if ((key & ARMED) !== 0) armed++;
    }
    this.meta[m + SIZE] = size;
    this.meta[m + TABLE] = t;
    this.meta[m + USED] = used;
    this.armedSlots[local] = armed;
  }

  private takeTable(slots: number): number {
    const at = this.connTop;
    this.connTop += 2 * slots;
    while (this.conn.length < this.connTop) this.conn = doubled(this.conn);
    this.conn.fill(EMPTY, at, at + slots);
    return at;
  }

  private takeLog(pairs: number): number {
    const at = this.logTop;
    this.logTop += 2 * pairs;
    while (this.log.length < this.logTop) this.log = doubled(this.log);
    return at;
  }
}

/** A peer's first slot in a table of `size` slots. */
function home(peer: number, size: number): number {
  return (Math.imul(peer, 0x9e3779b1) >>> 0) & (size - 1);
}

