// The adversary section's bad input: one line naming the field, as every scenario field.
import { describe, expect, it } from 'vitest';

const { parseScenario } = (await import('../dist/src/scenario/load.js' as string)) as typeof import('../src/scenario/load.js');

const base = { nodes: 100, topology: { kind: 'random-regular', degree: 4 } };

function problem(raw: object): string {
  try {
    parseScenario(raw);
  } catch (e) {
    return (e as Error).message;
  }
  return 'accepted';
}

describe('adversary input', () => {
  it('accepts the pinned forms', () => {
    expect(problem({ ...base, adversary: { kind: 'spies', fraction: 0.1, select: 'random' } })).toBe('accepted');
    expect(problem({ ...base, adversary: { kind: 'eavesdropper', connections: 1 } })).toBe('accepted');
    expect(problem({ ...base, adversary: { kind: 'spies', fraction: 0.1, reports: 1 } })).toBe('accepted');
    expect(problem({ ...base, adversary: { kind: 'eavesdropper', reports: 256 } })).toBe('accepted');
    expect(problem({ ...base, protocol: { kind: 'dandelion++', q: 0.2, epochMs: 1000 }, adversary: { kind: 'spies', fraction: 0.1, blackHole: true } })).toBe('accepted');
  });

  it('names the field and says why', () => {
    expect(problem({ ...base, adversary: { kind: 'spy', fraction: 0.1 } })).toMatch(/^adversary\.kind: must be .*"spies".*"eavesdropper"/);
    expect(problem({ ...base, adversary: { kind: 'spies' } })).toMatch(/^adversary\.fraction: is required/);
    expect(problem({ ...base, adversary: { kind: 'spies', fraction: 0.001 } })).toMatch(/^adversary\.fraction: selects no node of 100/);
    expect(problem({ ...base, adversary: { kind: 'spies', fraction: 0.1, select: 'degree' } })).toMatch(/^adversary\.select: must be/);
    expect(problem({ ...base, adversary: { kind: 'spies', fraction: 0.1, blackHole: true } })).toMatch(/^adversary\.blackHole: needs a stem protocol/);
    expect(problem({ ...base, adversary: { kind: 'eavesdropper', connections: 0 } })).toMatch(/^adversary\.connections: must be an integer >= 1/);
    expect(problem({ ...base, adversary: { kind: 'spies', fraction: 0.1, reports: 0 } })).toBe('adversary.reports: must be an integer >= 1, got 0');
    expect(problem({ ...base, adversary: { kind: 'eavesdropper', reports: 257 } })).toBe('adversary.reports: must be an integer <= 256, got 257');
    expect(problem({ ...base, adversary: { kind: 'eavesdropper', reports: 2.5 } })).toBe('adversary.reports: must be an integer >= 1 and <= 256, got 2.5');
    expect(problem({ ...base, adversary: { kind: 'eavesdropper' }, faults: [{ kind: 'loss', rate: 0.1 }] })).toMatch(/^adversary: .*cannot be combined with faults/);
    expect(problem({ ...base, protocol: { kind: 'dandelion', q: 1.5 } })).toMatch(/^protocol\.q: must be a number <= 1/);
    expect(problem({ ...base, protocol: { kind: 'dandelion++', epochMs: 0 } })).toMatch(/^protocol\.epochMs: must be a number > 0/);
  });
});
