// Shared by the browser specs: launches Debian's Chromium through playwright-core with the flags this
// machine needs, and hands each spec the running wabridge's URL and admin key. Every page of every context made
// here reports Content-Security-Policy violations; a spec fails if wabridge's own pages cause any.
import { chromium } from 'playwright-core';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';

export const baseUrl = process.env.WABRIDGE_URL;
export const adminKey = process.env.WABRIDGE_ADMIN_KEY;
/** The fake Graph API of BrowserSpecsTest: serves hostile media and collects reports from any payload that runs. */
export const hostileGraph = process.env.HOSTILE_GRAPH;
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

const violations = [];

/** A browser context whose pages report CSP violations (see {@link cspViolations}). */
export async function newContext(browser, options) {
  const context = await browser.newContext(options);
  await context.addInitScript(() => {
    document.addEventListener('securitypolicyviolation', (e) => {
      console.error(`[csp-violation] ${e.violatedDirective} blocked ${e.blockedURI || 'inline'} on ${location.href}`);
    });
  });
  context.on('page', (p) => p.on('console', (m) => {
    if (m.text().startsWith('[csp-violation]')) violations.push(m.text());
  }));
  return context;
}

/** CSP violations so far on wabridge's own pages (hostile media, which must not run at all, is left out). */
export function cspViolations() {
  return violations.filter((v) => !/ on \S*\/(media|sandbox\/files)\//.test(v));
}

/** Signs a browser context in as a page would: the session cookie lands in the context's cookie jar. */
export async function signIn(context, key = adminKey) {
  const r = await context.request.post(`${baseUrl}/api/session`, { data: { api_key: key } });
  if (r.status() !== 201) throw new Error(`POST /api/session answered ${r.status()}: ${await r.text()}`);
  return r.json();
}

/** Runs a spec body; any failure exits non-zero with a screenshot of where it stood. */
export async function run(name, body) {
  const browser = await launch();
  const context = await newContext(browser, { viewport: { width: 1280, height: 800 } });
  const page = await context.newPage();
  page.on('pageerror', (e) => console.error(`[${name}] page error: ${e.message}`));
  try {
    await body({ browser, context, page });
    const csp = cspViolations();
    if (csp.length) throw new Error(`Content-Security-Policy violations on wabridge's pages:\n${csp.join('\n')}`);
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
