// Node-to-shard assignment (docs/architecture.md, "Topology and node assignment"). The engine only needs shardOf / localOf / members; how nodes are
// grouped decides how much traffic crosses shards and how large the lookahead can be.
import { sharedInt32 } from './shared-memory.js';

/** The node-to-shard assignments, the default first. */
export const ASSIGNMENT_KINDS = ['contiguous', 'strided', 'by-region'] as const;
export type AssignmentKind = (typeof ASSIGNMENT_KINDS)[number];

export interface Assignment {
  readonly shards: number;
  /** Global id -> shard. SharedArrayBuffer-backed. */
  readonly shardOf: Int32Array;
  /** Global id -> index within its shard, in ascending global-id order. SharedArrayBuffer-backed. */
  readonly localOf: Int32Array;
  /** Per shard, its global ids ascending. SharedArrayBuffer-backed. */
  readonly members: Int32Array[];
  readonly kind: AssignmentKind;
  /** Contiguous: shard s holds [starts[s], starts[s + 1]); null for the other kinds. */
  readonly starts: Int32Array | null;
}

/** How far (in percent) a shard may exceed the even share to keep a region whole. */
const REGION_TOLERANCE_PERCENT = 15;

export function assignNodes(kind: AssignmentKind, n: number, shards: number, region: Uint8Array): Assignment {
  if (!Number.isInteger(shards) || shards < 1) throw new RangeError(`assignment: shards must be >= 1, got ${shards}`);
  if (region.length !== n) throw new RangeError(`assignment: ${region.length} regions for ${n} nodes`);
  const shardOf = sharedInt32(n);
  let starts: Int32Array | null = null;
  if (kind === 'contiguous') {
    starts = Int32Array.from({ length: shards + 1 }, (_, s) => Math.floor((s * n) / shards));
    for (let s = 0; s < shards; s++) for (let v = starts[s]!; v < starts[s + 1]!; v++) shardOf[v] = s;
  } else if (kind === 'strided') {
    // Node v to shard v mod S. Why: ids carry structure (a generator's order, and the total order breaks
    // ties to the lower source, so low ids relay first more often); dealing ids out round-robin spreads
    // it evenly. A 1M-node flood's wave 9 splits 1.02M / 1.31M events over two contiguous halves, and
    // 1.165M / 1.165M strided.
    for (let v = 0; v < n; v++) shardOf[v] = v % shards;
  } else {
    assignByRegion(n, shards, region, shardOf);
  }
  return { ...fromShardOf(n, shards, shardOf), kind, starts };
}

/** [shard][region]: whether the shard holds a node of that region. */
export function regionsOnShards(p: Assignment, region: Uint8Array, regionCount: number): boolean[][] {
  const on = Array.from({ length: p.shards }, () => new Array<boolean>(regionCount).fill(false));
  for (let v = 0; v < p.shardOf.length; v++) {
    const row = on[p.shardOf[v] as number] as boolean[];
    row[region[v] as number] = true;
  }
  return on;
}

function fromShardOf(n: number, shards: number, shardOf: Int32Array): Omit<Assignment, 'kind' | 'starts'> {
  const sizes = new Int32Array(shards);
  for (let v = 0; v < n; v++) (sizes[shardOf[v] as number] as number)++;
  const members = Array.from({ length: shards }, (_, s) => sharedInt32(sizes[s] as number));
  const localOf = sharedInt32(n);
  const fill = new Int32Array(shards);
  for (let v = 0; v < n; v++) {
    const s = shardOf[v] as number;
    const local = (fill[s] as number)++;
    localOf[v] = local;
    (members[s] as Int32Array)[local] = v;
  }
  return { shards, shardOf, localOf, members };
}

