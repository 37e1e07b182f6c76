// The link model: how long a message takes from one node to another, latency plus transfer time. Used
// by the one send path (Shard.send), and by the coordinator to derive the lookahead, so the two can
// never disagree.
import type { Link, LinkRandom } from '../engine/model.js';
import type { LatencyPlan } from '../scenario/network-plan.js';
import { bandwidthTable, variesBandwidth, type TraitsPlan } from './node-traits.js';
import { cos, exp, log } from '../math.js';

/** Per region, Mbps; null when messages take no transfer time. */
export interface BandwidthPlan {
  readonly uploadMbps: readonly number[] | null;
  readonly downloadMbps: readonly number[] | null;
}

/** Milliseconds `sizeBytes` take at `mbps`. */
function msAt(sizeBytes: number, mbps: number): number {
  return (sizeBytes * 8) / (mbps * 1000);
}

/** Transfer time, shared by every latency model: the narrower of the sender's upload and the receiver's download. */
abstract class BandwidthLink implements Link {
  private up: Float64Array | null = null;
  private down: Float64Array | null = null;
  private bwRegion: Uint8Array = new Uint8Array(0);
  /**
   * With per-node heterogeneity, every node's own bandwidth by global id (float32: 8 bytes a node, in
   * each shard), built once from the pure per-node draws, so a send reads two entries and allocates
   * nothing; null otherwise, and the per-region path below is taken exactly as before.
   */
  private upNode: Float32Array | null = null;
  private downNode: Float32Array | null = null;
  withBandwidth(region: Uint8Array, bw: BandwidthPlan, traits: TraitsPlan | null): this {
    this.bwRegion = region;
    this.up = bw.uploadMbps && Float64Array.from(bw.uploadMbps);
    this.down = bw.downloadMbps && Float64Array.from(bw.downloadMbps);
    if (bw.uploadMbps && bw.downloadMbps && variesBandwidth(traits)) {
      this.upNode = bandwidthTable(traits, 'upload', region, bw.uploadMbps);
      this.downNode = bandwidthTable(traits, 'download', region, bw.downloadMbps);
    }
    return this;
  }
  transferMs(from: number, to: number, sizeBytes: number): number {
    const upNode = this.upNode;
    if (upNode !== null) return msAt(sizeBytes, Math.min(upNode[from]!, this.downNode![to]!));
    if (this.up === null) return 0;
    return msAt(sizeBytes, Math.min(this.up[this.bwRegion[from]!]!, this.down![this.bwRegion[to]!]!));
  }
  uploadMs(from: number, sizeBytes: number): number {
    if (this.upNode !== null) return msAt(sizeBytes, this.upNode[from]!);
    if (this.up === null) return 0;
    return msAt(sizeBytes, this.up[this.bwRegion[from]!]!);
  }
  abstract latency(from: number, to: number, rnd: LinkRandom): number;
  abstract floor(a: number, b: number): number;
}

class ConstantLink extends BandwidthLink {
  constructor(private readonly ms: number) {
    super();
  }
  latency(): number {
    return this.ms;
  }
  floor(): number {
    return this.ms;
  }
}

class UniformLink extends BandwidthLink {
  constructor(private readonly minMs: number, private readonly maxMs: number) {
    super();
  }
  latency(_from: number, _to: number, rnd: LinkRandom): number {
    return this.minMs + (this.maxMs - this.minMs) * rnd.linkUniform();
  }
  floor(): number {
    return this.minMs;
  }
}

class LognormalLink extends BandwidthLink {
  constructor(private readonly mu: number, private readonly sigma: number, private readonly minMs: number) {
    super();
  }
  latency(_from: number, _to: number, rnd: LinkRandom): number {
    // Box–Muller from two draws; the cosine branch only, so each sample costs a fixed two draws.
    const u1 = 1 - rnd.linkUniform();
    const u2 = rnd.linkUniform();
    const z = Math.sqrt(-2 * log(u1)) * cos(2 * Math.PI * u2);
    return Math.max(this.minMs, exp(this.mu + this.sigma * z));
  }
  floor(): number {
    return this.minMs;
  }
}

class RegionLink extends BandwidthLink {
  private readonly R: number;
  constructor(
    private readonly region: Uint8Array,
    private readonly matrix: Float64Array,
    private readonly pareto: boolean,
    private readonly jitter: number,
  ) {
    super();
    this.R = Math.round(Math.sqrt(matrix.length));
  }
  latency(from: number, to: number, rnd: LinkRandom): number {
    const mean = this.matrix[this.region[from]! * this.R + this.region[to]!]!;
    const u = rnd.linkUniform();
    if (this.pareto) {
      // SimBlock's Network.getLatency: Pareto with scale mean - 5 and shape 0.2 * mean, whose mean is `mean`.
      // (1 - u)^(-1/shape) as exp(-log(1 - u) / shape): Math.pow with a fractional exponent was a quarter
      // of a SimBlock-sized run (docs/benchmarks.md).
      return (mean - 5) * exp(-log(1 - u) / (0.2 * mean));
    }
    return mean * (1 + this.jitter * (2 * u - 1));
  }
  floor(a: number, b: number): number {
    const mean = this.matrix[a * this.R + b]!;
    return this.pareto ? mean - 5 : mean * (1 - this.jitter);
  }
}

/** The link of a network plan: its latency model, its bandwidth per region and, with `traits`, per node. */
export function makeLink(
  plan: LatencyPlan,
  region: Uint8Array,
  bandwidth: BandwidthPlan = { uploadMbps: null, downloadMbps: null },
  traits: TraitsPlan | null = null,
): Link {
  return latencyModel(plan, region).withBandwidth(region, bandwidth, traits);
}

function latencyModel(plan: LatencyPlan, region: Uint8Array): BandwidthLink {
  switch (plan.kind) {
    case 'constant':
      return new ConstantLink(plan.ms);
    case 'uniform':
      return new UniformLink(plan.minMs, plan.maxMs);
    case 'lognormal':
      return new LognormalLink(plan.mu, plan.sigma, plan.minMs);
    case 'regions':
      return new RegionLink(region, Float64Array.from(plan.matrixMs), plan.distribution === 'pareto', plan.jitter);
  }
}
