// The sweep's progress bar on stderr (a terminal only): runs done of all, running, failed, time left.
import type { SingleBar } from 'cli-progress';

export interface RunProgress {
  start(total: number, alreadyDone: number): void;
  update(done: number, running: number, failed: number): void;
  stop(): void;
}

/** A bar when stderr is a terminal and not --quiet; else nothing is drawn. */
export async function runProgress(enabled: boolean): Promise<RunProgress> {
  if (!enabled) return { start: () => undefined, update: () => undefined, stop: () => undefined };
  const { default: cliProgress } = await import('cli-progress');
  const bar: SingleBar = new cliProgress.SingleBar(
    {
      stream: process.stderr,
      format: 'runs {value}/{total} |{bar}| {percentage}% | running {running} | failed {failed} | ETA {eta_formatted}',
      barsize: 30,
      hideCursor: true,
      clearOnComplete: true,
      // The ETA from the recent pace: runs finish in bursts of one per pool thread.
      etaBuffer: 50,
    },
    cliProgress.Presets.shades_classic,
  );
  let started = false;
  return {
    start: (total, alreadyDone) => {
      bar.start(total, alreadyDone, { running: 0, failed: 0 });
      started = true;
    },
    update: (done, running, failed) => bar.update(done, { running, failed }),
    stop: () => {
      if (started) bar.stop();
    },
  };
}
