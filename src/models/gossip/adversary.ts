// The adversary of an anonymity study (docs/anonymity.md): which nodes are its own and how they behave.
// It is a control and an observer, never part of a protocol: its nodes run the scenario's protocol
// (spies), or nothing at all (the eavesdropper's connections), and it learns only what they are handed.
import { z } from 'zod';
import type { Context, Model, ModelOutcome, Scheduler } from '../../engine/model.js';
import { highestDegree, pickDistinct } from '../../faults/schedule.js';
import { STEM } from '../../protocols/protocol.js';
import { scenarioStream } from '../../rng.js';
import { int } from '../../scenario/network-schema.js';

const guesses = z.boolean().default(false);
/**
 * K: the reports (an honest node handing a broadcast to one of the adversary's nodes) each shard keeps
 * per broadcast, the earliest K distinct senders. A fixed size, so the log stays a few numbers per
 * broadcast per shard whatever the network's size; 256 keeps it under 4 KB a broadcast and a shard.
 */
const reports = int(1).max(256).default(16);

export const adversarySchema = z.discriminatedUnion('kind', [
  z.strictObject({
    kind: z.literal('spies'),
    /** Share of the nodes that are spies. */
    fraction: z.number().gt(0).lt(1),
    select: z.enum(['random', 'highest-degree']).default('random'),
    /** Spies drop stem copies (Dandelion) instead of passing them on. */
    blackHole: z.boolean().default(false),
    /** Keep each message's guesses in the result. */
    guesses,
    reports,
  }),
  z.strictObject({
    kind: z.literal('eavesdropper'),
    /** θ: connections the eavesdropper holds to every honest node. */
    connections: int(1).max(16).default(1),
    guesses,
    reports,
  }),
]);
export type Adversary = z.output<typeof adversarySchema>;

/** How many spies a scenario of `nodes` honest nodes has. */
export function spyCount(a: Extract<Adversary, { kind: 'spies' }>, nodes: number): number {
  return Math.round(a.fraction * nodes);
}

/**
 * 1 for each of the adversary's nodes, over all `n` nodes: the spies, drawn from the scenario's own
 * `adversary` stream or by degree as crash selection does (src/faults/schedule.ts); or the eavesdropper's
 * θ nodes, the last θ ids. A pure function of the plan and the graph, so every shard computes the same.
 */
export function adversaryMask(a: Adversary, n: number, honest: number, seed: number, offsets: Int32Array): Uint8Array {
  const mask = new Uint8Array(n);
  if (a.kind === 'eavesdropper') {
    mask.fill(1, honest);
    return mask;
  }
  const k = spyCount(a, honest);
  if (a.select === 'highest-degree') for (const v of highestDegree(k, honest, offsets)) mask[v] = 1;
  else mask.set(pickDistinct(k, honest, scenarioStream(seed, 'adversary')));
  return mask;
}

/**
 * The adversary's hand on its nodes, around the protocol's handlers: the eavesdropper's nodes relay
 * nothing; black-hole spies drop stem copies. Installed only when one of the two applies.
 */
export class AdversaryControl implements Model {
  constructor(
    private readonly inner: Model,
    /** Per local node: 1 = relays nothing, 2 = drops stems, 0 = honest. */
    private readonly role: Uint8Array,
  ) {}

  start(s: Scheduler): void {
    this.inner.start(s);
  }

  onMessage(ctx: Context, from: number, kind: number, a: number, b: number): void {
    const r = this.role[ctx.local]!;
    if (r === 1 || (r === 2 && kind === STEM)) return;
    this.inner.onMessage(ctx, from, kind, a, b);
  }

  onTimer(ctx: Context, kind: number, a: number, b: number): void {
    if (this.role[ctx.local] !== 1) this.inner.onTimer(ctx, kind, a, b);
  }

  onRecover(ctx: Context): void {
    this.inner.onRecover?.(ctx);
  }

  onHeal(ctx: Context): void {
    this.inner.onHeal?.(ctx);
  }

  onConnect(ctx: Context, peer: number): void {
    this.inner.onConnect?.(ctx, peer);
  }

  onDisconnect(ctx: Context, peer: number): void {
    this.inner.onDisconnect?.(ctx, peer);
  }

  outcome(): ModelOutcome {
    return this.inner.outcome();
  }
}
