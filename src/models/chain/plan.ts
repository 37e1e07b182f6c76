// The chain model's plan. Proof of work is memoryless and a miner keeps its timer when it switches tip,
// so the whole mining schedule is drawn here, before the run, from each miner node's own stream; so
// are the transactions. Only a block's parent is decided during the run.
import { InputError } from '../../errors.js';
import { NODE_PURPOSE, nodeUniform } from '../../engine/node-streams.js';
import { exponential, scenarioStream } from '../../rng.js';
import { bitcoinParams, compileNetwork, type NetworkPlan } from '../../scenario/network-plan.js';
import type { Chain, ChainScenario, Ibd, Relay } from './schema.js';
import { cos, log } from '../../math.js';

/**
 * Proof of work is memoryless and a miner keeps its timer when it switches tip, so when each block is
 * found, and by whom, does not depend on the network: the whole schedule is drawn here, from each miner
 * node's own stream, and blocks get dense ids 1..B in (time, miner) order (0 is genesis). Only a block's
 * parent — the miner's tip at that moment — is decided during the run.
 */
export interface ChainPlan extends NetworkPlan {
  readonly model: 'chain';
  readonly chain: {
    readonly intervalMs: number;
    readonly blockSizeBytes: number;
    readonly verifyMs: number;
    /** Blocks that exist at the start (the newcomers' initial block download). */
    readonly initialHeight: number;
    /** Per miner: its node and its normalized hash share. */
    readonly minerNodes: readonly number[];
    readonly minerShares: readonly number[];
    /** Per block id (index 0 = genesis, unused): the miner's index and the creation time. */
    readonly blockMiner: readonly number[];
    readonly blockCreatedMs: readonly number[];
    readonly secureNodes: readonly number[];
    readonly superNodes: readonly number[];
    readonly blockReward: number;
    readonly rewardShares: Chain['rewardShares'];
  };
  readonly relay: Relay;
  readonly ibd: Ibd;
  /** Transactions, like blocks, fixed in advance: origin and creation time per id. */
  readonly transactions: {
    readonly origin: readonly number[];
    readonly createdMs: readonly number[];
    readonly sizeBytes: number;
    readonly outboundMeanMs: number;
    readonly inboundMeanMs: number;
    /** One inv timer for all of a node's inbound connections, as Bitcoin Core; else one per connection. */
    readonly sharedInbound: boolean;
    /** The most transactions one inv announces. */
    readonly maxPerInv: number;
  } | null;
}

/** Uniform sample of `k` distinct values of [0, n) not in `taken`, in draw order (Floyd's method would reorder). */
function distinctNodes(k: number, n: number, rand: () => number, taken: Set<number>): number[] {
  const out: number[] = [];
  while (out.length < k) {
    const v = Math.floor(rand() * n);
    if (taken.has(v)) continue;
    taken.add(v);
    out.push(v);
  }
  return out;
}

function minerShares(c: Chain, rand: () => number): number[] {
  const m = c.miners;
  if (m.shares) return m.shares;
  if (m.preset) return bitcoinParams().mining_pools_bitcoin_2016.shares_percent;
  const count = m.count!;
  if (m.distribution === 'equal') return new Array<number>(count).fill(1);
  // SimBlock: mining power ~ Normal(400,000, 100,000) hashes/ms, floored at 1; the scale cancels out.
  return Array.from({ length: count }, () => {
    const z = Math.sqrt(-2 * log(1 - rand())) * cos(2 * Math.PI * rand());
    return Math.max(1 / 400_000, 1 + 0.25 * z);
  });
}

// Above this many (block, node) cells the per-node block records (5 bytes each) would not fit a machine.
const MAX_BLOCK_CELLS = 2e9;
// Blocks and transactions are kept in plain arrays (and blocks in the result, one entry each): past this
// many, V8's array limits end the process with a fatal error, whatever the node count.
const MAX_ITEMS = 1_000_000;

