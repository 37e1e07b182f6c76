// Job-array mode: --list gives the number of runs, --index N (or the index Kubernetes or Slurm puts in
// the environment) runs run N alone into the shared directory, and --summarize over those files gives
// the summary the pooled sweep gives.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { cli, read, runFiles, writeTinySweep } from './sweep-fixture.js';

const TIMEOUT = 120_000;
const dir = mkdtempSync(join(tmpdir(), 'p2psim-sweep-array-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('job-array mode', () => {
  const sweep = writeTinySweep(dir, 2, 2); // 4 runs
  const pooled = join(dir, 'pooled');
  const array = join(dir, 'array');

  it('--list prints the number of runs', async () => {
    expect(await cli(['sweep', sweep, '--list'])).toEqual({ code: 0, stdout: '4\n', stderr: '' });
  });

  it('runs 0-3 by --index, JOB_COMPLETION_INDEX and SLURM_ARRAY_TASK_ID equal the pooled sweep', { timeout: TIMEOUT }, async () => {
    const pool = await cli(['sweep', sweep, '--out', pooled, '--quiet']);
    expect(pool.code).toBe(0);

    // Each index is its own process writing into the one directory, as on a cluster.
    const rs = await Promise.all([
      cli(['sweep', sweep, '--out', array, '--index', '0']),
      cli(['sweep', sweep, '--out', array, '--index', '1']),
      cli(['sweep', sweep, '--out', array, '--index'], { JOB_COMPLETION_INDEX: '2' }),
      cli(['sweep', sweep, '--out', array, '--index'], { SLURM_ARRAY_TASK_ID: '3', JOB_COMPLETION_INDEX: '' }),
    ]);
    rs.forEach((r, i) => {
      expect(r.stderr).toBe('');
      expect(r.code).toBe(0);
      expect(r.stdout).toMatch(new RegExp(`^run ${i} of 4: done \\(.*\\.json\\)\\n$`));
    });
    expect(runFiles(array)).toEqual(runFiles(pooled));

    // A finished index is skipped, as a retried task would be.
    expect((await cli(['sweep', sweep, '--out', array, '--index', '2'])).stdout).toMatch(/^run 2 of 4: already complete/);

    const summary = await cli(['sweep', sweep, '--out', array, '--summarize']);
    expect(summary.code).toBe(0);
    expect(summary.stderr).toBe('sweep: summary of 4 of 4 runs (0 failed, 0 missing)\n');
    expect(summary.stdout).toBe(pool.stdout);
    expect(read(join(array, 'summary.csv'))).toBe(read(join(pooled, 'summary.csv')));
    expect(read(join(array, 'summary.json'))).toBe(read(join(pooled, 'summary.json')));
    // Same runs, same metrics: each result file holds the same digest.
    for (const f of runFiles(pooled)) {
      const digest = (p: string) => (JSON.parse(read(join(p, 'runs', f))) as { result: { digest: string } }).result.digest;
      expect(digest(array)).toBe(digest(pooled));
    }
  });

  it('--summarize over a partial directory counts what is missing', { timeout: TIMEOUT }, async () => {
    const partial = join(dir, 'partial');
    expect((await cli(['sweep', sweep, '--out', partial, '--index', '0'])).code).toBe(0);
    const r = await cli(['sweep', sweep, '--out', partial, '--summarize']);
    expect(r.stderr).toBe('sweep: summary of 1 of 4 runs (0 failed, 3 missing)\n');
    const s = JSON.parse(read(join(partial, 'summary.json'))) as { cells: { runs: number; metrics: Record<string, { n: number; sd: number | null }> }[] };
    expect(s.cells.map((c) => c.runs)).toEqual([1, 0]);
    expect(s.cells[0]!.metrics['network.messagesSent']).toMatchObject({ n: 1, sd: null });
    expect(s.cells[1]!.metrics['network.messagesSent']).toMatchObject({ n: 0 });
  });

  it('--index without a number or an index in the environment is an input error', async () => {
    const r = await cli(['sweep', sweep, '--out', join(dir, 'none'), '--index'], { JOB_COMPLETION_INDEX: '', SLURM_ARRAY_TASK_ID: '' });
    expect(r).toEqual({ code: 2, stdout: '', stderr: 'p2psim: --index: needs a run number, or JOB_COMPLETION_INDEX (Kubernetes) or SLURM_ARRAY_TASK_ID (Slurm) in the environment\n' });
  });
});
