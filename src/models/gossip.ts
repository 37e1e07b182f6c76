// Gossip of broadcast messages: flooding and diffusion (DESIGN §2). A node forwards a message the
// first time it hears it, to every neighbour but the one it came from:
// - flood: after the link latency plus a fixed relay delay;
// - diffusion (Bitcoin since 2015): after an independent exponential delay per neighbour, plus latency.
// The workload (which node originates which message, when) is a control, not part of the protocol:
// the plan fixes it and start() places it as timers at the origins.
import type { Context, Model, ModelOutcome, Scheduler } from '../engine/model.js';
import type { GossipPlan } from '../scenario/plan.js';
import { exponential } from '../rng.js';

const MSG = 1;
const ORIGINATE = 2;

export class Gossip implements Model {
  /** First receipt time per (message, local node); NaN in the outcome where never received. */
  private readonly firstMs: Float64Array;
  private readonly hops: Int32Array;
  /**
   * One bit per (message, local node): heard it yet? Most receipts are duplicates (6 of 7 in a flood
   * over degree 8), each a read at a random node. A bit array of 1M nodes is 125 KiB and stays in
   * cache, where a read of `hops` (4 MiB) missed it: measured, that read was the hottest line of the run.
   */
  private readonly heard: Int32Array;
  /** Copies received per message, redundant ones included. */
  private readonly copies: number[];
  private readonly n: number;
  private readonly diffusion: boolean;
  private readonly delayMs: number;
  private readonly size: number;

  constructor(private readonly plan: GossipPlan, localNodes: number) {
    const m = plan.messages.origin.length;
    this.n = localNodes;
    // Not filled with "never" up front: `heard` says which entries are set, and outcome() marks the
    // rest. Filling 12 MiB at 10^6 nodes took 20-35 ms of every run's start.
    this.firstMs = new Float64Array(m * localNodes);
    this.hops = new Int32Array(m * localNodes);
    this.heard = new Int32Array(Math.ceil((m * localNodes) / 32));
    this.copies = new Array<number>(m).fill(0);
    this.diffusion = plan.protocol.kind === 'diffusion';
    this.delayMs = plan.protocol.kind === 'diffusion' ? plan.protocol.meanDelayMs : plan.protocol.relayDelayMs;
    this.size = plan.messages.sizeBytes;
  }

  start(s: Scheduler): void {
    const { origin, createdMs } = this.plan.messages;
    for (let m = 0; m < origin.length; m++) {
      if (s.owns(origin[m]!)) s.scheduleAt(origin[m]!, createdMs[m]!, ORIGINATE, m, 0);
    }
  }

  onTimer(ctx: Context, _kind: number, m: number): void {
    this.receive(ctx, -1, m, 0);
  }

  onMessage(ctx: Context, from: number, _kind: number, m: number, hops: number): void {
    this.copies[m]!++;
    this.receive(ctx, from, m, hops);
  }

  private receive(ctx: Context, from: number, m: number, hops: number): void {
    const at = m * this.n + ctx.local;
    const word = this.heard[at >>> 5]!;
    const bit = 1 << (at & 31);
    if ((word & bit) !== 0) return;
    this.heard[at >>> 5] = word | bit;
    this.firstMs[at] = ctx.now;
    this.hops[at] = hops;
    const peers = ctx.peerList();
    const end = ctx.peerEnd();
    for (let i = ctx.peerStart(); i < end; i++) {
      const v = peers[i]!;
      if (v === from) continue;
      const wait = this.diffusion ? exponential(ctx.random(), this.delayMs) : this.delayMs;
      ctx.send(v, MSG, m, hops + 1, wait, this.size);
    }
  }

  outcome(): ModelOutcome {
    for (let at = 0; at < this.firstMs.length; at++) {
      if ((this.heard[at >>> 5]! & (1 << (at & 31))) !== 0) continue;
      this.firstMs[at] = NaN;
      this.hops[at] = -1;
    }
    return { perNode: { firstMs: this.firstMs, hops: this.hops }, totals: { copies: this.copies } };
  }
}
