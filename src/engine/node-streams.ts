// Node streams (docs/architecture.md, "Randomness"): drawn inside handlers. A node's draws must not
// depend on which shard runs it, and 10^6 nodes must stay cheap, so a node stream is a counter: draw k
// of node i for purpose p is a hash of (seed, i, p, k). That is 8 bytes a node and purpose used (the
// counter and the hash of (seed, i, p) each draw starts from), in the style of counter-based
// generators (Salmon et al., "Parallel random numbers: as easy as 1, 2, 3", SC 2011).

/** Purposes of node streams; each has its own counter per node. */
export const NODE_PURPOSE = { protocol: 0, link: 1, model: 2, mining: 3, attribute: 4, loss: 5, peers: 6 } as const;
export const NODE_PURPOSES = 7;

// Murmur3's 32-bit finalizer: full avalanche, so consecutive counters give unrelated outputs.
function fmix32(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/**
 * Per-node counter-based streams for the nodes a shard owns, one counter per (purpose, local index);
 * the values depend only on the global node id. Beside them, each node's send sequence number.
 */
export class NodeStreams {
  // Per purpose, made on its first draw (a flood over constant latency draws nothing and pays nothing):
  // for each local node its counter, and beside it the hash of (seed, node, purpose) that each of its
  // draws starts from, kept so a draw hashes twice, not four times. Set at the node's first draw.
  private readonly state: (Uint32Array | null)[] = new Array<Uint32Array | null>(NODE_PURPOSES).fill(null);
  // Except the link's: a send with a drawn latency takes a link draw and then a sequence number, so the
  // two share a 16-byte row per node, [sequence number, link counter, link base, unused], and at 10^6
  // nodes a send misses the cache once, not twice (docs/architecture.md, "Randomness").
  private readonly rows: Uint32Array;
  private readonly key0: number;
  private readonly key1: number;

  constructor(seed: number, private readonly localNodes: number) {
    [this.key0, this.key1] = streamKeys(seed);
    this.rows = new Uint32Array(ROW * localNodes);
  }

  /** A uniform double in [0, 1) with 53 random bits: draw number k of (node, purpose). */
  next(local: number, node: number, purpose: number): number {
    let c: Uint32Array;
    let at: number;
    if (purpose === NODE_PURPOSE.link) {
      c = this.rows;
      at = ROW * local + 1;
    } else {
      c = this.state[purpose] ?? (this.state[purpose] = new Uint32Array(2 * this.localNodes));
      at = 2 * local;
    }
    const k = c[at]!;
    c[at] = k + 1;
    if (k === 0) c[at + 1] = streamBase(this.key0, node, purpose);
    return fromBase(c[at + 1]!, this.key1, k);
  }

  /** The node's next send sequence number: the total order's tie-break among its events of one time. */
  seq(local: number): number {
    const at = ROW * local;
    const k = this.rows[at]!;
    this.rows[at] = k + 1;
    return k;
  }
}

const ROW = 4;

// Chained, not XORed, so no two (node, counter) pairs can swap roles and collide.
function streamBase(key0: number, node: number, purpose: number): number {
  return fmix32(fmix32(key0 + Math.imul(node, 0x27d4eb2f)) ^ Math.imul(purpose + 1, 0x165667b1));
}

function fromBase(base: number, key1: number, k: number): number {
  const a = fmix32(base + Math.imul(k, 0x9e3779b1));
  const b = fmix32(a ^ key1 ^ Math.imul(k + 1, 0x85ebca77));
  return ((a >>> 5) * 67108864 + (b >>> 6)) / 9007199254740992;
}

/**
 * Draw k of (node, purpose) as a pure function: for schedules fixed before the run (mining) and for
 * per-node attributes any shard can evaluate without storing them (docs/architecture.md, "Faults and what a node may know").
 */
export function nodeUniform(seed: number, node: number, purpose: number, k: number): number {
  const [key0, key1] = streamKeys(seed);
  return fromBase(streamBase(key0, node, purpose), key1, k);
}

function streamKeys(seed: number): [number, number] {
  return [fmix32(seed ^ 0x9e3779b9), fmix32((seed + 0x7f4a7c15) ^ 0x632be5ab)];
}

