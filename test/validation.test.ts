// The scenario format's contract with the user: every bad input is one line that names the field and
// the problem, exactly as written here; every shipped scenario is valid.
import { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { InputError } from '../src/errors.js';
import { applyOverrides, loadScenarioFile, parseScenario, scenarioJsonSchema } from '../src/scenario/load.js';

const SCENARIOS = join(import.meta.dirname, '..', 'scenarios');

function errorOf(f: () => unknown): string {
  try {
    f();
  } catch (err) {
    expect(err).toBeInstanceOf(InputError);
    const message = (err as Error).message;
    expect(message).not.toContain('\n');
    return message;
  }
  throw new Error('expected an InputError, got none');
}

const rr = (degree: unknown) => ({ topology: { kind: 'random-regular', degree } });
const regions2 = [
  { name: 'a', share: 1 },
  { name: 'b', share: 1 },
];

describe('schema rules, worded per zod issue', () => {
  it.each<[string, unknown, string]>([
    ['integer minimum', rr(0), 'topology.degree: must be an integer >= 1, got 0'],
    ['not an integer', rr(1.5), 'topology.degree: must be an integer >= 1, got 1.5'],
    ['wrong type, with the rule', rr('8'), 'topology.degree: must be an integer >= 1, got "8"'],
    ['positive number', { latency: { kind: 'constant', ms: 0 } }, 'latency.ms: must be a number > 0, got 0'],
    ['exclusive maximum', { latency: { kind: 'regions', preset: 'bitcoin-2019', jitter: 1 } }, 'latency.jitter: must be a number < 1, got 1'],
    ['range on a wrong type', { latency: { kind: 'regions', preset: 'bitcoin-2019', jitter: 'x' } }, 'latency.jitter: must be a number >= 0 and < 1, got "x"'],
    ['integer maximum', { seed: 2 ** 32 }, 'seed: must be an integer <= 4294967295, got 4294967296'],
    ['written max beats the safe-integer one', { nodes: 1e300 }, 'nodes: must be an integer <= 50000000, got 1e+300'],
    ['nodes minimum', { nodes: 1 }, 'nodes: must be an integer >= 2, got 1'],
    ['multiple of', { topology: { kind: 'small-world', degree: 3 } }, 'topology.degree: must be a multiple of 2, got 3'],
    ['required field', { latency: { kind: 'uniform', minMs: 1 } }, 'latency.maxMs: is required'],
    ['string type', { name: 5 }, 'name: must be a string, got 5'],
    ['object type', { topology: 'ring' }, 'topology: must be an object, got "ring"'],
    ['empty array', { workload: { origins: [] } }, 'workload.origins: must have at least 1 item(s), got []'],
    ['array element path uses dots', { workload: { origins: [1, 2, 3, -1] } }, 'workload.origins.3: must be an integer >= 0, got -1'],
    ['empty string', { latency: { kind: 'regions', regions: [{ name: '', share: 1 }], matrixMs: [[1]] } }, 'latency.regions.0.name: must have at least 1 character(s), got ""'],
    ['enum', { latency: { kind: 'regions', distribution: 'normal' } }, 'latency.distribution: must be one of "uniform", "pareto", got "normal"'],
    ['literal', { workload: { kind: 'gossip' } }, 'workload.kind: must be "broadcast", got "gossip"'],
    [
      'unknown discriminator',
      { topology: { kind: 'mesh' } },
      'topology.kind: must be one of "ring", "random-regular", "erdos-renyi", "bitcoin", "small-world", "scale-free", "edge-list", got "mesh"',
    ],
    [
      'missing discriminator',
      { latency: {} },
      'latency.kind: is required (one of "constant", "uniform", "lognormal", "regions")',
    ],
    ['unknown model', { model: 'bitcoin' }, 'model: must be one of "gossip", "chain", "phold", got "bitcoin"'],
    ['chain model without its section', { model: 'chain' }, 'chain: is required'],
    ['unknown field', { topology: { kind: 'ring', k: 1, extra: true } }, 'topology.extra: unknown field'],
    ['unknown field, typo', { topology: { kind: 'random-regular', degre: 8 } }, 'topology.degre: unknown field (did you mean "degree"?)'],
    ['unknown fields, listed', { foo: 1, bar: 2 }, 'foo: unknown field (also unknown: bar)'],
    ['other model\'s name', { model: 'phold', nodes: 10 }, 'nodes: unknown field (did you mean "lps"?)'],
    ['phold rule', { model: 'phold', remote: 2 }, 'remote: must be a number <= 1, got 2'],
    ['root not an object', 42, 'scenario: must be an object, got 42'],
    ['root array', [], 'scenario: must be an object, got []'],
    ['root null', null, 'scenario: must be an object, got null'],
  ])('%s', (_, input, message) => {
    expect(errorOf(() => parseScenario(input))).toBe(message);
  });

  it('truncates long values', () => {
    const message = errorOf(() => parseScenario({ topology: { kind: 'bitcoin', outbound: 'x'.repeat(200) } }));
    expect(message).toBe(`topology.outbound: must be an integer >= 1, got "${'x'.repeat(56)}...`);
  });

  it('fills defaults and treats a missing model as gossip', () => {
    const s = parseScenario({});
    expect(s.model).toBe('gossip');
    if (s.model !== 'gossip') return;
    expect(s.nodes).toBe(100_000);
    expect(s.topology).toEqual({ kind: 'random-regular', degree: 8 });
  });
});

describe('rules across fields', () => {
  const regionLatency = (extra: object) => ({ kind: 'regions', ...extra });
  it.each<[string, unknown, string]>([
    ['random-regular degree < nodes', { nodes: 8, ...rr(8) }, 'topology.degree: must be < nodes (8), got 8'],
    ['random-regular nodes*degree even', { nodes: 9, ...rr(3) }, 'topology.degree: must be even when nodes (9) is odd, got 3'],
    ['small-world degree < nodes', { nodes: 6, topology: { kind: 'small-world', degree: 6 } }, 'topology.degree: must be < nodes (6), got 6'],
    ['ring 2k < nodes', { nodes: 10, topology: { kind: 'ring', k: 5 } }, 'topology.k: must be < nodes / 2 (5), got 5'],
    ['scale-free m < nodes', { nodes: 4, topology: { kind: 'scale-free', m: 4 } }, 'topology.m: must be < nodes (4), got 4'],
    ['erdos-renyi mean degree', { nodes: 4, topology: { kind: 'erdos-renyi', meanDegree: 3.5 } }, 'topology.meanDegree: must be <= nodes - 1 (3), got 3.5'],
    ['bitcoin outbound < nodes', { nodes: 8, topology: { kind: 'bitcoin', outbound: 8 } }, 'topology.outbound: must be < nodes (8), got 8'],
    ['bitcoin inbound room', { topology: { kind: 'bitcoin', outbound: 8, maxInbound: 7 } }, 'topology.maxInbound: must be >= topology.outbound (8), got 7'],
    [
      'bitcoin outbound distribution needs nodes > 20',
      { nodes: 20, topology: { kind: 'bitcoin', outbound: 8, outboundDistribution: 'bitcoin-2015' } },
      'topology.outboundDistribution: needs nodes > 20 (its largest outbound count), got 20',
    ],
    [
      'bitcoin outbound distribution inbound room',
      { topology: { kind: 'bitcoin', maxInbound: 19, outboundDistribution: 'bitcoin-2015' } },
      'topology.maxInbound: must be >= 20 (the largest outbound count of topology.outboundDistribution), got 19',
    ],
    ['uniform latency order', { latency: { kind: 'uniform', minMs: 80, maxMs: 20 } }, 'latency.maxMs: must be >= latency.minMs (80), got 20'],
    ['regions need a preset or regions', { latency: regionLatency({}) }, 'latency.regions: is required when latency.preset is not set'],
    ['regions need a matrix without preset', { latency: regionLatency({ regions: regions2 }) }, 'latency.matrixMs: is required when latency.preset is not set'],
    ['matrix rows', { latency: regionLatency({ regions: regions2, matrixMs: [[1, 2]] }) }, 'latency.matrixMs: must have 2 rows (one per region), got 1'],
    ['matrix columns', { latency: regionLatency({ regions: regions2, matrixMs: [[1, 2], [3]] }) }, 'latency.matrixMs.1: must have 2 items (one per region), got 1'],
    [
      'region shares',
      { latency: regionLatency({ regions: regions2.map((r) => ({ ...r, share: 0 })), matrixMs: [[1, 2], [2, 1]] }) },
      'latency.regions: shares must sum to more than 0, got all 0',
    ],
    [
      'region names unique',
      { latency: regionLatency({ regions: [regions2[0], regions2[0]], matrixMs: [[1, 2], [2, 1]] }) },
      'latency.regions.1.name: is a duplicate, got "a"',
    ],
    [
      'preset matrix needs six regions',
      { latency: regionLatency({ preset: 'bitcoin-2019', regions: regions2 }) },
      'latency.regions: must have 6 items to use the matrix of preset "bitcoin-2019" (or give latency.matrixMs), got 2',
    ],
    [
      'perRegion needs regions latency',
      { bandwidth: { perRegion: { uploadMbps: [1], downloadMbps: [1] } } },
      'bandwidth.perRegion: needs latency.kind "regions", got latency.kind "constant"',
    ],
    [
      'perRegion length',
      { latency: regionLatency({ regions: regions2, matrixMs: [[1, 2], [2, 1]] }), bandwidth: { perRegion: { uploadMbps: [1, 2], downloadMbps: [1] } } },
      'bandwidth.perRegion.downloadMbps: must have 2 items (one per region), got 1',
    ],
    ['bandwidth preset needs regions latency', { bandwidth: { preset: 'bitcoin-2019' } }, 'bandwidth.preset: needs latency.kind "regions", got latency.kind "constant"'],
    [
      'bandwidth preset needs six regions',
      { latency: regionLatency({ regions: regions2, matrixMs: [[1, 2], [2, 1]] }), bandwidth: { preset: 'bitcoin-2015' } },
      "bandwidth.preset: needs 6 latency regions (the preset's), got 2",
    ],
    ['origin < nodes', { nodes: 10, workload: { count: 2, origins: [3, 10] } }, 'workload.origins.1: must be < nodes (10), got 10'],
    ['origins count', { workload: { count: 3, origins: [1, 2] } }, 'workload.origins: must have 1 or workload.count (3) items, got 2'],
    ['atMs count', { workload: { count: 3, atMs: [0, 5] } }, 'workload.atMs: must have workload.count (3) items, got 2'],
    ['atMs or rate', { workload: { atMs: [0], ratePerSecond: 2 } }, 'workload.ratePerSecond: cannot be combined with workload.atMs'],
    ['relay needs chain', { relay: { kind: 'compact' } }, 'relay: needs a chain section'],
    ['transactions need chain', { transactions: { ratePerSecond: 1 } }, 'transactions: needs a chain section'],
    ['chain takes no protocol', { chain: {}, protocol: { kind: 'flood' } }, 'protocol: cannot be combined with chain (blocks travel as relay says); remove protocol'],
    ['chain takes no workload', { chain: {}, workload: { count: 2 } }, "workload: cannot be combined with chain (blocks are the chain's workload); remove workload"],
    [
      'miners from one source',
      { chain: { miners: { shares: [1, 2], count: 2 } } },
      'chain.miners: must give only one of shares, preset or count, got shares and count',
    ],
    [
      'miners from one source, all three',
      { chain: { miners: { shares: [1, 2], preset: 'bitcoin-pools-2016', count: 2 } } },
      'chain.miners: must give only one of shares, preset or count, got shares and preset and count',
    ],
    ['miners need a source', { chain: { miners: {} } }, 'chain.miners: must give one of shares, preset or count, got none'],
    ['miners distribution alone', { chain: { miners: { distribution: 'normal' } } }, 'chain.miners: must give one of shares, preset or count, got none'],
    [
      'miners distribution needs count',
      { chain: { miners: { preset: 'bitcoin-pools-2016', distribution: 'equal' } } },
      'chain.miners.distribution: needs chain.miners.count, got chain.miners.preset',
    ],
    ['miners distribution with shares', { chain: { miners: { shares: [1], distribution: 'normal' } } }, 'chain.miners.distribution: needs chain.miners.count, got chain.miners.shares'],
    ['miner count <= nodes', { nodes: 10, chain: { miners: { count: 11 } } }, 'chain.miners.count: must be <= nodes (10), got 11'],
    ['miner shares <= nodes', { nodes: 10, chain: { miners: { shares: new Array(11).fill(1) } } }, 'chain.miners.shares: must have at most nodes (10) items, got 11'],
    ['miner preset <= nodes', { nodes: 10, chain: { miners: { preset: 'bitcoin-pools-2016' } } }, 'chain.miners.preset: needs nodes >= 16 (one node per pool), got 10'],
    [
      'default miner preset <= nodes',
      { nodes: 10, chain: {} },
      'chain.miners: needs nodes >= 16 (the default preset "bitcoin-pools-2016", one node per pool), got 10',
    ],
    [
      'roles fit beside the miners',
      { nodes: 20, chain: { miners: { count: 10 }, roles: { secure: 6, super: 5 } } },
      'chain.roles: secure + super must be <= nodes - miners (10), got 11',
    ],
    [
      'reward shares sum to 1',
      { chain: { rewardShares: { miner: 0.7 } } },
      'chain.rewardShares: must sum to 1 (miner + secure + super + treasury, defaults included), got 1.1',
    ],
    [
      'compact figures need compact relay',
      { chain: {}, relay: { kind: 'inv-getdata', compactBytes: 1000 } },
      'relay.compactBytes: needs relay.kind "compact", got relay.kind "inv-getdata"',
    ],
    ['compact share needs compact relay', { chain: {}, relay: { kind: 'unsolicited', compactShare: 0.5 } }, 'relay.compactShare: needs relay.kind "compact", got relay.kind "unsolicited"'],
    ['compact failures need compact relay', { chain: {}, relay: { kind: 'unsolicited', compactFailRate: 0 } }, 'relay.compactFailRate: needs relay.kind "compact", got relay.kind "unsolicited"'],
    ['missing share needs compact relay', { chain: {}, relay: { kind: 'inv-getdata', missingShare: 0.1 } }, 'relay.missingShare: needs relay.kind "compact", got relay.kind "inv-getdata"'],
  ])('%s', (_, input, message) => {
    expect(errorOf(() => parseScenario(input))).toBe(message);
  });

  it.each<[string, unknown]>([
    ['asymmetric matrix', { latency: { kind: 'regions', regions: regions2, matrixMs: [[1, 2], [3, 1]] } }],
    ['preset with explicit matrix override', { latency: { kind: 'regions', preset: 'bitcoin-2015', regions: regions2, matrixMs: [[1, 2], [2, 1]] } }],
    ['bandwidth preset with latency preset', { latency: { kind: 'regions', preset: 'bitcoin-2015' }, bandwidth: { preset: 'bitcoin-2019' } }],
    ['one origin for many messages', { workload: { count: 5, origins: [0] } }],
    ['phold end below lookahead', { model: 'phold', end: 0.5, lookahead: 1 }],
    ['even degree with odd nodes', { nodes: 9, ...rr(4) }],
    ['bitcoin outbound ignored under a distribution', { nodes: 21, topology: { kind: 'bitcoin', outbound: 30, maxInbound: 20, outboundDistribution: 'bitcoin-2015' } }],
    ['a chain with every default', { chain: {} }],
    ['the default miner preset on exactly 16 nodes', { nodes: 16, chain: {} }],
    ['miner count with a distribution, roles filling the rest', { nodes: 20, chain: { miners: { count: 10, distribution: 'normal' }, roles: { secure: 5, super: 5 } } }],
    ['every node a miner', { nodes: 10, chain: { miners: { shares: new Array(10).fill(1) } } }],
    ['reward shares summing to 1 in floating point', { chain: { rewardShares: { miner: 0.7, secure: 0.1, super: 0, treasury: 0.2 } } }],
    ['transactions with unsolicited relay', { chain: {}, relay: { kind: 'unsolicited' }, transactions: { ratePerSecond: 3 } }],
    ['compact figures with the default relay kind', { chain: {}, relay: { compactBytes: 1000, missingShare: 0 } }],
  ])('accepts %s', (_, input) => {
    expect(() => parseScenario(input)).not.toThrow();
  });
});

describe('faults', () => {
  const crash = (extra: object) => ({ faults: [{ kind: 'crash', ...extra }] });
  const partition = (extra: object) => ({ faults: [{ kind: 'partition', fromMs: 100, toMs: 200, ...extra }] });
  const byRegion = { latency: { kind: 'regions', regions: regions2, matrixMs: [[1, 2], [2, 1]] } };
  const churn = (session: object) => ({ faults: [{ kind: 'churn', share: 0.5, session, downtime: { kind: 'exponential', meanMs: 10 } }] });
  it.each<[string, unknown, string]>([
    ['unknown kind', { faults: [{ kind: 'flood' }] }, 'faults.0.kind: must be one of "crash", "churn", "partition", "loss", got "flood"'],
    ['crash fraction a probability', crash({ fraction: 1.5 }), 'faults.0.fraction: must be a number <= 1, got 1.5'],
    ['pareto mean exists', churn({ kind: 'pareto', shape: 1, scaleMs: 5 }), 'faults.0.session.shape: must be a number > 1, got 1'],
    ['distribution kind', churn({ kind: 'normal', meanMs: 5 }), 'faults.0.session.kind: must be one of "exponential", "weibull", "pareto", got "normal"'],
    ['partition fractions at most 255', partition({ fractions: new Array(256).fill(0) }), `faults.0.fractions: must have at most 255 item(s), got [${new Array(256).fill(0).join(',').slice(0, 56)}...`],
    ['recoverAtMs after atMs', crash({ fraction: 0.1, atMs: 500, recoverAtMs: 500 }), 'faults.0.recoverAtMs: must be > faults.0.atMs (500), got 500'],
    ['recoverAtMs after the default atMs', { faults: [{ kind: 'loss', rate: 0.1 }, { kind: 'crash', fraction: 0.1, recoverAtMs: 0 }] }, 'faults.1.recoverAtMs: must be a number > 0, got 0'],
    ['crash regions need region latency', crash({ select: 'region', fraction: 0.5, regions: ['a'] }), 'faults.0.regions: needs latency.kind "regions", got latency.kind "constant"'],
    ['crash regions named', { ...byRegion, ...crash({ select: 'region', fraction: 0.5, regions: ['a', 'c'] }) }, 'faults.0.regions.1: must be one of "a", "b", got "c"'],
    [
      'preset region names',
      { latency: { kind: 'regions', preset: 'bitcoin-2019' }, ...crash({ select: 'region', fraction: 0.5, regions: ['EUROPE', 'europe'] }) },
      'faults.0.regions.1: must be one of "NORTH_AMERICA", "EUROPE", "SOUTH_AMERICA", "ASIA_PACIFIC", "JAPAN", "AUSTRALIA", got "europe"',
    ],
    ['ids < nodes', { nodes: 10, ...crash({ select: 'ids', ids: [0, 10] }) }, 'faults.0.ids.1: must be < nodes (10), got 10'],
    ['ids distinct', { nodes: 10, ...crash({ select: 'ids', ids: [3, 4, 3] }) }, 'faults.0.ids.2: is a duplicate, got 3'],
    ['select region needs regions', { ...byRegion, ...crash({ select: 'region', fraction: 0.5 }) }, 'faults.0.regions: is required when faults.0.select is "region"'],
    ['select ids needs ids', crash({ select: 'ids' }), 'faults.0.ids: is required when faults.0.select is "ids"'],
    ['select random needs fraction', crash({}), 'faults.0.fraction: is required (or faults.0.count) when faults.0.select is "random"'],
    ['select highest-degree needs fraction', crash({ select: 'highest-degree' }), 'faults.0.fraction: is required (or faults.0.count) when faults.0.select is "highest-degree"'],
    ['select region needs fraction', { ...byRegion, ...crash({ select: 'region', regions: ['a'] }) }, 'faults.0.fraction: is required (or faults.0.count) when faults.0.select is "region"'],
    ['regions need select region', { ...byRegion, ...crash({ fraction: 0.5, regions: ['a'] }) }, 'faults.0.regions: needs faults.0.select "region", got faults.0.select "random"'],
    ['ids need select ids', crash({ fraction: 0.5, select: 'highest-degree', ids: [1] }), 'faults.0.ids: needs faults.0.select "ids", got faults.0.select "highest-degree"'],
    ['partition regions need region latency', partition({ regions: ['a'] }), 'faults.0.regions: needs latency.kind "regions", got latency.kind "constant"'],
    ['partition regions named', { ...byRegion, ...partition({ regions: ['z'] }) }, 'faults.0.regions.0: must be one of "a", "b", got "z"'],
    ['partition fractions sum to 1', partition({ fractions: [0.5, 0.4] }), 'faults.0.fractions: must sum to 1, got 0.9'],
    ['partition needs a split', partition({}), 'faults.0: must give one of regions or fractions, got none'],
    ['partition takes one split', { ...byRegion, ...partition({ regions: ['a'], fractions: [0.5, 0.5] }) }, 'faults.0: must give only one of regions or fractions, got regions and fractions'],
    ['partition toMs after fromMs', partition({ fractions: [0.5, 0.5], toMs: 100 }), 'faults.0.toMs: must be > faults.0.fromMs (100), got 100'],
    ['loss toMs after fromMs', { faults: [{ kind: 'loss', rate: 0.1, fromMs: 50, toMs: 20 }] }, 'faults.0.toMs: must be > faults.0.fromMs (50), got 20'],
  ])('%s', (_, input, message) => {
    expect(errorOf(() => parseScenario(input))).toBe(message);
  });

  it.each<[string, unknown]>([
    ['the documented crash shape', { faults: [{ kind: 'crash', atMs: 0, fraction: 0.6, select: 'random' }] }],
    ['crash by ids on the last node, fraction not needed', { nodes: 10, ...crash({ select: 'ids', ids: [9, 0] }) }],
    ['crash by preset region', { latency: { kind: 'regions', preset: 'bitcoin-2015' }, ...crash({ select: 'region', fraction: 1, regions: ['JAPAN'] }) }],
    ['churn with weibull and pareto', { faults: [{ kind: 'churn', share: 1, session: { kind: 'weibull', shape: 0.5, scaleMs: 100 }, downtime: { kind: 'pareto', shape: 1.5, scaleMs: 10 } }] }],
    ['partition fractions summing to 1 in floating point', partition({ fractions: [0.1, 0.2, 0.7] })],
    ['partition by region', { ...byRegion, ...partition({ regions: ['b'] }) }],
    ['loss without an end', { faults: [{ kind: 'loss', rate: 1 }] }],
    ['no faults', { faults: [] }],
  ])('accepts %s', (_, input) => {
    expect(() => parseScenario(input)).not.toThrow();
  });

  it('fills the defaults of a fault', () => {
    const s = parseScenario({ faults: [{ kind: 'crash', fraction: 0.2 }, { kind: 'loss', rate: 0.1 }] });
    expect(s.model === 'gossip' && s.faults).toEqual([
      { kind: 'crash', atMs: 0, fraction: 0.2, select: 'random' },
      { kind: 'loss', rate: 0.1, fromMs: 0 },
    ]);
    expect(parseScenario({})).not.toHaveProperty('faults');
  });
});

describe('scenario files', () => {
  const dir = mkdtempSync(join(tmpdir(), 'p2psim-validation-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  // Sweep files (*.sweep.json) are checked by test/sweep-spec.test.ts.
  it.each(readdirSync(SCENARIOS).filter((f) => f.endsWith('.json') && !f.endsWith('.sweep.json')))('scenarios/%s is valid and named', (file) => {
    const { scenario, baseDir } = loadScenarioFile(join(SCENARIOS, file));
    expect(scenario.name).toBeTruthy();
    expect(baseDir).toBe(SCENARIOS);
  });

  it('names a missing file', () => {
    const path = join(dir, 'missing.json');
    expect(errorOf(() => loadScenarioFile(path))).toBe(`cannot read ${path}: no such file`);
  });

  it('names a directory', () => {
    const sub = join(dir, 'sub');
    mkdirSync(sub);
    expect(errorOf(() => loadScenarioFile(sub))).toBe(`cannot read ${sub}: is a directory`);
  });

  it('gives the line and column of bad JSON', () => {
    const path = join(dir, 'bad.json');
    writeFileSync(path, '{\n  "nodes": 5,\n  "seed": }\n');
    expect(errorOf(() => loadScenarioFile(path))).toBe(`${path}: invalid JSON: Unexpected token '}' (line 3, column 11)`);
  });

  it('says when a file is empty', () => {
    const path = join(dir, 'empty.json');
    writeFileSync(path, '  \n');
    expect(errorOf(() => loadScenarioFile(path))).toBe(`${path}: invalid JSON: the file is empty`);
  });

  it('accepts a byte-order mark', () => {
    const path = join(dir, 'bom.json');
    writeFileSync(path, '\uFEFF{"nodes": 10}');
    expect(loadScenarioFile(path).scenario).toMatchObject({ model: 'gossip', nodes: 10 });
  });
});

describe('applyOverrides', () => {
  const gossip = parseScenario({ nodes: 1000, topology: { kind: 'ring', k: 2 } });
  const phold = parseScenario({ model: 'phold', lps: 64 });

  it('overrides nodes and seed and keeps the rest', () => {
    const s = applyOverrides(gossip, { nodes: 50, seed: 7 });
    expect(s).toMatchObject({ model: 'gossip', nodes: 50, seed: 7, topology: { kind: 'ring', k: 2 } });
    expect(gossip).toMatchObject({ nodes: 1000, seed: 42 });
  });

  it('sets lps for phold', () => {
    expect(applyOverrides(phold, { nodes: 10 })).toMatchObject({ model: 'phold', lps: 10 });
  });

  it('holds overrides to the scenario rules', () => {
    expect(errorOf(() => applyOverrides(gossip, { nodes: 0 }))).toBe('nodes: must be an integer >= 2, got 0');
    expect(errorOf(() => applyOverrides(gossip, { nodes: 4 }))).toBe('topology.k: must be < nodes / 2 (2), got 2');
    expect(errorOf(() => applyOverrides(gossip, { seed: -1 }))).toBe('seed: must be an integer >= 0, got -1');
    expect(errorOf(() => applyOverrides(phold, { nodes: 0 }))).toBe('lps: must be an integer >= 1, got 0');
  });

  it('validates again from what was written, not from the filled-in defaults', () => {
    // Parsed, this has a protocol, miners.distribution and relay.compactShare, none of them written.
    const chain = parseScenario({ nodes: 50, chain: { miners: { shares: [1, 2] } }, relay: { kind: 'unsolicited' } });
    expect(applyOverrides(chain, { nodes: 40 })).toMatchObject({ nodes: 40, chain: { miners: { shares: [1, 2] } }, relay: { kind: 'unsolicited' } });
    const counted = parseScenario({ nodes: 50, chain: { miners: { count: 30 } } });
    expect(errorOf(() => applyOverrides(counted, { nodes: 20 }))).toBe('chain.miners.count: must be <= nodes (20), got 30');
  });
});

describe('scenarioJsonSchema', () => {
  it('lists every field at the top for completion, and keeps every model', () => {
    const schema = scenarioJsonSchema() as { title: string; properties: Record<string, unknown>; oneOf: unknown[]; $id?: string };
    expect(schema.title).toBe('p2psim scenario');
    expect(schema.$id).toBeUndefined();
    expect(Object.keys(schema.properties)).toEqual(expect.arrayContaining(['topology', 'latency', 'nodes', 'lps', 'model', 'chain', 'relay']));
    expect(schema.oneOf).toHaveLength(3);
  });
});
