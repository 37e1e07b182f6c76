// Room for the nodes a run adds after the start (joins, docs/scenario.md, "Joins and bootstrap"): the
// graph and the regions are those of the initial nodes, drawn exactly as in a run without joins, with
// the newcomers appended. Shared by the coordinator (src/run.ts) and the visualizer's engine host
// (src/viz/sim.ts), so a run in the page is laid out as `p2psim run` lays it out.
import { withObservers, type Graph } from './graph.js';
import { assignRegions } from './regions.js';

/** The graph with empty rows for the newcomers (ids graph.n .. n - 1), who start without connections. */
export function withRoom(graph: Graph, n: number): Graph {
  if (graph.n === n) return graph;
  const offsets = new Int32Array(new SharedArrayBuffer(4 * (n + 1)));
  offsets.set(graph.offsets);
  offsets.fill(graph.offsets[graph.n]!, graph.n + 1);
  return { ...graph, n, offsets };
}

/**
 * The initial nodes' regions, then the newcomers': by the same shares, from their own stream, so adding
 * newcomers never moves an initial node to another region.
 */
export function withNewcomers(initial: Uint8Array, n: number, shares: readonly number[], seed: number): Uint8Array {
  if (initial.length === n) return initial;
  const region = new Uint8Array(new SharedArrayBuffer(n));
  region.set(initial);
  region.set(assignRegions(n - initial.length, shares, seed ^ 0x6a6f696e), initial.length);
  return region;
}

/**
 * The run's graph and regions for `n` nodes from those of the initial nodes: the newcomers come with no
 * connection, the eavesdropper's `observers` (the last ids) connected to every other node, and both
 * with their own regions, drawn by the same shares.
 */
export function withArrivals(built: Graph, initialRegion: Uint8Array, n: number, observers: number, shares: readonly number[], seed: number): { graph: Graph; region: Uint8Array } {
  const graph = observers > 0 ? withObservers(withRoom(built, n - observers), observers) : withRoom(built, n);
  return { graph, region: withNewcomers(initialRegion, n, shares, seed) };
}
