// The link model: how long a message takes from one node to another. Used by the one send path
// (Shard.send), and by the coordinator to derive the lookahead, so the two can never disagree.
import type { LatencyPlan } from '../scenario/plan.js';

/** The draw a latency sample takes: the sending node's `link` stream. */
export interface LinkRandom {
  linkUniform(): number;
}

export interface Link {
  /** One-way latency of one message, strictly positive. */
  latency(from: number, to: number, rnd: LinkRandom): number;
  /** The smallest latency from a node of region `a` to one of region `b`: the lookahead's building block. */
  floor(a: number, b: number): number;
}

class ConstantLink implements Link {
  constructor(private readonly ms: number) {}
  latency(): number {
    return this.ms;
  }
  floor(): number {
    return this.ms;
  }
}

class UniformLink implements Link {
  constructor(private readonly minMs: number, private readonly maxMs: number) {}
  latency(_from: number, _to: number, rnd: LinkRandom): number {
    return this.minMs + (this.maxMs - this.minMs) * rnd.linkUniform();
  }
  floor(): number {
    return this.minMs;
  }
}

class LognormalLink implements Link {
  constructor(private readonly mu: number, private readonly sigma: number, private readonly minMs: number) {}
  latency(_from: number, _to: number, rnd: LinkRandom): number {
    // Box–Muller from two draws; the cosine branch only, so each sample costs a fixed two draws.
    const u1 = 1 - rnd.linkUniform();
    const u2 = rnd.linkUniform();
    const z = Math.sqrt(-2 * Math.log(u1)) * Math.cos(2 * Math.PI * u2);
    return Math.max(this.minMs, Math.exp(this.mu + this.sigma * z));
  }
  floor(): number {
    return this.minMs;
  }
}

class RegionLink implements Link {
  private readonly R: number;
  constructor(
    private readonly region: Uint8Array,
    private readonly matrix: Float64Array,
    private readonly pareto: boolean,
    private readonly jitter: number,
  ) {
    this.R = Math.round(Math.sqrt(matrix.length));
  }
  latency(from: number, to: number, rnd: LinkRandom): number {
    const mean = this.matrix[this.region[from]! * this.R + this.region[to]!]!;
    const u = rnd.linkUniform();
    if (this.pareto) {
      // SimBlock's Network.getLatency: Pareto with scale mean - 5 and shape 0.2 * mean, whose mean is `mean`.
      return (mean - 5) / Math.pow(1 - u, 1 / (0.2 * mean));
    }
    return mean * (1 + this.jitter * (2 * u - 1));
  }
  floor(a: number, b: number): number {
    const mean = this.matrix[a * this.R + b]!;
    return this.pareto ? mean - 5 : mean * (1 - this.jitter);
  }
}

export function makeLink(plan: LatencyPlan, region: Uint8Array): Link {
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
