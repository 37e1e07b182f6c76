// The visualizer's local web server: the page, its two bundles and the scenario, on 127.0.0.1 only.
// The page runs the simulation itself (docs/viz.md); the server computes nothing. It sends the
// cross-origin isolation headers, without which the page's worker would have no SharedArrayBuffer.
import { existsSync, readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { bundlePage, PAGE_DIR } from './bundle.js';
import { pageHtml } from './html.js';

export interface VizServer {
  readonly url: string;
  close(): Promise<void>;
}

export interface VizServe {
  /** The scenario as written (after --nodes and --seed). */
  readonly written: Record<string, unknown>;
  readonly spare: number;
  /** 0: a free port. */
  readonly port: number;
}

const ISOLATED = {
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Embedder-Policy': 'require-corp',
  'Cross-Origin-Resource-Policy': 'same-origin',
  'Cache-Control': 'no-store',
};

let bundling: Promise<void> | null = null;
/** The bundles, built by `npm run build`; built here on the first request when they are missing. */
function bundles(): Promise<void> {
  if (existsSync(join(PAGE_DIR, 'main.js')) && existsSync(join(PAGE_DIR, 'worker.js'))) return Promise.resolve();
  return (bundling ??= bundlePage());
}

export function startVizServer(opts: VizServe): Promise<VizServer> {
  const title = typeof opts.written.name === 'string' ? opts.written.name : 'p2psim';
  const server: Server = createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0];
    const reply = (status: number, type: string, body: string | Buffer) => {
      res.writeHead(status, { 'Content-Type': type, ...ISOLATED });
      res.end(body);
    };
    if (req.method !== 'GET') return reply(405, 'text/plain', 'GET only\n');
    if (path === '/' || path === '/index.html') return reply(200, 'text/html; charset=utf-8', pageHtml(title));
    if (path === '/scenario.json') return reply(200, 'application/json', JSON.stringify({ written: opts.written, spare: opts.spare }));
    if (path === '/main.js' || path === '/worker.js') {
      bundles().then(
        () => reply(200, 'text/javascript; charset=utf-8', readFileSync(join(PAGE_DIR, path.slice(1)))),
        (e: unknown) => reply(500, 'text/plain', `bundling the page failed: ${e instanceof Error ? e.message : String(e)}\n`),
      );
      return;
    }
    if (path === '/favicon.ico') return reply(204, 'image/x-icon', '');
    reply(404, 'text/plain', 'not found\n');
  });
  return new Promise((resolveServer, reject) => {
    server.once('error', reject);
    server.listen(opts.port, '127.0.0.1', () => {
      const { port } = server.address() as AddressInfo;
      resolveServer({
        url: `http://127.0.0.1:${port}/`,
        close: () => new Promise((done) => server.close(() => done())),
      });
    });
  });
}
