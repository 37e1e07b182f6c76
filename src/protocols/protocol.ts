// What a broadcast protocol is to the gossip model: handlers for the engine, built from the protocol's
// own section of the scenario and the broadcasts to make. The gossip model owns the workload and the
// measures; a protocol owns only how a node passes a broadcast on.
//
// The conventions every protocol keeps, so that observers (models/gossip/receipts.ts, and any tap)
// can read its traffic without knowing it: a broadcast is created by an ORIGINATE timer at its origin
// with a = the broadcast's index; every message of the protocol carries a = that index and b = the
// hops it has travelled (1 for the origin's own sends).
import type { z } from 'zod';
import type { Model, Scheduler } from '../engine/model.js';

/** Message kind of a broadcast's copy. Protocols may add kinds of their own from FIRST_FREE_KIND on. */
export const MSG = 1;
/** Timer kind that creates a broadcast at its origin. */
export const ORIGINATE = 2;
/**
 * Message kind of a copy passed on in a stem (Dandelion): one node to one node, before the broadcast
 * spreads. It carries a and b like MSG. Observers tell the two phases apart by kind; an adversary whose
 * nodes are black holes drops this kind at them (models/gossip/adversary.ts).
 */
export const STEM = 3;
export const FIRST_FREE_KIND = 4;

/** The broadcasts of a run, fixed before it: origin and creation time per index. */
export interface Broadcasts {
  readonly origin: readonly number[];
  readonly createdMs: readonly number[];
  readonly sizeBytes: number;
}

export interface ProtocolDefinition<K extends string = string, P extends { readonly kind: K } = { readonly kind: K }> {
  readonly kind: K;
  /** The scenario's `protocol` section for this kind: a strict object whose `kind` is the literal K. */
  readonly schema: z.ZodType<P> & z.core.$ZodTypeDiscriminable;
  /**
   * The URL of the module that holds the handlers (a RelayModule). Shards load it by itself, so a
   * shard's thread never loads the validation code (zod and every schema).
   */
  readonly relayModule: string;
  /**
   * Bytes a node keeps, beyond the heard set and the queue, for each broadcast it has heard and still
   * relays (the memory estimate's figure, docs/benchmarks.md, "Memory"): trickle's pending lists are JS
   * objects; flood and diffusion keep nothing.
   */
  readonly pendingBytes: number;
}

/** What a protocol's handlers module exports. */
export interface RelayModule<P = unknown> {
  /** One shard's handlers for `localNodes` nodes; `heard` is the set it keeps of what each node was handed (HeardBits). */
  relay(params: P, broadcasts: Broadcasts, localNodes: number, heard: HeardBits): Model;
}

/** Places each broadcast's ORIGINATE timer at its origin, where this shard owns it. */
export function scheduleBroadcasts(s: Scheduler, b: Broadcasts): void {
  for (let m = 0; m < b.origin.length; m++) {
    if (s.owns(b.origin[m]!)) s.scheduleAt(b.origin[m]!, b.createdMs[m]!, ORIGINATE, m, 0);
  }
}

/**
 * One bit per (broadcast, local node): has the node been handed it yet? Most receipts are duplicates
 * (6 of 7 in a flood over degree 8), each a test at a random node, so the set must stay in cache: a bit
 * array of 1M nodes is 125 KiB. The gossip model makes one per shard and lends it to the protocol,
 * which marks a broadcast heard at a node the moment the node is first handed it (its ORIGINATE timer
 * or its first copy) and never unmarks it; the receipts observer reads the same set just before the
 * protocol's handler runs, so its test costs nothing the protocol does not load anyway.
 */
export class HeardBits {
  private readonly words: Int32Array;
  constructor(broadcasts: number, private readonly localNodes: number) {
    this.words = new Int32Array(Math.ceil((broadcasts * localNodes) / 32));
  }

  /** Marks (m, local) heard; returns false if it already was. */
  mark(m: number, local: number): boolean {
    const at = m * this.localNodes + local;
    const word = this.words[at >>> 5]!;
    const bit = 1 << (at & 31);
    if ((word & bit) !== 0) return false;
    this.words[at >>> 5] = word | bit;
    return true;
  }

  has(m: number, local: number): boolean {
    const at = m * this.localNodes + local;
    return (this.words[at >>> 5]! & (1 << (at & 31))) !== 0;
  }
}
