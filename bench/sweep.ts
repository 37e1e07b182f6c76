// `npm run bench:sweep`: what a sweep of small scenarios achieves on this machine (docs/sweeps.md,
// "Measured"): runs per minute on the pool of one-shard runs (one per core) against one run at a time,
// and what queue mode adds per run (a sweep and one `p2psim worker` on a local redis-server, against the
// pool at the same concurrency). Every figure is the median of --repeat fresh sweeps, each a new
// process with a new output directory. Never run it beside other heavy work.
//
//   npm run bench:sweep
//   npm run bench:sweep -- --cells 4 --replications 8 --nodes 2000 --repeat 3
import { spawn, spawnSync } from 'node:child_process';
import { once } from 'node:events';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Command } from 'commander';

const CLI = fileURLToPath(new URL('../src/cli.js', import.meta.url));

const opts = new Command('bench:sweep')
  .option('--cells <n>', 'cells (diffusion delays)', '4')
  .option('--replications <n>', 'replications per cell', '8')
  .option('--nodes <n>', 'nodes per run', '2000')
  .option('--repeat <n>', 'sweeps per figure (median reported)', '3')
  .option('--out <dir>', 'where the JSON of all samples goes', 'bench-results')
  .parse()
  .opts<{ cells: string; replications: string; nodes: string; repeat: string; out: string }>();

const cells = Number(opts.cells);
const replications = Number(opts.replications);
const runs = cells * replications;
const repeat = Number(opts.repeat);
const cores = availableParallelism();
const work = mkdtempSync(join(tmpdir(), 'p2psim-bench-sweep-'));
const sweepFile = join(work, 'sweep.json');
writeFileSync(sweepFile, JSON.stringify({
  name: 'bench: small diffusion runs',
  scenario: {
    nodes: Number(opts.nodes),
    topology: { kind: 'random-regular', degree: 8 },
    latency: { kind: 'uniform', minMs: 20, maxMs: 80 },
    protocol: { kind: 'diffusion', meanDelayMs: 500 },
    workload: { kind: 'broadcast', count: 5 },
  },
  grid: { 'protocol.meanDelayMs': Array.from({ length: cells }, (_, i) => 100 * (i + 1)) },
  replications,
  seed: 1,
  metrics: ['messages.0.t90Ms'],
}));

let dirs = 0;
const freshOut = (): string => join(work, `out-${dirs++}`);

/** Wall seconds of the command line until it exits (it must exit 0). */
async function timed(args: string[], during?: (stderrHas: (re: RegExp) => Promise<void>) => Promise<void>): Promise<number> {
  const t0 = performance.now();
  const child = spawn(process.execPath, [CLI, ...args], { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (d: Buffer) => void (stderr += d.toString()));
  const exit = once(child, 'exit');
  const stderrHas = async (re: RegExp): Promise<void> => {
    while (!re.test(stderr) && child.exitCode === null) await new Promise((r) => setTimeout(r, 5));
  };
  if (during) await during(stderrHas);
  const [code] = (await exit) as [number];
  if (code !== 0) throw new Error(`p2psim ${args.join(' ')}: exit ${code}: ${stderr}`);
  return (performance.now() - t0) / 1000;
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[s.length >> 1]!;
}

async function figure(label: string, sample: () => Promise<number>): Promise<{ label: string; seconds: number; runsPerMinute: number; samples: number[] }> {
  const samples: number[] = [];
  for (let i = 0; i < repeat; i++) samples.push(await sample());
  const seconds = median(samples);
  const row = { label, seconds, runsPerMinute: (runs / seconds) * 60, samples };
  console.log(`${label.padEnd(40)} ${seconds.toFixed(2).padStart(8)} s  ${row.runsPerMinute.toFixed(0).padStart(7)} runs/min`);
  return row;
}

async function freePort(): Promise<number> {
  const server = createServer().listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as { port: number };
  server.close();
  await once(server, 'close');
  return port;
}

async function queueSweep(url: string, concurrency: number): Promise<number> {
  let worker: ReturnType<typeof spawn> | undefined;
  // A queue of its own per sweep, so nothing of one sample is left for the next.
  const out = freshOut();
  const name = `bench-${dirs}`;
  const seconds = await timed(['sweep', sweepFile, '--out', out, '--queue', url, '--queue-name', name], async (stderrHas) => {
    // A worker that found the queue empty would leave after --linger; it starts once the runs are in.
    await stderrHas(/enqueued/);
    worker = spawn(process.execPath, [CLI, 'worker', '--queue', url, '--queue-name', name, '--concurrency', String(concurrency), '--linger', '0.5', '--quiet'], { stdio: 'ignore' });
  });
  if (worker && worker.exitCode === null) await once(worker, 'exit');
  return seconds;
}

console.log(`${runs} runs (${cells} cells x ${replications}), ${opts.nodes}-node diffusion, ${cores} cores; median of ${repeat}`);
const rows = [];
rows.push(await figure(`pool of ${cores}, one shard per run`, () => timed(['sweep', sweepFile, '--out', freshOut(), '--quiet'])));
rows.push(await figure('sequential (--pool 1)', () => timed(['sweep', sweepFile, '--out', freshOut(), '--quiet', '--pool', '1'])));

const hasRedis = spawnSync('redis-server', ['--version'], { stdio: 'ignore' }).error === undefined;
let overhead: { concurrency: number; msPerRun: number }[] = [];
if (hasRedis) {
  const port = await freePort();
  const redis = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], { stdio: 'ignore' });
  await new Promise((r) => setTimeout(r, 500));
  try {
    const url = `redis://127.0.0.1:${port}`;
    const q1 = await figure('queue, one worker, --concurrency 1', () => queueSweep(url, 1));
    const qn = await figure(`queue, one worker, --concurrency ${cores}`, () => queueSweep(url, cores));
    rows.push(q1, qn);
    // Per run, what the queue costs beyond the pool at the same concurrency.
    overhead = [
      { concurrency: 1, msPerRun: ((q1.seconds - rows[1]!.seconds) / runs) * 1000 },
      { concurrency: cores, msPerRun: ((qn.seconds - rows[0]!.seconds) / runs) * 1000 },
    ];
    for (const o of overhead) console.log(`queue overhead at concurrency ${o.concurrency}: ${o.msPerRun.toFixed(1)} ms per run`);
  } finally {
    redis.kill('SIGTERM');
    await once(redis, 'exit');
  }
} else {
  console.log('queue: skipped (redis-server is not installed)');
}

mkdirSync(opts.out, { recursive: true });
writeFileSync(join(opts.out, 'sweep.json'), JSON.stringify({ runs, cells, replications, nodes: Number(opts.nodes), cores, repeat, rows, overhead }, null, 2) + '\n');
console.log(`speed-up of the pool over sequential: ${(rows[1]!.seconds / rows[0]!.seconds).toFixed(2)}x; samples in ${join(opts.out, 'sweep.json')}`);
rmSync(work, { recursive: true, force: true });