// By region: messages inside a region are the fast ones, so a region kept on one shard leaves only the
// slower inter-region links crossing shards, and the lookahead (the smallest cross-shard latency) grows.
// Whole regions go, largest first, to the least-loaded shard (greedy LPT scheduling), as long as the
// shard stays within REGION_TOLERANCE_PERCENT of an even share: the slowest shard sets the pace of every
// window, so locality is not worth much imbalance. A region that does not fit is poured over the
// least-loaded shards up to an even share each. Finally a shard left empty (possible with fewer regions
// than shards) takes half of the largest shard's biggest piece, since an idle worker helps nobody.
function assignByRegion(n: number, shards: number, region: Uint8Array, shardOf: Int32Array): void {
  let regions = 0;
  for (let v = 0; v < n; v++) regions = Math.max(regions, (region[v] as number) + 1);
  const size = new Array<number>(regions).fill(0);
  for (let v = 0; v < n; v++) (size[region[v] as number] as number)++;
  const even = Math.ceil(n / shards);
  // Integer arithmetic: 100 * 1.15 is 114.999... in floating point.
  const cap = Math.floor((even * (100 + REGION_TOLERANCE_PERCENT)) / 100);
  const load = new Array<number>(shards).fill(0);
  // pieces[r]: [shard, count] in the order that region r's nodes (ascending id) fill them.
  const pieces: [number, number][][] = Array.from({ length: regions }, () => []);
  const leastLoaded = (): number => {
    let best = 0;
    for (let s = 1; s < shards; s++) if ((load[s] as number) < (load[best] as number)) best = s;
    return best;
  };
  const order = size.map((_, r) => r).sort((a, b) => (size[b] as number) - (size[a] as number) || a - b);
  for (const r of order) {
    let left = size[r] as number;
    if (left === 0) continue;
    const s = leastLoaded();
    if ((load[s] as number) + left <= cap) {
      (pieces[r] as [number, number][]).push([s, left]);
      load[s] = (load[s] as number) + left;
      continue;
    }
    while (left > 0) {
      // Nodes placed so far + left <= n <= shards * even, so the least-loaded shard is below `even`.
      const t = leastLoaded();
      const take = Math.min(left, Math.max(1, even - (load[t] as number)));
      (pieces[r] as [number, number][]).push([t, take]);
      load[t] = (load[t] as number) + take;
      left -= take;
    }
  }
  for (let empty = load.indexOf(0); empty !== -1 && n >= shards; empty = load.indexOf(0)) {
    let donor = 0;
    for (let s = 1; s < shards; s++) if ((load[s] as number) > (load[donor] as number)) donor = s;
    let biggest: [number, number] | undefined;
    let owner = 0;
    pieces.forEach((list, r) => {
      for (const piece of list) {
        if (piece[0] === donor && (biggest === undefined || piece[1] > biggest[1])) {
          biggest = piece;
          owner = r;
        }
      }
    });
    // n >= shards with an empty shard means the donor holds >= 2 nodes, so it keeps at least one and
    // every step fills one empty shard without emptying another.
    const piece = biggest as [number, number];
    const moved = piece[1] === 1 ? 1 : Math.floor(piece[1] / 2);
    if (moved === piece[1]) piece[0] = empty;
    else {
      piece[1] -= moved;
      (pieces[owner] as [number, number][]).push([empty, moved]);
    }
    load[donor] = (load[donor] as number) - moved;
    load[empty] = moved;
  }
  const next = new Array<number>(regions).fill(0); // index of the piece being filled, per region
  const used = new Array<number>(regions).fill(0); // nodes placed in that piece
  for (let v = 0; v < n; v++) {
    const r = region[v] as number;
    const list = pieces[r] as [number, number][];
    let piece = list[next[r] as number] as [number, number];
    if ((used[r] as number) === piece[1]) {
      next[r] = (next[r] as number) + 1;
      used[r] = 0;
      piece = list[next[r] as number] as [number, number];
    }
    shardOf[v] = piece[0];
    used[r] = (used[r] as number) + 1;
  }
}
