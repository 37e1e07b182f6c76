// The blockchain layer: proof-of-work blocks, their relay, forks and the longest chain.
//
// The plan fixes when each block is found and by which miner (chain schedule, plan.ts); a MINE timer at
// the miner builds the block on the miner's tip at that moment. Every node keeps which blocks it has,
// its tip (most work = greatest height, every block carrying equal work; first seen wins a tie), and
// reorganizes when a heavier branch connects. A block whose parent it lacks waits as an orphan, and the
// node fetches the missing ancestors from the peer that sent it: that is also how a node catches up
// after being offline (it asks its peers for their tips) or after a partition heals (tips announced).
//
// Relay (`relay.kind`):
// - unsolicited: push the full block to every peer;
// - inv-getdata: announce; a node that lacks the block asks one announcer, and after `timeoutMs` the next
//   (round again, then with backoff: a lost message costs time, not the block);
// - compact: as inv-getdata, but when both ends use compact blocks the answer is a compact block, which
//   fails with `compactFailRate` and then costs a getblocktxn round trip and `missingShare` of the block.
// Each node uploads one payload at a time: `freeAt` is the end of its upload FIFO.
//
// Every connected block is relayed, stale ones too, so every block reaches every node and a block's
// propagation is measured the same way whether or not it wins.
//
// Observations are kept for the coordinator (metrics.ts), never read across shards: per (block,
// node) the receipt delay; per block the latest time it entered any node's chain, and the span during
// which every node had it as tip (latest adoption, earliest departure, number of adopters).
import type { Context, Link, Model, ModelOutcome, Scheduler } from '../../engine/model.js';
import { NODE_PURPOSE, nodeUniform } from '../../engine/node-streams.js';
import { isSlow, speedFactor } from '../../network/node-traits.js';
import type { ChainPlan } from './plan.js';
import { RequestTable } from './requests.js';
import { TX, TXGETDATA, TXINV, TXORIGIN, TXTICK, TXTIMEOUT, TxRelay } from './tx-relay.js';
import { GETBLOCK, GETHEADERS, HEADERS, IBDBLOCK, IBD_RETRY, IBD_TIMEOUT, IBD_VERIFIED, IN_HAND, InitialDownload, NOTFOUND } from './ibd.js';

/** What a shard hands the coordinator: per (block, node) and per node, then per block merged over shards. */
export type ChainOutcome = ModelOutcome<
  'recvMs' | 'tip' | 'reorg' | 'txRecvMs' | 'baseDoneMs' | 'ibdBytes',
  'minedParent' | 'minedHeight' | 'adopters' | 'txReached' | 'txDelay' | 'traffic',
  'enteredMax' | 'adoptedMax' | 'leftMinNeg' | 'enteredByGroup'
>;

// Messages.
const BLOCK = 1;
const INV = 2;
const GETDATA = 3;
const CMPCT = 4;
const GETBLOCKTXN = 5;
const BLOCKTXN = 6;
// 7, 8, 9: transactions (tx-relay.ts).
/**
 * "Tell me your tip", sent on a new connection and by a node back online; answered with an inv of the
 * tip. On a new connection it carries the asker's tip (a), so both sides learn the other's, as both
 * sides of a new connection sync headers in Bitcoin Core; over a connection that stayed up, the peers
 * have announced their blocks to each other all along (a: 0).
 */
const GETTIP = 14;
// Timers.
const MINE = 10;
const VERIFIED = 11;
const TIMEOUT = 12;
// 13, 16, 20: transactions (tx-relay.ts).
/** A node asked for tips and has heard no announcement since: ask again. */
const TIPCHECK = 15;

// What a node knows of a block, or of a transaction.
const NONE = 0;
const REQUESTED = 1;
/** Received in full: an orphan waiting for its parent. */
const HAVE = 2;
const CONNECTED = 3;
/** Received in full, being verified. */
const VERIFYING = 4;

