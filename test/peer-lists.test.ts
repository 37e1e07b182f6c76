// A node's peers as the engine hands them to handlers (src/engine/peer-lists.ts): its range of the
// shared graph until its connections change, then its own list. When every node has the same degree
// the range is computed, not read; it must be the range the graph's offsets give all the same.
import { describe, expect, it } from 'vitest';
import { PeerLists } from '../src/engine/peer-lists.js';

/** The CSR of a graph given as adjacency lists. */
function csr(adj: number[][]): { offsets: Int32Array; targets: Int32Array } {
  const offsets = new Int32Array(adj.length + 1);
  adj.forEach((peers, v) => (offsets[v + 1] = offsets[v]! + peers.length));
  return { offsets, targets: Int32Array.from(adj.flat()) };
}

function peersOf(p: PeerLists, local: number, node: number): number[] {
  const list = p.list(local);
  const out: number[] = [];
  for (let i = p.start(local, node), end = p.end(local, node); i < end; i++) out.push(list[i]!);
  return out;
}

describe('peer lists', () => {
  const regular = [[1, 2, 3], [0, 2, 3], [0, 1, 3], [0, 1, 2]];
  const irregular = [[1, 2, 3], [0], [0, 3], [0, 2]];
  // Equal degrees except the last node's: a check that stopped one node short would call it regular.
  const lastDiffers = [[1, 2], [0, 2], [0, 1], [2]];

  for (const [name, graph] of [['every degree 3', csr(regular)], ['degrees 3, 1, 2, 2', csr(irregular)], ['degrees 2, 2, 2, 1', csr(lastDiffers)]] as const) {
    it(`hands each node the range of the graph's offsets (${name})`, () => {
      const n = graph.offsets.length - 1;
      const p = new PeerLists(graph.offsets, graph.targets, null, n);
      for (let v = 0; v < n; v++) {
        expect(p.start(v, v)).toBe(graph.offsets[v]);
        expect(p.end(v, v)).toBe(graph.offsets[v + 1]);
        expect(peersOf(p, v, v)).toEqual(Array.from(graph.targets.subarray(graph.offsets[v]!, graph.offsets[v + 1]!)));
      }
    });
  }

  it('switches a node of a regular graph to its own list at its first change, leaving the others computed', () => {
    const { offsets, targets } = csr(regular);
    const p = new PeerLists(offsets, targets, null, 4);
    p.remove(1, 1, 2, 10);
    p.add(1, 1, 7, true, 11);
    expect(peersOf(p, 1, 1)).toEqual([0, 3, 7]);
    expect(p.start(1, 1)).toBe(0);
    expect(peersOf(p, 2, 2)).toEqual([0, 1, 3]);
    expect(p.start(2, 2)).toBe(6);
    expect(p.end(3, 3)).toBe(12);
  });
});
