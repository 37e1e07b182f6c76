// Topology generators (docs/architecture.md, "Topology and node assignment"). Each one is a pure function of (spec, n, seed): all randomness comes
// from one scenario stream, so the graph is identical for any worker count and any run. Most generators
// emit flat edge arrays and leave sorting, symmetry and de-duplication to the CSR builder.
import { readFileSync } from 'node:fs';
import { isAbsolute, resolve } from 'node:path';
import { InputError } from '../errors.js';
import { scenarioStream, type Stream } from '../rng.js';
import { bitcoinParams } from '../scenario/network-plan.js';
import type { Topology } from '../scenario/network-schema.js';
import { sharedInt32 } from '../engine/shared-memory.js';
import { csrFromDirectedEdges, csrFromEdges, sortAdjacency, type Graph } from './graph.js';
import { log } from '../math.js';

export function buildTopology(spec: Topology, n: number, seed: number, baseDir: string): Graph {
  if (!Number.isInteger(n) || n < 1) throw new InputError('nodes', `must be a positive integer, got ${n}`);
  const rnd = scenarioStream(seed, 'topology');
  switch (spec.kind) {
    case 'ring':
      return ring(n, spec.k);
    case 'random-regular':
      return randomRegular(n, spec.degree, rnd);
    case 'erdos-renyi':
      return erdosRenyi(n, spec.meanDegree, rnd);
    case 'bitcoin':
      // The distribution is fixed data (data/bitcoin-network-params.json), so the graph still depends
      // on (spec, n, seed) alone.
      return bitcoin(n, spec.outbound, spec.maxInbound, rnd, spec.outboundDistribution && bitcoinParams().degree_distribution.pmf_outbound_1_to_20);
    case 'small-world':
      return smallWorld(n, spec.degree, spec.rewire, rnd);
    case 'scale-free':
      return barabasiAlbert(n, spec.m, rnd);
    case 'edge-list':
      return edgeList(n, spec.file, baseDir);
  }
}

/** Each undirected link once, as "u v\n" with u < v, in ascending order: the edge-list file format. */
export function writeEdgeList(g: Graph): string {
  // Digits go straight into one buffer sized by a first pass: a template string per link is ~10x slower
  // at millions of links.
  const digits = (x: number): number => {
    let d = 1;
    for (let p = 10; x >= p; p *= 10) d++;
    return d;
  };
  let bytes = 0;
  for (let u = 0; u < g.n; u++) {
    const end = g.offsets[u + 1] as number;
    for (let i = g.offsets[u] as number; i < end; i++) {
      const v = g.targets[i] as number;
      if (v > u) bytes += digits(u) + digits(v) + 2;
    }
  }
  const out = Buffer.allocUnsafe(bytes);
  let pos = 0;
  const put = (x: number): void => {
    const len = digits(x);
    for (let k = pos + len - 1; k >= pos; k--) {
      out[k] = 48 + (x % 10);
      x = (x / 10) | 0;
    }
    pos += len;
  };
  for (let u = 0; u < g.n; u++) {
    const end = g.offsets[u + 1] as number;
    for (let i = g.offsets[u] as number; i < end; i++) {
      const v = g.targets[i] as number;
      if (v <= u) continue;
      put(u);
      out[pos++] = 32;
      put(v);
      out[pos++] = 10;
    }
  }
  return out.toString('latin1');
}

const randomInt = (rnd: Stream, bound: number): number => Math.floor(rnd() * bound);

/** Growable pair of edge arrays, so generators with a random edge count stay on typed arrays. */
class EdgeBuffer {
  us: Int32Array;
  vs: Int32Array;
  count = 0;
  constructor(capacity: number) {
    this.us = new Int32Array(Math.max(16, capacity));
    this.vs = new Int32Array(Math.max(16, capacity));
  }
  push(u: number, v: number): void {
    if (this.count === this.us.length) {
      const us = new Int32Array(this.count * 2);
      const vs = new Int32Array(this.count * 2);
      us.set(this.us);
      vs.set(this.vs);
      this.us = us;
      this.vs = vs;
    }
    this.us[this.count] = u;
    this.vs[this.count] = v;
    this.count++;
  }
  graph(n: number): Graph {
    return csrFromEdges(n, this.us, this.vs, this.count);
  }
}

