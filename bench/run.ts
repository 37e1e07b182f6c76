// `npm run bench`: the performance tables of docs/benchmarks.md. Every run is a fresh process (bench/one.ts);
// each cell is the median of --runs runs. Never run it beside other heavy work: the figures would be noise.
//
//   npm run bench                                   all sections
//   npm run bench -- --only scaling --workers 1,2,4,8,16 --sizes 1000000
//   npm run bench -- --only simblock --simblock ~/src/simblock   (or P2PSIM_SIMBLOCK=~/src/simblock)
import { execFile, execFileSync, spawn } from 'node:child_process';
import { cpus } from 'node:os';
import { promisify } from 'node:util';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Command, Option } from 'commander';
import type { QueueCost } from './queue.js';
import { benchTopology } from './topology.js';
import { ASSIGNMENT_KINDS } from '../src/engine/assignment.js';

interface Sample {
  nodes: number;
  workers: number;
  events: number;
  setupMs: number;
  simMs: number;
  totalMs: number;
  eventsPerSecond: number;
  waitShare: number;
  crossShare: number;
  windows: number;
  committed: number | null;
  peakRssBytes: number;
  cpuMs: number;
  digest: string;
}

const ONE = fileURLToPath(new URL('./one.js', import.meta.url));
const PROBE = fileURLToPath(new URL('./probe.js', import.meta.url));
const BARRIER_PROBE = fileURLToPath(new URL('./barrier-probe.js', import.meta.url));
const QUEUE = fileURLToPath(new URL('./queue.js', import.meta.url));
const SECTIONS = ['core', 'hugepages', 'scaling', 'work', 'queue', 'phold', 'chain', 'joins', 'txload', 'contention', 'simblock', 'heterogeneity', 'topology', 'anonymity', 'machine'] as const;

const program = new Command('bench')
  .addOption(new Option('--only <sections>', `comma-separated: ${SECTIONS.join(', ')}`).default(SECTIONS.join(',')))
  .option('--runs <n>', 'runs per cell (median reported)', '3')
  .option('--sizes <list>', 'node counts for core and scaling', '')
  .option('--workers <list>', 'worker counts for scaling and phold', '')
  .option('--out <dir>', 'where the JSON of all samples goes', 'bench-results')
  .addOption(new Option('--partition <kind>', 'node-to-shard assignment for scaling').choices(ASSIGNMENT_KINDS).default(ASSIGNMENT_KINDS[0]))
  .option('--simblock <dir>', "a checkout of SimBlock's source for the simblock section (else $P2PSIM_SIMBLOCK)")
  .parse();
const opts = program.opts<{ only: string; runs: string; sizes: string; workers: string; out: string; partition: string; simblock?: string }>();
const only = new Set(opts.only.split(','));
const runs = Number(opts.runs);
const list = (s: string, fallback: number[]) => (s ? s.split(',').map(Number) : fallback);

function gossip(nodes: number, protocol: 'flood' | 'diffusion', net: 'rr' | 'bitcoin'): object {
  return {
    nodes,
    seed: 42,
    topology: net === 'rr' ? { kind: 'random-regular', degree: 8 } : { kind: 'bitcoin', outbound: 8, maxInbound: 125 },
    latency: net === 'rr' ? { kind: 'constant', ms: 50 } : { kind: 'regions', preset: 'bitcoin-2019' },
    protocol: protocol === 'flood' ? { kind: 'flood' } : { kind: 'diffusion', meanDelayMs: 2000 },
    workload: { count: 1, origins: [0] },
  };
}

/** The flood over random-regular 8 with uniform 20–200 ms latencies. */
function uniformFlood(nodes: number): object {
  return { ...gossip(nodes, 'flood', 'rr'), latency: { kind: 'uniform', minMs: 20, maxMs: 200 } };
}

/** A scenario shipped in scenarios/ (`name` without .json), as its JSON. */
function shipped<T = object>(name: string): T {
  return JSON.parse(readFileSync(fileURLToPath(new URL(`../../scenarios/${name}.json`, import.meta.url)), 'utf8')) as T;
}

/** The scaling workloads: each topology (with its latency, see `gossip`) under each protocol. */
const WORKLOADS = (['rr', 'bitcoin'] as const).flatMap((net) => (['flood', 'diffusion'] as const).map((protocol) => ({ net, protocol, topology: net === 'rr' ? 'random-regular' : 'bitcoin' })));

/**
 * Why runs cannot be pinned to a CPU here, or null. The work and machine sections pin with taskset and
 * are skipped without it; anything else that fails in them (a digest that differs) still fails the bench.
 */
function cannotPin(): string | null {
  try {
    execFileSync('taskset', ['-c', '0', process.execPath, '-e', ''], { stdio: 'ignore' });
    return null;
  } catch (e) {
    return `skipped: ${(e as Error).message.split('\n')[0]} (needs Linux taskset)`;
  }
}

