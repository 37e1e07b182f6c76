// Bundles the visualizer page for the browser with esbuild, at build time (`npm run build`): the page
// and its worker, with the engine's code as it is, the few Node built-ins it names replaced by the
// shims in shims/ (the page reads no files and hashes with its own SHA-256), and src/math.ts by the
// portable functions (./math.ts), so the page draws the bits Node draws.
import { readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build, type Plugin } from 'esbuild';

/** The repository root, from dist/src/viz/ (compiled) or src/viz/ (source). */
const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), import.meta.url.includes('/dist/') ? '../../..' : '../..');
export const PAGE_DIR = join(ROOT, 'dist', 'viz-page');

const SHIMS = ['fs', 'path', 'url', 'crypto'];

const nodeShims: Plugin = {
  name: 'p2psim-node-shims',
  setup(b) {
    b.onResolve({ filter: /^node:/ }, (args) => {
      const name = args.path.slice('node:'.length);
      if (!SHIMS.includes(name)) return { errors: [{ text: `${args.importer} imports ${args.path}, which the page cannot have` }] };
      return { path: join(ROOT, 'src', 'viz', 'shims', `${name}.ts`) };
    });
  },
};

const MATH = join(ROOT, 'src', 'math.ts');
const portableMath: Plugin = {
  name: 'p2psim-portable-math',
  setup(b) {
    b.onResolve({ filter: /(^|\/)math\.js$/ }, (args) => {
      const target = resolve(args.resolveDir, args.path.replace(/\.js$/, '.ts'));
      return target === MATH ? { path: join(ROOT, 'src', 'viz', 'math.ts') } : undefined;
    });
  },
};

export async function bundlePage(outdir = PAGE_DIR): Promise<void> {
  await build({
    entryPoints: { main: join(ROOT, 'src/viz/page/main.ts'), worker: join(ROOT, 'src/viz/page/worker.ts') },
    outdir,
    bundle: true,
    format: 'esm',
    platform: 'browser',
    target: 'es2022',
    minify: true,
    sourcemap: false,
    legalComments: 'none',
    logLevel: 'warning',
    plugins: [nodeShims, portableMath],
    define: { __P2PSIM_BITCOIN_PARAMS__: JSON.stringify(readFileSync(join(ROOT, 'data', 'bitcoin-network-params.json'), 'utf8')) },
  });
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) await bundlePage();
