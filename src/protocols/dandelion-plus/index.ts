// Dandelion++ (Fanti et al. 2018; BIP 156). Time is cut into epochs of `epochMs`, each node's shifted
// by its own random offset. At the start of each of its epochs a node draws whether it is a fluff node
// (probability `q`) and two stem peers among the connections it opened (all its connections where links
// have no direction), so the stems form an approximately 4-regular anonymity graph. A node stems its
// own broadcasts to one of the two (the same one all epoch); a stem copy from inbound peer u goes on to
// the stem peer u is mapped to for the epoch (drawn at u's first stem), or, at a fluff node, is fluffed
// (diffusion). Each node that stems a broadcast sets an embargo timer, exponential with mean
// `embargoMeanMs`: if it has not seen the broadcast in fluff when the timer fires, it fluffs it itself
// (the fail-safe against black holes and crashed stem peers). A stem that comes back to a node that
// already had it is fluffed there.
import { z } from 'zod';
import type { ProtocolDefinition } from '../protocol.js';

const schema = z.strictObject({
  kind: z.literal('dandelion++'),
  q: z.number().min(0).max(1).default(0.1),
  epochMs: z.number().positive().default(600_000),
  embargoMeanMs: z.number().positive().default(30_000),
  meanDelayMs: z.number().positive().default(2000),
});
export type DandelionPlus = z.output<typeof schema>;

/** Per node: the epoch state and a map of its inbound peers to stem peers. */
export const dandelionPlus: ProtocolDefinition<'dandelion++', DandelionPlus> = { kind: 'dandelion++', schema, relayModule: new URL('./relay.js', import.meta.url).href, pendingBytes: 0 };