/**
 * One run; with `cpu`, the whole process is pinned to that CPU (taskset); with `tunables`, the run's
 * GLIBC_TUNABLES. Workers 'default': the CLI's choice.
 */
function sample(scenario: object, workers: number | 'default', partition = 'contiguous', cpu?: number, tunables?: string): Sample {
  const args = [ONE, JSON.stringify(scenario), String(workers), partition];
  const [cmd, argv] = cpu === undefined ? [process.execPath, args] : ['taskset', ['-c', String(cpu), process.execPath, ...args]];
  const env = tunables === undefined ? process.env : { ...process.env, GLIBC_TUNABLES: tunables };
  const out = execFileSync(cmd, argv, { encoding: 'utf8', maxBuffer: 1 << 20, env });
  return JSON.parse(out.trim().split('\n').pop()!) as Sample;
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[s.length >> 1]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
}

interface Cell {
  label: string;
  scenario: object;
  workers: number | 'default';
  partition?: string;
  cpu?: number;
  tunables?: string;
}

/**
 * Each cell's median over `runs` fresh runs, taken round-robin over the cells (run 1 of every cell,
 * then run 2, ...): this VM's speed drifts over minutes, and the cells of one table, compared as
 * ratios, should see the same drift. Every run of a cell must give the same digest.
 */
function measureAll(cells: Cell[]): Sample[] {
  const xs: Sample[][] = cells.map(() => []);
  for (let i = 0; i < runs; i++) cells.forEach((c, k) => xs[k]!.push(sample(c.scenario, c.workers, c.partition, c.cpu, c.tunables)));
  return cells.map((c, k) => summarize(c.label, c.workers, xs[k]!));
}

function measure(label: string, scenario: object, workers: number): Sample {
  return measureAll([{ label, scenario, workers }])[0]!;
}

/** The median of each field, and a check that every run gave the same digest. */
function summarize(label: string, workers: number | 'default', xs: Sample[]): Sample {
  if (new Set(xs.map((x) => x.digest)).size !== 1) throw new Error(`${label}: runs disagree on the digest`);
  const m = (k: keyof Sample) => median(xs.map((x) => x[k] as number));
  const result: Sample = {
    ...xs[0]!,
    setupMs: m('setupMs'), simMs: m('simMs'), totalMs: m('totalMs'), eventsPerSecond: m('eventsPerSecond'),
    waitShare: m('waitShare'), peakRssBytes: m('peakRssBytes'), cpuMs: m('cpuMs'),
  };
  all.push({ label, ...result, runs: xs });
  process.stderr.write(`  ${label}, ${workers === 'default' ? `default (${result.workers})` : workers}w: ${(result.simMs / 1000).toFixed(2)} s, ${(result.eventsPerSecond / 1e6).toFixed(2)}M ev/s\n`);
  return result;
}

function table(header: string[], rows: (string | number)[][]): string {
  return [`| ${header.join(' | ')} |`, `|${header.map(() => '---').join('|')}|`, ...rows.map((r) => `| ${r.join(' | ')} |`)].join('\n');
}

const all: object[] = [];
const s = (ms: number) => (ms / 1000).toFixed(2);
const meps = (x: number) => (x / 1e6).toFixed(2);
const fmtN = (n: number) => (n >= 1e6 ? `${n / 1e6}M` : `${n / 1e3}k`);

if (only.has('core')) {
  console.log('\n### One shard: flood and diffusion over random-regular degree 8 (diffusion mean 2 s)\n');
  const rows: (string | number)[][] = [];
  for (const nodes of list(opts.sizes, [10_000, 100_000, 1_000_000])) {
    for (const protocol of ['flood', 'diffusion'] as const) {
      const r = measure(`core ${protocol} ${nodes}`, gossip(nodes, protocol, 'rr'), 1);
      rows.push([protocol, fmtN(nodes), '50 ms', s(r.setupMs), s(r.simMs), r.events.toLocaleString('en-US'), meps(r.eventsPerSecond), (r.peakRssBytes / 2 ** 20).toFixed(0), (r.peakRssBytes / nodes).toFixed(0)]);
    }
    // Distinct latencies, as every realistic model has: each relay's copies arrive at distinct times.
    const r = measure(`core flood uniform ${nodes}`, uniformFlood(nodes), 1);
    rows.push(['flood', fmtN(nodes), 'uniform 20–200 ms', s(r.setupMs), s(r.simMs), r.events.toLocaleString('en-US'), meps(r.eventsPerSecond), (r.peakRssBytes / 2 ** 20).toFixed(0), (r.peakRssBytes / nodes).toFixed(0)]);
  }
  console.log(table(['protocol', 'nodes', 'latency', 'graph build s', 'simulation s', 'events', 'M events/s', 'peak RSS MiB', 'bytes/node'], rows));
}

