// The adversary's log: for every broadcast, the first receipt at any of its nodes in this shard (its
// time, the honest neighbour that sent it, the node that got it), and the same for stem copies alone;
// and the first K reports, K = adversary.reports: the earliest receipt from each of the first K
// distinct honest senders. A few numbers per broadcast per shard, never a (broadcast, node) matrix; the
// coordinator pools the shards' logs by taking the earliest (models/gossip/anonymity.ts). Ties in time
// go to the lower sender id, then the lower receiving node, so the pooled log does not depend on the
// sharding.
import type { Context, ModelOutcome, Tap } from '../../engine/model.js';
import { STEM } from '../../protocols/protocol.js';

export type SpyLogOutcome = ModelOutcome<'adversary', 'firstMs' | 'firstFrom' | 'firstAt' | 'stemMs' | 'stemFrom' | 'reportMs' | 'reportFrom' | 'reportAt'>;

export class SpyLog implements Tap {
  private readonly firstMs: Float64Array;
  private readonly firstFrom: Int32Array;
  private readonly firstAt: Int32Array;
  private readonly stemMs: Float64Array;
  private readonly stemFrom: Int32Array;
  private readonly local: Uint8Array;
  private readonly reports: ReportBuffer;

  /** `mask`: 1 for the adversary's nodes, by global id; `members`: this shard's nodes; `k`: reports kept a broadcast. */
  constructor(broadcasts: number, private readonly mask: Uint8Array, members: Int32Array, k: number) {
    this.firstMs = new Float64Array(broadcasts).fill(Infinity);
    this.firstFrom = new Int32Array(broadcasts).fill(-1);
    this.firstAt = new Int32Array(broadcasts).fill(-1);
    this.stemMs = new Float64Array(broadcasts).fill(Infinity);
    this.stemFrom = new Int32Array(broadcasts).fill(-1);
    this.local = new Uint8Array(members.length);
    members.forEach((v, i) => (this.local[i] = mask[v]!));
    this.reports = new ReportBuffer(broadcasts, k);
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
    this.reports.add(m, t, from, ctx.self);
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
        reportMs: Array.from(this.reports.ms),
        reportFrom: Array.from(this.reports.from),
        reportAt: Array.from(this.reports.at),
      },
    };
  }
}

/** (t, from, at) before (t0, from0, at0); an empty entry (from0 = -1) is after everything. */
export function earlier(t: number, from: number, at: number, t0: number, from0: number, at0: number): boolean {
  if (from0 < 0) return true;
  return t < t0 || (t === t0 && (from < from0 || (from === from0 && at < at0)));
}

/**
 * Per broadcast, K slots in `earlier` order: each sender's earliest report, for the first K distinct
 * senders; an empty slot has from = -1 and sorts last. Keeping each sender's own earliest report (not
 * merely the first K reports) is what makes pooling exact: a sender among the first K over all shards
 * is among the first K of the shard that holds its earliest report, since every sender ahead of it
 * there is ahead of it overall.
 */
export class ReportBuffer {
  readonly ms: Float64Array;
  readonly from: Int32Array;
  readonly at: Int32Array;

  constructor(broadcasts: number, readonly k: number) {
    this.ms = new Float64Array(broadcasts * k).fill(Infinity);
    this.from = new Int32Array(broadcasts * k).fill(-1);
    this.at = new Int32Array(broadcasts * k).fill(-1);
  }

  add(m: number, t: number, from: number, at: number): void {
    const base = m * this.k;
    const last = base + this.k - 1;
    // Within a shard reports come in time order, so once the buffer is full nearly every later one
    // stops here, in constant time.
    if (!earlier(t, from, at, this.ms[last]!, this.from[last]!, this.at[last]!)) return;
    let i = base;
    while (i <= last && this.from[i]! >= 0 && this.from[i] !== from) i++;
    // The sender is already kept: only an earlier report of its own replaces that entry.
    if (i <= last && this.from[i] === from && !earlier(t, from, at, this.ms[i]!, from, this.at[i]!)) return;
    // Open the sender's slot (its old entry, or the first empty one, or the last, which drops out) and
    // move the new report up to its place.
    let j = i <= last ? i : last;
    while (j > base && earlier(t, from, at, this.ms[j - 1]!, this.from[j - 1]!, this.at[j - 1]!)) {
      this.ms[j] = this.ms[j - 1]!;
      this.from[j] = this.from[j - 1]!;
      this.at[j] = this.at[j - 1]!;
      j--;
    }
    this.ms[j] = t;
    this.from[j] = from;
    this.at[j] = at;
  }
}
