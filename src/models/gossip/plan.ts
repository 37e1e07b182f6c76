// The gossip model's plan: the network, the protocol, and the broadcasts, drawn before the run from
// the scenario's own stream.
import type { Broadcasts } from '../../protocols/protocol.js';
import type { Protocol } from '../../protocols/registry.js';
import { exponential, scenarioStream } from '../../rng.js';
import type { NetworkPlan } from '../../scenario/network-plan.js';
import type { Adversary } from './adversary.js';
import type { GossipScenario } from './schema.js';

export interface GossipPlan extends NetworkPlan {
  readonly model: 'gossip';
  readonly protocol: Protocol;
  /** Where the protocol's handlers are (ProtocolDefinition.relayModule). */
  readonly protocolModule: string;
  readonly messages: Broadcasts;
  readonly adversary: Adversary | null;
  /** The nodes that are not the eavesdropper's: ids 0 .. honest - 1 (all nodes without one). */
  readonly honest: number;
}

export function compileWorkload(s: GossipScenario): Broadcasts {
  const w = s.workload;
  const rand = scenarioStream(s.seed, 'workload');
  const origin: number[] = [];
  const createdMs: number[] = [];
  let t = w.startMs;
  for (let m = 0; m < w.count; m++) {
    origin.push(w.origins ? (w.origins.length === 1 ? w.origins[0]! : w.origins[m]!) : Math.floor(rand() * s.nodes));
    if (w.atMs) {
      createdMs.push(w.atMs[m]!);
    } else if (w.ratePerSecond !== undefined) {
      t += exponential(rand(), 1000 / w.ratePerSecond);
      createdMs.push(t);
    } else {
      createdMs.push(w.startMs);
    }
  }
  return { origin, createdMs, sizeBytes: w.sizeBytes };
}