/**
 * A request goes round its announcers again after all timed out, and catch-up asks for tips again, so
 * a lost message costs time, not the block. After this many tries the wait doubles each time: a peer
 * gone for good then costs a few dozen timers over a run, not one every timeoutMs.
 */
const PATIENT_TRIES = 16;

/** The wait before try number `attempt` (from 0) is given up. */
function backoff(timeoutMs: number, attempt: number): number {
  return timeoutMs * 2 ** Math.max(0, Math.min(30, attempt - PATIENT_TRIES + 1));
}

/** Draw 0 of this purpose decides whether a node speaks compact blocks: a pure function of (seed, node). */
const COMPACT_ATTRIBUTE = 0;

export class Chain implements Model {
  private readonly n: number;
  private readonly blocks: number;
  private readonly created: readonly number[];
  /** What the shard has learnt of each block from messages: parent and height (-1: not yet). */
  private readonly parent: Int32Array;
  private readonly height: Int32Array;
  /** Per (block, local node), row-major by block: NONE..CONNECTED. */
  private readonly state: Uint8Array;
  /** Per (block - 1, local node): receipt delay after the block's creation, NaN if never. */
  private readonly recvMs: Float32Array;
  private readonly tip: Int32Array;
  private readonly reorg: Int32Array;
  private readonly freeAt: Float64Array;
  /** Per node, rounds of asking for tips without an answer yet (0: not waiting). */
  private readonly tipRounds: Uint8Array;
  /** Requests in flight: per (block, local node) an id in `requests`, -1 if none. */
  private readonly requestOf: Int32Array;
  private readonly requests = new RequestTable();
  /** Per local node, its requests in flight: a closed connection looks for its requests only where there are some. */
  private readonly openRequests: Int32Array;
  /** Whether connections close (faults): then a request asks only announcers that are still peers. */
  private readonly peersClose: boolean;
  /** Orphans by (missing parent, local node). */
  private readonly orphans = new Map<number, number[]>();
  private readonly tx: TxRelay;
  /**
   * Per node, its block validation time and its processing delay per upload: the scenario's, times the
   * node's speed factor (node-traits.ts), which is exactly 1 without heterogeneity.
   */
  private readonly verifyAt: Float64Array;
  private readonly processAt: Float64Array;
  /**
   * With heterogeneity, per (block, node class): the latest time the block entered the chain of a node
   * of that class (class = slow × regions + region), for time to consistency by class; else empty.
   */
  private readonly groups: number;
  private readonly groupOf: Uint16Array;
  private readonly enteredByGroup: number[];

  // Per block, merged over shards by coordinator: the miner's shard fills the block's parent and height.
  private readonly minedParent: number[];
  private readonly minedHeight: number[];
  private readonly enteredMax: number[];
  private readonly adoptedMax: number[];
  private readonly leftMinNeg: number[];
  private readonly adopters: number[];
  // Byte totals pass 2^31, beyond V8's small integers: doubles from the start (docs/architecture.md, "Hidden classes").
  private readonly traffic = { blockMessages: 0, blockBytes: -0, announcements: 0, txBytes: -0 };

  private readonly compactRelay: boolean;
  /** Per node of the whole network: 1 if it speaks compact relay, 0 if not, -1 until first asked (a hash per getdata was 1 % of a SimBlock-sized run). */
  private readonly compactSpeaker: Int8Array;
  private readonly announce: boolean;
  /** With joins: the newcomers' initial block download. */
  private readonly ibd: InitialDownload | null;
  private ibdBytes = -0;

