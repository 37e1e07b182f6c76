// PHOLD's memory estimate (ModelDefinition.memory): the queue holds every LP's start events for the
// whole run (each event schedules one more), and each LP keeps two counters (docs/benchmarks.md, "Memory").
import { count, type MemoryEstimate } from '../memory.js';
import type { PholdPlan } from './protocol.js';

/** Queue bytes per pending event: a 32-byte record of its own (no two share a time), the pool's doubling. */
const EVENT_BYTES = 64;
/** Per LP: handled and trail in the shard and gathered (16), its sequence number and stream (8). */
const LP_BYTES = 24;

export function pholdMemory(p: PholdPlan, _shards: number): MemoryEstimate {
  const events = p.nodes * p.startEvents;
  const bytes = events * EVENT_BYTES + p.nodes * LP_BYTES;
  const driver = p.startEvents > 1
    ? { field: 'startEvents', why: `${count(events)} events in flight (${count(p.startEvents)} per LP on ${count(p.nodes)} LPs)` }
    : { field: 'lps', why: `${count(p.nodes)} LPs` };
  return { bytes, driver };
}
