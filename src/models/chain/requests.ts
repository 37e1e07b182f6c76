// Block requests in flight (inv/getdata relay): for each, the peers that announced the block, in order,
// and how many of them were asked. Most announcements arrive while a request is out (2.1M of 4.9M at
// 100k nodes), so this lives in typed arrays — a linked list of announcers per request over one pool —
// where a Map of arrays spent most of the relay's time in hashing, allocation and GC.

import { doubled } from '../../engine/typed-arrays.js';

const NONE = -1;

export class RequestTable {
  // Per request id.
  private head = new Int32Array(1024);
  private tail = new Int32Array(1024);
  /** The next announcer to ask, NONE when all were asked. */
  private cursor = new Int32Array(1024);
  private asked = new Int32Array(1024);
  /** The announcer asked last: where the request is in flight. */
  private last = new Int32Array(1024);
  private freeIds: number[] = [];
  private ids = 0;
  // Announcer entries.
  private peer = new Int32Array(4096);
  private next = new Int32Array(4096);
  private freeEntry = NONE;
  private entries = 0;

  /** A new request whose first announcer is `from`; returns its id. */
  open(from: number): number {
    let id = this.freeIds.pop();
    if (id === undefined) {
      id = this.ids++;
      if (id === this.head.length) this.growIds();
    }
    const e = this.entry(from);
    this.head[id] = e;
    this.tail[id] = e;
    this.cursor[id] = e;
    this.asked[id] = 0;
    return id;
  }

  /** Appends an announcer, to be asked after the ones before it. */
  add(id: number, from: number): void {
    const e = this.entry(from);
    this.next[this.tail[id]!] = e;
    this.tail[id] = e;
    if (this.cursor[id] === NONE) this.cursor[id] = e;
  }

  /** Go round the announcers again, from the first. */
  restart(id: number): void {
    this.cursor[id] = this.head[id]!;
  }

  hasNext(id: number): boolean {
    return this.cursor[id] !== NONE;
  }

  /** The next announcer to ask (there must be one); counts it as asked. */
  takeNext(id: number): number {
    const e = this.cursor[id]!;
    this.cursor[id] = this.next[e]!;
    this.asked[id]!++;
    return (this.last[id] = this.peer[e]!);
  }

  /** The announcer asked last. */
  lastAsked(id: number): number {
    return this.last[id]!;
  }

  /** How many announcers were asked so far. */
  askedCount(id: number): number {
    return this.asked[id]!;
  }

  close(id: number): void {
    for (let e = this.head[id]!; e !== NONE; ) {
      const after = this.next[e]!;
      this.next[e] = this.freeEntry;
      this.freeEntry = e;
      e = after;
    }
    this.freeIds.push(id);
  }

  private entry(from: number): number {
    let e = this.freeEntry;
    if (e !== NONE) {
      this.freeEntry = this.next[e]!;
    } else {
      e = this.entries++;
      if (e === this.peer.length) {
        this.peer = doubled(this.peer);
        this.next = doubled(this.next);
      }
    }
    this.peer[e] = from;
    this.next[e] = NONE;
    return e;
  }

  private growIds(): void {
    this.head = doubled(this.head);
    this.tail = doubled(this.tail);
    this.cursor = doubled(this.cursor);
    this.asked = doubled(this.asked);
    this.last = doubled(this.last);
  }
}
