// A shard's view of its nodes' connections. The initial graph is shared, read-only CSR (docs/architecture.md, "Topology and node assignment"); a
// node whose connections change gets its own copy of its list, in this shard only, so shards never
// write each other's memory. Every change is logged (time, node, ±1) so the coordinator can rebuild
// each node's degree at any moment after the run, the same at every worker count.

import { doubled } from './typed-arrays.js';

interface Own {
  peers: Int32Array;
  opened: Uint8Array;
  count: number;
}

export class PeerLists {
  /** Own lists by local index; made at the first change, so a run without faults never pays for it. */
  private own: (Own | null)[] | null = null;
  private logTimes = new Float64Array(1024);
  private logNodes = new Int32Array(1024);
  private logDeltas = new Int8Array(1024);
  private logged = 0;
  /**
   * Every node's degree when they are all equal (a random-regular graph), else -1. A node's range in
   * `targets` is then arithmetic: reading `offsets` was a cache miss at each relay of a 10^6-node flood.
   */
  private readonly degree: number;

  constructor(
    private readonly offsets: Int32Array,
    private readonly targets: Int32Array,
    private readonly outbound: Uint8Array | null,
    private readonly localNodes: number,
  ) {
    this.degree = commonDegree(offsets);
  }

  // Iteration over a node's peers: list()[start .. end). The initial list is a range of the shared
  // targets, an own list starts at 0: both without allocating.
  list(local: number): Int32Array {
    return this.ownOf(local)?.peers ?? this.targets;
  }
  start(local: number, node: number): number {
    if (this.ownOf(local)) return 0;
    return this.degree >= 0 ? node * this.degree : this.offsets[node]!;
  }
  end(local: number, node: number): number {
    const o = this.ownOf(local);
    if (o) return o.count;
    return this.degree >= 0 ? (node + 1) * this.degree : this.offsets[node + 1]!;
  }
  /** Whether this node opened the connection at list position i (topologies without direction: yes). */
  opened(local: number, i: number): boolean {
    const o = this.ownOf(local);
    if (o) return o.opened[i] === 1;
    return this.outbound === null || this.outbound[i] === 1;
  }

  /** Where `peer` is in the node's list, or -1 if it is not a peer now. */
  indexOf(local: number, node: number, peer: number): number {
    const list = this.list(local);
    for (let i = this.start(local, node), end = this.end(local, node); i < end; i++) if (list[i] === peer) return i;
    return -1;
  }

  has(local: number, node: number, peer: number): boolean {
    return this.indexOf(local, node, peer) >= 0;
  }

  /** Connections the peers opened to this node. */
  inbound(local: number, node: number): number {
    let k = 0;
    for (let i = this.start(local, node), end = this.end(local, node); i < end; i++) if (!this.opened(local, i)) k++;
    return k;
  }

  /** The connections this node opened in the initial graph: how many it keeps open. */
  initialOutbound(node: number): number {
    let k = 0;
    for (let i = this.offsets[node]!; i < this.offsets[node + 1]!; i++) if (this.outbound === null || this.outbound[i] === 1) k++;
    return k;
  }

  add(local: number, node: number, peer: number, opened: boolean, t: number): void {
    const o = this.mine(local, node);
    if (o.count === o.peers.length) {
      o.peers = doubled(o.peers);
      o.opened = doubled(o.opened);
    }
    o.peers[o.count] = peer;
    o.opened[o.count++] = opened ? 1 : 0;
    this.log(t, node, 1);
  }

  /** Removes `peer`; returns whether this node had opened that connection, or null if there was none. */
  remove(local: number, node: number, peer: number, t: number): boolean | null {
    const o = this.mine(local, node);
    for (let i = 0; i < o.count; i++) {
      if (o.peers[i] !== peer) continue;
      const opened = o.opened[i] === 1;
      // Keep the order of the rest: relay visits peers in list order, and the order must not depend
      // on anything but the node's own history.
      o.peers.copyWithin(i, i + 1, o.count);
      o.opened.copyWithin(i, i + 1, o.count);
      o.count--;
      this.log(t, node, -1);
      return opened;
    }
    return null;
  }

  /** Closes every connection (the node goes offline); returns the peers it had. */
  clear(local: number, node: number, t: number): Int32Array {
    const o = this.mine(local, node);
    const peers = o.peers.slice(0, o.count);
    for (let k = 0; k < o.count; k++) this.log(t, node, -1);
    o.count = 0;
    return peers;
  }

  /** The change log, (time, node, ±1) per change, for the coordinator. */
  changes(): { times: Float64Array; nodes: Int32Array; deltas: Int8Array } {
    return { times: this.logTimes.slice(0, this.logged), nodes: this.logNodes.slice(0, this.logged), deltas: this.logDeltas.slice(0, this.logged) };
  }

  private ownOf(local: number): Own | null {
    return this.own === null ? null : this.own[local]!;
  }

  private mine(local: number, node: number): Own {
    let o = this.ownOf(local);
    if (o) return o;
    const from = this.offsets[node]!;
    const to = this.offsets[node + 1]!;
    const flags = new Uint8Array(Math.max(8, to - from));
    for (let i = from; i < to; i++) flags[i - from] = this.outbound === null || this.outbound[i] === 1 ? 1 : 0;
    const peers = new Int32Array(flags.length);
    peers.set(this.targets.subarray(from, to));
    o = { peers, opened: flags, count: to - from };
    this.own ??= new Array<Own | null>(this.localNodes).fill(null);
    this.own[local] = o;
    return o;
  }

  private log(t: number, node: number, delta: number): void {
    if (this.logged === this.logTimes.length) {
      this.logTimes = doubled(this.logTimes);
      this.logNodes = doubled(this.logNodes);
      this.logDeltas = doubled(this.logDeltas);
    }
    this.logTimes[this.logged] = t;
    this.logNodes[this.logged] = node;
    this.logDeltas[this.logged++] = delta;
  }
}

/** The degree every node of a CSR graph has, or -1 when degrees differ. */
function commonDegree(offsets: Int32Array): number {
  const d = offsets.length > 1 ? offsets[1]! - offsets[0]! : 0;
  for (let i = 0; i < offsets.length; i++) if (offsets[i] !== i * d) return -1;
  return d;
}
