// Transaction relay as Bitcoin Core does it: each connection this node opened has a Poisson timer of
// mean `outboundMeanMs`, and all the connections its peers opened share one of mean `inboundMeanMs`
// (Core's NextInvToInbounds: a spy that opens many connections to a node still sees one timer; with
// `inboundTimer: "per-peer"` each has its own). When a timer fires, one inv per peer carries every
// transaction queued for it, up to `maxPerInv`; the peer asks with one getdata for those it lacks and
// gets them in one upload.
//
// A timer runs only while something is queued: it is armed when the first transaction is queued
// and not re-armed after firing until the next one. A Poisson process is memoryless, so the time from a
// transaction's arrival to the next tick is Exp(mean) either way — each transaction's delay to each
// peer has the distribution it had when every transaction drew its own timer — and ticks without
// anything to send cost no event. Events grow with connections × ticks, not connections × transactions.
//
// A message carries two int32 fields, so an inv (and a getdata, and the transactions sent) names a
// window of 43 consecutive transaction ids (inv-windows.ts). One tick sends one message per window its
// transactions span (counted as one inv in `traffic.transactionInvs`).
//
// What each connection has queued is one log per node — (transaction, who sent it) in arrival order —
// and a cursor per connection (announcers.ts): the connection's queue is what lies after its cursor,
// less what came from that peer. Queuing a transaction for every peer is then one append, not one push
// per peer.
import type { Context, Scheduler } from '../../engine/model.js';
import { doubled } from '../../engine/typed-arrays.js';
import { hasFaultSchedule } from '../../faults/schedule.js';
import { exponential } from '../../rng.js';
import { Announcers, EMPTY } from './announcers.js';
import { BASE_BITS, BASE_MASK, WINDOW, WindowPacker, unpackWindow, windowCount } from './inv-windows.js';
import type { ChainPlan } from './plan.js';
import { HAVE, NONE, REQUESTED, TxStates } from './tx-states.js';

// Messages (a window: see the file comment).
export const TXINV = 7;
export const TXGETDATA = 8;
export const TX = 9;
// Timers.
export const TXORIGIN = 13;
/** A getdata has gone unanswered (a: its request slot). */
export const TXTIMEOUT = 16;
/** An inv timer (a: the peer, or INBOUND for the shared one). */
export const TXTICK = 20;
const INBOUND = -1;

/** The smallest timer delay: a draw of exactly 0 would be a zero delay, which the engine rejects. */
const MIN_DELAY_MS = 1e-6;

/** Sends a payload through the node's upload FIFO (the chain's, shared with blocks). */
export type Upload = (ctx: Context, to: number, kind: number, a: number, b: number, sizeBytes: number) => void;

export class TxRelay {
  /** What each local node knows of each transaction (node-major: an inv's window reads one line). */
  private readonly states: TxStates;
  readonly txReached: number[];
  /**
   * Per transaction, the summed receipt delays (in whole µs, so the sum is exact and the same however
   * the nodes are split into shards) of the nodes that did not create it.
   */
  readonly txDelay: number[];
  /** Per (transaction, local node): receipt delay after its creation, NaN if never (the tail's measures). */
  readonly txRecvMs: Float32Array;
  /** Invs sent: one per tick that had something to announce, however many windows it spanned. */
  invs = 0;
  private readonly announcers: Announcers;
  private readonly cap: number;
  // Getdata requests awaiting their transactions, by slot: the peer asked and the window still wanted.
  private reqPeer = new Int32Array(64);
  private reqA = new Int32Array(64);
  private reqB = new Int32Array(64);
  private reqFree: number[] = [];
  private reqUsed = 0;
  /**
   * Whether an unanswered getdata is asked again. Without faults every getdata is answered (the peer
   * has what it announced and stays online), and asking the same peer again would only duplicate it.
   */
  private readonly retry: boolean;
  /** Peer lists never change (engine/peer-maintenance.ts runs only with a fault schedule). */
  private readonly fixedPeers: boolean;
  private readonly sharedInbound: boolean;
  /** Scratch for one tick's transactions. */
  private batch = new Int32Array(64);
  private readonly packer = new WindowPacker();
  /** Scratch for one window's transactions. */
  private readonly ids = new Int32Array(WINDOW);

  constructor(private readonly plan: ChainPlan, private readonly n: number, private readonly upload: Upload) {
    const T = plan.transactions?.origin.length ?? 0;
    this.states = new TxStates(n, T);
    this.txReached = new Array<number>(T).fill(0);
    this.txDelay = new Array<number>(T).fill(0);
    this.txRecvMs = new Float32Array(T * n).fill(NaN);
    this.announcers = new Announcers(T > 0 ? n : 0);
    this.cap = plan.transactions?.maxPerInv ?? 0;
    this.retry = plan.faults.length > 0;
    this.fixedPeers = !hasFaultSchedule(plan.faults, plan.joinAtMs);
    this.sharedInbound = plan.transactions?.sharedInbound ?? false;
  }

