// The gossip model's part of the summary: one row per broadcast, then traffic and fairness.
import { ms, num, pct, table } from '../../format.js';
import type { GossipSections } from './metrics.js';

export function gossipSummary(r: GossipSections, faulty: boolean): string[] {
  const shown = r.messages.slice(0, 20);
  return [
    table(
      ['message', 'origin', 'created ms', 'coverage', ...(faulty ? ['of online'] : []), 't50 ms', 't90 ms', 't99 ms', 't100 ms', 'max hops', 'mean hops', 'redundancy'],
      shown.map((m, i) => [i, m.origin, ms(m.createdMs), pct(m.coverage), ...(faulty ? [pct(m.coverageOnline)] : []), ms(m.t50Ms), ms(m.t90Ms), ms(m.t99Ms), ms(m.t100Ms), m.maxHops, m.meanHops.toFixed(2), m.redundancy.toFixed(2)]),
    ) + (r.messages.length > shown.length ? `\n… ${r.messages.length - shown.length} more in the JSON result` : ''),
    `messages sent ${num(r.network.messagesSent)}; fairness: Jain ${r.fairness.jain.toFixed(4)}, per-node mean delay p50 ${ms(r.fairness.p50Ms)} ms, p99 ${ms(r.fairness.p99Ms)} ms (p99/p50 ${r.fairness.p99OverP50.toFixed(2)})`,
  ];
}
