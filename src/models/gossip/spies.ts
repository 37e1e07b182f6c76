// The adversary's log: for every broadcast, the first receipt at any of its nodes in this shard (its
// time, the honest neighbour that sent it, the node that got it), and the same for stem copies alone.
// A few numbers per broadcast per shard, never a (broadcast, node) matrix; the coordinator pools the
// shards' logs by taking the earliest (models/gossip/anonymity.ts). Ties in time go to the lower sender
// id, then the lower receiving node, so the pooled log does not depend on the sharding.
import type { Context, ModelOutcome, Tap } from '../../engine/model.js';
import { STEM } from '../../protocols/protocol.js';

export type SpyLogOutcome = ModelOutcome<'adversary', 'firstMs' | 'firstFrom' | 'firstAt' | 'stemMs' | 'stemFrom'>;

export class SpyLog implements Tap {
  private readonly firstMs: Float64Array;
  private readonly firstFrom: Int32Array;
  private readonly firstAt: Int32Array;
  private readonly stemMs: Float64Array;
  private readonly stemFrom: Int32Array;
  private readonly local: Uint8Array;

  /** `mask`: 1 for the adversary's nodes, by global id; `members`: this shard's nodes. */
  constructor(broadcasts: number, private readonly mask: Uint8Array, members: Int32Array) {
    this.firstMs = new Float64Array(broadcasts).fill(Infinity);
    this.firstFrom = new Int32Array(broadcasts).fill(-1);
    this.firstAt = new Int32Array(broadcasts).fill(-1);
    this.stemMs = new Float64Array(broadcasts).fill(Infinity);
    this.stemFrom = new Int32Array(broadcasts).fill(-1);
    this.local = new Uint8Array(members.length);
    members.forEach((v, i) => (this.local[i] = mask[v]!));
  }

  delivered(ctx: Context, from: number, kind: number, m: number): void {
    // What one spy passes another tells the adversary nothing it did not know.
    if (this.local[ctx.local] === 0 || this.mask[from] === 1) return;
    const t = ctx.now;
    if (earlier(t, from, ctx.self, this.firstMs[m]!, this.firstFrom[m]!, this.firstAt[m]!)) {
      this.firstMs[m] = t;
      this.firstFrom[m] = from;
      this.firstAt[m] = ctx.self;
    }
    if (kind === STEM && earlier(t, from, 0, this.stemMs[m]!, this.stemFrom[m]!, 0)) {
      this.stemMs[m] = t;
      this.stemFrom[m] = from;
    }
  }

  outcome(): SpyLogOutcome {
    return {
      perNode: { adversary: Int32Array.from(this.local) },
      totals: {
        firstMs: Array.from(this.firstMs),
        firstFrom: Array.from(this.firstFrom),
        firstAt: Array.from(this.firstAt),
        stemMs: Array.from(this.stemMs),
        stemFrom: Array.from(this.stemFrom),
      },
    };
  }
}

/** (t, from, at) before (t0, from0, at0); an empty entry (from0 = -1) is after everything. */
export function earlier(t: number, from: number, at: number, t0: number, from0: number, at0: number): boolean {
  if (from0 < 0) return true;
  return t < t0 || (t === t0 && (from < from0 || (from === from0 && at < at0)));
}
