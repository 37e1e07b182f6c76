// The exponential, cosine and power as fdlibm computes them (e_exp.c; s_cos.c with k_cos.c, k_sin.c,
// e_rem_pio2.c and k_rem_pio2.c; e_pow.c), in plain double arithmetic, so they give the same bits on
// every JavaScript engine. Like Math.log (src/portable-log.ts), Math.exp, Math.cos and Math.pow are
// left to each engine: Node 20's V8 uses these very algorithms (with V8's own edits, kept here), but
// newer Chromium takes them from another library and differs in the last bit for 3-10 % of arguments,
// so a run drawn in the visualizer's page would not replay under the CLI (docs/viz.md, "Exact
// replay"). Bit-identical to Node 20's Math.exp, Math.cos and Math.pow (test/portable-math.test.ts).
// Math.sqrt, Math.floor and Math.abs are exact in every engine, so they are used as they are.

const f64 = new Float64Array(1);
const u32 = new Uint32Array(f64.buffer);
// Which word of a double holds the sign, exponent and high mantissa bits (little-endian: the second).
const HI = new Uint8Array(new Float64Array([1]).buffer)[7] === 0x3f ? 1 : 0;
const LO = 1 - HI;

const HUGE = 1.0e300;
const TINY = 1.0e-300;
const TWO24 = 1.67772160000000000000e7;
const TWON24 = 5.96046447753906250000e-8;
const TWO53 = 9007199254740992.0;
const TWO54 = 1.80143985094819840000e16;
const TWOM54 = 5.55111512312578270212e-17;

// Shared by e_exp.c and e_pow.c: the polynomial for exp(r) on [0, 0.34658].
const P1 = 1.66666666666666019037e-1;
const P2 = -2.77777777770155933842e-3;
const P3 = 6.61375632143793436117e-5;
const P4 = -1.65339022054652515390e-6;
const P5 = 4.13813679705723846039e-8;

/** The double whose high word is `hi` and low word `lo`. */
function fromWords(hi: number, lo: number): number {
  u32[HI] = hi;
  u32[LO] = lo;
  return f64[0]!;
}

/** `x` with its low word cleared. */
function clearLow(x: number): number {
  f64[0] = x;
  u32[LO] = 0;
  return f64[0]!;
}

/** x * 2^n, rounded once, as libm's scalbn gives it. */
function scalbn(x: number, n: number): number {
  f64[0] = x;
  let hx = u32[HI]! | 0;
  let k = (hx & 0x7ff00000) >> 20;
  if (k === 0) {
    if (((hx & 0x7fffffff) | u32[LO]!) === 0) return x;
    // Subnormal: scale up.
    x *= TWO54;
    f64[0] = x;
    hx = u32[HI]! | 0;
    k = ((hx & 0x7ff00000) >> 20) - 54;
  }
  if (k === 0x7ff) return x + x;
  k += n;
  if (k > 0x7fe) return x > 0 ? Infinity : -Infinity;
  if (k > 0) {
    u32[HI] = (hx & 0x800fffff) | (k << 20);
    return f64[0]!;
  }
  if (k <= -54) return x > 0 ? 0 : -0;
  u32[HI] = (hx & 0x800fffff) | ((k + 54) << 20);
  return f64[0]! * TWOM54;
}

// ---------------------------------------------------------------------------------------------------
// exp (e_exp.c)

const O_THRESHOLD = 7.09782712893383973096e2;
const U_THRESHOLD = -7.45133219101941108420e2;
const LN2_HI = 6.93147180369123816490e-1;
const LN2_LO = 1.90821492927058770002e-10;
const INVLN2 = 1.44269504088896338700;
const E = 2.718281828459045;
const TWOM1000 = 9.33263618503218878990e-302;
const TWO1023 = 8.988465674311579539e307;

