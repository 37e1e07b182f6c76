// The shipped 2015 legacy scenario against Decker & Wattenhofer's 2013 measurement of the real network:
// a block reached 50 % of nodes in 6.5 s and 95 % in 40 s. With its heterogeneity preset (measured
// per-node bandwidth and validation, docs/validation.md) both medians over its 200 blocks must land
// within ±25 % (determinism with the preset: heterogeneity.test.ts).
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

const { runScenario } = (await import('../dist/src/run.js' as string)) as typeof import('../src/run.js');
const { parseScenario } = (await import('../dist/src/scenario/load.js' as string)) as typeof import('../src/scenario/load.js');

const root = new URL('../', import.meta.url);
const scenario = JSON.parse(readFileSync(new URL('scenarios/bitcoin-2015-legacy.json', root), 'utf8')) as object;
const measured = (JSON.parse(readFileSync(new URL('data/bitcoin-network-params.json', root), 'utf8')) as {
  published_measurements: { decker_wattenhofer_2013: { block_time_to_50pct_nodes_s: number; block_time_to_95pct_nodes_s: number } };
}).published_measurements.decker_wattenhofer_2013;

describe('scenarios/bitcoin-2015-legacy.json against the measured network', () => {
  it('t50 and t95 within ±25 % of Decker & Wattenhofer 2013', { timeout: 240_000 }, async () => {
    const chain = (await runScenario(parseScenario(scenario), { workers: 1, assignment: 'contiguous', baseDir: '.' })).chain!;
    expect(chain.blockT50MsMedian! / 1000 / measured.block_time_to_50pct_nodes_s).toBeGreaterThan(0.75);
    expect(chain.blockT50MsMedian! / 1000 / measured.block_time_to_50pct_nodes_s).toBeLessThan(1.25);
    expect(chain.blockT95MsMedian! / 1000 / measured.block_time_to_95pct_nodes_s).toBeGreaterThan(0.75);
    expect(chain.blockT95MsMedian! / 1000 / measured.block_time_to_95pct_nodes_s).toBeLessThan(1.25);
  });
});
