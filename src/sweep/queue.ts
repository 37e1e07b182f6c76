// Queue mode on Redis with BullMQ (docs/sweeps.md, "Queue mode"). The sweep enqueues one job per run and
// collects the results; `p2psim worker`s, on any machines that reach Redis, take jobs until the queue is
// empty. Results travel back through the queue (a job's return value), so workers need no shared
// directory; only the sweep writes the output directory. A worker that dies mid-run stops renewing its
// job's lock, and BullMQ's stalled-job check (run by every live worker) puts the job back for another.
import { createHash } from 'node:crypto';
import { connect } from 'node:net';
import { fileURLToPath } from 'node:url';
import { Queue, Worker, type ConnectionOptions, type Job } from 'bullmq';
import { Piscina } from 'piscina';
import { InputError } from '../errors.js';
import type { RunSpec, SweepPlan } from './grid.js';
import { onInterrupt } from './signals.js';
import { runInfo } from './store.js';
import type { SweepTask } from './task.js';

const SWEEP_WORKER = fileURLToPath(new URL('../../workers/sweep-worker.js', import.meta.url));
/** A job whose worker died this many times is failed rather than handed out again (it may be what kills them). */
const MAX_STALLED = 3;
const POLL_MS = 200;
const CONNECT_TIMEOUT_MS = 5000;

/** A job's data: the task, and the sweep it belongs to, so sweeps sharing a queue collect only their own. */
interface JobData extends SweepTask {
  readonly sweep: string;
}

export interface QueueSweepOptions {
  url: string;
  name: string;
  /** Shard threads per run. */
  workers: number;
  retryFailed: boolean;
  onDone: (run: RunSpec, text: string) => void;
  onFail: (run: RunSpec, error: string) => void;
  log: (line: string) => void;
}

/** The sweep's side: enqueue `todo`, then collect every result (or failure) until none is pending. */
export async function runViaQueue(plan: SweepPlan, todo: readonly RunSpec[], o: QueueSweepOptions): Promise<{ interrupted: string | null }> {
  const sweep = sweepId(plan);
  const queue = new Queue<JobData, string>(o.name, { connection: connection(o.url, false) });
  let connectionError: Error | undefined;
  queue.on('error', (e) => (connectionError ??= e));
  let interrupted: string | null = null;
  let wake: (() => void) | undefined;
  const offInterrupt = onInterrupt((signal) => {
    interrupted ??= signal;
    wake?.();
  });
  try {
    await reachable(queue, o.url, () => connectionError);
    const pending = new Map(todo.map((r) => [jobId(sweep, r), r]));
    for (let i = 0; i < todo.length; i += 500) {
      const chunk = todo.slice(i, i + 500);
      // A job id that is already in the queue (a sweep resumed while its jobs are still there) adds nothing.
      await queue.addBulk(chunk.map((r) => ({
        name: `run-${r.index}`,
        data: { sweep, run: runInfo(r), scenario: r.scenario, baseDir: plan.spec.baseDir, workers: o.workers },
        opts: { jobId: jobId(sweep, r), attempts: 1, removeOnComplete: false, removeOnFail: false },
      })));
      if (o.retryFailed) {
        for (const r of chunk) {
          const job = await queue.getJob(jobId(sweep, r));
          if (job && (await job.getState()) === 'failed') await job.retry('failed');
        }
      }
    }
    o.log(`enqueued ${todo.length} run(s) on queue "${o.name}" at ${redact(o.url)}; waiting for workers (p2psim worker --queue ...)`);

    const collected = new Map<string, number>();
    let duplicates = 0;
    let restarted = 0;
    while (pending.size > 0 && interrupted === null) {
      const ours = (js: (Job<JobData, string> | undefined)[]) => js.filter((j): j is Job<JobData, string> => j !== undefined && j.data?.sweep === sweep);
      const completed = ours(await queue.getJobs(['completed'], 0, 999, true));
      const failedJobs = ours(await queue.getJobs(['failed'], 0, 999, true));
      const jobs = [...completed, ...failedJobs];
      for (const job of jobs) {
        const id = job.id!;
        const run = pending.get(id);
        if (run !== undefined) {
          if (completed.includes(job)) o.onDone(run, job.returnvalue);
          else o.onFail(run, job.failedReason || 'failed without a reason');
          pending.delete(id);
          collected.set(id, 1);
          if (job.attemptsStarted > 1 || job.stalledCounter > 0) restarted++;
        } else if (collected.has(id)) {
          // The same run finishing twice would be a queue fault; it is counted, never written twice.
          collected.set(id, collected.get(id)! + 1);
          duplicates++;
        }
        // Anything else of this sweep was left by an earlier collector that wrote the file but stopped
        // before removing the job: it goes too.
        await job.remove();
      }
      if (jobs.length === 0 && pending.size > 0 && interrupted === null) {
        await new Promise<void>((resolve) => {
          wake = resolve;
          setTimeout(resolve, POLL_MS);
        });
      }
      if (connectionError && !(await ping(queue))) throw new InputError('--queue', `lost Redis at ${redact(o.url)}: ${connectionError.message}`);
    }
    if (interrupted === null) o.log(`queue: ${collected.size} result(s) collected, ${duplicates} duplicate(s), ${restarted} restarted after a worker stopped`);
    return { interrupted };
  } finally {
    offInterrupt();
    await queue.close().catch(() => undefined);
  }
}