  start(s: Scheduler): void {
    const tx = this.plan.transactions;
    if (tx) tx.origin.forEach((o, k) => s.owns(o) && s.scheduleAt(o, tx.createdMs[k]!, TXORIGIN, k, 0));
  }

  onTimer(ctx: Context, kind: number, a: number, b: number): void {
    if (kind === TXORIGIN) this.receive(ctx, a, -1);
    else if (kind === TXTICK) this.tick(ctx, a, b);
    else this.timeout(ctx, a);
  }

  onMessage(ctx: Context, from: number, kind: number, a: number, b: number): void {
    if (kind === TXINV) this.announced(ctx, from, a, b);
    else if (kind === TXGETDATA) this.upload(ctx, from, TX, a, b, windowCount(a, b) * this.plan.transactions!.sizeBytes);
    else this.received(ctx, from, a, b);
  }

  /**
   * Back online. Transactions it was fetching lost their timers: the next announcement asks again.
   * Its inv timers that were due while it was down died: every connection with something queued gets
   * a new one, and those that survive are ignored (`epoch`).
   */
  onRecover(ctx: Context): void {
    const local = ctx.local;
    this.states.forgetRequests(local);
    const ann = this.announcers;
    if (!ann.has(local)) return;
    ann.bumpEpoch(local);
    ann.setSharedRuns(local, false);
    // Going down closed its connections (peer maintenance): what was queued for them went with them.
    ann.forgetGone(ctx);
    for (let i = 0, size = ann.size(local); i < size; i++) {
      const peer = ann.peerAt(local, i);
      if (peer === EMPTY || !ann.armed(local, i)) continue;
      ann.setArmed(local, i, false);
      if (ann.cursor(local, i) < ann.end(local)) this.arm(ctx, i, peer, this.opened(ctx, peer));
    }
  }

  /** A connection closed: what was queued for it goes with it, and its timer finds nothing to announce. */
  onDisconnect(ctx: Context, peer: number): void {
    this.announcers.forget(ctx.local, peer);
  }

  private receive(ctx: Context, k: number, from: number): void {
    const local = ctx.local;
    this.states.set(local, k, HAVE);
    this.txReached[k]!++;
    const tx = this.plan.transactions!;
    const delay = ctx.now - tx.createdMs[k]!;
    if (from >= 0) this.txDelay[k]! += Math.round(delay * 1000);
    this.txRecvMs[k * this.n + local] = delay;
    const ann = this.announcers;
    ann.open(local);
    ann.append(local, k, from);
    const at = ann.end(local) - 1;
    const peers = ctx.peerList();
    const end = ctx.peerEnd();
    // Most of the time every timer already runs (a tick comes every few seconds, a transaction several
    // times a second): the walk below, a hash probe per peer, would arm nothing.
    if (this.fixedPeers && ann.allArmed(local, end - ctx.peerStart())) return;
    for (let i = ctx.peerStart(); i < end; i++) {
      const v = peers[i]!;
      if (v === from) continue;
      const s = ann.slot(local, v, at);
      if (!ann.armed(local, s)) this.arm(ctx, s, v, ctx.peerOpened(i));
    }
  }

  /** Arms the slot of `peer`: by a timer of its own, or by the node's shared inbound one. */
  private arm(ctx: Context, slot: number, peer: number, opened: boolean): void {
    const ann = this.announcers;
    const local = ctx.local;
    const tx = this.plan.transactions!;
    const shared = !opened && this.sharedInbound;
    ann.setArmed(local, slot, true, shared);
    if (shared && ann.sharedRuns(local)) return;
    if (shared) ann.setSharedRuns(local, true);
    const delay = Math.max(MIN_DELAY_MS, exponential(ctx.random(), opened ? tx.outboundMeanMs : tx.inboundMeanMs));
    ctx.setTimer(delay, TXTICK, shared ? INBOUND : peer, ann.epoch(local));
  }

  /** An inv timer fired: announce what is queued for its peer, or for each peer sharing it. */
  private tick(ctx: Context, peer: number, epoch: number): void {
    const ann = this.announcers;
    const local = ctx.local;
    if (epoch !== ann.epoch(local)) return;
    if (peer === INBOUND) {
      ann.setSharedRuns(local, false);
      for (let s = 0, size = ann.size(local); s < size; s++) {
        if (!ann.shared(local, s)) continue;
        ann.setArmed(local, s, false);
        const v = ann.peerAt(local, s);
        if (this.flush(ctx, s, v)) this.arm(ctx, s, v, false);
      }
      return;
    }
    const s = ann.find(local, peer);
    // A connection that is gone or forgotten; or, forgotten and back as inbound, one waiting for the shared timer.
    if (s < 0 || !ann.armed(local, s) || ann.shared(local, s)) return;
    ann.setArmed(local, s, false);
    if (this.flush(ctx, s, peer)) this.arm(ctx, s, peer, this.opened(ctx, peer));
  }

