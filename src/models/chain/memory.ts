// The chain model's memory estimate (ModelDefinition.memory): the records kept per (block, node) and per
// (transaction, node), and the queue's peak for the transactions in flight at once (docs/benchmarks.md,
// "Memory").
import { count, hopsAcross, inFlight, meanDegree, meanLatencyMs, type MemoryEstimate } from '../memory.js';
import type { ChainPlan } from './plan.js';

/**
 * Per (block, node): state (1), receipt time (4) and request (4) in the shard, the receipt time
 * gathered after the run (4; with one shard it is the shard's own, so the constant errs high there), the float64 copies the measures take block by block (8), and the relay's
 * messages queued for it (inv, getdata, the block or its compact form). Calibrated on the shipped chain
 * scenarios (docs/benchmarks.md, "Memory").
 */
const BLOCK_BYTES = 32;
/**
 * Per (transaction, node), beside the queue's share: calibrated on `chain-tx-10k-hour` (the estimate is
 * 1.25 of its measured peak; docs/benchmarks.md, "Memory").
 */
const TX_BYTES = 1;
/** Per node: tip, reorg count, upload clock, request table, compact-block attributes, and their share of the relay's queue. */
const NODE_BYTES = 300;
/** A download's fixed share: the queue's and the heap's growth (docs/benchmarks.md, "Memory"). */
const DOWNLOAD_BYTES = 40 * 2 ** 20;
/** Queue bytes per (transaction in flight, node): an inv to each peer, 32-byte records, the pool's doubling. */
const TX_QUEUE_FACTOR = 2 * 32;

export function chainMemory(p: ChainPlan, _shards: number): MemoryEstimate {
  const n = p.nodes;
  const B = p.chain.blockCreatedMs.length;
  const tx = p.transactions;
  const T = tx ? tx.createdMs.length : 0;
  const blocks = B * n * BLOCK_BYTES;
  const txRecords = T * n * TX_BYTES;
  const spreadMs = tx ? hopsAcross(p) * (meanLatencyMs(p) + (tx.outboundMeanMs + tx.inboundMeanMs) / 2) : 0;
  const atOnce = tx ? inFlight(tx.createdMs, spreadMs) : 0;
  const txQueue = atOnce * n * meanDegree(p) * TX_QUEUE_FACTOR;
  // With joins: four float64 records per node, in the shard and gathered (with two or more shards); and while a newcomer downloads
  // the pre-existing chain, 12 bytes per block of it (request and deadline; a flash crowd downloads all at
  // once) and, once for the run, what the queue and the heap grow by in a download (measured: 40 MiB at
  // 1,000 and at 5,000 newcomers).
  const joins = p.joinAtMs.length;
  const H = p.chain.initialHeight;
  const download = joins > 0 ? n * 64 + (H > 0 ? joins * 12 * (H + 1) + DOWNLOAD_BYTES : 0) : 0;
  const bytes = blocks + txRecords + txQueue + n * NODE_BYTES + download;
  let driver = { field: 'nodes', why: `${count(n)} nodes` };
  if (txQueue + txRecords > blocks && T > 0) {
    driver = { field: 'transactions.ratePerSecond', why: `${count(T)} transactions (${count(atOnce)} at once) on ${count(n)} nodes` };
  } else if (B > 2) {
    driver = { field: 'chain.blocks', why: `${count(B - 1)} blocks on ${count(n)} nodes` };
  }
  return { bytes, driver };
}