// ---------------------------------------------------------------------------------------------------
// ring

function ring(n: number, k: number): Graph {
  if (2 * k >= n) throw new InputError('topology.k', `2k must be < nodes (${n}), got k = ${k}`);
  const edges = new EdgeBuffer(n * k);
  for (let j = 1; j <= k; j++) for (let u = 0; u < n; u++) edges.push(u, (u + j) % n);
  return edges.graph(n);
}

// ---------------------------------------------------------------------------------------------------
// random-regular: the configuration model (Bollobás 1980) with a repair step. Plain rejection (re-pair
// until simple) needs about exp((d^2 - 1) / 4) attempts, hopeless beyond d ~ 6; instead each self-loop or
// repeated link is switched with a random other link. A graph denser than half-complete is built as the
// complement of a sparse one, which is uniformly distributed iff the sparse one is, and keeps the
// switches easy: a sparse graph always has many links that can take part in one. The switches make the
// result very nearly, not exactly, uniform over d-regular graphs (the few repaired links are biased),
// which no gossip measurement can tell apart.

const REPAIR_TRIES = 1000;
const MAX_RESTARTS = 1000;

function randomRegular(n: number, d: number, rnd: Stream): Graph {
  if (d >= n) throw new InputError('topology.degree', `must be < nodes (${n}), got ${d}`);
  if ((n * d) % 2 !== 0) {
    throw new InputError('topology.degree', `nodes x degree must be even for a regular graph, got ${n} x ${d}`);
  }
  if (2 * d > n - 1) return complement(sparseRegular(n, n - 1 - d, rnd), n - 1 - d);
  return sparseRegular(n, d, rnd);
}

function sparseRegular(n: number, d: number, rnd: Stream): Graph {
  const stubs = n * d;
  if (stubs > 0x7fffffff) throw new InputError('topology.degree', `nodes x degree must be < 2^31, got ${stubs}`);
  // Stub s belongs to node floor(s / d); partner[s] is the stub it is paired with.
  const partner = new Int32Array(stubs);
  const free = new Int32Array(stubs);
  for (let attempt = 0; attempt < MAX_RESTARTS; attempt++) {
    // A uniform perfect matching of the stubs: pair the next unpaired stub with a uniform other one.
    for (let i = 0; i < stubs; i++) free[i] = i;
    for (let i = 0; i < stubs; i += 2) {
      const j = i + 1 + randomInt(rnd, stubs - i - 1);
      const a = free[i] as number;
      const b = free[j] as number;
      free[j] = free[i + 1] as number;
      partner[a] = b;
      partner[b] = a;
    }
    if (repairStubs(n, d, partner, rnd)) {
      const offsets = sharedInt32(n + 1);
      for (let v = 0; v <= n; v++) offsets[v] = v * d;
      const targets = sharedInt32(stubs);
      for (let s = 0; s < stubs; s++) targets[s] = ((partner[s] as number) / d) | 0;
      sortAdjacency(offsets, targets);
      return { n, offsets, targets };
    }
    // The stream continues, so a restart is as deterministic as the first attempt.
  }
  throw new Error(`random-regular: no simple ${d}-regular graph on ${n} nodes after ${MAX_RESTARTS} restarts`);
}

