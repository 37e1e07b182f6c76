// Peer maintenance: a node keeps the connections it opened. When one closes — the peer went offline —
// it opens a replacement to a random online node after `reconnectDelayMs`; the node asked accepts
// unless its inbound connections are full. A node that goes offline closes all its connections (its
// peers hear of it after the latency), and one that comes back opens as many as it first had.
// Everything is messages between nodes, so each shard changes only its own nodes' lists (peer-lists.ts).
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

/** What maintenance needs of the shard: the context, its own random stream per node, and the engine's kinds. */
export interface PeerHost extends Context {
  peerRandom(): number;
  /** send() for the engine's own kinds, which a model may not use. */
  engineSend(to: number, kind: number): void;
  engineTimer(delayMs: number, kind: number, a: number): void;
}

export interface PeerRules {
  readonly nodes: number;
  /** Inbound connections a node accepts (Infinity where the topology has no cap). */
  readonly maxInbound: number;
  readonly reconnectDelayMs: number;
  /** An open unanswered for this long is given up and another node tried. */
  readonly openTimeoutMs: number;
}

/** Draws of a random node before giving up for one delay (all drawn were offline or already peers). */
const DRAWS = 32;

export class PeerMaintenance {
  /** Per local node, the nodes it is opening a connection to. */
  private readonly pending: (number[] | null)[];

  constructor(private readonly links: PeerLists, private readonly rules: PeerRules, localNodes: number) {
    this.pending = new Array<number[] | null>(localNodes).fill(null);
  }

  onDown(h: PeerHost): void {
    this.pending[h.local] = null;
    for (const p of this.links.clear(h.local, h.self, h.now)) h.engineSend(p, CLOSE);
  }

  onRecover(h: PeerHost): void {
    for (let k = this.links.initialOutbound(h.self); k > 0; k--) h.engineTimer(this.rules.reconnectDelayMs, RECONNECT, 0);
  }

  onReconnect(h: PeerHost): void {
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

  /** Handles OPEN, ACCEPT, REFUSE and CLOSE; returns true when this node just opened a connection to `from`. */
  onMessage(h: PeerHost, kind: number, from: number): boolean {
    const { local, self } = h;
    switch (kind) {
      case OPEN:
        if (this.links.has(local, self, from)) return false;
        if (this.links.inbound(local, self) < this.rules.maxInbound) {
          this.links.add(local, self, from, false, h.now);
          h.engineSend(from, ACCEPT);
        } else {
          h.engineSend(from, REFUSE);
        }
        return false;
      case ACCEPT:
        if (!this.settle(local, from)) {
          // We gave up on it (timeout) or went down meanwhile: close what the peer opened.
          h.engineSend(from, CLOSE);
          return false;
        }
        this.links.add(local, self, from, true, h.now);
        return true;
      case REFUSE:
        if (this.settle(local, from)) h.engineTimer(this.rules.reconnectDelayMs, RECONNECT, 0);
        return false;
      case CLOSE:
        if (this.links.remove(local, self, from, h.now) === true) h.engineTimer(this.rules.reconnectDelayMs, RECONNECT, 0);
        return false;
    }
    return false;
  }

  onOpenTimeout(h: PeerHost, w: number): void {
    if (this.settle(h.local, w)) h.engineTimer(this.rules.reconnectDelayMs, RECONNECT, 0);
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
