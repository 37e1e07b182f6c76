// Initial block download: how a newcomer gets the chain that existed before the run
// (`chain.initialHeight` blocks of `blockSizeBytes`; docs/scenario.md, "Joins and bootstrap").
//
// Headers first, then blocks, as Bitcoin Core does: on its first connection the newcomer asks that
// peer for the headers (initialHeight × headerBytes through the peer's upload FIFO); then it keeps up
// to `ibd.parallel` blocks in flight, asked of its connected peers in turn, and verifies them in height
// order at verifyMs each. Its download link carries one block at a time: a block is in hand at
// max(arrival, previous block in hand + the block's transfer time), so blocks from several peers at
// once cannot beat the newcomer's own bandwidth. A peer that lacks the chain (a newcomer itself)
// answers "not found" and the block is asked again after retryMs; one unanswered for timeoutMs (the
// peer went offline) is asked of the next peer. The whole pre-existing chain is one record per node,
// not one per (block, node): at 10^5 nodes and 1,000 blocks that would be 10^8 records.
//
// Blocks mined during the run are the relay's business, as for every node: a newcomer keeps the ones
// it receives as orphans until its download is done, then connects them and asks its peers for their
// tips (protocol.ts).
import type { Context } from '../../engine/model.js';

// Messages and timers of the download (protocol.ts keeps 1..16).
export const GETHEADERS = 17;
export const HEADERS = 18;
export const GETBLOCK = 19;
export const IBDBLOCK = 20;
/** "I lack the chain": a = the height asked, 0 for the headers. */
export const NOTFOUND = 21;
/** a = 0: the headers, b the peer asked; a = 1: the blocks in flight, b the download's timer generation. */
export const IBD_TIMEOUT = 22;
export const IN_HAND = 23;
export const IBD_VERIFIED = 24;
export const IBD_RETRY = 25;

/** Per height: not asked, asked of peer p (stored p + 2), arrived but still on the download link, in hand. */
const NOT_ASKED = 0;
const RECEIVED = 1;
const ARRIVING = -1;

export interface IbdRules {
  readonly height: number;
  readonly blockBytes: number;
  readonly headerBytes: number;
  readonly parallel: number;
  readonly timeoutMs: number;
  readonly retryMs: number;
  readonly messageDelayMs: number;
}

/** What the download needs of the chain model. */
export interface IbdHost {
  /** Uploads through the node's FIFO (protocol.ts). */
  upload(ctx: Context, to: number, kind: number, a: number, b: number, size: number): void;
  /** Whether the node holds the pre-existing chain. */
  hasBase(local: number): boolean;
  /** The download is done: the newcomer now holds the pre-existing chain. */
  baseDone(ctx: Context): void;
  /** The time the bytes of `size` took on the path from `from` to this node. */
  transferMs(from: number, to: number, size: number): number;
  verifyMs(local: number): number;
}

/** One newcomer's download, while it lasts. */
class Download {
  headers = false;
  /** The peer asked for the headers, -1 if none. */
  headerPeer = -1;
  readonly req: Int32Array;
  next = 1;
  readonly retry: number[] = [];
  inFlight = 0;
  verified = 0;
  verifying = false;
  /** A time: a double from the start (-0), as the engine's clock is (docs/architecture.md, "Hidden classes"). */
  inHandAt = -0;
  cursor = 0;
  /** Per height asked: when it is given up on. One timer, at the earliest, stands for them all. */
  readonly deadline: Float64Array;
  /** Whether that timer is set; `timerGen` tells it from one set before the node went offline. */
  armed = false;
  timerGen = 0;
  constructor(height: number) {
    this.req = new Int32Array(height + 1);
    this.deadline = new Float64Array(height + 1);
  }
}

export class InitialDownload {
  private readonly downloads: (Download | null)[];
  /** Per local node: when it held the pre-existing chain (NaN: not yet), and bytes it downloaded for it. */
  readonly doneMs: Float64Array;
  readonly bytes: Float64Array;

  constructor(private readonly rules: IbdRules, private readonly host: IbdHost, localNodes: number) {
    this.downloads = new Array<Download | null>(localNodes).fill(null);
    this.doneMs = new Float64Array(localNodes).fill(NaN);
    this.bytes = new Float64Array(localNodes);
  }

