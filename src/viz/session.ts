// What the visualizer's user did, and the scenario file it amounts to. The page's clicks are exogenous
// events at the simulated time they happened; written into the scenario as a broadcast, a block, a
// crash, a join or a partition at that time, they make a file that `p2psim run` replays to the page's digest
// (docs/viz.md, "Exact replay"). Pure data, shared by the page, its worker and the server.

/** The protocols a transaction can be sent by (those a `mixed` run can carry). */
export type RelayKind = 'flood' | 'diffusion' | 'trickle' | 'dandelion' | 'dandelion++';
export const RELAY_KINDS: readonly RelayKind[] = ['flood', 'diffusion', 'trickle', 'dandelion', 'dandelion++'];

/** One click, at a whole simulated millisecond. A send without `protocol` uses the scenario's (in a chain, its transaction relay). */
export type VizEvent =
  | { readonly kind: 'send'; readonly atMs: number; readonly origin: number; readonly protocol?: RelayKind }
  /** A chain scenario's block, found by one miner (an index into the miners). */
  | { readonly kind: 'mine'; readonly atMs: number; readonly miner: number }
  | { readonly kind: 'crash'; readonly atMs: number; readonly ids: readonly number[] }
  | { readonly kind: 'add'; readonly atMs: number; readonly count: number }
  | { readonly kind: 'split'; readonly atMs: number; readonly region: string }
  | { readonly kind: 'heal'; readonly atMs: number };

/**
 * The scenario the page starts from, written out in full: its broadcasts with explicit origins and
 * times, and room for `spare` newcomers that "add nodes" lets join (docs/viz.md, "Adding nodes").
 *
 * The room is a `joins` entry of `spare` nodes at the last millisecond of the run, and a click moves
 * some of them to its own time. The node count must not change with the clicks: spies are drawn
 * among all nodes, peer maintenance draws random node ids among all, and the newcomers' regions are
 * dealt over all newcomers, so a run with more nodes would differ from the start, and every click
 * would rewrite what the page has already shown. Joins at or after the end take no room in a run, so
 * the room joins just before it, too late to change anything the run measures.
 */
export interface VizBase {
  /** The scenario as written, its workload explicit, with the room's joins entry last. */
  readonly scenario: Record<string, unknown>;
  /** The `joins` entries as written (before the room's). */
  readonly joins: readonly Record<string, unknown>[];
  /** How many newcomers "add nodes" can bring in. */
  readonly spare: number;
  readonly durationMs: number;
}

/** When the room's newcomers not added by a click join: the run's last millisecond. */
export function roomAtMs(durationMs: number): number {
  return durationMs - 1;
}

/** The default: a 500-node Bitcoin-like network with the measured 2019 regions, one flood at t = 0. */
export function defaultScenario(nodes = 500): Record<string, unknown> {
  return {
    name: `bitcoin-like network, ${nodes} nodes (p2psim viz)`,
    seed: 42,
    nodes,
    topology: { kind: 'bitcoin', outbound: 8, maxInbound: 125 },
    latency: { kind: 'regions', preset: 'bitcoin-2019', distribution: 'uniform', jitter: 0.1 },
    protocol: { kind: 'flood' },
    workload: { kind: 'broadcast', count: 1, origins: [0], atMs: [0] },
    durationMs: 3_600_000,
  };
}

/** The default chain: the same network, its 16 pools finding a block every 10 minutes on average. */
export function defaultChainScenario(nodes = 500): Record<string, unknown> {
  const { protocol: _p, workload: _w, ...network } = defaultScenario(nodes);
  return {
    ...network,
    name: `bitcoin-like chain, ${nodes} nodes (p2psim viz --chain)`,
    bandwidth: { preset: 'bitcoin-2019' },
    chain: { blockIntervalS: 600, blockSizeBytes: 1_000_000 },
  };
}

/** Whether the written scenario runs the chain model (as the scenario loader decides it). */
export function isChain(written: Record<string, unknown>): boolean {
  return written.model === 'chain' || (written.model === undefined && written.chain !== undefined);
}

/**
 * The base with room for `spare` newcomers. A gossip scenario's `broadcasts` are its own as its plan
 * drew them (origins and creation times), written out so that keeping room does not move them; a
 * chain's blocks are drawn per miner node, so room does not move them either.
 */
