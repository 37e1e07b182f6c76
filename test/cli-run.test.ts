// `p2psim run` end to end, through the compiled CLI in a child process: the JSON result (shape and an
// analytic check on scenarios/ring-small.json), --out (atomic, identical to --json), --profile, --trace and
// the human summary.
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
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
