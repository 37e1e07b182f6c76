// Queue mode for real: this test starts redis-server on a free loopback port, a sweep that enqueues a
// few dozen tiny runs, and two `p2psim worker`s; it kills one worker (SIGKILL) in the middle of a run,
// and checks that every run's result arrives exactly once and that the summary equals the local pooled
// sweep's. Skipped, saying so, only where redis-server is not installed (.ci/run installs it).
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { cli, read, runFiles, start, writeTinySweep } from './sweep-fixture.js';

const TIMEOUT = 180_000;
const hasRedis = spawnSync('redis-server', ['--version'], { stdio: 'ignore' }).error === undefined;
if (!hasRedis) console.warn('sweep-queue.test.ts: SKIPPED: redis-server is not installed (apt-get install -y redis-server; .ci/run does)');

const dir = mkdtempSync(join(tmpdir(), 'p2psim-sweep-queue-'));
const children: ChildProcess[] = [];
afterAll(async () => {
  for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
  rmSync(dir, { recursive: true, force: true });
});

async function freePort(): Promise<number> {
  const server = createServer();
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as { port: number };
  server.close();
  await once(server, 'close');
  return port;
}

/** A child's output as it comes, with a way to wait for a line that matches. */
function watch(child: ChildProcess): { text: () => string; waitFor: (re: RegExp) => Promise<void> } {
  let text = '';
  const waiters: { re: RegExp; resolve: () => void }[] = [];
  const onData = (d: Buffer) => {
    text += d.toString();
    for (const w of [...waiters]) {
      if (w.re.test(text)) {
        waiters.splice(waiters.indexOf(w), 1);
        w.resolve();
      }
    }
  };
  child.stdout?.on('data', onData);
  child.stderr?.on('data', onData);
  return {
    text: () => text,
    waitFor: (re) => (re.test(text) ? Promise.resolve() : new Promise((resolve) => waiters.push({ re, resolve }))),
  };
}

describe.skipIf(!hasRedis)(`queue mode on a real Redis${hasRedis ? '' : ' (skipped: redis-server is not installed)'}`, () => {
  it('two workers, one killed mid-run: every result once, the pooled summary', { timeout: TIMEOUT }, async () => {
    const sweep = writeTinySweep(dir, 6, 4); // 24 runs
    const local = join(dir, 'local');
    const queued = join(dir, 'queued');

    const port = await freePort();
    const redis = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], { stdio: ['ignore', 'pipe', 'pipe'] });
    children.push(redis);
    await watch(redis).waitFor(/Ready to accept connections/);
    const url = `redis://127.0.0.1:${port}`;

    try {
      const producer = start(['sweep', sweep, '--out', queued, '--queue', url]);
      children.push(producer);
      const p = watch(producer);
      const producerExit = once(producer, 'exit');
      await p.waitFor(/enqueued 24 run\(s\)/);

      // Small locks, so the killed worker's job is found stalled within seconds; one run at a time each.
      const workerArgs = ['worker', '--queue', url, '--concurrency', '1', '--lock-ms', '1000', '--stalled-ms', '500', '--linger', '1'];
      const doomed = start(workerArgs);
      const survivor = start(workerArgs);
      children.push(doomed, survivor);
      const d = watch(doomed);
      const s = watch(survivor);
      const survivorExit = once(survivor, 'exit');

      // Kill the first worker as soon as it has started a run (its second, so it is well into the sweep).
      await d.waitFor(/(: start\n[^]*){2}/);
      doomed.kill('SIGKILL');
      await once(doomed, 'exit');
      const lines = d.text().trim().split('\n');
      const last = lines.at(-1)!;
      const killedRun = /^run (\d+) \((\w+)\): start$/.exec(last);
      // It died mid-run: its last word is that run's start, never its end.
      expect(killedRun, d.text()).not.toBeNull();

      const [code] = (await producerExit) as [number];
      expect(code, p.text()).toBe(0);
      const [survivorCode] = (await survivorExit) as [number];
      expect(survivorCode).toBe(0);

      // The killed worker's run was taken again, by the survivor, and finished there.
      expect(s.text()).toContain(`run ${killedRun![1]} (${killedRun![2]}): done`);
      // Every run arrived exactly once: one collection each, no duplicate, the stalled one counted.
      expect(p.text()).toMatch(/queue: 24 result\(s\) collected, 0 duplicate\(s\), [1-9]\d* restarted after a worker stopped/);
      const files = runFiles(queued);
      expect(files).toHaveLength(24);
      expect(files.filter((f) => f.endsWith('.error.json'))).toEqual([]);
      const doneOnce = (text: string) => [...text.matchAll(/^run (\d+) \(\w+\): done/gm)].map((m) => Number(m[1]));
      const done = [...doneOnce(d.text()), ...doneOnce(s.text())].sort((a, b) => a - b);
      expect(done).toEqual(Array.from({ length: 24 }, (_, i) => i));

      // The same sweep on the local pool gives the same summary, byte for byte.
      const pooled = await cli(['sweep', sweep, '--out', local, '--quiet']);
      expect(pooled.code).toBe(0);
      expect(runFiles(local)).toEqual(files);
      expect(read(join(queued, 'summary.json'))).toBe(read(join(local, 'summary.json')));
      expect(read(join(queued, 'summary.csv'))).toBe(read(join(local, 'summary.csv')));

      // Resumed against the same queue, nothing is left to run.
      const again = await cli(['sweep', sweep, '--out', queued, '--queue', url]);
      expect(again.code).toBe(0);
      expect(again.stderr).toContain('24 complete before, 0 to run');
    } finally {
      redis.kill('SIGTERM');
      await once(redis, 'exit');
    }
  });

  it('an unreachable Redis is one line, exit 2', { timeout: TIMEOUT }, async () => {
    const sweep = writeTinySweep(dir, 1, 1, 'one.json');
    const port = await freePort();
    const r = await cli(['sweep', sweep, '--out', join(dir, 'nowhere'), '--queue', `redis://127.0.0.1:${port}`]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^p2psim: --queue: cannot reach Redis at redis:\/\/127\.0\.0\.1:\d+: .*\n$/);
  });
});
