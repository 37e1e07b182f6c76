// The reporting-centrality estimator's computation (docs/anonymity.md): given the graph and the nodes
// that reported a broadcast, the candidates that minimise the sum of hop distances to the reporters (the
// distance centre). On a tree this is the node each of whose branches holds at most half of the
// reporters (Fanti & Viswanath's reporting centre), and when the reporters are every infected node it is
// Shah & Zaman's rumour centre (the rumour-centrality maximiser is the tree's distance centroid). On
// graphs with cycles the maximum-likelihood source is intractable in general, and this is the usual
// heuristic. Pure and deterministic: no random tie-break, every minimiser is returned.
//
// Cost: breadth-first searches from every reporter to a depth L, deepened one level at a time (each
// round searches again from scratch, so scratch memory stays a few arrays of one entry per node). After a
// round, a node that every search reached has its exact sum; one that some search has not reached is more
// than L from that reporter, so its sum is at least what is known plus L + 1 per missing reporter. The
// rounds stop once the best exact sum is below every such bound: no node left unfinished can then tie or
// beat it. L ends near the centre's largest distance to a reporter, so the work is about k × (rounds) ×
// the ball of that radius — on an expander the last round dominates; on a path-like graph it is
// quadratic in L — and never more than O(L · k · (nodes + edges)) a broadcast.

export interface CsrGraph {
  readonly offsets: Int32Array;
  readonly targets: Int32Array;
}

export class DistanceCentre {
  private readonly dist: Int32Array;
  private readonly queue: Int32Array;
  private readonly sum: Float64Array;
  private readonly reached: Uint16Array;
  private readonly touched: Int32Array;
  /** Connected component of each node (its lowest id), and each component's size, by that id. */
  private readonly component: Int32Array;
  private readonly componentSize: Int32Array;

  /**
   * `nodes`: the graph's nodes are ids 0 … nodes − 1, edges to higher ids ignored (the eavesdropper's
   * connections, which relay nothing and so carry no broadcast). `excluded`: 1 for nodes that are never
   * candidates (the adversary's own), by id; they still carry broadcasts (spies relay), so paths pass
   * through them.
   */
  constructor(private readonly graph: CsrGraph, private readonly nodes: number, private readonly excluded: ArrayLike<number>) {
    this.dist = new Int32Array(nodes).fill(-1);
    this.queue = new Int32Array(nodes);
    this.sum = new Float64Array(nodes);
    this.reached = new Uint16Array(nodes);
    this.touched = new Int32Array(nodes);
    this.component = new Int32Array(nodes).fill(-1);
    this.componentSize = new Int32Array(nodes);
    for (let v = 0; v < nodes; v++) {
      if (this.component[v]! >= 0) continue;
      this.componentSize[v] = this.search(v, Infinity, (u) => (this.component[u] = v));
    }
  }

  /**
   * The candidates, ascending: the non-excluded nodes that minimise Σ_r dist(v, r) over the reporters
   * (distinct ids, at most 65,535). Reporters outside the first one's connected component are dropped
   * first (possible only on a graph that changed under faults or joins, or with newcomers that start
   * unconnected): the earliest report is the likeliest to be near the origin. Empty when no reporter is
   * given.
   */
  centre(reporters: ArrayLike<number>): Int32Array {
    if (reporters.length === 0) return new Int32Array(0);
    const home = this.component[reporters[0]!]!;
    const rs = Array.from(reporters).filter((r) => this.component[r] === home);
    const k = rs.length;
    for (let depth = 0; ; depth++) {
      let touched = 0;
      let complete = true;
      for (const r of rs) {
        const reachedNodes = this.search(r, depth, (v, d) => {
          if (this.reached[v]++ === 0) this.touched[touched++] = v;
          this.sum[v]! += d;
        });
        if (reachedNodes < this.componentSize[home]!) complete = false;
      }
      let best = Infinity;
      // A node no search has reached is more than `depth` from every reporter.
      let bound = complete ? Infinity : k * (depth + 1);
      for (let j = 0; j < touched; j++) {
        const v = this.touched[j]!;
        if (this.excluded[v]) continue;
        const seen = this.reached[v]!;
        if (seen === k) best = Math.min(best, this.sum[v]!);
        else bound = Math.min(bound, this.sum[v]! + (k - seen) * (depth + 1));
      }
      const done = best < bound || complete;
      let count = 0;
      for (let j = 0; j < touched; j++) {
        const v = this.touched[j]!;
        if (done && this.reached[v] === k && !this.excluded[v] && this.sum[v] === best) this.touched[count++] = v;
        this.sum[v] = 0;
        this.reached[v] = 0;
      }
      if (done) return this.touched.slice(0, count).sort();
    }
  }

  /** Breadth-first from `src` to `depth`, calling `visit(v, dist)` on each node reached; returns their count. */
  private search(src: number, depth: number, visit: (v: number, d: number) => void): number {
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
      visit(u, du);
      if (du >= depth) continue;
      for (let e = offsets[u]!, end = offsets[u + 1]!; e < end; e++) {
        const w = targets[e]!;
        if (w >= this.nodes || dist[w]! >= 0) continue;
        dist[w] = du + 1;
        queue[tail++] = w;
      }
    }
    for (let j = 0; j < tail; j++) dist[queue[j]!] = -1;
    return tail;
  }
}
