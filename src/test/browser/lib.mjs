// Shared by the browser specs: launches Debian's Chromium through playwright-core with the flags this
// machine needs, and hands each spec the running wabridge's URL and admin key.
import { chromium } from 'playwright-core';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';

export const baseUrl = process.env.WABRIDGE_URL;
export const adminKey = process.env.WABRIDGE_ADMIN_KEY;
export const screenshots = process.env.SCREENSHOT_DIR || 'target/screenshots';
mkdirSync(screenshots, { recursive: true });

export async function launch() {
  return chromium.launch({
    executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
      '--disable-component-update', '--disable-sync', '--disable-dev-shm-usage'],
  });
}

export async function shot(page, name) {
  await page.screenshot({ path: join(screenshots, `${name}.png`), fullPage: true });
}

/** Runs a spec body; any failure exits non-zero with a screenshot of where it stood. */
export async function run(name, body) {
  const browser = await launch();
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  const page = await context.newPage();
  page.on('pageerror', (e) => console.error(`[${name}] page error: ${e.message}`));
  try {
    await body({ browser, context, page });
    console.log(`[${name}] passed`);
  } catch (e) {
    console.error(`[${name}] FAILED: ${e.stack || e}`);
    await shot(page, `${name}-failure`).catch(() => {});
    process.exitCode = 1;
  } finally {
    await browser.close();
  }
}

export function expect(condition, message) {
  if (!condition) throw new Error(message);
}
