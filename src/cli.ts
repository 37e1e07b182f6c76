#!/usr/bin/env node
// The p2psim command. Its contract with the user (docs/architecture.md, "Errors"): bad input (flags, files, scenario) is one
// line naming what is wrong, exit 2 (a run the memory estimate says will not fit, too: --force runs it
// anyway); a failed run is one line, exit 1; SIGINT or SIGTERM stops a run cleanly, exit 130 or 143;
// never a stack trace; and nothing the user had is overwritten unless a run finished and the user asked for it.
import { accessSync, constants, existsSync, readFileSync, realpathSync, statSync } from 'node:fs';
import { constants as osConstants } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Command, CommanderError, Option } from 'commander';
import { InputError, Interrupted, RunError } from './errors.js';
import { writeAtomically } from './files.js';
import { ASSIGNMENT_KINDS, type AssignmentKind } from './engine/assignment.js';
import { modelOf, type Scenario } from './models/registry.js';
import { applyOverrides, loadScenarioFile, scenarioJsonSchema } from './scenario/load.js';
import type { Result } from './result.js';
import type { RunOptions } from './run.js';

/** Where the command writes; tests pass their own to run main() in-process. */
export interface Io {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  /** Whether a progress bar may draw on stderr. */
  stderrIsTTY: boolean;
}

// Threads beyond this only fail to start; the cap turns a typo (e.g. 10000) into an input error.
const MAX_WORKERS = 1024;

interface RunFlags {
  workers?: string;
  seed?: string;
  nodes?: string;
  partition: AssignmentKind;
  out?: string;
  json?: boolean;
  quiet?: boolean;
  profile?: boolean;
  trace?: string;
  force?: boolean;
  report?: string;
  csv?: string;
  perNode?: boolean;
}

/**
 * Runs the command line `argv` (the arguments after the program name) and returns the exit code.
 * Never throws and never calls process.exit, so it can run in-process under a test.
 */
export async function main(argv: string[], io: Partial<Io> = {}): Promise<number> {
  const out: Io = {
    stdout: io.stdout ?? ((t) => void process.stdout.write(t)),
    stderr: io.stderr ?? ((t) => void process.stderr.write(t)),
    stderrIsTTY: io.stderrIsTTY ?? process.stderr.isTTY === true,
  };
  try {
    await buildProgram(out).parseAsync(argv, { from: 'user' });
    return 0;
  } catch (err) {
    return reportError(err, out);
  }
}

