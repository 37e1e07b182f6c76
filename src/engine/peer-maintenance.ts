// Peer maintenance: a node keeps the connections it opened. When one closes — the peer went offline —
// it opens a replacement to a random online node after `reconnectDelayMs`; the node asked accepts
// unless its inbound connections are full. A node that goes offline closes all its connections (its
// peers hear of it after the latency), and one that comes back opens as many as it first had.
// Everything is messages between nodes, so each shard changes only its own nodes' lists (peer-lists.ts).
//
// Newcomers (joins) get in through the bootstrap (docs/scenario.md, "Joins and bootstrap"): a newcomer
// asks a seed for addresses (getaddr; the answer is addr messages, one address each, the last marked),
// trying the seeds one after another and, when none answered, again after a backoff; then it opens its
// outbound connections among the addresses it learnt (address-table.ts), and asks each new outbound
// peer for more. Initial nodes have been running for long: their tables are taken to hold the whole
// network, so they answer with random online nodes and replace lost connections as before.
import { AddressTable } from './address-table.js';
import type { Context } from './model.js';
import type { PeerLists } from './peer-lists.js';

// Engine kinds, above every model kind: timers, then messages.
export const DOWN = 0x7d;
export const RECONNECT = 0x7c;
export const OPEN_TIMEOUT = 0x7b;
export const OPEN = 0x7a;
export const ACCEPT = 0x79;
export const REFUSE = 0x78;
export const CLOSE = 0x77;
export const GETADDR = 0x76;
/** One address in `a`; `b` = 1 on the last of an answer. */
export const ADDR = 0x75;
export const SEED_TIMEOUT = 0x74;
export const SEED_RETRY = 0x73;
/** The lowest engine kind: model kinds lie below it. */
export const ENGINE_MIN = SEED_RETRY;

/** What a maintenance message did to this node's connections (`onMessage`). */
export const LINK_KEPT = 0;
/** This node just opened a connection to the sender. */
export const LINK_OPENED = 1;
/** The sender closed its connection to this node. */
export const LINK_CLOSED = 2;
export type LinkChange = typeof LINK_KEPT | typeof LINK_OPENED | typeof LINK_CLOSED;

/** What maintenance needs of the shard: the context, its own random stream per node, and the engine's kinds. */
export interface PeerHost extends Context {
  peerRandom(): number;
  /** send() for the engine's own kinds, which a model may not use. */
  engineSend(to: number, kind: number, a?: number, b?: number): void;
  engineTimer(delayMs: number, kind: number, a: number): void;
}

export interface PeerRules {
  readonly nodes: number;
  /** Inbound connections a node accepts (Infinity where the topology has no cap). */
  readonly maxInbound: number;
  readonly reconnectDelayMs: number;
  /** An open unanswered for this long is given up and another node tried. */
  readonly openTimeoutMs: number;
  /** How newcomers get in; null without joins. */
  readonly bootstrap: BootstrapRules | null;
}

export interface BootstrapRules {
  /** Ids from here on are newcomers. */
  readonly initial: number;
  readonly seeds: Int32Array;
  readonly addrCount: number;
  readonly outbound: number;
  readonly newSize: number;
  readonly triedSize: number;
  readonly seedTimeoutMs: number;
  readonly retryMs: number;
}

/** A newcomer's bootstrap: where it is in its round of the seeds. */
interface Entry {
  table: AddressTable;
  /** Seeds asked so far, over all rounds; the current one is seeds[(first + asked - 1) % S]. */
  asked: number;
  first: number;
  /** Some seed or peer has answered: the newcomer has addresses to try. */
  answered: boolean;
}

/** Draws of a random node before giving up for one delay (all drawn were offline or already peers). */
const DRAWS = 32;

export class PeerMaintenance {
  /** Per local node, the nodes it is opening a connection to. */
  private readonly pending: (number[] | null)[];

  /** Per local node, a newcomer's bootstrap state (null for initial nodes, and before it joins). */
  private readonly entries: (Entry | null)[];

  constructor(private readonly links: PeerLists, private readonly rules: PeerRules, localNodes: number) {
    this.pending = new Array<number[] | null>(localNodes).fill(null);
    this.entries = new Array<Entry | null>(rules.bootstrap ? localNodes : 0).fill(null);
  }

