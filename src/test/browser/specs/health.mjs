// Smoke: the browser reaches the running server. Real page specs sit beside this one.
import { run, baseUrl, expect } from '../lib.mjs';

await run('health', async ({ page }) => {
  const resp = await page.goto(`${baseUrl}/healthz`);
  expect(resp.status() === 200, `healthz answered ${resp.status()}`);
  expect((await page.textContent('body')).includes('"ok"'), 'healthz body is not ok');
});
