// Dandelion's handlers (index.ts says what Dandelion is).
import type { Context } from '../../engine/model.js';
import type { Broadcasts, HeardBits } from '../protocol.js';
import { StemFluff } from '../stem-fluff.js';
import type { Dandelion } from './index.js';

class DandelionRelay extends StemFluff {
  /** Per local node: its stem successor, -1 until first needed. */
  private readonly next: Int32Array;

  constructor(private readonly p: Dandelion, b: Broadcasts, localNodes: number, heard: HeardBits) {
    super(b, localNodes, heard, p.meanDelayMs);
    this.next = new Int32Array(localNodes).fill(-1);
  }

  protected originate(ctx: Context, m: number): void {
    const to = this.successor(ctx);
    if (to < 0) this.fluff(ctx, -1, m, 0);
    else this.sendStem(ctx, to, m, 0);
  }

  protected stem(ctx: Context, from: number, m: number, hops: number): void {
    const to = ctx.random() < this.p.q ? -1 : this.successor(ctx);
    if (to < 0) this.fluff(ctx, from, m, hops);
    else this.sendStem(ctx, to, m, hops);
  }

  private successor(ctx: Context): number {
    const known = this.next[ctx.local]!;
    if (known >= 0) return known;
    const peers = ctx.peerList();
    const start = ctx.peerStart();
    const deg = ctx.peerEnd() - start;
    if (deg === 0) return -1;
    let to: number;
    if (this.p.successor === 'random') to = peers[start + Math.floor(ctx.random() * deg)]!;
    else {
      // The smallest neighbour above self, else the smallest of all (the list is sorted ascending).
      to = peers[start]!;
      for (let i = start; i < start + deg; i++) {
        if (peers[i]! > ctx.self) {
          to = peers[i]!;
          break;
        }
      }
    }
    return (this.next[ctx.local] = to);
  }
}

export const relay = (p: Dandelion, b: Broadcasts, localNodes: number, heard: HeardBits) => new DandelionRelay(p, b, localNodes, heard);
