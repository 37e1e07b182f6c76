// The gossip model's scenario: a network, a broadcast protocol, and the broadcasts to make.
import { z } from 'zod';
import { InputError } from '../../errors.js';
import { protocolSchema } from '../../protocols/registry.js';
import { hasStem } from '../../protocols/mixed/index.js';
import { adversarySchema, spyCount } from './adversary.js';
import { durationField, faultsField, joinsField, bootstrapField, int, networkHead, nonNegative, peersSchema, positive } from '../../scenario/network-schema.js';

export const workloadSchema = z.strictObject({
  kind: z.literal('broadcast').default('broadcast'),
  count: int(1).default(1),
  // Origins: given node ids (one per message, or one for all), else uniform random nodes.
  origins: z.array(int(0)).min(1).optional(),
  // Creation times: given `atMs` (one per message), else a Poisson stream at `ratePerSecond`
  // starting at `startMs`, else all at `startMs`.
  atMs: z.array(nonNegative()).min(1).optional(),
  ratePerSecond: positive().optional(),
  startMs: nonNegative().default(0),
  sizeBytes: int(0).default(0),
});

export const gossipScenarioSchema = z.strictObject({
  model: z.literal('gossip').default('gossip'),
  ...networkHead,
  protocol: protocolSchema.default({ kind: 'flood', relayDelayMs: 0 }),
  workload: workloadSchema.default({ kind: 'broadcast', count: 1, startMs: 0, sizeBytes: 0 }),
  durationMs: durationField,
  // Sections of the chain model: accepted here only to say so (check()).
  relay: z.unknown().optional(),
  transactions: z.unknown().optional(),
  peers: peersSchema,
  faults: faultsField,
  adversary: adversarySchema.optional(),
  joins: joinsField,
  bootstrap: bootstrapField,
});

/** The most broadcasts a scenario may make (see checkGossip). */
export const MAX_BROADCASTS = 1_000_000;

export type Workload = z.output<typeof workloadSchema>;
export type GossipScenario = z.output<typeof gossipScenarioSchema>;

/** The gossip model's own rules across fields. */
export function checkGossip(s: GossipScenario): void {
  if (s.relay !== undefined) throw new InputError('relay', 'needs a chain section');
  if (s.transactions !== undefined) throw new InputError('transactions', 'needs a chain section');
  // Speed factors act on block validation and message processing, which only the chain model has.
  const h = s.heterogeneity;
  if (h) {
    if (h.speedSigma !== 0) throw new InputError('heterogeneity.speedSigma', `needs a chain section (it scales validation and processing), got ${h.speedSigma}`);
    if (h.verifyMsPerMB !== undefined) throw new InputError('heterogeneity.verifyMsPerMB', `needs a chain section, got ${h.verifyMsPerMB}`);
    if (h.slow.speedFactor !== 1) throw new InputError('heterogeneity.slow.speedFactor', `needs a chain section (it scales validation and processing), got ${h.slow.speedFactor}`);
  }
  const a = s.adversary;
  if (a?.kind === 'spies' && spyCount(a, s.nodes) === 0) throw new InputError('adversary.fraction', `selects no node of ${s.nodes}, got ${a.fraction}`);
  if (a?.kind === 'spies' && spyCount(a, s.nodes) === s.nodes) throw new InputError('adversary.fraction', `leaves no honest node of ${s.nodes}, got ${a.fraction}`);
  // The eavesdropper's connections are nodes of the run: crash selection, partitions and peer maintenance
  // (which acts only under faults) would count them.
  if (a?.kind === 'eavesdropper' && s.faults?.length) throw new InputError('adversary', 'of kind "eavesdropper" cannot be combined with faults yet (use kind "spies")');
  if (a?.kind === 'eavesdropper' && s.joins?.length) throw new InputError('adversary', 'of kind "eavesdropper" cannot be combined with joins yet (use kind "spies")');
  if (a && 'blackHole' in a && a.blackHole && !hasStem(s.protocol)) {
    throw new InputError('adversary.blackHole', `needs a stem protocol ("dandelion" or "dandelion++", or a mixed run listing one), got protocol.kind ${JSON.stringify(s.protocol.kind)}`);
  }
  const w = s.workload;
  // The plan keeps an origin and a creation time per broadcast in plain arrays, and the result an entry
  // per broadcast: past this, those alone would outgrow V8's array and string limits (a fatal error, not
  // an exception), long before the per-(broadcast, node) records are counted by the memory estimate.
  if (w.count > MAX_BROADCASTS) throw new InputError('workload.count', `must be <= ${MAX_BROADCASTS.toLocaleString('en-US')}, got ${w.count}`);
  if (w.origins) {
    if (w.origins.length !== 1 && w.origins.length !== w.count) {
      throw new InputError('workload.origins', `must have 1 or workload.count (${w.count}) items, got ${w.origins.length}`);
    }
    w.origins.forEach((o, i) => {
      if (o >= s.nodes) throw new InputError(`workload.origins.${i}`, `must be < nodes (${s.nodes}), got ${o}`);
    });
  }
  if (s.protocol.kind === 'mixed' && s.protocol.of.length !== w.count) {
    throw new InputError('protocol.of', `must have workload.count (${w.count}) items, one protocol per broadcast, got ${s.protocol.of.length}`);
  }
  if (w.atMs) {
    if (w.ratePerSecond !== undefined) {
      throw new InputError('workload.ratePerSecond', 'cannot be combined with workload.atMs');
    }
    if (w.atMs.length !== w.count) {
      throw new InputError('workload.atMs', `must have workload.count (${w.count}) items, got ${w.atMs.length}`);
    }
  }
}
