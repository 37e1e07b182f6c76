// node:fs in the page's bundle: the page has no files. The one file the engine's code reads in a run
// it can make, the measured Bitcoin parameters, is inlined into the bundle at build time (bundle.ts).
declare const __P2PSIM_BITCOIN_PARAMS__: string;

const PARAMS = 'bitcoin-network-params.json';

export function existsSync(path: string): boolean {
  return String(path).endsWith(PARAMS);
}

export function readFileSync(path: string): string {
  if (String(path).endsWith(PARAMS)) return __P2PSIM_BITCOIN_PARAMS__;
  throw new Error(`${String(path)}: the page cannot read files`);
}
