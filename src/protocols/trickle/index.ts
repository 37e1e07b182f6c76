// Trickle: Bitcoin's relay before 2015 (Fanti & Viswanath 2017 analyse it as "trickle spreading").
// A node keeps the broadcasts it has not yet passed on to every neighbour. It acts only at its ticks,
// every `tickMs` from a phase of its own (uniform in [0, tickMs), drawn from the node's stream, or 0
// with `phase: "aligned"`): at each tick it picks one neighbour uniformly at random among those still
// lacking one of its pending broadcasts from it — never the neighbour it first heard a broadcast from —
// and sends it all of them. A broadcast is dropped from the list once every such neighbour has it.
import { z } from 'zod';
import type { ProtocolDefinition } from '../protocol.js';

const schema = z.strictObject({
  kind: z.literal('trickle'),
  tickMs: z.number().positive().default(200),
  phase: z.enum(['random', 'aligned']).default('random'),
});
export type Trickle = z.output<typeof schema>;

export const trickle: ProtocolDefinition<'trickle', Trickle> = { kind: 'trickle', schema, relayModule: new URL('./relay.js', import.meta.url).href, pendingBytes: 600 };
