// Debian's Chromium, driven by playwright-core (no browser download: the tests use the system's).
// CI installs it with apt (.ci/run); CHROMIUM_PATH points elsewhere.
import { existsSync } from 'node:fs';
import { chromium, type Browser } from 'playwright-core';

export const chromiumPath: string | undefined = ['/usr/bin/chromium', '/usr/bin/chromium-browser'].find((p) => existsSync(p)) ?? process.env.CHROMIUM_PATH;

/** Headless Chromium; --no-sandbox because CI runs as root. */
export async function launchChromium(): Promise<Browser> {
  if (!chromiumPath) throw new Error('no Chromium: install the chromium package or set CHROMIUM_PATH');
  return chromium.launch({ executablePath: chromiumPath, headless: true, args: ['--no-sandbox'] });
}
