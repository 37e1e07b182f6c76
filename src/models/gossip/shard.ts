// One shard's part of the gossip model, loaded in the shard's thread: the protocol's handlers, the
// receipts observer, and the link.
import type { Link } from '../../engine/model.js';
import { makeLink } from '../../network/link.js';
import { HeardBits, type RelayModule } from '../../protocols/protocol.js';
import type { Protocol } from '../../protocols/registry.js';
import type { ShardModel } from '../definition.js';
import type { GossipPlan } from './plan.js';
import { JoinLog } from '../join-log.js';
import { AdversaryControl, adversaryMask } from './adversary.js';
import { Receipts } from './receipts.js';
import { SpyLog } from './spies.js';

export function link(p: GossipPlan, region: Uint8Array): Link {
  return makeLink(p.latency, region, p, p.traits);
}

export async function shard(p: GossipPlan, members: Int32Array, region: Uint8Array, offsets: Int32Array): Promise<ShardModel> {
  const { relay } = (await import(p.protocolModule)) as RelayModule<Protocol>;
  return shardWith(relay, p, members, region, offsets);
}

/**
 * The shard's part around a protocol's handlers already in hand: the visualizer's page has no module
 * files to load by URL, so it passes the relay it bundled (src/viz/sim.ts) and gets the same observers.
 */
export function shardWith(relay: RelayModule<Protocol>['relay'], p: GossipPlan, members: Int32Array, region: Uint8Array, offsets: Int32Array): ShardModel {
  const m = p.messages.origin.length;
  const heard = new HeardBits(m, members.length);
  const model = relay(p.protocol, p.messages, members.length, heard);
  const receipts = new Receipts(m, members.length, heard);
  // Tap order is the result's: receipts, the spies' log with an adversary, the newcomers' log with joins.
  const joinLog = p.bootstrap ? [new JoinLog(members, p.initialNodes, p.bootstrap.outbound)] : [];
  const a = p.adversary;
  if (!a) return { model, taps: [receipts, ...joinLog], link: link(p, region) };
  const mask = adversaryMask(a, p.nodes, p.honest, p.seed, offsets);
  // The eavesdropper's nodes relay nothing; black-hole spies drop stems. Others need no hand on the handlers.
  const acts = a.kind === 'eavesdropper' ? 1 : a.blackHole ? 2 : 0;
  return {
    model: acts ? new AdversaryControl(model, Uint8Array.from(members, (v) => mask[v]! * acts)) : model,
    taps: [receipts, new SpyLog(m, mask, members, a.reports), ...joinLog],
    link: link(p, region),
  };
}