export interface WorkerOptions {
  url: string;
  name: string;
  /** Runs at once: the pool's threads and BullMQ's concurrency. */
  concurrency: number;
  lockMs: number;
  stalledMs: number;
  /** Exit after the queue has had nothing waiting, delayed or active for this long. */
  lingerMs: number;
  log: (line: string) => void;
}

/** The worker's side: take runs until the queue is empty, each on a pool thread. */
export async function runWorker(o: WorkerOptions): Promise<{ done: number; failed: number; interrupted: string | null }> {
  const pool = new Piscina<SweepTask, string>({ filename: SWEEP_WORKER, minThreads: 1, maxThreads: o.concurrency, concurrentTasksPerWorker: 1, atomics: 'disabled' });
  const queue = new Queue<JobData, string>(o.name, { connection: connection(o.url, false) });
  let connectionError: Error | undefined;
  queue.on('error', (e) => (connectionError ??= e));
  let done = 0;
  let failed = 0;
  let active = 0;
  let interrupted: string | null = null;
  let worker: Worker<JobData, string> | undefined;
  try {
    await reachable(queue, o.url, () => connectionError);
    // The run happens on a pool thread, so this thread stays free to renew the job's lock.
    worker = new Worker<JobData, string>(
      o.name,
      async (job) => {
        const { run } = job.data;
        active++;
        const started = Date.now();
        o.log(`run ${run.index} (${run.hash}): start`);
        try {
          const text = await pool.run({ run: job.data.run, scenario: job.data.scenario, baseDir: job.data.baseDir, workers: job.data.workers });
          done++;
          o.log(`run ${run.index} (${run.hash}): done in ${((Date.now() - started) / 1000).toFixed(1)} s`);
          return text;
        } catch (e) {
          failed++;
          const message = (e instanceof Error ? e.message : String(e)).split('\n')[0]!;
          o.log(`run ${run.index} (${run.hash}): failed: ${message}`);
          throw new Error(message);
        } finally {
          active--;
        }
      },
      {
        connection: connection(o.url, true),
        concurrency: o.concurrency,
        lockDuration: o.lockMs,
        stalledInterval: o.stalledMs,
        maxStalledCount: MAX_STALLED,
        // Long-poll for at most a second, so an empty queue is noticed and close() is prompt.
        drainDelay: 1,
      },
    );
    worker.on('error', (e) => (connectionError ??= e));
    const w = worker;
    await new Promise<void>((resolve) => {
      let emptySince: number | null = null;
      const stop = onInterrupt((signal) => {
        interrupted ??= signal;
        finish();
      });
      const timer = setInterval(() => {
        void (async () => {
          if (active > 0) {
            emptySince = null;
            return;
          }
          // Active counts other workers' jobs too: while one runs, it may yet stall and come back here.
          const counts = await queue.getJobCounts('waiting', 'active', 'delayed', 'prioritized', 'paused', 'waiting-children').catch(() => null);
          if (counts === null) return;
          const left = Object.values(counts).reduce((a, b) => a + b, 0);
          if (left > 0 || active > 0) emptySince = null;
          else if (emptySince === null) emptySince = Date.now();
          if (emptySince !== null && Date.now() - emptySince >= o.lingerMs) finish();
        })();
      }, Math.min(1000, Math.max(100, o.lingerMs / 2)));
      function finish(): void {
        clearInterval(timer);
        stop();
        resolve();
      }
    });
    // Interrupted: let go of the jobs in flight at once; their locks lapse and another worker takes them.
    await w.close(interrupted !== null);
    return { done, failed, interrupted };
  } finally {
    if (worker) await worker.close(true).catch(() => undefined);
    await queue.close().catch(() => undefined);
    await pool.destroy();
  }
}