export function exp(x: number): number {
  f64[0] = x;
  let hx = u32[HI]!;
  const xsb = hx >>> 31;
  hx &= 0x7fffffff;
  if (hx >= 0x40862e42) {
    // |x| >= 709.78...
    if (hx >= 0x7ff00000) {
      if (((hx & 0xfffff) | u32[LO]!) !== 0) return x + x;
      return xsb === 0 ? x : 0;
    }
    if (x > O_THRESHOLD) return HUGE * HUGE;
    if (x < U_THRESHOLD) return TWOM1000 * TWOM1000;
  }
  let hi = 0;
  let lo = 0;
  let k = 0;
  if (hx > 0x3fd62e42) {
    // |x| > ln2 / 2: x = k * ln2 + (hi - lo).
    if (hx < 0x3ff0a2b2) {
      // V8 returns e itself for exp(1), where the reduction would miss the last bit.
      if (x === 1) return E;
      hi = xsb === 0 ? x - LN2_HI : x + LN2_HI;
      lo = xsb === 0 ? LN2_LO : -LN2_LO;
      k = 1 - xsb - xsb;
    } else {
      k = (INVLN2 * x + (xsb === 0 ? 0.5 : -0.5)) | 0;
      hi = x - k * LN2_HI;
      lo = k * LN2_LO;
    }
    x = hi - lo;
  } else if (hx < 0x3e300000) {
    // |x| < 2^-28
    return 1 + x;
  }
  const t = x * x;
  const twopk = k >= -1021 ? fromWords(0x3ff00000 + (k << 20), 0) : fromWords(0x3ff00000 + ((k + 1000) << 20), 0);
  const c = x - t * (P1 + t * (P2 + t * (P3 + t * (P4 + t * P5))));
  if (k === 0) return 1 - ((x * c) / (c - 2.0) - x);
  const y = 1 - ((lo - (x * c) / (2.0 - c)) - hi);
  if (k >= -1021) {
    if (k === 1024) return y * 2.0 * TWO1023;
    return y * twopk;
  }
  return y * twopk * TWOM1000;
}

// ---------------------------------------------------------------------------------------------------
// cos (s_cos.c, k_cos.c, k_sin.c, e_rem_pio2.c, k_rem_pio2.c)

const C1 = 4.16666666666666019037e-2;
const C2 = -1.38888888888741095749e-3;
const C3 = 2.48015872894767294178e-5;
const C4 = -2.75573143513906633035e-7;
const C5 = 2.08757232129817482790e-9;
const C6 = -1.13596475577881948265e-11;

const S1 = -1.66666666666666324348e-1;
const S2 = 8.33333333332248946124e-3;
const S3 = -1.98412698298579493134e-4;
const S4 = 2.75573137070700676789e-6;
const S5 = -2.50507602534068634195e-8;
const S6 = 1.58969099521155010221e-10;

const INVPIO2 = 6.36619772367581382433e-1;
const PIO2_1 = 1.57079632673412561417;
const PIO2_1T = 6.07710050650619224932e-11;
const PIO2_2 = 6.07710050630396597660e-11;
const PIO2_2T = 2.02226624879595063154e-21;
const PIO2_3 = 2.02226624871116645580e-21;
const PIO2_3T = 8.47842766036889956997e-32;

// High words of n * pi / 2 for n = 1 .. 32, where the medium reduction may cancel.
const NPIO2_HW = [
  0x3ff921fb, 0x400921fb, 0x4012d97c, 0x401921fb, 0x401f6a7a, 0x4022d97c, 0x4025fdbb, 0x402921fb,
  0x402c463a, 0x402f6a7a, 0x4031475c, 0x4032d97c, 0x40346b9c, 0x4035fdbb, 0x40378fdb, 0x403921fb,
  0x403ab41b, 0x403c463a, 0x403dd85a, 0x403f6a7a, 0x40407e4c, 0x4041475c, 0x4042106c, 0x4042d97c,
  0x4043a28c, 0x40446b9c, 0x404534ac, 0x4045fdbb, 0x4046c6cb, 0x40478fdb, 0x404858eb, 0x404921fb,
];

