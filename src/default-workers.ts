// The default worker count. More shards pay only when each has a core of its own and enough work
// between two barriers: a shard whose thread is descheduled holds every other shard at the next
// barrier for a scheduler time slice, so on a machine busy with other work, or with windows of a few
// dozen events, two workers run many times slower than one (docs/benchmarks.md, "Contention").
import { cpus } from 'node:os';
import { readFileSync } from 'node:fs';
import type { WindowEstimate } from './models/definition.js';

/**
 * Less work than this per shard, in units of a node relaying a broadcast (PHOLD: events / 8), and
 * thread start-up, cross-shard traffic and the barrier cost more than the parallel work saves
 * (docs/benchmarks.md).
 */
export const MIN_WORK_PER_SHARD = 200_000;
/**
 * Fewer events than this between two barriers, and a barrier (a few µs when both threads run, a time
 * slice when one does not) costs about what the window's work saves: measured 2 workers slower than
 * one at ~57 events a window and faster at ~400 (docs/benchmarks.md, "Contention")...
 */
export const MIN_EVENTS_PER_WINDOW = 200;
/**
 * ...unless most events sit in windows of at least this many, as an event sees them: a block spreading
 * through 50,000 nodes or more fills its windows with thousands, and churn's near-empty windows between
 * blocks cost a barrier each but little else. Between the estimates for stress-churn at 20,000 nodes
 * (3,400; 2 workers 1.17x slower) and at 50,000 (8,700; 0.85x) (docs/benchmarks.md, "Windows as an
 * event sees them").
 */
export const MIN_EVENTS_PER_EVENT_WINDOW = 5_000;
/**
 * With a shard on every core, V8's own threads (its optimizing compiler, its collector's helpers, one
 * set per shard) get no core of their own and hold shards up at the barrier: measured on 2 cores, about
 * 0.4 s of a run's wall time that one shard hides on the spare core. So taking the last free core needs
 * this much work per shard (docs/benchmarks.md, "The last core").
 */
export const MIN_WORK_LAST_CORE = 400_000;

export interface WorkerInputs {
  /** Cores this process may use. */
  cores: number;
  /** Cores other processes kept busy just before the run (null: unknown, taken as none). */
  busyElsewhere: number | null;
  /** The model's work estimate. */
  work: number;
  /** The model's estimate of events per window (null: the model gives none). */
  windows: WindowEstimate | null;
}

/** The default --workers from what was measured and estimated: a pure function, so it can be tested. */
export function pickWorkers(x: WorkerInputs): number {
  let n = Math.max(1, Math.min(x.cores, Math.floor(x.work / MIN_WORK_PER_SHARD)));
  // A core counts as free when other processes use less than 0.3 of it: a shard that shares its core
  // with a busy process is descheduled for whole time slices, and every other shard waits for it.
  const free = x.busyElsewhere === null ? x.cores : Math.max(1, Math.floor(x.cores - x.busyElsewhere + 0.3));
  n = Math.min(n, free);
  if (n > 1 && n === free && x.work < n * MIN_WORK_LAST_CORE) n--;
  const w = x.windows;
  if (w !== null && w.perWindow < MIN_EVENTS_PER_WINDOW && w.perEvent < MIN_EVENTS_PER_EVENT_WINDOW) n = 1;
  return n;
}

/** How long the CPU counters are watched before a run, in ms: short against any run that needs shards. */
const SAMPLE_MS = 100;
let measured: number | null | undefined;

/**
 * Cores kept busy by other processes while this process's main thread sleeps SAMPLE_MS; null where
 * there are no counters (no /proc). Measured once per process. This process's own time is taken out:
 * its other threads are not asleep (V8 still compiles and collects what start-up loaded, 35-60 ms of
 * the 100 here), and counted as load they kept an idle 2-core machine from getting its second shard.
 */
export function busyElsewhere(): number | null {
  if (measured !== undefined) return measured;
  const use = cpuUse(SAMPLE_MS);
  return (measured = use && Math.max(0, use.machine - use.own));
}

/**
 * CPU use over `ms` while the calling thread sleeps, in cores: the whole machine's, and this process's
 * (all its threads); null where there are no counters.
 */
export function cpuUse(ms: number): { machine: number; own: number } | null {
  const first = cpuTimes();
  if (first === null) return null;
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
  const second = cpuTimes();
  if (second === null) return null;
  const total = second.total - first.total;
  if (!(total > 0)) return null;
  const cores = cpus().length;
  return { machine: (cores * (total - (second.idle - first.idle))) / total, own: (cores * (second.own - first.own)) / total };
}

/**
 * The machine's CPU time in all states and in idle ones (idle and iowait), and this process's (all its
 * threads), in clock ticks.
 */
function cpuTimes(): { total: number; idle: number; own: number } | null {
  try {
    const line = readFileSync('/proc/stat', 'utf8').split('\n', 1)[0]!;
    const f = line.trim().split(/\s+/).slice(1).map(Number);
    if (f.length < 5 || f.some((x) => !Number.isFinite(x))) return null;
    // user nice system idle iowait irq softirq steal (guest time is already in user).
    const total = f.slice(0, 8).reduce((a, b) => a + b, 0);
    // /proc/self/stat: the fields after the command name, which ends at the last ')'; utime and stime
    // are the 14th and 15th of the whole line.
    const self = readFileSync('/proc/self/stat', 'utf8');
    const rest = self.slice(self.lastIndexOf(')') + 2).split(' ');
    const own = Number(rest[11]) + Number(rest[12]);
    if (!Number.isFinite(own)) return null;
    return { total, idle: f[3]! + f[4]!, own };
  } catch {
    return null;
  }
}