function buildProgram(io: Io): Command {
  const program = new Command('p2psim')
    .description('Parallel discrete-event simulator of peer-to-peer gossip networks')
    .version(packageVersion(), '-V, --version')
    .exitOverride()
    // Commander's own error text (and the help it prints on a usage error) would be several lines;
    // reportError turns the thrown CommanderError into our one line instead.
    .configureOutput({ writeOut: io.stdout, writeErr: () => undefined, outputError: () => undefined });

  program
    .command('schema')
    .description('print the JSON Schema of scenario files (for editor completion)')
    .action(() => io.stdout(JSON.stringify(scenarioJsonSchema(), null, 2) + '\n'));

  program
    .command('validate')
    .description('check a scenario file and exit 0 if it is valid')
    .argument('<file>', 'scenario JSON file')
    .option('--force', 'say ok even if the memory estimate exceeds what this machine offers')
    .action(async (file: string, flags: { force?: boolean }) => {
      const { scenario, baseDir } = loadScenarioFile(file);
      // The same preflight as `run`, so `validate` says whether a run would start here.
      const { estimateRun } = await import('./run.js');
      const { gib } = await import('./memory.js');
      const { estimate, shards, available } = estimateRun(scenario, baseDir, flags.force === true);
      io.stdout(`${file}: ok (${scenario.model}, ${sizeOf(scenario)} nodes)\n`);
      io.stdout(`memory: about ${gib(estimate.bytes)} at ${shards} worker${shards === 1 ? '' : 's'} (${estimate.driver.why}); ${available.words}\n`);
    });

  program
    .command('run')
    .description('run a scenario and print its summary')
    .argument('[file]', 'scenario JSON file (default: the packaged scenarios/default.json)')
    .option('--workers <n>', 'worker threads, one shard each (default: the cores, at most one per 200,000 nodes)')
    .option('--seed <n>', 'override the scenario seed')
    .option('--nodes <n>', 'override the node count (LPs for phold)')
    .addOption(new Option('--partition <kind>', 'node-to-shard assignment').choices(ASSIGNMENT_KINDS).default(ASSIGNMENT_KINDS[0]))
    .option('--out <file>', 'write the JSON result to this file once the run succeeds')
    .option('--json', 'print the JSON result instead of the summary')
    .option('--quiet', 'no progress bar')
    .option('--profile', 'also print the per-shard profile')
    .option('--trace <file>', "write a Chrome trace of each shard's busy and wait time")
    .option('--force', 'run even if the memory estimate exceeds what this machine offers')
    .option('--report <file>', 'write the HTML report (plots) to this file once the run succeeds')
    .option('--csv <dir>', 'write CSV tables into this new (or empty) directory once the run succeeds')
    .option('--per-node', 'with --csv, also the per-node tables (large: one row per node, or per item and node)')
    .action((file: string | undefined, flags: RunFlags) => runCommand(file, flags, io));

  program
    .command('report')
    .description('turn a result file (run --out) into one self-contained HTML page of plots')
    .argument('<result>', 'result JSON file')
    .option('-o, --output <file>', 'the HTML file (default: the result file with .html for .json; never replaces one that exists)')
    .action(async (file: string, flags: { output?: string }) => reportCommand(file, flags, io));

  program
    .command('export')
    .description('write the CSV tables of a result file (run --out)')
    .argument('<result>', 'result JSON file')
    .option('--csv <dir>', 'a new (or empty) directory for the tables')
    .option('--per-node', 'per-node tables (only p2psim run --csv --per-node can write them)')
    .action(async (file: string, flags: { csv?: string; perNode?: boolean }) => exportCommand(file, flags, io));

  program
    .command('viz')
    .description('serve a page on 127.0.0.1 that runs the scenario in the browser: add and delete nodes, send transactions or mine blocks, export the run (docs/viz.md)')
    .argument('[file]', 'scenario JSON file (default: a 500-node Bitcoin-like network with regions)')
    .option('--port <n>', 'port to listen on (default: a free one, printed)')
    .option('--open', 'open the page in the default browser')
    .option('--chain', 'without a file: the same network mining blocks (chain tips, time to consistency)')
    .option('--spare <n>', 'room for the nodes the page can add, as joins (default 200)')
    .option('--nodes <n>', 'override the node count')
    .option('--seed <n>', 'override the scenario seed')
    .action(async (file: string | undefined, flags: import('./viz/command.js').VizFlags) => (await import('./viz/command.js')).vizCommand(file, flags, io));

  program
    .command('sweep')
    .description('run a sweep: a scenario over a grid of values, with replications and confidence intervals (docs/sweeps.md)')
    .argument('<file>', 'sweep JSON file')
    .option('--out <dir>', 'output directory: one result file per run, summary.csv and summary.json')
    .option('--list', 'print the number of runs and exit (for job arrays)')
    .option('--index [n]', 'run run N alone into --out; without N, from JOB_COMPLETION_INDEX or SLURM_ARRAY_TASK_ID')
    .option('--summarize', 'only write the summary from the result files in --out')
    .option('--retry-failed', 'run again the runs recorded as failed')
    .option('--pool <n>', 'runs at once (default: the cores / --workers)')
    .option('--workers <n>', 'shard threads per run (default 1; with --index, as p2psim run)')
    .option('--timeout <seconds>', 'stop a run after this long and record it as failed')
    .option('--queue <url>', 'enqueue the runs on Redis (redis://HOST:PORT) for p2psim worker, and collect the results')
    .option('--queue-name <name>', 'the BullMQ queue (default p2psim-sweep)')
    .option('--quiet', 'no progress bar and no closing line on stderr')
    .action(async (file: string, flags: import('./sweep/command.js').SweepFlags) => (await import('./sweep/command.js')).sweepCommand(file, flags, io));

  program
    .command('worker')
    .description('take sweep runs from a Redis queue until it is empty (docs/sweeps.md, "Queue mode")')
    .requiredOption('--queue <url>', 'Redis URL, redis://HOST:PORT')
    .option('--queue-name <name>', 'the BullMQ queue (default p2psim-sweep)')
    .option('--concurrency <n>', 'runs at once (default: the cores)')
    .option('--lock-ms <ms>', "a job's lock: a worker silent this long is taken for dead (default 30000)")
    .option('--stalled-ms <ms>', 'how often to look for jobs of dead workers (default 30000)')
    .option('--linger <seconds>', 'exit once the queue has been empty this long (default 10)')
    .option('--quiet', 'no line per run')
    .action(async (flags: import('./sweep/command.js').WorkerFlags) => (await import('./sweep/command.js')).workerCommand(flags, io));

  return program;
}