  constructor(private readonly plan: ChainPlan, private readonly members: Int32Array, region: Uint8Array, private readonly link: Link | null = null) {
    const n = members.length;
    const B = plan.chain.blockMiner.length;
    this.n = n;
    this.blocks = B;
    this.created = plan.chain.blockCreatedMs;
    this.parent = new Int32Array(B).fill(-1);
    this.height = new Int32Array(B).fill(-1);
    this.height[0] = 0;
    this.state = new Uint8Array(B * n);
    this.state.fill(CONNECTED, 0, n); // genesis
    this.recvMs = new Float32Array((B - 1) * n).fill(NaN);
    this.requestOf = new Int32Array(B * n).fill(-1);
    this.openRequests = new Int32Array(n);
    this.peersClose = plan.faults.length > 0;
    this.tip = new Int32Array(n);
    this.reorg = new Int32Array(n);
    this.freeAt = new Float64Array(n);
    this.tipRounds = new Uint8Array(n);
    this.tx = new TxRelay(plan, n, (ctx, to, kind, a, b, size) => this.upload(ctx, to, kind, a, b, size));
    const traits = plan.traits;
    const verify = plan.chain.verifyMs + (traits ? (traits.verifyMsPerMB * plan.chain.blockSizeBytes) / 1e6 : 0);
    const processing = plan.relay.processingMs;
    this.verifyAt = new Float64Array(n);
    this.processAt = new Float64Array(n);
    const R = plan.regionNames.length;
    this.groups = traits ? 2 * R : 0;
    this.groupOf = new Uint16Array(traits ? n : 0);
    for (let i = 0; i < n; i++) {
      const v = members[i]!;
      const f = speedFactor(traits, v);
      this.verifyAt[i] = verify * f;
      this.processAt[i] = processing * f;
      if (traits) this.groupOf[i] = (isSlow(traits, v) ? R : 0) + region[v]!;
    }
    this.enteredByGroup = new Array<number>(B * this.groups).fill(-Infinity);
    this.minedParent = new Array<number>(B).fill(0);
    this.minedHeight = new Array<number>(B).fill(0);
    this.enteredMax = new Array<number>(B).fill(-Infinity);
    this.adoptedMax = new Array<number>(B).fill(-Infinity);
    this.leftMinNeg = new Array<number>(B).fill(-Infinity);
    this.adopters = new Array<number>(B).fill(0);
    // Every node starts on genesis.
    this.adoptedMax[0] = 0;
    this.enteredMax[0] = 0;
    this.adopters[0] = n;
    this.compactRelay = plan.relay.kind === 'compact';
    this.compactSpeaker = new Int8Array(this.compactRelay ? plan.nodes : 0).fill(-1);
    this.announce = plan.relay.kind !== 'unsolicited';
    const joins = plan.joinAtMs.length > 0;
    this.ibd = joins ? new InitialDownload({ ...plan.ibd, height: plan.chain.initialHeight, blockBytes: plan.chain.blockSizeBytes, messageDelayMs: plan.relay.messageDelayMs }, this, n) : null;
    if (joins) {
      // A newcomer holds nothing until its download is done: not even the tip of the pre-existing chain.
      for (let i = 0; i < n; i++) {
        if (members[i]! < plan.initialNodes) continue;
        this.state[i] = NONE;
        this.adopters[0]!--;
      }
    }
  }

  // ---- what the initial block download asks of the chain (ibd.ts, IbdHost) ----

  hasBase(local: number): boolean {
    return this.state[local] === CONNECTED;
  }

  transferMs(from: number, to: number, size: number): number {
    return this.link ? this.link.transferMs(from, to, size) : 0;
  }

  /** The node's tip now (the visualizer follows it). */
  tipOf(local: number): number {
    return this.tip[local]!;
  }

  verifyMs(local: number): number {
    return this.verifyAt[local]!;
  }

  /** The pre-existing chain is in: connect the blocks received meanwhile, then catch up as a node back online does. */
  baseDone(ctx: Context): void {
    const local = ctx.local;
    this.state[local] = CONNECTED;
    const children = this.orphans.get(local);
    if (children) {
      this.orphans.delete(local);
      for (const c of children) this.connect(ctx, c, -1);
    }
    this.askTips(ctx);
  }

