// Turning user input (a JSON file, CLI overrides) into a valid Scenario, or into one line that says
// which field is wrong and why. The schema (schema.ts) holds the per-field rules; this module words
// zod's issues for people and adds the rules that relate one field to another.
import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { z } from 'zod';
import { InputError } from '../errors.js';
import { MODEL_NAMES, modelOf, scenarioSchema, type ResolvedScenario, type Scenario } from '../models/registry.js';
import { isPlainObject, oneOf, show } from './wording.js';

/**
 * The model a written scenario is for. A file without `model` is a gossip scenario, and a chain
 * scenario when it has a `chain` section; so is one that says "gossip" and has one (the format from
 * before "chain" was a model of its own). Saying so explicitly keeps the discriminated union from
 * reporting a missing discriminator.
 */
function withModel(raw: unknown): unknown {
  if (!isPlainObject(raw)) return raw;
  if (raw.model === undefined || (raw.model === 'gossip' && raw.chain !== undefined)) return { ...raw, model: raw.chain !== undefined ? 'chain' : 'gossip' };
  return raw;
}

/** Validates an already-parsed JSON value; throws InputError naming the first bad field. */
export function parseScenario(raw: unknown): Scenario {
  const input = withModel(raw);
  const result = scenarioSchema.safeParse(input, { reportInput: true });
  if (!result.success) throw issueToError(result.error.issues[0]!, input);
  // Valid, so the input is an object: what the user wrote, before zod filled in the defaults.
  const written = input as Record<string, unknown>;
  modelOf(result.data).check(result.data, written);
  writtenInputs.set(result.data, written);
  return result.data;
}

/**
 * The scenario as run, every default filled in, less the defaults that do not apply (which the checks
 * reject when written). A result's `scenario` is this, so it can be fed back as a scenario file.
 */
export function resolvedScenario(s: Scenario): ResolvedScenario {
  return modelOf(s).resolved(s) as ResolvedScenario;
}

// The input behind each parsed scenario. Some rules concern what the user wrote, and a parsed
// scenario cannot tell a written value from a filled-in default; applyOverrides validates from this.
const writtenInputs = new WeakMap<Scenario, Record<string, unknown>>();

/** Reads and validates a scenario file; `baseDir` is where its relative paths (edge lists) resolve. */
export function loadScenarioFile(path: string): { scenario: Scenario; baseDir: string } {
  return { scenario: parseScenario(readJsonFile(path)), baseDir: dirname(resolve(path)) };
}

/** A JSON file's value, or an InputError saying in one line why it cannot be read or parsed. */
export function readJsonFile(path: string): unknown {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    throw new InputError('', `cannot read ${path}: ${ioProblem(err)}`);
  }
  try {
    // Editors on Windows may save a byte-order mark, which JSON.parse rejects.
    return JSON.parse(text.replace(/^\uFEFF/, ''));
  } catch (err) {
    throw new InputError(path, `invalid JSON: ${jsonProblem(err, text)}`);
  }
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
  if (o.nodes !== undefined) next[modelOf(s).sizeField] = o.nodes;
  if (o.seed !== undefined) next.seed = o.seed;
  return parseScenario(next);
}

/** The scenario format as JSON Schema (draft 2020-12), for editor completion and `p2psim schema`. */
export function scenarioJsonSchema(): object {
  const generated = z.toJSONSchema(scenarioSchema, { io: 'input' }) as Record<string, unknown>;
  const variants = (generated.oneOf ?? []) as { properties?: Record<string, unknown> }[];
  // Editors complete from top-level `properties`; zod emits only a oneOf of the models. Listing
  // every field at the top as well changes nothing about what validates (each variant stays strict)
  // but gives completion without first choosing a model.
  const properties: Record<string, unknown> = {};
  for (const v of variants) Object.assign(properties, v.properties ?? {});
  properties.model = {
    description: 'Simulation model; when absent, "chain" if the file has a chain section, else "gossip".',
    type: 'string',
    enum: MODEL_NAMES,
    default: 'gossip',
  };
  const { $schema, $id: _id, ...rest } = generated;
  return { $schema, title: 'p2psim scenario', type: 'object', properties, ...rest };
}

// ---- wording zod's issues ----

type Issue = z.core.$ZodIssue;

/**
 * One zod issue as one line naming the field. `rootSchema` is the schema `root` was checked against:
 * scenarios by default; sweep files (src/sweep/spec.ts) word their issues the same way.
 */
export function issueToError(issue: Issue, root: unknown, rootSchema: z.ZodType = scenarioSchema, whole = 'scenario'): InputError {
  const path = issue.path.map(String);
  const field = path.join('.') || whole;
  const hasInput = 'input' in issue && issue.input !== undefined;
  const got = hasInput ? `, got ${show(issue.input)}` : '';
  const schema = schemaAt(rootSchema, issue.path, root);

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

// ---- small helpers ----

function joinPath(path: readonly string[], key: string): string {
  return [...path, key].join('.');
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
