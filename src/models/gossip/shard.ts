// One shard's part of the gossip model, loaded in the shard's thread: the protocol's handlers, the
// receipts observer, and the link.
import type { Link } from '../../engine/model.js';
import { makeLink } from '../../network/link.js';
import type { RelayModule } from '../../protocols/protocol.js';
import type { Protocol } from '../../protocols/registry.js';
import type { ShardModel } from '../definition.js';
import type { GossipPlan } from './plan.js';
import { Receipts } from './receipts.js';

export function link(p: GossipPlan, region: Uint8Array): Link {
  return makeLink(p.latency, region, p);
}

export async function shard(p: GossipPlan, members: Int32Array, region: Uint8Array): Promise<ShardModel> {
  const { relay } = (await import(p.protocolModule)) as RelayModule<Protocol>;
  return {
    model: relay(p.protocol, p.messages, members.length),
    taps: [new Receipts(p.messages.origin.length, members.length)],
    link: link(p, region),
  };
}