if (only.has('hugepages')) {
  // glibc's huge-page tunable asks the kernel for 2 MiB pages for the big typed arrays: fewer TLB misses,
  // but each first touch faults in and zeroes 2 MiB. On a VM whose balloon hands free 2 MiB blocks back to
  // its host, every such page is fresh host memory too. Which wins depends on the machine, so it is
  // measured here, each run a fresh process, with the tunable and without (docs/cli.md, "Huge pages").
  const thp = '/sys/kernel/mm/transparent_hugepage/enabled';
  const mode = existsSync(thp) ? (/\[(\w+)\]/.exec(readFileSync(thp, 'utf8'))?.[1] ?? 'unknown') : null;
  console.log(`\n### Huge pages: glibc.malloc.hugetlb=1 against 0, one worker (transparent huge pages: ${mode ?? 'none'})\n`);
  if (process.platform !== 'linux' || mode === null || mode === 'never') {
    console.log('skipped: needs Linux with transparent huge pages');
  } else {
    const simblock = shipped('simblock-bitcoin-2019');
    const n = list(opts.sizes, [1_000_000]).at(-1)!;
    const workloads: [string, object][] = [
      [`random-regular 8, constant 50 ms, ${fmtN(n)} flood`, gossip(n, 'flood', 'rr')],
      [`random-regular 8, uniform 20–200 ms, ${fmtN(n)} flood`, uniformFlood(n)],
      [`bitcoin, 2019 regions, ${fmtN(n)} flood`, gossip(n, 'flood', 'bitcoin')],
      ['SimBlock scenario, 10k nodes, 100 blocks', simblock],
    ];
    const cells: Cell[] = workloads.flatMap(([label, scenario]) => [1, 0].map((on) => ({ label: `hugepages ${label}, hugetlb=${on}`, scenario, workers: 1, tunables: `glibc.malloc.hugetlb=${on}` })));
    const r = measureAll(cells);
    const rows = workloads.map(([label], k) => {
      const [on, off] = [r[2 * k]!, r[2 * k + 1]!];
      return [label, s(on.simMs), s(off.simMs), (on.simMs / off.simMs).toFixed(2), s(on.totalMs), s(off.totalMs), (on.totalMs / off.totalMs).toFixed(2)];
    });
    console.log(table(['workload', 'simulation s, huge', 'simulation s, not', 'ratio', 'wall s, huge', 'wall s, not', 'ratio'], rows));
  }
}

if (only.has('scaling')) {
  console.log(`\n### Worker scaling (random-regular 8 + constant 50 ms; bitcoin topology + bitcoin-2019 regions; ${opts.partition} partition)\n`);
  const rows: (string | number)[][] = [];
  for (const nodes of list(opts.sizes, [100_000, 1_000_000])) {
    for (const { net, protocol, topology } of WORKLOADS) {
      const workers = list(opts.workers, [1, 2, 4]);
      const cells: Cell[] = workers.map((w) => ({ label: `scaling ${net} ${protocol} ${nodes}`, scenario: gossip(nodes, protocol, net), workers: w, partition: opts.partition }));
      const results = measureAll(cells);
      const base = results[workers.indexOf(1)]?.simMs;
      results.forEach((r, k) => {
        rows.push([topology, protocol, fmtN(nodes), workers[k]!, s(r.simMs), meps(r.eventsPerSecond), base ? (base / r.simMs).toFixed(2) : '—', `${(100 * r.waitShare).toFixed(0)}%`, `${(100 * r.crossShare).toFixed(0)}%`]);
      });
    }
  }
  console.log(table(['topology', 'protocol', 'nodes', 'workers', 'simulation s', 'M events/s', 'speedup', 'barrier wait', 'cross-shard'], rows));
}

