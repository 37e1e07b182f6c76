// One benchmark run in a fresh process, so each figure counts start-up, page faults and all, and no run
// warms the next. Prints one JSON line: the timings, the event count, and the process's peak RSS.
import { parseScenario } from '../src/scenario/load.js';
import { defaultWorkers, runScenario } from '../src/run.js';
import type { AssignmentKind } from '../src/engine/assignment.js';

const [json, workers, partition] = process.argv.slice(2);
const scenario = parseScenario(JSON.parse(json!));
const started = performance.now();
// "default": the count a user gets without --workers, decided here, under whatever load there is.
const count = workers === 'default' ? defaultWorkers(scenario) : Number(workers ?? 1);
// force: the memory bench measures runs whatever the estimate says (bench/memory.ts).
const r = await runScenario(scenario, { workers: count, assignment: (partition ?? 'contiguous') as AssignmentKind, baseDir: '.', force: true });
const shards = r.profile.shards;
const busy = shards.reduce((s, x) => s + x.busyMs, 0);
const wait = shards.reduce((s, x) => s + x.waitMs, 0);
console.log(
  JSON.stringify({
    nodes: r.nodes,
    workers: r.workers,
    events: r.events,
    setupMs: r.profile.setupMs,
    simMs: r.profile.simulationMs,
    totalMs: performance.now() - started,
    eventsPerSecond: r.eventsPerSecond,
    waitShare: wait / Math.max(1e-9, busy + wait),
    crossShare: r.profile.crossShare,
    windows: r.profile.windows,
    committed: r.phold?.committed ?? null,
    peakRssBytes: process.resourceUsage().maxRSS * 1024,
    // The process's CPU time, all threads: steadier than wall time on a shared machine.
    cpuMs: (process.cpuUsage().user + process.cpuUsage().system) / 1000,
    digest: r.digest,
  }),
);
