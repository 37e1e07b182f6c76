// `p2psim viz [FILE]`: checks the scenario as `run` would, serves the page on 127.0.0.1 and waits for
// Ctrl-C. Bad input (the file, a flag, a scenario the page cannot draw) is one line, exit 2, before
// anything is served.
import { spawn } from 'node:child_process';
import { InputError } from '../errors.js';
import { readJsonFile } from '../scenario/load.js';
import { defaultChainScenario, defaultScenario } from './session.js';
import { prepareBase } from './sim.js';
import { startVizServer } from './server.js';

export interface VizFlags {
  port?: string;
  open?: boolean;
  chain?: boolean;
  spare?: string;
  nodes?: string;
  seed?: string;
}

/** Room for the nodes the page can add, by default (docs/viz.md, "Adding nodes"). */
export const DEFAULT_SPARE = 200;

function intFlag(flag: string, text: string, min: number, max: number): number {
  const n = Number(text);
  if (!/^\d+$/.test(text.trim()) || n < min || n > max) throw new InputError(flag, `must be an integer >= ${min} and <= ${max}, got ${text}`);
  return n;
}

export async function vizCommand(file: string | undefined, flags: VizFlags, io: { stdout: (t: string) => void }): Promise<void> {
  const port = flags.port === undefined ? 0 : intFlag('--port', flags.port, 0, 65535);
  const spare = flags.spare === undefined ? DEFAULT_SPARE : intFlag('--spare', flags.spare, 0, 10_000);
  let written: Record<string, unknown>;
  if (file === undefined) {
    const nodes = flags.nodes === undefined ? 500 : intFlag('--nodes', flags.nodes, 2, 10_000);
    written = flags.chain ? defaultChainScenario(nodes) : defaultScenario(nodes);
  } else {
    if (flags.chain) throw new InputError('--chain', 'picks the built-in chain network and cannot be combined with a FILE (a file with a chain section runs as a chain)');
    const raw = readJsonFile(file);
    if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) throw new InputError(file, 'must be a JSON object');
    written = { ...(raw as Record<string, unknown>) };
    if (flags.nodes !== undefined) written.nodes = intFlag('--nodes', flags.nodes, 2, 10_000);
  }
  if (flags.seed !== undefined) written.seed = intFlag('--seed', flags.seed, 0, 2 ** 32 - 1);
  // The page makes the same checks; made here first, so a bad file fails in the terminal, not the page.
  prepareBase(written, spare);
  let server;
  try {
    server = await startVizServer({ written, spare, port });
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new InputError('--port', `cannot listen on 127.0.0.1:${port}${code ? ` (${code})` : ''}`);
  }
  io.stdout(`p2psim viz: ${server.url} (Ctrl-C to stop)\n`);
  if (flags.open) openBrowser(server.url);
  await new Promise<void>((done) => {
    const stop = () => {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      done();
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
  });
  await server.close();
}

/** The system's way to open a URL; failing to is not an error (the URL is printed). */
function openBrowser(url: string): void {
  const [cmd, args] = process.platform === 'darwin' ? ['open', [url]] : process.platform === 'win32' ? ['cmd', ['/c', 'start', '', url]] : ['xdg-open', [url]];
  try {
    const child = spawn(cmd, args, { detached: true, stdio: 'ignore' });
    child.on('error', () => undefined);
    child.unref();
  } catch {
    // No opener on this machine: the printed URL is enough.
  }
}
