// Relay on first receipt, to every peer but the sender, each copy after a delay the protocol chooses:
// flood (a fixed delay) and diffusion (an independent exponential one per peer) differ only there.
import type { Context, Model, ModelOutcome, Scheduler } from '../engine/model.js';
import { MSG, scheduleBroadcasts, type Broadcasts, type HeardBits } from './protocol.js';

export abstract class RelayOnce implements Model {
  constructor(private readonly broadcasts: Broadcasts, private readonly heard: HeardBits) {}

  /** The wait before one copy leaves, beyond the link's own delay; drawn per peer. */
  protected abstract wait(ctx: Context): number;

  start(s: Scheduler): void {
    scheduleBroadcasts(s, this.broadcasts);
  }

  onTimer(ctx: Context, _kind: number, m: number): void {
    this.receive(ctx, -1, m, 0);
  }

  onMessage(ctx: Context, from: number, _kind: number, m: number, hops: number): void {
    this.receive(ctx, from, m, hops);
  }

  private receive(ctx: Context, from: number, m: number, hops: number): void {
    if (!this.heard.mark(m, ctx.local)) return;
    const size = this.broadcasts.sizeBytes;
    const peers = ctx.peerList();
    const end = ctx.peerEnd();
    for (let i = ctx.peerStart(); i < end; i++) {
      const v = peers[i]!;
      if (v === from) continue;
      ctx.send(v, MSG, m, hops + 1, this.wait(ctx), size);
    }
  }

  /** What the protocol keeps is its own state; the measures are the gossip model's observers'. */
  outcome(): ModelOutcome {
    return { perNode: {}, totals: {} };
  }
}
