// A result as sections of charts (docs/report.md): plain data that the page draws, with no drawing here,
// so what a chart shows can be checked without a browser. Sections appear by what the result holds —
// messages, blocks, faults, anonymity, joins — never by the model's name; a section or chart whose data
// is absent (an older result, a model without it) is left out.
import type { DelayDistributions } from '../models/delays.js';
import type { Result } from '../result.js';
import type { AnonymityView, JoinsView } from './extra-sections.js';
import { anonymityOf, joinsOf } from './extra-sections.js';

export interface LineSeries {
  label: string;
  y: (number | null)[];
  /** Draw the points only, no line between them. */
  points?: boolean;
  /** Hold each value until the next x (a step function). */
  step?: boolean;
}

export interface LineChart {
  kind: 'lines';
  id: string;
  title: string;
  note: string;
  xLabel: string;
  yLabel: string;
  x: number[];
  series: LineSeries[];
}

export interface BarChart {
  kind: 'bars';
  id: string;
  title: string;
  note: string;
  yLabel: string;
  categories: string[];
  series: { label: string; values: (number | null)[] }[];
}

export type Chart = LineChart | BarChart;

export interface Section {
  id: string;
  title: string;
  /** Key numbers shown above the charts, as (name, value) pairs. */
  facts: [string, string][];
  charts: Chart[];
}

/** Messages drawn on the coverage chart; the result keeps curves for up to 50 items. */
const COVERAGE_LINES = 12;
/** Points per coverage curve on the chart's shared time axis. */
const COVERAGE_POINTS = 200;

export function sections(r: Result): Section[] {
  return [
    ...propagation(r),
    ...chainSection(r),
    ...faultsSection(r),
    ...anonymitySection(anonymityOf(r)),
    ...joinsSection(joinsOf(r)),
    runSection(r),
  ]
    .map((s) => ({ ...s, charts: s.charts.filter(hasData) }))
    .filter((s) => s.charts.length > 0 || s.facts.length > 0);
}

/** A chart with nothing to draw (every block never consistent, say) is left out rather than shown empty. */
function hasData(c: Chart): boolean {
  if (c.kind === 'lines') return c.x.length > 0 && c.series.some((s) => s.y.some((y) => y !== null && Number.isFinite(y)));
  return c.categories.length > 0 && c.series.some((s) => s.values.some((v) => v !== null && Number.isFinite(v)));
}

// ---- propagation: messages on gossip, blocks on the chain ----

function propagation(r: Result): Section[] {
  const d = r.delays;
  const what = r.chain ? 'block' : 'message';
  const charts: Chart[] = [];
  const facts: [string, string][] = [];
  if (r.messages) {
    facts.push(['messages', fmt(r.messages.length)]);
    const t = r.messages.map((m) => m.t90Ms).filter((x): x is number => x !== null);
    if (t.length) facts.push(['t90, median over messages', `${fmt(median(t))} ms`]);
  }
  if (r.fairness) facts.push(['fairness (Jain)', r.fairness.jain.toFixed(4)], ['p99/p50 of node means', r.fairness.p99OverP50.toFixed(2)]);
  if (d) {
    facts.push(['receipts', fmt(d.receipts)]);
    if (d.coverage.length) charts.push(coverageChart(d, what));
    if (d.receipts > 0) charts.push(delayCdf(d, what));
    if (d.nodeMeanQuantilesMs.length) charts.push(fairnessChart(d, r.fairness?.jain ?? null, what));
    const regions = d.byRegion.filter((x) => x.p50Ms !== null);
    if (regions.length) {
      charts.push({
        kind: 'bars', id: 'delays-by-region', title: 'Delays by region',
        note: `each node's mean ${what} delay, quantiles over the region's nodes`,
        yLabel: 'ms', categories: regions.map((x) => `${x.region} (${fmt(x.nodes)})`),
        series: (['p10Ms', 'p50Ms', 'p90Ms', 'p99Ms'] as const).map((k) => ({ label: k.slice(0, -2), values: regions.map((x) => x[k]) })),
      });
    }
  } else if (r.messages?.length) {
    // A result from before the delay distributions: the per-message times are all there is.
    charts.push({
      kind: 'bars', id: 'message-times', title: 'Time to reach a share of the nodes', note: 'per message, first 50', yLabel: 'ms',
      categories: r.messages.slice(0, 50).map((_, i) => String(i)),
      series: (['t50Ms', 't90Ms', 't99Ms', 't100Ms'] as const).map((k) => ({ label: k.slice(0, -2), values: r.messages!.slice(0, 50).map((m) => m[k]) })),
    });
  }
  if (!charts.length && !facts.length) return [];
  return [{ id: 'propagation', title: r.chain ? 'Block propagation' : 'Propagation', facts, charts }];
}

