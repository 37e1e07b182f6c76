// The sections every network model's scenario shares (gossip, chain): nodes, topology, latency,
// bandwidth, peer maintenance and faults. Each field's rule and default lives here, once; a model's own
// sections live in its folder. docs/scenario.md describes them for people.
import { z } from 'zod';

export const int = (min: number) => z.number().int().min(min);
export const positive = () => z.number().positive();
export const nonNegative = () => z.number().min(0);
export const probability = () => z.number().min(0).max(1);

export const topologySchema = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('ring'), k: int(1).default(1) }),
  z.strictObject({ kind: z.literal('random-regular'), degree: int(1).default(8) }),
  z.strictObject({ kind: z.literal('erdos-renyi'), meanDegree: positive().default(8) }),
  z.strictObject({
    kind: z.literal('bitcoin'),
    outbound: int(1).default(8),
    maxInbound: int(1).default(125),
    // Instead of a fixed `outbound`, each node's count drawn from the measured 2015 distribution (1..20,
    // mean 8.645; SimBlock's BitcoinCoreTable, data/bitcoin-network-params.json).
    outboundDistribution: z.enum(['bitcoin-2015']).optional(),
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
    // A preset fills regions and matrixMs from data/bitcoin-network-params.json; explicit fields override it.
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

// Per-node heterogeneity (docs/scenario.md, "Heterogeneity"): each node's bandwidth, speed and class
// drawn once from its own stream. Without this section every node of a region is alike, as before.
export const heterogeneitySchema = z.strictObject({
  // "bitcoin-2015": bandwidth "empirical" from the measured per-node tables and verifyMsPerMB from the
  // measured validation cost (data/bitcoin-network-params.json); fields written here override it.
  preset: z.enum(['bitcoin-2015']).optional(),
  // region: every node its region's bandwidth; lognormal: median the region's, σ bandwidthSigma;
  // empirical: read from the preset's per-region percentile tables. Without a preset: "region".
  bandwidth: z.enum(['region', 'lognormal', 'empirical']).optional(),
  bandwidthSigma: nonNegative().default(0.5),
  // Per-node speed factor (median 1) multiplying validation and per-message processing (chain model).
  speedSigma: nonNegative().default(0),
  // Block validation per MB at speed factor 1, on top of chain.verifyMs (chain model). Without a preset: 0.
  verifyMsPerMB: nonNegative().optional(),
  // A share of "slow" nodes: their bandwidth × bandwidthFactor, their validation and processing × speedFactor.
  slow: z
    .strictObject({
      share: probability().default(0),
      bandwidthFactor: z.number().positive().max(1).default(1),
      speedFactor: z.number().min(1).default(1),
    })
    .default({ share: 0, bandwidthFactor: 1, speedFactor: 1 }),
});

// ---- faults: exogenous events fixed before the run from the scenario's streams ----

// Lengths of a churning node's sessions (online) and downtimes (offline). Measured P2P sessions are
// heavy-tailed (Stutzbach & Rejaie, IMC 2006), hence Weibull and Pareto beside the memoryless exponential.
export const distributionSchema = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('exponential'), meanMs: positive() }),
  // scaleMs * Exp(1)^(1 / shape); mean scaleMs * Γ(1 + 1/shape). shape < 1 is heavier-tailed than exponential.
  z.strictObject({ kind: z.literal('weibull'), shape: positive(), scaleMs: positive() }),
  // Minimum scaleMs (x_m); mean shape * scaleMs / (shape - 1), so shape must be > 1 for it to exist.
  z.strictObject({ kind: z.literal('pareto'), shape: z.number().gt(1), scaleMs: positive() }),
]);

const regionNamesSchema = () => z.array(z.string().min(1)).min(1);

