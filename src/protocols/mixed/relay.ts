// Mixed's handlers (index.ts says what mixed is): one relay per listed protocol over the same broadcasts
// and the same heard set; each message, ORIGINATE timer and embargo timer goes to its broadcast's
// protocol (all carry the broadcast's index), and trickle's tick, which carries none, to trickle. Each
// relay touches only its own broadcasts, so a broadcast is relayed exactly as its protocol relays it
// alone.
import type { Context, Model, ModelOutcome, Scheduler } from '../../engine/model.js';
import { relay as dandelionPlusRelay } from '../dandelion-plus/relay.js';
import { relay as dandelionRelay } from '../dandelion/relay.js';
import { relay as diffusionRelay } from '../diffusion/relay.js';
import { relay as floodRelay } from '../flood/relay.js';
import { ORIGINATE, scheduleBroadcasts, type Broadcasts, type HeardBits } from '../protocol.js';
import { EMBARGO } from '../stem-fluff.js';
import { relay as trickleRelay } from '../trickle/relay.js';
import type { Mixed } from './index.js';

type One = Mixed['protocols'][number];

function relayOf(q: One, b: Broadcasts, localNodes: number, heard: HeardBits): Model {
  switch (q.kind) {
    case 'flood':
      return floodRelay(q, b, localNodes, heard);
    case 'diffusion':
      return diffusionRelay(q, b, localNodes, heard);
    case 'trickle':
      return trickleRelay(q, b, localNodes, heard);
    case 'dandelion':
      return dandelionRelay(q, b, localNodes, heard);
    case 'dandelion++':
      return dandelionPlusRelay(q, b, localNodes, heard);
  }
}

class MixedRelay implements Model {
  /** Per broadcast, its protocol's relay. */
  private readonly byBroadcast: Model[];
  private readonly relays: Model[];
  /** The relay that gets timers that name no broadcast (trickle's ticks), if any. */
  private readonly ticks: Model | null;

  constructor(p: Mixed, private readonly broadcasts: Broadcasts, localNodes: number, heard: HeardBits) {
    const relays = new Map<string, Model>();
    for (const q of p.protocols) relays.set(q.kind, relayOf(q, broadcasts, localNodes, heard));
    this.byBroadcast = broadcasts.origin.map((_, m) => relays.get(p.of[m]!)!);
    this.relays = [...relays.values()];
    this.ticks = relays.get('trickle') ?? null;
  }

  start(s: Scheduler): void {
    scheduleBroadcasts(s, this.broadcasts);
  }

  onTimer(ctx: Context, kind: number, a: number, b: number): void {
    if (kind === ORIGINATE || kind === EMBARGO) this.byBroadcast[a]!.onTimer(ctx, kind, a, b);
    else this.ticks?.onTimer(ctx, kind, a, b);
  }

  onMessage(ctx: Context, from: number, kind: number, a: number, b: number): void {
    this.byBroadcast[a]!.onMessage(ctx, from, kind, a, b);
  }

  onRecover(ctx: Context): void {
    for (const r of this.relays) r.onRecover?.(ctx);
  }

  outcome(): ModelOutcome {
    return { perNode: {}, totals: {} };
  }
}

export const relay = (p: Mixed, b: Broadcasts, localNodes: number, heard: HeardBits) => new MixedRelay(p, b, localNodes, heard);
