// Each run's seed derives from the sweep's seed, the cell's values and the replication alone, by the
// formula docs/sweeps.md states; so does the name of its result file.
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { planSweep } from '../src/sweep/grid.js';
import { runSeed } from '../src/sweep/seeds.js';
import { parseSweep } from '../src/sweep/spec.js';

const SCENARIO = { nodes: 200, topology: { kind: 'random-regular', degree: 6 } };
const sweep = (grid: Record<string, unknown[]>, seed = 1, replications = 3) => planSweep(parseSweep({ scenario: SCENARIO, grid, replications, seed, metrics: ['network.messagesSent'] }, '.'));

describe('run seeds', () => {
  it('are the first 4 bytes of SHA-256 over the canonical JSON of cell, replication and seed', () => {
    // Written out by hand, keys sorted: the documented formula, not the code's own helper.
    const text = '{"cell":{"topology.degree":4},"replication":2,"seed":1}';
    const expected = createHash('sha256').update(text).digest().readUInt32BE(0);
    expect(runSeed(1, { 'topology.degree': 4 }, 2)).toBe(expected);
    expect(sweep({ 'topology.degree': [4, 6] }).runs[2]!.seed).toBe(expected);
  });

  it('do not depend on key order, axis order or the cell\'s position', () => {
    expect(runSeed(9, { a: 1, b: { y: 2, x: 3 } }, 0)).toBe(runSeed(9, { b: { x: 3, y: 2 }, a: 1 }, 0));
    const small = sweep({ 'topology.degree': [4, 6] });
    const grown = sweep({ 'topology.degree': [2, 4, 6, 8] });
    // degree 4 was cell 0 and is now cell 1: same seeds, same scenarios, same file names.
    const seedsOf = (p: typeof small, degree: number) => p.runs.filter((r) => p.cells[r.cell]!.values['topology.degree'] === degree).map((r) => [r.seed, r.hash]);
    expect(seedsOf(grown, 4)).toEqual(seedsOf(small, 4));
    expect(seedsOf(grown, 6)).toEqual(seedsOf(small, 6));
    const twoAxes = planSweep(parseSweep({ scenario: SCENARIO, grid: { nodes: [200], 'topology.degree': [4] }, replications: 1, seed: 1, metrics: ['x'] }, '.'));
    const swapped = planSweep(parseSweep({ scenario: SCENARIO, grid: { 'topology.degree': [4], nodes: [200] }, replications: 1, seed: 1, metrics: ['x'] }, '.'));
    expect(twoAxes.runs[0]!.seed).toBe(swapped.runs[0]!.seed);
  });

  it('differ across replications, cells and sweep seeds, and land in the scenario', () => {
    const p = sweep({ 'topology.degree': [4, 6] }, 1, 20);
    const seeds = p.runs.map((r) => r.seed);
    expect(new Set(seeds).size).toBe(40);
    for (const s of seeds) expect(Number.isInteger(s) && s >= 0 && s < 2 ** 32).toBe(true);
    expect(p.runs.map((r) => r.scenario.seed)).toEqual(seeds);
    expect(new Set(p.runs.map((r) => r.hash)).size).toBe(40);
    const other = sweep({ 'topology.degree': [4, 6] }, 2, 20);
    expect(other.runs.filter((r, i) => r.seed === seeds[i])).toEqual([]);
  });

  it('are the same on every planning (run order: cell-major, replications inside)', () => {
    const a = sweep({ 'topology.degree': [4, 6] });
    const b = sweep({ 'topology.degree': [4, 6] });
    expect(a.runs.map((r) => [r.index, r.cell, r.replication, r.seed, r.hash])).toEqual(b.runs.map((r) => [r.index, r.cell, r.replication, r.seed, r.hash]));
    expect(a.runs.map((r) => [r.cell, r.replication])).toEqual([[0, 0], [0, 1], [0, 2], [1, 0], [1, 1], [1, 2]]);
  });
});