if (only.has('work')) {
  // What sharding adds to the work: 1 and 2 workers with the whole process pinned to one CPU, so the two
  // shards' work adds up in the wall time. 2 x (1 shard) / (2 shards) is then about the most 2 workers
  // can gain on 2 CPUs, whatever the barrier and the CPUs do; it reads low, since the two threads also
  // switch and share one CPU's caches. The shards do not spin at the barrier here: Node counts the one
  // CPU it may use. Each window then costs a thread switch and the caches' refill (about 26 µs on the
  // 2-core VM, docs/benchmarks.md, "Where SimBlock's two workers lose time"), which two free cores do
  // not pay, so the table shows the windows and the time added per window beside the ratio.
  console.log(`\n### Work: 1 and 2 workers on one CPU (taskset -c 0; ${opts.partition} partition)\n`);
  const skipped = cannotPin();
  if (skipped !== null) {
    console.log(skipped);
  } else {
    const rows: (string | number)[][] = [];
    const pinned = (label: string, scenario: object, topology: string, protocol: string, nodes: number) => {
      const [one, two] = measureAll([1, 2].map((w) => ({ label, scenario, workers: w, partition: opts.partition, cpu: 0 })));
      const work = two!.simMs / one!.simMs;
      const perWindowUs = (1000 * (two!.simMs - one!.simMs)) / two!.windows;
      rows.push([topology, protocol, fmtN(nodes), s(one!.simMs), s(two!.simMs), work.toFixed(2), (2 / work).toFixed(2), two!.windows.toLocaleString('en-US'), perWindowUs.toFixed(0)]);
    };
    for (const nodes of list(opts.sizes, [1_000_000])) {
      for (const { net, protocol, topology } of WORKLOADS) pinned(`work ${net} ${protocol} ${nodes}`, gossip(nodes, protocol, net), topology, protocol, nodes);
      // Distinct latencies: every relay's copies arrive at distinct times.
      pinned(`work rr uniform flood ${nodes}`, uniformFlood(nodes), 'random-regular, uniform 20–200 ms', 'flood', nodes);
    }
    const simblock = shipped('simblock-bitcoin-2019');
    pinned('work simblock 10k', simblock, 'SimBlock scenario, 100 blocks', 'chain (compact)', 10_000);
    console.log(table(['topology', 'protocol', 'nodes', '1 shard s', '2 shards s', 'work of 2 / 1', 'speedup ceiling on 2 CPUs', 'windows at 2', 'µs added a window'], rows));
  }
}

if (only.has('queue')) {
  // The queue alone, with no graph or model around it; each cell in a fresh process.
  console.log('\n### Event queue alone: ns per run (500k runs of one time a wave, median of 7 waves)\n');
  const rows: (string | number)[][] = [];
  for (const perRun of [1, 3, 7]) {
    for (const order of ['random', 'sorted'] as const) {
      const c = JSON.parse(execFileSync(process.execPath, [QUEUE, '500000', String(perRun), order], { encoding: 'utf8' })) as QueueCost;
      all.push({ label: `queue ${perRun} ${order}`, ...c });
      rows.push([perRun, order === 'random' ? 'random' : 'in key order', c.pushNs.toFixed(0), c.sortNs.toFixed(0), c.popNs.toFixed(0)]);
    }
  }
  console.log(table(['events a run', 'sources pushed', 'push', 'sort', 'pop'], rows));
}

if (only.has('phold')) {
  console.log('\n### PHOLD (ROSS definition: remote 0.25, mean = lookahead = 1)\n');
  const rows: (string | number)[][] = [];
  for (const [lps, end] of [[100_000, 101], [1_024, 100_000]] as const) {
    const workers = list(opts.workers, [1, 2]);
    const results = measureAll(workers.map((w) => ({ label: `phold ${lps}`, scenario: { model: 'phold', lps, end, seed: 42 }, workers: w })));
    results.forEach((r, k) => rows.push([lps.toLocaleString('en-US'), end, workers[k]!, (r.committed ?? 0).toLocaleString('en-US'), s(r.simMs), meps(r.eventsPerSecond)]));
  }
  console.log(table(['LPs', 'end', 'workers', 'committed events', 'simulation s', 'M events/s'], rows));
}

if (only.has('chain')) {
  // SimBlock's Bitcoin 2019 setup at 100,000 nodes for 3 blocks: SimBlock itself took 352 s and 2.6 GB
  // on a 2-core machine like ours. Times here are whole runs, graph build and start-up included.
  console.log('\n### Chain: SimBlock Bitcoin 2019 scenario at 100,000 nodes, 3 blocks (SimBlock: 352 s, 2.6 GB)\n');
  const base = shipped<{ chain: Record<string, unknown> & { miners: object } }>('simblock-bitcoin-2019');
  const scenario = { ...base, nodes: 100_000, chain: { ...base.chain, blocks: 3, miners: { count: 100_000, distribution: 'normal' } } };
  const rows: (string | number)[][] = [];
  const workers = list(opts.workers, [1, 2]);
  const results = measureAll(workers.map((w) => ({ label: 'chain simblock 100k', scenario, workers: w })));
  results.forEach((r, k) => {
    rows.push([workers[k]!, s(r.totalMs), s(r.simMs), r.events.toLocaleString('en-US'), meps(r.eventsPerSecond), (r.peakRssBytes / 2 ** 20).toFixed(0), (352_000 / r.totalMs).toFixed(0)]);
  });
  console.log(table(['workers', 'wall s', 'simulation s', 'events', 'M events/s', 'peak RSS MiB', 'faster than SimBlock'], rows));
}