  onDown(h: PeerHost): void {
    this.pending[h.local] = null;
    for (const p of this.links.clear(h.local, h.self, h.now)) h.engineSend(p, CLOSE);
  }

  /** Back online, or, for a newcomer, its join (the end of its first offline interval). */
  onRecover(h: PeerHost): void {
    const b = this.rules.bootstrap;
    if (b !== null && h.self >= b.initial) {
      const e = this.entry(h);
      if (e.table.size() === 0) return this.askSeed(h, e);
      for (let k = b.outbound; k > 0; k--) h.engineTimer(this.rules.reconnectDelayMs, RECONNECT, 0);
      return;
    }
    for (let k = this.links.initialOutbound(h.self); k > 0; k--) h.engineTimer(this.rules.reconnectDelayMs, RECONNECT, 0);
  }

  private entry(h: PeerHost): Entry {
    const b = this.rules.bootstrap!;
    return (this.entries[h.local] ??= {
      table: new AddressTable(b.newSize, b.triedSize),
      asked: 0,
      // Each newcomer starts its round at a seed of its own, so a flash crowd spreads over the seeds.
      first: Math.floor(h.peerRandom() * b.seeds.length),
      answered: false,
    });
  }

  /** Asks the next seed for addresses; its timeout moves on to the one after. */
  private askSeed(h: PeerHost, e: Entry): void {
    const b = this.rules.bootstrap!;
    const S = b.seeds.length;
    e.answered = false;
    h.engineSend(b.seeds[(e.first + e.asked) % S]!, GETADDR);
    e.asked++;
    h.engineTimer(b.seedTimeoutMs, SEED_TIMEOUT, e.asked);
  }

  /** A seed did not answer in time: the next one, or after a round of all of them, a backoff. */
  onSeedTimeout(h: PeerHost, asked: number): void {
    const e = this.entries[h.local];
    if (!e || e.answered || e.asked !== asked) return;
    const b = this.rules.bootstrap!;
    const S = b.seeds.length;
    if (e.asked % S !== 0) return this.askSeed(h, e);
    const round = e.asked / S;
    h.engineTimer(b.retryMs * 2 ** Math.min(round - 1, 10), SEED_RETRY, e.asked);
  }

  onSeedRetry(h: PeerHost, asked: number): void {
    const e = this.entries[h.local];
    if (e && !e.answered && e.asked === asked) this.askSeed(h, e);
  }

  /** A getaddr: this node's own address and up to addrCount online ones it knows, the last marked. */
  private answerGetaddr(h: PeerHost, from: number): void {
    const b = this.rules.bootstrap!;
    const e = this.entries.length > 0 ? this.entries[h.local] : null;
    const n = this.rules.nodes;
    let sent = 0;
    // At most 4 draws an address: a table of mostly offline nodes gives a short answer, not a long loop.
    for (let d = 0; d < 4 * b.addrCount && sent < b.addrCount; d++) {
      const w = e ? e.table.random(h.peerRandom(), h.peerRandom()) : Math.floor(h.peerRandom() * n);
      if (w < 0) break;
      if (w === from || w === h.self || !h.online(w)) continue;
      h.engineSend(from, ADDR, w, 0);
      sent++;
    }
    h.engineSend(from, ADDR, h.self, 1);
  }

  /** An address heard; on the last of an answer, a newcomer still short of outbound connections opens them. */
  private heard(h: PeerHost, from: number, w: number, last: boolean): void {
    const e = this.entries.length > 0 ? this.entries[h.local] : null;
    if (!e) return; // initial nodes know the network already
    if (w !== h.self) e.table.add(w, h.peerRandom());
    if (!last) return;
    if (from === w && !e.answered) {
      e.answered = true;
      const missing = this.rules.bootstrap!.outbound - this.outboundCount(h) - (this.pending[h.local]?.length ?? 0);
      for (let k = 0; k < missing; k++) this.onReconnect(h);
    }
  }

  private outboundCount(h: PeerHost): number {
    let k = 0;
    for (let i = this.links.start(h.local, h.self), end = this.links.end(h.local, h.self); i < end; i++) if (this.links.opened(h.local, i)) k++;
    return k;
  }