  start(s: Scheduler): void {
    const c = this.plan.chain;
    for (let x = 1; x < this.blocks; x++) {
      const miner = c.minerNodes[c.blockMiner[x]!]!;
      if (s.owns(miner)) s.scheduleAt(miner, c.blockCreatedMs[x]!, MINE, x, 0);
    }
    this.tx.start(s);
  }

  onTimer(ctx: Context, kind: number, a: number, b: number): void {
    switch (kind) {
      case MINE: return this.mine(ctx, a);
      case VERIFIED: return this.verified(ctx, a, b);
      case TIMEOUT: return this.timeout(ctx, a, b);
      case TIPCHECK: return this.tipCheck(ctx);
      case TXORIGIN:
      case TXTICK:
      case TXTIMEOUT:
        return this.tx.onTimer(ctx, kind, a, b);
      case IBD_TIMEOUT:
      case IN_HAND:
      case IBD_VERIFIED:
      case IBD_RETRY:
        return this.ibd?.onTimer(ctx, kind, a, b);
    }
  }

  onMessage(ctx: Context, from: number, kind: number, a: number, b: number): void {
    const r = this.plan.relay;
    switch (kind) {
      case BLOCK:
      case BLOCKTXN:
        return this.receive(ctx, a, b, from);
      case CMPCT:
        if (this.state[a * this.n + ctx.local]! >= HAVE) return;
        // The receiver reconstructs the block from its mempool, or misses transactions and asks for them.
        if (ctx.random() >= r.compactFailRate) return this.receive(ctx, a, b, from);
        // Over a connection closed since, nothing is asked: the block's request went on to the next announcer when it closed.
        if (!this.peersClose || ctx.peerIndex(from) >= 0) ctx.send(from, GETBLOCKTXN, a, 0, r.messageDelayMs);
        return;
      case INV:
        this.tipRounds[ctx.local] = 0;
        return this.announced(ctx, a, from);
      case GETTIP: {
        if (a !== 0) this.announced(ctx, a, from);
        const tip = this.tip[ctx.local]!;
        if (tip !== 0) ctx.send(from, INV, tip, 0, r.messageDelayMs);
        return;
      }
      case GETDATA: {
        const compact = this.compactRelay && this.speaksCompact(ctx.self) && this.speaksCompact(from);
        return this.upload(ctx, from, compact ? CMPCT : BLOCK, a, this.parent[a]!, compact ? r.compactBytes : this.plan.chain.blockSizeBytes);
      }
      case GETBLOCKTXN:
        return this.upload(ctx, from, BLOCKTXN, a, this.parent[a]!, Math.round(r.missingShare * this.plan.chain.blockSizeBytes));
      case TXINV:
      case TXGETDATA:
      case TX:
        return this.tx.onMessage(ctx, from, kind, a, b);
      case GETHEADERS:
      case HEADERS:
      case GETBLOCK:
      case IBDBLOCK:
      case NOTFOUND:
        return this.ibd?.onMessage(ctx, from, kind, a);
    }
  }

  /**
   * Back online. Its timers died with it, so requests it had out are dropped and blocks it was
   * verifying are taken as verified; then it asks its online peers for their tips and catches up.
   */
  onRecover(ctx: Context): void {
    const local = ctx.local;
    for (let x = 1; x < this.blocks; x++) {
      const at = x * this.n + local;
      const st = this.state[at]!;
      if (st === REQUESTED) {
        this.endRequest(at);
        this.state[at] = NONE;
      } else if (st === VERIFYING) {
        this.accept(ctx, x, -1);
      }
    }
    this.tx.onRecover(ctx);
    this.ibd?.onRecover(ctx);
    this.askTips(ctx);
  }

  /**
   * Catch-up waits for a reply, so under loss it retries: until some announcement arrives, the node
   * asks its online peers for their tips again, every timeoutMs and then less and less often.
   */
  private askTips(ctx: Context): void {
    this.toOnlinePeers(ctx, GETTIP, 0);
    this.tipRounds[ctx.local] = 1;
    ctx.setTimer(backoff(this.plan.relay.timeoutMs, 0), TIPCHECK, 0, 0);
  }

