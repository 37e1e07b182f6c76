// The tail by node class: with per-node heterogeneity, the nodes fall into classes (fast or slow, times
// region), and a user stress-testing time to consistency needs to see which class is late. Computed
// after the run from the per-node records in global node order, like every chain measure (metrics.ts).
import { isSlow, type TraitsPlan } from '../../network/node-traits.js';
import { median, timesToFractions } from '../stats.js';

/** One class of nodes: its propagation tail and time to consistency, medians over blocks (transactions). */
export interface ClassStats {
  class: 'fast' | 'slow';
  region: string;
  nodes: number;
  /** Median over blocks of the time until that share of the class's nodes had received the block. */
  blockT50MsMedian: number | null;
  blockT95MsMedian: number | null;
  blockT99MsMedian: number | null;
  blockT100MsMedian: number | null;
  /** Median and largest over blocks in every final chain: the last time the block entered a chain of this class. */
  consistencyMsMedian: number | null;
  consistencyMsMax: number | null;
  /** The same tail for transactions; null without transactions. */
  txT95MsMedian: number | null;
  txT99MsMedian: number | null;
  txT100MsMedian: number | null;
}

/** Times to share of n from one row of receipt delays (NaN: never), for the nodes `members` lists. */
export function tail(row: Float32Array, members: Int32Array, scratch: Float64Array, shares: readonly number[]): (number | null)[] {
  let reached = 0;
  for (const v of members) {
    const d = row[v]!;
    if (d === d) scratch[reached++] = d;
  }
  return timesToFractions(scratch.subarray(0, reached), members.length, shares);
}

const SHARES = [0.5, 0.95, 0.99, 1];

/**
 * Per class with at least one node, in class order (fast then slow, regions in plan order). `blocks`
 * are the mined blocks' ids and creation times; `inAll` marks blocks in every final chain; `entered` is
 * per (block, class) the latest entry into a chain, from the shards' maxima.
 */
export function classStats(
  traits: TraitsPlan,
  regionNames: readonly string[],
  region: Uint8Array,
  recvMs: Float32Array,
  txRecvMs: Float32Array,
  txCount: number,
  blocks: readonly { id: number; createdMs: number }[],
  inAll: Uint8Array,
  entered: readonly number[],
): ClassStats[] {
  const n = region.length;
  const R = regionNames.length;
  const G = 2 * R;
  const lists: number[][] = Array.from({ length: G }, () => []);
  for (let v = 0; v < n; v++) lists[(isSlow(traits, v) ? R : 0) + region[v]!]!.push(v);
  const scratch = new Float64Array(n);
  const out: ClassStats[] = [];
  lists.forEach((list, g) => {
    if (list.length === 0) return;
    const members = Int32Array.from(list);
    const perBlock = SHARES.map(() => [] as number[]);
    const consistency: number[] = [];
    for (const b of blocks) {
      tail(recvMs.subarray((b.id - 1) * n, b.id * n), members, scratch, SHARES).forEach((t, k) => t !== null && perBlock[k]!.push(t));
      if (inAll[b.id]) {
        const e = entered[b.id * G + g]!;
        if (e > -Infinity) consistency.push(e - b.createdMs);
      }
    }
    const perTx = SHARES.map(() => [] as number[]);
    for (let k = 0; k < txCount; k++) {
      tail(txRecvMs.subarray(k * n, (k + 1) * n), members, scratch, SHARES).forEach((t, i) => t !== null && perTx[i]!.push(t));
    }
    const tx = (i: number) => (txCount ? median(perTx[i]!) : null);
    out.push({
      class: g < R ? 'fast' : 'slow',
      region: regionNames[g % R]!,
      nodes: list.length,
      blockT50MsMedian: median(perBlock[0]!),
      blockT95MsMedian: median(perBlock[1]!),
      blockT99MsMedian: median(perBlock[2]!),
      blockT100MsMedian: median(perBlock[3]!),
      consistencyMsMedian: median(consistency),
      consistencyMsMax: consistency.length ? Math.max(...consistency) : null,
      txT95MsMedian: tx(1),
      txT99MsMedian: tx(2),
      txT100MsMedian: tx(3),
    });
  });
  return out;
}
