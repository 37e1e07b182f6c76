// The tasks the coordinator hands its worker threads, in one file: a shard's, and the topology
// builder's. The engine's own messages (engine/messages.ts) travel inside them.
import type { MessagePort } from 'node:worker_threads';
import type { ShardInit } from './engine/messages.js';
import type { FaultSchedule } from './faults/schedule.js';
import type { Plan } from './models/registry.js';
import type { Topology } from './scenario/network-schema.js';
import type { Graph } from './topology/graph.js';

/** The piscina task argument that starts a shard. */
export interface ShardTask {
  readonly port: MessagePort;
  readonly init: ShardInit;
  readonly plan: Plan;
  /** The URL of the model's shard module (ModelDefinition.shardModule). */
  readonly shardModule: string;
  /** Node id -> latency region, shared. */
  readonly region: Uint8Array;
  /** Crashes, churn, partitions and loss, fixed before the run; null without faults. */
  readonly faults: FaultSchedule | null;
}

/**
 * A task that does nothing: a thread answers it only once it has loaded its code. The coordinator
 * waits for one per thread before tearing down a pool whose shards never ran (run.ts, `release`).
 */
export interface Warmup {
  readonly warmup: true;
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
