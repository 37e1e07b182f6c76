// The chain model's scenario: a network, blocks mined by proof of work and relayed as `relay` says,
// and optionally a load of transactions. In a file, a `chain` section selects this model (the format
// before "chain" was a model of its own said `"model": "gossip"` or nothing, and still works).
import { z } from 'zod';
import { durationField, faultsField, joinsField, bootstrapField, int, networkHead, nonNegative, peersSchema, positive, probability } from '../../scenario/network-schema.js';


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
  // Blocks found at set times besides the drawn ones (`blocks` counts only the drawn): each by one miner,
  // an index into the miners. What "mine a block" in the visualizer writes.
  mined: z.array(z.strictObject({ atMs: nonNegative(), miner: int(0) })).optional(),
  miners: minersSchema.default({ preset: 'bitcoin-pools-2016', distribution: 'equal' }),
  // Time a node spends validating a block before it adopts and relays it.
  verifyMs: nonNegative().default(0),
  // Roles (the incentive model of networks such as Horizen): how many non-miner nodes are secure / super nodes.
  roles: z.strictObject({ secure: int(0).default(0), super: int(0).default(0) }).default({ secure: 0, super: 0 }),
  blockReward: positive().default(1),
  // Blocks (of blockSizeBytes) that already exist at the start, held by every initial node: what a
  // newcomer downloads in its initial block download.
  initialHeight: int(0).max(10_000_000).default(0),
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
  // How long one upload occupies the sender: until the last byte is sent at the narrower of the two
  // ends' rates ("transfer"), for its own upload time only ("upload": a slow receiver does not hold the
  // sender's next upload), or until the message arrives ("delivery", SimBlock's model, where the next
  // upload starts on arrival).
  uploadBusy: z.enum(['transfer', 'upload', 'delivery']).default('transfer'),
});

// Initial block download (a newcomer's): headers, then blocks from several peers at once.
export const ibdSchema = z.strictObject({
  // Blocks in flight at once, over all peers (Bitcoin Core's block download window, per peer 16).
  parallel: int(1).max(100_000).default(8),
  headerBytes: int(0).default(80),
  // A block or the headers unanswered for this long is asked of another peer.
  timeoutMs: positive().default(60_000),
  // A peer that lacks the chain (itself downloading) answers "not found": ask again after this.
  retryMs: positive().default(1000),
});

export const transactionsSchema = z.strictObject({
  // A Poisson stream of this rate from random initial nodes; and/or transactions sent at set times
  // from set nodes (what "send a transaction" in the visualizer writes). One of the two is required.
  ratePerSecond: positive().optional(),
  sent: z.array(z.strictObject({ atMs: nonNegative(), origin: int(0) })).optional(),
  // Stop after this many transactions; else they keep coming until durationMs or, when chain.blocks is
  // set, until the last block is mined.
  count: int(1).optional(),
  sizeBytes: int(0).default(250),
  // Bitcoin Core's Poisson inv timers: one per outbound connection, mean 2 s, and one per node for all
  // its inbound connections, mean 5 s ("per-peer": one per inbound connection too). When one fires,
  // one inv per peer announces what is queued for it, at most maxPerInv (Bitcoin Core's cap is 1,000);
  // the rest waits for the next tick.
  outboundMeanMs: positive().default(2000),
  inboundMeanMs: positive().default(5000),
  inboundTimer: z.enum(['shared', 'per-peer']).default('shared'),
  maxPerInv: int(1).default(1000),
});

export const chainScenarioSchema = z.strictObject({
  model: z.literal('chain'),
  ...networkHead,
  // Sections of the gossip model: accepted here only to say so (check()).
  protocol: z.unknown().optional(),
  workload: z.unknown().optional(),
  durationMs: durationField,
  chain: chainSchema,
  relay: relaySchema.optional(),
  peers: peersSchema,
  transactions: transactionsSchema.optional(),
  ibd: ibdSchema.optional(),
  faults: faultsField,
  joins: joinsField,
  bootstrap: bootstrapField,
});

export type Chain = z.output<typeof chainSchema>;
export type Relay = z.output<typeof relaySchema>;
export type Ibd = z.output<typeof ibdSchema>;
export type Transactions = z.output<typeof transactionsSchema>;
export type ChainScenario = z.output<typeof chainScenarioSchema>;
