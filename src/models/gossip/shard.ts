// One shard's part of the gossip model, loaded in the shard's thread: the protocol's handlers, the
// receipts observer, and the link.
import type { Link } from '../../engine/model.js';
import { makeLink } from '../../network/link.js';
import { HeardBits, type RelayModule } from '../../protocols/protocol.js';
import type { Protocol } from '../../protocols/registry.js';
import type { ShardModel } from '../definition.js';
import type { GossipPlan } from './plan.js';
import { Receipts } from './receipts.js';

export function link(p: GossipPlan, region: Uint8Array): Link {
  return makeLink(p.latency, region, p, p.traits);
}

export async function shard(p: GossipPlan, members: Int32Array, region: Uint8Array): Promise<ShardModel> {
  const { relay } = (await import(p.protocolModule)) as RelayModule<Protocol>;
  const m = p.messages.origin.length;
  const heard = new HeardBits(m, members.length);
  return {
    model: relay(p.protocol, p.messages, members.length, heard),
    taps: [new Receipts(m, members.length, heard)],
    link: link(p, region),
  };
}
