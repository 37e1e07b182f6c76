// Everything outside the engine that a shard calls or is called by, as interfaces: the model's handlers
// over a small context, the link model, the fault layer, and taps (observers of the one send path).
// The engine imports none of their implementations; a worker thread (or a page, or a test) hands them
// in. docs/architecture.md, "Models and handlers".

export interface Context {
  /** Simulated time of the event being handled, in ms. */
  readonly now: number;
  /** Global id of the node handling the event. */
  readonly self: number;
  /** Index of that node within its shard: the row of the model's per-node arrays. */
  readonly local: number;
  /**
   * Sends a message; it arrives after `extraMs` + link latency + sizeBytes / bandwidth. `kind` is
   * 0..MAX_MODEL_KIND (shard.ts): the kinds above are the engine's. This is the one send path: every
   * message between nodes crosses it. Returns the whole delay.
   */
  send(to: number, kind: number, a: number, b: number, extraMs?: number, sizeBytes?: number): number;
  /** The part of a send's delay that `sizeBytes` costs on the link to `to` (the same rule send() applies). */
  transferMs(to: number, sizeBytes: number): number;
  /** What `sizeBytes` costs this node's own upload: sizeBytes / its upload bandwidth; 0 without bandwidth. */
  uploadMs(sizeBytes: number): number;
  /** Schedules onTimer at this node after `delayMs` (> 0). */
  setTimer(delayMs: number, kind: number, a: number, b: number): void;
  /** Uniform [0, 1) from this node's own protocol stream. */
  random(): number;
  /** Whether `node` is online now: an exogenous schedule every node may consult. */
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
  /** Where `peer` is in peerList(), or -1 if it is not a peer now (a connection that closed carries nothing). */
  peerIndex(peer: number): number;
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

/** What a model or a tap hands back after the run; the type parameters name its keys. */
export interface ModelOutcome<N extends string = string, T extends string = string, M extends string = string> {
  readonly perNode: Record<N, PerNodeArray>;
  readonly totals: Record<T, number[]>;
  /** Like totals, merged by maximum instead of sum. */
  readonly maxima?: Record<M, number[]>;
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
  /**
   * `peer` closed its connection to this node: it went offline, or gave up on the connection before it
   * was accepted (peer maintenance). A node that goes offline itself is told nothing: peer maintenance
   * brings it back (onRecover) with an empty peer list, and it opens new connections.
   */
  onDisconnect?(ctx: Context, peer: number): void;
  outcome(): ModelOutcome;
}

/**
 * An observer of traffic, run inside the shard: it sees what crosses the one send path and what the
 * model handles, never changes either, and keeps its own records for the coordinator. A shard with
 * no tap pays one null test per event.
 */
export interface Tap {
  /** Every send a model makes, lost or not (faults drop after this): the sender's `now` and `self`. */
  sent?(ctx: Context, to: number, kind: number, a: number, b: number, delayMs: number): void;
  /** A message about to be handled at `ctx.self` (online), sent by `from`. */
  delivered?(ctx: Context, from: number, kind: number, a: number, b: number): void;
  /** A timer about to be handled at `ctx.self` (online). */
  timer?(ctx: Context, kind: number, a: number, b: number): void;
  /** A connection peer maintenance just opened at `ctx.self` to `peer`, after the model's onConnect. */
  connected?(ctx: Context, peer: number): void;
  outcome(): ModelOutcome;
}

/** The draw a latency sample takes: the sending node's `link` stream. */
export interface LinkRandom {
  linkUniform(): number;
}

/** The network between nodes: how long a message takes. The coordinator derives the lookahead from it too. */
export interface Link {
  /** One-way latency of one message, strictly positive. */
  latency(from: number, to: number, rnd: LinkRandom): number;
  /** Time to push `sizeBytes` through the narrower of the sender's upload and the receiver's download; 0 without bandwidth. */
  transferMs(from: number, to: number, sizeBytes: number): number;
  /** Time `sizeBytes` take through the sender's own upload alone; 0 without bandwidth. */
  uploadMs(from: number, sizeBytes: number): number;
  /** The smallest latency from a node of region `a` to one of region `b`: the lookahead's building block. */
  floor(a: number, b: number): number;
}

/**
 * The fault layer as the engine sees it: exogenous and fixed before the run, so every shard asks the
 * same questions of the same answers. docs/architecture.md, "Faults and what a node may know".
 */
export interface FaultView {
  online(node: number, t: number): boolean;
  sameSide(a: number, b: number, t: number): boolean;
  /** Probability that a message sent at t is lost. */
  lossRate(t: number): number;
  /** Times the node comes back online; the engine delivers onRecover there. */
  recoveries(node: number): readonly number[];
  /** Times the node goes offline; peer maintenance closes its connections there. */
  outages(node: number): readonly number[];
  /** Times a partition heals; onHeal goes to every node then. */
  heals(): readonly number[];
}
