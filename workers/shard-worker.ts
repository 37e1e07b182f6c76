// One shard's thread: the one place that puts the engine in a thread. piscina hosts it: the pool has
// exactly one long-lived task per thread, so piscina owns thread start-up, error and exit propagation,
// resource limits and teardown. The task builds the shard from its model's shard module and the fault
// schedule, and exposes its control plane over comlink on the MessagePort it was handed; the data
// plane (windows, batches, barrier) is shared memory and never touches either.
import * as Comlink from 'comlink';
import nodeEndpoint from 'comlink/dist/esm/node-adapter.mjs';
import type { ShardApi } from '../src/engine/messages.js';
import { Shard } from '../src/engine/shard.js';
import { ScheduledFaults } from '../src/faults/schedule.js';
import type { ShardModule } from '../src/models/definition.js';
import type { ShardTask, Warmup } from '../src/tasks.js';

export default async function shardTask(task: ShardTask | Warmup): Promise<void> {
  if ('warmup' in task) return; // the thread has loaded this module: that is all a warmup asks
  const { port, init, plan, shardModule, region, faults } = task;
  // The model's shard module alone: the definition and its validation code stay on the main thread.
  const part = (await import(shardModule)) as ShardModule<typeof plan>;
  const { model, taps, link } = await part.shard(plan, init.members, region, init.offsets);
  const shard = new Shard(init, { model, link, faults: faults && new ScheduledFaults(faults), taps });
  shard.start();
  await new Promise<void>((resolve) => {
    const api: ShardApi = {
      run: () => shard.run(),
      collect: () => {
        const out = shard.outcomes();
        const buffers = [out.model, ...out.taps].flatMap((o) => Object.values(o.perNode).map((a) => a.buffer as ArrayBuffer));
        return Comlink.transfer(out, buffers);
      },
      close: () => resolve(),
    };
    Comlink.expose(api, nodeEndpoint(port));
  });
  port.close();
}