  /** A newcomer opened a connection: start with the headers, or give the window another peer. */
  onConnect(ctx: Context, peer: number): void {
    if (this.host.hasBase(ctx.local)) return;
    const d = (this.downloads[ctx.local] ??= new Download(this.rules.height));
    if (!d.headers) {
      if (d.headerPeer < 0) this.askHeaders(ctx, d, peer);
      return;
    }
    this.fill(ctx, d);
  }

  /** Back online mid-download: its timers and requests died with it; ask again as connections come. */
  onRecover(ctx: Context): void {
    const d = this.downloads[ctx.local];
    if (!d) return;
    d.headerPeer = -1;
    for (let h = 1; h < d.req.length; h++) {
      if (d.req[h]! >= 2) d.retry.push(h);
      else if (d.req[h] === ARRIVING) d.req[h] = RECEIVED; // its bytes were in; only the timer died
    }
    for (const h of d.retry) d.req[h] = NOT_ASKED;
    d.inFlight = 0;
    d.verifying = false;
    d.timerGen++;
    d.armed = false;
  }

  onMessage(ctx: Context, from: number, kind: number, a: number): void {
    const r = this.rules;
    switch (kind) {
      case GETHEADERS:
        if (this.host.hasBase(ctx.local)) this.host.upload(ctx, from, HEADERS, r.height, 0, r.height * r.headerBytes);
        else ctx.send(from, NOTFOUND, 0, 0, r.messageDelayMs);
        return;
      case GETBLOCK:
        if (this.host.hasBase(ctx.local)) this.host.upload(ctx, from, IBDBLOCK, a, 0, r.blockBytes);
        else ctx.send(from, NOTFOUND, a, 0, r.messageDelayMs);
        return;
    }
    const d = this.downloads[ctx.local];
    if (!d || this.host.hasBase(ctx.local)) return;
    switch (kind) {
      case HEADERS:
        if (d.headers) return;
        d.headers = true;
        this.bytes[ctx.local]! += r.height * r.headerBytes;
        if (r.height === 0) return this.finish(ctx);
        return this.fill(ctx, d);
      case IBDBLOCK: {
        if (d.req[a] !== from + 2) return; // given up on (timeout) and asked of another: a late copy
        d.inFlight--;
        this.bytes[ctx.local]! += r.blockBytes;
        // The download link carries one block at a time.
        const at = Math.max(ctx.now, d.inHandAt + this.host.transferMs(from, ctx.self, r.blockBytes));
        d.inHandAt = at;
        if (at > ctx.now) {
          d.req[a] = ARRIVING;
          ctx.setTimer(at - ctx.now, IN_HAND, a, 0);
        } else {
          d.req[a] = RECEIVED;
          this.verifyNext(ctx, d);
        }
        this.fill(ctx, d);
        return;
      }
      case NOTFOUND:
        if (a === 0) {
          if (d.headerPeer === from && !d.headers) {
            d.headerPeer = -1;
            ctx.setTimer(r.retryMs, IBD_RETRY, 0, 0);
          }
          return;
        }
        if (d.req[a] !== from + 2) return;
        d.req[a] = NOT_ASKED;
        d.inFlight--;
        d.retry.push(a);
        ctx.setTimer(r.retryMs, IBD_RETRY, 0, 0);
        return;
    }
  }

  onTimer(ctx: Context, kind: number, a: number, b: number): void {
    const d = this.downloads[ctx.local];
    if (!d || this.host.hasBase(ctx.local)) return;
    switch (kind) {
      case IBD_TIMEOUT:
        if (a === 0) {
          if (!d.headers && d.headerPeer === b) {
            d.headerPeer = -1;
            this.retryHeaders(ctx, d, b);
          }
          return;
        }
        if (b === d.timerGen) this.expire(ctx, d);
        return;
      case IN_HAND:
        if (d.req[a] === ARRIVING) d.req[a] = RECEIVED;
        return this.verifyNext(ctx, d);
      case IBD_VERIFIED:
        d.verifying = false;
        d.verified++;
        if (d.verified === this.rules.height) return this.finish(ctx);
        return this.verifyNext(ctx, d);
      case IBD_RETRY:
        if (!d.headers) {
          if (d.headerPeer < 0) this.retryHeaders(ctx, d, -1);
          return;
        }
        return this.fill(ctx, d);
    }
  }

