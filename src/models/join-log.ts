// How newcomers got in, for any model with joins (docs/results.md, "Joins and storage"): a tap on peer
// maintenance's connections records each newcomer's first connection and the moment it held its full
// outbound count; `connections` turns the records into the part of the `joins` section every model
// shares. Getting in is the network's doing, not the protocol's, so it is measured here once.
import type { Context, ModelOutcome, Tap } from '../engine/model.js';
import { ms, num } from '../format.js';
import { quantile } from './stats.js';

export type JoinLogOutcome = ModelOutcome<'joinFirstMs' | 'joinFullMs'>;

export class JoinLog implements Tap {
  private readonly firstMs: Float64Array;
  private readonly fullMs: Float64Array;

  /** `members`: this shard's nodes; ids from `initialNodes` on are newcomers; `outbound`: bootstrap.outbound. */
  constructor(
    private readonly members: Int32Array,
    private readonly initialNodes: number,
    private readonly outbound: number,
  ) {
    this.firstMs = new Float64Array(members.length).fill(NaN);
    this.fullMs = new Float64Array(members.length).fill(NaN);
  }

  connected(ctx: Context): void {
    if (ctx.self < this.initialNodes) return;
    const local = ctx.local;
    if (Number.isNaN(this.firstMs[local]!)) this.firstMs[local] = ctx.now;
    if (!Number.isNaN(this.fullMs[local]!)) return;
    let out = 0;
    for (let i = ctx.peerStart(), end = ctx.peerEnd(); i < end; i++) if (ctx.peerOpened(i)) out++;
    if (out >= this.outbound) this.fullMs[local] = ctx.now;
  }

  outcome(): JoinLogOutcome {
    return { perNode: { joinFirstMs: this.firstMs, joinFullMs: this.fullMs }, totals: {} };
  }
}

export interface Spread {
  p50: number;
  p90: number;
  max: number;
}

/** p50, p90 and max of the values; null when there are none. */
export function spread(values: readonly number[]): Spread | null {
  if (values.length === 0) return null;
  const sorted = Float64Array.from(values).sort();
  return { p50: quantile(sorted, 0.5), p90: quantile(sorted, 0.9), max: sorted[sorted.length - 1]! };
}

export interface Connections {
  /** Nodes present from the start, and newcomers that joined during the run. */
  initial: number;
  joined: number;
  /** Newcomers that opened at least one connection; the others never got in (no seed answered, say). */
  connected: number;
  neverConnected: number;
  /** Newcomers that reached their full outbound count (bootstrap.outbound). */
  fullOutbound: number;
  /** From the join, over the newcomers that got there; null when none did. */
  firstConnectionMs: Spread | null;
  fullOutboundMs: Spread | null;
}

/** What the newcomers' records say about getting in; newcomer i has id initialNodes + i and joined at joinAtMs[i]. */
export function connections(initialNodes: number, joinAtMs: readonly number[], firstMs: Float64Array, fullMs: Float64Array): Connections {
  const conn: number[] = [];
  const full: number[] = [];
  joinAtMs.forEach((at, i) => {
    const v = initialNodes + i;
    if (!Number.isNaN(firstMs[v]!)) conn.push(firstMs[v]! - at);
    if (!Number.isNaN(fullMs[v]!)) full.push(fullMs[v]! - at);
  });
  return {
    initial: initialNodes,
    joined: joinAtMs.length,
    connected: conn.length,
    neverConnected: joinAtMs.length - conn.length,
    fullOutbound: full.length,
    firstConnectionMs: spread(conn),
    fullOutboundMs: spread(full),
  };
}

/** The summary's line for joins: who got in, who synced, and how long it took. */
export function joinsLine(j: Connections & { synced: number; neverSynced: number; syncMs: Spread | null }): string {
  const t = (s: Spread | null) => (s ? `p50 ${ms(s.p50)} ms, p90 ${ms(s.p90)} ms, max ${ms(s.max)} ms` : 'none');
  return (
    `joins: ${num(j.joined)} newcomers beside ${num(j.initial)} initial nodes; ${num(j.connected)} got in (first connection ${t(j.firstConnectionMs)}), ` +
    `${num(j.fullOutbound)} reached their full outbound count; ${num(j.synced)} synced (${t(j.syncMs)}), ${num(j.neverSynced)} never did`
  );
}
