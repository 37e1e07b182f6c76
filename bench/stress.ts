// `npm run stress`: time to consistency under the three stress scenarios of scenarios/ (100,000 nodes,
// Bitcoin 2019 network, 1 MB blocks every 600 s on average, 3 hours), as docs/validation.md's table. The
// partition scenario is also run at seeds 1–5: whether its ten minutes cost anything depends on whether
// both sides mine a block meanwhile, which a single seed cannot show.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Result } from '../src/result.js';
import { runScenario } from '../src/run.js';
import { parseScenario } from '../src/scenario/load.js';

const root = fileURLToPath(new URL('../../', import.meta.url));
const workers = Number(process.argv[2] ?? 2);

async function run(file: string, seed?: number): Promise<Result> {
  const raw = JSON.parse(readFileSync(`${root}scenarios/${file}`, 'utf8')) as Record<string, unknown>;
  return runScenario(parseScenario(seed === undefined ? raw : { ...raw, seed }), { workers, assignment: 'contiguous', baseDir: root });
}

const s = (ms: number | null | undefined) => (ms === null || ms === undefined ? '—' : (ms / 1000).toFixed(2));
const pct = (x: number) => `${(100 * x).toFixed(1)} %`;
const rows: string[] = [];
const cases: [string, string, number | undefined][] = [
  ['10 % churn per hour', 'stress-churn.json', undefined],
  ['50 % crash at 1 h', 'stress-crash.json', undefined],
  ...[42, 1, 2, 3, 4, 5].map((seed): [string, string, number] => [`Europe cut off 1:00–1:10, seed ${seed}`, 'stress-partition-europe.json', seed]),
];
for (const [label, file, seed] of cases) {
  const r = await run(file, seed);
  const c = r.chain!;
  const f = r.faults!;
  const cu = c.catchUp!;
  const one = cu.byMissed.find((g) => g.missed === 1);
  const p = c.partitions?.[0];
  rows.push(
    `| ${label} | ${c.blocksMined} | ${pct(c.staleRate)} | ${s(c.consistencyMsMedian)} / ${s(c.consistencyMsP90)} | ` +
      `${c.blocks.filter((b) => b.consistencyMs === null).length} | ${pct(Math.min(...c.blocks.map((b) => b.coverageOnline)))} | ` +
      `${cu.recoveries} (${cu.unfinished})${one ? `; 1 missed: ${s(one.meanMs)}` : ''} | ` +
      `${p ? `${p.staleBlocks} lost, reorg ${p.reorgDepthAtHeal}, consistent ${s(p.consistencyAfterHealMs)} s after` : '—'} | ` +
      `${pct(f.connections.onlineShareMin)} | ${f.connections.meanDegree.toFixed(1)} (${f.connections.minDegree}) | ${r.wallSeconds.toFixed(1)} |`,
  );
  process.stderr.write(`  ${label}: ${r.wallSeconds.toFixed(1)} s\n`);
}
// The flash crowds: 5,000 newcomers at once on 10,000 nodes, every seed up, then 9 of 10 down.
const joinRows: string[] = [];
for (const [label, file] of [['flash crowd, seeds up', 'stress-joins.json'], ['flash crowd, 90 % of seeds down', 'stress-joins-seeds-down.json']] as const) {
  const r = await run(file);
  const j = r.joins!;
  const spread = (x: { p50: number; p90: number; max: number } | null) => (x ? `${s(x.p50)} / ${s(x.p90)} / ${s(x.max)}` : '—');
  joinRows.push(
    `| ${label} | ${j.joined} | ${j.neverConnected} | ${spread(j.firstConnectionMs)} | ${spread(j.syncMs)} | ${j.neverSynced} | ` +
      `${(r.storage!.peakBytes / 1e12).toFixed(2)} | ${r.wallSeconds.toFixed(1)} |`,
  );
  process.stderr.write(`  ${label}: ${r.wallSeconds.toFixed(1)} s\n`);
}

console.log(
  [
    `| scenario | blocks | stale | consistency median / p90 (s) | blocks never consistent | lowest coverage of online nodes | returns after missing blocks (unfinished), mean catch-up (s) | partition | lowest online share | connections of an online node: mean (fewest) | wall s (${workers} workers) |`,
    '|---|---|---|---|---|---|---|---|---|---|---|',
    ...rows,
  ].join('\n'),
);
console.log(
  [
    '',
    `| joins | joined | never got in | first connection p50 / p90 / max (s) | synced after p50 / p90 / max (s) | never synced | peak storage (TB) | wall s (${workers} workers) |`,
    '|---|---|---|---|---|---|---|---|',
    ...joinRows,
  ].join('\n'),
);
