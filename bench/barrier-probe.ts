// What one crossing of the window barrier costs, with no work between crossings: two threads of this
// process cross src/engine/sync.ts's barrier 200,000 times, spinning or sleeping as the shards do.
// bench/run.ts runs it pinned to two CPUs and to one. Prints the microseconds a crossing took.
import { isMainThread, parentPort, Worker, workerData } from 'node:worker_threads';
import { barrier, clockBytes, controlBytes, controlLayout } from '../src/engine/sync.js';

const SHARDS = 2;
const CROSSINGS = 200_000;

interface Job {
  index: number;
  control: SharedArrayBuffer;
  clock: SharedArrayBuffer;
  spin: boolean;
}

if (isMainThread) {
  const how = process.argv[2];
  if (how !== 'spin' && how !== 'sleep') throw new Error(`barrier-probe: say spin or sleep, not ${how}`);
  const control = new SharedArrayBuffer(controlBytes(SHARDS));
  const clock = new SharedArrayBuffer(clockBytes(SHARDS));
  const times = await Promise.all(
    Array.from({ length: SHARDS }, (_, index) => {
      const job: Job = { index, control, clock, spin: how === 'spin' };
      return new Promise<number>((resolve, reject) => new Worker(new URL(import.meta.url), { workerData: job }).once('message', resolve).once('error', reject));
    }),
  );
  console.log(JSON.stringify({ us: (1000 * Math.max(...times)) / CROSSINGS }));
} else {
  const { index, control, clock, spin } = workerData as Job;
  const sync = controlLayout(control, clock, SHARDS);
  // The first crossing waits for the other thread to start; time from there.
  barrier(sync, index, spin);
  const started = performance.now();
  for (let i = 1; i < CROSSINGS; i++) barrier(sync, index, spin);
  parentPort!.postMessage(performance.now() - started);
}
