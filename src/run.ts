// The coordinator: builds what every shard shares, starts the shards, watches them, and turns their
// outcomes into one result. It runs on the main thread and never handles an event itself.
import { performance } from 'node:perf_hooks';
import { availableParallelism } from 'node:os';
import { busyElsewhere, pickWorkers } from './default-workers.js';
import { getHeapStatistics, setFlagsFromString } from 'node:v8';
import { MessageChannel } from 'node:worker_threads';
import { fileURLToPath } from 'node:url';
import * as Comlink from 'comlink';
import nodeEndpoint from 'comlink/dist/esm/node-adapter.mjs';
import { Piscina } from 'piscina';
import { InputError, Interrupted, RunError } from './errors.js';
import { availableMemory, estimateMemory, gib, preflight, type Available, type Estimate } from './memory.js';
import { assignNodes, regionsOnShards, type Assignment, type AssignmentKind } from './engine/assignment.js';
import type { InjectedFault, ShardApi, ShardInit, ShardOutcome, ShardStats } from './engine/messages.js';
import { abort, clockAt, clockBytes, controlBytes, controlLayout, ctlAt, outboxAt, outboxBytes, outboxRecords, Phase, PHASE_WORDS, phaseOf, type ControlLayout } from './engine/sync.js';
import { compileFaults, type FaultSchedule } from './faults/schedule.js';
import { modelOf, type Plan, type Scenario } from './models/registry.js';
import { bucketWidth, smallestDelay } from './models/delay-floor.js';
import type { WindowEstimate } from './models/definition.js';
import { peerRulesOf, type NetworkPlan } from './scenario/network-plan.js';
import type { ShardTask, TopologyResult, TopologyTask, Warmup } from './tasks.js';
import { maxDegree, type Graph } from './topology/graph.js';
import { assignRegions } from './topology/regions.js';
import { withArrivals } from './topology/room.js';
import { buildResult, type Result } from './result.js';

export interface Progress {
  simMs: number;
  endMs: number;
  events: number;
}

export interface RunOptions {
  workers: number;
  /** Node-to-shard assignment (the CLI's --partition). */
  assignment: AssignmentKind;
  baseDir: string;
  /** Keep per-window spans for a Chrome trace (result.trace). */
  trace?: string;
  onProgress?: (p: Progress) => void;
  /** Test-only fault injection; also read from P2PSIM_FAULT=kind:shard:window (kind: throw, exit, hang, oom). */
  fault?: InjectedFault;
  /** Keep the per-node outcomes in result.perNode (for tests and analysis; never in the JSON). */
  keepPerNode?: boolean;
  /** Test-only: records an outbox holds (at least the room one event's sends need), to cut windows short. */
  outboxRecords?: number;
  /** Run even when the memory estimate exceeds what the machine offers (the CLI's --force). */
  force?: boolean;
  /**
   * Stops the run cleanly when aborted, its reason the signal's name (the CLI's SIGINT and SIGTERM).
   * Without it the run listens for SIGINT and SIGTERM itself while its shards run.
   */
  signal?: AbortSignal;
}

/**
 * The default --workers: the cores other processes leave free, but no more shards than the scenario's
 * work makes worthwhile, and one when its windows are too small to share (src/default-workers.ts).
 */
export function defaultWorkers(s: Scenario): number {
  const model = modelOf(s);
  const cores = availableParallelism();
  const work = model.work(s);
  // Measuring the load and estimating the windows cost time; a run that gets one shard anyway skips them.
  if (pickWorkers({ cores, busyElsewhere: null, work, windows: null }) === 1) return 1;
  return pickWorkers({ cores, busyElsewhere: busyElsewhere(), work, windows: windowEstimate(s) });
}

/** The model's estimate of events per window at the smallest delay between any two regions, or null. */
function windowEstimate(s: Scenario): WindowEstimate | null {
  const model = modelOf(s);
  if (!model.windows) return null;
  const plan = model.compile(s) as Plan;
  const net = model.network(plan);
  const regions = net ? net.regionShares : [1];
  const region = assignRegions(plan.nodes, regions, plan.seed);
  const floor = smallestDelay(plan, region, regions.length, () => true);
  return floor > 0 && Number.isFinite(floor) ? model.windows(plan, floor) : null;
}

