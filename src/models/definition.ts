// What a model is to the rest of p2psim: everything that makes it, in one object its folder exports
// and the registry lists. The coordinator, the result builder, the CLI and the summary ask these
// questions and never name a model (docs/writing-a-model.md).
import type { z } from 'zod';
import type { Link, Model, ModelOutcome, PerNodeArray, Tap } from '../engine/model.js';
import type { FaultSchedule } from '../faults/schedule.js';
import type { NetworkPlan } from '../scenario/network-plan.js';
import type { MemoryEstimate } from './memory.js';

export type { MemoryDriver, MemoryEstimate } from './memory.js';

/** What every compiled plan has. */
export interface PlanBase {
  readonly model: string;
  readonly seed: number;
  /** Nodes (PHOLD: logical processes). */
  readonly nodes: number;
  readonly endMs: number;
}

/** Whether node v is online at time t (the fault schedule). */
export type OnlineAt = (v: number, t: number) => boolean;

/** One shard's part of a model: its handlers, its taps and its link. */
export interface ShardModel {
  readonly model: Model;
  readonly taps: readonly Tap[];
  readonly link: Link;
}

/**
 * What a model's shard module exports (ModelDefinition.shardModule). A shard's thread loads this module
 * alone, never the definition, so it does not load the validation code (zod and every schema).
 */
export interface ShardModule<P> {
  /** `offsets`: the graph's CSR offsets (degrees), for what is chosen by degree before the run. */
  shard(plan: P, members: Int32Array, region: Uint8Array, offsets: Int32Array): ShardModel | Promise<ShardModel>;
}

/** What the coordinator hands a model after the run, per shard in shard order. */
export interface RunRecords {
  readonly nodes: number;
  readonly members: readonly Int32Array[];
  /** Node id -> latency region (index into the plan's regionNames), as the shards had it. */
  readonly region: Uint8Array;
  readonly outcomes: readonly ModelOutcome[];
  /** Per shard, the taps' outcomes in the order create() returned the taps. */
  readonly taps: readonly (readonly ModelOutcome[])[];
  readonly faults: FaultSchedule | null;
  readonly online: OnlineAt | null;
  /** Messages sent between nodes, lost ones included. */
  readonly messagesSent: number;
  /** The initial graph (CSR), as the shards were handed it: what an observer of the network may know. */
  readonly graph: { readonly offsets: Int32Array; readonly targets: Int32Array };
}

export interface ModelResult<R> {
  /** SHA-256 over the records that define the run's outcome: equal at every worker count. */
  readonly digest: string;
  /** The model's sections of the result. */
  readonly sections: R;
  /** Per-node records in node order (kept in the result only when asked, never in its JSON). */
  readonly perNode: Record<string, PerNodeArray>;
  /** The keys of `perNode` that hold one row per item (broadcast, block), the others one value per node. */
  readonly perItem: readonly string[];
  /** When something new had to cross the network: where the fault observers sample connections. */
  readonly moments: readonly number[];
}

/** A model's estimate of the events between two barriers. */
export interface WindowEstimate {
  /** Events per window, over all windows. */
  readonly perWindow: number;
  /** The events of the window an event falls in, averaged over events: large where most events sit in full windows, however many near-empty ones there are. */
  readonly perEvent: number;
}

export interface ModelDefinition<S extends { readonly model: string }, P extends PlanBase, R extends object> {
  /** The scenario's `model`, and the result's. */
  readonly name: S['model'];
  /** Its scenario: a strict object whose `model` is the literal `name`. */
  readonly schema: z.ZodType<S> & z.core.$ZodTypeDiscriminable;
  /** The field that holds the node count (what --nodes sets), and what the summary calls a node. */
  readonly sizeField: 'nodes' | 'lps';
  readonly noun: string;
  /** How the progress bar and the profile show simulated time. */
  readonly timeUnit: 'ms' | 'units';
  /** Rules across fields; `written` is the input before defaults. Throws InputError naming the field. */
  check(s: S, written: Record<string, unknown>): void;
  /** The scenario as a result echoes it: defaults that do not apply left out, still valid as a file. */
  resolved(s: S): object;
  /** The frozen plan every shard receives. */
  compile(s: S): P;
  /** The work a run does, in units of a node relaying a broadcast (about equal in time), for the default worker count. */
  work(s: S): number;
  /**
   * Events between two barriers when windows are `lookaheadMs` wide, roughly: with too few, the
   * default is one worker (src/default-workers.ts). Absent: windows do not limit the default.
   */
  windows?(p: P, lookaheadMs: number): WindowEstimate;
  /**
   * The peak memory of the model's own state over `shards` shards, from the plan alone, before anything
   * is built: its per-node and per-(item, node) records in the shards and again once gathered after the
   * run, and the event queue's peak for the items in flight at once. The coordinator adds what it knows
   * (graph, assignment, faults, outboxes, threads) and refuses a run that would not fit (src/memory.ts).
   */
  memory(p: P, shards: number): MemoryEstimate;
  /** The network the model runs on, or null (no graph, regions or faults). */
  network(p: P): NetworkPlan | null;
  /** The link the coordinator derives the lookahead from: the one the shard module builds. */
  link(p: P, region: Uint8Array): Link;
  /** The URL of the model's ShardModule: one shard's handlers, taps and link. */
  readonly shardModule: string;
  result(p: P, records: RunRecords): ModelResult<R>;
  /** The summary's parts for this model's sections, one block of lines each. */
  summary(sections: R, faulty: boolean): string[];
}
