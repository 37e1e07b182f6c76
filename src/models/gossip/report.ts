// The gossip model's part of the summary: one row per broadcast, then traffic and fairness.
import { ms, num, pct, table } from '../../format.js';
import { joinsLine } from '../join-log.js';
import type { AnonymitySection } from './anonymity.js';
import type { GossipSections } from './metrics.js';

export function gossipSummary(r: GossipSections, faulty: boolean): string[] {
  const shown = r.messages.slice(0, 20);
  return [
    table(
      ['message', 'origin', 'created ms', 'coverage', ...(faulty ? ['of online'] : []), 't50 ms', 't90 ms', 't99 ms', 't100 ms', 'max hops', 'mean hops', 'redundancy'],
      shown.map((m, i) => [i, m.origin, ms(m.createdMs), pct(m.coverage), ...(faulty ? [pct(m.coverageOnline)] : []), ms(m.t50Ms), ms(m.t90Ms), ms(m.t99Ms), ms(m.t100Ms), m.maxHops, m.meanHops.toFixed(2), m.redundancy.toFixed(2)]),
    ) + (r.messages.length > shown.length ? `\n… ${r.messages.length - shown.length} more in the JSON result` : ''),
    `messages sent ${num(r.network.messagesSent)}; fairness: Jain ${r.fairness.jain.toFixed(4)}, per-node mean delay p50 ${ms(r.fairness.p50Ms)} ms, p99 ${ms(r.fairness.p99Ms)} ms (p99/p50 ${r.fairness.p99OverP50.toFixed(2)})`,
    ...(r.anonymity ? [anonymitySummary(r.anonymity)] : []),
    ...(r.joins ? [`${joinsLine(r.joins)}; newcomers heard ${pct(r.joins.coverage.share)} of the ${num(r.joins.coverage.pairs)} (newcomer, later broadcast) pairs`] : []),
  ];
}

/** One line for the adversary, then one per estimator. */
function anonymitySummary(a: AnonymitySection): string {
  const who = a.adversary === 'spies' ? `${num(a.adversaryNodes)} spies` : `an eavesdropper with ${a.adversaryNodes} connection(s) to every node`;
  const head = `anonymity against ${who}: ${num(a.seen)} of ${num(a.estimators[0]?.messages ?? 0)} honest broadcasts seen; price: mean t50 ${ms(a.price.meanT50Ms)} ms, t99 ${ms(a.price.meanT99Ms)} ms, ${a.price.messagesPerBroadcast.toFixed(1)} messages a broadcast`;
  const rows = a.estimators.map((e) => `  ${e.name}: recall ${pct(e.recall)} (95% CI ${pct(e.recallCi95[0])}–${pct(e.recallCi95[1])}), precision ${pct(e.precision)}, candidates ${e.candidates.mean.toFixed(2)} (${e.candidates.entropyBits.toFixed(2)} bits), over ${num(e.messages)} broadcasts`);
  return [head, ...rows].join('\n');
}
