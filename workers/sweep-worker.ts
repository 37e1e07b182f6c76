// A sweep's pool thread (src/sweep/pool.ts): runs one run at a time. The run's own shards are threads
// this thread starts (one by default), so while a run simulates this thread only waits on them: a pool
// of one thread per core keeps one shard per core busy (docs/sweeps.md, "Pool size and shards").
import { executeRun, type SweepTask } from '../src/sweep/task.js';

export default function sweepRun(task: SweepTask): Promise<string> {
  return executeRun(task);
}
