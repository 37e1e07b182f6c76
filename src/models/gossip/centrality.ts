// The reporting-centrality estimator's computation (docs/anonymity.md): given the graph and the nodes
// that reported a broadcast, the candidates that minimise the sum of hop distances to the reporters (the
// distance centre). On a tree whose reporters are every infected node this is Shah & Zaman's rumour
// centre (the rumour-centrality maximiser is the tree's distance centroid), and on a tree it is the node
// each of whose branches holds at most half of the reporters, Fanti & Viswanath's reporting centre. On
// graphs with cycles the maximum-likelihood source is intractable in general, and this is the usual
// heuristic. Pure and deterministic: no random tie-break, every minimiser is returned.
//
// Cost: two breadth-first searches from each of the k reporters, each stopped early. The first stops
// once it has reached every other reporter (it gives the pairwise distances δ); the second stops at a
// depth past which no node can be a minimiser (see depthBound). Both stay within a few times the
// reporters' diameter of them, so the work is k × the ball of that radius, never more than
// O(k · (nodes + edges)) a broadcast; scratch memory is a few arrays of one entry per node, reused.

export interface CsrGraph {
  readonly offsets: Int32Array;
  readonly targets: Int32Array;
}

export class DistanceCentre {
  private readonly dist: Int32Array;
  private readonly queue: Int32Array;
  private readonly slot: Int32Array;
  private readonly sum: Float64Array;
  private readonly reached: Uint16Array;
  private readonly touched: Int32Array;

  /**
   * `nodes`: the graph's nodes are ids 0 … nodes − 1, edges to higher ids ignored (the eavesdropper's
   * connections, which relay nothing and so carry no broadcast). `excluded`: 1 for nodes that are never
   * candidates (the adversary's own), by id; they still carry broadcasts (spies relay), so paths pass
   * through them.
   */
  constructor(private readonly graph: CsrGraph, private readonly nodes: number, private readonly excluded: ArrayLike<number>) {
    this.dist = new Int32Array(nodes).fill(-1);
    this.queue = new Int32Array(nodes);
    this.slot = new Int32Array(nodes).fill(-1);
    this.sum = new Float64Array(nodes);
    this.reached = new Uint16Array(nodes);
    this.touched = new Int32Array(nodes);
  }

  /**
   * The candidates, ascending: the non-excluded nodes that minimise Σ_r dist(v, r) over the reporters
   * (distinct ids, at most 65,535). Reporters the first one cannot reach are dropped first (a graph
   * that changed under faults or joins, or newcomers with no initial connection): the earliest report
   * is the likeliest to be near the origin. Empty when no reporter is given.
   */
  centre(reporters: ArrayLike<number>): Int32Array {
    let rs = Array.from(reporters);
    if (rs.length === 0) return new Int32Array(0);
    rs.forEach((r, i) => (this.slot[r] = i));
    const firstRow = this.reporterDistances(rs[0]!, rs.length);
    const kept = rs.filter((_, i) => firstRow[i]! >= 0);
    if (kept.length < rs.length) {
      for (const r of rs) this.slot[r] = -1;
      rs = kept;
      rs.forEach((r, i) => (this.slot[r] = i));
    }
    const k = rs.length;
    const delta: Int32Array[] = rs.map((r, i) => (i === 0 && kept.length === firstRow.length ? firstRow : this.reporterDistances(r, k)));
    for (const r of rs) this.slot[r] = -1;
    const own = delta.map((row) => row.reduce((a, b) => a + b, 0));
    // Every reporter that may be a candidate is one: the best of them bounds the minimum from above.
    let bound = Infinity;
    rs.forEach((r, i) => {
      if (!this.excluded[r]) bound = Math.min(bound, own[i]!);
    });
    let touched = 0;
    for (let i = 0; i < k; i++) touched = this.accumulate(rs[i]!, depthBound(delta[i]!, own[i]!, bound), touched);
    let best = Infinity;
    let count = 0;
    for (let j = 0; j < touched; j++) {
      const v = this.touched[j]!;
      if (this.reached[v] !== k || this.excluded[v]) continue;
      const s = this.sum[v]!;
      if (s < best) (best = s), (count = 0);
      if (s === best) this.queue[count++] = v;
    }
    const out = this.queue.slice(0, count).sort();
    for (let j = 0; j < touched; j++) {
      const v = this.touched[j]!;
      this.sum[v] = 0;
      this.reached[v] = 0;
    }
    return out;
  }

