// Human-readable views of a result: the summary table and the per-shard profile table.
import type { Result } from './result.js';

function table(header: string[], rows: (string | number)[][]): string {
  const cells = [header, ...rows.map((r) => r.map((c) => String(c)))];
  const width = header.map((_, i) => Math.max(...cells.map((r) => r[i]!.length)));
  const line = (r: string[]) => r.map((c, i) => (i === 0 ? c.padEnd(width[i]!) : c.padStart(width[i]!))).join('  ');
  return [line(cells[0]!), width.map((w) => '-'.repeat(w)).join('  '), ...cells.slice(1).map(line)].join('\n');
}

const ms = (x: number | null) => (x === null ? '—' : x < 10 ? x.toFixed(2) : x < 1000 ? x.toFixed(1) : x.toFixed(0));
const num = (x: number) => x.toLocaleString('en-US', { maximumFractionDigits: 0 });

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
        ['message', 'origin', 'created ms', 'coverage', 't50 ms', 't90 ms', 't99 ms', 't100 ms', 'max hops', 'mean hops', 'redundancy'],
        shown.map((m, i) => [i, m.origin, ms(m.createdMs), `${(100 * m.coverage).toFixed(2)}%`, ms(m.t50Ms), ms(m.t90Ms), ms(m.t99Ms), ms(m.t100Ms), m.maxHops, m.meanHops.toFixed(2), m.redundancy.toFixed(2)]),
      ) + (r.messages.length > shown.length ? `\n… ${r.messages.length - shown.length} more in the JSON result` : ''),
    );
  }
  if (r.fairness && r.network) {
    parts.push(`messages sent ${num(r.network.messagesSent)}; fairness: Jain ${r.fairness.jain.toFixed(4)}, per-node mean delay p50 ${ms(r.fairness.p50Ms)} ms, p99 ${ms(r.fairness.p99Ms)} ms (p99/p50 ${r.fairness.p99OverP50.toFixed(2)})`);
  }
  if (r.phold) parts.push(`PHOLD: ${num(r.phold.committed)} events committed before t = ${r.phold.end}`);
  parts.push(`digest ${r.digest}`);
  return parts.join('\n\n');
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
