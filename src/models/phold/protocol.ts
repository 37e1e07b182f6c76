// PHOLD (Fujimoto 1990) as ROSS defines it (models/phold): every LP starts with `startEvents` events;
// handling one sends one new event, to a uniform random LP (itself included) with probability `remote`,
// else to itself, stamped now + Exp(mean - lookahead) + lookahead. Events at or after `end` are never
// handled. With the defaults every increment is exactly 1.0, so equal timestamps are everywhere: a
// hard test of the total event order.
import type { Context, Model, ModelOutcome, Scheduler } from '../../engine/model.js';
import { exponential } from '../../rng.js';

/** The plan of a PHOLD run: its LPs are the engine's nodes, its time units the engine's ms. */
export interface PholdPlan {
  readonly model: 'phold';
  readonly seed: number;
  readonly nodes: number;
  readonly endMs: number;
  readonly startEvents: number;
  readonly remote: number;
  readonly mean: number;
  readonly lookahead: number;
}

export type PholdOutcome = ModelOutcome<'handled' | 'trail', never>;

const EVENT = 1;

export class Phold implements Model {
  /** Events handled per local LP. */
  private readonly handled: Uint32Array;
  /** An order-sensitive hash of (time, sender) over each LP's handled events: the digest's witness. */
  private readonly trail: Uint32Array;
  private readonly members: Int32Array;

  constructor(private readonly plan: PholdPlan, members: Int32Array) {
    this.members = members;
    this.handled = new Uint32Array(members.length);
    this.trail = new Uint32Array(members.length);
  }

  start(s: Scheduler): void {
    // ROSS's phold_init: each start event is stamped Exp(mean - lookahead) + lookahead from the LP's stream.
    const p = this.plan;
    for (const lp of this.members) {
      for (let k = 0; k < p.startEvents; k++) s.scheduleAt(lp, this.increment(s.randomFor(lp)), EVENT, 0, 0);
    }
  }

  /** A start event arrives as a timer: the LP sent it to itself. */
  onTimer(ctx: Context): void {
    this.onMessage(ctx, ctx.self);
  }

  onMessage(ctx: Context, from: number): void {
    const i = ctx.local;
    this.handled[i]!++;
    let h = this.trail[i]! ^ Math.imul(from + 1, 0x9e3779b1) ^ Math.imul(Math.round(ctx.now * 1024), 0x85ebca6b);
    h = Math.imul(h ^ (h >>> 15), 0x2c1b3c6d);
    this.trail[i] = (h ^ (h >>> 12)) >>> 0;
    const to = ctx.random() < this.plan.remote ? Math.floor(ctx.random() * this.plan.nodes) : ctx.self;
    // PHOLD has no links: the whole delay is the increment (the engine's link is zero for this model).
    ctx.send(to, EVENT, 0, 0, this.increment(ctx.random()));
  }

  private increment(u: number): number {
    const p = this.plan;
    return exponential(u, p.mean - p.lookahead) + p.lookahead;
  }

  outcome(): PholdOutcome {
    return { perNode: { handled: this.handled, trail: this.trail }, totals: {} };
  }
}