/** Turns the stub pairing into a simple graph by link switches; false if one link could not be fixed. */
function repairStubs(n: number, d: number, partner: Int32Array, rnd: Stream): boolean {
  const stubs = n * d;
  const nodeOf = (s: number): number => (s / d) | 0;
  const multiplicity = (a: number, b: number): number => {
    let count = 0;
    for (let s = a * d, end = s + d; s < end; s++) if (nodeOf(partner[s] as number) === b) count++;
    return count;
  };
  // Collect one stub per surplus link: a self-loop once, a repeated link u-v (u < v) once per extra copy.
  const bad: number[] = [];
  const seen = new Int32Array(n).fill(-1);
  for (let a = 0; a < n; a++) {
    for (let s = a * d, end = s + d; s < end; s++) {
      const p = partner[s] as number;
      const b = nodeOf(p);
      if (b === a) {
        if (s < p) bad.push(s);
      } else if (b > a) {
        if (seen[b] === a) bad.push(s);
        else seen[b] = a;
      }
    }
  }
  for (const s1 of bad) {
    const s2 = partner[s1] as number;
    const u = nodeOf(s1);
    const v = nodeOf(s2);
    // An earlier switch may already have taken this stub into a good link.
    if (u !== v && multiplicity(u, v) < 2) continue;
    let fixed = false;
    for (let attempt = 0; attempt < REPAIR_TRIES && !fixed; attempt++) {
      // Switch u-v and x-y into u-x and v-y. Both new links are absent now, so each ends up single;
      // the switch removes links only, so it never makes another link bad.
      const t1 = randomInt(rnd, stubs);
      const t2 = partner[t1] as number;
      const x = nodeOf(t1);
      const y = nodeOf(t2);
      if (x === y || x === u || y === v) continue;
      if (multiplicity(u, x) > 0 || multiplicity(v, y) > 0) continue;
      partner[s1] = t1;
      partner[t1] = s1;
      partner[s2] = t2;
      partner[t2] = s2;
      fixed = true;
    }
    if (!fixed) return false;
  }
  return true;
}

/** The complement of a d-regular graph, built straight into CSR (lists come out sorted). */
function complement(g: Graph, d: number): Graph {
  const n = g.n;
  const degree = n - 1 - d;
  const offsets = sharedInt32(n + 1);
  for (let v = 0; v <= n; v++) offsets[v] = v * degree;
  const targets = sharedInt32(n * degree);
  let w = 0;
  for (let u = 0; u < n; u++) {
    let i = g.offsets[u] as number;
    const end = g.offsets[u + 1] as number;
    for (let v = 0; v < n; v++) {
      if (i < end && g.targets[i] === v) {
        i++;
        continue;
      }
      if (v !== u) targets[w++] = v;
    }
  }
  return { n, offsets, targets };
}

// ---------------------------------------------------------------------------------------------------
// erdos-renyi: G(n, p) by geometric skipping over the lower triangle of the adjacency matrix
// (Batagelj & Brandes, "Efficient generation of large random networks", Phys. Rev. E 71, 2005), so the
// cost is O(n + m) rather than a coin flip per pair.

function erdosRenyi(n: number, meanDegree: number, rnd: Stream): Graph {
  if (meanDegree > n - 1) {
    throw new InputError('topology.meanDegree', `must be <= nodes - 1 (${n - 1}), got ${meanDegree}`);
  }
  const p = meanDegree / (n - 1);
  const expected = (p * n * (n - 1)) / 2;
  const edges = new EdgeBuffer(Math.ceil(expected + 6 * Math.sqrt(expected) + 16));
  const logQ = log(1 - p);
  let v = 1;
  let w = -1;
  while (v < n) {
    // Number of absent pairs before the next present one is geometric with parameter p.
    w += 1 + (p >= 1 ? 0 : Math.floor(log(1 - rnd()) / logQ));
    while (w >= v && v < n) {
      w -= v;
      v++;
    }
    if (v < n) edges.push(v, w);
  }
  return edges.graph(n);
}

// ---------------------------------------------------------------------------------------------------
// bitcoin: Bitcoin Core's connection pattern. Nodes join in id order and each opens `outbound`
// connections to uniform random peers that still accept inbound connections (fewer than maxInbound) and
// are not yet linked to it. While most nodes accept, a peer is drawn from all nodes and redrawn if full;
// later from the list of accepting nodes. Only when that list is barely larger than the node's own
// neighbourhood are the candidates enumerated, so the draw stays uniform and a node that runs out of
// candidates stops opening instead of looping forever.
// With `outboundPmf` (pmf[k - 1] = share of nodes opening k, SimBlock's BitcoinCoreTable) each node's
// count is drawn from it when the node joins, instead of the fixed `outbound`; without it no such draw
// is made, so fixed-outbound graphs are unchanged.

