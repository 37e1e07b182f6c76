// Ctrl-C (SIGINT) and SIGTERM (what Kubernetes, Slurm and `kill` send) stop a sweep the same way: no new
// run starts, the runs in flight are abandoned, and nothing is written but complete files.

/** Calls `stop` on the first SIGINT or SIGTERM until the returned function is called. */
export function onInterrupt(stop: (signal: string) => void): () => void {
  const handler = (signal: NodeJS.Signals): void => stop(signal);
  process.on('SIGINT', handler);
  process.on('SIGTERM', handler);
  return () => {
    process.off('SIGINT', handler);
    process.off('SIGTERM', handler);
  };
}
