// The broadcast protocols the gossip model can run, one line each: the scenario's `protocol.kind`
// picks one. Adding a protocol is a folder beside these and a line here (docs/writing-a-model.md).
import { z } from 'zod';
import { dandelion } from './dandelion/index.js';
import { dandelionPlus } from './dandelion-plus/index.js';
import { diffusion } from './diffusion/index.js';
import { flood } from './flood/index.js';
import { mixed } from './mixed/index.js';
import type { ProtocolDefinition } from './protocol.js';
import { trickle } from './trickle/index.js';

const PROTOCOLS = [flood, diffusion, trickle, dandelion, dandelionPlus, mixed] as const;

type Schemas<T extends readonly ProtocolDefinition[]> = { -readonly [K in keyof T]: T[K]['schema'] };

export const protocolSchema = z.discriminatedUnion('kind', PROTOCOLS.map((p) => p.schema) as unknown as Schemas<typeof PROTOCOLS>);
export type Protocol = z.output<typeof protocolSchema>;

/** The module that holds the handlers of the scenario's protocol (ProtocolDefinition.relayModule). */
export function relayModule(p: Protocol): string {
  return PROTOCOLS.find((d) => d.kind === p.kind)!.relayModule;
}

/** Bytes a node keeps per broadcast it still relays (ProtocolDefinition.pendingBytes). */
export function pendingBytes(p: Protocol): number {
  return PROTOCOLS.find((d) => d.kind === p.kind)!.pendingBytes;
}
