// Block relay timing against hand-computed cases. Latency is a constant 50 ms and every link carries
// 8 Mbps = 1,000 bytes/ms, so a 100,000-byte block takes 100 ms to send; each case's times are written
// out as the sum of the steps the relay protocol takes.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { Result } from '../src/result.js';

const { runScenario } = (await import('../dist/src/run.js' as string)) as typeof import('../src/run.js');
const { parseScenario } = (await import('../dist/src/scenario/load.js' as string)) as typeof import('../src/scenario/load.js');

const TIMEOUT = 60_000;
const L = 50;
const SIZE = 100_000;
const SEND = 100; // SIZE at 1,000 bytes/ms
const dir = mkdtempSync(join(tmpdir(), 'p2psim-relay-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
writeFileSync(join(dir, 'path.txt'), '0 1\n1 2\n');
writeFileSync(join(dir, 'star.txt'), '0 1\n0 2\n0 3\n');

async function receipts(edges: string, nodes: number, relay: object, chain: object = {}, workers = 1): Promise<number[]> {
  const raw = {
    seed: 3,
    nodes,
    topology: { kind: 'edge-list', file: edges },
    latency: { kind: 'constant', ms: L },
    bandwidth: { uploadMbps: 8, downloadMbps: 8 },
    chain: { blocks: 1, blockSizeBytes: SIZE, miners: { shares: [1], nodes: [0] }, ...chain },
    relay,
    durationMs: 1e9,
  };
  const r: Result = await runScenario(parseScenario(raw), { workers, assignment: 'contiguous', baseDir: dir, keepPerNode: true });
  return Array.from(r.perNode!.recvMs!.subarray(0, nodes));
}

describe('block relay on the path 0 - 1 - 2, mined at node 0', () => {
  it('unsolicited: each hop is latency + transfer', { timeout: TIMEOUT }, async () => {
    const hop = L + SEND;
    expect(await receipts('path.txt', 3, { kind: 'unsolicited' })).toEqual([0, hop, 2 * hop]);
  });

  it('unsolicited with verifyMs: a node relays only after verifying', { timeout: TIMEOUT }, async () => {
    const hop = L + SEND;
    expect(await receipts('path.txt', 3, { kind: 'unsolicited' }, { verifyMs: 30 })).toEqual([0, hop, 2 * hop + 30]);
  });

  it('inv-getdata: inv, getdata, then the block; messageDelayMs on inv and getdata, processingMs on the block', { timeout: TIMEOUT }, async () => {
    const hop = L + L + L + SEND;
    expect(await receipts('path.txt', 3, { kind: 'inv-getdata' })).toEqual([0, hop, 2 * hop]);
    const slow = L + 10 + (L + 10) + (L + 2 + SEND);
    expect(await receipts('path.txt', 3, { kind: 'inv-getdata', messageDelayMs: 10, processingMs: 2 })).toEqual([0, slow, 2 * slow]);
  });

  it('compact, reconstructed: the answer is the compact block', { timeout: TIMEOUT }, async () => {
    const hop = L + L + (L + 18);
    expect(await receipts('path.txt', 3, { kind: 'compact', compactShare: 1, compactFailRate: 0, compactBytes: 18_000 })).toEqual([0, hop, 2 * hop]);
  });

  it('compact, failed: one more round trip and the missing share of the block', { timeout: TIMEOUT }, async () => {
    const hop = L + L + (L + 18) + L + (L + 10);
    expect(await receipts('path.txt', 3, { kind: 'compact', compactShare: 1, compactFailRate: 1, compactBytes: 18_000, missingShare: 0.1 })).toEqual([0, hop, 2 * hop]);
  });

  it('compact with no node speaking it falls back to inv-getdata', { timeout: TIMEOUT }, async () => {
    const hop = L + L + L + SEND;
    expect(await receipts('path.txt', 3, { kind: 'compact', compactShare: 0 })).toEqual([0, hop, 2 * hop]);
  });

  it('gives the same times at 2 and 3 workers', { timeout: TIMEOUT }, async () => {
    const relay = { kind: 'inv-getdata', messageDelayMs: 10 };
    const one = await receipts('path.txt', 3, relay);
    expect(await receipts('path.txt', 3, relay, {}, 2)).toEqual(one);
    expect(await receipts('path.txt', 3, relay, {}, 3)).toEqual(one);
  });
});

describe('the upload FIFO at the centre of the star 0 - {1, 2, 3}', () => {
  it('unsolicited, busy while sending: uploads follow one another', { timeout: TIMEOUT }, async () => {
    expect(await receipts('star.txt', 4, { kind: 'unsolicited' })).toEqual([0, L + SEND, L + 2 * SEND, L + 3 * SEND]);
  });

  it('unsolicited, busy until delivered (SimBlock): the next upload starts when the last arrives', { timeout: TIMEOUT }, async () => {
    const one = L + SEND;
    expect(await receipts('star.txt', 4, { kind: 'unsolicited', uploadBusy: 'delivery' })).toEqual([0, one, 2 * one, 3 * one]);
  });

  it('inv-getdata: three getdata arrive together and are served in (time, source) order', { timeout: TIMEOUT }, async () => {
    const asked = L + L;
    expect(await receipts('star.txt', 4, { kind: 'inv-getdata' })).toEqual([0, asked + L + SEND, asked + L + 2 * SEND, asked + L + 3 * SEND]);
  });
});
