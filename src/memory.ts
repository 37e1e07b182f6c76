// The memory preflight (docs/cli.md, "Memory"): before anything is built, estimate the run's peak memory
// from the compiled plan — the model's own state (ModelDefinition.memory) plus what the coordinator
// builds for every model — and refuse, as bad input, a run that would not fit in what this machine
// offers. A run that dies of memory pressure an hour in loses everything; one line up front loses nothing.
import { readFileSync, statSync } from 'node:fs';
import { freemem, totalmem } from 'node:os';
import { isAbsolute, join } from 'node:path';
import { outboxBytes, outboxRecords } from './engine/sync.js';
import { InputError } from './errors.js';
import { count, meanDegree, type MemoryDriver } from './models/memory.js';
import { modelOf, type Plan } from './models/registry.js';
import type { NetworkPlan } from './scenario/network-plan.js';
import type { Distribution } from './scenario/network-schema.js';

export interface Estimate {
  /** The run's estimated peak resident memory, bytes. */
  readonly bytes: number;
  readonly driver: MemoryDriver;
}

/** The main thread's own: Node, the CLI, zod and the schemas, the result. Measured on ring-small and PHOLD. */
const MAIN_BYTES = 80 * 2 ** 20;
/** A shard's thread: its isolate, its heap, the engine's code. Measured from 1 to 2 workers. */
const THREAD_BYTES = 14 * 2 ** 20;
/**
 * Per node, whatever the model: region, shard and row (assignment), member list, the node row of 16
 * bytes (sequence number and link stream), the queue's ring and per-node reservations, the outcomes'
 * per-node arrays.
 */
const NODE_BYTES = 44;
/**
 * Per CSR entry (a node's neighbour): 4 bytes in the graph and its direction byte, and what the
 * topology builder holds while it builds (its edge lists, dropped once the CSR exists).
 */
const EDGE_BYTES = 12;
/**
 * Per CSR entry when nodes go offline and peer maintenance replaces their connections: each node's own
 * copy of its peer list, the log of connection changes, and the connections the observers rebuild at
 * each sample time after the run. Measured on the stress scenarios (churn, crash).
 */
const MAINTAINED_EDGE_BYTES = 90;
/**
 * Per newcomer (joins): its bootstrap's burst in the queue (each addr answer is a message per address,
 * from each peer it opens), its connections and address table. Measured on flash crowds of 1,000 and
 * 5,000 newcomers joining 10,000 nodes, gossip and chain (docs/benchmarks.md, "Memory").
 */
const JOIN_BYTES = 20 * 1024;
/** Per offline interval: 16 in the schedule, and its "recover" and "down" events in a queue. */
const INTERVAL_BYTES = 80;

/** The run's estimated peak memory over `shards` shards; `baseDir` resolves an edge-list file. */
export function estimateMemory(plan: Plan, shards: number, baseDir: string): Estimate {
  const model = modelOf(plan);
  const own = model.memory(plan, shards);
  const net = model.network(plan);
  const n = plan.nodes;
  let bytes = MAIN_BYTES + shards * THREAD_BYTES + n * NODE_BYTES + own.bytes;
  if (net) {
    const degree = net.topology.kind === 'edge-list' ? edgeListDegree(net, baseDir) : meanDegree(net);
    const offline = intervals(net);
    bytes += n * degree * EDGE_BYTES + INTERVAL_BYTES * offline + JOIN_BYTES * net.joinAtMs.length;
    if (offline > 0 && net.peers.maintain) bytes += n * degree * MAINTAINED_EDGE_BYTES;
    // Outboxes fill only as far as a window's messages need; count half of them touched.
    if (shards > 1) bytes += 0.5 * 2 * shards * (shards - 1) * outboxBytes(outboxRecords(shards, 4 * degree + 1024));
  }
  return { bytes, driver: own.driver };
}

/** An edge list's entries per node, from its size: about 2 × (digits + 1) bytes a line, both directions. */
function edgeListDegree(net: NetworkPlan, baseDir: string): number {
  if (net.topology.kind !== 'edge-list') return 0;
  const file = isAbsolute(net.topology.file) ? net.topology.file : join(baseDir, net.topology.file);
  try {
    const lineBytes = 2 * (String(net.nodes).length + 1);
    return (2 * statSync(file).size) / lineBytes / Math.max(1, net.nodes);
  } catch {
    return 0; // the topology builder reports an unreadable file, naming the field
  }
}

/** Offline intervals the fault schedule will hold, roughly. */
function intervals(net: NetworkPlan): number {
  let total = 0;
  for (const f of net.faults) {
    if (f.kind === 'crash') total += f.ids ? f.ids.length : (f.fraction ?? 0) * net.nodes;
    else if (f.kind === 'churn') total += f.share * net.nodes * (1 + Math.max(0, net.endMs - f.startMs) / Math.max(1, mean(f.session) + mean(f.downtime)));
  }
  return Math.min(total, 5e7);
}

function mean(d: Distribution): number {
  if (d.kind === 'exponential') return d.meanMs;
  if (d.kind === 'weibull') return d.scaleMs;
  return (d.shape * d.scaleMs) / (d.shape - 1);
}

/** What this machine offers a new run: free memory, and the cgroup's room where a limit is set. */
export interface Available {
  readonly bytes: number;
  /** "this machine has 23 GiB free", or the cgroup's words. */
  readonly words: string;
}

export function availableMemory(): Available {
  const free = Math.min(freemem(), totalmem());
  const room = cgroupRoom();
  if (room !== null && room < free) return { bytes: room, words: `this machine's memory limit (cgroup) leaves ${gib(room)}` };
  return { bytes: free, words: `this machine has ${gib(free)} free` };
}

/** memory.max − memory.current of this process's cgroup (v2), or null where there is no limit. */
function cgroupRoom(): number | null {
  try {
    const max = readFileSync('/sys/fs/cgroup/memory.max', 'utf8').trim();
    if (max === 'max') return null;
    const current = Number(readFileSync('/sys/fs/cgroup/memory.current', 'utf8').trim());
    const limit = Number(max);
    if (!Number.isFinite(limit) || !Number.isFinite(current)) return null;
    return Math.max(0, limit - current);
  } catch {
    return null;
  }
}

/**
 * Throws InputError, naming the driving field, the estimate and the room, when the estimate exceeds what
 * the machine offers (`available`, for tests); returns the estimate otherwise.
 */
export function preflight(estimate: Estimate, available: Available = availableMemory()): Estimate {
  if (estimate.bytes > available.bytes) {
    throw new InputError(
      estimate.driver.field,
      `${estimate.driver.why} need about ${gib(estimate.bytes)}, ${available.words}; make the run smaller, or pass --force to run anyway`,
    );
  }
  return estimate;
}

/** "9 GiB", "1.6 GiB", "250 MiB": an estimate's precision. */
export function gib(bytes: number): string {
  const g = bytes / 2 ** 30;
  if (g >= 10) return `${count(g)} GiB`;
  if (g >= 1) return `${g.toFixed(1)} GiB`;
  return `${count(bytes / 2 ** 20)} MiB`;
}