async function runCommand(file: string | undefined, flags: RunFlags, io: Io): Promise<void> {
  // Every flag and path is checked before the run, so a long run never ends in a usage error.
  const workers = flags.workers === undefined ? undefined : workersFlag(flags.workers);
  const path = file ?? join(packageRoot(), 'scenarios', 'default.json');
  if (flags.out !== undefined) checkOutputPath('--out', flags.out, [path]);
  if (flags.trace !== undefined) checkOutputPath('--trace', flags.trace, [path, flags.out]);
  if (flags.report !== undefined) checkOutputPath('--report', flags.report, [path, flags.out, flags.trace]);
  if (flags.perNode && flags.csv === undefined) throw new InputError('--per-node', 'needs --csv DIR, where the per-node tables go');
  if (flags.csv !== undefined) (await import('./csv.js')).checkCsvDir('--csv', flags.csv);

  const loaded = loadScenarioFile(path);
  const nodesRule = modelOf(loaded.scenario).sizeField === 'lps' ? 'an integer >= 1' : 'an integer >= 2';
  const scenario = applyOverrides(loaded.scenario, {
    nodes: flags.nodes === undefined ? undefined : numberFlag('--nodes', flags.nodes, nodesRule),
    seed: flags.seed === undefined ? undefined : numberFlag('--seed', flags.seed, 'an integer >= 0'),
  });

  // Loaded only for `run`, so `schema` and `validate` answer without starting the engine's machinery.
  const { runScenario, defaultWorkers } = await import('./run.js');

  // SIGINT and SIGTERM (what containers and job schedulers send) stop the run cleanly, and are held
  // off while a result file is written, so it is the old file or the complete new one, never a part.
  const stop = new AbortController();
  const onSignal = (sig: NodeJS.Signals) => stop.abort(sig);
  for (const sig of SIGNALS) process.on(sig, onSignal);
  try {
    const bar = !flags.quiet && io.stderrIsTTY ? await progressBar(scenario) : undefined;
    const options: RunOptions = {
      workers: workers ?? defaultWorkers(scenario), assignment: flags.partition, baseDir: loaded.baseDir, onProgress: bar?.update,
      force: flags.force === true, signal: stop.signal, keepPerNode: flags.perNode === true,
    };
    if (flags.trace !== undefined) options.trace = flags.trace;
    let result: Result;
    try {
      result = await runScenario(scenario, options);
    } finally {
      bar?.stop();
    }
    await report(result, flags, io);
  } finally {
    for (const sig of SIGNALS) process.off(sig, onSignal);
  }
  // A signal that came while the result was written: the files are complete, the exit code says so.
  if (stop.signal.aborted) throw new Interrupted(stop.signal.reason as NodeJS.Signals);
}

const SIGNALS: readonly NodeJS.Signals[] = ['SIGINT', 'SIGTERM'];

/** The summary or the JSON, and the files asked for. */
async function report(result: Result, flags: RunFlags, io: Io): Promise<void> {
  const { formatSummary, formatProfile } = await import('./report.js');
  // The trace spans go to their own file, and the per-node outcomes (--per-node) to the CSV; either would swamp the JSON result.
  const { trace: _spans, perNode: _perNode, perItem: _perItem, ...rest } = result;
  const json = JSON.stringify(rest, null, 2) + '\n';
  if (flags.json) {
    io.stdout(json);
    // stdout stays one JSON document; the profile is in it anyway, and readable on stderr.
    if (flags.profile) io.stderr(formatProfile(result) + '\n');
  } else {
    io.stdout(formatSummary(result) + '\n');
    if (flags.profile) io.stdout(formatProfile(result) + '\n');
  }
  if (flags.out !== undefined) guardWrite('--out', flags.out, () => writeAtomically(flags.out!, json));
  if (flags.trace !== undefined) {
    const { writeTrace } = await import('./trace.js');
    guardWrite('--trace', flags.trace, () => writeTrace(result, flags.trace!));
  }
  if (flags.report !== undefined) {
    const { reportHtml } = await import('./plots/page.js');
    guardWrite('--report', flags.report, () => writeAtomically(flags.report!, reportHtml(result)));
  }
  if (flags.csv !== undefined) {
    const { checkCsvDir, writeCsv } = await import('./csv.js');
    guardWrite('--csv', flags.csv, () => {
      // Again: something may have been put there during the run.
      checkCsvDir('--csv', flags.csv!);
      writeCsv(flags.csv!, result, result.perNode && { arrays: result.perNode, perItem: result.perItem ?? [] });
    });
  }
}