function faultFromEnv(): InjectedFault | null {
  const v = process.env.P2PSIM_FAULT;
  if (!v) return null;
  const [kind, shard, window] = v.split(':');
  if (kind !== 'throw' && kind !== 'exit' && kind !== 'hang' && kind !== 'oom') throw new InputError('P2PSIM_FAULT', `kind must be throw, exit, hang or oom, got ${kind}`);
  return { kind, shard: Number(shard ?? 0), window: Number(window ?? 0) };
}

const WORKER = fileURLToPath(new URL('../workers/shard-worker.js', import.meta.url));
const TOPOLOGY_WORKER = fileURLToPath(new URL('../workers/topology-worker.js', import.meta.url));
/**
 * How long a shard's heartbeat may stand still in each phase (sync.ts, Phase) before it is stuck. An
 * event, a drained batch or a barrier step takes microseconds to milliseconds, so 3 s without a beat
 * there is a loop that never ends. Building a shard's state, one pass of a sort over tens of millions of
 * runs, or a slice of a growth's copy under memory pressure can take seconds: those get longer.
 */
const STUCK_MS: Record<Phase, number> = {
  [Phase.starting]: 60_000,
  [Phase.running]: 3000,
  [Phase.draining]: 30_000,
  [Phase.sorting]: 30_000,
  [Phase.growing]: 30_000,
  [Phase.waiting]: 3000,
};

/**
 * The memory estimate of a run of `scenario` at the default worker count, before anything is built;
 * throws InputError, as `run` would, when it exceeds what the machine offers, unless `force`.
 */
export function estimateRun(scenario: Scenario, baseDir: string, force: boolean): { estimate: Estimate; shards: number; available: Available } {
  const plan = modelOf(scenario).compile(scenario) as Plan;
  const shards = Math.max(1, Math.min(defaultWorkers(scenario), plan.nodes));
  const estimate = estimateMemory(plan, shards, baseDir);
  const available = availableFor();
  if (!force) preflight(estimate, available);
  return { estimate, shards, available };
}

export async function runScenario(scenario: Scenario, opts: RunOptions): Promise<Result> {
  const started = performance.now();
  const model = modelOf(scenario);
  const plan = Object.freeze(model.compile(scenario)) as Plan;
  const shards = Math.max(1, Math.min(opts.workers, plan.nodes));
  // Before anything is built: a run that cannot fit is bad input, said in one line (src/memory.ts).
  const available = availableFor();
  if (!opts.force) preflight(estimateMemory(plan, shards, opts.baseDir), available);
  interrupted(opts.signal);
  const fault = opts.fault ?? faultFromEnv();
  // Started first, so the threads start and load their code while the graph is built.
  const pool = shardPool(shards, fault);
  const s = await prepare(plan, model.network(plan), shards, opts, fault).catch(async (e: unknown) => {
    await release(pool, shards);
    throw e;
  });
  if (opts.signal?.aborted) await release(pool, shards);
  interrupted(opts.signal);
  const setupMs = performance.now() - started;
  const simStarted = performance.now();
  const tasks = s.inits.map((init) => ({ init, plan, shardModule: model.shardModule, region: s.region, faults: s.faults }));
  const { stats, outcomes, collectedAt } = await runShards(pool, tasks, s.sync, opts, plan.endMs, available);
  // The simulation ends when its outcomes are in hand; tearing the threads down after is not part of it.
  const simMs = collectedAt - simStarted;
  return buildResult({
    scenario, plan, shards, assignment: opts.assignment, lookaheadMs: s.lookaheadMs, stats, setupMs, simMs,
    records: { members: s.part.members, region: s.region, outcomes: outcomes.map((o) => o.model), taps: outcomes.map((o) => o.taps) },
    totalMs: performance.now() - started, keepPerNode: opts.keepPerNode ?? false, faults: s.faults, graph: s.graph,
  });
}

interface Prepared {
  graph: Graph;
  region: Uint8Array;
  part: Assignment;
  lookaheadMs: number;
  faults: FaultSchedule | null;
  sync: ControlLayout;
  inits: ShardInit[];
}

