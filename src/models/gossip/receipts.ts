// The gossip model's observer: from what each node is handed, the first receipt of every broadcast
// (its time and the hops it had travelled) and the copies received, redundant ones included. It reads
// the protocols' conventions (protocols/protocol.ts) and the model's set of what each node was handed,
// which the protocol keeps (HeardBits), nothing else of it, so every protocol is measured alike.
import type { Context, ModelOutcome, Tap } from '../../engine/model.js';
import { ORIGINATE, type HeardBits } from '../../protocols/protocol.js';

export type ReceiptsOutcome = ModelOutcome<'firstMs' | 'hops', 'copies'>;

export class Receipts implements Tap {
  /** First receipt time per (broadcast, local node); NaN in the outcome where never received. */
  private readonly firstMs: Float64Array;
  private readonly hops: Int32Array;
  private readonly copies: Float64Array;

  /** `heard`: the set the protocol marks when a node is first handed a broadcast; read before it does. */
  constructor(broadcasts: number, private readonly localNodes: number, private readonly heard: HeardBits) {
    // Not filled with "never" up front: `heard` says which entries are set, and outcome() marks the
    // rest, so a run's start does not touch every entry.
    this.firstMs = new Float64Array(broadcasts * localNodes);
    this.hops = new Int32Array(broadcasts * localNodes);
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
    if (this.heard.has(m, ctx.local)) return;
    const at = m * this.localNodes + ctx.local;
    this.firstMs[at] = ctx.now;
    this.hops[at] = hops;
  }

  outcome(): ReceiptsOutcome {
    const n = this.localNodes;
    for (let m = 0; m < this.copies.length; m++) {
      for (let i = 0; i < n; i++) {
        if (this.heard.has(m, i)) continue;
        const at = m * n + i;
        this.firstMs[at] = NaN;
        this.hops[at] = -1;
      }
    }
    return { perNode: { firstMs: this.firstMs, hops: this.hops }, totals: { copies: Array.from(this.copies) } };
  }
}
