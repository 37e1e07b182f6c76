// The chain model's part of the summary: blocks, their propagation, miners, rewards, traffic, and
// what faults cost.
import { amount, mb, ms, num, pct, table, timeUnit } from '../../format.js';
import { joinsLine } from '../join-log.js';
import type { ChainSections, RoleRewards } from './metrics.js';

/** The chain section of the summary: one part per block of lines. */
export function chainSummary(r: ChainSections, faulty: boolean): string[] {
  const c = r.chain;
  const parts: string[] = [];
  const medians = [c.blockT50MsMedian, c.blockT90MsMedian, c.blockT95MsMedian, c.blockT100MsMedian, c.consistencyMsMedian, c.consistencyMsP90];
  // One unit for the whole section, from the typical block.
  const u = timeUnit([c.blockT100MsMedian, c.consistencyMsMedian]);
  const [t50, t90, t95, t100, cons, cons90] = medians.map(u.t);
  const dw = c.deckerWattenhofer;
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
  if (tx) {
    const t = (x: number | null) => (x === null ? '—' : ms(x));
    traffic.push(
      `transactions: ${num(tx.count)}, mean coverage ${pct(tx.meanCoverage)}, mean delay ${tx.meanDelayMs === null ? '—' : `${ms(tx.meanDelayMs)} ms`}; ` +
        `medians t50 ${t(tx.t50MsMedian)}, t95 ${t(tx.t95MsMedian)}, t99 ${t(tx.t99MsMedian)}, t100 ${t(tx.t100MsMedian)} ms`,
    );
  }
  parts.push(traffic.join('\n'));

  // With heterogeneity: who is late, by class (fast or slow, region); times within the class's own nodes.
  if (c.classes) {
    // Transactions' columns only when there are transactions, so the table stays within 100 columns.
    const txCols = tx ? ['tx t95', 'tx t99', 'tx t100'] : [];
    parts.push(
      `by node class (medians over blocks, ${u.unit}; t99 over all nodes ${u.t(c.blockT99MsMedian)}):\n` +
        table(
          ['class', 'region', 'nodes', 't50', 't95', 't99', 't100', 'consistency', 'cons. max', ...txCols],
          c.classes.map((k) => [
            k.class, k.region, num(k.nodes), u.t(k.blockT50MsMedian), u.t(k.blockT95MsMedian), u.t(k.blockT99MsMedian), u.t(k.blockT100MsMedian),
            u.t(k.consistencyMsMedian), u.t(k.consistencyMsMax), ...(tx ? [u.t(k.txT95MsMedian), u.t(k.txT99MsMedian), u.t(k.txT100MsMedian)] : []),
          ]),
        ),
    );
  }

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
  if (r.joins) {
    const dl = r.joins.downloadedBytes;
    parts.push(`${joinsLine(r.joins)}${dl ? `; each downloaded p50 ${mb(dl.p50)}` : ''}${r.storage ? `; storage peak ${mb(r.storage.peakBytes)} over all online nodes` : ''}`);
  }
  return parts;
}

