// --trace: a Chrome trace-event file (opens in Perfetto or chrome://tracing), one track per shard with
// its busy and barrier-wait spans. Spans were coalesced inside the shards, so the file stays bounded.
import { writeAtomically } from './files.js';
import type { Result } from './result.js';

export function writeTrace(r: Result, file: string): void {
  const events: object[] = [{ name: 'process_name', ph: 'M', pid: 1, args: { name: 'p2psim' } }];
  const t0 = Math.min(...(r.trace ?? []).map((s) => (s.length ? s[0]! : Infinity)));
  (r.trace ?? []).forEach((spans, shard) => {
    events.push({ name: 'thread_name', ph: 'M', pid: 1, tid: shard, args: { name: `shard ${shard}` } });
    for (let i = 0; i < spans.length; i += 3) {
      const start = (spans[i]! - t0) * 1000;
      const busy = spans[i + 1]! * 1000;
      const wait = spans[i + 2]! * 1000;
      events.push({ name: 'busy', ph: 'X', pid: 1, tid: shard, ts: +start.toFixed(1), dur: +busy.toFixed(1) });
      if (wait > 0) events.push({ name: 'wait', ph: 'X', pid: 1, tid: shard, ts: +(start + busy).toFixed(1), dur: +wait.toFixed(1) });
    }
  });
  writeAtomically(file, JSON.stringify({ traceEvents: events, displayTimeUnit: 'ms' }));
}
