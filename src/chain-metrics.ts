// Chain observers (DESIGN §8, §10): computed after the run from the per-node and per-block records of
// every shard, in global node order. Definitions, for the README and the result JSON:
// - the final best chain ends at the highest tip any node holds (ties: the tip most nodes hold, then the
//   lowest id); a block is stale when it is not on it; staleRate = stale / mined;
// - forks = heights at which more than one block was mined;
// - t50/t90/t95/t100 of a block: time from creation until that share of all nodes had received it;
// - consistencyMs of a block: from creation until every node has it in its best chain for good
//   (the last time it entered any node's chain, when every node's final chain contains it), else null;
// - agreementShare: share of [0, durationMs] during which every node had the same tip;
// - predictedStaleRate (Decker & Wattenhofer 2013): with f(t) the hash-weighted share of miners that
//   know a block t after its creation, a block is raced with probability 1 - exp(-∫(1 - f) dt / T);
//   averaged over blocks. ∫(1 - f) dt is the hash-weighted mean delay until miners receive the block.
import type { ModelOutcome } from './engine/model.js';
import { quantile, timeToFraction } from './metrics.js';
import type { ChainPlan } from './scenario/plan.js';

export interface BlockStats {
  id: number;
  height: number;
  parent: number;
  miner: number;
  createdMs: number;
  coverage: number;
  t50Ms: number | null;
  t90Ms: number | null;
  t95Ms: number | null;
  t100Ms: number | null;
  consistencyMs: number | null;
  inMainChain: boolean;
}

export interface RoleRewards {
  nodes: number;
  total: number;
  perNode: { min: number; median: number; max: number };
}

export interface ChainStats {
  blocksMined: number;
  mainChainLength: number;
  staleRate: number;
  forks: number;
  maxReorgDepth: number;
  blockT50MsMedian: number | null;
  blockT90MsMedian: number | null;
  blockT95MsMedian: number | null;
  blockT100MsMedian: number | null;
  consistencyMsMedian: number | null;
  consistencyMsP90: number | null;
  agreementShare: number;
  /** Decker & Wattenhofer's model, from this run's own propagation: see the file comment. */
  deckerWattenhofer: { meanMinerDelayMs: number; meanNodeDelayMs: number; predictedStaleRate: number };
  miners: { node: number; hashShare: number; mainBlocks: number; mainShare: number }[];
  rewards: { miner: RoleRewards; secure: RoleRewards; super: RoleRewards; treasury: number; unpaid: number };
  traffic: { blockMessages: number; blockBytes: number; announcements: number; transactionBytes: number };
  /** meanDelayMs: mean over receipts (creators excluded) of the time from creation to receipt. */
  transactions: { count: number; meanCoverage: number; meanDelayMs: number | null } | null;
  blocks: BlockStats[];
}

export interface ChainRecords {
  /** (block - 1) × n, receipt delay after creation, NaN if never. */
  recvMs: Float32Array;
  tip: Int32Array;
  reorg: Int32Array;
}

function median(xs: number[]): number | null {
  return xs.length ? quantile(Float64Array.from(xs).sort(), 0.5) : null;
}

type Timed = 't50Ms' | 't90Ms' | 't95Ms' | 't100Ms' | 'consistencyMs';

function present(blocks: readonly BlockStats[], key: Timed): number[] {
  return blocks.flatMap((b) => (b[key] === null ? [] : [b[key]]));
}

function medianOf(blocks: readonly BlockStats[], key: Timed): number | null {
  return median(present(blocks, key));
}

function sum(key: string, outcomes: readonly ModelOutcome[]): number[] {
  const out = outcomes[0]!.totals[key]!.map(() => 0);
  for (const o of outcomes) o.totals[key]!.forEach((x, i) => (out[i]! += x));
  return out;
}

function max(key: string, outcomes: readonly ModelOutcome[]): number[] {
  const out = outcomes[0]!.maxima![key]!.map(() => -Infinity);
  for (const o of outcomes) o.maxima![key]!.forEach((x, i) => (out[i] = Math.max(out[i]!, x)));
  return out;
}

function distribution(values: number[]): RoleRewards {
  const sorted = Float64Array.from(values).sort();
  const total = values.reduce((a, b) => a + b, 0);
  return {
    nodes: values.length,
    total,
    perNode: values.length ? { min: sorted[0]!, median: quantile(sorted, 0.5), max: sorted[sorted.length - 1]! } : { min: 0, median: 0, max: 0 },
  };
}

