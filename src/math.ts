// The transcendental functions the simulation draws with, in one place. Under Node they are Math's own.
// The visualizer's bundle (src/viz/bundle.ts) swaps this module for portable-math.ts and portable-log.ts,
// fdlibm in plain arithmetic, which give Node 20's bits in any engine: a browser's Math differs from
// Node's in the last bit for some arguments, and the page's run would not replay under the CLI
// (docs/viz.md, "Exact replay"). Node keeps the native functions, 1.6-2.6 times faster than the ports.
export const { exp, log, cos, pow } = Math;
