// A hub whose leaf 1 goes offline and comes back, with peer maintenance: what the tests of connections
// that close (blocks and transactions) share. One schedule drives both the scenario's faults (so the
// plan knows connections close) and the fault view the shard runs under.
import type { Context, FaultView, Tap } from '../src/engine/model.js';
import { Shard } from '../src/engine/shard.js';
import type { ShardModel } from '../src/models/definition.js';
import { compileChain, type ChainPlan } from '../src/models/chain/plan.js';
import type { ChainScenario } from '../src/models/chain/schema.js';
import { shard as chainShard } from '../src/models/chain/shard.js';
import { parseScenario } from '../src/scenario/load.js';
import { hubInit } from './one-shard.js';

/** Leaf 1 offline over [down[i], up[i]). */
export interface LeafOutages {
  readonly down: readonly number[];
  readonly up: readonly number[];
}

/** Leaf 1 offline over its outages; nothing else fails. */
function leafOneOffline({ down, up }: LeafOutages): FaultView {
  return {
    online: (node, t) => node !== 1 || !down.some((d, i) => t >= d && t < up[i]!),
    sameSide: () => true,
    lossRate: () => 0,
    recoveries: (node) => (node === 1 ? up : []),
    outages: (node) => (node === 1 ? down : []),
    heals: () => [],
  };
}

/**
 * The chain scenario `raw` (faults left out) on a hub and `leaves` leaves that each opened their
 * connection to it, in this thread, with leaf 1 offline over `outages` and peer maintenance on (a lost
 * connection is replaced a second later, no inbound cap); `tap` sees every send. Returns the plan and the model.
 */
export function runLeafChurn(raw: Record<string, unknown>, leaves: number, outages: LeafOutages, tap: Tap): { plan: ChainPlan; model: ShardModel['model'] } {
  const n = leaves + 1;
  const { down, up } = outages;
  const faults = down.map((atMs, i) => ({ kind: 'crash', select: 'ids', ids: [1], atMs, recoverAtMs: up[i] }));
  const plan = compileChain(parseScenario({ ...raw, nodes: n, faults }) as ChainScenario);
  const parts = chainShard(plan, Int32Array.from({ length: n }, (_, v) => v), new Uint8Array(n));
  const peerRules = { nodes: n, maxInbound: Infinity, reconnectDelayMs: 1000, openTimeoutMs: 5000, bootstrap: null };
  const shard = new Shard({ ...hubInit(leaves, plan.endMs, plan.seed), peerRules }, { ...parts, faults: leafOneOffline(outages), taps: [tap] });
  shard.start();
  shard.run();
  return { plan, model: parts.model };
}

/** The model's sends (of `kind`, or all), and those whose receiver was not in the sender's peer list when they left. */
export class SendsToNonPeers implements Tap {
  count = 0;
  toNonPeers = 0;
  constructor(private readonly kind?: number) {}
  sent(ctx: Context, to: number, kind: number): void {
    if (this.kind !== undefined && kind !== this.kind) return;
    this.count++;
    if (ctx.peerIndex(to) < 0) this.toNonPeers++;
  }
  outcome() {
    return { perNode: {}, totals: {} };
  }
}
