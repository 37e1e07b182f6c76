// `npm run validate`: the chain layer against outside references, as docs/validation.md's tables.
//   1. SimBlock equivalence: scenarios/simblock-bitcoin-2019.json against SimBlock's own run (10,000
//      nodes, 100 blocks), over five seeds; each median must land within ±25 % of SimBlock's.
//   2. Published measurements of the real network, side by side, with every node of a region alike and
//      with the scenario's heterogeneity preset: the preset's t50 and t95 must land within ±25 % of
//      Decker & Wattenhofer's 6.5 s and 40 s (the rest is reported: docs/validation.md).
//   3. Decker & Wattenhofer's fork model: simulated stale rate against the one predicted from the run's
//      own propagation, within 4 binomial standard errors.
// Exit code 1 if a check fails. JSON of every run goes to bench-results/validate.json.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { ChainStats } from '../src/models/chain/metrics.js';
import { runScenario } from '../src/run.js';
import { parseScenario } from '../src/scenario/load.js';

const root = fileURLToPath(new URL('../../', import.meta.url));
const scenarioFile = (name: string) => JSON.parse(readFileSync(`${root}scenarios/${name}`, 'utf8')) as Record<string, unknown>;
const params = JSON.parse(readFileSync(`${root}data/bitcoin-network-params.json`, 'utf8')) as {
  published_measurements: {
    decker_wattenhofer_2013: { block_time_to_50pct_nodes_s: number; block_time_to_95pct_nodes_s: number };
    gervais_2016_measured_bitcoin: { median_block_propagation_s: number; stale_rate_percent: number };
  };
};

async function chainOf(raw: object): Promise<{ chain: ChainStats; wallSeconds: number }> {
  const r = await runScenario(parseScenario(raw), { workers: 1, assignment: 'contiguous', baseDir: root });
  return { chain: r.chain!, wallSeconds: r.wallSeconds };
}

const s = (ms: number | null) => (ms === null ? '—' : (ms / 1000).toFixed(2));
const pct = (x: number) => `${(100 * x).toFixed(2)} %`;
const failures: string[] = [];
const record: Record<string, unknown> = {};
const out: string[] = [];

// ---- 1. SimBlock ---------------------------------------------------------------------------------
// SimBlock (commit 5fc7f9f), run on a 2-core machine like ours: 10,000 nodes, 100 blocks, Bitcoin 2019.
const SIMBLOCK = { t50: 1150, t90: 2230, t100: 5800 };
const SEEDS = [1, 2, 3, 4, 5];
{
  const base = scenarioFile('simblock-bitcoin-2019.json');
  const rows: number[][] = [];
  for (const seed of SEEDS) {
    const { chain } = await chainOf({ ...base, seed });
    rows.push([chain.blockT50MsMedian!, chain.blockT90MsMedian!, chain.blockT100MsMedian!]);
  }
  const mean = [0, 1, 2].map((k) => rows.reduce((a, r) => a + r[k]!, 0) / rows.length);
  record.simblock = { seeds: SEEDS, perSeed: rows, mean, reference: SIMBLOCK };
  out.push('### SimBlock equivalence (10,000 nodes, 100 blocks, Bitcoin 2019 parameters)', '');
  out.push('| median over blocks | SimBlock | p2psim, mean of seeds 1–5 | range over seeds | difference | within ±25 % |', '|---|---|---|---|---|---|');
  (['t50', 't90', 't100'] as const).forEach((k, i) => {
    const ref = SIMBLOCK[k];
    const diff = mean[i]! / ref - 1;
    const ok = Math.abs(diff) <= 0.25;
    if (!ok) failures.push(`SimBlock ${k}: ${s(mean[i]!)} s vs ${s(ref)} s`);
    const lo = Math.min(...rows.map((r) => r[i]!));
    const hi = Math.max(...rows.map((r) => r[i]!));
    out.push(`| ${k} | ${s(ref)} s | ${s(mean[i]!)} s | ${s(lo)}–${s(hi)} s | ${(100 * diff).toFixed(1)} % | ${ok ? 'yes' : 'NO'} |`);
  });
  out.push('');
}