  private tipCheck(ctx: Context): void {
    const rounds = this.tipRounds[ctx.local]!;
    if (rounds === 0) return;
    this.toOnlinePeers(ctx, GETTIP, 0);
    this.tipRounds[ctx.local] = Math.min(255, rounds + 1);
    ctx.setTimer(backoff(this.plan.relay.timeoutMs, rounds), TIPCHECK, 0, 0);
  }

  /** A new connection (peer maintenance): learn the peer's tip, as Bitcoin nodes do on connecting. */
  onConnect(ctx: Context, peer: number): void {
    ctx.send(peer, GETTIP, this.tip[ctx.local]!, 0, this.plan.relay.messageDelayMs);
    if (this.ibd === null || ctx.self < this.plan.initialNodes) return;
    this.ibd.onConnect(ctx, peer);
  }

  /**
   * A connection closed (peer maintenance): transaction relay drops what it had queued for it, and a
   * block asked of it is asked of the next announcer now, as Bitcoin Core re-requests the blocks a
   * disconnected peer had in flight, rather than at the request's timeout.
   */
  onDisconnect(ctx: Context, peer: number): void {
    this.tx.onDisconnect(ctx, peer);
    const local = ctx.local;
    let open = this.openRequests[local]!;
    for (let x = this.blocks - 1; open > 0 && x >= 1; x--) {
      const id = this.requestOf[x * this.n + local]!;
      if (id < 0) continue;
      open--;
      if (this.requests.lastAsked(id) !== peer) continue;
      if (!this.requests.hasNext(id)) this.requests.restart(id);
      this.ask(ctx, x, id);
    }
  }

  /** A partition healed: announce the tip across it, so the lighter side fetches the heavier chain. */
  onHeal(ctx: Context): void {
    const tip = this.tip[ctx.local]!;
    if (tip !== 0) this.toOnlinePeers(ctx, INV, tip);
  }

  private toOnlinePeers(ctx: Context, kind: number, a: number): void {
    const peers = ctx.peerList();
    const end = ctx.peerEnd();
    for (let i = ctx.peerStart(); i < end; i++) {
      const v = peers[i]!;
      if (ctx.online(v)) ctx.send(v, kind, a, 0, this.plan.relay.messageDelayMs);
    }
  }

  private speaksCompact(node: number): boolean {
    let v = this.compactSpeaker[node]!;
    if (v < 0) v = this.compactSpeaker[node] = nodeUniform(this.plan.seed, node, NODE_PURPOSE.attribute, COMPACT_ATTRIBUTE) < this.plan.relay.compactShare ? 1 : 0;
    return v === 1;
  }

  // ---- blocks ------------------------------------------------------------------------------------

  private mine(ctx: Context, x: number): void {
    const p = this.tip[ctx.local]!;
    this.parent[x] = p;
    this.height[x] = this.height[p]! + 1;
    this.minedParent[x] = p;
    this.minedHeight[x] = this.height[x]!;
    this.recvMs[(x - 1) * this.n + ctx.local] = 0;
    this.connect(ctx, x, -1);
  }

  /** A full block arrived from `from`; `p` is its parent. */
  private receive(ctx: Context, x: number, p: number, from: number): void {
    const at = x * this.n + ctx.local;
    if (this.state[at]! >= HAVE) return;
    this.state[at] = HAVE;
    this.parent[x] = p;
    this.recvMs[(x - 1) * this.n + ctx.local] = ctx.now - this.created[x]!;
    this.endRequest(at);
    const verify = this.verifyAt[ctx.local]!;
    if (verify > 0) {
      this.state[at] = VERIFYING;
      ctx.setTimer(verify, VERIFIED, x, from);
    } else {
      this.accept(ctx, x, from);
    }
  }

