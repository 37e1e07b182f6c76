// The library as a user gets it: `npm pack` makes the tarball npm would publish, which is unpacked
// into a fresh project's node_modules/p2psim (its dependencies linked from this checkout's, as an
// install would provide them; an install proper would need the registry). A script there imports
// 'p2psim' by name — through the package's `exports` — loads, validates and runs scenarios, and
// follows the progress as an async iterator and a callback; the digest must equal the CLI's for the
// same scenario. TypeScript then checks a typed consumer against the shipped declarations, including
// a call the types must reject.
import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const ROOT = join(import.meta.dirname, '..');
const TIMEOUT = 120_000;
const exec = promisify(execFile);

const dir = mkdtempSync(join(tmpdir(), 'p2psim-package-'));
const app = join(dir, 'app');
afterAll(() => rmSync(dir, { recursive: true, force: true }));

beforeAll(async () => {
  // The build is npm test's first step; --ignore-scripts packs it as it is.
  const { stdout } = await exec('npm', ['pack', '--ignore-scripts', '--json', '--pack-destination', dir], { cwd: ROOT, maxBuffer: 16 << 20 });
  const [packed] = JSON.parse(stdout) as { filename: string }[];
  const pkgDir = join(app, 'node_modules', 'p2psim');
  mkdirSync(pkgDir, { recursive: true });
  await exec('tar', ['-xzf', join(dir, packed!.filename), '-C', pkgDir, '--strip-components=1']);
  const pkg = JSON.parse(readFileSync(join(pkgDir, 'package.json'), 'utf8')) as { dependencies: Record<string, string> };
  for (const dep of [...Object.keys(pkg.dependencies), '@types/node', 'typescript']) {
    const to = join(app, 'node_modules', dep);
    mkdirSync(join(to, '..'), { recursive: true });
    symlinkSync(join(ROOT, 'node_modules', dep), to, 'dir');
  }
  writeFileSync(join(app, 'package.json'), JSON.stringify({ name: 'app', private: true, type: 'module' }));
}, TIMEOUT);

const CONSUMER = `
import { loadScenario, runScenario, validateScenario, InputError } from 'p2psim';
import { createRequire } from 'node:module';
const require = createRequire(import.meta.url);
const ring = require.resolve('p2psim/package.json').replace(/package\\.json$/, 'scenarios/ring-small.json');

const out = {};
const scenario = loadScenario(ring);
// Progress as an async iterator: the run's handle is also its result.
const run = runScenario(scenario, { workers: 2 });
const seen = [];
for await (const p of run) seen.push(p);
const result = await run;
out.digest = result.digest;
out.t100 = result.messages[0].t100Ms;
out.progress = seen;
// Progress as a callback, on a scenario given as a plain object and validated first.
const calls = [];
const plain = validateScenario({ nodes: 200, topology: { kind: 'ring', k: 1 }, latency: { kind: 'constant', ms: 5 }, protocol: { kind: 'flood', relayDelayMs: 0 }, workload: { kind: 'broadcast', count: 1 } });
const small = await runScenario(plain, { workers: 1, seed: 3, onProgress: (p) => calls.push(p) });
out.small = { t100: small.messages[0].t100Ms, seed: small.seed, calls };
try {
  validateScenario({ nodes: 200, topology: { kind: 'ring', k: 0 } });
  out.error = 'none';
} catch (e) {
  out.error = { isInputError: e instanceof InputError, field: e.field, message: e.message };
}
try {
  for await (const _ of runScenario({ nodes: -1 })) void _;
  out.iterError = 'none';
} catch (e) {
  out.iterError = e.message;
}
console.log(JSON.stringify(out));
`;

const TYPED = `
import { loadScenario, runScenario, type Progress, type Result, type RunHandle } from 'p2psim';
const handle: RunHandle = runScenario(loadScenario('x.json'), { workers: 2, partition: 'strided' });
export async function use(): Promise<string> {
  for await (const p of handle) {
    const f: number = p.simMs / p.endMs;
    void f;
  }
  const r: Result = await handle;
  const last: Progress = { simMs: 1, endMs: 1, events: r.events };
  void last;
  // @ts-expect-error: workers is a number; if the declarations were missing or 'any', this line would compile and tsc would fail.
  runScenario(loadScenario('x.json'), { workers: 'two' });
  return r.digest;
}
`;

describe("import from 'p2psim' (the packed package)", () => {
  it('runs scenarios by name, with progress both ways, and agrees with the CLI', { timeout: TIMEOUT }, async () => {
    writeFileSync(join(app, 'consumer.mjs'), CONSUMER);
    const { stdout } = await exec(process.execPath, ['consumer.mjs'], { cwd: app, maxBuffer: 16 << 20 });
    const out = JSON.parse(stdout) as {
      digest: string; t100: number; progress: { simMs: number; endMs: number; events: number }[];
      small: { t100: number; seed: number; calls: { simMs: number; endMs: number; events: number }[] };
      error: { isInputError: boolean; field: string; message: string }; iterError: string;
    };
    const cli = await exec(process.execPath, [join(ROOT, 'dist', 'src', 'cli.js'), 'run', join(ROOT, 'scenarios', 'ring-small.json'), '--workers', '1', '--quiet'], { cwd: ROOT });
    expect(cli.stdout).toContain(`digest ${out.digest}`);
    // A 1,000-node ring at 10 ms a hop: the farthest node, 500 hops away, at 5000 ms.
    expect(out.t100).toBe(5000);
    // The iterator ends on the run's end; its last snapshot is the whole run.
    const last = out.progress.at(-1)!;
    expect(last.simMs).toBe(last.endMs);
    expect(last.endMs).toBe(600000);
    expect(last.events).toBeGreaterThan(0);
    // 200 nodes at 5 ms a hop: 100 hops, 500 ms; the seed override took.
    expect(out.small.t100).toBe(500);
    expect(out.small.seed).toBe(3);
    expect(out.small.calls.at(-1)!.simMs).toBe(out.small.calls.at(-1)!.endMs);
    expect(out.error.isInputError).toBe(true);
    expect(out.error.field).toBe('topology.k');
    expect(out.iterError).toMatch(/^nodes: /);
  });

  it('ships declarations that type a consumer and reject a wrong call', { timeout: TIMEOUT }, async () => {
    writeFileSync(join(app, 'typed.ts'), TYPED);
    writeFileSync(join(app, 'tsconfig.json'), JSON.stringify({
      compilerOptions: { target: 'ES2022', module: 'NodeNext', moduleResolution: 'NodeNext', strict: true, noEmit: true, types: ['node'], lib: ['ES2023'] },
      files: ['typed.ts'],
    }));
    const tsc = join(app, 'node_modules', 'typescript', 'bin', 'tsc');
    const r = await exec(process.execPath, [tsc, '-p', 'tsconfig.json'], { cwd: app }).then(() => ({ code: 0, out: '' }), (e: { code: number; stdout: string }) => ({ code: e.code, out: e.stdout }));
    expect(r.out).toBe('');
    expect(r.code).toBe(0);
  });
});
