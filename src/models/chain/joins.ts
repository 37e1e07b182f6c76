// What joins did, from the per-node records after the run (docs/results.md, "Joins and storage"):
// - a newcomer is synced once it holds the pre-existing chain and every main-chain block created
//   before that moment (blocks created later it catches as every node does); syncMs counts from its
//   join;
// - storage at t: over the nodes online at t, the bytes of chain each holds (the pre-existing chain once
//   it has it, plus every block it has received by t); the redundancy factor is that over the bytes of
//   the main chain created by t: how many copies the network keeps.
import type { OnlineAt } from '../definition.js';
import { connections, spread, type Connections, type Spread } from '../join-log.js';
import type { ChainPlan } from './plan.js';

/** What these measures read of a block (metrics.ts, BlockStats). */
export interface BlockStats {
  readonly id: number;
  readonly createdMs: number;
  readonly inMainChain: boolean;
}

/** How the newcomers got in (models/join-log.ts), and how they synced. */
export interface JoinsSection extends Connections {
  synced: number;
  neverSynced: number;
  /** From the join, over the newcomers that synced; null when none did. */
  syncMs: Spread | null;
  /** Bytes each newcomer downloaded for the pre-existing chain (headers and blocks), over the synced. */
  downloadedBytes: Spread | null;
}

export interface StorageSection {
  /** The most bytes of chain the online nodes held at once (sampled at 200 moments), and when. */
  peakBytes: number;
  peakAtMs: number;
  /** At 20 moments over the run: the bytes held, and copies of the main chain (bytes / main-chain bytes). */
  overTime: { atMs: number; bytes: number; copies: number }[];
}

export interface JoinRecords {
  recvMs: Float32Array;
  joinFirstMs: Float64Array;
  joinFullMs: Float64Array;
  baseDoneMs: Float64Array;
  ibdBytes: Float64Array;
}

/** Per newcomer: when it was synced (NaN: never). Main-chain blocks created before its download ended must be in. */
export function syncTimes(plan: ChainPlan, rec: JoinRecords, blocks: readonly BlockStats[]): Float64Array {
  const n = plan.nodes;
  const first = plan.initialNodes;
  const main = blocks.filter((b) => b.inMainChain);
  const out = new Float64Array(n - first).fill(NaN);
  for (let v = first; v < n; v++) {
    const done = rec.baseDoneMs[v]!;
    if (Number.isNaN(done)) continue;
    let at = done;
    let missing = false;
    for (const b of main) {
      if (!(b.createdMs < done)) continue;
      const r = rec.recvMs[(b.id - 1) * n + v]!;
      if (Number.isNaN(r)) {
        missing = true;
        break;
      }
      at = Math.max(at, b.createdMs + r);
    }
    if (!missing) out[v - first] = at;
  }
  return out;
}

export function joinsSection(plan: ChainPlan, rec: JoinRecords, synced: Float64Array): JoinsSection {
  const first = plan.initialNodes;
  const sync: number[] = [];
  const bytes: number[] = [];
  plan.joinAtMs.forEach((at, i) => {
    if (Number.isNaN(synced[i]!)) return;
    sync.push(synced[i]! - at);
    bytes.push(rec.ibdBytes[first + i]!);
  });
  return {
    ...connections(first, plan.joinAtMs, rec.joinFirstMs, rec.joinFullMs),
    synced: sync.length,
    neverSynced: plan.joinAtMs.length - sync.length,
    syncMs: spread(sync),
    downloadedBytes: spread(bytes),
  };
}

const PEAK_SAMPLES = 200;
const SHOWN = 20;

export function storageSection(plan: ChainPlan, rec: JoinRecords, blocks: readonly BlockStats[], online: OnlineAt | null): StorageSection {
  const n = plan.nodes;
  const S = plan.chain.blockSizeBytes;
  const base = plan.chain.initialHeight * S;
  const B = plan.chain.blockMiner.length - 1;
  const end = plan.endMs;
  const times = Array.from({ length: PEAK_SAMPLES + 1 }, (_, k) => (end * k) / PEAK_SAMPLES);
  const bytes = new Float64Array(times.length);
  const receipts = new Float64Array(B);
  for (let v = 0; v < n; v++) {
    // When v had each block (created + delay), ascending, and when it had the pre-existing chain.
    let m = 0;
    for (let x = 1; x <= B; x++) {
      const r = rec.recvMs[(x - 1) * n + v]!;
      if (!Number.isNaN(r)) receipts[m++] = plan.chain.blockCreatedMs[x]! + r;
    }
    const held = receipts.subarray(0, m).sort();
    const hasBaseAt = v < plan.initialNodes ? 0 : Number.isNaN(rec.baseDoneMs[v]!) ? Infinity : rec.baseDoneMs[v]!;
    let j = 0;
    for (let k = 0; k < times.length; k++) {
      const t = times[k]!;
      while (j < m && held[j]! <= t) j++;
      if (online !== null && !online(v, t)) continue;
      bytes[k]! += (hasBaseAt <= t ? base : 0) + j * S;
    }
  }
  let peak = 0;
  for (let k = 1; k < times.length; k++) if (bytes[k]! > bytes[peak]!) peak = k;
  const main = blocks.filter((b) => b.inMainChain).map((b) => b.createdMs);
  const chainBytes = (t: number) => base + main.filter((c) => c <= t).length * S;
  const step = PEAK_SAMPLES / SHOWN;
  return {
    peakBytes: bytes[peak]!,
    peakAtMs: times[peak]!,
    overTime: Array.from({ length: SHOWN + 1 }, (_, i) => {
      const t = times[i * step]!;
      const c = chainBytes(t);
      return { atMs: t, bytes: bytes[i * step]!, copies: c > 0 ? bytes[i * step]! / c : 0 };
    }),
  };
}
