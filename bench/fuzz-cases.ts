// Fuzzed scenarios, shared by the test (test/fuzz.test.ts, a few dozen cases) and the long campaign
// (bench/fuzz.ts, thousands): the shipped scenarios mutated — fields dropped, wrong types, extreme and
// boundary numbers, huge counts, NaN and Infinity spelled as strings, unknown fields, deep nesting, very
// large files, unreadable edge-list files — each given to the real CLI, which must answer as
// docs/architecture.md, "Errors" promises: exit 0, or exit 2 with one line; no stack trace, no V8 fatal
// error, no hang.
import { spawn } from 'node:child_process';
import { mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import fc from 'fast-check';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const CLI = join(ROOT, 'dist', 'src', 'cli.js');
const SCENARIOS = join(ROOT, 'scenarios');

type Json = null | boolean | number | string | Json[] | { [k: string]: Json };

/** A case: the scenario file's text, and whether to `run` it (a tiny one) or only `validate` it. */
export interface FuzzCase {
  readonly text: string;
  readonly command: 'validate' | 'run';
  /** What was done to the shipped scenario, for the report of a failing case. */
  readonly what: string;
}

export interface Outcome {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly stdout: string;
  readonly stderr: string;
  readonly timedOut: boolean;
}

const shipped: readonly { name: string; json: Json }[] = readdirSync(SCENARIOS)
  .filter((f) => f.endsWith('.json'))
  .sort()
  .map((f) => ({ name: f, json: JSON.parse(readFileSync(join(SCENARIOS, f), 'utf8')) as Json }));

/** Values a field should never have, or only at its edge. */
const weird: fc.Arbitrary<Json> = fc.oneof(
  fc.constantFrom<Json>(null, true, false, '', 'x', 'NaN', 'Infinity', '-Infinity', '1e309', '0x10', ' 1 ', [], {}, [1, 2], [[]], { kind: 'nope' }),
  fc.constantFrom<Json>(0, -0, 1, 2, -1, 0.5, 1e-300, 1e9, 1e12, 1e308, 2 ** 31, 2 ** 31 - 1, -(2 ** 31), 2 ** 32, 2 ** 53, 50_000_000, 50_000_001, 1_000_000, 1_000_001),
  fc.integer(),
  fc.double({ noNaN: true }),
  fc.string({ maxLength: 8 }),
);

/** The paths of every value in `j`, objects' keys and arrays' indices alike. */
function paths(j: Json, at: (string | number)[] = []): (string | number)[][] {
  const out: (string | number)[][] = [at];
  if (at.length >= 6) return out;
  if (Array.isArray(j)) j.slice(0, 4).forEach((v, i) => out.push(...paths(v, [...at, i])));
  else if (j !== null && typeof j === 'object') for (const [k, v] of Object.entries(j)) out.push(...paths(v, [...at, k]));
  return out;
}

function clone(j: Json): Json {
  return JSON.parse(JSON.stringify(j)) as Json;
}

function parentOf(root: Json, path: (string | number)[]): Json {
  let j = root;
  for (const k of path.slice(0, -1)) j = (j as Record<string, Json>)[k]!;
  return j;
}

const DEEP = '__deep__';

/** The JSON text, with each deep-nesting marker replaced by that many nested objects. */
function toText(root: Json): string {
  return JSON.stringify(root).replace(new RegExp(`"${DEEP}(\\d+)"`, 'g'), (_, n: string) => '{"a":'.repeat(Number(n)) + '1' + '}'.repeat(Number(n)));
}

type Mutation = (root: Json, pick: number, value: Json) => { root: Json; what: string };

const MUTATIONS: Record<string, Mutation> = {
  drop: (root, pick) => {
    const ps = paths(root).filter((p) => p.length > 0);
    if (ps.length === 0) return { root, what: 'nothing to drop' };
    const p = ps[pick % ps.length]!;
    const parent = parentOf(root, p) as Record<string, Json> | Json[];
    if (Array.isArray(parent)) parent.splice(p[p.length - 1] as number, 1);
    else delete parent[p[p.length - 1] as string];
    return { root, what: `dropped ${p.join('.')}` };
  },
  set: (root, pick, value) => {
    const ps = paths(root).filter((p) => p.length > 0);
    if (ps.length === 0) return { root: value, what: `replaced all by ${JSON.stringify(value)}` };
    const p = ps[pick % ps.length]!;
    (parentOf(root, p) as Record<string, Json>)[p[p.length - 1]!] = value;
    return { root, what: `set ${p.join('.')} = ${JSON.stringify(value)?.slice(0, 60)}` };
  },
  unknown: (root, pick, value) => {
    const objects = paths(root).filter((p) => {
      const v = p.length === 0 ? root : (parentOf(root, [...p, '_']) as Json);
      return v !== null && typeof v === 'object' && !Array.isArray(v);
    });
    const p = objects[pick % Math.max(1, objects.length)] ?? [];
    const o = (p.length === 0 ? root : parentOf(root, [...p, '_'])) as Record<string, Json>;
    o[`unknown${pick % 7}`] = value;
    return { root, what: `unknown field at ${p.join('.') || '(top)'}` };
  },
  hugeCount: (root, pick) => {
    const r = root as Record<string, Json>;
    const n = [1e9, 1e7, 1_000_001, 2 ** 31, 1e6, 5000][pick % 6]!;
    if (r.model === 'phold') r[pick % 2 ? 'startEvents' : 'lps'] = n;
    else if (r.chain) (r.transactions = { ratePerSecond: n, count: n });
    else r.workload = { kind: 'broadcast', count: n };
    return { root, what: `huge count ${n}` };
  },
  deep: (root, pick) => {
    // A marker the text replaces with the nesting (toText): objects this deep would overflow the stack
    // of any recursive walk here.
    (root as Record<string, Json>)[['relay', 'workload', 'topology', 'faults'][pick % 4]!] = `${DEEP}${[10, 1000, 100_000][pick % 3]!}`;
    return { root, what: 'deeply nested field' };
  },
  large: (root, pick) => {
    // A very large file: an origins list of a million entries, or a huge unknown string.
    const r = root as Record<string, Json>;
    if (pick % 2) r.workload = { count: 1, origins: new Array<Json>(1_000_000).fill(0) };
    else r.name = 'x'.repeat(20_000_000);
    return { root, what: 'very large file' };
  },
};

/** Edge-list files a run must refuse in one line: missing, a directory, garbage, out-of-range ids. */
export function edgeListFiles(dir: string): string[] {
  mkdirSync(join(dir, 'a-directory'), { recursive: true });
  const files: Record<string, string | Buffer> = {
    'garbage.txt': 'hello world\n1 2 3\n',
    'binary.bin': Buffer.from([0, 255, 1, 254, 10, 0, 0]),
    'empty.txt': '',
    'range.txt': '0 1\n1 99999999\n',
    'negative.txt': '0 -1\n',
    'self.txt': '0 0\n1 1\n',
    'nan.txt': 'NaN Infinity\n',
    'ok.txt': '0 1\n1 2\n2 0\n',
  };
  for (const [f, body] of Object.entries(files)) writeFileSync(join(dir, f), body);
  return [...Object.keys(files).map((f) => join(dir, f)), join(dir, 'a-directory'), join(dir, 'missing.txt'), '/dev/null'];
}

/** Cases: a shipped scenario, one to three mutations; now and then a tiny run on an edge-list file. */
export function fuzzCases(edgeLists: readonly string[]): fc.Arbitrary<FuzzCase> {
  const mutated = fc
    .record({
      base: fc.nat({ max: shipped.length - 1 }),
      steps: fc.array(fc.record({ kind: fc.constantFrom(...Object.keys(MUTATIONS)), pick: fc.nat(), value: weird }), { minLength: 1, maxLength: 3 }),
      asText: fc.nat({ max: 9 }),
    })
    .map(({ base, steps, asText }): FuzzCase => {
      let root = clone(shipped[base]!.json);
      const what = [shipped[base]!.name];
      for (const s of steps) {
        const r = MUTATIONS[s.kind]!(root, s.pick, s.value);
        root = r.root;
        what.push(r.what);
      }
      let text = toText(root);
      // Now and then, not JSON at all: cut short, or NaN written bare.
      if (asText === 0) text = text.slice(0, Math.floor(text.length / 2));
      if (asText === 1) text = text.replace(/:\s*(\d+)/, ': NaN');
      return { text, command: 'validate', what: what.join('; ') };
    });
  const edgeList = fc
    .record({ file: fc.constantFrom(...edgeLists), nodes: fc.constantFrom(2, 3, 10, 1000), command: fc.constantFrom<'validate' | 'run'>('validate', 'run') })
    .map(({ file, nodes, command }): FuzzCase => ({
      text: JSON.stringify({ nodes, topology: { kind: 'edge-list', file }, latency: { kind: 'constant', ms: 10 }, durationMs: 10_000 }),
      command,
      what: `edge list ${file} on ${nodes} nodes (${command})`,
    }));
  return fc.oneof({ arbitrary: mutated, weight: 5 }, { arbitrary: edgeList, weight: 1 });
}

/** Runs the CLI on one case, written to `file`; kills it after `limitMs` (a hang). */
export function runCase(c: FuzzCase, file: string, limitMs: number): Promise<Outcome> {
  writeFileSync(file, c.text);
  const args = c.command === 'run' ? ['run', file, '--quiet', '--workers', '1'] : ['validate', file];
  const child = spawn(process.execPath, [CLI, ...args], { env: { ...process.env, P2PSIM_DEBUG: '', P2PSIM_FAULT: '' }, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    child.kill('SIGKILL');
  }, limitMs);
  return new Promise((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, stdout, stderr, timedOut });
    });
  });
}

/** What is wrong with an outcome, or null: the CLI's contract for any input. */
export function problem(o: Outcome): string | null {
  if (o.timedOut) return 'hang: killed after the time limit';
  if (o.signal !== null) return `killed by ${o.signal}`;
  if (/FATAL|Fatal|Segmentation|Native stack|Aborted \(core/.test(o.stderr)) return `V8 fatal error: ${o.stderr.slice(0, 300)}`;
  if (/\n\s+at /.test(o.stderr)) return `stack trace: ${o.stderr.slice(0, 300)}`;
  if (o.code === 0) return o.stderr === '' ? null : `exit 0 with stderr: ${o.stderr.slice(0, 300)}`;
  if (o.code !== 2) return `exit ${o.code}: ${o.stderr.slice(0, 300)}`;
  const lines = o.stderr.split('\n');
  if (lines.length !== 2 || lines[1] !== '' || !lines[0]!.startsWith('p2psim: ')) return `exit 2 without exactly one line: ${JSON.stringify(o.stderr.slice(0, 300))}`;
  return null;
}
