// Turning user input (a JSON file, CLI overrides) into a valid Scenario, or into one line that says
// which field is wrong and why. The schema (schema.ts) holds the per-field rules; this module words
// zod's issues for people and adds the rules that relate one field to another.
import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { z } from 'zod';
import { InputError } from '../errors.js';
import { bitcoinParams } from './plan.js';
import { relaySchema, scenarioSchema, type Chain, type GossipScenario, type PholdScenario, type Relay, type Scenario } from './schema.js';

/** Validates an already-parsed JSON value; throws InputError naming the first bad field. */
export function parseScenario(raw: unknown): Scenario {
  // A file without `model` is a gossip scenario; saying so explicitly keeps the discriminated
  // union from reporting a missing discriminator.
  const input = isPlainObject(raw) && raw.model === undefined ? { ...raw, model: 'gossip' } : raw;
  const result = scenarioSchema.safeParse(input, { reportInput: true });
  if (!result.success) throw issueToError(result.error.issues[0]!, input);
  // Valid, so the input is an object: what the user wrote, before zod filled in the defaults.
  const written = input as Record<string, unknown>;
  if (result.data.model === 'gossip') checkGossip(result.data, written);
  else checkPhold(result.data);
  writtenInputs.set(result.data, written);
  return result.data;
}

/** Some fields of T made optional. */
type Loosen<T, K extends keyof T> = Omit<T, K> & Partial<Pick<T, K>>;

/** A gossip scenario as a result echoes it: with a chain, the fields that do not apply are absent. */
export type ResolvedGossipScenario = Loosen<Omit<GossipScenario, 'chain' | 'relay'>, 'protocol' | 'workload'> & {
  chain?: Omit<Chain, 'miners'> & { miners: Loosen<Chain['miners'], 'distribution'> };
  relay?: Loosen<Relay, (typeof COMPACT_ONLY)[number]>;
};
export type ResolvedScenario = PholdScenario | ResolvedGossipScenario;

/**
 * The scenario as run, every default filled in (with a chain, relay's too), less the defaults that do
 * not apply, which parseScenario rejects when written: with a chain, `protocol`, `workload`,
 * `chain.miners.distribution` unless miners are given by count, and the compact-only relay fields
 * unless relay.kind is "compact". A result's `scenario` is this, so it can be fed back as a scenario file.
 */
export function resolvedScenario(s: Scenario): ResolvedScenario {
  if (s.model !== 'gossip' || !s.chain) return s;
  const { distribution, ...miners } = s.chain.miners;
  const chain = { ...s.chain, miners: miners.count !== undefined ? { ...miners, distribution } : miners };
  // Without a relay section the run used relay's defaults; the echo says so.
  let relay: ResolvedGossipScenario['relay'] = s.relay ?? relaySchema.parse({});
  if (relay.kind !== 'compact') {
    const { compactShare: _share, compactBytes: _bytes, compactFailRate: _fail, missingShare: _missing, ...general } = relay;
    relay = general;
  }
  // Replacing keys in a spread keeps their places, so the echo reads in the schema's order.
  const { protocol: _protocol, workload: _workload, ...out } = { ...s, chain, relay };
  return out;
}

// The input behind each parsed scenario. Some rules concern what the user wrote, and a parsed
// scenario cannot tell a written value from a filled-in default; applyOverrides validates from this.
const writtenInputs = new WeakMap<Scenario, Record<string, unknown>>();

function checkPhold(s: PholdScenario): void {
  // The increment is Exp(mean - lookahead) + lookahead: a negative exponential mean means nothing.
  if (s.mean < s.lookahead) throw new InputError('mean', `must be >= lookahead (${s.lookahead}), got ${s.mean}`);
}