if (only.has('joins')) {
  // Newcomers at scale: 10,000 nodes join a 100,000-node Bitcoin 2019 network over its first 10 minutes
  // and each downloads a pre-existing chain of 1,000 blocks of 1 MB (headers first, 8 blocks in flight).
  console.log('\n### Joins: 10,000 newcomers sync a 1,000-block chain on a 100,000-node network\n');
  const scenario = {
    seed: 42,
    nodes: 100_000,
    topology: { kind: 'bitcoin', outbound: 8, maxInbound: 125 },
    latency: { kind: 'regions', preset: 'bitcoin-2019' },
    bandwidth: { preset: 'bitcoin-2019' },
    chain: { blockIntervalS: 600, blockSizeBytes: 1_000_000, initialHeight: 1000, verifyMs: 10 },
    relay: { kind: 'compact' },
    joins: [{ ratePerSecond: 10_000 / 600, fromMs: 0, toMs: 600_000 }],
    bootstrap: { seeds: 16 },
    durationMs: 3_600_000,
  };
  const rows: (string | number)[][] = [];
  const workers = list(opts.workers, [1, 2]);
  const results = measureAll(workers.map((w) => ({ label: 'joins 100k + 10k, 1,000 blocks', scenario, workers: w })));
  results.forEach((r, k) => {
    rows.push([workers[k]!, s(r.totalMs), s(r.simMs), r.events.toLocaleString('en-US'), meps(r.eventsPerSecond), (r.peakRssBytes / 2 ** 20).toFixed(0)]);
  });
  console.log(table(['workers', 'wall s', 'simulation s', 'events', 'M events/s', 'peak RSS MiB'], rows));
}

if (only.has('txload')) {
  // Bitcoin's transaction load with invs batched per timer tick (src/models/chain/tx-relay.ts).
  console.log('\n### Transactions: 10,000 nodes, 7 a second, a block every 600 s, one simulated hour\n');
  const scenario = shipped('chain-tx-10k-hour');
  // One worker, and the count a user gets without --workers (the aim is for what users run).
  const workers: (number | 'default')[] = opts.workers ? list(opts.workers, []) : [1, 'default'];
  const results = measureAll(workers.map((w) => ({ label: 'txload 10k 1h', scenario, workers: w })));
  const rows = results.map((r, k) => [workers[k] === 'default' ? `default (${r.workers})` : r.workers, s(r.totalMs), s(r.simMs), r.events.toLocaleString('en-US'), meps(r.eventsPerSecond), (r.peakRssBytes / 2 ** 20).toFixed(0)]);
  console.log(table(['workers', 'wall s', 'simulation s', 'events', 'M events/s', 'peak RSS MiB'], rows));
}

if (only.has('contention')) {
  // The default worker count on a machine that is not idle: each workload at 1 and 2 workers and at the
  // default, first alone, then beside one CPU-bound process this section starts and stops. With it, the
  // default must never be more than 1.5x slower than 1 worker; alone, it must not pick 2 workers for
  // windows of a few dozen events, or for a run too short to pay for V8's threads, unless they are faster.
  console.log('\n### Contention: the default worker count, alone and beside one CPU-bound process\n');
  const tiny = {
    name: 'contention: 5,000 nodes, 20 s blocks, churn, a partition and 2 % loss, 25 min', seed: 5, nodes: 5000,
    topology: { kind: 'bitcoin', outbound: 8, maxInbound: 125 },
    latency: { kind: 'regions', preset: 'bitcoin-2019', distribution: 'pareto' }, bandwidth: { preset: 'bitcoin-2019' },
    chain: { blockIntervalS: 20 }, relay: { kind: 'compact' },
    faults: [
      { kind: 'churn', share: 0.2, session: { kind: 'exponential', meanMs: 600_000 }, downtime: { kind: 'exponential', meanMs: 120_000 } },
      { kind: 'partition', fromMs: 300_000, toMs: 420_000, regions: ['EUROPE'] },
      { kind: 'loss', rate: 0.02 },
    ],
    durationMs: 1_500_000,
  };
  const simblock = shipped<{ chain: object }>('simblock-bitcoin-2019');
  // --sizes N: both workloads at N nodes (a quick check of the section itself).
  const sized = (x: { chain: object }, nodes: number | undefined) => (nodes === undefined ? x : { ...x, nodes, chain: { ...x.chain, miners: { count: nodes, distribution: 'normal' } } });
  const size = opts.sizes ? list(opts.sizes, [])[0] : undefined;
  // A short run: 2 workers leave V8's compiler and collector no core of their own (src/default-workers.ts).
  const short = { ...shipped<object>('stress-crash'), nodes: size ?? 10_000 };
  const workloads = [['5k chain, tiny windows', sized(tiny, size)], ['SimBlock 10k, 100 blocks', sized(simblock, size)], ['10k chain, 3 h, a short run', short]] as const;
  const counts = ['default', 1, 2] as const;
  const rows: (string | number)[][] = [];
  for (const loaded of [false, true]) {
    // A competitor in its own process: one core's worth of arithmetic until this section kills it.
    const competitor = loaded ? spawn(process.execPath, ['-e', 'let x = 0; for (;;) x = (x * 1103515245 + 12345) | 0;'], { stdio: 'ignore' }) : null;
    try {
      // Under load 2 workers can take minutes a run (a time slice a window): measured once, not per run.
      for (const [name, scenario] of workloads) {
        const cells: Cell[] = counts.filter((w) => !(loaded && w === 2)).map((w) => ({ label: `contention ${name}${loaded ? ' loaded' : ''}`, scenario, workers: w }));
        const r = measureAll(cells);
        const one = r[cells.findIndex((c) => c.workers === 1)]!;
        r.forEach((x, k) => rows.push([name, loaded ? 'one CPU-bound process' : 'no competitor', cells[k]!.workers === 'default' ? `default (${x.workers})` : x.workers, s(x.totalMs), s(x.simMs), (x.simMs / one.simMs).toFixed(2), x.windows.toLocaleString('en-US'), (x.events / Math.max(1, x.windows)).toFixed(0)]));
      }
    } finally {
      if (competitor?.pid !== undefined) process.kill(competitor.pid);
    }
  }
  console.log(table(['workload', 'machine', 'workers', 'wall s', 'simulation s', 'simulation / 1 worker', 'windows', 'events a window'], rows));
}

