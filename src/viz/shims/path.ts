// node:path in the page's bundle: only what scenario loading calls; the page has no directories.
export const isAbsolute = (p: string): boolean => p.startsWith('/');
export const resolve = (...parts: string[]): string => parts.join('/');
export const dirname = (p: string): string => p.slice(0, Math.max(0, p.lastIndexOf('/'))) || '.';
export const join = (...parts: string[]): string => parts.join('/');
