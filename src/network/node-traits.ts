// Per-node heterogeneity (docs/scenario.md, "Heterogeneity"): each node's bandwidth, speed and class,
// drawn once per node as pure functions of (seed, node) from the node's own `attribute` stream, so any
// shard — and the coordinator's measures — can evaluate any node's traits without storing or
// exchanging them (docs/architecture.md, "Randomness"). Nothing here is drawn during the run.
import { NODE_PURPOSE, nodeUniform } from '../engine/node-streams.js';
import { cos, exp, log } from '../math.js';

/**
 * Draw numbers of the `attribute` stream this module owns. Draw 0 belongs to the chain model (whether
 * a node speaks compact blocks); each trait has its own draw, so adding one never shifts another.
 */
const DRAW_SLOW = 1;
const DRAW_UPLOAD = 2;
const DRAW_DOWNLOAD = 3;
const DRAW_SPEED_1 = 4;
const DRAW_SPEED_2 = 5;
/** lognormal bandwidth takes a second draw each: upload 2 and 6, download 3 and 7. */
const SECOND_DRAW = 4;

/** How a node's bandwidth relates to its region's. */
export type BandwidthDraw = 'region' | 'lognormal' | 'empirical';

/** The compiled `heterogeneity` section: plain data every shard receives. */
export interface TraitsPlan {
  readonly seed: number;
  readonly bandwidth: BandwidthDraw;
  /** lognormal: σ of ln(bandwidth) around the region's value (its median). */
  readonly bandwidthSigma: number;
  /** empirical: per region, bandwidth (Mbps) at percentiles 0, 1, …, 100. */
  readonly uploadPercentiles: readonly (readonly number[])[] | null;
  readonly downloadPercentiles: readonly (readonly number[])[] | null;
  /** σ of ln(speed factor), median 1: a node's validation and processing times are multiplied by it. */
  readonly speedSigma: number;
  readonly slowShare: number;
  /** A slow node's bandwidth is multiplied by this, its validation and processing times by speedFactor. */
  readonly slowBandwidthFactor: number;
  readonly slowSpeedFactor: number;
  /** Validation time per MB (10^6 bytes) of block, at speed factor 1: the chain model's. */
  readonly verifyMsPerMB: number;
}

/** Whether the traits change any node's bandwidth; if not, the link keeps its per-region path. */
export function variesBandwidth(t: TraitsPlan | null): t is TraitsPlan {
  return t !== null && (t.bandwidth !== 'region' || (t.slowShare > 0 && t.slowBandwidthFactor !== 1));
}

/** Whether node `node` is of the "slow" class. */
export function isSlow(t: TraitsPlan | null, node: number): boolean {
  return t !== null && t.slowShare > 0 && nodeUniform(t.seed, node, NODE_PURPOSE.attribute, DRAW_SLOW) < t.slowShare;
}

/**
 * The factor a node's validation and per-message processing times are multiplied by: lognormal with
 * median 1, times the slow factor for slow nodes. Exactly 1 without heterogeneity.
 */
export function speedFactor(t: TraitsPlan | null, node: number): number {
  if (t === null) return 1;
  let f = 1;
  if (t.speedSigma > 0) f = exp(t.speedSigma * normal(t.seed, node, DRAW_SPEED_1, DRAW_SPEED_2));
  return isSlow(t, node) ? f * t.slowSpeedFactor : f;
}

/**
 * A node's upload or download bandwidth in Mbps, as the link stores it (float32), given its region's
 * value `regionMbps` and its region index.
 */
export function nodeMbps(t: TraitsPlan, dir: 'upload' | 'download', node: number, region: number, regionMbps: number): number {
  const draw = dir === 'upload' ? DRAW_UPLOAD : DRAW_DOWNLOAD;
  let mbps = regionMbps;
  if (t.bandwidth === 'lognormal') {
    mbps = regionMbps * exp(t.bandwidthSigma * normal(t.seed, node, draw, draw + SECOND_DRAW));
  } else if (t.bandwidth === 'empirical') {
    const table = (dir === 'upload' ? t.uploadPercentiles : t.downloadPercentiles)![region]!;
    mbps = percentile(table, nodeUniform(t.seed, node, NODE_PURPOSE.attribute, draw));
  }
  if (t.slowShare > 0 && isSlow(t, node)) mbps *= t.slowBandwidthFactor;
  return Math.fround(mbps);
}

/** Every node's bandwidth in one direction, indexed by global node id (what the link reads per send). */
export function bandwidthTable(t: TraitsPlan, dir: 'upload' | 'download', region: Uint8Array, regionMbps: readonly number[]): Float32Array {
  const out = new Float32Array(region.length);
  for (let v = 0; v < region.length; v++) out[v] = nodeMbps(t, dir, v, region[v]!, regionMbps[region[v]!]!);
  return out;
}

/** The table read at u in [0, 1): linear between the percentiles u falls between. */
export function percentile(table: readonly number[], u: number): number {
  const x = u * (table.length - 1);
  const i = Math.min(table.length - 2, Math.floor(x));
  return table[i]! + (table[i + 1]! - table[i]!) * (x - i);
}

/**
 * Percentiles 0, 1, …, 100 of a distribution given as [value, share below it] points, the share taken
 * linear in log(value) between points (a measured CDF read off at a few rates; the first share 0, the last 1).
 */
export function logCdfPercentiles(points: readonly (readonly [number, number])[]): number[] {
  const out: number[] = [];
  let i = 0;
  for (let k = 0; k <= 100; k++) {
    const q = k / 100;
    while (i < points.length - 2 && q > points[i + 1]![1]) i++;
    const [x0, p0] = points[i]!;
    const [x1, p1] = points[i + 1]!;
    out.push(exp(log(x0) + ((q - p0) / (p1 - p0)) * (log(x1) - log(x0))));
  }
  return out;
}

/** A standard normal from two of the node's attribute draws (Box–Muller, cosine branch). */
function normal(seed: number, node: number, k1: number, k2: number): number {
  const u1 = 1 - nodeUniform(seed, node, NODE_PURPOSE.attribute, k1);
  const u2 = nodeUniform(seed, node, NODE_PURPOSE.attribute, k2);
  return Math.sqrt(-2 * log(u1)) * cos(2 * Math.PI * u2);
}
