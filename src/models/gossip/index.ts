// The gossip model: broadcasts spread over a network by one of the protocols (protocols/registry.ts),
// measured by the receipts observer. The workload (which node originates which broadcast, when) is a
// control, not part of the protocol: the plan fixes it from the scenario's own stream.
import { relayModule } from '../../protocols/registry.js';
import { hasStem } from '../../protocols/mixed/index.js';
import { checkFaults, checkLinks } from '../../scenario/network-checks.js';
import { compileNetwork } from '../../scenario/network-plan.js';
import type { ModelDefinition, RunRecords } from '../definition.js';
import { delayDistributions } from '../delays.js';
import { gather, sha256, sumTotals } from '../outcomes.js';
import { anonymity } from './anonymity.js';
import { fairness, gossipJoins, messageStats, type GossipSections } from './metrics.js';
import { compileWorkload, type GossipPlan } from './plan.js';
import type { ReceiptsOutcome } from './receipts.js';
import { gossipSummary } from './report.js';
import { checkGossip, gossipScenarioSchema, type GossipScenario } from './schema.js';
import { link } from './shard.js';
import { gossipMemory } from './memory.js';

export const gossip: ModelDefinition<GossipScenario, GossipPlan, GossipSections> = {
  name: 'gossip',
  schema: gossipScenarioSchema,
  sizeField: 'nodes',
  noun: 'nodes',
  timeUnit: 'ms',
  check: (s) => {
    checkLinks(s);
    checkGossip(s);
    checkFaults(s);
  },
  resolved: (s) => s,
  compile: (s) => {
    const observers = s.adversary?.kind === 'eavesdropper' ? s.adversary.connections : 0;
    const net = compileNetwork(s);
    return {
      ...net, nodes: net.nodes + observers, observers, honest: net.nodes, model: 'gossip', protocol: s.protocol,
      protocolModule: relayModule(s.protocol), messages: compileWorkload(s), adversary: s.adversary ?? null,
    };
  },
  work: (s) => s.nodes * s.workload.count,
  memory: gossipMemory,
  network: (p) => p,
  link,
  shardModule: new URL('./shard.js', import.meta.url).href,
  result: (p, rec: RunRecords) => {
    const n = rec.nodes;
    const receipts = rec.taps.map((t) => t[0]! as ReceiptsOutcome);
    const firstMs = gather<Float64Array>('firstMs', n, receipts, rec.members);
    const hops = gather<Int32Array>('hops', n, receipts, rec.members);
    const copies = sumTotals('copies', receipts);
    const { origin, createdMs } = p.messages;
    const messages = messageStats(n, origin, createdMs, firstMs, hops, copies, rec.online, p.honest);
    const adv = p.adversary;
    const joinLogs = rec.taps.map((t) => t[adv ? 2 : 1]!);
    return {
      digest: sha256(firstMs, hops),
      sections: {
        messages,
        network: { messagesSent: rec.messagesSent },
        fairness: fairness(n, createdMs, firstMs, hops, p.honest),
        delays: delayDistributions(p.honest, createdMs.map((_, m) => m), (m, v) => (hops[m * n + v]! < 0 ? NaN : firstMs[m * n + v]! - createdMs[m]!), rec.region, p.regionNames),
        ...(adv
          ? {
              anonymity: anonymity({
                adversary: adv, stem: hasStem(p.protocol), origins: origin,
                mask: gather<Int32Array>('adversary', n, rec.taps.map((t) => t[1]!), rec.members), logs: rec.taps.map((t) => t[1]!),
                graph: rec.graph, honest: p.honest,
                t50: messages.map((x) => x.t50Ms), t99: messages.map((x) => x.t99Ms), messagesSent: rec.messagesSent,
              }),
            }
          : {}),
        ...(p.bootstrap && p.joinAtMs.length
          ? {
              joins: gossipJoins(
                p.initialNodes, p.joinAtMs, gather<Float64Array>('joinFirstMs', n, joinLogs, rec.members),
                gather<Float64Array>('joinFullMs', n, joinLogs, rec.members), n, createdMs, hops,
              ),
            }
          : {}),
      },
      perNode: { firstMs, hops },
      perItem: ['firstMs', 'hops'],
      moments: createdMs,
    };
  },
  summary: gossipSummary,
};