// 2 / pi in 24-bit chunks, for the reduction of large arguments.
const TWO_OVER_PI = [
  0xa2f983, 0x6e4e44, 0x1529fc, 0x2757d1, 0xf534dd, 0xc0db62, 0x95993c, 0x439041, 0xfe5163, 0xabdebb,
  0xc561b7, 0x246e3a, 0x424dd2, 0xe00649, 0x2eea09, 0xd1921c, 0xfe1deb, 0x1cb129, 0xa73ee8, 0x8235f5,
  0x2ebb44, 0x84e99c, 0x7026b4, 0x5f7e41, 0x3991d6, 0x398353, 0x39f49c, 0x845f8b, 0xbdf928, 0x3b1ff8,
  0x97ffde, 0x05980f, 0xef2f11, 0x8b5a0a, 0x6d1f6d, 0x367ecf, 0x27cb09, 0xb74f46, 0x3f669e, 0x5fea2d,
  0x7527ba, 0xc7ebe5, 0xf17b3d, 0x0739f7, 0x8a5292, 0xea6bfb, 0x5fb11f, 0x8d5d08, 0x560330, 0x46fc7b,
  0x6babf0, 0xcfbc20, 0x9af436, 0x1da9e3, 0x91615e, 0xe61b08, 0x659985, 0x5f14a0, 0x68408d, 0xffd880,
  0x4d7327, 0x310606, 0x1556ca, 0x73a8c9, 0x60e27b, 0xc08c6b,
];

// pi / 2 in 24-bit chunks.
const PIO2 = [
  1.57079625129699707031, 7.54978941586159635335e-8, 5.39030252995776476554e-15, 3.28200341580791294123e-22,
  1.27065575308067607349e-29, 1.22933308981111328932e-36, 2.73370053816464559624e-44, 2.16741683877804819444e-51,
];

// The reduced argument y0 + y1 = x - n * pi / 2 that remPio2 leaves, and its scratch space.
let y0 = 0;
let y1 = 0;
const tx = new Float64Array(3);
const fArr = new Float64Array(20);
const qArr = new Float64Array(20);
const fqArr = new Float64Array(20);
const iqArr = new Int32Array(20);

/** cos(x + y) for |x| <= pi / 4, y the tail of x. */
function kernelCos(x: number, y: number): number {
  f64[0] = x;
  const ix = u32[HI]! & 0x7fffffff;
  if (ix < 0x3e400000) return 1; // |x| < 2^-27
  const z = x * x;
  const r = z * (C1 + z * (C2 + z * (C3 + z * (C4 + z * (C5 + z * C6)))));
  if (ix < 0x3fd33333) return 1 - (0.5 * z - (z * r - x * y)); // |x| < 0.3
  const qx = ix > 0x3fe90000 ? 0.28125 : fromWords(ix - 0x00200000, 0);
  const iz = 0.5 * z - qx;
  const a = 1 - qx;
  return a - (iz - (z * r - x * y));
}

/** sin(x + y) for |x| <= pi / 4, y the tail of x (k_sin.c with iy = 1). */
function kernelSin(x: number, y: number): number {
  f64[0] = x;
  if ((u32[HI]! & 0x7fffffff) < 0x3e400000) return x; // |x| < 2^-27
  const z = x * x;
  const v = z * x;
  const r = S2 + z * (S3 + z * (S4 + z * (S5 + z * S6)));
  return x - ((z * (0.5 * y - v * r) - y) - v * S1);
}