export function compileChain(s: ChainScenario): ChainPlan {
  const c = s.chain;
  const network = compileNetwork(s);
  const rand = scenarioStream(s.seed, 'miners');
  // load.ts has checked that the miners, and the secure and super nodes, fit in the nodes.
  const raw = minerShares(c, rand);
  const total = raw.reduce((a, b) => a + b, 0);
  const shares = raw.map((x) => x / total);
  const taken = new Set<number>();
  const minerNodes = c.miners.nodes ?? distinctNodes(shares.length, s.nodes, rand, taken);
  for (const v of minerNodes) taken.add(v);
  const roleRand = scenarioStream(s.seed, 'roles');
  const secureNodes = distinctNodes(c.roles.secure, s.nodes, roleRand, taken);
  const superNodes = distinctNodes(c.roles.super, s.nodes, roleRand, taken);

  // Merge the miners' exponential timers in (time, miner) order: a heap of each miner's next find.
  const intervalMs = c.blockIntervalS * 1000;
  const limit = c.blocks ?? Infinity;
  const draws = new Array<number>(shares.length).fill(0);
  const next = (i: number, from: number) => from + exponential(nodeUniform(s.seed, minerNodes[i]!, NODE_PURPOSE.mining, draws[i]!++), intervalMs / shares[i]!);
  const heap = new MinHeap();
  shares.forEach((_, i) => heap.push(next(i, 0), i));
  const blockMiner = [-1];
  const blockCreatedMs = [0];
  while (blockMiner.length - 1 < limit && heap.size > 0) {
    const [t, i] = heap.pop();
    if (!(t < s.durationMs)) break;
    if (blockMiner.length > MAX_ITEMS) {
      throw new InputError(c.blocks !== undefined ? 'chain.blocks' : 'chain.blockIntervalS', `gives more than ${MAX_ITEMS.toLocaleString('en-US')} blocks; mine fewer blocks (chain.blocks, durationMs)`);
    }
    blockMiner.push(i);
    blockCreatedMs.push(t);
    heap.push(next(i, t), i);
  }
  const lastDrawnMs = blockCreatedMs[blockCreatedMs.length - 1]!;
  if (c.mined?.length) mergeSet(blockMiner, blockCreatedMs, c.mined.map((b) => ({ atMs: b.atMs, value: b.miner })), 1);
  if (blockMiner.length > MAX_ITEMS + 1) throw new InputError('chain.mined', `gives more than ${MAX_ITEMS.toLocaleString('en-US')} blocks; set fewer`);
  const blocks = blockMiner.length;
  if (blocks * s.nodes > MAX_BLOCK_CELLS) {
    throw new InputError('chain.blockIntervalS', `gives ${blocks - 1} blocks over ${s.nodes} nodes, more than ${MAX_BLOCK_CELLS} block records; mine fewer blocks (chain.blocks, durationMs) or use fewer nodes`);
  }

  const relay = s.relay ?? relayDefaults;
  let transactions: ChainPlan['transactions'] = null;
  const tx = s.transactions;
  if (tx) {
    const txRand = scenarioStream(s.seed, 'transactions');
    const origin: number[] = [];
    const createdMs: number[] = [];
    const limit = tx.count ?? Infinity;
    // With a block count the load is there to stress block relay: it ends with the last block.
    const until = c.blocks !== undefined ? Math.min(s.durationMs, lastDrawnMs) : s.durationMs;
    const rate = tx.ratePerSecond ?? 0;
    for (let t = rate > 0 ? exponential(txRand(), 1000 / rate) : Infinity; t < until && origin.length < limit; t += exponential(txRand(), 1000 / rate)) {
      createdMs.push(t);
      origin.push(Math.floor(txRand() * s.nodes));
      if (origin.length > MAX_ITEMS) {
        throw new InputError(tx.count !== undefined ? 'transactions.count' : 'transactions.ratePerSecond', `gives more than ${MAX_ITEMS.toLocaleString('en-US')} transactions; lower the rate, set transactions.count or shorten durationMs`);
      }
      if (origin.length * s.nodes > MAX_BLOCK_CELLS) {
        throw new InputError('transactions.ratePerSecond', `gives more than ${MAX_BLOCK_CELLS} (transaction, node) records over ${s.nodes} nodes; lower the rate, set transactions.count or shorten durationMs`);
      }
    }
    if (tx.sent?.length) mergeSet(origin, createdMs, tx.sent.map((x) => ({ atMs: x.atMs, value: x.origin })), 0);
    if (origin.length > MAX_ITEMS) throw new InputError('transactions.sent', `gives more than ${MAX_ITEMS.toLocaleString('en-US')} transactions; send fewer`);
    if (origin.length * s.nodes > MAX_BLOCK_CELLS) throw new InputError('transactions.sent', `gives more than ${MAX_BLOCK_CELLS} (transaction, node) records over ${s.nodes} nodes; send fewer`);
    transactions = { origin, createdMs, sizeBytes: tx.sizeBytes, outboundMeanMs: tx.outboundMeanMs, inboundMeanMs: tx.inboundMeanMs, sharedInbound: tx.inboundTimer === 'shared', maxPerInv: tx.maxPerInv };
  }

  return {
    ...network,
    model: 'chain',
    chain: {
      intervalMs, blockSizeBytes: c.blockSizeBytes, verifyMs: c.verifyMs, initialHeight: c.initialHeight,
      minerNodes, minerShares: shares, blockMiner, blockCreatedMs, secureNodes, superNodes,
      blockReward: c.blockReward, rewardShares: c.rewardShares,
    },
    relay,
    ibd: s.ibd ?? { parallel: 8, headerBytes: 80, timeoutMs: 60_000, retryMs: 1000 },
    transactions,
  };
}

