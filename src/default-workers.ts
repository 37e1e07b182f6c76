// The default worker count. More shards pay only when each has a core of its own and enough work
// between two barriers: a shard whose thread is descheduled holds every other shard at the next
// barrier for a scheduler time slice, so on a machine busy with other work, or with windows of a few
// dozen events, two workers run many times slower than one (docs/benchmarks.md, "Contention").
import { cpus } from 'node:os';
import { readFileSync } from 'node:fs';

/**
 * Less work than this per shard, in (node, message) pairs (PHOLD: events), and thread start-up,
 * cross-shard traffic and the barrier cost more than the parallel work saves (docs/benchmarks.md).
 */
export const MIN_WORK_PER_SHARD = 200_000;
/**
 * Fewer events than this between two barriers, and a barrier (a few µs when both threads run, a time
 * slice when one does not) costs about what the window's work saves: measured 2 workers slower than
 * one at ~57 events a window and faster at ~400 (docs/benchmarks.md, "Contention").
 */
export const MIN_EVENTS_PER_WINDOW = 200;

export interface WorkerInputs {
  /** Cores this process may use. */
  cores: number;
  /** Cores other processes kept busy just before the run (null: unknown, taken as none). */
  busyElsewhere: number | null;
  /** The model's work estimate. */
  work: number;
  /** The model's estimate of events per window (null: the model gives none). */
  eventsPerWindow: number | null;
}

/** The default --workers from what was measured and estimated: a pure function, so it can be tested. */
export function pickWorkers(x: WorkerInputs): number {
  let n = Math.max(1, Math.min(x.cores, Math.floor(x.work / MIN_WORK_PER_SHARD)));
  // A core counts as free when other processes use less than 0.3 of it: a shard that shares its core
  // with a busy process is descheduled for whole time slices, and every other shard waits for it.
  if (x.busyElsewhere !== null) n = Math.min(n, Math.max(1, Math.floor(x.cores - x.busyElsewhere + 0.3)));
  if (x.eventsPerWindow !== null && x.eventsPerWindow < MIN_EVENTS_PER_WINDOW) n = 1;
  return n;
}

/** How long the CPU counters are watched before a run, in ms: short against any run that needs shards. */
const SAMPLE_MS = 100;
let measured: number | null | undefined;

/**
 * Cores kept busy by other processes, from two readings of /proc/stat SAMPLE_MS apart while this
 * process sleeps; null where there is no /proc/stat. Measured once per process.
 */
export function busyElsewhere(): number | null {
  if (measured !== undefined) return measured;
  const first = cpuTimes();
  if (first === null) return (measured = null);
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, SAMPLE_MS);
  const second = cpuTimes();
  if (second === null) return (measured = null);
  const total = second.total - first.total;
  const idle = second.idle - first.idle;
  measured = total > 0 ? (cpus().length * (total - idle)) / total : null;
  return measured;
}

/** The machine's CPU time in all states and in idle ones (idle and iowait), in clock ticks. */
function cpuTimes(): { total: number; idle: number } | null {
  try {
    const line = readFileSync('/proc/stat', 'utf8').split('\n', 1)[0]!;
    const f = line.trim().split(/\s+/).slice(1).map(Number);
    if (f.length < 5 || f.some((x) => !Number.isFinite(x))) return null;
    // user nice system idle iowait irq softirq steal (guest time is already in user).
    const total = f.slice(0, 8).reduce((a, b) => a + b, 0);
    return { total, idle: f[3]! + f[4]! };
  } catch {
    return null;
  }
}
