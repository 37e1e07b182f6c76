// The messages between the page and its simulation worker, in one file.
import type { VizEvent } from '../session.js';
import type { VizNetwork, VizRun } from '../sim.js';

export type ToWorker =
  | { readonly type: 'init'; readonly written: Record<string, unknown>; readonly spare: number }
  | { readonly type: 'run'; readonly id: number; readonly events: readonly VizEvent[] };

export type FromWorker =
  | { readonly type: 'network'; readonly network: VizNetwork }
  | { readonly type: 'run'; readonly id: number; readonly run: VizRun }
  | { readonly type: 'error'; readonly message: string };