function bitcoin(n: number, outbound: number, maxInbound: number, rnd: Stream, outboundPmf?: readonly number[]): Graph {
  // cdf[k - 1]: share of nodes opening at most k; `most`: the largest count any node opens.
  let cdf: Float64Array | undefined;
  let most = outbound;
  if (outboundPmf) {
    cdf = new Float64Array(outboundPmf.length);
    let sum = 0;
    most = 0;
    for (let k = 0; k < outboundPmf.length; k++) {
      const p = outboundPmf[k] as number;
      sum += p;
      cdf[k] = sum;
      if (p > 0) most = k + 1;
    }
  }
  const drawCount = (table: Float64Array): number => {
    const x = rnd() * (table[table.length - 1] as number);
    for (let k = 0; k < most; k++) if (x < (table[k] as number)) return k + 1;
    return most; // only by rounding
  };

  // One record per node, [opened count, inbound count, opened peers...], so that checking a random peer
  // touches one cache line: at 10^6 nodes this loop is bound by memory latency, not by arithmetic.
  const stride = most + 2;
  if (n * stride > 0x7fffffff) {
    if (cdf) throw new InputError('topology.outboundDistribution', `nodes x (${most} + 2) must be < 2^31`);
    throw new InputError('topology.outbound', `nodes x (outbound + 2) must be < 2^31`);
  }
  const rec = new Int32Array(n * stride);
  const accepting = new Int32Array(n); // nodes with inbound < maxInbound, in any order
  const slot = new Int32Array(n); // node -> its index in accepting
  for (let v = 0; v < n; v++) {
    accepting[v] = v;
    slot[v] = v;
  }
  let acceptingCount = n;

  const opensTo = (a: number, b: number): boolean => {
    const base = a * stride;
    for (let i = base + 2, end = i + (rec[base] as number); i < end; i++) if (rec[i] === b) return true;
    return false;
  };
  // Nodes open in id order, so a peer v > u has opened nothing yet: skip reading its list.
  const eligible = (u: number, v: number): boolean => v !== u && !opensTo(u, v) && (v > u || !opensTo(v, u));

  for (let u = 0; u < n; u++) {
    const ub = u * stride;
    const quota = cdf ? drawCount(cdf) : outbound;
    while ((rec[ub] as number) < quota && acceptingCount > 0) {
      // Nodes an eligible draw must avoid: u itself and its current neighbours.
      const excluded = 1 + (rec[ub] as number) + (rec[ub + 1] as number);
      let v = -1;
      if (acceptingCount > 4 * excluded) {
        // At least 3 draws in 8 succeed.
        const direct = 2 * acceptingCount > n;
        for (;;) {
          v = direct ? randomInt(rnd, n) : (accepting[randomInt(rnd, acceptingCount)] as number);
          if ((rec[v * stride + 1] as number) < maxInbound && eligible(u, v)) break;
        }
      } else {
        let candidates = 0;
        for (let i = 0; i < acceptingCount; i++) if (eligible(u, accepting[i] as number)) candidates++;
        if (candidates === 0) break;
        let pick = randomInt(rnd, candidates);
        for (let i = 0; i < acceptingCount; i++) {
          const c = accepting[i] as number;
          if (eligible(u, c) && pick-- === 0) {
            v = c;
            break;
          }
        }
      }
      rec[ub + 2 + (rec[ub] as number)] = v;
      (rec[ub] as number)++;
      const inbound = ++(rec[v * stride + 1] as number);
      if (inbound === maxInbound) {
        // Swap-remove v from the accepting list.
        const last = accepting[--acceptingCount] as number;
        const at = slot[v] as number;
        accepting[at] = last;
        slot[last] = at;
      }
    }
  }

  let total = 0;
  for (let u = 0; u < n; u++) total += rec[u * stride] as number;
  const us = new Int32Array(total);
  const vs = new Int32Array(total);
  let e = 0;
  for (let u = 0; u < n; u++) {
    const ub = u * stride;
    for (let i = ub + 2, end = i + (rec[ub] as number); i < end; i++) {
      us[e] = u;
      vs[e] = rec[i] as number;
      e++;
    }
  }
  return csrFromDirectedEdges(n, us, vs, total);
}

// ---------------------------------------------------------------------------------------------------
// small-world: Watts & Strogatz (Nature 393, 1998) with NetworkX's watts_strogatz_graph semantics: a
// ring lattice with degree/2 links on each side; then, lattice link by lattice link (all (i, i+1), then
// all (i, i+2), ...), with probability `rewire` the far end moves to a uniform node w, redrawn while w
// would be a self-loop or an existing link, and left alone if i is already linked to everyone.

