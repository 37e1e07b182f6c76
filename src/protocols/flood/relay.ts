// Flooding's handlers: every copy leaves after the link latency plus a fixed relay delay.
import type { Broadcasts, HeardBits } from '../protocol.js';
import { RelayOnce } from '../relay-once.js';
import type { Flood } from './index.js';

class FloodRelay extends RelayOnce {
  constructor(private readonly delayMs: number, b: Broadcasts, heard: HeardBits) {
    super(b, heard);
  }
  protected wait(): number {
    return this.delayMs;
  }
}

export const relay = (p: Flood, b: Broadcasts, _localNodes: number, heard: HeardBits) => new FloodRelay(p.relayDelayMs, b, heard);
