// The page's simulation thread: a Web Worker holding the engine host (../sim.ts). The page sends the
// clicks so far; the worker runs the scenario they make from t = 0 to its end and sends back what the
// page draws (docs/viz.md, "How the page keeps time").
import { InputError } from '../../errors.js';
import { prepareBase, VizSimulator } from '../sim.js';
import type { FromWorker, ToWorker } from './protocol.js';

let sim: VizSimulator | null = null;

function post(msg: FromWorker): void {
  (self as unknown as { postMessage(m: FromWorker): void }).postMessage(msg);
}

self.onmessage = (e: MessageEvent<ToWorker>) => {
  const msg = e.data;
  try {
    if (msg.type === 'init') {
      sim = new VizSimulator(prepareBase(msg.written, msg.spare));
      post({ type: 'network', network: sim.network });
    } else if (sim) {
      post({ type: 'run', id: msg.id, run: sim.run(msg.events) });
    }
  } catch (err) {
    post({ type: 'error', message: err instanceof InputError ? err.message : err instanceof Error ? err.message : String(err) });
  }
};
