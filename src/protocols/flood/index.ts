// Flooding: a node forwards a broadcast the first time it hears it, to every neighbour but the one it
// came from, after the link latency plus a fixed relay delay.
import { z } from 'zod';
import type { ProtocolDefinition } from '../protocol.js';

const schema = z.strictObject({ kind: z.literal('flood'), relayDelayMs: z.number().min(0).default(0) });
export type Flood = z.output<typeof schema>;

export const flood: ProtocolDefinition<'flood', Flood> = { kind: 'flood', schema, relayModule: new URL('./relay.js', import.meta.url).href, pendingBytes: 0 };
