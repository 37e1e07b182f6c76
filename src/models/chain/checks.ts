// The chain model's rules across fields; `written` is the input before defaults, for rules about
// what the user gave rather than what defaults filled in.
import { InputError } from '../../errors.js';
import { objectAt, show } from '../../scenario/wording.js';
import type { ChainScenario } from './schema.js';

// The 16 pools of chain.miners.preset "bitcoin-pools-2016" (mining_pools_bitcoin_2016, same file).
const PRESET_POOL_COUNT = 16;
const MINER_SOURCES = ['shares', 'preset', 'count'] as const;
// SimBlock's compact-block figures: they describe relay.kind "compact" and nothing else.
export const COMPACT_ONLY = ['compactShare', 'compactBytes', 'compactFailRate', 'missingShare'] as const;

/** The blockchain layer's rules; `written` is the input before defaults, for rules about what was given. */
export function checkChain(s: ChainScenario, written: Record<string, unknown>): void {
  const c = s.chain;
  if (written.protocol !== undefined) {
    throw new InputError('protocol', 'cannot be combined with chain (blocks travel as relay says); remove protocol');
  }
  if (written.workload !== undefined) {
    throw new InputError('workload', "cannot be combined with chain (blocks are the chain's workload); remove workload");
  }

  // Without `miners` the default preset applies; a written `miners` must name its one source itself.
  const writtenMiners = objectAt(objectAt(written, 'chain'), 'miners');
  const n = s.nodes;
  const m = c.miners;
  if (writtenMiners) {
    const given = MINER_SOURCES.filter((k) => writtenMiners[k] !== undefined);
    if (given.length > 1) throw new InputError('chain.miners', `must give only one of shares, preset or count, got ${given.join(' and ')}`);
    if (given.length === 0) throw new InputError('chain.miners', 'must give one of shares, preset or count, got none');
    if (writtenMiners.distribution !== undefined && given[0] !== 'count') {
      throw new InputError('chain.miners.distribution', `needs chain.miners.count, got chain.miners.${given[0]}`);
    }
  }
  let miners: number;
  if (m.shares) {
    miners = m.shares.length;
    if (miners > n) throw new InputError('chain.miners.shares', `must have at most nodes (${n}) items, got ${miners}`);
  } else if (m.count !== undefined) {
    miners = m.count;
    if (miners > n) throw new InputError('chain.miners.count', `must be <= nodes (${n}), got ${miners}`);
  } else {
    miners = PRESET_POOL_COUNT;
    if (miners > n) {
      const [field, what] = writtenMiners ? ['chain.miners.preset', 'one node per pool'] : ['chain.miners', `the default preset ${show(m.preset)}, one node per pool`];
      throw new InputError(field, `needs nodes >= ${miners} (${what}), got ${n}`);
    }
  }
  if (m.nodes) {
    if (m.nodes.length !== miners) throw new InputError('chain.miners.nodes', `must have one node per miner (${miners}), got ${m.nodes.length}`);
    const seen = new Set<number>();
    m.nodes.forEach((v, i) => {
      if (v >= n) throw new InputError(`chain.miners.nodes.${i}`, `must be < nodes (${n}), got ${v}`);
      if (seen.has(v)) throw new InputError(`chain.miners.nodes.${i}`, `is a duplicate, got ${v}`);
      seen.add(v);
    });
  }
  c.mined?.forEach((b, i) => {
    if (b.miner >= miners) throw new InputError(`chain.mined.${i}.miner`, `must be < the number of miners (${miners}), got ${b.miner}`);
    if (b.atMs >= s.durationMs) throw new InputError(`chain.mined.${i}.atMs`, `must be < durationMs (${s.durationMs}), got ${b.atMs}`);
  });
  // Secure and super nodes are drawn from the nodes that do not mine.
  const roles = c.roles.secure + c.roles.super;
  if (roles > n - miners) {
    throw new InputError('chain.roles', `secure + super must be <= nodes - miners (${n - miners}), got ${roles}`);
  }

  const r = c.rewardShares;
  const sum = r.miner + r.secure + r.super + r.treasury;
  if (Math.abs(sum - 1) > 1e-9) {
    throw new InputError('chain.rewardShares', `must sum to 1 (miner + secure + super + treasury, defaults included), got ${Number(sum.toPrecision(12))}`);
  }

  const tx = s.transactions;
  if (tx) {
    if (tx.ratePerSecond === undefined && !tx.sent) throw new InputError('transactions.ratePerSecond', 'is required (or transactions.sent)');
    tx.sent?.forEach((t, i) => {
      if (t.origin >= n) throw new InputError(`transactions.sent.${i}.origin`, `must be < nodes (${n}), got ${t.origin}`);
      if (t.atMs >= s.durationMs) throw new InputError(`transactions.sent.${i}.atMs`, `must be < durationMs (${s.durationMs}), got ${t.atMs}`);
    });
  }

  const writtenRelay = objectAt(written, 'relay');
  if (s.relay && writtenRelay && s.relay.kind !== 'compact') {
    for (const k of COMPACT_ONLY) {
      if (writtenRelay[k] !== undefined) throw new InputError(`relay.${k}`, `needs relay.kind "compact", got relay.kind ${show(s.relay.kind)}`);
    }
  }
}

