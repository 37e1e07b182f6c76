// The structure of the code, drawn from its imports: the engine stands on the ground floor (it imports
// nothing outside src/engine/, and nothing in it puts a shard in a thread), no module imports itself
// through others, the code that serves every model never names one, the simulation draws with
// src/math.ts (which the page swaps for portable functions), and no file points outside the repository.
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = join(import.meta.dirname, '..');

function sources(dir: string): string[] {
  return readdirSync(join(ROOT, dir), { recursive: true, encoding: 'utf8' })
    .filter((f) => f.endsWith('.ts') && !f.endsWith('.d.ts'))
    .map((f) => join(dir, f));
}

const FILES = [...sources('src'), ...sources('workers')];

/** Every module a file imports (type-only imports too), as repository paths or bare specifiers. */
function imports(file: string): string[] {
  const text = readFileSync(join(ROOT, file), 'utf8');
  const specs = [...text.matchAll(/^\s*(?:import|export)\s[^;]*?from\s+'([^']+)'/gms)].map((m) => m[1]!);
  return specs.map((s) => (s.startsWith('.') ? relative(ROOT, resolve(ROOT, dirname(file), s)).replace(/\.js$/, '.ts') : s));
}

const GRAPH = new Map(FILES.map((f) => [f, imports(f)]));

describe('architecture', () => {
  it('the engine imports only the engine, and nothing of worker threads', () => {
    const engine = FILES.filter((f) => f.startsWith('src/engine/'));
    expect(engine.length).toBeGreaterThan(5);
    for (const f of engine) {
      for (const dep of GRAPH.get(f)!) {
        expect(dep.startsWith('src/engine/') ? 'engine' : `${f} imports ${dep}`).toBe('engine');
      }
    }
  });

  it('draws exp, log, cos, sin and pow from src/math.ts, never from Math', () => {
    // Allowed: the ports and src/math.ts itself, and code that draws nothing a run depends on (plots,
    // sweep statistics, the page's layout).
    const free = (f: string) => /^src\/(math\.ts|portable-[a-z]+\.ts|plots\/|sweep\/|viz\/page\/)/.test(f);
    const offenders = FILES.filter((f) => !free(f)).flatMap((f) =>
      readFileSync(join(ROOT, f), 'utf8')
        .split('\n')
        .filter((line) => !/^\s*(\/\/|\*)/.test(line) && /Math\.(exp|log|cos|sin|pow)\(/.test(line))
        .map((line) => `${f}: ${line.trim()}`),
    );
    expect(offenders).toEqual([]);
  });

  it('has no import loop', () => {
    const state = new Map<string, 'open' | 'done'>();
    const loops: string[] = [];
    const visit = (f: string, path: string[]): void => {
      if (state.get(f) === 'done') return;
      if (state.get(f) === 'open') {
        loops.push([...path.slice(path.indexOf(f)), f].join(' -> '));
        return;
      }
      state.set(f, 'open');
      for (const dep of GRAPH.get(f) ?? []) if (GRAPH.has(dep)) visit(dep, [...path, f]);
      state.set(f, 'done');
    };
    for (const f of FILES) visit(f, []);
    expect(loops).toEqual([]);
  });

  it('the coordinator, result, CLI and summary name no model', () => {
    for (const f of ['src/run.ts', 'src/result.ts', 'src/cli.ts', 'src/report.ts', 'workers/shard-worker.ts']) {
      const code = readFileSync(join(ROOT, f), 'utf8').replace(/^\s*(\/\/|\*|\/\*\*).*$/gm, '').replace(/^import .*$/gm, '');
      expect(code.match(/'(gossip|chain|phold|flood|diffusion|trickle)'/g), f).toBeNull();
    }
  });

  it('no file in src/ points outside the repository', () => {
    for (const f of FILES) {
      const text = readFileSync(join(ROOT, f), 'utf8');
      expect(text.match(/DESIGN|\.\.\/shared|\/work\//g), f).toBeNull();
    }
  });
});