/** Reads and validates a scenario file; `baseDir` is where its relative paths (edge lists) resolve. */
export function loadScenarioFile(path: string): { scenario: Scenario; baseDir: string } {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    throw new InputError('', `cannot read ${path}: ${ioProblem(err)}`);
  }
  let raw: unknown;
  try {
    // Editors on Windows may save a byte-order mark, which JSON.parse rejects.
    raw = JSON.parse(text.replace(/^\uFEFF/, ''));
  } catch (err) {
    throw new InputError(path, `invalid JSON: ${jsonProblem(err, text)}`);
  }
  return { scenario: parseScenario(raw), baseDir: dirname(resolve(path)) };
}

export interface Overrides {
  nodes?: number;
  seed?: number;
}

/** Applies CLI overrides and validates again, so a flag is held to the same rules as the file. */
export function applyOverrides(s: Scenario, o: Overrides): Scenario {
  // From the input as written where known: re-validating the defaults would count them as written.
  const next: Record<string, unknown> = { ...(writtenInputs.get(s) ?? s) };
  // For PHOLD the logical processes are the "nodes".
  if (o.nodes !== undefined) next[s.model === 'phold' ? 'lps' : 'nodes'] = o.nodes;
  if (o.seed !== undefined) next.seed = o.seed;
  return parseScenario(next);
}

/** The scenario format as JSON Schema (draft 2020-12), for editor completion and `p2psim schema`. */
export function scenarioJsonSchema(): object {
  const generated = z.toJSONSchema(scenarioSchema, { io: 'input' }) as Record<string, unknown>;
  const variants = (generated.oneOf ?? []) as { properties?: Record<string, unknown> }[];
  // Editors complete from top-level `properties`; zod emits only a oneOf of the two models. Listing
  // every field at the top as well changes nothing about what validates (each variant stays strict)
  // but gives completion without first choosing a model.
  const properties: Record<string, unknown> = {};
  for (const v of variants) Object.assign(properties, v.properties ?? {});
  properties.model = {
    description: 'Simulation model; "gossip" when absent.',
    type: 'string',
    enum: ['gossip', 'phold'],
    default: 'gossip',
  };
  const { $schema, $id: _id, ...rest } = generated;
  return { $schema, title: 'p2psim scenario', type: 'object', properties, ...rest };
}

// ---- wording zod's issues ----

type Issue = z.core.$ZodIssue;

function issueToError(issue: Issue, root: unknown): InputError {
  const path = issue.path.map(String);
  const field = path.join('.') || 'scenario';
  const hasInput = 'input' in issue && issue.input !== undefined;
  const got = hasInput ? `, got ${show(issue.input)}` : '';
  const schema = schemaAt(scenarioSchema, issue.path, root);

  switch (issue.code) {
    case 'invalid_type': {
      if (!hasInput) return new InputError(field, 'is required');
      return new InputError(field, `must be ${typeName(issue.expected, schema)}${got}`);
    }
    case 'too_small':
    case 'too_big': {
      const small = issue.code === 'too_small';
      const bound = small ? issue.minimum : issue.maximum;
      const exclusive = issue.inclusive === false;
      return new InputError(field, `${sizeProblem(issue.origin, small, Number(bound), exclusive, schema)}${got}`);
    }
    case 'not_multiple_of':
      return new InputError(field, `must be a multiple of ${String(issue.divisor)}${got}`);
    case 'invalid_value':
      return new InputError(field, `must be ${oneOf(issue.values)}${got}`);
    case 'invalid_union': {
      // A discriminated union whose tag matches no variant: name the tag and its choices.
      if ('discriminator' in issue && typeof issue.discriminator === 'string') {
        const options = ((issue as { options?: unknown[] }).options ?? []).filter((v) => v != null);
        const value = isPlainObject(issue.input) ? issue.input[issue.discriminator] : undefined;
        const tagField = path.length && path.at(-1) === issue.discriminator ? field : joinPath(path, issue.discriminator);
        if (value === undefined) return new InputError(tagField, `is required (${oneOf(options)})`);
        return new InputError(tagField, `must be ${oneOf(options)}, got ${show(value)}`);
      }
      return new InputError(field, `does not match any allowed form${got}`);
    }
    case 'unrecognized_keys': {
      const [first, ...others] = issue.keys;
      const hint = suggestion(first!, schema);
      const also = others.length ? ` (also unknown: ${others.map((k) => joinPath(path, k)).join(', ')})` : '';
      return new InputError(joinPath(path, first!), `unknown field${hint}${also}`);
    }
    case 'invalid_format':
      return new InputError(field, `must be a valid ${issue.format}${got}`);
    default:
      // Codes this schema does not produce today; zod's own wording is still one line.
      return new InputError(field, `${oneLine(issue.message)}${got}`);
  }
}

