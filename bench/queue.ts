// The event queue alone (src/engine/queue.ts), as a 1M-node flood uses it: waves of `runs` runs of
// `perRun` events each, all of one time, pushed with their sources in random order or in key order,
// then sorted and popped. Prints, per run, what a push, the sort and the pops cost (JSON, ns): what a
// shard pays for each run whatever its length, which is why a relay split across two shards costs more
// than half.
// By hand: `node dist/bench/queue.js 500000 3 random` after `npm run build`.
import { pathToFileURL } from 'node:url';
import { EventQueue } from '../src/engine/queue.js';

const SOURCES = 1 << 20;
const WAVES = 7;

export interface QueueCost {
  pushNs: number;
  sortNs: number;
  popNs: number;
}

/** Nanoseconds per run, the median wave of WAVES (each wave pushes, sorts and pops every run). */
export function benchQueue(runs: number, perRun: number, order: 'random' | 'sorted'): QueueCost {
  const q = new EventQueue(50, (1 << 16) + runs * perRun * 2, 4096, () => {}, 16, SOURCES);
  const sources = new Int32Array(runs);
  for (let i = 0; i < runs; i++) sources[i] = Math.floor((i * SOURCES) / runs);
  let x = 42;
  if (order === 'random') {
    for (let i = runs - 1; i > 0; i--) {
      x = (Math.imul(x ^ (x >>> 15), 0x2c1b3c6d) + 0x6d2b79f5) | 0;
      const j = (x >>> 0) % (i + 1);
      [sources[i], sources[j]] = [sources[j]!, sources[i]!];
    }
  }
  const waves: QueueCost[] = [];
  let seq = 0;
  let check = 0;
  for (let w = 0; w < WAVES; w++) {
    const t = 50 * (w + 1);
    const t0 = performance.now();
    for (let i = 0; i < runs; i++) {
      const src = sources[i]!;
      for (let j = 0; j < perRun; j++) q.push(t, (src + j * 7919) & (SOURCES - 1), src, seq++ >>> 0, 1, 0, 0);
    }
    const t1 = performance.now();
    q.peekTime(); // sorts the bucket
    const t2 = performance.now();
    let popped = 0;
    while (q.popBefore(t + 1) >= 0) {
      check += q.dst();
      popped++;
    }
    const t3 = performance.now();
    if (popped !== runs * perRun) throw new Error(`queue bench: popped ${popped} of ${runs * perRun}`);
    waves.push({ pushNs: ((t1 - t0) * 1e6) / runs, sortNs: ((t2 - t1) * 1e6) / runs, popNs: ((t3 - t2) * 1e6) / runs });
  }
  if (check === 0.5) console.log(check); // keeps the pops' reads alive
  waves.sort((a, b) => a.pushNs + a.sortNs + a.popNs - (b.pushNs + b.sortNs + b.popNs));
  return waves[WAVES >> 1]!;
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const [runs, perRun, order] = process.argv.slice(2);
  console.log(JSON.stringify(benchQueue(Number(runs ?? 500_000), Number(perRun ?? 3), order === 'sorted' ? 'sorted' : 'random')));
}
