// The gossip model's memory estimate (ModelDefinition.memory): the receipts kept per (broadcast, node),
// and the event queue's peak, which grows with the broadcasts in flight at once (docs/benchmarks.md,
// "Memory", has the constants' measurements).
import { pendingBytes } from '../../protocols/registry.js';
import { hasStem } from '../../protocols/mixed/index.js';
import { count, hopsAcross, inFlight, meanDegree, meanLatencyMs, type MemoryEstimate } from '../memory.js';
import type { GossipPlan } from './plan.js';

/**
 * Bytes per (broadcast, node): the receipts tap's first-receipt time and hops (12) in its shard, the
 * same gathered in node order after the run (12), and the heard bit.
 */
const RECEIPT_BYTES = 24.125;
/** A queue slot (queue.ts): a run's header, or 8 more destinations. */
const SLOT = 32;
/**
 * Queue bytes a relay costs, as a multiple of its records: the waves alive at once (the one handled and
 * the one sent) and the chunk pool's doubling. Calibrated on floods of 100 to 1,000 broadcasts at once (docs/benchmarks.md, "Memory").
 * Diffusion's sends wait a random delay each, so they are spread over time and fewer are queued at once.
 */
const QUEUE_FACTOR = 1.7;
const DIFFUSION_QUEUE_FACTOR = 1;
/** Bytes of the result per broadcast: its entry in the JSON and the objects behind it. */
const RESULT_BYTES = 1024;
/**
 * Bytes per report slot (adversary.reports per broadcast, per shard): the shard's buffer (time, sender,
 * receiver: 16), the outcome's three plain arrays (24), and their copy on the coordinator's side (24),
 * with room for the structured clone between. Reckoned from the layout, not measured.
 */
const REPORT_BYTES = 72;
/** Coordinator scratch per node for the distance centre (models/gossip/centrality.ts). */
const CENTRE_BYTES = 30;

export function gossipMemory(p: GossipPlan, shards: number): MemoryEstimate {
  const n = p.nodes;
  const created = p.messages.createdMs;
  const B = created.length;
  const deg = meanDegree(p);
  const proto = p.protocol;
  // A mixed run is estimated as its costliest listed protocol, at every broadcast.
  const listed = proto.kind === 'mixed' ? proto.protocols : [proto];
  // Flood and trickle send one run a relay (one time, one payload); diffusion draws a delay per peer.
  // Dandelion's fluff is diffusion, and its stem a few single sends.
  const diffuses = (q: (typeof listed)[number]) => q.kind === 'diffusion' || q.kind === 'dandelion' || q.kind === 'dandelion++';
  const relayBytes = Math.max(...listed.map((q) => (diffuses(q) ? SLOT * deg : SLOT * (1 + Math.ceil(Math.max(0, deg - 1) / 8)))));
  const hopMs = meanLatencyMs(p) + Math.max(...listed.map((q) => (q.kind === 'flood' ? q.relayDelayMs : q.kind === 'trickle' ? q.tickMs * deg : q.meanDelayMs)));
  const atOnce = inFlight(created, hopsAcross(p) * hopMs);
  const factor = Math.max(...listed.map((q) => (diffuses(q) ? DIFFUSION_QUEUE_FACTOR : QUEUE_FACTOR)));
  const queue = atOnce * n * (relayBytes * factor + pendingBytes(proto));
  // Dandelion keeps a second bit per (broadcast, node): has it fluffed it.
  const records = B * n * (RECEIPT_BYTES + (hasStem(proto) ? 0.125 : 0)) + B * RESULT_BYTES;
  const adversary = p.adversary ? B * p.adversary.reports * shards * REPORT_BYTES + n * CENTRE_BYTES : 0;
  const bytes = queue + records + adversary;
  const driver =
    B === 1
      ? { field: 'nodes', why: `${count(n)} nodes` }
      : atOnce > 1 && queue >= records
        ? { field: 'workload.count', why: `${count(atOnce)} broadcasts at once on ${count(n)} nodes` }
        : { field: 'workload.count', why: `${count(B)} broadcasts on ${count(n)} nodes` };
  return { bytes, driver };
}
