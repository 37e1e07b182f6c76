// Diffusion's handlers: every copy leaves after its own exponential delay plus the link latency.
import type { Context } from '../../engine/model.js';
import { exponential } from '../../rng.js';
import type { Broadcasts, HeardBits } from '../protocol.js';
import { RelayOnce } from '../relay-once.js';
import type { Diffusion } from './index.js';

class DiffusionRelay extends RelayOnce {
  constructor(private readonly meanMs: number, b: Broadcasts, heard: HeardBits) {
    super(b, heard);
  }
  protected wait(ctx: Context): number {
    return exponential(ctx.random(), this.meanMs);
  }
}

export const relay = (p: Diffusion, b: Broadcasts, _localNodes: number, heard: HeardBits) => new DiffusionRelay(p.meanDelayMs, b, heard);
