// Debian's Chromium (never a downloaded browser) driven by playwright-core, headless, quiet and offline. Each
// launch gets a fresh temporary profile from Playwright, so no state leaks between runs. Imported as
// '@serverless-course/test-kit/chromium', apart from the rest of the kit, so tests without a browser never
// load playwright-core.
import { chromium, type Browser } from 'playwright-core';

export const CHROMIUM_PATH = '/usr/bin/chromium';

export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/** Launches Chromium, failing within `timeoutMs` with the install command when it is missing. */
export async function launchChromium(options: { timeoutMs?: number } = {}): Promise<Browser> {
  try {
    return await chromium.launch({
      executablePath: CHROMIUM_PATH,
      headless: true,
      args: CHROMIUM_ARGS,
      timeout: options.timeoutMs ?? 30_000,
    });
  } catch (error) {
    throw new Error(
      `Chromium did not start from ${CHROMIUM_PATH} (${(error as Error).message.split('\n')[0]}); ` +
        'install it with: apt-get install -y chromium',
    );
  }
}