/** Each curve as the share of nodes reached over one time axis shared by all (uPlot's model). */
function coverageChart(d: DelayDistributions, what: string): LineChart {
  const curves = d.coverage.slice(0, COVERAGE_LINES);
  const steps = curves[0]!.ms.length;
  const maxMs = Math.max(1, ...curves.flatMap((c) => c.ms.filter((x): x is number => x !== null)));
  const x = Array.from({ length: COVERAGE_POINTS + 1 }, (_, i) => (i * maxMs) / COVERAGE_POINTS);
  return {
    kind: 'lines', id: 'coverage', title: `Coverage over time per ${what}`,
    note: `share of all nodes that had the ${what}, from its creation (${curves.length} of ${d.coverage.length} shown; ${100 / steps} % steps)`,
    xLabel: 'ms since creation', yLabel: 'share of nodes', x,
    series: curves.map((c) => ({
      label: `${what} ${c.item}`,
      step: true,
      // The largest k with ms[k − 1] <= t: the curve is non-decreasing, so count from the start.
      y: x.map((t) => {
        let k = 0;
        while (k < steps && c.ms[k] !== null && c.ms[k]! <= t) k++;
        return k / steps;
      }),
    })),
  };
}

function delayCdf(d: DelayDistributions, what: string): LineChart {
  const { binMs, counts } = d.histogram;
  const x = [0];
  const y = [0];
  let seen = 0;
  counts.forEach((c, i) => {
    seen += c;
    x.push((i + 1) * binMs);
    y.push(seen / d.receipts);
  });
  return {
    kind: 'lines', id: 'delay-cdf', title: 'CDF of per-node delays',
    note: `every (${what}, node) receipt, from a ${counts.length}-bin histogram (${binMs} ms bins)`,
    xLabel: 'delay (ms)', yLabel: 'share of receipts', x, series: [{ label: 'receipts', y }],
  };
}

function fairnessChart(d: DelayDistributions, jain: number | null, what: string): LineChart {
  const q = d.nodeMeanQuantilesMs;
  return {
    kind: 'lines', id: 'fairness', title: 'Fairness: each node\'s mean delay',
    note: `CDF over nodes of the mean delay of the ${what}s each got${jain === null ? '' : `; Jain's index ${jain.toFixed(4)}`}`,
    xLabel: 'mean delay (ms)', yLabel: 'share of nodes', x: q, series: [{ label: 'nodes', y: q.map((_, i) => i / (q.length - 1)) }],
  };
}

// ---- the chain ----

function chainSection(r: Result): Section[] {
  const c = r.chain;
  if (!c) return [];
  const facts: [string, string][] = [
    ['blocks mined', fmt(c.blocksMined)], ['main chain', fmt(c.mainChainLength)], ['stale rate', pct(c.staleRate)],
    ['forks', fmt(c.forks)], ['deepest reorg', fmt(c.maxReorgDepth)],
    ['consistency, median', c.consistencyMsMedian === null ? '–' : `${fmt(c.consistencyMsMedian)} ms`],
  ];
  const charts: Chart[] = [];
  const blocks = [...c.blocks].sort((a, b) => a.createdMs - b.createdMs || a.id - b.id);
  if (blocks.length) {
    let mined = 0;
    let main = 0;
    charts.push({
      kind: 'lines', id: 'blocks-over-time', title: 'Blocks over time', note: 'blocks mined and those on the final chain, cumulative',
      xLabel: 'simulated time (s)', yLabel: 'blocks', x: blocks.map((b) => b.createdMs / 1000),
      series: [
        { label: 'mined', step: true, y: blocks.map(() => ++mined) },
        { label: 'main chain', step: true, y: blocks.map((b) => (b.inMainChain ? ++main : main)) },
      ],
    });
    const heights = new Map<number, { all: number; stale: number }>();
    for (const b of blocks) {
      const h = heights.get(b.height) ?? { all: 0, stale: 0 };
      h.all++;
      if (!b.inMainChain) h.stale++;
      heights.set(b.height, h);
    }
    const hs = [...heights.keys()].sort((a, b) => a - b);
    charts.push({
      kind: 'lines', id: 'forks', title: 'Forks and stale blocks', note: `per height: blocks mined and stale ones (${fmt(c.forks)} forks, stale rate ${pct(c.staleRate)})`,
      xLabel: 'height', yLabel: 'blocks', x: hs,
      series: [
        { label: 'mined at height', points: true, y: hs.map((h) => heights.get(h)!.all) },
        { label: 'stale', points: true, y: hs.map((h) => heights.get(h)!.stale) },
      ],
    });
    const byId = [...c.blocks].sort((a, b) => a.id - b.id);
    charts.push({
      kind: 'lines', id: 'consistency', title: 'Time to consistency per block',
      note: 'from creation until every node has the block in its chain for good (blocks that never got there left out); t90 for comparison',
      xLabel: 'block id', yLabel: 'ms', x: byId.map((b) => b.id),
      series: [
        { label: 'consistency', points: true, y: byId.map((b) => b.consistencyMs) },
        { label: 't90', points: true, y: byId.map((b) => b.t90Ms) },
      ],
    });
  }
  const w = c.rewards;
  charts.push({
    kind: 'bars', id: 'rewards', title: 'Rewards by role', note: 'the final chain\'s rewards, total per role; per node in the table',
    yLabel: 'reward', categories: ['miner', 'secure', 'super', 'treasury', 'unpaid'],
    series: [{ label: 'total', values: [w.miner.total, w.secure.total, w.super.total, w.treasury, w.unpaid] }],
  });
  facts.push(...(['miner', 'secure', 'super'] as const).filter((k) => w[k].nodes > 0).map((k): [string, string] => [`${k} per node (min/median/max)`, `${num(w[k].perNode.min)} / ${num(w[k].perNode.median)} / ${num(w[k].perNode.max)}`]));
  return [{ id: 'chain', title: 'Chain', facts, charts }];
}