/** Everything the shards are handed: the graph, the assignment, the fault schedule, shared memory. */
async function prepare(plan: Plan, net: NetworkPlan | null, shards: number, opts: RunOptions, fault: InjectedFault | null): Promise<Prepared> {
  const n = plan.nodes;
  // The graph and the regions of the initial nodes are those of a run without joins or an eavesdropper;
  // newcomers come with no connection, the eavesdropper's nodes connected to every other node, and both
  // with their own regions, drawn by the same shares.
  const observers = net?.observers ?? 0;
  const initial = net ? net.initialNodes : n;
  const built: Graph = net ? await buildGraph({ spec: net.topology, nodes: initial, seed: plan.seed, baseDir: opts.baseDir }) : emptyGraph(n);
  const regions = net ? net.regionShares : [1];
  const { graph, region } = withArrivals(built, assignRegions(initial, regions, plan.seed), n, observers, regions, plan.seed);
  const part = assignNodes(opts.assignment, n, shards, region);
  const lookaheadMs = lookahead(plan, part, region, regions.length);
  if (shards > 1 && !(lookaheadMs > 0)) {
    throw new InputError('latency', `the smallest delay between shards is ${lookaheadMs} ms, so ${shards} workers cannot run in parallel; give the latency a positive floor (e.g. latency.minMs) or use --workers 1`);
  }
  const bucketMs = bucketWidth(plan, region, regions.length);
  // Exogenous, fixed before the run; it needs the graph (highest-degree crashes) and regions.
  const arrivals = { initial, joinAtMs: net?.joinAtMs ?? [], seeds: net?.bootstrap?.seeds ?? [] };
  const faults = net ? compileFaults(net.faults, n, plan.seed, region, net.regionNames, graph.offsets, plan.endMs, arrivals) : null;

  const control = new SharedArrayBuffer(controlBytes(shards));
  const clock = new SharedArrayBuffer(clockBytes(shards));
  const sync = controlLayout(control, clock, shards);
  // One event can send to every peer at once; that must fit in the room kept free.
  const outboxReserve = 4 * maxDegree(graph.offsets) + 1024;
  const outboxCapacity = outboxRecords(shards, outboxReserve, opts.outboxRecords);
  const outboxes: (SharedArrayBuffer | null)[] = new Array(2 * shards * shards).fill(null);
  for (let p = 0; p < 2; p++) {
    for (let i = 0; i < shards; i++) {
      for (let j = 0; j < shards; j++) if (i !== j) outboxes[outboxAt(shards, p, i, j)] = new SharedArrayBuffer(outboxBytes(outboxCapacity));
    }
  }
  const inits: ShardInit[] = part.members.map((members, index) => ({
    index, shards, seed: plan.seed, endMs: plan.endMs, offsets: graph.offsets, targets: graph.targets, outbound: graph.outbound ?? null,
    shardOf: part.shardOf, localOf: part.localOf, shardStarts: part.starts, strided: part.kind === 'strided', members, lookaheadMs, bucketMs, control, clock, outboxes, outboxCapacity, outboxReserve,
    // Spinning at the barrier pays only when every shard has a core: on a busy machine the spinner
    // would take the core the shard it waits for needs.
    spin: shards <= availableParallelism() - (shards > 1 ? (busyElsewhere() ?? 0) : 0) + 0.3,
    traceSpans: opts.trace ? Math.max(2, Math.floor(200_000 / shards)) : 0,
    injected: fault,
    peerRules: net ? peerRulesOf(net, faults !== null) : null,
  }));
  return { graph, region, part, lookaheadMs, faults, sync, inits };
}

function lookahead(plan: Plan, part: Assignment, region: Uint8Array, regionCount: number): number {
  if (part.shards === 1) return Infinity;
  const on = regionsOnShards(part, region, regionCount);
  return smallestDelay(plan, region, regionCount, (a, b) => on.some((hasA, s) => hasA[a] && on.some((hasB, t) => t !== s && hasB[b])));
}

async function buildGraph(task: TopologyTask): Promise<Graph> {
  const pool = new Piscina<TopologyTask, TopologyResult>({ filename: TOPOLOGY_WORKER, minThreads: 0, maxThreads: 1 });
  try {
    const r = await pool.run(task);
    if ('error' in r) throw new InputError(r.error.field, r.error.problem);
    return r.graph;
  } finally {
    await pool.destroy();
  }
}

function emptyGraph(n: number): Graph {
  return { n, offsets: new Int32Array(new SharedArrayBuffer(4 * (n + 1))), targets: new Int32Array(new SharedArrayBuffer(0)) };
}

interface ShardResults {
  stats: ShardStats[];
  outcomes: ShardOutcome[];
  collectedAt: number;
}

/**
 * Tears down a pool whose shards never ran (the setup failed or was interrupted) once every thread has
 * loaded its code: a thread terminated while it loads modules aborts the whole process (Node 20: a V8
 * fatal error in the module loader, seen by the fuzz campaign on a bad edge-list file).
 */
