// Human-readable views of a result: the summary table and the per-shard profile table.
import { ms, num, pct, table } from './format.js';
import { modelOf } from './models/registry.js';
import type { Result } from './result.js';

export function formatSummary(r: Result): string {
  const name = r.scenario.name ? `${r.scenario.name}: ` : '';
  const model = modelOf(r);
  const head = [
    `${name}${r.model}, ${num(r.nodes)} ${model.noun}, seed ${r.seed}, ${r.workers} worker${r.workers > 1 ? 's' : ''}`,
    `${num(r.events)} events in ${r.wallSeconds.toFixed(2)} s wall (${(r.profile.simulationMs / 1000).toFixed(2)} s simulating, ${(r.eventsPerSecond / 1e6).toFixed(2)}M events/s)`,
  ];
  const parts = [head.join('\n')];
  parts.push(...model.summary(r, r.faults !== undefined));
  if (r.faults) parts.push(formatFaults(r.faults));
  parts.push(`digest ${r.digest}`);
  return parts.join('\n\n');
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
  const model = modelOf(r);
  const head = `profile: ${num(p.windows)} windows, lookahead ${p.lookaheadMs === null ? '∞ (one shard)' : `${+p.lookaheadMs.toFixed(3)}${model.timeUnit === 'units' ? ' time units' : ' ms'}`}, ${num(p.meanEventsPerWindow)} events/window, ${(100 * p.crossShare).toFixed(1)}% of messages cross shards; setup ${ms(p.setupMs)} ms, simulation ${ms(p.simulationMs)} ms`;
  return (
    head +
    '\n' +
    table(
      ['shard', 'nodes', 'events', 'windows', 'cut', 'busy ms', 'wait ms', 'wait %', 'cross sent', 'cross recv', 'largest batch', 'peak queued'],
      p.shards.map((s) => [s.shard, num(s.nodes), num(s.events), num(s.windows), s.cutWindows, ms(s.busyMs), ms(s.waitMs), `${((100 * s.waitMs) / Math.max(1e-9, s.busyMs + s.waitMs)).toFixed(1)}`, num(s.crossSent), num(s.crossReceived), num(s.largestBatch), num(s.peakQueued)]),
    )
  );
}
