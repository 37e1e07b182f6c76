// Flooding's handlers: every copy leaves after the link latency plus a fixed relay delay.
import type { Broadcasts } from '../protocol.js';
import { RelayOnce } from '../relay-once.js';
import type { Flood } from './index.js';

class FloodRelay extends RelayOnce {
  constructor(private readonly delayMs: number, b: Broadcasts, localNodes: number) {
    super(b, localNodes);
  }
  protected wait(): number {
    return this.delayMs;
  }
}

export const relay = (p: Flood, b: Broadcasts, localNodes: number) => new FloodRelay(p.relayDelayMs, b, localNodes);
