// The chain model: proof-of-work blocks mined on a schedule fixed before the run, relayed over the
// network unsolicited, by inv/getdata or as compact blocks, with forks, reorganizations, catch-up after
// faults, and optionally a load of transactions.
import { checkFaults, checkLinks } from '../../scenario/network-checks.js';
import type { ModelDefinition, ModelResult } from '../definition.js';
import { gather, sha256 } from '../outcomes.js';
import { COMPACT_ONLY, checkChain } from './checks.js';
import { blockDelays, chainStats, type ChainSections } from './metrics.js';
import { compileChain, type ChainPlan } from './plan.js';
import type { ChainOutcome } from './protocol.js';
import { chainSummary } from './report.js';
import { chainScenarioSchema, relaySchema, type Chain, type ChainScenario, type Relay } from './schema.js';
import { link } from './shard.js';
import { chainMemory } from './memory.js';
import { chainWindows, chainWork } from './windows.js';
import type { JoinLogOutcome } from '../join-log.js';
import { joinsSection, storageSection, syncTimes, type JoinRecords } from './joins.js';

/** Some fields of T made optional. */
type Loosen<T, K extends keyof T> = Omit<T, K> & Partial<Pick<T, K>>;

/** The chain scenario as a result echoes it. */
export type ResolvedChainScenario = Omit<ChainScenario, 'chain' | 'relay' | 'protocol' | 'workload'> & {
  chain: Omit<Chain, 'miners'> & { miners: Loosen<Chain['miners'], 'distribution'> };
  relay: Loosen<Relay, (typeof COMPACT_ONLY)[number]>;
};

/**
 * The scenario as run, every default filled in (relay's too), less the defaults that do not apply,
 * which the checks reject when written: `chain.miners.distribution` unless miners are given by count,
 * and the compact-only relay fields unless relay.kind is "compact".
 */
function resolved(s: ChainScenario): ResolvedChainScenario {
  const { distribution, ...miners } = s.chain.miners;
  const chain = { ...s.chain, miners: miners.count !== undefined ? { ...miners, distribution } : miners };
  // Without a relay section the run used relay's defaults; the echo says so.
  let relay: ResolvedChainScenario['relay'] = s.relay ?? relaySchema.parse({});
  if (relay.kind !== 'compact') {
    const { compactShare: _share, compactBytes: _bytes, compactFailRate: _fail, missingShare: _missing, ...general } = relay;
    relay = general;
  }
  // Replacing keys in a spread keeps their places, so the echo reads in the schema's order.
  const { protocol: _protocol, workload: _workload, ...out } = { ...s, chain, relay };
  return out;
}

export const chain: ModelDefinition<ChainScenario, ChainPlan, ChainSections> = {
  name: 'chain',
  schema: chainScenarioSchema,
  sizeField: 'nodes',
  noun: 'nodes',
  timeUnit: 'ms',
  check: (s, written) => {
    checkLinks(s);
    checkChain(s, written);
    checkFaults(s);
  },
  resolved,
  compile: compileChain,
  work: chainWork,
  windows: chainWindows,
  memory: chainMemory,
  network: (p) => p,
  link,
  shardModule: new URL('./shard.js', import.meta.url).href,
  result: (p, rec): ModelResult<ChainSections> => {
    const n = rec.nodes;
    const outcomes = rec.outcomes as readonly ChainOutcome[];
    const recvMs = gather<Float32Array>('recvMs', n, outcomes, rec.members);
    const tip = gather<Int32Array>('tip', n, outcomes, rec.members);
    const reorg = gather<Int32Array>('reorg', n, outcomes, rec.members);
    const txRecvMs = gather<Float32Array>('txRecvMs', n, outcomes, rec.members);
    const stats = chainStats(p, { recvMs, tip, reorg, txRecvMs, region: rec.region }, outcomes, rec.faults, rec.online);
    const delays = blockDelays(n, stats, recvMs, rec.region, p.regionNames);
    // Every node's receipt of every transaction too, when there are transactions.
    const txs = p.transactions ? [txRecvMs] : [];
    if (p.joinAtMs.length === 0) {
      return {
        // Every node's receipt of every block, and its chain (its final tip).
        digest: sha256(recvMs, tip, ...txs),
        sections: { network: { messagesSent: rec.messagesSent }, chain: stats, delays },
        perNode: { recvMs, tip, reorg },
        perItem: ['recvMs'],
        moments: p.chain.blockCreatedMs.slice(1),
      };
    }
    const joinLogs = rec.taps.map((t) => t[0]! as JoinLogOutcome);
    const joins: JoinRecords = {
      recvMs,
      joinFirstMs: gather<Float64Array>('joinFirstMs', n, joinLogs, rec.members),
      joinFullMs: gather<Float64Array>('joinFullMs', n, joinLogs, rec.members),
      baseDoneMs: gather<Float64Array>('baseDoneMs', n, outcomes, rec.members),
      ibdBytes: gather<Float64Array>('ibdBytes', n, outcomes, rec.members),
    };
    const synced = syncTimes(p, joins, stats.blocks);
    return {
      // With joins, also when each newcomer got in and had the pre-existing chain.
      digest: sha256(recvMs, tip, joins.joinFirstMs, joins.baseDoneMs, ...txs),
      sections: {
        network: { messagesSent: rec.messagesSent }, chain: stats, delays,
        joins: joinsSection(p, joins, synced), storage: storageSection(p, joins, stats.blocks, rec.online),
      },
      perNode: { recvMs, tip, reorg, joinFirstMs: joins.joinFirstMs, joinFullMs: joins.joinFullMs, baseDoneMs: joins.baseDoneMs, synced },
      perItem: ['recvMs'],
      moments: p.chain.blockCreatedMs.slice(1),
    };
  },
  summary: chainSummary,
};
