// The chain model's measures, computed after the run from the per-node and per-block records of every
// shard, in global node order. Definitions, as docs/results.md gives them:
// - the final best chain ends at the highest tip any node holds (ties: the tip most nodes hold, then the
//   lowest id); a block is stale when it is not on it; staleRate = stale / mined;
// - forks = heights at which more than one block was mined;
// - t50/t90/t95/t99/t100 of a block (of a transaction): time from creation until that share of all nodes had received it;
// - consistencyMs of a block: from creation until every node has it in its best chain for good
//   (the last time it entered any node's chain, when every node's final chain contains it), else null;
// - agreementShare: share of [0, durationMs] during which every node had the same tip;
// - predictedStaleRate (Decker & Wattenhofer 2013): with f(t) the hash-weighted share of miners that
//   know a block t after its creation, a block is raced with probability 1 - exp(-∫(1 - f) dt / T);
//   averaged over blocks. ∫(1 - f) dt is the hash-weighted mean delay until miners receive the block.
import type { FaultSchedule } from '../../faults/schedule.js';
import type { OnlineAt } from '../definition.js';
import { delayDistributions, type DelayDistributions } from '../delays.js';
import { maxTotals, sumTotals } from '../outcomes.js';
import { median, onlineCoverage, quantile, timesToFractions } from '../stats.js';
import { classStats, tail, type ClassStats } from './classes.js';
import type { ChainPlan } from './plan.js';
import type { JoinsSection, StorageSection } from './joins.js';
import type { ChainOutcome } from './protocol.js';
import { exp } from '../../math.js';

/** The chain model's sections of the result. */
export interface ChainSections {
  network: { messagesSent: number };
  /** Blocks, forks, stale rate, time to consistency, rewards. */
  chain: ChainStats;
  /** Block receipt delays as compact distributions, for plots (mined blocks only). */
  delays: DelayDistributions;
  /** Only with joins: how the newcomers got in and synced, and the storage the chain's copies take. */
  joins?: JoinsSection;
  storage?: StorageSection;
}

export interface BlockStats {
  id: number;
  height: number;
  parent: number;
  miner: number;
  createdMs: number;
  coverage: number;
  /** Among the nodes online when the block was created. */
  coverageOnline: number;
  t50Ms: number | null;
  t90Ms: number | null;
  t95Ms: number | null;
  t99Ms: number | null;
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
  blockT99MsMedian: number | null;
  blockT100MsMedian: number | null;
  consistencyMsMedian: number | null;
  consistencyMsP90: number | null;
  /** Share of [0, durationMs] during which every node had the same tip; null with faults. */
  agreementShare: number | null;
  /** Decker & Wattenhofer's model, from this run's own propagation: see the file comment. */
  deckerWattenhofer: { meanMinerDelayMs: number; meanNodeDelayMs: number; predictedStaleRate: number };
  miners: { node: number; hashShare: number; mainBlocks: number; mainShare: number }[];
  rewards: { miner: RoleRewards; secure: RoleRewards; super: RoleRewards; treasury: number; unpaid: number };
  traffic: { blockMessages: number; blockBytes: number; announcements: number; transactionBytes: number; transactionInvs: number };
  /**
   * meanDelayMs: mean over receipts (creators excluded) of the time from creation to receipt; the tail:
   * median over transactions of the time until that share of all nodes had it.
   */
  transactions: {
    count: number;
    meanCoverage: number;
    meanDelayMs: number | null;
    t50MsMedian: number | null;
    t95MsMedian: number | null;
    t99MsMedian: number | null;
    t100MsMedian: number | null;
  } | null;
  /** Only with heterogeneity (else null): the tail and time to consistency per node class (classes.ts). */
  classes: ClassStats[] | null;
  /** Only with faults: nodes catching up after being offline, and what each partition cost. */
  catchUp: CatchUp | null;
  partitions: PartitionStats[] | null;
  blocks: BlockStats[];
}

export interface CatchUp {
  /** Returns to online after missing at least one main-chain block. */
  recoveries: number;
  /** Those that had not received every missed block by the end. */
  unfinished: number;
  /** Per number of main-chain blocks missed: how many returns, mean and max time to have them all. */
  byMissed: { missed: number; count: number; meanMs: number; maxMs: number }[];
}

