// PHOLD (Fujimoto 1990) with ROSS's definition: the standard benchmark of parallel discrete-event
// simulators, outside the gossip protocols. Its logical processes (LPs) are the engine's nodes; it has
// no graph, no regions and no faults.
import { z } from 'zod';
import { InputError } from '../../errors.js';
import { int, positive, probability } from '../../scenario/network-schema.js';
import { num } from '../../format.js';
import type { ModelDefinition } from '../definition.js';
import { gather, sha256 } from '../outcomes.js';
import type { PholdOutcome, PholdPlan } from './protocol.js';
import { link } from './shard.js';
import { pholdMemory } from './memory.js';

/** Events a unit of work stands for (src/default-workers.ts): about one per peer of a relaying node. */
const EVENTS_PER_UNIT = 8;

export type { PholdPlan };

export const pholdScenarioSchema = z.strictObject({
  model: z.literal('phold'),
  name: z.string().optional(),
  seed: int(0).max(2 ** 32 - 1).default(42),
  lps: int(1).max(50_000_000).default(1024),
  startEvents: int(1).default(1),
  remote: probability().default(0.25),
  mean: positive().default(1.0),
  lookahead: positive().default(1.0),
  end: positive().default(101),
});
export type PholdScenario = z.output<typeof pholdScenarioSchema>;

export interface PholdSections {
  /** Events committed (handled before `end`). */
  phold: { lps: number; committed: number; end: number };
}

export const phold: ModelDefinition<PholdScenario, PholdPlan, PholdSections> = {
  name: 'phold',
  schema: pholdScenarioSchema,
  sizeField: 'lps',
  noun: 'LPs',
  timeUnit: 'units',
  check: (s) => {
    // The increment is Exp(mean - lookahead) + lookahead: a negative exponential mean means nothing.
    if (s.mean < s.lookahead) throw new InputError('mean', `must be >= lookahead (${s.lookahead}), got ${s.mean}`);
  },
  resolved: (s) => s,
  compile: (s) => ({ model: 'phold', seed: s.seed, nodes: s.lps, endMs: s.end, startEvents: s.startEvents, remote: s.remote, mean: s.mean, lookahead: s.lookahead }),
  // In the gossip model's units: a node handed a broadcast relays it to its peers, about 8 events, where
  // a PHOLD unit is one. Counted as events, a 1M-event run (0.3 s) got 2 workers and lost 0.1 s to
  // thread start-up for no faster simulation (docs/benchmarks.md).
  work: (s) => (s.lps * s.startEvents * Math.max(1, s.end / s.mean)) / EVENTS_PER_UNIT,
  memory: pholdMemory,
  network: () => null,
  link,
  shardModule: new URL('./shard.js', import.meta.url).href,
  result: (p, rec) => {
    const outcomes = rec.outcomes as readonly PholdOutcome[];
    const handled = gather<Uint32Array>('handled', rec.nodes, outcomes, rec.members);
    const trail = gather<Uint32Array>('trail', rec.nodes, outcomes, rec.members);
    const committed = handled.reduce((s, x) => s + x, 0);
    return { digest: sha256(handled, trail), sections: { phold: { lps: rec.nodes, committed, end: p.endMs } }, perNode: { handled, trail }, perItem: [], moments: [] };
  },
  summary: (r) => [`PHOLD: ${num(r.phold.committed)} events committed before t = ${r.phold.end}`],
};