/**
 * Items at set times merged into drawn ones (the first `keep` entries, genesis for blocks, stay first),
 * in (time, value) order as the miners' heap gives the drawn blocks; at the same time and value the
 * drawn item comes first, then the set ones in list order.
 */
function mergeSet(values: number[], times: number[], set: readonly { atMs: number; value: number }[], keep: number): void {
  const all = times.slice(keep).map((t, x) => ({ t, v: values[keep + x]!, k: 0 }));
  set.forEach((s, k) => all.push({ t: s.atMs, v: s.value, k: k + 1 }));
  all.sort((a, b) => a.t - b.t || a.v - b.v || a.k - b.k);
  values.length = keep;
  times.length = keep;
  for (const x of all) {
    values.push(x.v);
    times.push(x.t);
  }
}

const relayDefaults: Relay = {
  kind: 'compact', messageDelayMs: 0, processingMs: 0, timeoutMs: 10_000, compactShare: 0.964, compactBytes: 18_000,
  compactFailRate: 0.2666, missingShare: 0.0854, uploadBusy: 'transfer',
};

/** A binary min-heap of (time, miner) pairs, ties by the lower miner index. */
class MinHeap {
  private readonly t: number[] = [];
  private readonly i: number[] = [];
  get size(): number {
    return this.t.length;
  }
  private less(a: number, b: number): boolean {
    return this.t[a]! < this.t[b]! || (this.t[a] === this.t[b] && this.i[a]! < this.i[b]!);
  }
  private swap(a: number, b: number): void {
    [this.t[a], this.t[b]] = [this.t[b]!, this.t[a]!];
    [this.i[a], this.i[b]] = [this.i[b]!, this.i[a]!];
  }
  push(t: number, i: number): void {
    this.t.push(t);
    this.i.push(i);
    for (let k = this.t.length - 1; k > 0; ) {
      const p = (k - 1) >> 1;
      if (!this.less(k, p)) break;
      this.swap(k, p);
      k = p;
    }
  }
  pop(): [number, number] {
    const top: [number, number] = [this.t[0]!, this.i[0]!];
    const lastT = this.t.pop()!;
    const lastI = this.i.pop()!;
    if (this.t.length > 0) {
      this.t[0] = lastT;
      this.i[0] = lastI;
      for (let k = 0; ; ) {
        const l = 2 * k + 1;
        const r = l + 1;
        let m = k;
        if (l < this.t.length && this.less(l, m)) m = l;
        if (r < this.t.length && this.less(r, m)) m = r;
        if (m === k) break;
        this.swap(k, m);
        k = m;
      }
    }
    return top;
  }
}