/** `p2psim report`: the HTML page of plots for a result file. */
async function reportCommand(file: string, flags: { output?: string }, io: Io): Promise<void> {
  const explicit = flags.output !== undefined;
  const target = flags.output ?? (file.endsWith('.json') ? file.slice(0, -'.json'.length) : file) + '.html';
  checkOutputPath('--output', target, [file]);
  // Only a name the user gave may replace a file; the default never does.
  if (!explicit && existsSync(target)) throw new InputError('--output', `${target} exists; pass -o FILE to replace it or to write elsewhere`);
  const { readResultFile } = await import('./result-file.js');
  const result = readResultFile(file);
  const { reportHtml } = await import('./plots/page.js');
  const html = reportHtml(result);
  guardWrite('--output', target, () => writeAtomically(target, html));
  io.stdout(`${target}: report written (${(Buffer.byteLength(html) / 1024).toFixed(0)} KiB)\n`);
}

/** `p2psim export`: the CSV tables of a result file. */
async function exportCommand(file: string, flags: { csv?: string; perNode?: boolean }, io: Io): Promise<void> {
  if (flags.csv === undefined) throw new InputError('--csv', 'is required: the directory for the tables');
  if (flags.perNode) throw new InputError('--per-node', 'a result file holds no per-node outcomes; run p2psim run FILE --csv DIR --per-node');
  const { checkCsvDir, writeCsv } = await import('./csv.js');
  checkCsvDir('--csv', flags.csv);
  const { readResultFile } = await import('./result-file.js');
  const result = readResultFile(file);
  const files = writeCsvGuarded(flags.csv, () => writeCsv(flags.csv!, result));
  io.stdout(`${flags.csv}: ${files.join(', ')}\n`);
}

function writeCsvGuarded(dir: string, write: () => string[]): string[] {
  let files: string[] = [];
  guardWrite('--csv', dir, () => {
    files = write();
  });
  return files;
}

// ---- flags ----

function workersFlag(text: string): number {
  const n = numberFlag('--workers', text, `an integer >= 1 and <= ${MAX_WORKERS}`);
  if (!Number.isInteger(n) || n < 1 || n > MAX_WORKERS) {
    throw new InputError('--workers', `must be an integer >= 1 and <= ${MAX_WORKERS}, got ${text}`);
  }
  return n;
}

/** A decimal number, or an error naming the flag; the scenario rules judge its value afterwards. */
function numberFlag(flag: string, text: string, rule: string): number {
  // Number() alone would also take "", "0x10" and "Infinity".
  if (!/^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(text.trim())) {
    throw new InputError(flag, `must be ${rule}, got ${text}`);
  }
  return Number(text);
}

/** Fails now, not after the run, if `file` cannot be written or would replace one of `keep`. */
function checkOutputPath(flag: string, file: string, keep: (string | undefined)[]): void {
  const target = resolve(file);
  const dir = dirname(target);
  if (!existsSync(dir)) throw new InputError(flag, `directory does not exist: ${dir}`);
  if (!statSync(dir).isDirectory()) throw new InputError(flag, `not a directory: ${dir}`);
  try {
    accessSync(dir, constants.W_OK);
  } catch {
    throw new InputError(flag, `cannot write to directory ${dir}`);
  }
  if (existsSync(target) && statSync(target).isDirectory()) throw new InputError(flag, `is a directory: ${file}`);
  for (const other of keep) {
    if (other !== undefined && samePath(target, resolve(other))) {
      throw new InputError(flag, `would overwrite ${other}, which this run reads or writes`);
    }
  }
}

function samePath(a: string, b: string): boolean {
  const real = (p: string): string => {
    try {
      return realpathSync(p);
    } catch {
      return p;
    }
  };
  return real(a) === real(b);
}


/** A write that fails after a run (disk full, say) is a run failure, reported in one line. */
function guardWrite(flag: string, file: string, write: () => void): void {
  try {
    write();
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code ?? (err instanceof Error ? err.message : String(err));
    throw new RunError(`cannot write ${flag} ${file}: ${code}`);
  }
}

// ---- progress ----

interface Bar {
  update: (p: { simMs: number; endMs: number; events: number }) => void;
  stop: () => void;
}

