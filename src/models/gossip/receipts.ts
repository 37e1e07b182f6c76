// The gossip model's observer: from what each node is handed, the first receipt of every broadcast
// (its time and the hops it had travelled) and the copies received, redundant ones included. It reads
// the protocols' conventions (protocols/protocol.ts) and nothing of their state, so every protocol is
// measured alike.
import type { Context, ModelOutcome, Tap } from '../../engine/model.js';
import { ORIGINATE } from '../../protocols/protocol.js';

export type ReceiptsOutcome = ModelOutcome<'firstMs' | 'hops', 'copies'>;

export class Receipts implements Tap {
  /** First receipt time per (broadcast, local node); NaN in the outcome where never received. */
  private readonly firstMs: Float64Array;
  private readonly hops: Int32Array;
  /** Per (broadcast, local node), one bit: received yet? (as HeardBits, inlined: this runs at every delivery). */
  private readonly heard: Int32Array;
  private readonly copies: Float64Array;

  constructor(broadcasts: number, private readonly localNodes: number) {
    // Not filled with "never" up front: `heard` says which entries are set, and outcome() marks the
    // rest, so a run's start does not touch every entry.
    this.firstMs = new Float64Array(broadcasts * localNodes);
    this.hops = new Int32Array(broadcasts * localNodes);
    this.heard = new Int32Array(Math.ceil((broadcasts * localNodes) / 32));
    this.copies = new Float64Array(broadcasts);
  }

  delivered(ctx: Context, _from: number, _kind: number, m: number, hops: number): void {
    this.copies[m]!++;
    this.receipt(ctx, m, hops);
  }

  timer(ctx: Context, kind: number, m: number): void {
    if (kind === ORIGINATE) this.receipt(ctx, m, 0);
  }

  private receipt(ctx: Context, m: number, hops: number): void {
    const at = m * this.localNodes + ctx.local;
    const word = this.heard[at >>> 5]!;
    const bit = 1 << (at & 31);
    if ((word & bit) !== 0) return;
    this.heard[at >>> 5] = word | bit;
    this.firstMs[at] = ctx.now;
    this.hops[at] = hops;
  }

  outcome(): ReceiptsOutcome {
    const n = this.localNodes;
    for (let m = 0; m < this.copies.length; m++) {
      for (let i = 0; i < n; i++) {
        const at = m * n + i;
        if ((this.heard[at >>> 5]! & (1 << (at & 31))) !== 0) continue;
        this.firstMs[at] = NaN;
        this.hops[at] = -1;
      }
    }
    return { perNode: { firstMs: this.firstMs, hops: this.hops }, totals: { copies: Array.from(this.copies) } };
  }
}
