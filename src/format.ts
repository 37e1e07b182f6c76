// Formatting shared by the summary's parts: aligned tables and numbers as people read them.

export function table(header: string[], rows: (string | number)[][]): string {
  const cells = [header, ...rows.map((r) => r.map((c) => String(c)))];
  const width = header.map((_, i) => Math.max(...cells.map((r) => r[i]!.length)));
  const line = (r: string[]) => r.map((c, i) => (i === 0 ? c.padEnd(width[i]!) : c.padStart(width[i]!))).join('  ');
  return [line(cells[0]!), width.map((w) => '-'.repeat(w)).join('  '), ...cells.slice(1).map(line)].join('\n');
}

export const ms = (x: number | null) => (x === null ? '—' : x < 10 ? x.toFixed(2) : x < 1000 ? x.toFixed(1) : x.toFixed(0));
export const num = (x: number) => x.toLocaleString('en-US', { maximumFractionDigits: 0 });
export const pct = (x: number) => `${(100 * x).toFixed(2)}%`;
// Rewards are in units of blockReward: four significant digits, whole units once large.
export const amount = (x: number) => x.toLocaleString('en-US', Math.abs(x) >= 1000 ? { maximumFractionDigits: 0 } : { maximumSignificantDigits: 4 });
export const mb = (bytes: number) => `${(bytes / 1e6).toLocaleString('en-US', { maximumFractionDigits: bytes < 1e8 ? 1 : 0 })} MB`;

/** Times in ms, or in s when a typical one is 10 s or more (Bitcoin's blocks): the unit and its formatter. */
export function timeUnit(typical: (number | null)[]): { unit: string; t: (x: number | null) => string } {
  const seconds = typical.some((x) => x !== null && x >= 10_000);
  return seconds ? { unit: 's', t: (x) => (x === null ? '—' : ms(x / 1000)) } : { unit: 'ms', t: ms };
}