  private verified(ctx: Context, x: number, from: number): void {
    // Unless the node crashed meanwhile and took it as verified on recovery.
    if (this.state[x * this.n + ctx.local] === VERIFYING) this.accept(ctx, x, from);
  }

  /**
   * Verified: connect it, or keep it as an orphan until its parent connects, asking the peer that sent
   * it for the parent. That walk back, one block a round trip, is how a node catches up on a chain it
   * missed (offline, or on the other side of a partition).
   */
  private accept(ctx: Context, x: number, from: number): void {
    const p = this.parent[x]!;
    const local = ctx.local;
    const pat = p * this.n + local;
    this.state[x * this.n + local] = HAVE;
    if (this.state[pat] !== CONNECTED) {
      const waiting = this.orphans.get(pat);
      if (waiting) waiting.push(x);
      else this.orphans.set(pat, [x]);
      if (from >= 0) this.fetchMissing(ctx, p, from);
      return;
    }
    this.connect(ctx, x, from);
  }

  private connect(ctx: Context, x: number, from: number): void {
    const local = ctx.local;
    this.state[x * this.n + local] = CONNECTED;
    if (this.height[x]! < 0) this.height[x] = this.height[this.parent[x]!]! + 1;
    if (this.height[x]! > this.height[this.tip[local]!]!) this.switchTip(ctx, x);
    this.relay(ctx, x, from);
    const key = x * this.n + local;
    const children = this.orphans.get(key);
    if (children) {
      this.orphans.delete(key);
      for (const c of children) this.connect(ctx, c, -1);
    }
  }

  /** Adopt `x` as tip: the blocks from `x` down to the fork point enter this node's chain. */
  private switchTip(ctx: Context, x: number): void {
    const old = this.tip[ctx.local]!;
    const now = ctx.now;
    let a = old;
    let b = x;
    const g = this.groups > 0 ? this.groupOf[ctx.local]! : -1;
    while (a !== b) {
      if (this.height[b]! >= this.height[a]!) {
        if (now > this.enteredMax[b]!) this.enteredMax[b] = now;
        if (g >= 0 && now > this.enteredByGroup[b * this.groups + g]!) this.enteredByGroup[b * this.groups + g] = now;
        b = this.parent[b]!;
      } else {
        a = this.parent[a]!;
      }
    }
    const depth = this.height[old]! - this.height[a]!;
    if (depth > this.reorg[ctx.local]!) this.reorg[ctx.local] = depth;
    if (-now > this.leftMinNeg[old]!) this.leftMinNeg[old] = -now;
    if (now > this.adoptedMax[x]!) this.adoptedMax[x] = now;
    this.adopters[x]!++;
    this.tip[ctx.local] = x;
  }

  private relay(ctx: Context, x: number, from: number): void {
    const r = this.plan.relay;
    const peers = ctx.peerList();
    const end = ctx.peerEnd();
    for (let i = ctx.peerStart(); i < end; i++) {
      const v = peers[i]!;
      if (v === from) continue;
      if (this.announce) {
        ctx.send(v, INV, x, 0, r.messageDelayMs);
        this.traffic.announcements++;
      } else {
        this.upload(ctx, v, BLOCK, x, this.parent[x]!, this.plan.chain.blockSizeBytes);
      }
    }
  }

  private announced(ctx: Context, x: number, from: number): void {
    if (x === 0) return; // the pre-existing chain: a newcomer gets it by its initial block download
    const at = x * this.n + ctx.local;
    const s = this.state[at]!;
    if (s === HAVE) return this.fetchMissing(ctx, this.parent[x]!, from); // an orphan: its chain is what is missing
    if (s > HAVE) return;
    if (s === REQUESTED) {
      this.requests.add(this.requestOf[at]!, from);
      return;
    }
    this.state[at] = REQUESTED;
    const id = this.requests.open(from);
    this.requestOf[at] = id;
    this.openRequests[ctx.local]!++;
    this.ask(ctx, x, id);
  }

