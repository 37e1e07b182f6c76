// A sweep is resumable: SIGTERM (or Ctrl-C) leaves only complete files and a rerun finishes the rest; a
// rerun skips every complete result file and runs exactly the missing or damaged ones; a failed run is
// recorded with its error and run again only with --retry-failed.
import { existsSync, mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { once } from 'node:events';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, describe, expect, it } from 'vitest';
import { TINY_SCENARIO, cli, read, runFiles, start, writeTinySweep } from './sweep-fixture.js';

const TIMEOUT = 120_000;
const dir = mkdtempSync(join(tmpdir(), 'p2psim-sweep-resume-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Every file in runs/ is a complete result (or error) file: it parses and names its own run. */
function expectOnlyCompleteFiles(out: string): void {
  for (const f of runFiles(out)) {
    expect(f.endsWith('.tmp'), f).toBe(false);
    const parsed = JSON.parse(read(join(out, 'runs', f))) as { run: { hash: string } };
    expect(f.startsWith(parsed.run.hash), f).toBe(true);
  }
}

describe('resuming a sweep', () => {
  const sweep = writeTinySweep(dir, 2, 4); // 8 runs
  const out = join(dir, 'out');

  it('SIGTERM mid-sweep: exit 1, no half-written file; the rerun completes it', { timeout: TIMEOUT }, async () => {
    // One run at a time, so most are still to come when the signal lands.
    const child = start(['sweep', sweep, '--out', out, '--pool', '1', '--quiet']);
    let stderr = '';
    child.stderr!.on('data', (d: Buffer) => void (stderr += d.toString()));
    const exited = once(child, 'exit');
    while (!(existsSync(join(out, 'runs')) && runFiles(out).some((f) => !f.endsWith('.tmp')))) await sleep(20);
    child.kill('SIGTERM');
    const [code] = (await exited) as [number];
    expect(code).toBe(1);
    expect(stderr).toMatch(/^p2psim: run failed: interrupted \(SIGTERM\): \d of 8 runs complete in .*; run the same command again to resume\n$/);
    const done = runFiles(out).length;
    expect(done).toBeGreaterThanOrEqual(1);
    expect(done).toBeLessThan(8);
    expectOnlyCompleteFiles(out);

    const rerun = await cli(['sweep', sweep, '--out', out]);
    expect(rerun.code).toBe(0);
    expect(rerun.stderr).toContain(`sweep: 8 runs, ${done} complete before, ${8 - done} to run; 8 complete, 0 failed`);
    expect(runFiles(out)).toHaveLength(8);
    expectOnlyCompleteFiles(out);
  });

  it('a rerun runs exactly the deleted and the corrupted result files', { timeout: TIMEOUT }, async () => {
    const summaryBefore = read(join(out, 'summary.json'));
    const files = runFiles(out);
    const stamp = (f: string) => {
      const s = statSync(join(out, 'runs', f));
      return `${s.ino}:${s.mtimeMs}`;
    };
    const before = new Map(files.map((f) => [f, stamp(f)]));
    const [deleted1, deleted2, corrupted] = [files[1]!, files[4]!, files[6]!];
    rmSync(join(out, 'runs', deleted1));
    rmSync(join(out, 'runs', deleted2));
    const text = read(join(out, 'runs', corrupted));
    writeFileSync(join(out, 'runs', corrupted), text.slice(0, text.length >> 1));

    const r = await cli(['sweep', sweep, '--out', out]);
    expect(r.code).toBe(0);
    expect(r.stderr).toContain('sweep: 8 runs, 5 complete before, 3 to run; 8 complete, 0 failed');
    expect(runFiles(out)).toEqual(files);
    expectOnlyCompleteFiles(out);
    for (const f of files) {
      // A rewritten file is renamed into place: a new inode. The untouched ones keep theirs.
      if ([deleted1, deleted2, corrupted].includes(f)) expect(stamp(f), f).not.toBe(before.get(f));
      else expect(stamp(f), f).toBe(before.get(f));
    }
    // The runs are deterministic: the summary is what it was.
    expect(read(join(out, 'summary.json'))).toBe(summaryBefore);

    const again = await cli(['sweep', sweep, '--out', out]);
    expect(again.stderr).toContain('8 complete before, 0 to run');
    for (const f of files) if (![deleted1, deleted2, corrupted].includes(f)) expect(stamp(f)).toBe(before.get(f));
  });

  it('a failed run is recorded with its error, kept on a rerun, and run again with --retry-failed', { timeout: TIMEOUT }, async () => {
    // A 200-node ring as an edge list; the second cell names a file that does not exist yet, which only
    // the run itself finds out (the scenario is valid).
    const edges = Array.from({ length: 200 }, (_, i) => `${i} ${(i + 1) % 200}`).join('\n') + '\n';
    writeFileSync(join(dir, 'ring.txt'), edges);
    const file = join(dir, 'edges-sweep.json');
    writeFileSync(file, JSON.stringify({
      scenario: { ...TINY_SCENARIO, topology: { kind: 'edge-list', file: 'ring.txt' } },
      grid: { 'topology.file': ['ring.txt', 'later.txt'] },
      replications: 2,
      metrics: ['messages.0.t90Ms'],
    }));
    const fout = join(dir, 'failing');
    const first = await cli(['sweep', file, '--out', fout]);
    expect(first.code).toBe(1);
    expect(first.stderr).toMatch(/p2psim: run failed: 2 of 4 runs failed \(errors in .*\.error\.json\); rerun with --retry-failed to run them again\n$/);
    const errors = runFiles(fout).filter((f) => f.endsWith('.error.json'));
    expect(errors).toHaveLength(2);
    for (const e of errors) expect((JSON.parse(read(join(fout, 'runs', e))) as { error: string }).error).toMatch(/later\.txt/);
    const summary = JSON.parse(read(join(fout, 'summary.json'))) as { runs: object; cells: { runs: number; failed: number }[] };
    expect(summary.runs).toEqual({ total: 4, complete: 2, failed: 2, missing: 0 });
    expect(summary.cells.map((c) => [c.runs, c.failed])).toEqual([[2, 0], [0, 2]]);

    writeFileSync(join(dir, 'later.txt'), edges);
    const kept = await cli(['sweep', file, '--out', fout]);
    expect(kept.code).toBe(1);
    expect(kept.stderr).toContain('2 complete before, 0 to run');
    expect(runFiles(fout).filter((f) => f.endsWith('.error.json'))).toEqual(errors);

    const retried = await cli(['sweep', file, '--out', fout, '--retry-failed']);
    expect(retried.code).toBe(0);
    expect(retried.stderr).toContain('2 complete before, 2 to run; 4 complete, 0 failed');
    expect(readdirSync(join(fout, 'runs')).filter((f) => f.endsWith('.error.json'))).toEqual([]);
  });
});