// ---- 2. Published measurements ------------------------------------------------------------------
{
  const pub = params.published_measurements;
  const file = scenarioFile('bitcoin-2015-legacy.json');
  const { heterogeneity: _preset, ...alikeFile } = file;
  const { chain } = await chainOf(file);
  const { chain: alike } = await chainOf(alikeFile);
  record.published = { chain: { ...chain, blocks: undefined, miners: undefined }, alike: { ...alike, blocks: undefined, miners: undefined } };
  out.push('### Published measurements of Bitcoin (scenarios/bitcoin-2015-legacy.json: 6,000 nodes, 2015 regions and bandwidth, legacy inv/getdata relay, 535 kB blocks, 200 blocks)', '');
  out.push('| quantity | measured | p2psim, every node of a region alike | p2psim, heterogeneity preset bitcoin-2015 | preset within ±25 % |', '|---|---|---|---|---|');
  const near = (ms: number, ref: number) => Math.abs(ms / 1000 / ref - 1) <= 0.25;
  const within = (ms: number | null, ref: number) => (ms === null ? '—' : `${near(ms, ref) ? 'yes' : 'no'} (${(100 * (ms / 1000 / ref - 1)).toFixed(0)} %)`);
  const dw = pub.decker_wattenhofer_2013;
  out.push(`| time to 50 % of nodes (Decker & Wattenhofer 2013) | ${dw.block_time_to_50pct_nodes_s} s | ${s(alike.blockT50MsMedian)} s | ${s(chain.blockT50MsMedian)} s | ${within(chain.blockT50MsMedian, dw.block_time_to_50pct_nodes_s)} |`);
  out.push(`| time to 95 % of nodes (Decker & Wattenhofer 2013) | ${dw.block_time_to_95pct_nodes_s} s | ${s(alike.blockT95MsMedian)} s | ${s(chain.blockT95MsMedian)} s | ${within(chain.blockT95MsMedian, dw.block_time_to_95pct_nodes_s)} |`);
  out.push(`| time to 99 % / 100 % of nodes | — | ${s(alike.blockT99MsMedian)} / ${s(alike.blockT100MsMedian)} s | ${s(chain.blockT99MsMedian)} / ${s(chain.blockT100MsMedian)} s | — |`);
  out.push(`| time to consistency, median / p90 | — | ${s(alike.consistencyMsMedian)} / ${s(alike.consistencyMsP90)} s | ${s(chain.consistencyMsMedian)} / ${s(chain.consistencyMsP90)} s | — |`);
  for (const [name, ms, ref] of [['t50', chain.blockT50MsMedian, dw.block_time_to_50pct_nodes_s], ['t95', chain.blockT95MsMedian, dw.block_time_to_95pct_nodes_s]] as const) {
    if (ms === null || !near(ms, ref)) failures.push(`bitcoin-2015-legacy ${name}: ${s(ms)} s vs ${ref} s`);
  }
  out.push(`| median block propagation (Gervais et al. 2016) | ${pub.gervais_2016_measured_bitcoin.median_block_propagation_s} s | ${s(alike.blockT50MsMedian)} s | ${s(chain.blockT50MsMedian)} s | ${within(chain.blockT50MsMedian, pub.gervais_2016_measured_bitcoin.median_block_propagation_s)} |`);
  const stale = (c: ChainStats) => `${pct(c.staleRate)} (${c.blocksMined - c.mainChainLength} of ${c.blocksMined}); fork model ${pct(c.deckerWattenhofer.predictedStaleRate)}`;
  out.push(`| stale rate (Gervais et al. 2016) | ${pub.gervais_2016_measured_bitcoin.stale_rate_percent} % | ${stale(alike)} | ${stale(chain)} | — |`);
  out.push('');
}

// ---- 3. Decker & Wattenhofer's fork model -------------------------------------------------------
{
  out.push('### Stale rate against the Decker–Wattenhofer fork model (300 nodes, degree 6, latency U(50, 150) ms, every node mining)', '');
  out.push('| relay | interval | blocks | predicted | simulated | 4 standard errors | agree |', '|---|---|---|---|---|---|---|');
  const rows = [];
  for (const [relay, interval, blocks, size] of [['unsolicited', 5, 20_000, 0], ['unsolicited', 20, 10_000, 0], ['inv-getdata', 5, 10_000, 0], ['unsolicited', 10, 5_000, 500_000]] as const) {
    const raw = {
      seed: 11,
      nodes: 300,
      topology: { kind: 'random-regular', degree: 6 },
      latency: { kind: 'uniform', minMs: 50, maxMs: 150 },
      ...(size > 0 ? { bandwidth: { uploadMbps: 20, downloadMbps: 20 } } : {}),
      chain: { blockIntervalS: interval, blocks, blockSizeBytes: size, miners: { count: 300 } },
      relay: { kind: relay },
      durationMs: 1e12,
    };
    const { chain } = await chainOf(raw);
    const p = chain.deckerWattenhofer.predictedStaleRate;
    const tol = 4 * Math.sqrt((p * (1 - p)) / chain.blocksMined);
    const ok = Math.abs(chain.staleRate - p) < tol;
    // With bytes to send, overlapping blocks slow each other and the model, fed the measured curves,
    // overestimates: that row is shown for the record, not checked.
    const checked = size === 0;
    if (checked && !ok) failures.push(`fork model ${relay} ${interval} s: ${pct(chain.staleRate)} vs ${pct(p)}`);
    rows.push({ relay, interval, blocks, size, predicted: p, simulated: chain.staleRate });
    out.push(`| ${relay}${size ? `, ${size / 1000} kB blocks at 20 Mbps` : ''} | ${interval} s | ${blocks} | ${pct(p)} | ${pct(chain.staleRate)} | ±${pct(tol)} | ${checked ? (ok ? 'yes' : 'NO') : `${ok ? 'yes' : 'no'} (not checked: contention)`} |`);
  }
  record.forkModel = rows;
  out.push('');
}

console.log(out.join('\n'));
mkdirSync(`${root}bench-results`, { recursive: true });
writeFileSync(`${root}bench-results/validate.json`, JSON.stringify(record, null, 2));
if (failures.length > 0) {
  console.error(`validation failed: ${failures.join('; ')}`);
  process.exit(1);
}
console.log('all checks passed');
