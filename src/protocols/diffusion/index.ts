// Diffusion (Bitcoin since 2015): a node forwards a broadcast the first time it hears it, to every
// neighbour but the one it came from, each copy after an independent exponential delay plus latency.
import { z } from 'zod';
import type { ProtocolDefinition } from '../protocol.js';

const schema = z.strictObject({ kind: z.literal('diffusion'), meanDelayMs: z.number().positive().default(2000) });
export type Diffusion = z.output<typeof schema>;

export const diffusion: ProtocolDefinition<'diffusion', Diffusion> = { kind: 'diffusion', schema, relayModule: new URL('./relay.js', import.meta.url).href, pendingBytes: 0 };