export function chainStats(plan: ChainPlan, rec: ChainRecords, outcomes: readonly ModelOutcome[]): ChainStats {
  const n = plan.nodes;
  const c = plan.chain;
  const B = c.blockMiner.length;
  const parent = sum('minedParent', outcomes);
  const height = sum('minedHeight', outcomes);
  parent[0] = -1;
  const adopters = sum('adopters', outcomes);
  const entered = max('enteredMax', outcomes);
  const adopted = max('adoptedMax', outcomes);
  const left = max('leftMinNeg', outcomes).map((x) => -x);

  // The final best chain.
  const holders = new Map<number, number>();
  for (let v = 0; v < n; v++) holders.set(rec.tip[v]!, (holders.get(rec.tip[v]!) ?? 0) + 1);
  let best = 0;
  for (const [t, k] of holders) {
    const b = holders.get(best) ?? 0;
    if (height[t]! > height[best]! || (height[t] === height[best] && (k > b || (k === b && t < best)))) best = t;
  }
  const inMain = new Uint8Array(B);
  for (let x = best; x > 0; x = parent[x]!) inMain[x] = 1;
  inMain[0] = 1;
  // Blocks in every node's final chain: the common ancestors of all final tips.
  const inAll = new Uint8Array(B);
  const tips = [...holders.keys()];
  const count = new Int32Array(B);
  for (const t of tips) for (let x = t; x >= 0; x = parent[x]!) count[x]!++;
  for (let x = 0; x < B; x++) inAll[x] = count[x] === tips.length ? 1 : 0;

  const perHeight = new Map<number, number>();
  for (let x = 1; x < B; x++) perHeight.set(height[x]!, (perHeight.get(height[x]!) ?? 0) + 1);
  const forks = [...perHeight.values()].filter((k) => k > 1).length;

  const minerKnows = c.minerNodes;
  const blocks: BlockStats[] = [];
  let minerDelaySum = 0;
  let nodeDelaySum = 0;
  let predicted = 0;
  const delays = new Float64Array(n);
  for (let x = 1; x < B; x++) {
    const row = (x - 1) * n;
    let reached = 0;
    let total = 0;
    for (let v = 0; v < n; v++) {
      const d = rec.recvMs[row + v]!;
      if (d === d) {
        delays[reached++] = d;
        total += d;
      }
    }
    const sorted = delays.subarray(0, reached).sort();
    // A node that never got the block waits until the end of the run.
    const horizon = plan.endMs - c.blockCreatedMs[x]!;
    nodeDelaySum += (total + (n - reached) * horizon) / n;
    let md = 0;
    minerKnows.forEach((node, i) => {
      const d = rec.recvMs[row + node]!;
      md += c.minerShares[i]! * (d === d ? d : horizon);
    });
    minerDelaySum += md;
    predicted += 1 - Math.exp(-md / c.intervalMs);
    blocks.push({
      id: x,
      height: height[x]!,
      parent: parent[x]!,
      miner: c.minerNodes[c.blockMiner[x]!]!,
      createdMs: c.blockCreatedMs[x]!,
      coverage: reached / n,
      t50Ms: timeToFraction(sorted, n, 0.5),
      t90Ms: timeToFraction(sorted, n, 0.9),
      t95Ms: timeToFraction(sorted, n, 0.95),
      t100Ms: timeToFraction(sorted, n, 1),
      consistencyMs: inAll[x] ? entered[x]! - c.blockCreatedMs[x]! : null,
      inMainChain: inMain[x] === 1,
    });
  }
  const mined = B - 1;

  // Every node had tip x during [latest adoption, earliest departure) if every node adopted x.
  let agreed = 0;
  for (let x = 0; x < B; x++) {
    if (adopters[x] !== n) continue;
    agreed += Math.max(0, Math.min(left[x]!, plan.endMs) - adopted[x]!);
  }

  const mainBlocks = new Array<number>(c.minerNodes.length).fill(0);
  const mainLength = height[best]!;
  for (let x = best; x > 0; x = parent[x]!) mainBlocks[c.blockMiner[x]!]!++;

  // Rewards: every main-chain block pays blockReward, split by role; stale blocks pay nothing. Every
  // node counts as online until faults exist.
  const r = c.rewardShares;
  const pay = mainLength * c.blockReward;
  const share = (nodes: readonly number[], part: number) => nodes.map(() => (nodes.length ? (pay * part) / nodes.length : 0));
  const minerPay = mainBlocks.map((k) => k * c.blockReward * r.miner);
  const unpaid = (c.secureNodes.length ? 0 : pay * r.secure) + (c.superNodes.length ? 0 : pay * r.super);

  const consistency = present(blocks, 'consistencyMs');
  const traffic = sum('traffic', outcomes);
  const txReached = plan.transactions ? sum('txReached', outcomes) : [];
  const txDelay = plan.transactions ? sum('txDelay', outcomes).reduce((a, b) => a + b, 0) : 0;
  const txReceipts = txReached.reduce((a, b) => a + b, 0) - txReached.length;
  return {
    blocksMined: mined,
    mainChainLength: mainLength,
    staleRate: mined ? (mined - mainLength) / mined : 0,
    forks,
    maxReorgDepth: rec.reorg.reduce((m, x) => Math.max(m, x), 0),
    blockT50MsMedian: medianOf(blocks, 't50Ms'),
    blockT90MsMedian: medianOf(blocks, 't90Ms'),
    blockT95MsMedian: medianOf(blocks, 't95Ms'),
    blockT100MsMedian: medianOf(blocks, 't100Ms'),
    consistencyMsMedian: median(consistency),
    consistencyMsP90: consistency.length ? quantile(Float64Array.from(consistency).sort(), 0.9) : null,
    agreementShare: agreed / plan.endMs,
    deckerWattenhofer: {
      meanMinerDelayMs: mined ? minerDelaySum / mined : 0,
      meanNodeDelayMs: mined ? nodeDelaySum / mined : 0,
      predictedStaleRate: mined ? predicted / mined : 0,
    },
    miners: c.minerNodes.map((node, i) => ({
      node,
      hashShare: c.minerShares[i]!,
      mainBlocks: mainBlocks[i]!,
      mainShare: mainLength ? mainBlocks[i]! / mainLength : 0,
    })),
    rewards: {
      miner: distribution(minerPay),
      secure: distribution(share(c.secureNodes, r.secure)),
      super: distribution(share(c.superNodes, r.super)),
      treasury: pay * r.treasury,
      unpaid,
    },
    traffic: { blockMessages: traffic[0]!, blockBytes: traffic[1]!, announcements: traffic[2]!, transactionBytes: traffic[3]! },
    transactions: plan.transactions
      ? {
          count: txReached.length,
          meanCoverage: txReached.length ? txReached.reduce((a, b) => a + b, 0) / (txReached.length * n) : 0,
          meanDelayMs: txReceipts > 0 ? txDelay / 1000 / txReceipts : null,
        }
      : null,
    blocks,
  };
}