export function withRoomFor(written: Record<string, unknown>, spare: number, broadcasts: { origins: readonly number[]; createdMs: readonly number[] } | null, durationMs: number): VizBase {
  let scenario = written;
  if (broadcasts) {
    const { origins, createdMs } = broadcasts;
    const workload: Record<string, unknown> = { ...(written.workload as Record<string, unknown> | undefined), count: origins.length, origins: [...origins], atMs: [...createdMs] };
    delete workload.ratePerSecond;
    delete workload.startMs;
    scenario = { ...written, workload };
  }
  const joins = [...((written.joins as Record<string, unknown>[] | undefined) ?? [])];
  const base = { scenario, joins, spare, durationMs };
  return { ...base, scenario: scenarioOf(base, []) };
}

/** The newcomers the room still holds after `events`: the last ids, joining only at the run's last millisecond. */
export function roomLeft(base: VizBase, events: readonly VizEvent[]): number {
  let left = base.spare;
  for (const e of events) if (e.kind === 'add') left -= Math.min(e.count, left);
  return left;
}

/** The scenario that `events` (in the order they happened) make of `base`: what the page runs and exports. */
export function scenarioOf(base: VizBase, events: readonly VizEvent[]): Record<string, unknown> {
  const s = base.scenario;
  const chain = isChain(s);
  const workload = chain ? { origins: [], atMs: [] } : { ...(s.workload as { origins: number[]; atMs: number[] } & Record<string, unknown>) };
  const origins = [...workload.origins];
  const atMs = [...workload.atMs];
  const section = (s.chain ?? {}) as { mined?: { atMs: number; miner: number }[] } & Record<string, unknown>;
  const mined = [...(section.mined ?? [])];
  const txSection = (s.transactions ?? {}) as { sent?: { atMs: number; origin: number }[] } & Record<string, unknown>;
  const sent = [...(txSection.sent ?? [])];
  const proto = (s.protocol as { kind: string; protocols?: { kind: string }[]; of?: RelayKind[] } | undefined) ?? { kind: 'flood' };
  const of: string[] = proto.of ? [...proto.of] : origins.map(() => proto.kind);
  const plain = proto.protocols?.[0]?.kind ?? proto.kind;
  const faults: Record<string, unknown>[] = [...((s.faults as Record<string, unknown>[] | undefined) ?? [])];
  const joins = [...base.joins];
  let left = base.spare;
  const tail: Record<string, unknown>[] = [];
  let open: Record<string, unknown> | null = null;
  for (const e of events) {
    switch (e.kind) {
      case 'send':
        if (chain) {
          sent.push({ atMs: e.atMs, origin: e.origin });
          break;
        }
        origins.push(e.origin);
        atMs.push(e.atMs);
        of.push(e.protocol ?? plain);
        break;
      case 'mine':
        mined.push({ atMs: e.atMs, miner: e.miner });
        break;
      case 'crash':
        tail.push({ kind: 'crash', atMs: e.atMs, select: 'ids', ids: [...e.ids] });
        break;
      case 'add': {
        // Newcomers taken from the room: they join at the click through the bootstrap seeds and addr.
        const count = Math.min(e.count, left);
        left -= count;
        if (count > 0) joins.push({ count, atMs: e.atMs });
        break;
      }
      case 'split':
        open = { kind: 'partition', fromMs: e.atMs, toMs: base.durationMs, regions: [e.region] };
        tail.push(open);
        break;
      case 'heal':
        if (open) open.toMs = Math.max(e.atMs, (open.fromMs as number) + 1);
        open = null;
        break;
    }
  }
  if (left > 0) joins.push({ count: left, atMs: roomAtMs(base.durationMs) });
  faults.push(...tail);
  const out: Record<string, unknown> = { ...s };
  if (faults.length) out.faults = faults;
  if (joins.length) out.joins = joins;
  else delete out.joins;
  if (chain) {
    if (mined.length) out.chain = { ...section, mined };
    if (sent.length) out.transactions = { ...txSection, sent };
    return out;
  }
  out.workload = { ...workload, count: origins.length, origins, atMs };
  // One protocol for every broadcast: the scenario's, as written. Else each broadcast names its own.
  if (proto.kind === 'mixed' || of.some((k) => k !== proto.kind)) {
    const protocols = proto.kind === 'mixed' ? [...proto.protocols!] : [proto];
    for (const k of new Set(of)) if (!protocols.some((q) => q.kind === k)) protocols.push({ kind: k });
    out.protocol = { kind: 'mixed', protocols, of };
  }
  return out;
}