function typeName(expected: string, schema: z.ZodType | undefined): string {
  if (expected === 'int' || expected === 'number') return numberRange(schema, expected === 'int');
  if (expected === 'object') return 'an object';
  if (expected === 'array') return 'an array';
  return `a ${expected}`;
}

/** "an integer >= 1", "a number > 0", "a number >= 0 and < 1": the whole rule, for a wrong type. */
function numberRange(schema: z.ZodType | undefined, int: boolean): string {
  const rule = numberRule(schema);
  const parts = [lowerBound(rule), upperBound(rule)].filter((p) => p !== undefined);
  const kind = int || rule.type === 'integer' ? 'an integer' : 'a number';
  return `${kind}${parts.length ? ' ' + parts.join(' and ') : ''}`;
}

interface NumberRule {
  type?: string;
  minimum?: number;
  exclusiveMinimum?: number;
  maximum?: number;
  exclusiveMaximum?: number;
}

// The JSON Schema form is zod's public, stable description of a number's checks.
function numberRule(schema: z.ZodType | undefined): NumberRule {
  if (!(schema instanceof z.ZodNumber)) return {};
  try {
    return z.toJSONSchema(schema, { io: 'input' }) as NumberRule;
  } catch {
    return {};
  }
}

function lowerBound(r: NumberRule): string | undefined {
  if (r.exclusiveMinimum !== undefined) return `> ${r.exclusiveMinimum}`;
  if (r.minimum !== undefined && r.minimum > Number.MIN_SAFE_INTEGER) return `>= ${r.minimum}`;
  return undefined;
}

function upperBound(r: NumberRule): string | undefined {
  if (r.exclusiveMaximum !== undefined) return `< ${r.exclusiveMaximum}`;
  // The safe-integer ceiling that .int() adds is not a rule anyone wrote down; leave it out.
  if (r.maximum !== undefined && r.maximum < Number.MAX_SAFE_INTEGER) return `<= ${r.maximum}`;
  return undefined;
}

function sizeProblem(origin: string, small: boolean, bound: number, exclusive: boolean, schema: z.ZodType | undefined): string {
  const op = small ? (exclusive ? '>' : '>=') : exclusive ? '<' : '<=';
  if (origin === 'array' || origin === 'set') {
    return `must have ${small ? 'at least' : 'at most'} ${bound} item(s)`;
  }
  if (origin === 'string') return `must have ${small ? 'at least' : 'at most'} ${bound} character(s)`;
  const rule = numberRule(schema);
  const isInt = origin === 'int' || rule.type === 'integer';
  // `.int()` adds a safe-integer range check that fires before a tighter written max; quote the written one.
  if (origin === 'int' && !small && rule.maximum !== undefined && rule.maximum < bound) bound = rule.maximum;
  return `must be ${isInt ? 'an integer' : 'a number'} ${op} ${bound}`;
}

function oneOf(values: readonly unknown[]): string {
  if (values.length === 1) return show(values[0]);
  return `one of ${values.map(show).join(', ')}`;
}

const ALIASES: Record<string, string> = { nodes: 'lps', lps: 'nodes' };

