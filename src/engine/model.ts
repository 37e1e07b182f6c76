// What a model (a protocol, PHOLD, later the chain) sees of the engine, DESIGN §2: handlers over a small
// context. A handler changes only its own node's state and acts on others only through send().

export interface Context {
  /** Simulated time of the event being handled, in ms. */
  readonly now: number;
  /** Global id of the node handling the event. */
  readonly self: number;
  /** Index of that node within its shard: the row of the model's per-node arrays. */
  readonly local: number;
  /**
   * Sends a message; it arrives after `extraMs` + link latency + sizeBytes / bandwidth. `kind` <= MAX_MODEL_KIND (118, shard.ts): the kinds above are the engine's.
   * This is the one send path: every message between nodes crosses it. Returns the whole delay.
   */
  send(to: number, kind: number, a: number, b: number, extraMs?: number, sizeBytes?: number): number;
  /** The part of a send's delay that `sizeBytes` costs on the link to `to` (the same rule send() applies). */
  transferMs(to: number, sizeBytes: number): number;
  /** Schedules onTimer at this node after `delayMs` (> 0). */
  setTimer(delayMs: number, kind: number, a: number, b: number): void;
  /** Uniform [0, 1) from this node's own protocol stream. */
  random(): number;
  /** Whether `node` is online now: an exogenous schedule every node may consult (DESIGN §10). */
  online(node: number): boolean;
  /**
   * This node's peers: peerList()[peerStart() .. peerEnd()), its current connections (the initial
   * graph until peer maintenance changes them). No allocation: iterate the range.
   */
  peerList(): Int32Array;
  peerStart(): number;
  peerEnd(): number;
  /** Whether this node opened the connection at list position i (always, where links have no direction). */
  peerOpened(i: number): boolean;
}

/** What a model can do before the run: place exogenous events (workload, schedules) at its own nodes. */
export interface Scheduler {
  /** True when this shard owns the node. */
  owns(node: number): boolean;
  /** An event at absolute time `t` delivered to `node` as a timer of `kind`. */
  scheduleAt(node: number, t: number, kind: number, a: number, b: number): void;
  /** Uniform [0, 1) from the node's own protocol stream, the same stream its handlers draw from. */
  randomFor(node: number): number;
}

/**
 * Per-node outcomes, row k of a key stored at [k * localNodes + local]; `totals` are summed over shards.
 * The coordinator reassembles rows in global node order for metrics and the digest.
 */
export type PerNodeArray = Float64Array | Float32Array | Int32Array | Uint32Array;

export interface ModelOutcome {
  readonly perNode: Record<string, PerNodeArray>;
  readonly totals: Record<string, number[]>;
  /** Like totals, merged by maximum instead of sum. */
  readonly maxima?: Record<string, number[]>;
}

export interface Model {
  start(s: Scheduler): void;
  onMessage(ctx: Context, from: number, kind: number, a: number, b: number): void;
  onTimer(ctx: Context, kind: number, a: number, b: number): void;
  /** The node is back online after a crash or a churn downtime (its timers were lost while it was down). */
  onRecover?(ctx: Context): void;
  /** A partition this node was part of has healed. */
  onHeal?(ctx: Context): void;
  /** This node just opened a connection to `peer` (peer maintenance). */
  onConnect?(ctx: Context, peer: number): void;
  outcome(): ModelOutcome;
}