async function progressBar(scenario: Scenario): Promise<Bar> {
  const { default: cliProgress } = await import('cli-progress');
  // Network time is in milliseconds; PHOLD's is in its own abstract units.
  const time = modelOf(scenario).timeUnit === 'ms' ? (ms: number) => `${(ms / 1000).toFixed(1)} s` : (t: number) => t.toFixed(1);
  const bar = new cliProgress.SingleBar(
    {
      stream: process.stderr,
      format: 'simulated {sim} / {end} |{bar}| {percentage}% | {events} events',
      barsize: 30,
      hideCursor: true,
      clearOnComplete: true,
    },
    cliProgress.Presets.shades_classic,
  );
  let started = false;
  return {
    update: ({ simMs, endMs, events }) => {
      const payload = { sim: time(Math.min(simMs, endMs)), end: time(endMs), events: count(events) };
      if (!started) {
        bar.start(endMs, 0, payload);
        started = true;
      }
      bar.update(Math.min(simMs, endMs), payload);
    },
    stop: () => {
      if (started) bar.stop();
    },
  };
}

function count(n: number): string {
  if (n >= 1e9) return `${(n / 1e9).toFixed(2)}G`;
  if (n >= 1e6) return `${(n / 1e6).toFixed(2)}M`;
  if (n >= 1e3) return `${(n / 1e3).toFixed(1)}k`;
  return String(n);
}

// ---- errors ----

function reportError(err: unknown, io: Io): number {
  if (process.env.P2PSIM_DEBUG === '1' && err instanceof Error && err.stack) io.stderr(err.stack + '\n');
  const line = (text: string): void => io.stderr(`p2psim: ${oneLine(text)}\n`);
  if (err instanceof CommanderError) {
    if (err.exitCode === 0) return 0; // --help, --version
    if (err.code === 'commander.help') line('missing command: run, report, export, viz, sweep, worker, validate or schema (see p2psim --help)');
    else line(err.message.replace(/^error: /, ''));
    return 2;
  }
  if (err instanceof InputError) {
    line(err.message);
    return 2;
  }
  if (err instanceof Interrupted) {
    line(`run failed: ${err.message}`);
    return 128 + (osConstants.signals[err.signal] ?? 0);
  }
  if (err instanceof RunError) {
    line(`run failed: ${err.message}`);
    return 1;
  }
  line(`internal error: ${err instanceof Error ? err.message : String(err)}`);
  return 1;
}

function oneLine(text: string): string {
  return text.replace(/\s*\n\s*/g, ' ').trim();
}

// ---- package ----

function sizeOf(s: Scenario): number {
  return (s as unknown as Record<string, number>)[modelOf(s).sizeField]!;
}

/** The package root, found from this file so it works from src/ (tests) and dist/src/ (installed). */
function packageRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    if (existsSync(join(dir, 'package.json')) && existsSync(join(dir, 'scenarios'))) return dir;
    const parent = dirname(dir);
    if (parent === dir) throw new RunError('cannot find the p2psim package directory');
    dir = parent;
  }
}

function packageVersion(): string {
  try {
    const pkg = JSON.parse(readFileSync(join(packageRoot(), 'package.json'), 'utf8')) as { version?: unknown };
    return typeof pkg.version === 'string' ? pkg.version : '0.0.0';
  } catch {
    return '0.0.0';
  }
}

function isEntryPoint(): boolean {
  const script = process.argv[1];
  if (!script) return false;
  try {
    // npm's bin is a symlink; compare the real files.
    return realpathSync(script) === realpathSync(fileURLToPath(import.meta.url));
  } catch {
    return false;
  }
}

if (isEntryPoint()) {
  const debug = process.env.P2PSIM_DEBUG === '1';
  // `p2psim schema | head` closes the pipe early; that is not an error worth a stack trace.
  process.stdout.on('error', (err: NodeJS.ErrnoException) => {
    if (err.code === 'EPIPE') process.exit(process.exitCode ?? 0);
    throw err;
  });
  // Last line of defence for the no-stack-trace rule: anything thrown outside main()'s promise chain.
  process.on('uncaughtException', (err) => {
    if (debug) process.stderr.write(`${err.stack ?? err}\n`);
    process.stderr.write(`p2psim: internal error: ${oneLine(err.message)}\n`);
    process.exit(1);
  });
  // exitCode rather than exit(): a large JSON result on a pipe must finish writing.
  void main(process.argv.slice(2)).then((code) => {
    process.exitCode = code;
  });
}