// ---- faults ----

function faultsSection(r: Result): Section[] {
  const f = r.faults;
  if (!f) return [];
  const facts: [string, string][] = [
    ['dropped at offline nodes', fmt(f.droppedOffline)], ['dropped across partitions', fmt(f.droppedPartition)], ['lost', fmt(f.droppedLoss)],
    ['online, mean (lowest)', `${pct(f.connections.onlineShareMean)} (${pct(f.connections.onlineShareMin)})`],
    ['isolated, mean (worst)', `${pct(f.connections.isolatedShareMean)} (${pct(f.connections.isolatedShareMax)})`],
  ];
  const charts: Chart[] = [];
  const tl = f.timeline;
  if (tl) {
    charts.push({
      kind: 'lines', id: 'online', title: 'Online share over time', note: `exact at ${tl.tMs.length} evenly spaced times`,
      xLabel: 'simulated time (s)', yLabel: 'share of nodes online', x: tl.tMs.map((t) => t / 1000), series: [{ label: 'online', y: tl.onlineShare }],
    });
    const windows = [...(f.partitions ?? []).map((p, i) => ({ label: `partition ${i + 1}`, ...p, level: 1 })), ...(f.loss ?? []).map((l, i) => ({ label: `loss ${i + 1}`, ...l, level: l.rate }))];
    if (windows.length) {
      // Each window's start and end as points of its own, so a window shorter than a sample shows.
      const x = [...new Set([...tl.tMs, ...windows.flatMap((w) => [w.fromMs, w.toMs ?? Infinity])].filter((t) => Number.isFinite(t)))].sort((a, b) => a - b);
      charts.push({
        kind: 'lines', id: 'fault-windows', title: 'Partition and loss windows', note: 'partitions at 1 while they last; loss windows at their loss rate',
        xLabel: 'simulated time (s)', yLabel: 'active (rate)', x: x.map((t) => t / 1000),
        series: windows.map((w) => ({ label: w.label, step: true, y: x.map((t) => (t >= w.fromMs && t < (w.toMs ?? Infinity) ? w.level : 0)) })),
      });
    }
  }
  const cu = r.chain?.catchUp;
  if (cu) {
    facts.push(['recoveries', fmt(cu.recoveries)], ['unfinished catch-ups', fmt(cu.unfinished)]);
    if (cu.byMissed.length) {
      charts.push({
        kind: 'bars', id: 'catch-up', title: 'Catch-up times', note: 'from a node\'s return until it had every main-chain block it missed, by blocks missed',
        yLabel: 'ms', categories: cu.byMissed.map((b) => `${b.missed} (${fmt(b.count)})`),
        series: [{ label: 'mean', values: cu.byMissed.map((b) => b.meanMs) }, { label: 'max', values: cu.byMissed.map((b) => b.maxMs) }],
      });
    }
  }
  for (const p of r.chain?.partitions ?? []) {
    facts.push([`partition ${fmt(p.fromMs / 1000)}–${fmt(p.toMs / 1000)} s`, `${p.staleBlocks} stale, reorg ${p.reorgDepthAtHeal}, consistent ${p.consistencyAfterHealMs === null ? 'never' : `${fmt(p.consistencyAfterHealMs)} ms`} after heal`]);
  }
  return [{ id: 'faults', title: 'Faults', facts, charts }];
}

// ---- anonymity and joins, when the result has them ----