export interface PartitionStats {
  fromMs: number;
  toMs: number;
  /** Blocks mined during the partition that ended up stale: the losing side's work. */
  staleBlocks: number;
  /** The deepest reorganization the heal forced: the longest losing branch, in blocks. */
  reorgDepthAtHeal: number;
  /** From the heal until every online node had the winning side's tip in its chain; null if never. */
  consistencyAfterHealMs: number | null;
}

export interface ChainRecords {
  /** (block - 1) × n, receipt delay after creation, NaN if never. */
  recvMs: Float32Array;
  tip: Int32Array;
  reorg: Int32Array;
  /** (transaction) × n, receipt delay after creation, NaN if never. */
  txRecvMs: Float32Array;
  /** Node id -> region. */
  region: Uint8Array;
}

type Timed = 't50Ms' | 't90Ms' | 't95Ms' | 't99Ms' | 't100Ms' | 'consistencyMs';

function present(blocks: readonly BlockStats[], key: Timed): number[] {
  return blocks.flatMap((b) => (b[key] === null ? [] : [b[key]]));
}

function medianOf(blocks: readonly BlockStats[], key: Timed): number | null {
  return median(present(blocks, key));
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

export function chainStats(plan: ChainPlan, rec: ChainRecords, outcomes: readonly ChainOutcome[], faults: FaultSchedule | null, online: OnlineAt | null): ChainStats {
  const n = plan.nodes;
  const c = plan.chain;
  const B = c.blockMiner.length;
  const parent = sumTotals('minedParent', outcomes);
  const height = sumTotals('minedHeight', outcomes);
  parent[0] = -1;
  const adopters = sumTotals('adopters', outcomes);
  const entered = maxTotals('enteredMax', outcomes);
  const adopted = maxTotals('adoptedMax', outcomes);
  const left = maxTotals('leftMinNeg', outcomes).map((x) => -x);

  // A block whose miner was offline when its time came was never mined.
  const mined = (x: number) => height[x]! > 0;

  // The final best chain, over the nodes online at the end.
  const holders = new Map<number, number>();
  for (let v = 0; v < n; v++) {
    if (online === null || online(v, plan.endMs)) holders.set(rec.tip[v]!, (holders.get(rec.tip[v]!) ?? 0) + 1);
  }
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
  for (let x = 1; x < B; x++) if (mined(x)) perHeight.set(height[x]!, (perHeight.get(height[x]!) ?? 0) + 1);
  const forks = [...perHeight.values()].filter((k) => k > 1).length;

  const minerKnows = c.minerNodes;
  const blocks: BlockStats[] = [];
  let minerDelaySum = 0;
  let nodeDelaySum = 0;
  let predicted = 0;
  const delays = new Float64Array(n);
  for (let x = 1; x < B; x++) {
    if (!mined(x)) continue;
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
    const [t50Ms, t90Ms, t95Ms, t99Ms, t100Ms] = timesToFractions(delays.subarray(0, reached), n, [0.5, 0.9, 0.95, 0.99, 1]);
    // A node that never got the block waits until the end of the run.
    const horizon = plan.endMs - c.blockCreatedMs[x]!;
    nodeDelaySum += (total + (n - reached) * horizon) / n;
    // Only miners online when the block was found can race it; their shares are renormalized.
    let md = 0;
    let weight = 0;
    minerKnows.forEach((node, i) => {
      if (online !== null && !online(node, c.blockCreatedMs[x]!)) return;
      const d = rec.recvMs[row + node]!;
      md += c.minerShares[i]! * (d === d ? d : horizon);
      weight += c.minerShares[i]!;
    });
    md = weight > 0 ? md / weight : 0;
    minerDelaySum += md;
    predicted += 1 - exp(-md / c.intervalMs);
    blocks.push({
      id: x,
      height: height[x]!,
      parent: parent[x]!,
      miner: c.minerNodes[c.blockMiner[x]!]!,
      createdMs: c.blockCreatedMs[x]!,
      coverage: reached / n,
      coverageOnline: coverageOnline(x),
      t50Ms,
      t90Ms,
      t95Ms,
      t99Ms,
      t100Ms,
      consistencyMs: inAll[x] ? entered[x]! - c.blockCreatedMs[x]! : null,
      inMainChain: inMain[x] === 1,
    });
  }
  const minedCount = blocks.length;

  // Every node had tip x during [latest adoption, earliest departure) if every node adopted x. With
  // faults the nodes that must agree change over time, which these per-block records cannot follow.
  let agreed = 0;
  for (let x = 0; x < B; x++) {
    if (adopters[x] !== n) continue;
    agreed += Math.max(0, Math.min(left[x]!, plan.endMs) - adopted[x]!);
  }

  const mainBlocks = new Array<number>(c.minerNodes.length).fill(0);
  const mainLength = height[best]!;
  for (let x = best; x > 0; x = parent[x]!) mainBlocks[c.blockMiner[x]!]!++;

  // Rewards: every main-chain block pays blockReward, split by role; the secure and super shares go
  // equally to the nodes of that role online when the block was mined; stale blocks pay nothing.
  const r = c.rewardShares;
  const pay = mainLength * c.blockReward;
  const minerPay = mainBlocks.map((k) => k * c.blockReward * r.miner);
  let unpaid = 0;
  const rolePay = (nodes: readonly number[], part: number): number[] => {
    const paid = new Array<number>(nodes.length).fill(0);
    for (const b of blocks) {
      if (!b.inMainChain) continue;
      const up = nodes.flatMap((v, i) => (online === null || online(v, b.createdMs) ? [i] : []));
      if (up.length === 0) unpaid += c.blockReward * part;
      for (const i of up) paid[i]! += (c.blockReward * part) / up.length;
    }
    return paid;
  };
  const securePay = rolePay(c.secureNodes, r.secure);
  const superPay = rolePay(c.superNodes, r.super);

  const consistency = present(blocks, 'consistencyMs');
  const traffic = sumTotals('traffic', outcomes);
  const txReached = plan.transactions ? sumTotals('txReached', outcomes) : [];
  const txDelay = plan.transactions ? sumTotals('txDelay', outcomes).reduce((a, b) => a + b, 0) : 0;
  const txReceipts = txReached.reduce((a, b) => a + b, 0) - txReached.length;
  return {
    blocksMined: minedCount,
    mainChainLength: mainLength,
    staleRate: minedCount ? (minedCount - mainLength) / minedCount : 0,
    forks,
    maxReorgDepth: rec.reorg.reduce((m, x) => Math.max(m, x), 0),
    blockT50MsMedian: medianOf(blocks, 't50Ms'),
    blockT90MsMedian: medianOf(blocks, 't90Ms'),
    blockT95MsMedian: medianOf(blocks, 't95Ms'),
    blockT99MsMedian: medianOf(blocks, 't99Ms'),
    blockT100MsMedian: medianOf(blocks, 't100Ms'),
    consistencyMsMedian: median(consistency),
    consistencyMsP90: consistency.length ? quantile(Float64Array.from(consistency).sort(), 0.9) : null,
    agreementShare: faults === null ? agreed / plan.endMs : null,
    deckerWattenhofer: {
      meanMinerDelayMs: minedCount ? minerDelaySum / minedCount : 0,
      meanNodeDelayMs: minedCount ? nodeDelaySum / minedCount : 0,
      predictedStaleRate: minedCount ? predicted / minedCount : 0,
    },
    miners: c.minerNodes.map((node, i) => ({
      node,
      hashShare: c.minerShares[i]!,
      mainBlocks: mainBlocks[i]!,
      mainShare: mainLength ? mainBlocks[i]! / mainLength : 0,
    })),
    rewards: {
      miner: distribution(minerPay),
      secure: distribution(securePay),
      super: distribution(superPay),
      treasury: pay * r.treasury,
      unpaid,
    },
    traffic: { blockMessages: traffic[0]!, blockBytes: traffic[1]!, announcements: traffic[2]!, transactionBytes: traffic[3]!, transactionInvs: traffic[4]! },
    transactions: plan.transactions
      ? {
          count: txReached.length,
          meanCoverage: txReached.length ? txReached.reduce((a, b) => a + b, 0) / (txReached.length * n) : 0,
          meanDelayMs: txReceipts > 0 ? txDelay / 1000 / txReceipts : null,
          ...txTail(rec.txRecvMs, txReached.length, n),
        }
      : null,
    classes: plan.traits
      ? classStats(plan.traits, plan.regionNames, rec.region, rec.recvMs, rec.txRecvMs, txReached.length, blocks, inAll, maxTotals('enteredByGroup', outcomes))
      : null,
    catchUp: faults ? catchUp(faults, n, plan, rec, blocks) : null,
    partitions: faults ? faults.partitions.map((p) => partitionStats(p, blocks, entered, inAll)) : null,
    blocks,
  };

  function coverageOnline(x: number): number {
    const row = (x - 1) * n;
    const [up, got] = onlineCoverage(n, c.blockCreatedMs[x]!, online, (v) => rec.recvMs[row + v] === rec.recvMs[row + v]);
    return up ? got / up : 0;
  }
}

/** Median over transactions of the time until 50, 95, 99 and 100 % of all nodes had each. */
function txTail(txRecvMs: Float32Array, count: number, n: number): { t50MsMedian: number | null; t95MsMedian: number | null; t99MsMedian: number | null; t100MsMedian: number | null } {
  const all = Int32Array.from({ length: n }, (_, v) => v);
  const scratch = new Float64Array(n);
  const per = [[], [], [], []] as number[][];
  for (let k = 0; k < count; k++) {
    tail(txRecvMs.subarray(k * n, (k + 1) * n), all, scratch, [0.5, 0.95, 0.99, 1]).forEach((t, i) => t !== null && per[i]!.push(t));
  }
  return { t50MsMedian: median(per[0]!), t95MsMedian: median(per[1]!), t99MsMedian: median(per[2]!), t100MsMedian: median(per[3]!) };
}

/** For every return online after missing main-chain blocks: the time until it had all of them. */
function catchUp(f: FaultSchedule, n: number, plan: ChainPlan, rec: ChainRecords, blocks: readonly BlockStats[]): CatchUp {
  const main = blocks.filter((b) => b.inMainChain);
  const groups = new Map<number, number[]>();
  let recoveries = 0;
  let unfinished = 0;
  for (let v = 0; v < n; v++) {
    for (let i = f.offOffsets[v]!; i < f.offOffsets[v + 1]!; i++) {
      const down = f.offTimes[2 * i]!;
      const up = f.offTimes[2 * i + 1]!;
      if (!(up < plan.endMs)) continue;
      const missed = main.filter((b) => b.createdMs >= down && b.createdMs < up);
      if (missed.length === 0) continue;
      recoveries++;
      let done = up;
      for (const b of missed) {
        const d = rec.recvMs[(b.id - 1) * n + v]!;
        done = d === d ? Math.max(done, b.createdMs + d) : NaN;
      }
      if (Number.isNaN(done)) {
        unfinished++;
        continue;
      }
      const list = groups.get(missed.length) ?? [];
      list.push(done - up);
      groups.set(missed.length, list);
    }
  }
  const byMissed = [...groups.entries()]
    .sort((a, b) => a[0] - b[0])
    .map(([missed, xs]) => ({ missed, count: xs.length, meanMs: xs.reduce((a, b) => a + b, 0) / xs.length, maxMs: Math.max(...xs) }));
  return { recoveries, unfinished, byMissed };
}

function partitionStats(p: FaultSchedule['partitions'][number], blocks: readonly BlockStats[], entered: readonly number[], inAll: Uint8Array): PartitionStats {
  const during = blocks.filter((b) => b.createdMs >= p.fromMs && b.createdMs < p.toMs);
  // The winning side's tip at the heal: the highest main-chain block mined before it.
  let tip: BlockStats | undefined;
  for (const b of blocks) if (b.inMainChain && b.createdMs < p.toMs && (!tip || b.height > tip.height)) tip = b;
  // A losing branch's depth: from a stale block mined during the partition down to the main chain.
  const byId = new Map(blocks.map((b) => [b.id, b]));
  let depth = 0;
  for (const b of during) {
    if (b.inMainChain) continue;
    let k = 0;
    for (let x: BlockStats | undefined = b; x && !x.inMainChain; x = byId.get(x.parent)) k++;
    depth = Math.max(depth, k);
  }
  return {
    fromMs: p.fromMs,
    toMs: p.toMs,
    staleBlocks: during.filter((b) => !b.inMainChain).length,
    reorgDepthAtHeal: depth,
    consistencyAfterHealMs: tip && inAll[tip.id] ? Math.max(0, entered[tip.id]! - p.toMs) : null,
  };
}

/** The mined blocks' receipt delays (row id − 1 of recvMs) as distributions; coverage items are block ids. */
export function blockDelays(n: number, stats: ChainStats, recvMs: Float32Array, region: Uint8Array, regionNames: readonly string[]): DelayDistributions {
  const rows = stats.blocks.map((b) => b.id - 1);
  return delayDistributions(n, rows, (row, v) => recvMs[row * n + v]!, region, regionNames, (row) => row + 1);
}
