// Where the page draws each node: by region on a world map where the scenario has the measured regions
// (each region a disc of nodes around its place), else a force layout of the graph.
import type Graph from 'graphology';
import forceAtlas2 from 'graphology-layout-forceatlas2';

/** Longitude and latitude of each measured region's centre (data/bitcoin-network-params.json's names). */
const PLACES: Record<string, [number, number]> = {
  NORTH_AMERICA: [-100, 42],
  SOUTH_AMERICA: [-58, -18],
  EUROPE: [12, 50],
  ASIA_PACIFIC: [100, 18],
  JAPAN: [140, 38],
  AUSTRALIA: [135, -27],
};

/** Colours for the regions (the renderer takes hex colours only). */
const PALETTE = ['#4e79a7', '#59a14f', '#b07aa1', '#76b7b2', '#9c755f', '#2f8f9d', '#8c6bb1', '#6b8e23'];

export function regionColor(r: number): string {
  return PALETTE[r % PALETTE.length]!;
}

/** Sets x and y of every node of `g` (ids "0".."n-1"). */
export function placeNodes(g: Graph, region: Uint8Array, regionNames: readonly string[]): void {
  const n = region.length;
  const named = regionNames.length > 1;
  if (named) {
    const counts = new Array<number>(regionNames.length).fill(0);
    const seen = new Array<number>(regionNames.length).fill(0);
    for (let v = 0; v < n; v++) counts[region[v]!]!++;
    for (let v = 0; v < n; v++) {
      const r = region[v]!;
      const name = regionNames[r]!;
      const angle = (2 * Math.PI * r) / regionNames.length;
      const [lon, lat] = PLACES[name] ?? [120 * Math.cos(angle), 60 * Math.sin(angle)];
      // A sunflower: the k-th node at radius ∝ sqrt(k), turned by the golden angle, fills a disc evenly.
      const k = seen[r]!++;
      // The same density in every region: the largest is a disc of 30 degrees.
      const radius = 30 * Math.sqrt((k + 0.5) / Math.max(...counts));
      const t = k * 2.39996323;
      g.mergeNodeAttributes(String(v), { x: lon + radius * Math.cos(t), y: lat + radius * Math.sin(t) });
    }
    return;
  }
  for (let v = 0; v < n; v++) {
    const t = v * 2.39996323;
    g.mergeNodeAttributes(String(v), { x: Math.sqrt(v + 1) * Math.cos(t), y: Math.sqrt(v + 1) * Math.sin(t) });
  }
  forceAtlas2.assign(g, { iterations: 80, settings: { ...forceAtlas2.inferSettings(g), barnesHutOptimize: n > 1000 } });
}
