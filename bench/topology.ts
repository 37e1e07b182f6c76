// Build time of each generator at a given size, for the benchmark runner (and by hand:
// `node dist/bench/topology.js 1000000` after `npm run build`).
import { pathToFileURL } from 'node:url';
import type { Topology } from '../src/scenario/network-schema.js';
import { buildTopology } from '../src/topology/generators.js';

const SPECS: Topology[] = [
  { kind: 'random-regular', degree: 8 },
  { kind: 'bitcoin', outbound: 8, maxInbound: 125 },
  { kind: 'erdos-renyi', meanDegree: 8 },
  { kind: 'small-world', degree: 8, rewire: 0.1 },
  { kind: 'scale-free', m: 4 },
  { kind: 'ring', k: 4 },
];

export function benchTopology(n: number): { kind: string; ms: number }[] {
  return SPECS.map((spec) => {
    const start = performance.now();
    buildTopology(spec, n, 42, '.');
    return { kind: spec.kind, ms: Math.round(performance.now() - start) };
  });
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const n = Number(process.argv[2] ?? 1_000_000);
  for (const { kind, ms } of benchTopology(n)) console.log(`${kind.padEnd(16)} ${String(ms).padStart(6)} ms  (n = ${n})`);
}