// ---- Redis ----

/** ioredis options from a redis:// or rediss:// URL (user, password and /db number included). */
function connection(text: string, blocking: boolean): ConnectionOptions {
  const url = new URL(text);
  const db = url.pathname.length > 1 ? Number(url.pathname.slice(1)) : 0;
  if (!Number.isInteger(db) || db < 0) throw new InputError('--queue', `the database number must be an integer >= 0, got ${url.pathname.slice(1)}`);
  return {
    host: url.hostname.replace(/^\[|\]$/g, ''),
    port: url.port ? Number(url.port) : 6379,
    ...(url.username ? { username: decodeURIComponent(url.username) } : {}),
    ...(url.password ? { password: decodeURIComponent(url.password) } : {}),
    db,
    ...(url.protocol === 'rediss:' ? { tls: {} } : {}),
    // BullMQ requires it of a worker's blocking connection; the sweep's own commands fail fast instead.
    maxRetriesPerRequest: blocking ? null : 3,
    retryStrategy: (times: number) => Math.min(100 * times, 2000),
  };
}

/**
 * Fails with one line, before anything is enqueued, when Redis cannot be reached. A plain TCP connection
 * first: a refused one answers at once, where the Redis client would keep retrying (and its queue take
 * seconds to close); then a command, within CONNECT_TIMEOUT_MS.
 */
async function reachable(queue: Queue<JobData, string>, url: string, error: () => Error | undefined): Promise<void> {
  const { hostname, port } = new URL(url);
  const refused = await new Promise<string | null>((resolve) => {
    const socket = connect({ host: hostname.replace(/^\[|\]$/g, ''), port: port ? Number(port) : 6379, timeout: CONNECT_TIMEOUT_MS });
    socket.once('connect', () => {
      socket.destroy();
      resolve(null);
    });
    socket.once('timeout', () => {
      socket.destroy();
      resolve(`no answer within ${CONNECT_TIMEOUT_MS / 1000} s`);
    });
    socket.once('error', (e: NodeJS.ErrnoException) => resolve(e.code ?? e.message));
  });
  if (refused !== null) throw new InputError('--queue', `cannot reach Redis at ${redact(url)}: ${refused}`);
  if (await ping(queue)) return;
  const why = error()?.message ?? `no answer within ${CONNECT_TIMEOUT_MS / 1000} s`;
  throw new InputError('--queue', `cannot reach Redis at ${redact(url)}: ${why}`);
}

async function ping(queue: Queue<JobData, string>): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<false>((resolve) => (timer = setTimeout(() => resolve(false), CONNECT_TIMEOUT_MS)));
  try {
    return await Promise.race([queue.getJobCounts('waiting').then(() => true as const), timeout]);
  } catch {
    return false;
  } finally {
    clearTimeout(timer);
  }
}

/** The URL without its password, for messages. */
function redact(text: string): string {
  const url = new URL(text);
  if (url.password) url.password = '***';
  return url.toString();
}

/** Identifies the sweep among others sharing a queue: a hash of its runs (so of its scenarios and seeds). */
function sweepId(plan: SweepPlan): string {
  const h = createHash('sha256');
  for (const r of plan.runs) h.update(r.hash);
  return h.digest('hex').slice(0, 12);
}

/** BullMQ job ids may not be integers nor contain ":". */
function jobId(sweep: string, r: RunSpec): string {
  return `s${sweep}-r${r.hash}`;
}