  onReconnect(h: PeerHost): void {
    const e = this.entries.length > 0 ? this.entries[h.local] : null;
    if (e) return this.reconnectFromTable(h, e);
    const n = this.rules.nodes;
    const pending = (this.pending[h.local] ??= []);
    for (let d = 0; d < DRAWS; d++) {
      const w = Math.floor(h.peerRandom() * n);
      if (w === h.self || !h.online(w) || pending.includes(w) || this.links.has(h.local, h.self, w)) continue;
      pending.push(w);
      h.engineSend(w, OPEN);
      h.engineTimer(this.rules.openTimeoutMs, OPEN_TIMEOUT, w);
      return;
    }
    h.engineTimer(this.rules.reconnectDelayMs, RECONNECT, 0);
  }

  /**
   * A newcomer opens connections only to addresses it has learnt, whether or not they are online (it
   * cannot know): an address that never answers is dropped at the open's timeout. An empty table sends
   * it back to the seeds.
   */
  private reconnectFromTable(h: PeerHost, e: Entry): void {
    const pending = (this.pending[h.local] ??= []);
    if (e.table.size() === 0) {
      if (e.answered) this.askSeed(h, e);
      return;
    }
    for (let d = 0; d < DRAWS; d++) {
      const w = e.table.random(h.peerRandom(), h.peerRandom());
      if (w === h.self || pending.includes(w) || this.links.has(h.local, h.self, w)) continue;
      pending.push(w);
      h.engineSend(w, OPEN);
      h.engineTimer(this.rules.openTimeoutMs, OPEN_TIMEOUT, w);
      return;
    }
    h.engineTimer(this.rules.reconnectDelayMs, RECONNECT, 0);
  }

  /** Handles OPEN, ACCEPT, REFUSE, CLOSE, GETADDR and ADDR; returns what it did to the connection with `from`. */
  onMessage(h: PeerHost, kind: number, from: number, a = 0, b = 0): LinkChange {
    const { local, self } = h;
    switch (kind) {
      case GETADDR:
        this.answerGetaddr(h, from);
        return LINK_KEPT;
      case ADDR:
        this.heard(h, from, a, b === 1);
        return LINK_KEPT;
      case OPEN:
        if (this.links.has(local, self, from)) return LINK_KEPT;
        if (this.links.inbound(local, self) < this.rules.maxInbound) {
          this.links.add(local, self, from, false, h.now);
          // A newcomer learns of the nodes that connect to it (they advertise themselves).
          if (this.entries.length > 0) this.entries[local]?.table.add(from, h.peerRandom());
          h.engineSend(from, ACCEPT);
        } else {
          h.engineSend(from, REFUSE);
        }
        return LINK_KEPT;
      case ACCEPT:
        if (!this.settle(local, from)) {
          // We gave up on it (timeout) or went down meanwhile: close what the peer opened.
          h.engineSend(from, CLOSE);
          return LINK_KEPT;
        }
        this.links.add(local, self, from, true, h.now);
        if (this.entries.length > 0) {
          const e = this.entries[local];
          // A newcomer marks the address good and asks its new peer for more (Bitcoin Core: getaddr to each outbound peer).
          if (e) {
            e.table.tried(from, h.peerRandom());
            h.engineSend(from, GETADDR);
          }
        }
        return LINK_OPENED;
      case REFUSE:
        if (this.settle(local, from)) h.engineTimer(this.rules.reconnectDelayMs, RECONNECT, 0);
        return LINK_KEPT;
      case CLOSE: {
        const opened = this.links.remove(local, self, from, h.now);
        if (opened === null) return LINK_KEPT;
        if (opened) h.engineTimer(this.rules.reconnectDelayMs, RECONNECT, 0);
        return LINK_CLOSED;
      }
    }
    return LINK_KEPT;
  }

  onOpenTimeout(h: PeerHost, w: number): void {
    if (!this.settle(h.local, w)) return;
    // An address that never answered is dropped from a newcomer's table.
    if (this.entries.length > 0) this.entries[h.local]?.table.remove(w);
    h.engineTimer(this.rules.reconnectDelayMs, RECONNECT, 0);
  }

  /** Removes `w` from the opens in flight; false if it was not there. */
  private settle(local: number, w: number): boolean {
    const pending = this.pending[local];
    const i = pending ? pending.indexOf(w) : -1;
    if (i < 0) return false;
    pending!.splice(i, 1);
    return true;
  }
}
