// The network graph in compressed sparse row form (docs/architecture.md, "Topology and node assignment"). It is built once, on one thread, and then
// read by every shard without copying, so every array lives in a SharedArrayBuffer. Building it uses only
// typed arrays: at 10^6 nodes x degree 8 there are 8M adjacency entries, and an object or closure per
// entry would cost more time and memory than the simulation that follows.

import { sharedInt32, sharedUint8 } from '../engine/shared-memory.js';

/**
 * Undirected graph. The neighbours of node v are `targets[offsets[v] .. offsets[v + 1])`, sorted
 * ascending, without self-loops or duplicates; every link appears in both endpoints' lists.
 */
export interface Graph {
  readonly n: number;
  /** n + 1 entries. */
  readonly offsets: Int32Array;
  readonly targets: Int32Array;
  /**
   * Only where links have a direction of opening (the bitcoin topology): aligned with `targets`,
   * 1 where the list's owner opened the connection (outbound), 0 where the neighbour opened it (inbound).
   */
  readonly outbound?: Uint8Array;
}

/** The largest degree in a CSR graph. */
export function maxDegree(offsets: Int32Array): number {
  let max = 0;
  for (let v = 0; v + 1 < offsets.length; v++) max = Math.max(max, offsets[v + 1]! - offsets[v]!);
  return max;
}

/** Number of undirected links. */
export function edgeCount(g: Graph): number {
  return g.targets.length / 2;
}

/**
 * Builds the CSR graph from the first `edgeCount` pairs (us[i], vs[i]). Self-loops are dropped and
 * repeated links are merged, so callers may pass raw edge lists (a file, a multigraph).
 */
export function csrFromEdges(n: number, us: Int32Array, vs: Int32Array, edgeCount: number): Graph {
  const { offsets, keys } = buildKeyed(n, us, vs, edgeCount, false);
  return { n, offsets, targets: keys };
}

/**
 * As csrFromEdges, for links with a direction of opening: us[i] opened the connection to vs[i]. The
 * result carries `outbound`. If both u→v and v→u are given, the merged link is kept as inbound on both
 * sides (callers that care, like the bitcoin generator, never pass such pairs).
 */
export function csrFromDirectedEdges(n: number, us: Int32Array, vs: Int32Array, edgeCount: number): Graph {
  const { offsets, keys } = buildKeyed(n, us, vs, edgeCount, true);
  // Keys were 2 * target + (1 if opened by the owner): sorting the keys sorted the targets and carried
  // the direction bit along, which is cheaper than sorting a second array in step.
  const outbound = sharedUint8(keys.length);
  for (let i = 0; i < keys.length; i++) {
    const key = keys[i] as number;
    outbound[i] = key & 1;
    keys[i] = key >>> 1;
  }
  return { n, offsets, targets: keys, outbound };
}

function buildKeyed(
  n: number,
  us: Int32Array,
  vs: Int32Array,
  m: number,
  directed: boolean,
): { offsets: Int32Array; keys: Int32Array } {
  if (!Number.isInteger(n) || n < 0 || n > (directed ? 0x3fffffff : 0x7fffffff)) {
    throw new RangeError(`csr: node count ${n} out of range`);
  }
  if (m > us.length || m > vs.length) throw new RangeError(`csr: ${m} edges but arrays hold fewer`);
  // Counting sort by source: offsets first holds degrees shifted by one, then their prefix sums.
  const offsets = sharedInt32(n + 1);
  for (let e = 0; e < m; e++) {
    const u = us[e] as number;
    const v = vs[e] as number;
    if (!(u >= 0 && u < n && v >= 0 && v < n)) throw new RangeError(`csr: edge ${e} (${u}, ${v}) outside 0..${n - 1}`);
    if (u === v) continue;
    (offsets[u + 1] as number)++;
    (offsets[v + 1] as number)++;
  }
  for (let v = 0; v < n; v++) offsets[v + 1] = (offsets[v + 1] as number) + (offsets[v] as number);
  const total = offsets[n] as number;
  let keys = sharedInt32(total);
  const cursor = offsets.slice(0, n);
  const out = directed ? 1 : 0;
  const mul = directed ? 2 : 1;
  for (let e = 0; e < m; e++) {
    const u = us[e] as number;
    const v = vs[e] as number;
    if (u === v) continue;
    keys[(cursor[u] as number)++] = v * mul + out;
    keys[(cursor[v] as number)++] = u * mul;
  }
  sortAdjacency(offsets, keys);
  // Merge repeats in place; the direction bit is ignored when comparing (shift by 1 when directed).
  const shift = directed ? 1 : 0;
  let w = 0;
  let start = 0;
  for (let v = 0; v < n; v++) {
    const end = offsets[v + 1] as number;
    offsets[v] = w;
    let prev = -1;
    for (let i = start; i < end; i++) {
      const key = keys[i] as number;
      const t = key >>> shift;
      if (t !== prev) {
        keys[w++] = key;
        prev = t;
      }
    }
    start = end;
  }
  offsets[n] = w;
  if (w < total) {
    const trimmed = sharedInt32(w);
    trimmed.set(keys.subarray(0, w));
    keys = trimmed;
  }
  return { offsets, keys };
}

/** Sorts each adjacency list ascending in place. */
export function sortAdjacency(offsets: Int32Array, targets: Int32Array): void {
  const n = offsets.length - 1;
  for (let v = 0; v < n; v++) {
    const start = offsets[v] as number;
    const end = offsets[v + 1] as number;
    if (end - start <= 24) {
      // Typical lists hold ~8 entries: insertion sort beats the call into TypedArray#sort by far.
      for (let i = start + 1; i < end; i++) {
        const x = targets[i] as number;
        let j = i - 1;
        while (j >= start && (targets[j] as number) > x) {
          targets[j + 1] = targets[j] as number;
          j--;
        }
        targets[j + 1] = x;
      }
    } else {
      targets.subarray(start, end).sort();
    }
  }
}

/**
 * `g` with `k` more nodes, ids g.n .. g.n + k - 1, each connected to every node of g and to no other
 * (an eavesdropper's connections, docs/anonymity.md). They opened those connections: a node of g sees
 * them as inbound, so a protocol that picks among the connections it opened never picks them; g's own
 * links keep their direction, or are opened on both sides where they had none.
 */
export function withObservers(g: Graph, k: number): Graph {
  const n = g.n + k;
  const offsets = sharedInt32(n + 1);
  const targets = sharedInt32(g.targets.length + 2 * k * g.n);
  const outbound = sharedUint8(targets.length);
  let at = 0;
  for (let v = 0; v < g.n; v++) {
    offsets[v] = at;
    for (let i = g.offsets[v]!; i < g.offsets[v + 1]!; i++) {
      targets[at] = g.targets[i]!;
      outbound[at++] = g.outbound ? g.outbound[i]! : 1;
    }
    for (let j = 0; j < k; j++) targets[at++] = g.n + j; // above every id of g: the list stays sorted
  }
  for (let j = 0; j < k; j++) {
    offsets[g.n + j] = at;
    for (let v = 0; v < g.n; v++) {
      targets[at] = v;
      outbound[at++] = 1;
    }
  }
  offsets[n] = at;
  return { n, offsets, targets, outbound };
}
