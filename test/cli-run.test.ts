// `p2psim run` end to end, through the compiled CLI in a child process: the JSON result (shape and an
// analytic check on scenarios/ring-small.json), --out (atomic, identical to --json), --profile, --trace and
// the human summary; a chain scenario's summary; and the result's `scenario`, which validates as a scenario
// file and runs again to the same digest.
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import type { Result } from '../src/result.js';

const ROOT = join(import.meta.dirname, '..');
const CLI = join(ROOT, 'dist', 'src', 'cli.js');
const RING = join(ROOT, 'scenarios', 'ring-small.json');
const TIMEOUT = 60_000;

const dir = mkdtempSync(join(tmpdir(), 'p2psim-cli-run-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const exec = promisify(execFile);
async function cli(...args: string[]): Promise<{ stdout: string; stderr: string }> {
  return exec(process.execPath, [CLI, ...args], { cwd: ROOT, env: { ...process.env, P2PSIM_FAULT: '' }, maxBuffer: 64 << 20 });
}

// What the ring scenario must give, from the file itself: flooding on a ring with one neighbour each
// side and a constant latency reaches the farthest node, floor(N / 2) hops away, after floor(N / 2) x L,
// wherever the message starts.
const ring = JSON.parse(readFileSync(RING, 'utf8')) as {
  nodes: number;
  topology: { kind: string; k: number };
  latency: { kind: string; ms: number };
  protocol: { kind: string; relayDelayMs: number };
  workload: { count: number };
};
const N = ring.nodes;
const L = ring.latency.ms;

const HEX64 = /^[0-9a-f]{64}$/;

describe('p2psim run scenarios/ring-small.json', () => {
  it('the scenario file is the ring this test reasons about', () => {
    expect(ring.topology).toEqual({ kind: 'ring', k: 1 });
    expect(ring.latency.kind).toBe('constant');
    expect(ring.protocol).toEqual({ kind: 'flood', relayDelayMs: 0 });
    expect(ring.workload.count).toBe(1);
    expect(N).toBe(1000);
    expect(L).toBe(10);
  });

  it('--json prints one JSON document with the result; --out writes the same, atomically', { timeout: TIMEOUT }, async () => {
    const sub = mkdtempSync(join(dir, 'out-'));
    const out = join(sub, 'r.json');
    const { stdout, stderr } = await cli('run', RING, '--json', '--workers', '2', '--quiet', '--out', out);
    expect(stderr).toBe('');
    const r = JSON.parse(stdout) as Result; // throws unless stdout is exactly one JSON document
    expect(r.version).toBe(1);
    expect(r.nodes).toBe(N);
    expect(r.workers).toBe(2);
    expect(r.model).toBe('gossip');
    expect(r.digest).toMatch(HEX64);
    expect(r.messages).toHaveLength(1);
    expect(r.messages![0]!.t100Ms).toBe(Math.floor(N / 2) * L);
    expect(r.messages![0]!.maxHops).toBe(Math.floor(N / 2));
    expect(r.messages![0]!.coverage).toBe(1);
    // One origin timer, then N + 1 copies (the origin sends 2, every other node forwards 1).
    expect(r.network!.messagesSent).toBe(N + 1);
    expect(r.events).toBe(1 + (N + 1));
    expect(r).not.toHaveProperty('trace');
    expect(r).not.toHaveProperty('perNode');

    const shards = r.profile.shards;
    expect(shards).toHaveLength(2);
    for (const s of shards) {
      for (const field of ['events', 'windows', 'busyMs', 'waitMs', 'crossSent', 'crossReceived']) {
        expect(typeof (s as unknown as Record<string, unknown>)[field], field).toBe('number');
      }
    }
    expect(shards.map((s) => s.shard)).toEqual([0, 1]);
    expect(shards.map((s) => s.nodes)).toEqual([N / 2, N / 2]);
    expect(shards[0]!.events + shards[1]!.events).toBe(r.events);
    // With two shards, what one sends across is what the other receives.
    expect(shards[0]!.crossSent).toBe(shards[1]!.crossReceived);
    expect(shards[1]!.crossSent).toBe(shards[0]!.crossReceived);
    expect(r.profile.lookaheadMs).toBe(L);

    expect(readFileSync(out, 'utf8')).toBe(stdout);
    expect(readdirSync(sub)).toEqual(['r.json']); // no leftover temporary file
  });

  it('--profile prints a table with one row per shard', { timeout: TIMEOUT }, async () => {
    const { stdout } = await cli('run', RING, '--workers', '2', '--quiet', '--profile');
    const lines = stdout.split('\n');
    const header = lines.findIndex((l) => /^shard\s+nodes\s+events\s+windows\b/.test(l));
    expect(header).toBeGreaterThanOrEqual(0);
    expect(lines[header + 1]).toMatch(/^-+(\s+-+)+$/);
    const rows: string[] = [];
    for (let i = header + 2; i < lines.length && /^\d+\s/.test(lines[i]!); i++) rows.push(lines[i]!);
    expect(rows).toHaveLength(2);
    expect(rows.map((l) => l.split(/\s+/).slice(0, 2))).toEqual([
      ['0', String(N / 2)],
      ['1', String(N / 2)],
    ]);
  });

  it('--trace writes a Chrome trace with busy spans for both shards', { timeout: TIMEOUT }, async () => {
    const sub = mkdtempSync(join(dir, 'trace-'));
    const file = join(sub, 'trace.json');
    await cli('run', RING, '--workers', '2', '--quiet', '--trace', file);
    const trace = JSON.parse(readFileSync(file, 'utf8')) as { traceEvents: { name: string; ph: string; tid?: number; dur?: number }[] };
    expect(Array.isArray(trace.traceEvents)).toBe(true);
    const busy = trace.traceEvents.filter((e) => e.name === 'busy');
    expect(busy.some((e) => e.tid === 0)).toBe(true);
    expect(busy.some((e) => e.tid === 1)).toBe(true);
    expect(busy.every((e) => e.ph === 'X' && typeof e.dur === 'number' && e.dur >= 0)).toBe(true);
    expect(readdirSync(sub)).toEqual(['trace.json']);
  });

  it('the summary ends with the digest, the same as the JSON result at any worker count', { timeout: TIMEOUT }, async () => {
    const summary = (await cli('run', RING, '--workers', '2', '--quiet')).stdout;
    const m = /^digest ([0-9a-f]+)$/m.exec(summary);
    expect(m).not.toBeNull();
    expect(m![1]).toMatch(HEX64);
    const json = JSON.parse((await cli('run', RING, '--json', '--workers', '1', '--quiet')).stdout) as Result;
    expect(json.digest).toBe(m![1]);
    expect(summary).toContain(`${N.toLocaleString('en-US')} nodes`);
  });
});

// A small chain: the default miner preset (so chain.miners.distribution is filled but does not apply)
// and inv-getdata relay (so the compact-only relay fields are filled but do not apply).
const CHAIN = join(dir, 'chain.json');
writeFileSync(
  CHAIN,
  JSON.stringify({
    name: 'small chain',
    nodes: 300,
    topology: { kind: 'random-regular', degree: 8 },
    latency: { kind: 'constant', ms: 50 },
    chain: { blockIntervalS: 20, blocks: 10 },
    relay: { kind: 'inv-getdata' },
    durationMs: 100_000_000,
  }),
);

/** Runs `file` with --out, writes the result's `scenario` to its own file and returns both. */
async function echoScenario(file: string, tag: string): Promise<{ summary: string; result: Result; echo: string }> {
  const sub = mkdtempSync(join(dir, `${tag}-`));
  const out = join(sub, 'r.json');
  const summary = (await cli('run', file, '--workers', '1', '--quiet', '--out', out)).stdout;
  const result = JSON.parse(readFileSync(out, 'utf8')) as Result;
  const echo = join(sub, 'scenario.json');
  writeFileSync(echo, JSON.stringify(result.scenario, null, 2));
  return { summary, result, echo };
}

describe('a chain run', () => {
  it('the summary has the chain section, within 100 columns', { timeout: TIMEOUT }, async () => {
    const { summary, result } = await echoScenario(CHAIN, 'chain-summary');
    const c = result.chain!;
    expect(result.model).toBe('chain');
    expect(summary).toContain(`blocks: ${c.blocksMined} mined, main chain ${c.mainChainLength}, stale rate ${(100 * c.staleRate).toFixed(2)}%`);
    expect(summary).toMatch(/^block medians \(ms\): t50 \S+, t90 \S+, t95 \S+, t100 \S+; consistency \S+ \(p90 \S+\)$/m);
    expect(summary).toContain(`predicted stale rate ${(100 * c.deckerWattenhofer.predictedStaleRate).toFixed(2)}%`);
    // One row per block (10 < 20), then 16 preset miners (<= 20): a row each.
    expect(summary).toMatch(/^block\s+height\s+miner\s+created s\s+coverage\s+t50 ms\s+t90 ms\s+t95 ms\s+t100 ms\s+consistency ms\s+main$/m);
    for (const b of c.blocks) expect(summary).toMatch(new RegExp(`^${b.id}\\s+${b.height}\\s+${b.miner}\\s.*\\s(yes|no)$`, 'm'));
    expect(summary).not.toContain('more in the JSON result');
    expect(summary).toMatch(/^miner\s+hash share\s+main blocks\s+main share$/m);
    for (const m of c.miners) expect(summary).toMatch(new RegExp(`^${m.node}\\s+${(100 * m.hashShare).toFixed(2)}%\\s+${m.mainBlocks}\\s`, 'm'));
    expect(summary).toMatch(/^rewards\s+nodes\s+total\s+min\/node\s+median\/node\s+max\/node$/m);
    expect(summary).toMatch(/^miner\s+16\s/m);
    expect(summary).toMatch(/^treasury \S+, unpaid \S+/m);
    expect(summary).toMatch(/^traffic: [\d,]+ block messages \([\d,.]+ MB\), [\d,]+ announcements, /m);
    expect(summary).not.toMatch(/^message\s+origin/m); // no per-message table
    expect(summary).toMatch(new RegExp(`^digest ${result.digest}$`, 'm'));
    for (const line of summary.split('\n')) expect(line.length, line).toBeLessThanOrEqual(100);
  });

  it("the result's scenario validates as a scenario file and runs to the same digest", { timeout: TIMEOUT }, async () => {
    const { result, echo } = await echoScenario(CHAIN, 'chain-echo');
    const s = result.scenario as Record<string, unknown> & { chain: { miners: object }; relay: object };
    // What does not apply to a chain run is left out; what does is filled in.
    expect(s).not.toHaveProperty('protocol');
    expect(s).not.toHaveProperty('workload');
    expect(s.chain.miners).toEqual({ preset: 'bitcoin-pools-2016' });
    expect(s.relay).toMatchObject({ kind: 'inv-getdata', timeoutMs: 10_000 });
    for (const k of ['compactShare', 'compactBytes', 'compactFailRate', 'missingShare']) expect(s.relay).not.toHaveProperty(k);
    expect((await cli('validate', echo)).stdout.split('\n')[0]).toBe(`${echo}: ok (chain, 300 nodes)`);
    const again = JSON.parse((await cli('run', echo, '--json', '--workers', '1', '--quiet')).stdout) as Result;
    expect(again.digest).toBe(result.digest);
    expect(again.scenario).toEqual(result.scenario);
  });
});

describe("a gossip run's scenario", () => {
  it('validates as a scenario file, every field kept', { timeout: TIMEOUT }, async () => {
    const { result, echo } = await echoScenario(RING, 'gossip-echo');
    expect(result.scenario).toMatchObject({ model: 'gossip', protocol: ring.protocol, workload: { count: 1 } });
    expect((await cli('validate', echo)).stdout.split('\n')[0]).toBe(`${echo}: ok (gossip, ${N} nodes)`);
  });
});