  /**
   * `p` is an ancestor this node lacks: walk up past the orphans it holds to the first block it has
   * neither received nor asked for, and ask `from`, who has the chain. Any descendant announced later
   * restarts a walk that stalled (its peer went offline), so catch-up never waits for a new block.
   */
  private fetchMissing(ctx: Context, p: number, from: number): void {
    const local = ctx.local;
    while (this.state[p * this.n + local] === HAVE) p = this.parent[p]!;
    const st = this.state[p * this.n + local]!;
    if (st === NONE || st === REQUESTED) this.announced(ctx, p, from);
  }

  private endRequest(at: number): void {
    const id = this.requestOf[at]!;
    if (id < 0) return;
    this.requests.close(id);
    this.requestOf[at] = -1;
    this.openRequests[at % this.n]!--;
  }

  /**
   * Asks the next announcer that is still a peer: a connection that closed carries nothing, so its
   * announcements go with it. With none left the request ends, and the next announcement (a new
   * connection's tip, a relay) opens another.
   */
  private ask(ctx: Context, x: number, id: number): void {
    const r = this.plan.relay;
    while (this.requests.hasNext(id)) {
      const attempt = this.requests.askedCount(id);
      const peer = this.requests.takeNext(id);
      if (this.peersClose && ctx.peerIndex(peer) < 0) continue;
      ctx.send(peer, GETDATA, x, 0, r.messageDelayMs);
      ctx.setTimer(backoff(r.timeoutMs, attempt), TIMEOUT, x, attempt);
      return;
    }
    const at = x * this.n + ctx.local;
    this.endRequest(at);
    this.state[at] = NONE;
  }

  /** A getdata went unanswered: ask the next announcer, or wait for one. */
  private timeout(ctx: Context, x: number, attempt: number): void {
    const at = x * this.n + ctx.local;
    if (this.state[at] !== REQUESTED) return;
    const id = this.requestOf[at]!;
    if (this.requests.askedCount(id) - 1 !== attempt) return; // a later request superseded this one
    if (!this.requests.hasNext(id)) this.requests.restart(id);
    this.ask(ctx, x, id);
  }

  /** Sends a payload through this node's upload FIFO: it starts when the previous upload is done. */
  upload(ctx: Context, to: number, kind: number, a: number, b: number, size: number): void {
    const local = ctx.local;
    const r = this.plan.relay;
    const wait = Math.max(0, this.freeAt[local]! - ctx.now) + this.processAt[local]!;
    const delay = ctx.send(to, kind, a, b, wait, size);
    this.freeAt[local] = ctx.now + (r.uploadBusy === 'delivery' ? delay : wait + (r.uploadBusy === 'upload' ? ctx.uploadMs(size) : ctx.transferMs(to, size)));
    if (kind === TX) {
      this.traffic.txBytes += size;
    } else if (kind === HEADERS || kind === IBDBLOCK) {
      this.ibdBytes += size;
    } else {
      this.traffic.blockMessages++;
      this.traffic.blockBytes += size;
    }
  }

  outcome(): ChainOutcome {
    const t = this.traffic;
    return {
      perNode: {
        recvMs: this.recvMs, tip: this.tip, reorg: this.reorg, txRecvMs: this.tx.txRecvMs,
        baseDoneMs: this.ibd?.doneMs ?? new Float64Array(0), ibdBytes: this.ibd?.bytes ?? new Float64Array(0),
      },
      totals: {
        minedParent: this.minedParent,
        minedHeight: this.minedHeight,
        adopters: this.adopters,
        txReached: this.tx.txReached,
        txDelay: this.tx.txDelay,
        traffic: [t.blockMessages, t.blockBytes, t.announcements, t.txBytes, this.tx.invs, this.ibdBytes],
      },
      maxima: { enteredMax: this.enteredMax, adoptedMax: this.adoptedMax, leftMinNeg: this.leftMinNeg, enteredByGroup: this.enteredByGroup },
    };
  }
}
