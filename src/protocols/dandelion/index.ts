// Dandelion (Bojja Venkatakrishnan, Fanti & Viswanath 2017): a new broadcast first travels a stem, one
// node to the next along each node's fixed successor, and at every hop after the origin's the node
// holding it turns it to fluff (diffusion) with probability `q`. `successor`: "random" gives each node a
// uniformly random neighbour for the whole run (from its own stream); "next-id" the neighbour whose id
// follows its own (cyclically), which on a ring is the paper's line (a Hamiltonian cycle). A stem that
// comes back to a node that already had it is fluffed there.
import { z } from 'zod';
import type { ProtocolDefinition } from '../protocol.js';

const schema = z.strictObject({
  kind: z.literal('dandelion'),
  q: z.number().min(0).max(1).default(0.1),
  successor: z.enum(['random', 'next-id']).default('random'),
  meanDelayMs: z.number().positive().default(2000),
});
export type Dandelion = z.output<typeof schema>;

export const dandelion: ProtocolDefinition<'dandelion', Dandelion> = { kind: 'dandelion', schema, relayModule: new URL('./relay.js', import.meta.url).href, pendingBytes: 0 };