  /** Announces what is queued for the peer in `slot`, a window per message; true if some is left (the cap). */
  private flush(ctx: Context, s: number, peer: number): boolean {
    const ann = this.announcers;
    const local = ctx.local;
    let taken = 0;
    let at = ann.cursor(local, s);
    const end = ann.end(local);
    if (this.batch.length < this.cap && this.batch.length < end - at) this.batch = new Int32Array(Math.min(this.cap, 2 * (end - at)));
    const log = ann.log;
    for (let j = ann.logAt(local) + 2 * (at - ann.first(local)); at < end && taken < this.cap; at++, j += 2) {
      if (log[j + 1] !== peer) this.batch[taken++] = log[j]!;
    }
    ann.setCursor(local, s, at);
    if (taken > 0) {
      this.invs++;
      const windows = this.packer.pack(this.batch, taken);
      const out = this.packer.out;
      for (let i = 0; i < windows; i++) ctx.send(peer, TXINV, out[2 * i]!, out[2 * i + 1]!, 0);
    }
    return at < end;
  }

  /** Whether this node opened its connection to `peer` (which decides its timer); false if gone. */
  private opened(ctx: Context, peer: number): boolean {
    const i = ctx.peerIndex(peer);
    return i >= 0 && ctx.peerOpened(i);
  }

  /** An inv: ask its sender, in one getdata, for the transactions this node neither has nor asked for. */
  private announced(ctx: Context, from: number, a: number, b: number): void {
    const n = unpackWindow(a, b, this.ids);
    const ids = this.ids;
    const local = ctx.local;
    const base = a & BASE_MASK;
    let low = 0;
    let high = 0;
    for (let i = 0; i < n; i++) {
      if (this.states.get(local, ids[i]!) !== NONE) continue;
      this.states.set(local, ids[i]!, REQUESTED);
      const off = ids[i]! - base;
      if (off < 32) low |= 1 << off;
      else high |= 1 << (off - 32);
    }
    if (low === 0 && high === 0) return;
    const r = this.plan.relay;
    const want = base | (high << BASE_BITS);
    ctx.send(from, TXGETDATA, want, low, r.messageDelayMs);
    if (this.retry) ctx.setTimer(r.timeoutMs, TXTIMEOUT, this.openRequest(from, want, low), 0);
  }

  private received(ctx: Context, from: number, a: number, b: number): void {
    const n = unpackWindow(a, b, this.ids);
    // receive() does not touch this.ids, so the list stays whole through the loop.
    for (let i = 0; i < n; i++) {
      const k = this.ids[i]!;
      if (this.states.get(ctx.local, k) !== HAVE) this.receive(ctx, k, from);
    }
  }

  /**
   * Ask the same peer again for what has not come, waiting as long as the oldest of it has existed (at
   * least timeoutMs): a lost message costs time, and a peer gone for good a few timers.
   */
  private timeout(ctx: Context, slot: number): void {
    const n = unpackWindow(this.reqA[slot]!, this.reqB[slot]!, this.ids);
    const base = this.reqA[slot]! & BASE_MASK;
    let low = 0;
    let high = 0;
    let oldest = -1;
    for (let i = 0; i < n; i++) {
      const k = this.ids[i]!;
      if (this.states.get(ctx.local, k) !== REQUESTED) continue;
      if (oldest < 0) oldest = k;
      const off = k - base;
      if (off < 32) low |= 1 << off;
      else high |= 1 << (off - 32);
    }
    if (oldest < 0) {
      this.reqFree.push(slot);
      return;
    }
    const want = base | (high << BASE_BITS);
    this.reqA[slot] = want;
    this.reqB[slot] = low;
    const r = this.plan.relay;
    ctx.send(this.reqPeer[slot]!, TXGETDATA, want, low, r.messageDelayMs);
    ctx.setTimer(Math.max(r.timeoutMs, ctx.now - this.plan.transactions!.createdMs[oldest]!), TXTIMEOUT, slot, 0);
  }

  private openRequest(peer: number, a: number, b: number): number {
    let slot = this.reqFree.pop();
    if (slot === undefined) {
      slot = this.reqUsed++;
      if (slot === this.reqPeer.length) {
        this.reqPeer = doubled(this.reqPeer);
        this.reqA = doubled(this.reqA);
        this.reqB = doubled(this.reqB);
      }
    }
    this.reqPeer[slot] = peer;
    this.reqA[slot] = a;
    this.reqB[slot] = b;
    return slot;
  }
}
