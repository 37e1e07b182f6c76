// Typed arrays on SharedArrayBuffers: what the coordinator builds once (graph, assignment, fault
// schedule) and every shard reads without a copy.

export function sharedInt32(length: number): Int32Array {
  return new Int32Array(new SharedArrayBuffer(length * Int32Array.BYTES_PER_ELEMENT));
}

export function sharedUint8(length: number): Uint8Array {
  return new Uint8Array(new SharedArrayBuffer(length));
}