/** Reduces x (finite, |x| > pi / 4) to y0 + y1 = x - n * pi / 2, |y0 + y1| <= pi / 4; returns n. */
function remPio2(x: number): number {
  f64[0] = x;
  const hx = u32[HI]! | 0;
  const lx = u32[LO]!;
  const ix = hx & 0x7fffffff;
  if (ix < 0x4002d97c) {
    // |x| < 3pi/4: n = +-1.
    if (hx > 0) {
      let z = x - PIO2_1;
      if (ix !== 0x3ff921fb) {
        y0 = z - PIO2_1T;
        y1 = (z - y0) - PIO2_1T;
      } else {
        // Near pi/2: 33 + 33 + 53 bits of pi.
        z -= PIO2_2;
        y0 = z - PIO2_2T;
        y1 = (z - y0) - PIO2_2T;
      }
      return 1;
    }
    let z = x + PIO2_1;
    if (ix !== 0x3ff921fb) {
      y0 = z + PIO2_1T;
      y1 = (z - y0) + PIO2_1T;
    } else {
      z += PIO2_2;
      y0 = z + PIO2_2T;
      y1 = (z - y0) + PIO2_2T;
    }
    return -1;
  }
  if (ix <= 0x413921fb) {
    // |x| <= 2^19 * pi/2: medium size.
    let t = Math.abs(x);
    const n = (t * INVPIO2 + 0.5) | 0;
    const fn = n;
    let r = t - fn * PIO2_1;
    let w = fn * PIO2_1T; // first round good to 85 bits
    if (n < 32 && ix !== NPIO2_HW[n - 1]) {
      y0 = r - w;
    } else {
      const j = ix >> 20;
      y0 = r - w;
      f64[0] = y0;
      let i = j - ((u32[HI]! >> 20) & 0x7ff);
      if (i > 16) {
        // Second iteration, good to 118 bits.
        t = r;
        w = fn * PIO2_2;
        r = t - w;
        w = fn * PIO2_2T - ((t - r) - w);
        y0 = r - w;
        f64[0] = y0;
        i = j - ((u32[HI]! >> 20) & 0x7ff);
        if (i > 49) {
          // Third iteration, 151 bits: covers every case.
          t = r;
          w = fn * PIO2_3;
          r = t - w;
          w = fn * PIO2_3T - ((t - r) - w);
          y0 = r - w;
        }
      }
    }
    y1 = (r - y0) - w;
    if (hx < 0) {
      y0 = -y0;
      y1 = -y1;
      return -n;
    }
    return n;
  }
  // Large: split |x| * 2^-e0 into three 24-bit pieces, e0 = ilogb(x) - 23.
  const e0 = (ix >> 20) - 1046;
  let z = fromWords(ix - (e0 << 20), lx);
  for (let i = 0; i < 2; i++) {
    tx[i] = z | 0;
    z = (z - tx[i]!) * TWO24;
  }
  tx[2] = z;
  let nx = 3;
  while (tx[nx - 1] === 0) nx--;
  const n = kernelRemPio2(e0, nx);
  if (hx < 0) {
    y0 = -y0;
    y1 = -y1;
    return -n;
  }
  return n;
}

/**
 * k_rem_pio2.c at 53-bit precision (prec 2 in fdlibm): the pieces tx[0 .. nx-1] of x (scaled by
 * 2^e0) times 2/pi, without the part that is a multiple of 8. Leaves y0 + y1; returns n mod 8.
 */
