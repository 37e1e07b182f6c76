// The anonymity and join sections of a result, read defensively: they come from models and observers
// that may or may not be in the build that wrote the file, so a section that is absent, or not of the
// shape below, is left out of the report rather than failing it.

export interface AnonymityView {
  estimators: { name: string; recall: number; precision: number; recallCi95: [number, number] | null; messages: number }[];
}

export interface JoinsView {
  joined: number;
  synced: number;
  neverSynced: number;
  syncMs: { p50: number; p90: number; max: number } | null;
  peakBytes: number | null;
}

type Loose = Record<string, unknown>;

const isObject = (x: unknown): x is Loose => typeof x === 'object' && x !== null && !Array.isArray(x);
const isNum = (x: unknown): x is number => typeof x === 'number' && Number.isFinite(x);

/** [lo, hi] from an array of two numbers or an object {lo, hi} (or {low, high}). */
function interval(x: unknown): [number, number] | null {
  if (Array.isArray(x) && x.length === 2 && isNum(x[0]) && isNum(x[1])) return [x[0], x[1]];
  if (isObject(x)) {
    const lo = x.lo ?? x.low;
    const hi = x.hi ?? x.high;
    if (isNum(lo) && isNum(hi)) return [lo, hi];
  }
  return null;
}

export function anonymityOf(result: object): AnonymityView | null {
  const a = (result as Loose).anonymity;
  if (!isObject(a) || !Array.isArray(a.estimators)) return null;
  const estimators = a.estimators.flatMap((e: unknown) => {
    if (!isObject(e) || typeof e.name !== 'string' || !isNum(e.recall) || !isNum(e.precision)) return [];
    return [{ name: e.name, recall: e.recall, precision: e.precision, recallCi95: interval(e.recallCi95), messages: isNum(e.messages) ? e.messages : 0 }];
  });
  return estimators.length ? { estimators } : null;
}

export function joinsOf(result: object): JoinsView | null {
  const r = result as Loose;
  const j = r.joins;
  if (!isObject(j) || !isNum(j.joined) || !isNum(j.synced) || !isNum(j.neverSynced)) return null;
  const s = j.syncMs;
  const syncMs = isObject(s) && isNum(s.p50) && isNum(s.p90) && isNum(s.max) ? { p50: s.p50, p90: s.p90, max: s.max } : null;
  // `storage` may sit in the joins section or beside it.
  const storage = isObject(j.storage) ? j.storage : isObject(r.storage) ? r.storage : null;
  const peakBytes = storage && isNum(storage.peakBytes) ? storage.peakBytes : null;
  return { joined: j.joined, synced: j.synced, neverSynced: j.neverSynced, syncMs, peakBytes };
}