  private askHeaders(ctx: Context, d: Download, peer: number): void {
    d.headerPeer = peer;
    ctx.send(peer, GETHEADERS, 0, 0, this.rules.messageDelayMs);
    ctx.setTimer(this.rules.timeoutMs, IBD_TIMEOUT, 0, peer);
  }

  /** The headers again, of the next connected peer after `last`; none connected: wait for onConnect. */
  private retryHeaders(ctx: Context, d: Download, last: number): void {
    const peer = this.nextPeer(ctx, d, last);
    if (peer >= 0) this.askHeaders(ctx, d, peer);
  }

  /** Keeps `parallel` blocks in flight, the lowest heights first, over the connected peers in turn. */
  private fill(ctx: Context, d: Download): void {
    const r = this.rules;
    while (d.inFlight < r.parallel && (d.retry.length > 0 || d.next <= r.height)) {
      const peer = this.nextPeer(ctx, d, -1);
      if (peer < 0) return;
      const h = d.retry.length > 0 ? d.retry.shift()! : d.next++;
      d.req[h] = peer + 2;
      d.inFlight++;
      ctx.send(peer, GETBLOCK, h, 0, r.messageDelayMs);
      d.deadline[h] = ctx.now + r.timeoutMs;
      this.arm(ctx, d);
    }
  }

  // One timer per download, not one per block asked: each would wait in the queue for timeoutMs though
  // the block came long before, and a flash crowd asks hundreds of thousands of blocks a minute.
  /** Sets the timer for the earliest deadline of a block in flight, if none is set. */
  private arm(ctx: Context, d: Download): void {
    if (d.armed) return;
    let first = Infinity;
    for (let h = d.verified + 1; h < d.next; h++) if (d.req[h]! >= 2 && d.deadline[h]! < first) first = d.deadline[h]!;
    if (first === Infinity) return;
    d.armed = true;
    // first > now: every deadline up to now was handled by expire(). Rounding of now + (first - now) can
    // bring the timer a hair early; expire() then finds nothing due and sets it again.
    ctx.setTimer(first - ctx.now, IBD_TIMEOUT, 1, d.timerGen);
  }

  /** The timer: each block in flight for timeoutMs is asked of another peer. */
  private expire(ctx: Context, d: Download): void {
    d.armed = false;
    let due = 0;
    // Heights below `verified` are in hand; none above `next` was asked.
    for (let h = d.verified + 1; h < d.next; h++) {
      if (d.req[h]! < 2 || d.deadline[h]! > ctx.now) continue;
      d.req[h] = NOT_ASKED;
      d.inFlight--;
      d.retry.push(h);
      due++;
    }
    if (due > 0) this.fill(ctx, d);
    this.arm(ctx, d);
  }

  /** The next online peer in turn (not `avoid` unless it is the only one), or -1. */
  private nextPeer(ctx: Context, d: Download, avoid: number): number {
    const list = ctx.peerList();
    const start = ctx.peerStart();
    const count = ctx.peerEnd() - start;
    let fallback = -1;
    for (let k = 0; k < count; k++) {
      const v = list[start + ((d.cursor + k) % count)]!;
      if (!ctx.online(v)) continue;
      if (v === avoid) {
        fallback = v;
        continue;
      }
      d.cursor = (d.cursor + k + 1) % count;
      return v;
    }
    return fallback;
  }

  /** Verifies blocks in height order, one at a time. */
  private verifyNext(ctx: Context, d: Download): void {
    while (!d.verifying && d.verified < this.rules.height && d.req[d.verified + 1] === RECEIVED) {
      const v = this.host.verifyMs(ctx.local);
      if (v > 0) {
        d.verifying = true;
        ctx.setTimer(v, IBD_VERIFIED, 0, 0);
        return;
      }
      d.verified++;
      if (d.verified === this.rules.height) return this.finish(ctx);
    }
  }

  private finish(ctx: Context): void {
    this.downloads[ctx.local] = null;
    this.doneMs[ctx.local] = ctx.now;
    this.host.baseDone(ctx);
  }
}
