// The two ways a run can fail, so the CLI can answer each as the user needs:
// bad input is the user's to fix (one line naming the field, exit 2); a run failure is ours or the model's
// (one line naming the shard and cause, exit 1). Neither ever prints a stack trace.

/** Bad input: a scenario field, a flag or a file. `field` is a dotted path such as `topology.degree`. */
export class InputError extends Error {
  constructor(readonly field: string, readonly problem: string) {
    super(field ? `${field}: ${problem}` : problem);
    this.name = 'InputError';
  }
}

/** A failure during a run: a model error, a crashed or stuck shard, an interrupt. */
export class RunError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'RunError';
  }
}

/** A run stopped by a signal (SIGINT, SIGTERM): the CLI exits 128 + the signal's number, like a shell. */
export class Interrupted extends RunError {
  constructor(readonly signal: NodeJS.Signals) {
    super(`interrupted (${signal})`);
    this.name = 'Interrupted';
  }
}
