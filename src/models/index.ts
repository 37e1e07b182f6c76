// Which model and link a plan runs: the one place that maps a plan to code, used inside every shard.
import type { Link } from '../engine/link.js';
import { makeLink } from '../engine/link.js';
import type { Model } from '../engine/model.js';
import type { Plan } from '../scenario/plan.js';
import { Chain } from './chain.js';
import { Gossip } from './gossip.js';
import { Phold } from './phold.js';

export function makeModel(plan: Plan, members: Int32Array): Model {
  switch (plan.model) {
    case 'phold':
      return new Phold(plan, members);
    case 'chain':
      return new Chain(plan, members);
    case 'gossip':
      return new Gossip(plan, members.length);
  }
}

/** PHOLD has no links: its whole delay is its own increment, never below its lookahead. */
class NoLink implements Link {
  constructor(private readonly lookahead: number) {}
  latency(): number {
    return 0;
  }
  floor(): number {
    return this.lookahead;
  }
}

export function linkFor(plan: Plan, region: Uint8Array): Link {
  return plan.model === 'phold' ? new NoLink(plan.lookahead) : makeLink(plan.latency, region);
}
