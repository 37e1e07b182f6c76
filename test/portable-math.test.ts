// src/portable-math.ts: fdlibm's exp, cos and pow in plain arithmetic, so a run in the visualizer's page
// (a browser's V8) draws what the CLI draws. Each must be bit-identical to the Math function of the Node
// the CLI runs on, or runs that use it would change: a million seeded arguments per function over the
// ranges the simulator uses, the argument-reduction boundaries, and the special cases.
import { describe, expect, it } from 'vitest';

const { exp, cos, pow } = (await import('../dist/src/portable-math.js' as string)) as typeof import('../src/portable-math.js');

/** Seeded uniform doubles in [0, 1) with 53 random bits. */
function uniform(seed: number): () => number {
  let x = seed >>> 0;
  let i = 0;
  const next32 = (): number => {
    x = (Math.imul(x ^ (x >>> 13), 0x5bd1e995) + ++i) >>> 0;
    x ^= x >>> 15;
    return x;
  };
  return () => (next32() * 2 ** 21 + (next32() >>> 11)) / 2 ** 53;
}

const f64 = new Float64Array(1);
const u64 = new BigUint64Array(f64.buffer);
/** The double d units in the last place from v (v > 0). */
function ulps(v: number, d: number): number {
  f64[0] = v;
  u64[0] = u64[0]! + BigInt(d);
  return f64[0]!;
}

const EDGES = [
  0, -0, 1, -1, 2, -2, 0.5, -0.5, 3, -3, 1.5, -7, -7.5, NaN, Infinity, -Infinity, 5e-324, -5e-324, 1e-310,
  2.2250738585072014e-308, -2.2250738585072014e-308, Number.MAX_VALUE, -Number.MAX_VALUE, Number.EPSILON,
  1 + 2 ** -52, 1 - 2 ** -53, -1 - 2 ** -52, 2 ** -28, 2 ** -29, 2 ** 31, 2 ** 31 + 1, 2 ** 53, 2 ** 53 + 2,
  -(2 ** 53) - 2, 2 ** 64, 1.5 * 2 ** 64, 4503599627370495.5, 1023, 1024, -1074, -1075, -1076, 0.1, 10, 1e6,
  709.782712893384, 709.7827128933841, 710, -708.4, -745.1332191019411, -745.1332191019412, Math.PI,
  Math.PI / 2, Math.PI / 4, 0.7853981633974484, 3 * Math.PI / 4, 2 * Math.PI, 0.3, 0.78125, 1e5, 823549.6,
  823550.1, 1647099.3, 1e9, 1e22, 1e300, Math.LN2 / 2, 1.5 * Math.LN2,
];

describe('portable math', () => {
  it('exp is bit-identical to Math.exp on edge cases, threshold neighbours and a million arguments', () => {
    let differ = 0;
    for (const v of EDGES) if (!Object.is(exp(v), Math.exp(v))) differ++;
    for (const c of [709.782712893384, -745.1332191019411, -708.3964185322641, Math.LN2 / 2, 1.5 * Math.LN2, 1, -1]) {
      for (let d = -200; d <= 200; d++) {
        const v = ulps(c, d);
        if (!Object.is(exp(v), Math.exp(v))) differ++;
      }
    }
    const u = uniform(0x2545f491);
    for (let i = 0; i < 500_000; i++) {
      const a = u() * 100 - 50;
      const b = u() * 1455 - 745;
      if (!Object.is(exp(a), Math.exp(a))) differ++;
      if (!Object.is(exp(b), Math.exp(b))) differ++;
    }
    expect(differ).toBe(0);
  });

  it('cos is bit-identical to Math.cos on edge cases, neighbours of n·π/2 and a million arguments', () => {
    let differ = 0;
    for (const v of EDGES) if (!Object.is(cos(v), Math.cos(v))) differ++;
    // Where x - n·π/2 cancels: the second and third reduction steps.
    for (let n = 1; n <= 20_000; n++) {
      for (let d = -2; d <= 2; d++) {
        const v = ulps((n * Math.PI) / 2, d);
        if (!Object.is(cos(v), Math.cos(v)) || !Object.is(cos(-v), Math.cos(-v))) differ++;
      }
    }
    const u = uniform(0x9e3779b9);
    for (let i = 0; i < 500_000; i++) {
      const a = 2 * Math.PI * u();
      const b = u() * 2e5 - 1e5;
      if (!Object.is(cos(a), Math.cos(a))) differ++;
      if (!Object.is(cos(b), Math.cos(b))) differ++;
    }
    // Beyond 2^19·π/2, the long reduction (k_rem_pio2), up to the largest doubles.
    for (let i = 0; i < 50_000; i++) {
      const a = (u() * 2 - 1) * 2 ** 20 * Math.PI;
      const b = (u() * 2 - 1) * 2 ** (u() * 1024);
      if (!Object.is(cos(a), Math.cos(a))) differ++;
      if (!Object.is(cos(b), Math.cos(b))) differ++;
    }
    expect(differ).toBe(0);
  });

  it('pow is bit-identical to Math.pow on special cases, over/underflow edges and a million arguments', () => {
    let differ = 0;
    for (const x of EDGES) for (const y of EDGES) if (!Object.is(pow(x, y), Math.pow(x, y))) differ++;
    expect(Object.is(pow(1, NaN), NaN) && pow(NaN, 0) === 1 && pow(NaN, -0) === 1).toBe(true);
    expect(Object.is(pow(-0, -3), -Infinity) && Object.is(pow(-0, 3), -0) && Object.is(pow(-8, 1 / 3), NaN)).toBe(true);
    const u = uniform(0x85ebca6b);
    for (let i = 0; i < 500_000; i++) {
      const x1 = 1 - u();
      const y1 = u() * 40 - 20;
      const x2 = 1e6 * (1 - u());
      const y2 = u() * 6 - 3;
      if (!Object.is(pow(x1, y1), Math.pow(x1, y1))) differ++;
      if (!Object.is(pow(x2, y2), Math.pow(x2, y2))) differ++;
    }
    for (let i = 0; i < 50_000; i++) {
      // y·log2(x) near 1024 or -1075: overflow, underflow and subnormal results.
      const x = 1 + u() * 1e3;
      const y = ulps((u() < 0.5 ? 1024 : -1075) / Math.log2(x), Math.floor(u() * 2000) - 1000);
      // Negative x with integer y; x near 1 with |y| > 2^31; subnormal x.
      const nx = -(1 + u() * 10);
      const ny = Math.floor(u() * 600) - 300;
      const x1 = ulps(1, Math.floor(u() * 2 ** 20) - 2 ** 19);
      const y1 = (u() * 2 - 1) * 2 ** (31 + u() * 40);
      const x2 = u() * 2 ** -1022;
      const y2 = u() * 4 - 2;
      if (!Object.is(pow(x, y), Math.pow(x, y))) differ++;
      if (!Object.is(pow(nx, ny), Math.pow(nx, ny))) differ++;
      if (!Object.is(pow(nx, ny + 0.5), Math.pow(nx, ny + 0.5))) differ++;
      if (!Object.is(pow(x1, y1), Math.pow(x1, y1))) differ++;
      if (!Object.is(pow(x2, y2), Math.pow(x2, y2))) differ++;
    }
    expect(differ).toBe(0);
  });
});
