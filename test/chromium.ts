// Headless Chromium for the browser tests: Debian's chromium package (apt-get install chromium, as
// .ci/run does), driven by playwright-core, which downloads no browser of its own. CHROMIUM_PATH
// points elsewhere when the browser lives elsewhere.
import { existsSync } from 'node:fs';
import { chromium, type Browser } from 'playwright-core';

export const chromiumPath: string | undefined = ['/usr/bin/chromium', '/usr/bin/chromium-browser'].find((p) => existsSync(p)) ?? process.env.CHROMIUM_PATH;

/** A headless browser; --no-sandbox because CI runs as root, where Chromium's sandbox refuses to start. */
export async function launchChromium(): Promise<Browser> {
  if (chromiumPath === undefined) throw new Error('no Chromium: apt-get install chromium, or set CHROMIUM_PATH');
  return chromium.launch({ executablePath: chromiumPath, headless: true, args: ['--no-sandbox'] });
}
