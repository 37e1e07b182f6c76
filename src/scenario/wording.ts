// Small helpers for the one-line errors every scenario rule words the same way.

/** Compact JSON of a user's value, short enough to keep the message on one readable line. */
export function show(value: unknown): string {
  let text: string;
  try {
    text = JSON.stringify(value) ?? String(value);
  } catch {
    text = String(value);
  }
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}

/** `"a"`, or `one of "a", "b"`. */
export function oneOf(values: readonly unknown[]): string {
  if (values.length === 1) return show(values[0]);
  return `one of ${values.map(show).join(', ')}`;
}

export function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** The object at `key` of what the user wrote, if it is one. */
export function objectAt(v: Record<string, unknown> | undefined, key: string): Record<string, unknown> | undefined {
  const x = v?.[key];
  return isPlainObject(x) ? x : undefined;
}
