// One shard's part of PHOLD, loaded in the shard's thread.
import type { Link } from '../../engine/model.js';
import type { ShardModel } from '../definition.js';
import { Phold, type PholdPlan } from './protocol.js';

/** PHOLD has no links: its whole delay is its own increment, never below its lookahead. */
class NoLink implements Link {
  constructor(private readonly lookahead: number) {}
  latency(): number {
    return 0;
  }
  transferMs(): number {
    return 0;
  }
  uploadMs(): number {
    return 0;
  }
  floor(): number {
    return this.lookahead;
  }
}

export function link(p: PholdPlan): Link {
  return new NoLink(p.lookahead);
}

export function shard(p: PholdPlan, members: Int32Array): ShardModel {
  return { model: new Phold(p, members), taps: [], link: link(p) };
}
