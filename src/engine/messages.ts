// Every message between the coordinator and a shard, in one file. The data plane (windows, batches,
// the barrier) never uses these: it is shared memory, see sync.ts. These cross comlink, once per run.
import type { MessagePort } from 'node:worker_threads';
import type { FaultSchedule } from '../faults/schedule.js';
import type { PeerRules } from './peers.js';
import type { Plan } from '../scenario/plan.js';
import type { ModelOutcome } from './model.js';
import type { Topology } from '../scenario/schema.js';
import type { Graph } from '../topology/graph.js';

export type FaultKind = 'throw' | 'exit' | 'hang' | 'oom';

/** Test-only fault injection: shard `shard` misbehaves at the start of window `window`. */
export interface Fault {
  readonly kind: FaultKind;
  readonly shard: number;
  readonly window: number;
}

/** Everything a shard needs; the typed arrays are views on SharedArrayBuffers, so nothing is copied. */
export interface ShardInit {
  readonly index: number;
  readonly shards: number;
  readonly plan: Plan;
  readonly offsets: Int32Array;
  readonly targets: Int32Array;
  /** Direction of each link, aligned with targets, where the topology has one. */
  readonly outbound: Uint8Array | null;
  readonly region: Uint8Array;
  readonly shardOf: Int32Array;
  readonly localOf: Int32Array;
  /** Contiguous partition: shard s holds ids [shardStarts[s], shardStarts[s + 1]); else null. */
  readonly shardStarts: Int32Array | null;
  /** Strided partition: node v is on shard v mod shards. */
  readonly strided: boolean;
  readonly members: Int32Array;
  readonly lookaheadMs: number;
  /** Width of the event queue's time buckets: the smallest delay between any two nodes. */
  readonly bucketMs: number;
  readonly control: SharedArrayBuffer;
  readonly clock: SharedArrayBuffer;
  /** Indexed (parity * shards + from) * shards + to; null on the diagonal. */
  readonly outboxes: readonly (SharedArrayBuffer | null)[];
  readonly outboxCapacity: number;
  /** Room kept free in an outbox for one event's sends: a window is cut short when less is left. */
  readonly outboxReserve: number;
  /** Spin at the barrier (shards <= cores) rather than sleep at once. */
  readonly spin: boolean;
  /** Most trace spans to keep (0: no trace). */
  readonly traceSpans: number;
  readonly fault: Fault | null;
  /** Crashes, churn, partitions and loss, fixed before the run; null without faults. */
  readonly faults: FaultSchedule | null;
  /** Peer maintenance under faults; null when the scenario turns it off. */
  readonly peerRules: PeerRules | null;
}

export interface ShardStats {
  readonly index: number;
  readonly nodes: number;
  readonly events: number;
  readonly windows: number;
  readonly cutWindows: number;
  readonly busyMs: number;
  readonly waitMs: number;
  readonly sent: number;
  readonly crossSent: number;
  readonly crossReceived: number;
  readonly largestBatch: number;
  readonly peakQueued: number;
  /** Messages and timers dropped: at a node offline on arrival, across a partition, by loss. */
  readonly lostOffline: number;
  readonly lostPartition: number;
  readonly lostLoss: number;
  /** Triples (wall start ms, busy ms, wait ms) per span, coalesced to at most traceSpans spans. */
  readonly trace: Float64Array | null;
  /** With peer maintenance: every connection change, (time, node, ±1). */
  readonly linkChanges: { times: Float64Array; nodes: Int32Array; deltas: Int8Array } | null;
}

/** The comlink API a shard exposes to the coordinator. */
export interface ShardApi {
  run(): ShardStats;
  collect(): ModelOutcome;
  close(): void;
}

/** The piscina task argument that starts a shard. */
export interface ShardTask {
  readonly port: MessagePort;
  readonly init: ShardInit;
}

/** The topology worker's task: build the graph off the main thread (see workers/topology-worker.ts). */
export interface TopologyTask {
  readonly spec: Topology;
  readonly nodes: number;
  readonly seed: number;
  readonly baseDir: string;
}

/** The graph (its arrays on SharedArrayBuffers, so nothing is copied back), or the input error. */
export type TopologyResult = { readonly graph: Graph } | { readonly error: { readonly field: string; readonly problem: string } };