async function release(pool: Piscina<ShardTask | Warmup, void>, threads: number): Promise<void> {
  const warmup: Warmup = { warmup: true };
  await Promise.allSettled(Array.from({ length: threads }, () => pool.run(warmup)));
  await pool.destroy();
}

/** One thread per shard; piscina loads the worker's code as each thread starts. */
/**
 * How many bytecodes V8 inlines into one function in all: its default (Node 20), and what one shard
 * gets. A handler's send path (the send, the link draw, the post, the queue's push) is deeper than the
 * default, so the push stays a call; at 1,500 it is inlined, and one shard simulates 6-12 % faster. With
 * several shards each isolate compiles the larger code itself, and where a shard has every core V8's
 * compiler threads hold the others at the barrier: 2 workers lost 1-6 % (docs/benchmarks.md, "Deeper
 * inlining at one worker").
 */
const INLINED_BYTECODE = { default: 920, oneShard: 1500 } as const;

/** V8's flags are the process's: set for every run, before its shards compile, so a run never inherits another's. */
function setInlining(shards: number): void {
  setFlagsFromString(`--max-inlined-bytecode-size-cumulative=${shards === 1 ? INLINED_BYTECODE.oneShard : INLINED_BYTECODE.default}`);
}

function shardPool(N: number, fault: InjectedFault | null): Piscina<ShardTask | Warmup, void> {
  setInlining(N);
  workerHeapLimit = fault?.kind === 'oom' ? OOM_HEAP_MB * 2 ** 20 : getHeapStatistics().heap_size_limit;
  return new Piscina<ShardTask | Warmup, void>({
    filename: WORKER,
    minThreads: N,
    maxThreads: N,
    concurrentTasksPerWorker: 1,
    idleTimeout: 60_000,
    // Our tasks block on Atomics themselves; piscina's own Atomics wait between tasks is not wanted.
    atomics: 'disabled',
    ...(fault?.kind === 'oom' ? { resourceLimits: { maxOldGenerationSizeMb: OOM_HEAP_MB } } : {}),
  });
}

/**
 * Runs the shards to the end on `pool`, then destroys it. Any failure (an exception, a worker that
 * exits or runs out of memory, a stuck shard, Ctrl-C) aborts every shard through shared memory,
 * terminates every thread, and rejects with one line naming the shard and the cause.
 */
async function runShards(pool: Piscina<ShardTask | Warmup, void>, shardTasks: Omit<ShardTask, 'port'>[], sync: ControlLayout, opts: RunOptions, endMs: number, available: Available): Promise<ShardResults> {
  const N = shardTasks.length;
  let failed: ((e: RunError) => void) | undefined;
  const failure = new Promise<never>((_, reject) => (failed = reject));
  failure.catch(() => undefined);
  const fail = (e: RunError) => {
    abort(sync);
    failed!(e);
  };

  const apis: Comlink.Remote<ShardApi>[] = [];
  const tasks = shardTasks.map((t, i) => {
    const { port1, port2 } = new MessageChannel();
    apis.push(Comlink.wrap<ShardApi>(nodeEndpoint(port1)));
    const task = pool.run({ ...t, port: port2 }, { transferList: [port2] });
    task.catch((e: unknown) => fail(new RunError(`shard ${i}: ${cause(e, available)}`)));
    return task;
  });

  // A signal is a clean stop: every shard aborted, no result (docs/cli.md, "Exit codes").
  const onSignal = (name: NodeJS.Signals) => fail(new Interrupted(name));
  const onAbort = () => onSignal(opts.signal!.reason as NodeJS.Signals);
  if (opts.signal) opts.signal.addEventListener('abort', onAbort, { once: true });
  else for (const sig of SIGNALS) process.once(sig, onSignal);
  const beats = new Array<number>(N).fill(-1);
  const lastMove = new Array<number>(N).fill(performance.now());
  let running = false;
  const watchdog = setInterval(() => {
    const now = performance.now();
    let simMs = Infinity;
    let events = 0;
    for (let i = 0; i < N; i++) {
      const b = Atomics.load(sync.ctl, ctlAt.beat(i));
      if (b !== beats[i]) {
        beats[i] = b;
        lastMove[i] = now;
      } else if (running) {
        const phase = phaseOf(sync, i);
        const still = now - lastMove[i]!;
        if (still > STUCK_MS[phase]) fail(stuck(i, phase, available));
      }
      simMs = Math.min(simMs, sync.clock[clockAt.progress(i)]!);
      events += sync.clock[clockAt.events(i)]!;
    }
    opts.onProgress?.({ simMs, endMs, events });
  }, 200);

  try {
    const guarded = <T>(p: Promise<T>, i: number): Promise<T> =>
      p.catch((e: unknown) => {
        const err = new RunError(`shard ${i}: ${cause(e, available)}`);
        if (!(e instanceof Error && e.message === 'aborted')) fail(err);
        throw err;
      });
    running = true;
    const runs = apis.map((api, i) => guarded(api.run() as Promise<ShardStats>, i));
    runs.forEach((r) => r.catch(() => undefined));
    const stats = await Promise.race([Promise.all(runs), failure]);
    running = false;
    const outcomes = await Promise.race([Promise.all(apis.map((api, i) => guarded(api.collect() as Promise<ShardOutcome>, i))), failure]);
    const collectedAt = performance.now();
    // close() ends the shard's task; its reply may never come back (the task closes the port), so
    // the task itself is what we wait for.
    for (const api of apis) void api.close();
    await Promise.race([Promise.all(tasks), failure]);
    return { stats, outcomes, collectedAt };
  } finally {
    running = false;
    clearInterval(watchdog);
    if (opts.signal) opts.signal.removeEventListener('abort', onAbort);
    else for (const sig of SIGNALS) process.off(sig, onSignal);
    for (const api of apis) api[Comlink.releaseProxy]();
    await pool.destroy();
  }
}

