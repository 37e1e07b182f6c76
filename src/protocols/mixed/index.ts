// Mixed: each broadcast relayed by a protocol of its own — flood, diffusion, trickle, Dandelion or
// Dandelion++, each with the fields and defaults it has on its own. `protocols` lists those the run uses
// (each kind once) and `of` names one per broadcast, in workload order: what the visualizer writes when
// its user sends one transaction by flood and the next by Dandelion++. Every broadcast's copies carry its
// index, so a node hands each message and timer to the protocol of its broadcast; all of them draw from
// the node's one protocol stream, in event order.
import { z } from 'zod';
import { dandelion } from '../dandelion/index.js';
import { dandelionPlus } from '../dandelion-plus/index.js';
import { diffusion } from '../diffusion/index.js';
import { flood } from '../flood/index.js';
import type { ProtocolDefinition } from '../protocol.js';
import { trickle } from '../trickle/index.js';

export const MIXABLE = ['flood', 'diffusion', 'trickle', 'dandelion', 'dandelion++'] as const;
/** The protocols that pass a broadcast along a stem first (the adversary's first-stem estimator reads those). */
export const STEM_PROTOCOLS: readonly string[] = ['dandelion', 'dandelion++'];

const one = z.discriminatedUnion('kind', [flood.schema, diffusion.schema, trickle.schema, dandelion.schema, dandelionPlus.schema]);

const schema = z
  .strictObject({
    kind: z.literal('mixed'),
    protocols: z.array(one).min(1).max(MIXABLE.length),
    of: z.array(z.enum(MIXABLE)).min(1),
  })
  .superRefine((p, ctx) => {
    const kinds = p.protocols.map((q) => q.kind);
    kinds.forEach((k, i) => {
      if (kinds.indexOf(k) !== i) ctx.addIssue({ code: 'custom', path: ['protocols', i, 'kind'], message: `lists "${k}" twice; each protocol once` });
    });
    const i = p.of.findIndex((k) => !kinds.includes(k));
    if (i >= 0) ctx.addIssue({ code: 'custom', path: ['of', i], message: `names "${p.of[i]}", which protocols does not list` });
  });
export type Mixed = z.output<typeof schema>;

/** Whether a run of protocol `p` may pass broadcasts along a stem (Dandelion, Dandelion++, or a mix listing one). */
export function hasStem(p: { kind: string; protocols?: readonly { kind: string }[] }): boolean {
  return STEM_PROTOCOLS.includes(p.kind) || (p.kind === 'mixed' && (p.protocols ?? []).some((q) => STEM_PROTOCOLS.includes(q.kind)));
}

export const mixed: ProtocolDefinition<'mixed', Mixed> = {
  kind: 'mixed',
  schema,
  relayModule: new URL('./relay.js', import.meta.url).href,
  // Trickle's pending lists, the most any of them keeps.
  pendingBytes: 600,
};
