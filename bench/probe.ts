// One probe of the machine, in a fresh process that bench/run.ts pins to one CPU: how fast this CPU is
// at plain arithmetic and at random reads and writes over 16 MiB (a shard's typical access: a record
// or a node's state, anywhere in a large array). Prints the milliseconds the probe took.
const kind = process.argv[2];
const STEPS = 50_000_000;
let x = 1;
let sum = 0;
let started = 0;
if (kind === 'alu') {
  started = performance.now();
  for (let i = 0; i < STEPS; i++) x = (Math.imul(x ^ (x >>> 15), 0x2c1b3c6d) + i) | 0;
} else if (kind === 'memory') {
  const mask = (1 << 22) - 1;
  const a = new Int32Array(mask + 1).fill(1); // touched before the clock starts: no page faults timed
  started = performance.now();
  for (let i = 0; i < STEPS; i++) {
    x = (Math.imul(x ^ (x >>> 15), 0x2c1b3c6d) + i) | 0;
    sum += a[x & mask]!++;
  }
} else {
  throw new Error(`probe: unknown kind ${kind}`);
}
console.log(JSON.stringify({ ms: performance.now() - started, check: (x ^ sum) & 1 }));