  /** Hop distances from `src` to the k reporters (by slot), -1 where unreachable; stops once all are reached. */
  private reporterDistances(src: number, k: number): Int32Array {
    const row = new Int32Array(k).fill(-1);
    const { offsets, targets } = this.graph;
    const dist = this.dist;
    const queue = this.queue;
    dist[src] = 0;
    queue[0] = src;
    row[this.slot[src]!] = 0;
    let found = 1;
    let head = 0;
    let tail = 1;
    while (head < tail && found < k) {
      const u = queue[head++]!;
      const du = dist[u]! + 1;
      for (let e = offsets[u]!, end = offsets[u + 1]!; e < end; e++) {
        const w = targets[e]!;
        if (w >= this.nodes || dist[w]! >= 0) continue;
        dist[w] = du;
        queue[tail++] = w;
        const s = this.slot[w]!;
        if (s >= 0) (row[s] = du), found++;
      }
    }
    for (let j = 0; j < tail; j++) dist[queue[j]!] = -1;
    return row;
  }

  /** Adds dist(src, v) to sum[v] for every v within `depth` of src; returns the touched count. */
  private accumulate(src: number, depth: number, touched: number): number {
    const { offsets, targets } = this.graph;
    const dist = this.dist;
    const queue = this.queue;
    dist[src] = 0;
    queue[0] = src;
    let head = 0;
    let tail = 1;
    while (head < tail) {
      const u = queue[head++]!;
      const du = dist[u]!;
      if (this.reached[u]++ === 0) this.touched[touched++] = u;
      this.sum[u]! += du;
      if (du >= depth) continue;
      for (let e = offsets[u]!, end = offsets[u + 1]!; e < end; e++) {
        const w = targets[e]!;
        if (w >= this.nodes || dist[w]! >= 0) continue;
        dist[w] = du + 1;
        queue[tail++] = w;
      }
    }
    for (let j = 0; j < tail; j++) dist[queue[j]!] = -1;
    return touched;
  }
}

/**
 * How far from reporter r a minimiser can be. For any node v at distance d from r, the triangle
 * inequality gives dist(v, r') ≥ |d − δ(r, r')| for every reporter r', so Σ_r' dist(v, r') ≥
 * f(d) = Σ_r' |d − δ(r, r')|; a minimiser has a sum at most `bound` (a reporter's own sum), so f(d) ≤
 * bound. f grows as k·d − Σδ past the largest δ (and is never below it), so d ≤ (bound + Σδ) / k, and
 * the largest d in that range with f(d) ≤ bound is the depth that cannot exclude a minimiser.
 * Infinity (search everything) when no reporter could be a candidate to give a bound.
 */
export function depthBound(delta: Int32Array, own: number, bound: number): number {
  if (!Number.isFinite(bound)) return Infinity;
  const k = delta.length;
  const f = (d: number) => {
    let s = 0;
    for (let j = 0; j < k; j++) s += Math.abs(d - delta[j]!);
    return s;
  };
  // f is convex with its minimum at a median of the δ, where it is at most `bound` (a minimiser's own
  // distance to r has f ≤ bound), and it does not fall past it: a binary search for the last d ≤ bound.
  let lo = Array.from(delta).sort((a, b) => a - b)[(k - 1) >> 1]!;
  let hi = Math.max(lo, Math.floor((bound + own) / k));
  while (lo < hi) {
    const mid = lo + Math.ceil((hi - lo) / 2);
    if (f(mid) <= bound) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}