/** Offers the nearest known field for a likely typo, e.g. "degre" → "degree". */
function suggestion(key: string, schema: z.ZodType | undefined): string {
  if (!(schema instanceof z.ZodObject)) return '';
  const shape = schema.shape as Record<string, unknown>;
  // Names that mean the same thing in the other model; spelling distance would never find them.
  const alias = ALIASES[key];
  if (alias !== undefined && alias in shape) return ` (did you mean "${alias}"?)`;
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const known of Object.keys(shape)) {
    const d = editDistance(key.toLowerCase(), known.toLowerCase());
    if (d < bestDistance) [best, bestDistance] = [known, d];
  }
  return best !== undefined && bestDistance <= Math.max(1, Math.floor(key.length / 3)) ? ` (did you mean "${best}"?)` : '';
}

function editDistance(a: string, b: string): number {
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const cur = [i];
    for (let j = 1; j <= b.length; j++) {
      cur[j] = Math.min(prev[j]! + 1, cur[j - 1]! + 1, prev[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    prev = cur;
  }
  return prev[b.length]!;
}

/**
 * The schema that applies at `path` in `input`, following the input's own discriminator values
 * through unions. zod's issues do not say whether a number must be an integer or which keys an
 * object allows, and those make the message useful.
 */
function schemaAt(root: z.ZodType, path: readonly PropertyKey[], input: unknown): z.ZodType | undefined {
  let schema: z.ZodType | undefined = unwrap(root, input);
  let value = input;
  for (const key of path) {
    if (schema instanceof z.ZodObject) schema = (schema.shape as Record<string, z.ZodType>)[String(key)];
    else if (schema instanceof z.ZodArray) schema = schema.element as z.ZodType;
    else return undefined;
    value = isPlainObject(value) || Array.isArray(value) ? (value as Record<PropertyKey, unknown>)[key] : undefined;
    schema = schema && unwrap(schema, value);
  }
  return schema;
}

function unwrap(schema: z.ZodType, value: unknown): z.ZodType | undefined {
  for (;;) {
    if (schema instanceof z.ZodDefault || schema instanceof z.ZodOptional || schema instanceof z.ZodNullable) {
      schema = schema.unwrap() as z.ZodType;
    } else if (schema instanceof z.ZodDiscriminatedUnion) {
      const tag = schema._zod.def.discriminator;
      const v = isPlainObject(value) ? value[tag] : undefined;
      const match = (schema.options as z.ZodType[]).find((o) => o._zod.propValues?.[tag]?.has(v as never));
      if (!match) return undefined;
      schema = match;
    } else {
      return schema;
    }
  }
}

// ---- rules across fields (gossip) ----

// Both presets describe SimBlock's six regions (../shared/data/bitcoin-network-params.json).
const PRESET_REGION_COUNT = 6;
// The largest count in topology.outboundDistribution 'bitcoin-2015' (pmf over 1..20 outbound, same file).
const DISTRIBUTION_MAX_OUTBOUND = 20;

function checkGossip(s: GossipScenario, written: Record<string, unknown>): void {
  const n = s.nodes;
  const t = s.topology;
  const lessThanNodes = (field: string, value: number): void => {
    if (value >= n) throw new InputError(field, `must be < nodes (${n}), got ${value}`);
  };
  switch (t.kind) {
    case 'ring':
      // k neighbours on each side must be distinct nodes.
      if (2 * t.k >= n) throw new InputError('topology.k', `must be < nodes / 2 (${n / 2}), got ${t.k}`);
      break;
    case 'random-regular':
      lessThanNodes('topology.degree', t.degree);
      // A d-regular graph on n nodes has n*d/2 edges.
      if ((n * t.degree) % 2 !== 0) {
        throw new InputError('topology.degree', `must be even when nodes (${n}) is odd, got ${t.degree}`);
      }
      break;
    case 'small-world':
      lessThanNodes('topology.degree', t.degree);
      break;
    case 'scale-free':
      lessThanNodes('topology.m', t.m);
      break;
    case 'erdos-renyi':
      if (t.meanDegree > n - 1) throw new InputError('topology.meanDegree', `must be <= nodes - 1 (${n - 1}), got ${t.meanDegree}`);
      break;
    case 'bitcoin':
      if (t.outboundDistribution) {
        // topology.outbound is ignored. As with a fixed count, every node must find enough peers for
        // the most any node opens, and accept at least that many.
        const most = DISTRIBUTION_MAX_OUTBOUND;
        if (n <= most) throw new InputError('topology.outboundDistribution', `needs nodes > ${most} (its largest outbound count), got ${n}`);
        if (t.maxInbound < most) {
          throw new InputError('topology.maxInbound', `must be >= ${most} (the largest outbound count of topology.outboundDistribution), got ${t.maxInbound}`);
        }
        break;
      }
      lessThanNodes('topology.outbound', t.outbound);
      // Every outbound link is someone's inbound link, so on average inbound = outbound.
      if (t.maxInbound < t.outbound) {
        throw new InputError('topology.maxInbound', `must be >= topology.outbound (${t.outbound}), got ${t.maxInbound}`);
      }
      break;
    case 'edge-list':
      break;
  }

  const regionCount = checkLatency(s);
  checkBandwidth(s, regionCount);
  // Before the workload's own rules: with a chain, a written workload is the mistake to report.
  checkChain(s, written);
  checkWorkload(s);
  checkFaults(s);
}

/** Returns the number of regions when latency is by region. */
function checkLatency(s: GossipScenario): number | undefined {
  const l = s.latency;
  if (l.kind === 'uniform' && l.maxMs < l.minMs) {
    throw new InputError('latency.maxMs', `must be >= latency.minMs (${l.minMs}), got ${l.maxMs}`);
  }
  if (l.kind !== 'regions') return undefined;

  if (!l.preset) {
    if (!l.regions) throw new InputError('latency.regions', 'is required when latency.preset is not set');
    if (!l.matrixMs) throw new InputError('latency.matrixMs', 'is required when latency.preset is not set');
  }
  const regions = l.regions?.length ?? PRESET_REGION_COUNT;
  if (l.regions) {
    const seen = new Set<string>();
    l.regions.forEach((r, i) => {
      if (seen.has(r.name)) throw new InputError(`latency.regions.${i}.name`, `is a duplicate, got ${show(r.name)}`);
      seen.add(r.name);
    });
    if (!(l.regions.reduce((sum, r) => sum + r.share, 0) > 0)) {
      throw new InputError('latency.regions', 'shares must sum to more than 0, got all 0');
    }
  }
  if (l.matrixMs) {
    // Rows are "from", columns "to"; asymmetric matrices are allowed (measured paths differ).
    if (l.matrixMs.length !== regions) {
      throw new InputError('latency.matrixMs', `must have ${regions} rows (one per region), got ${l.matrixMs.length}`);
    }
    l.matrixMs.forEach((row, i) => {
      if (row.length !== regions) {
        throw new InputError(`latency.matrixMs.${i}`, `must have ${regions} items (one per region), got ${row.length}`);
      }
    });
    if (l.distribution === 'pareto') {
      l.matrixMs.forEach((row, i) =>
        row.forEach((ms, j) => {
          // SimBlock's Pareto has scale (entry - 5 ms), which must be positive.
          if (ms <= 5) throw new InputError(`latency.matrixMs.${i}.${j}`, `must be > 5 with distribution "pareto", got ${ms}`);
        }),
      );
    }
  } else if (regions !== PRESET_REGION_COUNT) {
    throw new InputError(
      'latency.regions',
      `must have ${PRESET_REGION_COUNT} items to use the matrix of preset ${show(l.preset)} (or give latency.matrixMs), got ${regions}`,
    );
  }
  return regions;
}

function checkBandwidth(s: GossipScenario, regions: number | undefined): void {
  const b = s.bandwidth;
  if (!b) return;
  const needRegions = (field: string): number => {
    if (regions === undefined) {
      throw new InputError(field, `needs latency.kind "regions", got latency.kind ${show(s.latency.kind)}`);
    }
    return regions;
  };
  if (b.perRegion) {
    const r = needRegions('bandwidth.perRegion');
    for (const dir of ['uploadMbps', 'downloadMbps'] as const) {
      const len = b.perRegion[dir].length;
      if (len !== r) throw new InputError(`bandwidth.perRegion.${dir}`, `must have ${r} items (one per region), got ${len}`);
    }
  }
  if (b.preset) {
    const r = needRegions('bandwidth.preset');
    if (r !== PRESET_REGION_COUNT) {
      throw new InputError('bandwidth.preset', `needs ${PRESET_REGION_COUNT} latency regions (the preset's), got ${r}`);
    }
  }
}

function checkWorkload(s: GossipScenario): void {
  const w = s.workload;
  if (w.origins) {
    if (w.origins.length !== 1 && w.origins.length !== w.count) {
      throw new InputError('workload.origins', `must have 1 or workload.count (${w.count}) items, got ${w.origins.length}`);
    }
    w.origins.forEach((o, i) => {
      if (o >= s.nodes) throw new InputError(`workload.origins.${i}`, `must be < nodes (${s.nodes}), got ${o}`);
    });
  }
  if (w.atMs) {
    if (w.ratePerSecond !== undefined) {
      throw new InputError('workload.ratePerSecond', 'cannot be combined with workload.atMs');
    }
    if (w.atMs.length !== w.count) {
      throw new InputError('workload.atMs', `must have workload.count (${w.count}) items, got ${w.atMs.length}`);
    }
  }
}

/** Each fault's fields against each other and against the nodes and regions of the scenario. */
function checkFaults(s: GossipScenario): void {
  const l = s.latency;
  // The names a fault may use: those of latency.regions, else the preset's (the order plan.ts uses).
  const known = l.kind === 'regions' ? (l.regions?.map((r) => r.name) ?? bitcoinParams().regions) : undefined;
  const checkRegions = (field: string, names: readonly string[]): void => {
    if (!known) throw new InputError(field, `needs latency.kind "regions", got latency.kind ${show(l.kind)}`);
    names.forEach((name, j) => {
      if (!known.includes(name)) throw new InputError(`${field}.${j}`, `must be ${oneOf(known)}, got ${show(name)}`);
    });
  };
  const checkWindow = (at: string, fromMs: number, toMs: number | undefined): void => {
    if (toMs !== undefined && toMs <= fromMs) throw new InputError(`${at}.toMs`, `must be > ${at}.fromMs (${fromMs}), got ${toMs}`);
  };

  (s.faults ?? []).forEach((f, i) => {
    const at = `faults.${i}`;
    switch (f.kind) {
      case 'crash': {
        // Each selection reads its own field; a field another selection reads would be silently ignored.
        if (f.regions && f.select !== 'region') throw new InputError(`${at}.regions`, `needs ${at}.select "region", got ${at}.select ${show(f.select)}`);
        if (f.ids && f.select !== 'ids') throw new InputError(`${at}.ids`, `needs ${at}.select "ids", got ${at}.select ${show(f.select)}`);
        if (f.select === 'ids') {
          if (!f.ids) throw new InputError(`${at}.ids`, `is required when ${at}.select is "ids"`);
          const seen = new Set<number>();
          f.ids.forEach((v, j) => {
            if (v >= s.nodes) throw new InputError(`${at}.ids.${j}`, `must be < nodes (${s.nodes}), got ${v}`);
            if (seen.has(v)) throw new InputError(`${at}.ids.${j}`, `is a duplicate, got ${v}`);
            seen.add(v);
          });
        } else if (f.fraction === undefined) {
          throw new InputError(`${at}.fraction`, `is required when ${at}.select is ${show(f.select)}`);
        }
        if (f.select === 'region') {
          if (!f.regions) throw new InputError(`${at}.regions`, `is required when ${at}.select is "region"`);
          checkRegions(`${at}.regions`, f.regions);
        }
        if (f.recoverAtMs !== undefined && f.recoverAtMs <= f.atMs) {
          throw new InputError(`${at}.recoverAtMs`, `must be > ${at}.atMs (${f.atMs}), got ${f.recoverAtMs}`);
        }
        break;
      }
      case 'partition': {
        if (f.regions && f.fractions) throw new InputError(at, 'must give only one of regions or fractions, got regions and fractions');
        if (f.regions) checkRegions(`${at}.regions`, f.regions);
        else if (f.fractions) {
          const sum = f.fractions.reduce((a, b) => a + b, 0);
          if (Math.abs(sum - 1) > 1e-9) throw new InputError(`${at}.fractions`, `must sum to 1, got ${Number(sum.toPrecision(12))}`);
        } else throw new InputError(at, 'must give one of regions or fractions, got none');
        checkWindow(at, f.fromMs, f.toMs);
        break;
      }
      case 'loss':
        checkWindow(at, f.fromMs, f.toMs);
        break;
      case 'churn':
        break;
    }
  });
}

// The 16 pools of chain.miners.preset "bitcoin-pools-2016" (mining_pools_bitcoin_2016, same file).
const PRESET_POOL_COUNT = 16;
const MINER_SOURCES = ['shares', 'preset', 'count'] as const;
// SimBlock's compact-block figures: they describe relay.kind "compact" and nothing else.
const COMPACT_ONLY = ['compactShare', 'compactBytes', 'compactFailRate', 'missingShare'] as const;

/** The blockchain layer's rules; `written` is the input before defaults, for rules about what was given. */
function checkChain(s: GossipScenario, written: Record<string, unknown>): void {
  const c = s.chain;
  if (!c) {
    if (s.relay) throw new InputError('relay', 'needs a chain section');
    if (s.transactions) throw new InputError('transactions', 'needs a chain section');
    return;
  }
  if (written.protocol !== undefined) {
    throw new InputError('protocol', 'cannot be combined with chain (blocks travel as relay says); remove protocol');
  }
  if (written.workload !== undefined) {
    throw new InputError('workload', "cannot be combined with chain (blocks are the chain's workload); remove workload");
  }

  // Without `miners` the default preset applies; a written `miners` must name its one source itself.
  const writtenMiners = objectAt(objectAt(written, 'chain'), 'miners');
  const n = s.nodes;
  const m = c.miners;
  if (writtenMiners) {
    const given = MINER_SOURCES.filter((k) => writtenMiners[k] !== undefined);
    if (given.length > 1) throw new InputError('chain.miners', `must give only one of shares, preset or count, got ${given.join(' and ')}`);
    if (given.length === 0) throw new InputError('chain.miners', 'must give one of shares, preset or count, got none');
    if (writtenMiners.distribution !== undefined && given[0] !== 'count') {
      throw new InputError('chain.miners.distribution', `needs chain.miners.count, got chain.miners.${given[0]}`);
    }
  }
  let miners: number;
  if (m.shares) {
    miners = m.shares.length;
    if (miners > n) throw new InputError('chain.miners.shares', `must have at most nodes (${n}) items, got ${miners}`);
  } else if (m.count !== undefined) {
    miners = m.count;
    if (miners > n) throw new InputError('chain.miners.count', `must be <= nodes (${n}), got ${miners}`);
  } else {
    miners = PRESET_POOL_COUNT;
    if (miners > n) {
      const [field, what] = writtenMiners ? ['chain.miners.preset', 'one node per pool'] : ['chain.miners', `the default preset ${show(m.preset)}, one node per pool`];
      throw new InputError(field, `needs nodes >= ${miners} (${what}), got ${n}`);
    }
  }
  if (m.nodes) {
    if (m.nodes.length !== miners) throw new InputError('chain.miners.nodes', `must have one node per miner (${miners}), got ${m.nodes.length}`);
    const seen = new Set<number>();
    m.nodes.forEach((v, i) => {
      if (v >= n) throw new InputError(`chain.miners.nodes.${i}`, `must be < nodes (${n}), got ${v}`);
      if (seen.has(v)) throw new InputError(`chain.miners.nodes.${i}`, `is a duplicate, got ${v}`);
      seen.add(v);
    });
  }
  // Secure and super nodes are drawn from the nodes that do not mine.
  const roles = c.roles.secure + c.roles.super;
  if (roles > n - miners) {
    throw new InputError('chain.roles', `secure + super must be <= nodes - miners (${n - miners}), got ${roles}`);
  }

  const r = c.rewardShares;
  const sum = r.miner + r.secure + r.super + r.treasury;
  if (Math.abs(sum - 1) > 1e-9) {
    throw new InputError('chain.rewardShares', `must sum to 1 (miner + secure + super + treasury, defaults included), got ${Number(sum.toPrecision(12))}`);
  }

  const writtenRelay = objectAt(written, 'relay');
  if (s.relay && writtenRelay && s.relay.kind !== 'compact') {
    for (const k of COMPACT_ONLY) {
      if (writtenRelay[k] !== undefined) throw new InputError(`relay.${k}`, `needs relay.kind "compact", got relay.kind ${show(s.relay.kind)}`);
    }
  }
}

// ---- small helpers ----

function objectAt(v: Record<string, unknown> | undefined, key: string): Record<string, unknown> | undefined {
  const x = v?.[key];
  return isPlainObject(x) ? x : undefined;
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function joinPath(path: readonly string[], key: string): string {
  return [...path, key].join('.');
}

/** Compact JSON of a user's value, short enough to keep the message on one readable line. */
function show(value: unknown): string {
  let text: string;
  try {
    text = JSON.stringify(value) ?? String(value);
  } catch {
    text = String(value);
  }
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}

function oneLine(text: string): string {
  return text.replace(/\s*\n\s*/g, ' ').trim();
}

function ioProblem(err: unknown): string {
  const code = (err as NodeJS.ErrnoException).code;
  switch (code) {
    case 'ENOENT':
      return 'no such file';
    case 'EISDIR':
      return 'is a directory';
    case 'EACCES':
    case 'EPERM':
      return 'permission denied';
    default:
      return oneLine(code ?? (err instanceof Error ? err.message : String(err)));
  }
}

/** JSON.parse's message, on one line, with a line and column instead of a character offset. */
function jsonProblem(err: unknown, text: string): string {
  const raw = oneLine(err instanceof Error ? err.message : String(err));
  const at = /at position (\d+)/.exec(raw);
  const offset = at ? Number(at[1]) : errorOffset(text);
  // V8 quotes a snippet of the text ("... is not valid JSON"); the line and column say it better.
  const message = raw.replace(/ in JSON at position \d+.*$/, '').replace(/, \S*".*" is not valid JSON$/, '');
  if (text.trim() === '') return 'the file is empty';
  if (offset === undefined) return message;
  const before = text.slice(0, offset).split('\n');
  return `${message} (line ${before.length}, column ${before.at(-1)!.length + 1})`;
}

/**
 * Where parsing goes wrong, for V8 messages that carry no position ("Unexpected token"). A prefix
 * is fine while its only fault is being cut short, so the first bad prefix ends at the culprit.
 */
function errorOffset(text: string): number | undefined {
  const fineSoFar = (end: number): boolean => {
    try {
      JSON.parse(text.slice(0, end));
      return true;
    } catch (e) {
      const m = e instanceof Error ? e.message : '';
      if (m.includes('end of JSON input')) return true;
      const at = /at position (\d+)/.exec(m);
      return at !== null && Number(at[1]) >= end;
    }
  };
  if (fineSoFar(text.length)) return undefined;
  let lo = 0;
  let hi = text.length;
  while (hi - lo > 1) {
    const mid = (lo + hi) >>> 1;
    if (fineSoFar(mid)) lo = mid;
    else hi = mid;
  }
  return hi - 1;
}
