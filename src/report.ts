// Human-readable views of a result: the summary table and the per-shard profile table.
import type { ChainStats, RoleRewards } from './chain-metrics.js';
import type { Result } from './result.js';

function table(header: string[], rows: (string | number)[][]): string {
  const cells = [header, ...rows.map((r) => r.map((c) => String(c)))];
  const width = header.map((_, i) => Math.max(...cells.map((r) => r[i]!.length)));
  const line = (r: string[]) => r.map((c, i) => (i === 0 ? c.padEnd(width[i]!) : c.padStart(width[i]!))).join('  ');
  return [line(cells[0]!), width.map((w) => '-'.repeat(w)).join('  '), ...cells.slice(1).map(line)].join('\n');
}

const ms = (x: number | null) => (x === null ? '—' : x < 10 ? x.toFixed(2) : x < 1000 ? x.toFixed(1) : x.toFixed(0));
const num = (x: number) => x.toLocaleString('en-US', { maximumFractionDigits: 0 });
const pct = (x: number) => `${(100 * x).toFixed(2)}%`;
// Rewards are in units of blockReward: four significant digits, whole units once large.
const amount = (x: number) => x.toLocaleString('en-US', Math.abs(x) >= 1000 ? { maximumFractionDigits: 0 } : { maximumSignificantDigits: 4 });
const mb = (bytes: number) => `${(bytes / 1e6).toLocaleString('en-US', { maximumFractionDigits: bytes < 1e8 ? 1 : 0 })} MB`;

/** Times in ms, or in s when a typical one is 10 s or more (Bitcoin's blocks): the unit and its formatter. */
function timeUnit(typical: (number | null)[]): { unit: string; t: (x: number | null) => string } {
  const seconds = typical.some((x) => x !== null && x >= 10_000);
  return seconds ? { unit: 's', t: (x) => (x === null ? '—' : ms(x / 1000)) } : { unit: 'ms', t: ms };
}

export function formatSummary(r: Result): string {
  const name = r.scenario.name ? `${r.scenario.name}: ` : '';
  const head = [
    `${name}${r.model}, ${num(r.nodes)} ${r.model === 'phold' ? 'LPs' : 'nodes'}, seed ${r.seed}, ${r.workers} worker${r.workers > 1 ? 's' : ''}`,
    `${num(r.events)} events in ${r.wallSeconds.toFixed(2)} s wall (${(r.profile.simulationMs / 1000).toFixed(2)} s simulating, ${(r.eventsPerSecond / 1e6).toFixed(2)}M events/s)`,
  ];
  const parts = [head.join('\n')];
  if (r.messages) {
    const shown = r.messages.slice(0, 20);
    parts.push(
      table(
        ['message', 'origin', 'created ms', 'coverage', ...(r.faults ? ['of online'] : []), 't50 ms', 't90 ms', 't99 ms', 't100 ms', 'max hops', 'mean hops', 'redundancy'],
        shown.map((m, i) => [i, m.origin, ms(m.createdMs), pct(m.coverage), ...(r.faults ? [pct(m.coverageOnline)] : []), ms(m.t50Ms), ms(m.t90Ms), ms(m.t99Ms), ms(m.t100Ms), m.maxHops, m.meanHops.toFixed(2), m.redundancy.toFixed(2)]),
      ) + (r.messages.length > shown.length ? `\n… ${r.messages.length - shown.length} more in the JSON result` : ''),
    );
  }
  if (r.fairness && r.network) {
    parts.push(`messages sent ${num(r.network.messagesSent)}; fairness: Jain ${r.fairness.jain.toFixed(4)}, per-node mean delay p50 ${ms(r.fairness.p50Ms)} ms, p99 ${ms(r.fairness.p99Ms)} ms (p99/p50 ${r.fairness.p99OverP50.toFixed(2)})`);
  }
  if (r.chain) parts.push(...formatChain(r.chain));
  if (r.faults) parts.push(formatFaults(r.faults));
  if (r.phold) parts.push(`PHOLD: ${num(r.phold.committed)} events committed before t = ${r.phold.end}`);
  parts.push(`digest ${r.digest}`);
  return parts.join('\n\n');
}