if (only.has('simblock')) {
  // SimBlock itself on the scenario of scenarios/simblock-bitcoin-2019.json, side by side. Nothing is
  // fetched: SimBlock's source is a checkout given with --simblock or $P2PSIM_SIMBLOCK; its
  // SimulationConfiguration is set to the node count and block height of the run, and it is compiled
  // with javac into a temporary directory, run there, and removed.
  console.log("\n### SimBlock side by side (SimBlock's own run against p2psim's, same scenario)\n");
  const dir = opts.simblock ?? process.env.P2PSIM_SIMBLOCK;
  const java = ['java', 'javac'].every((cmd) => {
    try {
      execFileSync(cmd, ['-version'], { stdio: 'ignore' });
      return true;
    } catch {
      return false;
    }
  });
  const source = dir ? join(dir, 'simulator', 'src', 'main', 'java') : '';
  if (!java) {
    console.log('skipped: no java and javac on PATH (a JDK, e.g. Debian\'s default-jdk)');
  } else if (!dir) {
    console.log("skipped: SimBlock's source not given (--simblock DIR or P2PSIM_SIMBLOCK=DIR, a checkout of dsg-titech/simblock)");
  } else if (!existsSync(source)) {
    console.log(`skipped: ${source} does not exist (--simblock must name a checkout of dsg-titech/simblock)`);
  } else {
    const base = shipped<{ nodes: number; chain: Record<string, unknown> & { blocks: number } }>('simblock-bitcoin-2019');
    const nodes = list(opts.sizes, [base.nodes])[0]!;
    const scenario = { ...base, nodes, chain: { ...base.chain, miners: { count: nodes, distribution: 'normal' } } };
    const blocks = base.chain.blocks;
    const work = mkdtempSync(join(tmpdir(), 'p2psim-simblock-'));
    try {
      cpSync(source, join(work, 'src'), { recursive: true });
      const config = join(work, 'src', 'simblock', 'settings', 'SimulationConfiguration.java');
      const text = readFileSync(config, 'utf8')
        .replace(/^(\s*public static final int NUM_OF_NODES\s*=\s*)\d+;/m, `$1${nodes};`)
        .replace(/^(\s*public static final int END_BLOCK_HEIGHT\s*=\s*)\d+;/m, `$1${blocks};`);
      if (!text.includes(`NUM_OF_NODES = ${nodes};`) || !text.includes(`END_BLOCK_HEIGHT = ${blocks};`)) throw new Error(`${config}: NUM_OF_NODES or END_BLOCK_HEIGHT not found`);
      writeFileSync(config, text);
      const javaFiles = (readdirSync(join(work, 'src'), { recursive: true }) as string[]).filter((f) => f.endsWith('.java')).map((f) => join(work, 'src', f));
      execFileSync('javac', ['-encoding', 'UTF-8', '-nowarn', '-d', join(work, 'classes'), ...javaFiles], { stdio: 'ignore' });
      // SimBlock finds simulator.conf on its class path and writes to ../output/ beside it.
      mkdirSync(join(work, 'conf'));
      mkdirSync(join(work, 'output', 'graph'), { recursive: true });
      writeFileSync(join(work, 'conf', 'simulator.conf'), '');
      const simblockMs: number[] = [];
      const ours: Sample[][] = [[], []];
      for (let i = 0; i < runs; i++) {
        const started = performance.now();
        execFileSync('java', ['-Dfile.encoding=UTF-8', '-cp', `${join(work, 'classes')}:${join(work, 'conf')}`, 'simblock.simulator.Main'], { cwd: work, stdio: 'ignore', maxBuffer: 1 << 30 });
        simblockMs.push(performance.now() - started);
        ours[0]!.push(sample(scenario, 1));
        ours[1]!.push(sample(scenario, 'default'));
      }
      const sb = median(simblockMs);
      const [one, def] = [summarize('simblock p2psim', 1, ours[0]!), summarize('simblock p2psim', 'default', ours[1]!)];
      all.push({ label: 'simblock itself', nodes, blocks, runsMs: simblockMs });
      console.log(table(['simulator', 'workers', 'wall s', 'SimBlock / this'], [
        ['SimBlock', 1, s(sb), '1.00'],
        ['p2psim', 1, s(one.totalMs), (sb / one.totalMs).toFixed(1)],
        ['p2psim', `default (${def.workers})`, s(def.totalMs), (sb / def.totalMs).toFixed(1)],
      ]));
      console.log(`\n${nodes.toLocaleString('en-US')} nodes, ${blocks} blocks; wall times of whole processes (JVM and Node start-up included), medians of ${runs}`);
    } finally {
      rmSync(work, { recursive: true, force: true });
    }
  }
}

