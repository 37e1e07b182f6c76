// node:url in the page's bundle: file paths are only ever compared by their ends (shims/fs.ts).
export const fileURLToPath = (u: string | URL): string => String(u);
