// `p2psim viz` holds bad input to the CLI's contract: one line naming what is wrong, exit 2, before
// anything is served — for a scenario the page cannot run as for a bad flag.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { main } from '../src/cli.js';

const ROOT = join(import.meta.dirname, '..');
const dir = mkdtempSync(join(tmpdir(), 'p2psim-viz-input-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function viz(...argv: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const code = await main(['viz', ...argv], { stdout: (t) => void (stdout += t), stderr: (t) => void (stderr += t), stderrIsTTY: false });
  return { code, stdout, stderr };
}

describe('p2psim viz: bad input', () => {
  const cases: [string, string[], string][] = [
    ['a PHOLD scenario', [join(ROOT, 'scenarios/phold-100k.json')], 'model: p2psim viz runs gossip scenarios (broadcasts) and chain scenarios (blocks), got "phold"'],
    ['--chain with a file', ['--chain', 'BAD'], '--chain: picks the built-in chain network and cannot be combined with a FILE (a file with a chain section runs as a chain)'],
    ['a set block by a miner that does not exist', ['MINED'], 'chain.mined.0.miner: must be < the number of miners (16), got 16'],
    ['an edge-list topology', ['EDGE'], 'topology.kind: edge-list cannot be read in the page; use a generated topology'],
    ['too many nodes', ['--nodes', '9900'], 'nodes: p2psim viz draws at most 10,000 nodes (newcomers and room for added nodes included), got 10100'],
    ['too many newcomers', ['JOINS', '--spare', '100'], 'nodes: p2psim viz draws at most 10,000 nodes (newcomers and room for added nodes included), got 10100'],
    ['the eavesdropper', ['EAVES'], 'adversary.kind: p2psim viz shows spies, not the eavesdropper (it connects to every node, and the page adds nodes as joins and deletes them as faults, which the eavesdropper cannot be combined with); use "spies"'],
    ['no peer maintenance, with room to add nodes', ['NOMAINT'], 'peers.maintain: must be true for the page to add nodes (newcomers join through peer maintenance), got false; or use --spare 0'],
    ['a bad adversary field', ['BADSPY'], 'adversary.fraction: must be a number < 1, got 1.5'],
    ['a bad scenario field', ['BAD'], 'topology.degree: must be an integer >= 1, got 0'],
    ['a bad port', ['--port', 'http'], '--port: must be an integer >= 0 and <= 65535, got http'],
    ['a bad spare count', ['--spare', '-3'], '--spare: must be an integer >= 0 and <= 10000, got -3'],
  ];
  writeFileSync(join(dir, 'edge.json'), JSON.stringify({ nodes: 10, topology: { kind: 'edge-list', file: 'x.txt' } }));
  writeFileSync(join(dir, 'bad.json'), JSON.stringify({ nodes: 100, topology: { kind: 'random-regular', degree: 0 } }));
  const files: Record<string, object> = {
    JOINS: { nodes: 5000, joins: [{ count: 5000, atMs: 1000 }] },
    EAVES: { nodes: 100, adversary: { kind: 'eavesdropper' } },
    NOMAINT: { nodes: 100, peers: { maintain: false } },
    BADSPY: { nodes: 100, adversary: { kind: 'spies', fraction: 1.5 } },
    MINED: { nodes: 100, chain: { mined: [{ atMs: 1000, miner: 16 }] } },
  };
  for (const [k, v] of Object.entries(files)) writeFileSync(join(dir, `${k}.json`), JSON.stringify(v));
  for (const [what, argv, line] of cases) {
    it(what, async () => {
      const args = argv.map((a) => (a === 'EDGE' ? join(dir, 'edge.json') : a === 'BAD' ? join(dir, 'bad.json') : a in files ? join(dir, `${a}.json`) : a));
      const r = await viz(...args);
      expect(r.code).toBe(2);
      expect(r.stderr).toBe(`p2psim: ${line}\n`);
      expect(r.stdout).toBe('');
    });
  }
});
