// What src/math.ts is in the page: the portable ports, bit-identical to Node 20's Math.
export { log } from '../portable-log.js';
export { cos, exp, pow } from '../portable-math.js';
