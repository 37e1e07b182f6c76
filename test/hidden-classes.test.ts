// The engine's hot objects keep their hidden class through a run. A field that starts as a small
// integer and later holds a fraction makes V8 replace the object's hidden class, and every optimized
// function that used the old one is thrown away mid-run (docs/architecture.md, "Hidden classes"). V8's
// own test, %HaveSameMap, needs --allow-natives-syntax, so the check runs in a child process: an
// object made before a run must still share its hidden class with one that went through it.
import { execFileSync } from 'node:child_process';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';

const url = (path: string) => pathToFileURL(new URL(`../dist/src/engine/${path}`, import.meta.url).pathname).href;

const script = `
const { EventQueue } = await import(${JSON.stringify(url('queue.js'))});
const { Shard } = await import(${JSON.stringify(url('shard.js'))});
const { clockBytes, controlBytes } = await import(${JSON.stringify(url('sync.js'))});

// One shard over a path of n nodes; node 0 starts a token that walks it, over a link of 0.37 ms and
// with timers of 1.25 ms and windows of 0.37 ms, so every time after the first is a fraction.
const n = 50;
const offsets = new Int32Array(n + 1);
const targets = [];
for (let v = 0; v < n; v++) {
  if (v > 0) targets.push(v - 1);
  if (v < n - 1) targets.push(v + 1);
  offsets[v + 1] = targets.length;
}
const ids = Int32Array.from({ length: n }, (_, v) => v);
const init = () => ({
  index: 0, shards: 1, seed: 1, endMs: 1e6, offsets, targets: Int32Array.from(targets), outbound: null,
  shardOf: new Int32Array(n), localOf: ids, shardStarts: Int32Array.from([0, n]), strided: false, members: ids,
  lookaheadMs: 0.37, bucketMs: 0.3, control: new SharedArrayBuffer(controlBytes(1)), clock: new SharedArrayBuffer(clockBytes(1)),
  outboxes: [null, null], outboxCapacity: 0, outboxReserve: 0, spin: false, traceSpans: 0, injected: null, peerRules: null,
});
const link = { latency: () => 0.37, transferMs: () => 0, uploadMs: () => 0, floor: () => 0.37 };
const walk = {
  start: (s) => s.scheduleAt(0, 0, 2, 0, 0),
  onTimer: (ctx) => { if (ctx.self + 1 < n) ctx.send(ctx.self + 1, 1, 0, 0); },
  onMessage: (ctx) => ctx.setTimer(1.25, 2, 0, 0),
  outcome: () => ({ perNode: {}, totals: {} }),
};
const parts = () => ({ model: walk, link, faults: null, taps: [] });

const before = { queue: new EventQueue(10, 1024), shard: new Shard(init(), parts()) };
const used = new Shard(init(), parts());
used.start();
const stats = used.run();
if (stats.events !== 2 * n - 1) throw new Error('the walk handled ' + stats.events + ' events');
// A queue through a bucket large enough to be split into sub-buckets (queue.ts, split), and small ones.
const queue = new EventQueue(10, 1024);
for (let i = 0; i < 20_000; i++) queue.push(0.5 + ((i * 7919) % 20_000) * 1e-4, i, i, 0, 1, 0, 0);
for (let i = 0; i < 300; i++) queue.push(20.5 + ((i * 37) % 300) * 0.37, i, i, 0, 1, 0, 0);
let popped = 0;
while (queue.popBefore(Infinity) >= 0) popped++;
if (popped !== 20_300) throw new Error('the queue gave back ' + popped + ' events');
console.log(JSON.stringify({
  shard: %HaveSameMap(before.shard, used),
  stats: %HaveSameMap(before.shard.stats, used.stats),
  queue: %HaveSameMap(before.queue, queue),
  shardQueue: %HaveSameMap(before.queue, used.queue),
}));
`;

describe('hidden classes', () => {
  it('a shard, its counters and its event queue keep theirs through a run of fractional times', () => {
    const out = execFileSync(process.execPath, ['--allow-natives-syntax', '--input-type=module', '-e', script], { encoding: 'utf8' });
    expect(JSON.parse(out)).toEqual({ shard: true, stats: true, queue: true, shardQueue: true });
  });
});
