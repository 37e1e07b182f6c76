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

// ---- the blockchain layer: present `chain` and the run simulates blocks instead of broadcasts ----

export const minersSchema = z.strictObject({
  // Hash-power shares: an explicit list, a preset (the 16 pools of Gervais et al. 2016), or `count`
  // miners with shares from `distribution` (equal, or SimBlock's normal: mean 1, sd 0.25, floored).
  shares: z.array(positive()).min(1).optional(),
  preset: z.enum(['bitcoin-pools-2016']).optional(),
  count: int(1).optional(),
  distribution: z.enum(['equal', 'normal']).default('equal'),
  // Where the miners sit (one node id each); else on distinct random nodes.
  nodes: z.array(int(0)).min(1).optional(),
});

export const rewardSharesSchema = z.strictObject({
  miner: probability().default(0.6),
  secure: probability().default(0.1),
  super: probability().default(0.1),
  treasury: probability().default(0.2),
});

export const chainSchema = z.strictObject({
  blockIntervalS: positive().default(600),
  blockSizeBytes: int(0).default(535_000),
  // Stop after this many blocks are mined (the run still ends at durationMs at the latest).
  blocks: int(1).optional(),
  miners: minersSchema.default({ preset: 'bitcoin-pools-2016', distribution: 'equal' }),
  // Time a node spends validating a block before it adopts and relays it.
  verifyMs: nonNegative().default(0),
  // Roles (the incentive model of networks such as Horizen): how many non-miner nodes are secure / super nodes.
  roles: z.strictObject({ secure: int(0).default(0), super: int(0).default(0) }).default({ secure: 0, super: 0 }),
  blockReward: positive().default(1),
  rewardShares: rewardSharesSchema.default({ miner: 0.6, secure: 0.1, super: 0.1, treasury: 0.2 }),
});

// SimBlock's 2019 compact-block figures (data/bitcoin-network-params.json), averaged over its two node
// classes (97.6 % "churn" nodes failing 27 % with 8.7 % of the block missing, the rest 13 % and 1 %).
export const relaySchema = z.strictObject({
  kind: z.enum(['unsolicited', 'inv-getdata', 'compact']).default('compact'),
  // Extra delay of every inv and getdata (SimBlock adds 10 ms) and of every block message (SimBlock: 2 ms).
  messageDelayMs: nonNegative().default(0),
  processingMs: nonNegative().default(0),
  // A getdata unanswered for this long goes to the next peer that announced the block.
  timeoutMs: positive().default(10_000),
  compactShare: probability().default(0.964),
  compactBytes: int(0).default(18_000),
  compactFailRate: probability().default(0.2666),
  missingShare: probability().default(0.0854),
  // How long one upload occupies the sender: until the last byte is sent ("transfer"), or until the
  // message arrives ("delivery", SimBlock's model, where the next upload starts on arrival).
  uploadBusy: z.enum(['transfer', 'delivery']).default('transfer'),
});

export const transactionsSchema = z.strictObject({
  ratePerSecond: positive(),
  // Stop after this many transactions; else they keep coming until durationMs or, when chain.blocks is
  // set, until the last block is mined.
  count: int(1).optional(),
  sizeBytes: int(0).default(250),
  // Bitcoin Core's Poisson inv timers: mean 2 s towards outbound peers, 5 s towards inbound ones.
  outboundMeanMs: positive().default(2000),
  inboundMeanMs: positive().default(5000),
});

// ---- faults: exogenous events fixed before the run from the scenario's streams (DESIGN §10) ----

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
    select: z.enum(['random', 'highest-degree', 'region', 'ids']).default('random'),
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
  chain: chainSchema.optional(),
  relay: relaySchema.optional(),
  // Peer maintenance under faults: a node replaces a connection it opened when the peer goes offline.
  peers: z
    .strictObject({
      maintain: z.boolean().default(true),
      reconnectDelayMs: positive().default(1000),
      openTimeoutMs: positive().default(5000),
    })
    .default({ maintain: true, reconnectDelayMs: 1000, openTimeoutMs: 5000 }),
  transactions: transactionsSchema.optional(),
  // Crashes, churn, partitions and message loss; none when absent.
  faults: z.array(faultSchema).optional(),
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
export type Chain = z.output<typeof chainSchema>;
export type Relay = z.output<typeof relaySchema>;
export type Transactions = z.output<typeof transactionsSchema>;
export type Distribution = z.output<typeof distributionSchema>;
export type Fault = z.output<typeof faultSchema>;
export type GossipScenario = z.output<typeof gossipScenarioSchema>;
export type PholdScenario = z.output<typeof pholdScenarioSchema>;
export type Scenario = z.output<typeof scenarioSchema>;