/** The chain section of the summary: one part per block of lines. */
function formatChain(c: ChainStats): string[] {
  const parts: string[] = [];
  const medians = [c.blockT50MsMedian, c.blockT90MsMedian, c.blockT95MsMedian, c.blockT100MsMedian, c.consistencyMsMedian, c.consistencyMsP90];
  // One unit for the whole section, from the typical block.
  const u = timeUnit([c.blockT100MsMedian, c.consistencyMsMedian]);
  const [t50, t90, t95, t100, cons, cons90] = medians.map(u.t);
  const dw = c.deckerWattenhofer;
  const faulty = c.catchUp !== null;
  parts.push(
    [
      `blocks: ${num(c.blocksMined)} mined, main chain ${num(c.mainChainLength)}, stale rate ${pct(c.staleRate)}, forks ${num(c.forks)}, deepest reorg ${num(c.maxReorgDepth)}${c.agreementShare === null ? '' : `, agreement ${pct(c.agreementShare)}`}`,
      `block medians (${u.unit}): t50 ${t50}, t90 ${t90}, t95 ${t95}, t100 ${t100}; consistency ${cons} (p90 ${cons90})`,
      `Decker & Wattenhofer: mean miner delay ${u.t(dw.meanMinerDelayMs)} ${u.unit}, predicted stale rate ${pct(dw.predictedStaleRate)} (simulated ${pct(c.staleRate)})`,
    ].join('\n'),
  );

  const shown = c.blocks.slice(0, 20);
  parts.push(
    table(
      ['block', 'height', 'miner', 'created s', 'coverage', ...(faulty ? ['of online'] : []), `t50 ${u.unit}`, `t90 ${u.unit}`, `t95 ${u.unit}`, `t100 ${u.unit}`, `consistency ${u.unit}`, 'main'],
      shown.map((x) => [x.id, x.height, x.miner, (x.createdMs / 1000).toFixed(1), pct(x.coverage), ...(faulty ? [pct(x.coverageOnline)] : []), u.t(x.t50Ms), u.t(x.t90Ms), u.t(x.t95Ms), u.t(x.t100Ms), u.t(x.consistencyMs), x.inMainChain ? 'yes' : 'no']),
    ) + (c.blocks.length > shown.length ? `\n… ${c.blocks.length - shown.length} more in the JSON result` : ''),
  );

  if (c.miners.length <= 20) {
    parts.push(
      table(
        ['miner', 'hash share', 'main blocks', 'main share'],
        c.miners.map((x) => [x.node, pct(x.hashShare), num(x.mainBlocks), pct(x.mainShare)]),
      ),
    );
  }

  const role = (name: string, x: RoleRewards) =>
    x.nodes ? [name, num(x.nodes), amount(x.total), amount(x.perNode.min), amount(x.perNode.median), amount(x.perNode.max)] : [name, 0, amount(x.total), '—', '—', '—'];
  const rw = c.rewards;
  parts.push(
    table(['rewards', 'nodes', 'total', 'min/node', 'median/node', 'max/node'], [role('miner', rw.miner), role('secure', rw.secure), role('super', rw.super)]) +
      `\ntreasury ${amount(rw.treasury)}, unpaid ${amount(rw.unpaid)}${rw.unpaid ? ' (the part of a role without nodes)' : ''}`,
  );

  const tr = c.traffic;
  const traffic = [`traffic: ${num(tr.blockMessages)} block messages (${mb(tr.blockBytes)}), ${num(tr.announcements)} announcements, ${mb(tr.transactionBytes)} of transactions`];
  const tx = c.transactions;
  if (tx) traffic.push(`transactions: ${num(tx.count)}, mean coverage ${pct(tx.meanCoverage)}, mean delay ${tx.meanDelayMs === null ? '—' : `${ms(tx.meanDelayMs)} ms`}`);
  parts.push(traffic.join('\n'));

  const faults: string[] = [];
  if (c.catchUp) {
    const cu = c.catchUp;
    const groups = cu.byMissed.map((g) => `${g.missed} missed: ${ms(g.meanMs)} ms mean, ${ms(g.maxMs)} max (${g.count})`);
    faults.push(`catch-up: ${num(cu.recoveries)} returns after missing blocks, ${num(cu.unfinished)} unfinished${groups.length ? `; ${groups.slice(0, 6).join('; ')}${groups.length > 6 ? '; …' : ''}` : ''}`);
  }
  for (const p of c.partitions ?? []) {
    faults.push(`partition ${ms(p.fromMs / 1000)}–${ms(p.toMs / 1000)} s: ${num(p.staleBlocks)} blocks lost by the losing side (reorg of ${p.reorgDepthAtHeal} at the heal), consistent ${p.consistencyAfterHealMs === null ? 'never' : `${ms(p.consistencyAfterHealMs)} ms`} after the heal`);
  }
  if (faults.length) parts.push(faults.join('\n'));
  return parts;
}

function formatFaults(f: NonNullable<Result['faults']>): string {
  const k = f.connections;
  return [
    `faults dropped ${num(f.droppedOffline)} events at offline nodes, ${num(f.droppedPartition)} messages across partitions, ${num(f.droppedLoss)} to loss`,
    `online: ${pct(k.onlineShareMean)} of nodes on average (lowest ${pct(k.onlineShareMin)}); online peers per online node ${k.meanDegree.toFixed(2)} on average, fewest ${k.minDegree}; isolated ${pct(k.isolatedShareMean)} on average (worst ${pct(k.isolatedShareMax)}) over ${k.samples} samples`,
  ].join('\n');
}

export function formatProfile(r: Result): string {
  const p = r.profile;
  const head = `profile: ${num(p.windows)} windows, lookahead ${p.lookaheadMs === null ? '∞ (one shard)' : `${+p.lookaheadMs.toFixed(3)}${r.model === 'phold' ? ' time units' : ' ms'}`}, ${num(p.meanEventsPerWindow)} events/window, ${(100 * p.crossShare).toFixed(1)}% of messages cross shards; setup ${ms(p.setupMs)} ms, simulation ${ms(p.simulationMs)} ms`;
  return (
    head +
    '\n' +
    table(
      ['shard', 'nodes', 'events', 'windows', 'cut', 'busy ms', 'wait ms', 'wait %', 'cross sent', 'cross recv', 'largest batch', 'peak queued'],
      p.shards.map((s) => [s.shard, num(s.nodes), num(s.events), num(s.windows), s.cutWindows, ms(s.busyMs), ms(s.waitMs), `${((100 * s.waitMs) / Math.max(1e-9, s.busyMs + s.waitMs)).toFixed(1)}`, num(s.crossSent), num(s.crossReceived), num(s.largestBatch), num(s.peakQueued)]),
    )
  );
}
