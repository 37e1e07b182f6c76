// The engine on its own floor: a shard built in this thread, with no worker, no scenario and no
// registry, runs a hand-made model over a hand-made graph. Its taps see every send and every message
// and timer handed to a handler, at the times a hand computation gives; a kind outside the models'
// range stops the run with an error that names it.
import { describe, expect, it } from 'vitest';
import type { ShardInit } from '../src/engine/messages.js';
import type { Context, Link, Model, Scheduler, Tap } from '../src/engine/model.js';
import { MAX_MODEL_KIND, ModelError, Shard } from '../src/engine/shard.js';
import { oneShardInit } from './one-shard.js';

/** One shard over the path 0 - 1 - 2 - ... - (n-1). */
function init(n: number, endMs: number): ShardInit {
  const offsets = new Int32Array(n + 1);
  const targets: number[] = [];
  for (let v = 0; v < n; v++) {
    if (v > 0) targets.push(v - 1);
    if (v < n - 1) targets.push(v + 1);
    offsets[v + 1] = targets.length;
  }
  return oneShardInit(offsets, Int32Array.from(targets), null, endMs);
}

const constant = (ms: number): Link => ({ latency: () => ms, transferMs: (_f, _t, bytes) => bytes / 1000, uploadMs: (_f, bytes) => bytes / 1000, floor: () => ms });

/** Node 0 starts a token at t = 5 that walks the path; each node holds it `holdMs` (a timer), then passes it on. */
class Walk implements Model {
  constructor(private readonly n: number, private readonly holdMs: number, private readonly kind = 1) {}
  start(s: Scheduler): void {
    s.scheduleAt(0, 5, 2, 0, 0);
  }
  onTimer(ctx: Context): void {
    if (ctx.self + 1 < this.n) ctx.send(ctx.self + 1, this.kind, ctx.self, 0, 0, 2000);
  }
  onMessage(ctx: Context): void {
    ctx.setTimer(this.holdMs, 2, 0, 0);
  }
  outcome() {
    return { perNode: {}, totals: {} };
  }
}

class Log implements Tap {
  readonly lines: string[] = [];
  sent(ctx: Context, to: number, kind: number, a: number, _b: number, delayMs: number): void {
    this.lines.push(`${ctx.now} send ${ctx.self}->${to} kind ${kind} a ${a} delay ${delayMs}`);
  }
  delivered(ctx: Context, from: number, kind: number): void {
    this.lines.push(`${ctx.now} deliver ${from}->${ctx.self} kind ${kind}`);
  }
  timer(ctx: Context, kind: number): void {
    this.lines.push(`${ctx.now} timer ${ctx.self} kind ${kind}`);
  }
  outcome() {
    return { perNode: {}, totals: { lines: [this.lines.length] } };
  }
}

describe('the engine in this thread', () => {
  it('taps see each send, delivery and timer at the hand-computed times', () => {
    const log = new Log();
    const shard = new Shard(init(3, 1000), { model: new Walk(3, 7), link: constant(40), faults: null, taps: [log] });
    shard.start();
    const stats = shard.run();
    // A send's delay: latency 40 + 2000 bytes at the link's 1 byte/µs = 42 ms.
    expect(log.lines).toEqual([
      '5 timer 0 kind 2',
      '5 send 0->1 kind 1 a 0 delay 42',
      '47 deliver 0->1 kind 1',
      '54 timer 1 kind 2',
      '54 send 1->2 kind 1 a 1 delay 42',
      '96 deliver 1->2 kind 1',
      '103 timer 2 kind 2',
    ]);
    expect(stats.events).toBe(5);
    expect(stats.sent).toBe(2);
    expect(shard.outcomes().taps[0]!.totals.lines).toEqual([7]);
  });

  it('a shard without taps runs the same events', () => {
    const shard = new Shard(init(3, 1000), { model: new Walk(3, 7), link: constant(40), faults: null, taps: [] });
    shard.start();
    expect(shard.run().events).toBe(5);
  });

  it(`a model kind above ${MAX_MODEL_KIND} stops the run and names it`, () => {
    const shard = new Shard(init(3, 1000), { model: new Walk(3, 7, MAX_MODEL_KIND + 1), link: constant(40), faults: null, taps: [] });
    shard.start();
    expect(() => shard.run()).toThrow(ModelError);
    const bad = new Shard(init(3, 1000), { model: new Walk(3, 7, 0x80), link: constant(40), faults: null, taps: [] });
    bad.start();
    expect(() => bad.run()).toThrow(`node 0 sent kind 128; model kinds are 0..${MAX_MODEL_KIND}`);
  });

  it('a scheduled event of an engine kind is refused before the run', () => {
    const model: Model = { ...new Walk(3, 7), start: (s) => s.scheduleAt(0, 1, MAX_MODEL_KIND + 1, 0, 0), onTimer: () => undefined, onMessage: () => undefined, outcome: () => ({ perNode: {}, totals: {} }) };
    const shard = new Shard(init(3, 1000), { model, link: constant(40), faults: null, taps: [] });
    expect(() => shard.start()).toThrow(`an event of kind ${MAX_MODEL_KIND + 1} was scheduled at node 0`);
  });
});