function anonymitySection(a: AnonymityView | null): Section[] {
  if (!a || !a.estimators.length) return [];
  return [{
    id: 'anonymity', title: 'Anonymity',
    facts: a.estimators.map((e): [string, string] => [e.name, `recall ${pct(e.recall)}${e.recallCi95 ? ` (95 % CI ${pct(e.recallCi95[0])}–${pct(e.recallCi95[1])})` : ''}, precision ${pct(e.precision)} over ${fmt(e.messages)} messages`]),
    charts: [{
      kind: 'bars', id: 'anonymity', title: 'Source estimators: recall and precision', note: 'how often the adversary named the true source (recall) and was right when it named one (precision)',
      yLabel: 'share', categories: a.estimators.map((e) => e.name),
      series: [{ label: 'recall', values: a.estimators.map((e) => e.recall) }, { label: 'precision', values: a.estimators.map((e) => e.precision) }],
    }],
  }];
}

function joinsSection(j: JoinsView | null): Section[] {
  if (!j) return [];
  const facts: [string, string][] = [['joined', fmt(j.joined)], ['synced', fmt(j.synced)], ['never synced', fmt(j.neverSynced)]];
  if (j.peakBytes !== null) facts.push(['peak storage, all online nodes', `${fmt(j.peakBytes)} bytes`]);
  const charts: Chart[] = [{
    kind: 'bars', id: 'joins', title: 'Joining nodes', note: 'nodes that joined during the run, and how many finished syncing',
    yLabel: 'nodes', categories: ['joined', 'synced', 'never synced'], series: [{ label: 'nodes', values: [j.joined, j.synced, j.neverSynced] }],
  }];
  if (j.syncMs) {
    charts.push({
      kind: 'bars', id: 'sync-time', title: 'Time to sync', note: 'from joining until the node had the chain', yLabel: 'ms',
      categories: ['p50', 'p90', 'max'], series: [{ label: 'sync time', values: [j.syncMs.p50, j.syncMs.p90, j.syncMs.max] }],
    });
  }
  return [{ id: 'joins', title: 'Joins', facts, charts }];
}

// ---- the run itself ----

function runSection(r: Result): Section {
  const p = r.profile;
  const facts: [string, string][] = [
    ['events', fmt(r.events)], ['wall', `${r.wallSeconds.toFixed(2)} s`], ['events/s', fmt(Math.round(r.eventsPerSecond))],
    ['windows', fmt(p.windows)], ['lookahead', p.lookaheadMs === null ? '∞ (one shard)' : `${+p.lookaheadMs.toFixed(3)}`],
    ['cross-shard messages', pct(p.crossShare)],
  ];
  const charts: Chart[] = [{
    kind: 'bars', id: 'shards', title: 'Per-shard busy and barrier wait', note: 'wall time each shard spent handling events and waiting at the barrier',
    yLabel: 'ms', categories: p.shards.map((s) => `shard ${s.shard}`),
    series: [{ label: 'busy', values: p.shards.map((s) => s.busyMs) }, { label: 'wait', values: p.shards.map((s) => s.waitMs) }],
  }];
  const buckets = Math.max(0, ...p.shards.map((s) => s.windowEvents?.length ?? 0));
  if (buckets > 0) {
    charts.push({
      kind: 'bars', id: 'window-events', title: 'Events per window', note: 'windows by the events a shard handled in them (powers of two)',
      yLabel: 'windows', categories: Array.from({ length: buckets }, (_, b) => bucketLabel(b)),
      series: p.shards.map((s) => ({ label: `shard ${s.shard}`, values: Array.from({ length: buckets }, (_, b) => s.windowEvents?.[b] ?? 0) })),
    });
  }
  return { id: 'run', title: 'The run', facts, charts };
}

/** Bucket 0 holds windows with no event, bucket b ≥ 1 those with 2^(b−1) to 2^b − 1. */
export function bucketLabel(b: number): string {
  if (b === 0) return '0';
  const lo = 2 ** (b - 1);
  const hi = 2 ** b - 1;
  return lo === hi ? fmt(lo) : `${compact(lo)}–${compact(hi)}`;
}

// ---- numbers ----

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.ceil(s.length / 2) - 1]!;
}

function fmt(x: number): string {
  return Math.round(x).toLocaleString('en-US');
}

function num(x: number): string {
  return Number.isInteger(x) ? fmt(x) : x.toPrecision(4);
}

function pct(x: number): string {
  return `${(100 * x).toFixed(2)} %`;
}

function compact(x: number): string {
  if (x >= 1e6) return `${+(x / 1e6).toPrecision(3)}M`;
  if (x >= 1e3) return `${+(x / 1e3).toPrecision(3)}k`;
  return String(x);
}
