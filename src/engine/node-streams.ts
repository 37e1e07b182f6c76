// Node streams (docs/architecture.md, "Randomness"): drawn inside handlers. A node's draws must not
// depend on which shard runs it, and 10^6 nodes must stay cheap, so a node stream is a counter: draw k
// of node i for purpose p is a hash of (seed, i, p, k). That is 4 bytes a node and purpose used (the
// counter), in the style of counter-based generators (Salmon et al., "Parallel random numbers: as easy
// as 1, 2, 3", SC 2011).

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
 * the values depend only on the global node id.
 */
export class NodeStreams {
  // One counter array per purpose, made on its first draw: a flood over constant latency draws nothing
  // and pays nothing.
  private readonly counters: (Uint32Array | null)[] = new Array<Uint32Array | null>(NODE_PURPOSES).fill(null);
  private readonly key0: number;
  private readonly key1: number;

  constructor(seed: number, private readonly localNodes: number) {
    [this.key0, this.key1] = streamKeys(seed);
  }

  /** A uniform double in [0, 1) with 53 random bits: draw number k of (node, purpose). */
  next(local: number, node: number, purpose: number): number {
    const c = this.counters[purpose] ?? (this.counters[purpose] = new Uint32Array(this.localNodes));
    const k = c[local]!;
    c[local] = k + 1;
    return draw(this.key0, this.key1, node, purpose, k);
  }
}

function draw(key0: number, key1: number, node: number, purpose: number, k: number): number {
  // Chained, not XORed, so no two (node, counter) pairs can swap roles and collide.
  const base = fmix32(fmix32(key0 + Math.imul(node, 0x27d4eb2f)) ^ Math.imul(purpose + 1, 0x165667b1));
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
  return draw(key0, key1, node, purpose, k);
}

function streamKeys(seed: number): [number, number] {
  return [fmix32(seed ^ 0x9e3779b9), fmix32((seed + 0x7f4a7c15) ^ 0x632be5ab)];
}