const SIGNALS: readonly NodeJS.Signals[] = ['SIGINT', 'SIGTERM'];

/** The injected 'oom' fault's heap limit, MiB: small, so the test runs out fast. */
const OOM_HEAP_MB = 64;
/** A shard's JS heap limit as the last pool set it up (the figure an out-of-memory message gives). */
let workerHeapLimit = getHeapStatistics().heap_size_limit;

/** Throws Interrupted if `signal` was aborted: between the steps of setting a run up. */
function interrupted(signal: AbortSignal | undefined): void {
  if (signal?.aborted) throw new Interrupted(signal.reason as NodeJS.Signals);
}

/** The machine's memory for this run: what it offers, or P2PSIM_MEMORY_AVAILABLE bytes (for tests). */
export function availableFor(): Available {
  const v = process.env.P2PSIM_MEMORY_AVAILABLE;
  if (v === undefined || v === '') return availableMemory();
  const bytes = Number(v);
  if (!(bytes >= 0)) throw new InputError('P2PSIM_MEMORY_AVAILABLE', `must be a number of bytes, got ${v}`);
  return { bytes, words: `this machine has ${gib(bytes)} free` };
}

/**
 * A shard whose heartbeat stood still past its phase's limit. When the machine is nearly out of memory
 * the cause is that, not a loop: the shard is paging or the kernel is reclaiming, so say so.
 */
function stuck(i: number, phase: Phase, available: Available): RunError {
  const low = lowMemory(available);
  if (low) return new RunError(`shard ${i}: out of memory while ${PHASE_WORDS[phase]}: ${low}`);
  return new RunError(`shard ${i}: stuck while ${PHASE_WORDS[phase]}, no progress for ${STUCK_MS[phase] / 1000} s`);
}

/** Words for a machine nearly out of memory (under 5 % of what it offered when the run started), or null. */
function lowMemory(atStart: Available): string | null {
  const now = availableMemory();
  const rss = process.memoryUsage.rss();
  if (now.bytes > 0.05 * atStart.bytes && now.bytes > 256 * 2 ** 20) return null;
  return `the process holds ${gib(rss)} and ${now.words}`;
}

function cause(e: unknown, available: Available, heapLimit = workerHeapLimit): string {
  if (e instanceof Error) {
    const code = (e as { code?: string }).code;
    const rss = `the process holds ${gib(process.memoryUsage.rss())}`;
    // A worker's JS heap over its limit (resourceLimits), or a typed array the allocator refused.
    if (code === 'ERR_WORKER_OUT_OF_MEMORY') return `out of memory (its JavaScript heap reached its limit of ${gib(heapLimit)}; ${rss})`;
    if (e instanceof RangeError && /allocation failed|Invalid typed array length|Invalid array length/i.test(e.message)) {
      return `out of memory (${e.message.split('\n')[0]}; ${rss}, ${availableMemory().words}, ${available.words} at the start)`;
    }
    return e.message.split('\n')[0]!;
  }
  return String(e);
}