export const faultSchema = z.discriminatedUnion('kind', [
  z.strictObject({
    kind: z.literal('crash'),
    atMs: nonNegative().default(0),
    // Share of the nodes that crash (of the nodes of `regions` with select "region"); not used with "ids".
    fraction: probability().optional(),
    // random: uniform; highest-degree: the best-connected nodes (ties to the lower id), a targeted attack;
    // region: random nodes of `regions`; ids: exactly `ids`.
    // seeds: `fraction` of the bootstrap seeds (bootstrap.seeds), for "the seeds are down".
    select: z.enum(['random', 'highest-degree', 'region', 'ids', 'seeds']).default('random'),
    // Instead of `fraction`: exactly this many nodes ("delete 200 random nodes"). With joins, a random
    // crash picks among the nodes present at atMs (the initial ones and those joined by then).
    count: int(1).optional(),
    regions: regionNamesSchema().optional(),
    ids: z.array(int(0)).min(1).optional(),
    // Absent: the crashed nodes never come back.
    recoverAtMs: positive().optional(),
  }),
  z.strictObject({
    kind: z.literal('churn'),
    // Share of the nodes that churn; each starts online at startMs, then alternates session and downtime.
    share: probability(),
    session: distributionSchema,
    downtime: distributionSchema,
    startMs: nonNegative().default(0),
  }),
  z.strictObject({
    kind: z.literal('partition'),
    // During [fromMs, toMs) messages between the sides are dropped.
    fromMs: nonNegative(),
    toMs: positive(),
    // Exactly one of: two sides, the nodes of `regions` and the rest; or random groups with these shares.
    regions: regionNamesSchema().optional(),
    fractions: z.array(probability()).min(2).max(255).optional(),
  }),
  z.strictObject({
    kind: z.literal('loss'),
    // Each message sent during [fromMs, toMs) is dropped with this probability; toMs absent: until the end.
    rate: probability(),
    fromMs: nonNegative().default(0),
    toMs: positive().optional(),
  }),
]);


// ---- joins: nodes that arrive during the run (docs/scenario.md, "Joins and bootstrap") ----

// One entry: `count` nodes at `atMs`, or a Poisson stream of `ratePerSecond` over [fromMs, toMs).
export const joinSchema = z.strictObject({
  count: int(1).optional(),
  atMs: nonNegative().optional(),
  ratePerSecond: positive().optional(),
  fromMs: nonNegative().optional(),
  toMs: positive().optional(),
});

// How a newcomer gets in: seeds to ask for addresses, then outbound connections among those it learns.
export const bootstrapSchema = z.strictObject({
  // A number of seeds drawn among the initial nodes, or their ids.
  seeds: z.union([int(1), z.array(int(0)).min(1)]).default(8),
  // Addresses a node answers a getaddr with, besides its own.
  addrCount: int(1).max(1000).default(16),
  // Outbound connections a newcomer keeps open (Bitcoin Core: 8 full-relay).
  outbound: int(1).max(1000).default(8),
  // The newcomer's address table: "new" (heard of) and "tried" (connected to once), each bounded.
  newSize: int(1).max(65_536).default(256),
  triedSize: int(1).max(16_384).default(64),
  // A seed unanswered for this long: ask the next. After every seed failed, wait retryMs, doubling.
  seedTimeoutMs: positive().default(2000),
  retryMs: positive().default(5000),
});

// Peer maintenance under faults: a node replaces a connection it opened when the peer goes offline.
export const peersSchema = z
  .strictObject({
    maintain: z.boolean().default(true),
    reconnectDelayMs: positive().default(1000),
    openTimeoutMs: positive().default(5000),
  })
  .default({ maintain: true, reconnectDelayMs: 1000, openTimeoutMs: 5000 });

/** The fields a network scenario opens with, after `model`: spread into each network model's schema. */
export const networkHead = {
  name: z.string().optional(),
  seed: int(0).max(2 ** 32 - 1).default(42),
  nodes: int(2).max(50_000_000).default(100_000),
  topology: topologySchema.default({ kind: 'random-regular', degree: 8 }),
  latency: latencySchema.default({ kind: 'constant', ms: 50 }),
  bandwidth: bandwidthSchema.optional(),
  heterogeneity: heterogeneitySchema.optional(),
};
export const durationField = positive().default(600_000);
// Crashes, churn, partitions and message loss; none when absent.
export const faultsField = z.array(faultSchema).optional();
export const joinsField = z.array(joinSchema).min(1).optional();
export const bootstrapField = bootstrapSchema.optional();

export type Topology = z.output<typeof topologySchema>;
export type Latency = z.output<typeof latencySchema>;
export type Bandwidth = z.output<typeof bandwidthSchema>;
export type Heterogeneity = z.output<typeof heterogeneitySchema>;
export type Distribution = z.output<typeof distributionSchema>;
export type Fault = z.output<typeof faultSchema>;
export type Peers = z.output<typeof peersSchema>;
export type Join = z.output<typeof joinSchema>;
export type Bootstrap = z.output<typeof bootstrapSchema>;

/** The fields of a network scenario after parsing, for the checks and the plan every network model shares. */
export interface NetworkScenario {
  readonly seed: number;
  readonly nodes: number;
  readonly topology: Topology;
  readonly latency: Latency;
  readonly bandwidth?: Bandwidth | undefined;
  readonly heterogeneity?: Heterogeneity | undefined;
  readonly durationMs: number;
  readonly peers: Peers;
  readonly faults?: Fault[] | undefined;
  readonly joins?: Join[] | undefined;
  readonly bootstrap?: Bootstrap | undefined;
}
