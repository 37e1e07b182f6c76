// The scenario format: the one documented place where every field, its rule and its default live.
// `p2psim schema` prints this as JSON Schema; docs/scenario.md (README) describes it for people.
import { z } from 'zod';

const int = (min: number) => z.number().int().min(min);
const positive = () => z.number().positive();
const nonNegative = () => z.number().min(0);
const probability = () => z.number().min(0).max(1);

export const topologySchema = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('ring'), k: int(1).default(1) }),
  z.strictObject({ kind: z.literal('random-regular'), degree: int(1).default(8) }),
  z.strictObject({ kind: z.literal('erdos-renyi'), meanDegree: positive().default(8) }),
  z.strictObject({
    kind: z.literal('bitcoin'),
    outbound: int(1).default(8),
    maxInbound: int(1).default(125),
  }),
  z.strictObject({
    kind: z.literal('small-world'),
    degree: int(2).multipleOf(2).default(8),
    rewire: probability().default(0.1),
  }),
  z.strictObject({ kind: z.literal('scale-free'), m: int(1).default(4) }),
  z.strictObject({ kind: z.literal('edge-list'), file: z.string().min(1) }),
]);

const regionSchema = z.strictObject({ name: z.string().min(1), share: nonNegative() });

export const latencySchema = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('constant'), ms: positive().default(50) }),
  z.strictObject({ kind: z.literal('uniform'), minMs: positive(), maxMs: positive() }),
  z.strictObject({
    kind: z.literal('lognormal'),
    medianMs: positive(),
    sigma: nonNegative().default(0.5),
    // A positive floor makes the latency usable as lookahead across shards.
    minMs: nonNegative().default(0),
  }),
  z.strictObject({
    kind: z.literal('regions'),
    // A preset fills regions and matrixMs from ../shared/data (see docs); explicit fields override it.
    preset: z.enum(['bitcoin-2019', 'bitcoin-2015']).optional(),
    regions: z.array(regionSchema).min(1).max(255).optional(),
    matrixMs: z.array(z.array(positive())).optional(),
    // uniform: latency = matrix * (1 + jitter * U(-1, 1));
    // pareto: SimBlock's model, Pareto with scale matrix - 5 ms and shape 0.2 * matrix (mean = matrix).
    distribution: z.enum(['uniform', 'pareto']).default('uniform'),
    jitter: z.number().min(0).lt(1).default(0.1),
  }),
]);

export const bandwidthSchema = z.strictObject({
  uploadMbps: positive().optional(),
  downloadMbps: positive().optional(),
  // Per region, in the order of latency.regions; `preset` takes SimBlock's measured 2019 or 2015 figures.
  perRegion: z
    .strictObject({ uploadMbps: z.array(positive()), downloadMbps: z.array(positive()) })
    .optional(),
  preset: z.enum(['bitcoin-2019', 'bitcoin-2015']).optional(),
});

export const protocolSchema = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('flood'), relayDelayMs: nonNegative().default(0) }),
  z.strictObject({ kind: z.literal('diffusion'), meanDelayMs: positive().default(2000) }),
]);

export const workloadSchema = z.strictObject({
  kind: z.literal('broadcast').default('broadcast'),
  count: int(1).default(1),
  // Origins: given node ids (one per message, or one for all), else uniform random nodes.
  origins: z.array(int(0)).min(1).optional(),
  // Creation times: given `atMs` (one per message), else a Poisson stream at `ratePerSecond`
  // starting at `startMs`, else all at `startMs`.
  atMs: z.array(nonNegative()).min(1).optional(),
  ratePerSecond: positive().optional(),
  startMs: nonNegative().default(0),
  sizeBytes: int(0).default(0),
});

export const gossipScenarioSchema = z.strictObject({
  model: z.literal('gossip').default('gossip'),
  name: z.string().optional(),
  seed: int(0).max(2 ** 32 - 1).default(42),
  nodes: int(2).max(50_000_000).default(100_000),
  topology: topologySchema.default({ kind: 'random-regular', degree: 8 }),
  latency: latencySchema.default({ kind: 'constant', ms: 50 }),
  bandwidth: bandwidthSchema.optional(),
  protocol: protocolSchema.default({ kind: 'flood', relayDelayMs: 0 }),
  workload: workloadSchema.default({ kind: 'broadcast', count: 1, startMs: 0, sizeBytes: 0 }),
  durationMs: positive().default(600_000),
});

// PHOLD (Fujimoto 1990) with ROSS's definition: the standard PDES benchmark, outside the gossip protocols.
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

export const scenarioSchema = z.discriminatedUnion('model', [gossipScenarioSchema, pholdScenarioSchema]);

export type Topology = z.output<typeof topologySchema>;
export type Latency = z.output<typeof latencySchema>;
export type Bandwidth = z.output<typeof bandwidthSchema>;
export type Protocol = z.output<typeof protocolSchema>;
export type Workload = z.output<typeof workloadSchema>;
export type GossipScenario = z.output<typeof gossipScenarioSchema>;
export type PholdScenario = z.output<typeof pholdScenarioSchema>;
export type Scenario = z.output<typeof scenarioSchema>;
