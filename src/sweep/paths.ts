// Dotted paths into plain JSON values: `chain.blockIntervalS` into a scenario (the grid's axes),
// `messages.0.t90Ms` into a result (the metrics). A numeric segment indexes an array.

/** A dotted path: names or array indices separated by dots, no empty segment. */
export const PATH_PATTERN = /^[A-Za-z_$][\w$]*(\.([A-Za-z_$][\w$]*|\d+))*$/;

export function isPath(text: string): boolean {
  return PATH_PATTERN.test(text);
}

/** The value at `path` in `value`, or undefined when any step is missing. */
export function getAt(value: unknown, path: string): unknown {
  let v = value;
  for (const key of path.split('.')) {
    if (Array.isArray(v) && /^\d+$/.test(key)) v = v[Number(key)];
    else if (typeof v === 'object' && v !== null && !Array.isArray(v)) v = (v as Record<string, unknown>)[key];
    else return undefined;
  }
  return v;
}

/**
 * A copy of `root` with `value` at `path`; missing objects on the way are created. Nothing of `root` is
 * changed, so every cell starts from the same base. A step into a value that is neither an object nor
 * an array throws, naming how far the path got.
 */
export function setAt(root: Record<string, unknown>, path: string, value: unknown): Record<string, unknown> {
  const keys = path.split('.');
  const copy = structuredClone(root);
  let v: unknown = copy;
  for (let i = 0; i < keys.length; i++) {
    const key = keys[i]!;
    const last = i === keys.length - 1;
    if (Array.isArray(v)) {
      if (!/^\d+$/.test(key)) throw new Error(`${keys.slice(0, i).join('.')} is a list; "${key}" is not an index`);
      const idx = Number(key);
      if (idx > v.length) throw new Error(`${keys.slice(0, i).join('.')} has ${v.length} item(s); index ${idx} would leave a gap`);
      if (last) v[idx] = structuredClone(value);
      else v = v[idx] ??= {};
    } else if (typeof v === 'object' && v !== null) {
      const o = v as Record<string, unknown>;
      if (last) o[key] = structuredClone(value);
      else v = o[key] ??= {};
    } else {
      throw new Error(`${keys.slice(0, i).join('.')} is ${JSON.stringify(v)}, not an object`);
    }
  }
  return copy;
}

/** JSON with object keys sorted at every depth: the same value always gives the same text (for hashes). */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(sortKeys(value));
}

function sortKeys(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(sortKeys);
  if (typeof v === 'object' && v !== null) {
    const o = v as Record<string, unknown>;
    return Object.fromEntries(Object.keys(o).sort().map((k) => [k, sortKeys(o[k])]));
  }
  return v;
}
