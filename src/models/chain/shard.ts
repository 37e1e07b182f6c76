// One shard's part of the chain model, loaded in the shard's thread: the protocol and the link.
import type { Link } from '../../engine/model.js';
import { makeLink } from '../../network/link.js';
import type { ShardModel } from '../definition.js';
import { JoinLog } from '../join-log.js';
import type { ChainPlan } from './plan.js';
import { Chain } from './protocol.js';

export function link(p: ChainPlan, region: Uint8Array): Link {
  return makeLink(p.latency, region, p, p.traits);
}

export function shard(p: ChainPlan, members: Int32Array, region: Uint8Array): ShardModel {
  const l = link(p, region);
  const taps = p.bootstrap ? [new JoinLog(members, p.initialNodes, p.bootstrap.outbound)] : [];
  return { model: new Chain(p, members, region, l), taps, link: l };
}