function smallWorld(n: number, degree: number, rewire: number, rnd: Stream): Graph {
  if (degree >= n) throw new InputError('topology.degree', `must be < nodes (${n}), got ${degree}`);
  const half = degree / 2;
  const m = n * half;
  // Lattice link e = (j - 1) * n + i joins i and (i + j) mod n; its far end may be rewired.
  const far = new Int32Array(m);
  for (let j = 1; j <= half; j++) for (let i = 0; i < n; i++) far[(j - 1) * n + i] = (i + j) % n;
  if (rewire > 0) {
    // Links present = lattice links not yet rewired + links added by rewiring. Added links are never
    // removed again (only lattice links are), so an insert-only hash set for them is enough.
    const moved = new Uint8Array(m);
    const added = new PairSet(Math.ceil(m * rewire * 1.2) + 16);
    const degreeOf = new Int32Array(n).fill(degree);
    const linked = (a: number, b: number): boolean => {
      const ab = (b - a + n) % n;
      if (ab >= 1 && ab <= half && moved[(ab - 1) * n + a] === 0) return true;
      const ba = n - ab;
      if (ba >= 1 && ba <= half && moved[(ba - 1) * n + b] === 0) return true;
      return added.has(a, b);
    };
    for (let e = 0; e < m; e++) {
      if (rnd() >= rewire) continue;
      const i = e % n;
      let w = randomInt(rnd, n);
      let saturated = false;
      while (w === i || linked(i, w)) {
        w = randomInt(rnd, n);
        if ((degreeOf[i] as number) >= n - 1) {
          saturated = true;
          break;
        }
      }
      if (saturated) continue;
      const v = far[e] as number;
      moved[e] = 1;
      far[e] = w;
      added.add(i, w);
      (degreeOf[v] as number)--;
      (degreeOf[w] as number)++;
    }
  }
  const us = new Int32Array(m);
  for (let e = 0; e < m; e++) us[e] = e % n;
  return csrFromEdges(n, us, far, m);
}

/** Insert-only set of unordered node pairs: open addressing with linear probing on typed arrays. */
class PairSet {
  private lo: Int32Array;
  private hi: Int32Array;
  private size = 0;
  constructor(expected: number) {
    let capacity = 16;
    while (capacity < 2 * expected) capacity *= 2;
    this.lo = new Int32Array(capacity).fill(-1);
    this.hi = new Int32Array(capacity);
  }
  private find(a: number, b: number): number {
    const mask = this.lo.length - 1;
    let h = Math.imul(a, 0x9e3779b1) ^ Math.imul(b, 0x85ebca77);
    h ^= h >>> 15;
    h = Math.imul(h, 0x2c1b3c6d);
    h ^= h >>> 13;
    for (let i = h & mask; ; i = (i + 1) & mask) {
      const lo = this.lo[i] as number;
      if (lo === -1 || (lo === a && this.hi[i] === b)) return i;
    }
  }
  has(x: number, y: number): boolean {
    const a = x < y ? x : y;
    const b = x < y ? y : x;
    return this.lo[this.find(a, b)] !== -1;
  }
  add(x: number, y: number): void {
    const a = x < y ? x : y;
    const b = x < y ? y : x;
    const i = this.find(a, b);
    if (this.lo[i] !== -1) return;
    this.lo[i] = a;
    this.hi[i] = b;
    if (++this.size * 2 > this.lo.length) this.grow();
  }
  private grow(): void {
    const lo = this.lo;
    const hi = this.hi;
    this.lo = new Int32Array(lo.length * 2).fill(-1);
    this.hi = new Int32Array(lo.length * 2);
    for (let i = 0; i < lo.length; i++) {
      const a = lo[i] as number;
      if (a === -1) continue;
      const j = this.find(a, hi[i] as number);
      this.lo[j] = a;
      this.hi[j] = hi[i] as number;
    }
  }
}

