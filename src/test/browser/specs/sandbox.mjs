// The sandbox chat end to end: an agent pointing at the built-in demo agent, its connect_url opened, a customer
// writes, the reply arrives, the customer's ticks turn blue, a button is tapped, a list is picked, an image shows.
import { run, baseUrl, adminKey, expect, shot, newContext } from '../lib.mjs';

const outbound = (text) => `[data-testid=message][data-direction=outbound]:has-text(${JSON.stringify(text)})`;

async function say(page, text) {
  await page.fill('[data-testid=composer]', text);
  await page.click('[data-testid=send]');
}

await run('sandbox', async ({ browser, context, page }) => {
  const created = await fetch(`${baseUrl}/api/agents`, {
    method: 'POST',
    headers: { Authorization: `Bearer ${adminKey}`, 'Content-Type': 'application/json' },
    body: JSON.stringify({ name: 'Demo Bot', webhook_url: `${baseUrl}/sandbox/demo-agent` }),
  });
  expect(created.status === 201, `creating the agent answered ${created.status}`);
  const agent = await created.json();
  expect(agent.connect_url.includes('/sandbox/connect/'), `connect_url ${agent.connect_url}`);

  await page.goto(agent.connect_url);
  await page.waitForSelector('[data-testid=api-key]', { state: 'visible' });
  await shot(page, 'sandbox-sign-in');
  await page.fill('[data-testid=api-key]', adminKey);
  await page.click('[data-testid=sign-in]');
  await page.waitForSelector('[data-testid=api-key]', { state: 'hidden' });
  const storage = await page.evaluate(() => JSON.stringify({ ...localStorage }) + JSON.stringify({ ...sessionStorage }));
  expect(!storage.includes(adminKey), `the key is not in page storage: ${storage}`);
  const cookie = (await context.cookies()).find((c) => c.name === 'wabridge_session');
  expect(cookie && cookie.httpOnly && cookie.sameSite === 'Strict', `a session cookie: ${JSON.stringify(cookie)}`);

  await page.fill('[data-testid=customer-name]', 'Kerry');
  await page.fill('[data-testid=customer-phone]', '+15550107777');
  await say(page, 'Hello from the browser');
  await page.waitForSelector(outbound('You said'), { timeout: 20000 });
  const reply = await page.textContent(outbound('You said'));
  expect(reply.includes('Hello from the browser'), `echo was: ${reply}`);
  expect(await page.$eval(`${outbound('You said')} b`, (b) => b.textContent) === 'Hello from the browser',
    'the echo renders WhatsApp *bold*');
  await page.waitForSelector('[data-testid=message][data-direction=inbound][data-status=read]', { timeout: 20000 });
  const tickColor = await page.$eval('[data-testid=message][data-direction=inbound][data-status=read] [data-testid=ticks]',
    (t) => getComputedStyle(t).color);
  expect(tickColor === 'rgb(83, 189, 235)', `read ticks are blue, got ${tickColor}`);
  expect(await page.isHidden('[data-testid=typing]'), 'typing indicator hidden once the agent answered');
  await shot(page, 'sandbox-reply-read');

  await say(page, 'buttons');
  await page.waitForSelector('[data-testid=reply-button]', { timeout: 20000 });
  await shot(page, 'sandbox-buttons');
  await page.click('[data-testid=reply-button] >> nth=0');
  await page.waitForSelector(outbound('You chose'), { timeout: 20000 });
  await page.waitForSelector('[data-testid=message][data-direction=inbound][data-type=interactive]');
  await shot(page, 'sandbox-button-chosen');

  await say(page, 'list');
  await page.waitForSelector('[data-testid=list-open]', { timeout: 20000 });
  await page.click('[data-testid=list-open]');
  await page.waitForSelector('[data-testid=list-row]', { state: 'visible' });
  await shot(page, 'sandbox-list-open');
  await page.click('[data-testid=list-row]:has-text("Diavola")');
  await page.waitForSelector(outbound('You chose Diavola'), { timeout: 20000 });

  await say(page, 'image');
  await page.waitForFunction(() => {
    const img = document.querySelector('[data-testid=message][data-direction=outbound][data-type=image] img');
    return img && img.complete && img.naturalWidth > 0;
  }, null, { timeout: 20000 });
  await shot(page, 'sandbox-image');

  for (const kind of ['document', 'location', 'contact', 'audio', 'video', 'react']) {
    await say(page, kind);
  }
  await page.waitForSelector('[data-testid=message][data-type=document]', { timeout: 20000 });
  await page.waitForSelector('[data-testid=message][data-type=location]', { timeout: 20000 });
  await page.waitForSelector('[data-testid=message][data-type=contacts]', { timeout: 20000 });
  await page.waitForSelector('[data-testid=message][data-type=audio] audio', { timeout: 20000 });
  await page.waitForSelector('[data-testid=message][data-type=video] video', { timeout: 20000 });
  await page.waitForSelector('[data-testid=reaction]', { timeout: 20000 });
  await say(page, 'markdown');
  await page.waitForSelector('[data-testid=message][data-direction=outbound] pre.mono', { timeout: 20000 });
  await page.waitForTimeout(300);
  await shot(page, 'sandbox-rich');

  const phone = await newContext(browser, { viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true });
  const mobile = await phone.newPage();
  await mobile.goto(agent.connect_url);
  await mobile.fill('[data-testid=api-key]', adminKey);
  await mobile.click('[data-testid=sign-in]');
  await mobile.fill('[data-testid=customer-name]', 'Ana');
  await mobile.fill('[data-testid=customer-phone]', '+15550107778');
  await say(mobile, 'Hi from a phone');
  await mobile.waitForSelector(outbound('You said'), { timeout: 20000 });
  await mobile.waitForSelector('[data-testid=message][data-direction=inbound][data-status=read]', { timeout: 20000 });
  await shot(mobile, 'sandbox-phone');
  await phone.close();

  // A reload keeps the session; signing out ends it, and the next load asks for a key again.
  await page.reload();
  await page.waitForSelector('[data-testid=composer]', { state: 'visible', timeout: 20000 });
  expect(await page.isHidden('[data-testid=api-key]'), 'still signed in after a reload');
  await page.click('#sign-out');
  await page.waitForSelector('[data-testid=api-key]', { state: 'visible' });
  await page.reload();
  await page.waitForSelector('[data-testid=api-key]', { state: 'visible' });
});