if (only.has('heterogeneity')) {
  // Per-node heterogeneity moves what happens (other events, other times), so the comparison is per
  // event: events per second with and without it, on the sends that read per-node bandwidth (sized
  // messages) and, for the chain, validation and processing per node. Setup includes building each
  // shard's per-node bandwidth table.
  console.log('\n### Heterogeneity: the same networks with every node alike and with per-node traits (1 worker)\n');
  const base = shipped<{ chain: Record<string, unknown> & { miners: object } }>('simblock-bitcoin-2019');
  const chain = { ...base, nodes: 100_000, chain: { ...base.chain, blocks: 3, miners: { count: 100_000, distribution: 'normal' } } };
  const flood = { ...gossip(300_000, 'flood', 'bitcoin'), bandwidth: { preset: 'bitcoin-2019' }, workload: { count: 1, origins: [0], sizeBytes: 500 } };
  const traits = { bandwidth: 'lognormal', bandwidthSigma: 1, slow: { share: 0.1, bandwidthFactor: 0.2 } };
  const cells: Cell[] = [
    { label: 'chain simblock 100k, alike', scenario: chain, workers: 1 },
    { label: 'chain simblock 100k, heterogeneous', scenario: { ...chain, heterogeneity: { ...traits, speedSigma: 0.5, verifyMsPerMB: 100, slow: { ...traits.slow, speedFactor: 4 } } }, workers: 1 },
    { label: 'flood 300k 500 B, alike', scenario: flood, workers: 1 },
    { label: 'flood 300k 500 B, heterogeneous', scenario: { ...flood, heterogeneity: traits }, workers: 1 },
  ];
  const r = measureAll(cells);
  const rows = cells.map((c, k) => [c.label, s(r[k]!.setupMs), s(r[k]!.simMs), r[k]!.events.toLocaleString('en-US'), meps(r[k]!.eventsPerSecond), (r[k]!.peakRssBytes / 2 ** 20).toFixed(0)]);
  console.log(table(['run', 'setup s', 'simulation s', 'events', 'M events/s', 'peak RSS MiB'], rows));
  console.log(`\nevents/s heterogeneous / alike: chain ${(r[1]!.eventsPerSecond / r[0]!.eventsPerSecond).toFixed(3)}, flood ${(r[3]!.eventsPerSecond / r[2]!.eventsPerSecond).toFixed(3)}`);
}

