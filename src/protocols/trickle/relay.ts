// Trickle's handlers (index.ts says what trickle is).
import type { Context, Model, ModelOutcome, Scheduler } from '../../engine/model.js';
import { FIRST_FREE_KIND, MSG, ORIGINATE, scheduleBroadcasts, type Broadcasts, type HeardBits } from '../protocol.js';
import type { Trickle } from './index.js';

const TICK = FIRST_FREE_KIND;

/** A broadcast a node still passes on: who it came from, and the neighbours already sent it. */
interface Pending {
  readonly m: number;
  readonly from: number;
  readonly hops: number;
  readonly sent: number[];
}

class TrickleRelay implements Model {
  private readonly heard: HeardBits;
  private readonly pending: (Pending[] | null)[];
  /** Per local node: its tick phase, NaN until first needed. */
  private readonly phase: Float64Array;
  private readonly ticking: Uint8Array;
  /** Scratch: the neighbours eligible at this tick. */
  private eligible = new Int32Array(16);

  constructor(private readonly p: Trickle, private readonly broadcasts: Broadcasts, localNodes: number, heard: HeardBits) {
    this.heard = heard;
    this.pending = new Array<Pending[] | null>(localNodes).fill(null);
    this.phase = new Float64Array(localNodes).fill(NaN);
    this.ticking = new Uint8Array(localNodes);
  }

  start(s: Scheduler): void {
    scheduleBroadcasts(s, this.broadcasts);
  }

  onTimer(ctx: Context, kind: number, a: number): void {
    if (kind === ORIGINATE) this.receive(ctx, -1, a, 0);
    else if (kind === TICK) this.tick(ctx);
  }

  onMessage(ctx: Context, from: number, _kind: number, m: number, hops: number): void {
    this.receive(ctx, from, m, hops);
  }

  /** Crashed nodes lose their timers: a node back online ticks again if it still has something to pass on. */
  onRecover(ctx: Context): void {
    this.ticking[ctx.local] = 0;
    if (this.pending[ctx.local]) this.schedule(ctx);
  }

  private receive(ctx: Context, from: number, m: number, hops: number): void {
    if (!this.heard.mark(m, ctx.local)) return;
    (this.pending[ctx.local] ??= []).push({ m, from, hops, sent: [] });
    if (this.ticking[ctx.local] === 0) this.schedule(ctx);
  }

  /** The node's next tick strictly after now. */
  private schedule(ctx: Context): void {
    const T = this.p.tickMs;
    let phase = this.phase[ctx.local]!;
    if (phase !== phase) phase = this.phase[ctx.local] = this.p.phase === 'aligned' ? 0 : ctx.random() * T;
    let next = phase + T * (Math.floor((ctx.now - phase) / T) + 1);
    if (!(next > ctx.now)) next += T;
    this.ticking[ctx.local] = 1;
    ctx.setTimer(next - ctx.now, TICK, 0, 0);
  }

  private tick(ctx: Context): void {
    const list = this.pending[ctx.local];
    this.ticking[ctx.local] = 0;
    if (!list) return;
    const peers = ctx.peerList();
    const end = ctx.peerEnd();
    const start = ctx.peerStart();
    if (this.eligible.length < end - start) this.eligible = new Int32Array(end - start);
    let k = 0;
    for (let i = start; i < end; i++) {
      const v = peers[i]!;
      if (list.some((e) => lacks(e, v))) this.eligible[k++] = v;
    }
    if (k > 0) {
      const v = this.eligible[Math.floor(ctx.random() * k)]!;
      for (const e of list) {
        if (!lacks(e, v)) continue;
        e.sent.push(v);
        ctx.send(v, MSG, e.m, e.hops + 1, 0, this.broadcasts.sizeBytes);
      }
    }
    // Keep what some current neighbour still lacks; a later tick serves the next one.
    const left = list.filter((e) => hasTarget(e, peers, start, end));
    this.pending[ctx.local] = left.length ? left : null;
    if (left.length) this.schedule(ctx);
  }

  outcome(): ModelOutcome {
    return { perNode: {}, totals: {} };
  }
}

function lacks(e: Pending, v: number): boolean {
  return v !== e.from && !e.sent.includes(v);
}

function hasTarget(e: Pending, peers: Int32Array, start: number, end: number): boolean {
  for (let i = start; i < end; i++) if (lacks(e, peers[i]!)) return true;
  return false;
}

export const relay = (p: Trickle, b: Broadcasts, localNodes: number, heard: HeardBits) => new TrickleRelay(p, b, localNodes, heard);
