// Reading a result file back (`p2psim report`, `p2psim export`): the JSON `run --out` wrote, checked for
// the fields the report and the CSV tables read, so a wrong or truncated file is one line naming the
// field (docs/cli.md, "Exit codes and errors"), not a broken page. Fields nobody reads here pass
// unchecked, and so do sections from newer builds.
import { z } from 'zod';
import { InputError } from './errors.js';
import { RESULT_VERSION, type Result } from './result.js';
import { readJsonFile } from './scenario/load.js';

const num = z.number();
const ms = z.number().nullable();
const obj = z.looseObject;

const delays = obj({
  receipts: num,
  histogram: obj({ binMs: z.number().positive(), counts: z.array(num) }),
  nodeMeanQuantilesMs: z.array(num),
  byRegion: z.array(obj({ region: z.string(), nodes: num, p10Ms: ms, p50Ms: ms, p90Ms: ms, p99Ms: ms })),
  coverage: z.array(obj({ item: num, ms: z.array(ms) })),
});

const message = obj({
  origin: num, createdMs: num, coverage: num, coverageOnline: num, reached: num,
  t50Ms: ms, t90Ms: ms, t99Ms: ms, t100Ms: ms, maxHops: num, meanHops: num, redundancy: num,
});

const block = obj({
  id: num, height: num, parent: num, miner: num, createdMs: num, coverage: num, coverageOnline: num,
  t50Ms: ms, t90Ms: ms, t95Ms: ms, t99Ms: ms, t100Ms: ms, consistencyMs: ms, inMainChain: z.boolean(),
});

const role = obj({ nodes: num, total: num, perNode: obj({ min: num, median: num, max: num }) });

const chain = obj({
  blocksMined: num, mainChainLength: num, staleRate: num, forks: num, maxReorgDepth: num, consistencyMsMedian: ms,
  miners: z.array(obj({ node: num, hashShare: num, mainBlocks: num, mainShare: num })),
  rewards: obj({ miner: role, secure: role, super: role, treasury: num, unpaid: num }),
  catchUp: obj({ recoveries: num, unfinished: num, byMissed: z.array(obj({ missed: num, count: num, meanMs: num, maxMs: num })) }).nullable(),
  partitions: z.array(obj({ fromMs: num, toMs: num, staleBlocks: num, reorgDepthAtHeal: num, consistencyAfterHealMs: ms })).nullable(),
  blocks: z.array(block),
});

const faults = obj({
  droppedOffline: num, droppedPartition: num, droppedLoss: num,
  connections: obj({ onlineShareMean: num, onlineShareMin: num, isolatedShareMean: num, isolatedShareMax: num }),
  // Absent from results written before the report existed.
  timeline: obj({ tMs: z.array(num), onlineShare: z.array(num) }).optional(),
  partitions: z.array(obj({ fromMs: num, toMs: num })).optional(),
  // JSON writes an endless window's Infinity as null.
  loss: z.array(obj({ fromMs: num, toMs: num.nullable(), rate: num })).optional(),
});

const shard = obj({
  shard: num, nodes: num, events: num, windows: num, cutWindows: num, busyMs: num, waitMs: num,
  crossSent: num, crossReceived: num, largestBatch: num, peakQueued: num, windowEvents: z.array(num).optional(),
});

const resultSchema = obj({
  version: z.literal(RESULT_VERSION, { error: `must be ${RESULT_VERSION}, the result format this p2psim reads` }),
  scenario: obj({ name: z.string().optional() }),
  model: z.string(), nodes: num, workers: num, partition: z.string(), seed: num, events: num,
  wallSeconds: num, eventsPerSecond: num, digest: z.string(),
  profile: obj({ lookaheadMs: ms, windows: num, meanEventsPerWindow: num, crossShare: num, setupMs: num, simulationMs: num, shards: z.array(shard).min(1) }),
  messages: z.array(message).optional(),
  fairness: obj({ jain: num, p50Ms: num, p99Ms: num, p99OverP50: num }).optional(),
  delays: delays.optional(),
  chain: chain.optional(),
  faults: faults.optional(),
});

/** A result file as written by `p2psim run --out`, or an InputError naming the file and the field. */
export function readResultFile(path: string): Result {
  const raw = readJsonFile(path);
  const parsed = resultSchema.safeParse(raw, { reportInput: true });
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const field = issue.path.map(String).join('.');
    const problem = issue.code === 'invalid_type' && issue.input === undefined ? 'is required' : issue.message;
    throw new InputError(path, `${field ? `${field}: ` : ''}${problem}${field ? '' : ' (not a p2psim result)'}`);
  }
  return parsed.data as unknown as Result;
}