function kernelRemPio2(e0: number, nx: number): number {
  const jk = 4;
  const jp = jk;
  const jx = nx - 1;
  let jv = ((e0 - 3) / 24) | 0;
  if (jv < 0) jv = 0;
  let q0 = e0 - 24 * (jv + 1);

  // f[0 .. jx + jk] = ipio2[jv - jx .. jv + jk].
  let j = jv - jx;
  const m = jx + jk;
  for (let i = 0; i <= m; i++, j++) fArr[i] = j < 0 ? 0 : TWO_OVER_PI[j]!;

  for (let i = 0; i <= jk; i++) {
    let fw = 0.0;
    for (j = 0; j <= jx; j++) fw += tx[j]! * fArr[jx + i - j]!;
    qArr[i] = fw;
  }

  let jz = jk;
  let z: number;
  let n: number;
  let ih: number;
  for (;;) {
    // Distill q[] into iq[], reversed.
    let i = 0;
    z = qArr[jz]!;
    for (j = jz; j > 0; i++, j--) {
      const fw = (TWON24 * z) | 0;
      iqArr[i] = (z - TWO24 * fw) | 0;
      z = qArr[j - 1]! + fw;
    }

    z = scalbn(z, q0);
    z -= 8.0 * Math.floor(z * 0.125); // trim off the integer part >= 8
    n = z | 0;
    z -= n;
    ih = 0;
    if (q0 > 0) {
      // iq[jz-1] holds the lowest bits of n.
      i = iqArr[jz - 1]! >> (24 - q0);
      n += i;
      iqArr[jz - 1] = iqArr[jz - 1]! - (i << (24 - q0));
      ih = iqArr[jz - 1]! >> (23 - q0);
    } else if (q0 === 0) {
      ih = iqArr[jz - 1]! >> 23;
    } else if (z >= 0.5) {
      ih = 2;
    }

    if (ih > 0) {
      // q >= 0.5: take 1 - q.
      n += 1;
      let carry = 0;
      for (i = 0; i < jz; i++) {
        j = iqArr[i]!;
        if (carry === 0) {
          if (j !== 0) {
            carry = 1;
            iqArr[i] = 0x1000000 - j;
          }
        } else {
          iqArr[i] = 0xffffff - j;
        }
      }
      if (q0 === 1) iqArr[jz - 1] = iqArr[jz - 1]! & 0x7fffff;
      else if (q0 === 2) iqArr[jz - 1] = iqArr[jz - 1]! & 0x3fffff;
      if (ih === 2) {
        z = 1 - z;
        if (carry !== 0) z -= scalbn(1, q0);
      }
    }

    // Recompute with more terms of 2/pi if the fraction cancelled to zero.
    if (z !== 0) break;
    j = 0;
    for (i = jz - 1; i >= jk; i--) j |= iqArr[i]!;
    if (j !== 0) break;
    let k = 1;
    while (jk >= k && iqArr[jk - k] === 0) k++; // k = number of terms needed
    for (i = jz + 1; i <= jz + k; i++) {
      fArr[jx + i] = TWO_OVER_PI[jv + i]!;
      let fw = 0.0;
      for (j = 0; j <= jx; j++) fw += tx[j]! * fArr[jx + i - j]!;
      qArr[i] = fw;
    }
    jz += k;
  }

  // Chop off zero terms, or break z into 24-bit pieces.
  if (z === 0) {
    jz -= 1;
    q0 -= 24;
    while (iqArr[jz] === 0) {
      jz--;
      q0 -= 24;
    }
  } else {
    z = scalbn(z, -q0);
    if (z >= TWO24) {
      const fw = (TWON24 * z) | 0;
      iqArr[jz] = (z - TWO24 * fw) | 0;
      jz += 1;
      q0 += 24;
      iqArr[jz] = fw;
    } else {
      iqArr[jz] = z | 0;
    }
  }

  // The 24-bit chunks as doubles.
  let fw = scalbn(1, q0);
  for (let i = jz; i >= 0; i--) {
    qArr[i] = fw * iqArr[i]!;
    fw *= TWON24;
  }

  // PIo2[0 .. jp] * q[jz .. 0].
  for (let i = jz; i >= 0; i--) {
    fw = 0.0;
    for (let k = 0; k <= jp && k <= jz - i; k++) fw += PIO2[k]! * qArr[i + k]!;
    fqArr[jz - i] = fw;
  }

  // Compress fq[] into y0 + y1.
  fw = 0.0;
  for (let i = jz; i >= 0; i--) fw += fqArr[i]!;
  y0 = ih === 0 ? fw : -fw;
  fw = fqArr[0]! - fw;
  for (let i = 1; i <= jz; i++) fw += fqArr[i]!;
  y1 = ih === 0 ? fw : -fw;
  return n & 7;
}

export function cos(x: number): number {
  f64[0] = x;
  const ix = u32[HI]! & 0x7fffffff;
  if (ix <= 0x3fe921fb) return kernelCos(x, 0); // |x| ~<= pi/4
  if (ix >= 0x7ff00000) return x - x; // Infinity or NaN
  switch (remPio2(x) & 3) {
    case 0:
      return kernelCos(y0, y1);
    case 1:
      return -kernelSin(y0, y1);
    case 2:
      return -kernelCos(y0, y1);
    default:
      return kernelSin(y0, y1);
  }
}

// ---------------------------------------------------------------------------------------------------
// pow (e_pow.c)

const BP = [1.0, 1.5];
const DP_H = [0.0, 5.84962487220764160156e-1];
const DP_L = [0.0, 1.35003920212974897128e-8];
// Polynomial for (3/2) * (log(x) - 2s - 2/3 * s^3).
const L1 = 5.99999999999994648725e-1;
const L2 = 4.28571428578550184252e-1;
const L3 = 3.33333329818377432918e-1;
const L4 = 2.72728123808534006489e-1;
const L5 = 2.30660745775561754067e-1;
const L6 = 2.06975017800338417784e-1;
const LG2 = 6.93147180559945286227e-1;
const LG2_H = 6.93147182464599609375e-1;
const LG2_L = -1.90465429995776804525e-9;
const OVT = 8.0085662595372944372e-17; // -(1024 - log2(ovfl + 0.5 ulp))
const CP = 9.61796693925975554329e-1; // 2 / (3 ln2)
const CP_H = 9.61796700954437255859e-1;
const CP_L = -7.02846165095275826516e-9;
const IVLN2 = 1.44269504088896338700;
const IVLN2_H = 1.44269502162933349609;
const IVLN2_L = 1.92596299112661746887e-8;

