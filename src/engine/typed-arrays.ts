// Growing typed arrays, for the structures that cannot reserve their size up front (the queue's
// records, requests in flight, connection lists, logs): a larger array of the same kind, contents kept.

type Growable = Float64Array | Int32Array | Uint32Array | Uint8Array | Int8Array;

/** Copies `from` into the start of the larger `to` and returns `to`. */
export function resize<T extends Growable>(from: T, to: T): T {
  to.set(from as never);
  return to;
}

/** A copy of `a` with twice its length (at least 8). */
export function doubled<T extends Growable>(a: T): T {
  return resize(a, new (a.constructor as new (length: number) => T)(Math.max(8, 2 * a.length)));
}