// ---------------------------------------------------------------------------------------------------
// scale-free: Barabási & Albert (Science 286, 1999) as NetworkX's barabasi_albert_graph builds it: the
// seed graph is a star of m + 1 nodes (node 0 joined to 1..m, m links), then every further node links to
// m distinct existing nodes chosen with probability proportional to degree. Drawing uniformly from a list
// holding each node once per link end gives that probability in O(1), so the build is O(m n).

function barabasiAlbert(n: number, m: number, rnd: Stream): Graph {
  if (m >= n) throw new InputError('topology.m', `must be < nodes (${n}), got ${m}`);
  const total = m + m * (n - m - 1);
  const us = new Int32Array(total);
  const vs = new Int32Array(total);
  const ends = new Int32Array(2 * total); // each node once per link end
  let e = 0;
  let len = 0;
  for (let leaf = 1; leaf <= m; leaf++) {
    us[e] = 0;
    vs[e++] = leaf;
    ends[len++] = 0;
    ends[len++] = leaf;
  }
  const chosenBy = new Int32Array(n).fill(-1);
  for (let source = m + 1; source < n; source++) {
    const firstEdge = e;
    while (e - firstEdge < m) {
      const t = ends[randomInt(rnd, len)] as number;
      if (chosenBy[t] === source) continue;
      chosenBy[t] = source;
      us[e] = source;
      vs[e++] = t;
    }
    // Only now extend the list, so this node's own choices do not bias each other.
    for (let i = firstEdge; i < e; i++) {
      ends[len++] = vs[i] as number;
      ends[len++] = source;
    }
  }
  return csrFromEdges(n, us, vs, total);
}

// ---------------------------------------------------------------------------------------------------
// edge-list: a measured or hand-made graph. Self-loops and repeated links (in either orientation) are
// dropped silently, as the CSR builder does for every generator; nodes without links stay isolated.

function edgeList(n: number, file: string, baseDir: string): Graph {
  const path = isAbsolute(file) ? file : resolve(baseDir, file);
  let bytes: Buffer;
  try {
    bytes = readFileSync(path);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    const why = code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'is a directory' : (err as Error).message;
    throw new InputError('topology.file', `cannot read ${path}: ${why}`);
  }
  return parseEdgeList(bytes, n, file).graph(n);
}

const isSpace = (c: number): boolean => c === 32 || (c >= 9 && c <= 13); // space, \t \n \v \f \r

/** Parses bytes rather than split strings: a measured graph can have tens of millions of lines. */
function parseEdgeList(bytes: Buffer, n: number, file: string): EdgeBuffer {
  const edges = new EdgeBuffer(Math.max(16, Math.floor(bytes.length / 8)));
  const len = bytes.length;
  // Skip a UTF-8 byte order mark.
  let lineStart = len >= 3 && bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf ? 3 : 0;
  const ids = [0, 0];
  for (let line = 1; lineStart < len; line++) {
    let lineEnd = bytes.indexOf(10, lineStart);
    if (lineEnd === -1) lineEnd = len;
    let i = lineStart;
    while (i < lineEnd && isSpace(bytes[i] as number)) i++;
    if (i < lineEnd && bytes[i] !== 35 /* # */) {
      const where = `${file}:${line}`;
      const text = (): string => bytes.toString('utf8', lineStart, lineEnd).trim();
      for (let t = 0; t < 2; t++) {
        if (i >= lineEnd) throw new InputError('topology.file', `${where}: expected two node ids "u v", got "${text()}"`);
        const tokenStart = i;
        let id = 0;
        let numeric = true;
        for (; i < lineEnd && !isSpace(bytes[i] as number); i++) {
          const c = (bytes[i] as number) - 48;
          if (c < 0 || c > 9) numeric = false;
          else if (id < n) id = id * 10 + c; // stop growing once out of range; the check below catches it
        }
        if (!numeric || id >= n) {
          const token = bytes.toString('utf8', tokenStart, i);
          throw new InputError('topology.file', `${where}: node id "${token}" is not an integer in 0..${n - 1}`);
        }
        ids[t] = id;
        while (i < lineEnd && isSpace(bytes[i] as number)) i++;
      }
      if (i < lineEnd) throw new InputError('topology.file', `${where}: expected two node ids "u v", got "${text()}"`);
      edges.push(ids[0] as number, ids[1] as number);
    }
    lineStart = lineEnd + 1;
  }
  return edges;
}
