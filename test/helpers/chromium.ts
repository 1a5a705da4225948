import { existsSync } from 'node:fs';
import { chromium, type Browser } from 'playwright-core';
import { defer } from './cleanup.js';

const CHROMIUM = '/usr/bin/chromium';

/** Where browser tests leave their screenshots and pages, for a person to look at. */
export const ARTIFACTS = new URL('../../test-results/', import.meta.url);

/** CI installs Debian's chromium (.ci/run); only a developer machine without it may skip. */
export const chromiumRunnable = existsSync(CHROMIUM) || process.env.CI !== undefined;

/** Debian's headless Chromium, never a downloaded one; closed after the test. */
export async function launchChromium(): Promise<Browser> {
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--no-first-run',
    ],
  });
  defer(() => browser.close());
  return browser;
}