if (only.has('anonymity')) {
  // The issue's sizes: 10,000 broadcasts on 10,000 nodes and 1,000 on 100,000 (docs/anonymity.md). Each is
  // (broadcasts × nodes) = 1e8 receipts; the broadcasts come at 10 a second, so many are in flight at once.
  console.log('\n### Anonymity: many broadcasts against an adversary (random-regular 8, uniform 20-100 ms, 1 worker)\n');
  const net = (nodes: number, count: number, protocol: object, adversary: object) => ({
    ...gossip(nodes, 'diffusion', 'rr'), latency: { kind: 'uniform', minMs: 20, maxMs: 100 }, protocol, adversary,
    workload: { count, ratePerSecond: 10 }, durationMs: count * 100 + 120_000,
  });
  const dpp = { kind: 'dandelion++', q: 0.1, epochMs: 600_000 };
  const cells: Cell[] = [
    { label: 'diffusion, 10% spies, 10k tx on 10k nodes', scenario: net(10_000, 10_000, { kind: 'diffusion' }, { kind: 'spies', fraction: 0.1 }), workers: 1 },
    { label: 'dandelion++, 10% spies, 10k tx on 10k nodes', scenario: net(10_000, 10_000, dpp, { kind: 'spies', fraction: 0.1 }), workers: 1 },
    { label: 'diffusion, eavesdropper θ=1, 1k tx on 100k nodes', scenario: net(100_000, 1000, { kind: 'diffusion' }, { kind: 'eavesdropper', connections: 1 }), workers: 1 },
    { label: 'dandelion++, 10% spies, 1k tx on 100k nodes', scenario: net(100_000, 1000, dpp, { kind: 'spies', fraction: 0.1 }), workers: 1 },
  ];
  const r = measureAll(cells);
  const rows = cells.map((c, k) => [c.label, s(r[k]!.setupMs), s(r[k]!.simMs), r[k]!.events.toLocaleString('en-US'), meps(r[k]!.eventsPerSecond), (r[k]!.peakRssBytes / 2 ** 20).toFixed(0)]);
  console.log(table(['run', 'setup s', 'simulation s', 'events', 'M events/s', 'peak RSS MiB'], rows));
}

if (only.has('topology')) {
  const n = list(opts.sizes, [1_000_000]).at(-1)!;
  console.log(`\n### Topology build at ${fmtN(n)} nodes\n`);
  console.log(table(['kind', 'ms'], benchTopology(n).map((t) => [t.kind, t.ms])));
}

if (only.has('machine')) {
  // Whether the CPUs are alike: a shard's speed is its CPU's, and the slowest shard sets the pace. Each
  // probe runs pinned to one CPU (taskset), alone and then with one on every CPU at once.
  console.log('\n### Machine: each CPU alone and all at once (ms; 50M steps: arithmetic, random access over 16 MiB)\n');
  const run = promisify(execFile);
  // A probe script run pinned to `cpus`, and the JSON line it prints.
  const pinned = async (cpus: string, script: string, arg: string) => JSON.parse((await run('taskset', ['-c', cpus, process.execPath, script, arg])).stdout) as Record<string, number>;
  const probe = async (cpu: number, kind: string) => (await pinned(String(cpu), PROBE, kind)).ms!;
  const n = cpus().length;
  const skipped = cannotPin();
  if (skipped !== null) {
    console.log(skipped);
  } else {
    const rows: (string | number)[][] = [];
    // Per CPU: arithmetic alone, memory alone, memory with every CPU probing.
    const cell: number[][][] = Array.from({ length: n }, () => [[], [], []]);
    for (let i = 0; i < runs; i++) {
      for (let cpu = 0; cpu < n; cpu++) {
        cell[cpu]![0]!.push(await probe(cpu, 'alu'));
        cell[cpu]![1]!.push(await probe(cpu, 'memory'));
      }
      const together = await Promise.all(Array.from({ length: n }, (_, cpu) => probe(cpu, 'memory')));
      together.forEach((ms, cpu) => cell[cpu]![2]!.push(ms));
    }
    for (let cpu = 0; cpu < n; cpu++) rows.push([cpu, ...cell[cpu]!.map((xs) => median(xs).toFixed(0))]);
    all.push({ label: 'machine', cells: cell });
    console.log(table(['cpu', 'arithmetic alone', 'memory alone', 'memory, all CPUs at once'], rows));
    if (n >= 2) {
      // What a window's barrier costs by itself. The pinned `work` runs sleep on one CPU; a 2-worker run
      // on 2 free CPUs spins.
      console.log('\n### Barrier: µs a crossing, two threads and no work between crossings (200,000 crossings)\n');
      const crossing = async (cpus: string, how: string) => (await pinned(cpus, BARRIER_PROBE, how)).us!;
      const cases = [['CPUs 0 and 1', '0,1', 'spin'], ['CPUs 0 and 1', '0,1', 'sleep'], ['CPU 0 only', '0', 'sleep']] as const;
      const us: number[][] = cases.map(() => []);
      for (let i = 0; i < runs; i++) for (const [k, [, cpus, how]] of cases.entries()) us[k]!.push(await crossing(cpus, how));
      all.push({ label: 'barrier', cells: us });
      console.log(table(['threads on', 'waiting by', 'µs a crossing'], cases.map(([where, , how], k) => [where, how === 'spin' ? 'spinning' : 'sleeping (Atomics.wait)', median(us[k]!).toFixed(1)])));
    }
  }
}

mkdirSync(opts.out, { recursive: true });
const file = `${opts.out}/bench-${new Date().toISOString().replace(/[:.]/g, '-')}.json`;
writeFileSync(file, JSON.stringify(all, null, 2));
console.log(`\nsamples: ${file}`);
