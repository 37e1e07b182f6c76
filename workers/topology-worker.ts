// Builds the topology in a short-lived thread. Why: a generator's scratch arrays (64 MiB for a
// 1M-node random-regular graph) would otherwise stay on the main thread's heap for the whole run, since
// an idle main thread never collects them; here they die with the thread. The graph itself lives in
// SharedArrayBuffers and comes back without a copy.
import { InputError } from '../src/errors.js';
import type { TopologyResult, TopologyTask } from '../src/tasks.js';
import { buildTopology } from '../src/topology/generators.js';

export default function buildGraph({ spec, nodes, seed, baseDir }: TopologyTask): TopologyResult {
  try {
    return { graph: buildTopology(spec, nodes, seed, baseDir) };
  } catch (e) {
    // Error classes do not survive the thread boundary; the field and problem do.
    if (e instanceof InputError) return { error: { field: e.field, problem: e.problem } };
    throw e;
  }
}
