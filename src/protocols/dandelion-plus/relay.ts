// Dandelion++'s handlers (index.ts says what Dandelion++ is).
import type { Context } from '../../engine/model.js';
import { exponential } from '../../rng.js';
import type { Broadcasts, HeardBits } from '../protocol.js';
import { EMBARGO, StemFluff } from '../stem-fluff.js';
import type { DandelionPlus } from './index.js';

class DandelionPlusRelay extends StemFluff {
  /** Per local node: its epoch offset (NaN until first needed), current epoch, and that epoch's draws. */
  private readonly offset: Float64Array;
  private readonly epoch: Float64Array;
  private readonly fluffNode: Uint8Array;
  private readonly stemA: Int32Array;
  private readonly stemB: Int32Array;
  /** 0: own broadcasts go to stemA, 1: to stemB. */
  private readonly own: Uint8Array;
  /** Inbound peer -> 0 (stemA) or 1 (stemB), this epoch; null until a stem arrives. */
  private readonly routes: (Map<number, number> | null)[];
  private scratch = new Int32Array(16);

  constructor(private readonly p: DandelionPlus, b: Broadcasts, localNodes: number, heard: HeardBits) {
    super(b, localNodes, heard, p.meanDelayMs);
    this.offset = new Float64Array(localNodes).fill(NaN);
    this.epoch = new Float64Array(localNodes).fill(NaN);
    this.fluffNode = new Uint8Array(localNodes);
    this.stemA = new Int32Array(localNodes).fill(-1);
    this.stemB = new Int32Array(localNodes).fill(-1);
    this.own = new Uint8Array(localNodes);
    this.routes = new Array<Map<number, number> | null>(localNodes).fill(null);
  }

  protected originate(ctx: Context, m: number): void {
    this.enterEpoch(ctx);
    const i = ctx.local;
    const to = this.own[i] === 0 ? this.stemA[i]! : this.stemB[i]!;
    this.forward(ctx, -1, to, m, 0);
  }

  protected stem(ctx: Context, from: number, m: number, hops: number): void {
    this.enterEpoch(ctx);
    const i = ctx.local;
    if (this.fluffNode[i] === 1) {
      this.fluff(ctx, from, m, hops);
      return;
    }
    const routes = (this.routes[i] ??= new Map());
    let side = routes.get(from);
    if (side === undefined) routes.set(from, (side = ctx.random() < 0.5 ? 0 : 1));
    this.forward(ctx, from, side === 0 ? this.stemA[i]! : this.stemB[i]!, m, hops);
  }

  private forward(ctx: Context, from: number, to: number, m: number, hops: number): void {
    if (to < 0) {
      this.fluff(ctx, from, m, hops);
      return;
    }
    this.sendStem(ctx, to, m, hops);
    ctx.setTimer(exponential(ctx.random(), this.p.embargoMeanMs), EMBARGO, m, hops);
  }

  /** Draws the node's state for the epoch it is in now, once per epoch. */
  private enterEpoch(ctx: Context): void {
    const i = ctx.local;
    let off = this.offset[i]!;
    if (off !== off) off = this.offset[i] = ctx.random() * this.p.epochMs;
    const e = Math.floor((ctx.now + off) / this.p.epochMs);
    if (e === this.epoch[i]) return;
    this.epoch[i] = e;
    this.fluffNode[i] = ctx.random() < this.p.q ? 1 : 0;
    this.routes[i] = null;
    // Two distinct stem peers among the connections this node opened.
    const peers = ctx.peerList();
    const start = ctx.peerStart();
    const end = ctx.peerEnd();
    if (this.scratch.length < end - start) this.scratch = new Int32Array(end - start);
    let k = 0;
    for (let j = start; j < end; j++) if (ctx.peerOpened(j)) this.scratch[k++] = peers[j]!;
    if (k === 0) {
      this.stemA[i] = this.stemB[i] = -1;
      return;
    }
    const a = Math.floor(ctx.random() * k);
    let b = a;
    if (k > 1) {
      b = Math.floor(ctx.random() * (k - 1));
      if (b >= a) b++;
    }
    this.stemA[i] = this.scratch[a]!;
    this.stemB[i] = this.scratch[b]!;
    this.own[i] = ctx.random() < 0.5 ? 0 : 1;
  }
}

export const relay = (p: DandelionPlus, b: Broadcasts, localNodes: number, heard: HeardBits) => new DandelionPlusRelay(p, b, localNodes, heard);