export function pow(x: number, y: number): number {
  f64[0] = x;
  const hx = u32[HI]! | 0;
  const lx = u32[LO]!;
  f64[0] = y;
  const hy = u32[HI]! | 0;
  const ly = u32[LO]!;
  let ix = hx & 0x7fffffff;
  const iy = hy & 0x7fffffff;

  if ((iy | ly) === 0) return 1; // x ** +-0 = 1, NaN included
  if (x !== x || y !== y) return NaN;

  // yisint: 0 when y is not an integer, 1 when it is odd, 2 when even (decided only for x < 0).
  let yisint = 0;
  if (hx < 0) {
    if (iy >= 0x43400000) {
      yisint = 2;
    } else if (iy >= 0x3ff00000) {
      const k = (iy >> 20) - 0x3ff;
      if (k > 20) {
        const j = ly >>> (52 - k);
        if (j << (52 - k) === (ly | 0)) yisint = 2 - (j & 1);
      } else if (ly === 0) {
        const j = iy >> (20 - k);
        if (j << (20 - k) === iy) yisint = 2 - (j & 1);
      }
    }
  }

  if (ly === 0) {
    if (iy === 0x7ff00000) {
      // y = +-Infinity
      if (((ix - 0x3ff00000) | lx) === 0) return y - y; // (+-1) ** +-Infinity is NaN
      if (ix >= 0x3ff00000) return hy >= 0 ? y : 0;
      return hy < 0 ? -y : 0;
    }
    if (iy === 0x3ff00000) return hy < 0 ? 1 / x : x;
    if (hy === 0x40000000) return x * x;
    if (hy === 0x3fe00000 && hx >= 0) return Math.sqrt(x);
  }

  let ax = Math.abs(x);
  if (lx === 0 && (ix === 0x7ff00000 || ix === 0 || ix === 0x3ff00000)) {
    // x = +-0, +-Infinity or +-1
    let z = ax;
    if (hy < 0) z = 1 / z;
    if (hx < 0) {
      if (((ix - 0x3ff00000) | yisint) === 0) z = NaN; // (-1) ** non-integer
      else if (yisint === 1) z = -z;
    }
    return z;
  }

  let n = (hx >> 31) + 1;
  if ((n | yisint) === 0) return NaN; // (x < 0) ** non-integer
  const s = (n | (yisint - 1)) === 0 ? -1 : 1; // sign of the result

  // log2(ax) = t1 + t2, t1 with its low word clear.
  let t1: number;
  let t2: number;
  if (iy > 0x41e00000) {
    // |y| > 2^31
    if (iy > 0x43f00000) {
      // |y| > 2^64: overflow or underflow
      if (ix <= 0x3fefffff) return hy < 0 ? HUGE * HUGE : TINY * TINY;
      if (ix >= 0x3ff00000) return hy > 0 ? HUGE * HUGE : TINY * TINY;
    }
    if (ix < 0x3fefffff) return hy < 0 ? s * HUGE * HUGE : s * TINY * TINY;
    if (ix > 0x3ff00000) return hy > 0 ? s * HUGE * HUGE : s * TINY * TINY;
    // |1 - x| <= 2^-20: log(x) by x - x^2/2 + x^3/3 - x^4/4.
    const t = ax - 1;
    const w = (t * t) * (0.5 - t * (0.3333333333333333333333 - t * 0.25));
    const u = IVLN2_H * t;
    const v = t * IVLN2_L - w * IVLN2;
    t1 = clearLow(u + v);
    t2 = v - (t1 - u);
  } else {
    n = 0;
    if (ix < 0x00100000) {
      // Subnormal x: scale up.
      ax *= TWO53;
      n -= 53;
      f64[0] = ax;
      ix = u32[HI]! | 0;
    }
    n += (ix >> 20) - 0x3ff;
    const j = ix & 0x000fffff;
    ix = j | 0x3ff00000;
    let k: number;
    if (j <= 0x3988e) {
      k = 0; // |x| < sqrt(3/2)
    } else if (j < 0xbb67a) {
      k = 1; // |x| < sqrt(3)
    } else {
      k = 0;
      n += 1;
      ix -= 0x00100000;
    }
    f64[0] = ax;
    u32[HI] = ix;
    ax = f64[0]!;

    // ss = s_h + s_l = (x - 1) / (x + 1) or (x - 1.5) / (x + 1.5)
    const bp = BP[k]!;
    let u = ax - bp;
    let v = 1 / (ax + bp);
    const ss = u * v;
    const sH = clearLow(ss);
    let tH = fromWords(((ix >> 1) | 0x20000000) + 0x00080000 + (k << 18), 0); // ax + bp, high part
    let tL = ax - (tH - bp);
    const sL = v * ((u - sH * tH) - sH * tL);
    // log(ax)
    let s2 = ss * ss;
    let r = s2 * s2 * (L1 + s2 * (L2 + s2 * (L3 + s2 * (L4 + s2 * (L5 + s2 * L6)))));
    r += sL * (sH + ss);
    s2 = sH * sH;
    tH = clearLow(3.0 + s2 + r);
    tL = r - ((tH - 3.0) - s2);
    // u + v = ss * (1 + ...)
    u = sH * tH;
    v = sL * tH + tL * ss;
    // 2 / (3 log2) * (ss + ...)
    const pH = clearLow(u + v);
    const pL = v - (pH - u);
    const zH = CP_H * pH;
    const zL = CP_L * pH + pL * CP + DP_L[k]!;
    // log2(ax) = (ss + ...) * 2 / (3 log2) = n + dp_h + z_h + z_l
    const t = n;
    t1 = clearLow(((zH + zL) + DP_H[k]!) + t);
    t2 = zL - (((t1 - t) - DP_H[k]!) - zH);
  }

  // (y1 + y2) * (t1 + t2) = p_h + p_l, y1 (here yH) the high part of y.
  const yH = clearLow(y);
  const pL = (y - yH) * t1 + y * t2;
  let pH = yH * t1;
  let z = pL + pH;
  f64[0] = z;
  let j = u32[HI]! | 0;
  let i = u32[LO]!;
  if (j >= 0x40900000) {
    // z >= 1024
    if (((j - 0x40900000) | i) !== 0) return s * HUGE * HUGE;
    if (pL + OVT > z - pH) return s * HUGE * HUGE;
  } else if ((j & 0x7fffffff) >= 0x4090cc00) {
    // z <= -1075
    if (j !== (0xc090cc00 | 0) || i !== 0) return s * TINY * TINY;
    if (pL <= z - pH) return s * TINY * TINY;
  }

  // 2 ** (p_h + p_l)
  i = j & 0x7fffffff;
  let k = (i >> 20) - 0x3ff;
  n = 0;
  if (i > 0x3fe00000) {
    // |z| > 0.5: n = [z + 0.5]
    n = j + (0x00100000 >> (k + 1));
    k = ((n & 0x7fffffff) >> 20) - 0x3ff;
    const t = fromWords(n & ~(0x000fffff >> k), 0);
    n = ((n & 0x000fffff) | 0x00100000) >> (20 - k);
    if (j < 0) n = -n;
    pH -= t;
  }
  const t = clearLow(pL + pH);
  const u = t * LG2_H;
  const v = (pL - (t - pH)) * LG2 + t * LG2_L;
  z = u + v;
  const w = v - (z - u);
  const tt = z * z;
  const tt1 = z - tt * (P1 + tt * (P2 + tt * (P3 + tt * (P4 + tt * P5))));
  const r = (z * tt1) / ((tt1 - 2) - (w + z * w));
  z = 1 - (r - z);
  f64[0] = z;
  j = u32[HI]! | 0;
  j += n << 20;
  if (j >> 20 <= 0) {
    z = scalbn(z, n); // subnormal result
  } else {
    u32[HI] = j;
    z = f64[0]!;
  }
  return s * z;
}
