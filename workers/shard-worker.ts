// One shard's thread. piscina hosts it (DESIGN §7): the pool has exactly one long-lived task per thread,
// so piscina owns thread start-up, error and exit propagation, resource limits and teardown. The task
// exposes the shard's typed control plane over comlink on the MessagePort it was handed; the data plane
// (windows, batches, barrier) is shared memory and never touches either.
import * as Comlink from 'comlink';
import nodeEndpoint from 'comlink/dist/esm/node-adapter.mjs';
import type { ShardApi, ShardTask } from '../src/engine/messages.js';
import { Shard } from '../src/engine/shard.js';
import { linkFor, makeModel } from '../src/models/index.js';

export default async function shardTask({ port, init }: ShardTask): Promise<void> {
  const shard = new Shard(init);
  const model = makeModel(init.plan, init.members);
  const plan = init.plan;
  const net = plan.model === 'phold' ? null : plan;
  shard.attach(model, linkFor(plan, init.region), net?.uploadMbps ?? null, net?.downloadMbps ?? null);
  await new Promise<void>((resolve) => {
    const api: ShardApi = {
      run: () => shard.run(),
      collect: () => {
        const out = model.outcome();
        return Comlink.transfer(out, Object.values(out.perNode).map((a) => a.buffer as ArrayBuffer));
      },
      close: () => resolve(),
    };
    Comlink.expose(api, nodeEndpoint(port));
  });
  port.close();
}
