// A hub whose leaf 1 goes offline and comes back, with peer maintenance: what the tests of connections
// that close (blocks and transactions) share.
import type { Context, FaultView, Tap } from '../src/engine/model.js';
import type { ShardInit } from '../src/engine/messages.js';

/** Peer maintenance for `nodes` nodes: a lost connection is replaced a second later, no inbound cap. */
export function leafPeerRules(nodes: number): NonNullable<ShardInit['peerRules']> {
  return { nodes, maxInbound: Infinity, reconnectDelayMs: 1000, openTimeoutMs: 5000, bootstrap: null };
}

/** Leaf 1 offline over [down[i], up[i]); nothing else fails. */
export function leafOneOffline(down: readonly number[], up: readonly number[]): FaultView {
  return {
    online: (node, t) => node !== 1 || !down.some((d, i) => t >= d && t < up[i]!),
    sameSide: () => true,
    lossRate: () => 0,
    recoveries: (node) => (node === 1 ? up : []),
    outages: (node) => (node === 1 ? down : []),
    heals: () => [],
  };
}

/** The model's sends (of `kind`, or all), and those whose receiver was not in the sender's peer list when they left. */
export class SendsToNonPeers implements Tap {
  count = 0;
  toNonPeers = 0;
  constructor(private readonly kind?: number) {}
  sent(ctx: Context, to: number, kind: number): void {
    if (this.kind !== undefined && kind !== this.kind) return;
    this.count++;
    const peers = ctx.peerList();
    for (let i = ctx.peerStart(); i < ctx.peerEnd(); i++) if (peers[i] === to) return;
    this.toNonPeers++;
  }
  outcome() {
    return { perNode: {}, totals: {} };
  }
}
