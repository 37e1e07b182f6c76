// What the visualizer's user did, and the scenario file it amounts to. The page's clicks are exogenous
// events at the simulated time they happened; written into the scenario as a broadcast, a crash, a
// recovery or a partition at that time, they make a file that `p2psim run` replays to the page's digest
// (docs/viz.md, "Exact replay"). Pure data, shared by the page, its worker and the server.

/** The protocols a transaction can be sent by. */
export type RelayKind = 'flood' | 'diffusion' | 'trickle';

/** One click, at a whole simulated millisecond. A send without `protocol` uses the scenario's. */
export type VizEvent =
  | { readonly kind: 'send'; readonly atMs: number; readonly origin: number; readonly protocol?: RelayKind }
  | { readonly kind: 'crash'; readonly atMs: number; readonly ids: readonly number[] }
  | { readonly kind: 'add'; readonly atMs: number; readonly ids: readonly number[] }
  | { readonly kind: 'split'; readonly atMs: number; readonly region: string }
  | { readonly kind: 'heal'; readonly atMs: number };

/**
 * The scenario the page starts from, written out in full: its broadcasts with explicit origins and
 * times, and `spare` extra nodes (ids nodes .. nodes + spare - 1) that are offline from t = 0 until
 * "add nodes" brings them online.
 */
export interface VizBase {
  /** The scenario as written, its node count including the spares, its workload explicit. */
  readonly scenario: Record<string, unknown>;
  /** The ids of the spare nodes, in the order "add nodes" uses them. */
  readonly spares: readonly number[];
  readonly durationMs: number;
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

/**
 * The base with `spare` nodes added. `origins` and `createdMs` are the written scenario's broadcasts as
 * its own plan drew them (at its own node count), so adding nodes does not move them.
 */
export function withSpares(written: Record<string, unknown>, nodes: number, spare: number, origins: readonly number[], createdMs: readonly number[], durationMs: number): VizBase {
  const workload: Record<string, unknown> = { ...(written.workload as Record<string, unknown> | undefined), count: origins.length, origins: [...origins], atMs: [...createdMs] };
  delete workload.ratePerSecond;
  delete workload.startMs;
  const spares = Array.from({ length: spare }, (_, i) => nodes + i);
  return { scenario: { ...written, nodes: nodes + spare, workload }, spares, durationMs };
}

/** The scenario that `events` (in the order they happened) make of `base`: what the page runs and exports. */
export function scenarioOf(base: VizBase, events: readonly VizEvent[]): Record<string, unknown> {
  const s = base.scenario;
  const workload = { ...(s.workload as { origins: number[]; atMs: number[] } & Record<string, unknown>) };
  const origins = [...workload.origins];
  const atMs = [...workload.atMs];
  const proto = (s.protocol as { kind: string; protocols?: { kind: string }[]; of?: RelayKind[] } | undefined) ?? { kind: 'flood' };
  const of: string[] = proto.of ? [...proto.of] : origins.map(() => proto.kind);
  const plain = proto.protocols?.[0]?.kind ?? proto.kind;
  const faults: Record<string, unknown>[] = [...((s.faults as Record<string, unknown>[] | undefined) ?? [])];
  const added = new Set<number>();
  const tail: Record<string, unknown>[] = [];
  let open: Record<string, unknown> | null = null;
  for (const e of events) {
    switch (e.kind) {
      case 'send':
        origins.push(e.origin);
        atMs.push(e.atMs);
        of.push(e.protocol ?? plain);
        break;
      case 'crash':
        tail.push({ kind: 'crash', atMs: e.atMs, select: 'ids', ids: [...e.ids] });
        break;
      case 'add':
        // A spare comes back: offline from 0, online from the click on (peer maintenance connects it).
        for (const v of e.ids) added.add(v);
        tail.push({ kind: 'crash', atMs: 0, select: 'ids', ids: [...e.ids], recoverAtMs: e.atMs });
        break;
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
  const asleep = base.spares.filter((v) => !added.has(v));
  if (asleep.length) faults.push({ kind: 'crash', atMs: 0, select: 'ids', ids: asleep });
  faults.push(...tail);
  const out: Record<string, unknown> = { ...s, workload: { ...workload, count: origins.length, origins, atMs } };
  // One protocol for every broadcast: the scenario's, as written. Else each broadcast names its own.
  if (proto.kind === 'mixed' || of.some((k) => k !== proto.kind)) {
    const protocols = proto.kind === 'mixed' ? [...proto.protocols!] : [proto];
    for (const k of new Set(of)) if (!protocols.some((q) => q.kind === k)) protocols.push({ kind: k });
    out.protocol = { kind: 'mixed', protocols, of };
  }
  if (faults.length) out.faults = faults;
  return out;
}
