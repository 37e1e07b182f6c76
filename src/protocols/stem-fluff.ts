// The two phases Dandelion and Dandelion++ share. In the stem a broadcast passes from one node to one
// node (kind STEM), each hop choosing where it goes next; in the fluff it spreads as diffusion does
// (kind MSG: every neighbour but the sender, each copy after its own exponential wait). What differs
// between the two protocols is only where a stem goes and when it turns to fluff: the subclasses' part.
import type { Context, Model, ModelOutcome, Scheduler } from '../engine/model.js';
import { exponential } from '../rng.js';
import { FIRST_FREE_KIND, HeardBits, MSG, ORIGINATE, STEM, scheduleBroadcasts, type Broadcasts } from './protocol.js';

/**
 * Timer kind: a stemmed broadcast's embargo has run out (Dandelion++'s fail-safe). Not trickle's tick
 * (FIRST_FREE_KIND), so a mixed run can tell the two apart; kinds take no part in the event order.
 */
export const EMBARGO = FIRST_FREE_KIND + 1;

export abstract class StemFluff implements Model {
  /** Which broadcasts a node has relayed in fluff: at most once each. */
  private readonly fluffed: HeardBits;

  constructor(
    protected readonly broadcasts: Broadcasts,
    localNodes: number,
    private readonly heard: HeardBits,
    private readonly meanDelayMs: number,
  ) {
    this.fluffed = new HeardBits(broadcasts.origin.length, localNodes);
  }

  /** The origin's first step: where its own broadcast goes. */
  protected abstract originate(ctx: Context, m: number): void;
  /** A stem copy heard for the first time, from `from`: pass it on in the stem, or fluff it. */
  protected abstract stem(ctx: Context, from: number, m: number, hops: number): void;

  start(s: Scheduler): void {
    scheduleBroadcasts(s, this.broadcasts);
  }

  onTimer(ctx: Context, kind: number, m: number, hops: number): void {
    if (kind === ORIGINATE) {
      if (this.heard.mark(m, ctx.local)) this.originate(ctx, m);
    } else if (kind === EMBARGO) {
      // The broadcast did not come back in fluff in time: the stem may have died (a black hole, a crash).
      if (!this.fluffed.has(m, ctx.local)) this.fluff(ctx, -1, m, hops);
    }
  }

  onMessage(ctx: Context, from: number, kind: number, m: number, hops: number): void {
    const first = this.heard.mark(m, ctx.local);
    if (kind === STEM && first) this.stem(ctx, from, m, hops);
    // A fluff copy, or a stem that came back round a loop: spread it, once.
    else if (!this.fluffed.has(m, ctx.local)) this.fluff(ctx, from, m, hops);
  }

  /** Diffusion from this node: every neighbour but `from`. */
  protected fluff(ctx: Context, from: number, m: number, hops: number): void {
    this.fluffed.mark(m, ctx.local);
    const size = this.broadcasts.sizeBytes;
    const peers = ctx.peerList();
    const end = ctx.peerEnd();
    for (let i = ctx.peerStart(); i < end; i++) {
      const v = peers[i]!;
      if (v !== from) ctx.send(v, MSG, m, hops + 1, exponential(ctx.random(), this.meanDelayMs), size);
    }
  }

  protected sendStem(ctx: Context, to: number, m: number, hops: number): void {
    ctx.send(to, STEM, m, hops + 1, 0, this.broadcasts.sizeBytes);
  }

  outcome(): ModelOutcome {
    return { perNode: {}, totals: {} };
  }
}
