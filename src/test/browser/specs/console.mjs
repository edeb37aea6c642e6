// The web console against a real wabridge: sign in, register a number (and see what to paste into Meta), create a
// BYOA agent and see its secret once, deploy it, watch a customer's message arrive in Conversations, hand off,
// write as the business, sign-out and 401 handling, and the phone-sized layout. Screenshots of every page. Signing
// in gives an HttpOnly session cookie: no key in page storage, and signing out ends the session on the server.
import { createHmac, randomInt } from 'node:crypto';
import { run, baseUrl, adminKey, shot, expect, newContext, signIn } from '../lib.mjs';

const T = 15_000;
const byTestId = (id) => `[data-testid="${id}"]`;

/** A screenshot from the top (a full-page shot of a scrolled page misplaces the sticky header). */
async function snap(p, name) {
  await p.evaluate(() => window.scrollTo(0, 0));
  await shot(p, name);
}

/** A customer writes to the number: a Meta-shaped webhook signed with the number's app secret. */
async function customerWrites(phoneNumberId, appSecret, from, name, text) {
  const body = JSON.stringify({
    object: 'whatsapp_business_account',
    entry: [{ id: 'WABA', changes: [{ field: 'messages', value: {
      messaging_product: 'whatsapp', metadata: { display_phone_number: '15550100199', phone_number_id: phoneNumberId },
      contacts: [{ profile: { name }, wa_id: from }],
      messages: [{ from, id: `wamid.console${Date.now()}`, timestamp: String(Math.floor(Date.now() / 1000)),
        type: 'text', text: { body: text } }],
    } }] }],
  });
  const sig = `sha256=${createHmac('sha256', appSecret).update(body).digest('hex')}`;
  const r = await fetch(`${baseUrl}/webhooks/whatsapp`, {
    method: 'POST', headers: { 'Content-Type': 'application/json', 'X-Hub-Signature-256': sig }, body,
  });
  expect(r.status === 200, `webhook answered ${r.status}`);
}

await run('console', async ({ browser, context, page }) => {
  // Signing in: / leads to the console, which asks for a key; a wrong key is explained.
  await page.goto(`${baseUrl}/`);
  await page.waitForURL('**/console/sign-in**', { timeout: T });
  await page.waitForSelector(byTestId('api-key'));
  await snap(page, 'console-sign-in');
  await page.fill(byTestId('api-key'), 'wab_not_a_real_key');
  await page.click(byTestId('sign-in'));
  await page.waitForSelector(`${byTestId('sign-in-error')} >> text=not accepted`, { timeout: T });
  await snap(page, 'console-sign-in-error');
  await page.fill(byTestId('api-key'), adminKey);
  await page.click(byTestId('sign-in'));
  await page.waitForURL('**/console/agents', { timeout: T });
  await page.waitForSelector(byTestId('create-agent'));
  const storage = await page.evaluate(() => JSON.stringify({ ...localStorage }) + JSON.stringify({ ...sessionStorage }));
  expect(!storage.includes(adminKey), `the key is not in page storage: ${storage}`);
  const session = (await context.cookies()).find((c) => c.name === 'wabridge_session');
  expect(session && session.httpOnly && session.sameSite === 'Strict' && session.path === '/',
    `an HttpOnly SameSite=Strict session cookie: ${JSON.stringify(session)}`);
  expect(!(await page.evaluate(() => document.cookie)).includes('wabridge_session'), 'no script can read the cookie');
  expect((await page.textContent(byTestId('key-label'))).includes('admin'), 'the shell names the signed-in key');
  await snap(page, 'console-agents-empty');

  // Register a number through the guided form.
  await page.click(byTestId('nav-numbers'));
  await page.waitForURL('**/console/numbers');
  await page.click(byTestId('register-number'));
  await page.waitForSelector(byTestId('number-phone-number-id'));
  const pnid = String(randomInt(100_000_000, 999_999_999)) + String(randomInt(100_000, 999_999));
  const accessToken = `EAAG${randomInt(1e9)}secretaccesstoken`;
  const appSecret = `appsecret${randomInt(1e9)}`;
  const verifyToken = `verify-${randomInt(1e9)}`;
  await page.fill(byTestId('number-phone-number-id'), pnid);
  await page.fill(byTestId('number-display'), '+1 555 010 0199');
  await page.fill(byTestId('number-waba-id'), '102290129340398');
  await page.fill(byTestId('number-access-token'), accessToken);
  await page.fill(byTestId('number-app-secret'), appSecret);
  await page.fill(byTestId('number-verify-token'), verifyToken);
  await snap(page, 'console-number-new');
  await page.click(byTestId('number-submit'));
  await page.waitForSelector(byTestId('webhook-setup'), { timeout: T });
  const webhookUrl = (await page.textContent(byTestId('webhook-url'))).trim();
  expect(webhookUrl === `${baseUrl}/webhooks/whatsapp`, `webhook URL shown: ${webhookUrl}`);
  expect((await page.textContent(byTestId('verify-token'))).trim() === verifyToken, 'the verify token is shown');
  const registered = await page.textContent('body');
  expect(!registered.includes(accessToken) && !registered.includes(appSecret), 'secrets are never shown back');
  await snap(page, 'console-number-registered');

  // Create a BYOA agent on that number; its webhook secret is shown once.
  await page.click(byTestId('create-agent-for-number'));
  await page.waitForSelector(byTestId('agent-name'));
  await page.fill(byTestId('agent-name'), 'Order support');
  await page.fill(byTestId('agent-webhook-url'), `${baseUrl}/sandbox/demo-agent`);
  const numberId = await page.$eval(byTestId('agent-number'), (s) => s.value);
  expect(numberId.startsWith('num_') && numberId !== 'num_sandbox', `the new number is preselected: ${numberId}`);
  await page.fill(byTestId('agent-fallback'), 'Sorry, something went wrong. A person will get back to you.');
  await snap(page, 'console-agent-new');
  await page.click(byTestId('agent-submit'));
  await page.waitForSelector(byTestId('webhook-secret'), { timeout: T });
  const secret = (await page.textContent(byTestId('webhook-secret'))).trim();
  expect(secret.length >= 16, `a webhook secret is shown: ${secret}`);
  expect((await page.textContent('body')).includes('shown only once'), 'the secret comes with a shown-once warning');
  await snap(page, 'console-agent-created');

  // The overview: deploy, Test Agent opens the connect_url in a new tab, and the secret is not shown again.
  await page.click(byTestId('open-agent'));
  await page.waitForSelector(byTestId('deploy'), { timeout: T });
  expect(!(await page.textContent('body')).includes(secret), 'the secret is not shown on the overview');
  await page.click(byTestId('deploy'));
  await page.waitForSelector(byTestId('pause'), { timeout: T });
  expect((await page.textContent(byTestId('agent-status'))).includes('Deployed'), 'status badge says Deployed');
  const test = await page.$(byTestId('test-agent'));
  expect(await test.getAttribute('target') === '_blank', 'Test Agent opens a new tab');
  expect((await test.getAttribute('href')).startsWith('https://wa.me/15550100199'), 'real number: wa.me link');
  const agentUrl = page.url();

  // Rotating the secret shows the new one once; editing settings saves them.
  await page.click(byTestId('rotate-secret'));
  await page.click(byTestId('dialog-confirm'));
  await page.waitForSelector(`${byTestId('dialog')} ${byTestId('webhook-secret')}`, { timeout: T });
  const rotated = (await page.textContent(`${byTestId('dialog')} ${byTestId('webhook-secret')}`)).trim();
  expect(rotated.length >= 16 && rotated !== secret, 'a new secret is shown after rotating');
  await snap(page, 'console-agent-rotated-secret');
  await page.click(byTestId('dialog-confirm'));
  expect(!(await page.textContent('body')).includes(rotated), 'the rotated secret is gone once acknowledged');
  await page.click(byTestId('edit-agent'));
  expect(await page.$eval(byTestId('agent-format'), (s) => s.value) === 'auto', 'reply formatting starts as auto');
  await page.fill(byTestId('agent-timeout'), '30');
  await page.selectOption(byTestId('agent-format'), 'markdown');
  await page.click(byTestId('save-agent'));
  await page.waitForSelector(`${byTestId('agent-details')} >> text=30 s`, { timeout: T });
  expect((await page.textContent(byTestId('agent-details'))).includes('Markdown: *x* is italic'),
    'the overview shows the reply formatting chosen');

  // A customer writes; the conversation, the call and the message show up.
  await customerWrites(pnid, appSecret, '15550001111', 'Ada Lovelace', 'Hi! Where is my order #12345?');
  for (let i = 0; i < 30 && !(await page.$(byTestId('calls-table'))); i++) {
    await page.click(byTestId('refresh-calls'));
    await page.waitForTimeout(500);
  }
  await page.waitForSelector(`${byTestId('calls-table')} ${byTestId('call-row')}`, { timeout: T });
  await snap(page, 'console-agent');

  await page.click(byTestId('nav-conversations'));
  await page.waitForSelector(byTestId('conversation-row'), { timeout: T });
  await page.fill(byTestId('conversation-search'), '+15550001111');
  await page.press(byTestId('conversation-search'), 'Enter');
  await page.waitForURL('**/console/conversations?phone_number=*');
  await page.waitForSelector(`${byTestId('conversation-row')} >> text=Ada Lovelace`, { timeout: T });
  await snap(page, 'console-conversations');
  await page.click(`${byTestId('conversation-row')} >> text=Ada Lovelace`);
  await page.waitForSelector(`${byTestId('thread-message')}[data-direction="inbound"] >> text=Where is my order`,
    { timeout: T });
  const threadUrl = page.url();

  // Hand off, write as the business, resume.
  await page.click(byTestId('handoff'));
  await page.waitForSelector(byTestId('handoff-badge'), { timeout: T });
  await page.fill(byTestId('composer'), 'Hello Ada, this is Sam from the team. Let me check that for you.');
  await page.click(byTestId('send'));
  await page.waitForSelector(`${byTestId('thread-message')}[data-direction="outbound"] >> text=this is Sam`,
    { timeout: T });
  await snap(page, 'console-thread');
  await page.click(byTestId('resume'));
  await page.waitForSelector(byTestId('handoff'), { timeout: T });

  // Deep links load directly; an unknown page says so.
  await page.goto(agentUrl);
  await page.waitForSelector(byTestId('pause'), { timeout: T });
  await page.goto(`${baseUrl}/console/nowhere`);
  await page.waitForSelector('text=This page does not exist', { timeout: T });

  // Phone-sized: the sidebar becomes a top menu.
  const phone = await newContext(browser, { viewport: { width: 390, height: 844 }, deviceScaleFactor: 2 });
  await signIn(phone);
  const mobile = await phone.newPage();
  await mobile.goto(`${baseUrl}/console/conversations`);
  await mobile.waitForSelector(byTestId('conversation-row'), { timeout: T });
  expect(!(await mobile.isVisible(byTestId('nav-agents'))), 'on a phone the navigation starts collapsed');
  await snap(mobile, 'console-phone-conversations');
  await mobile.click(byTestId('menu-toggle'));
  await mobile.waitForSelector(byTestId('nav-agents'), { state: 'visible' });
  await snap(mobile, 'console-phone-menu');
  await mobile.click(byTestId('nav-agents'));
  await mobile.waitForSelector(byTestId('agent-row'), { timeout: T });
  await snap(mobile, 'console-phone-agents');
  await mobile.goto(threadUrl);
  await mobile.waitForSelector(byTestId('thread-message'), { timeout: T });
  await snap(mobile, 'console-phone-thread');
  await phone.close();

  // Deleting asks first, then the agent is gone from the list.
  await page.goto(agentUrl);
  await page.click(byTestId('delete-agent'), { timeout: T });
  await page.click(byTestId('dialog-confirm'));
  await page.waitForURL('**/console/agents', { timeout: T });
  await page.waitForSelector(`${byTestId('agents-table')}, ${byTestId('agents-card')} .empty`, { timeout: T });
  const agentId = agentUrl.split('/').pop();
  expect(!(await page.$(`${byTestId('agent-row')}[data-id="${agentId}"]`)), 'the deleted agent is gone');

  // Signing out ends the session on the server: the old cookie, replayed, is refused.
  const before = (await context.cookies()).find((c) => c.name === 'wabridge_session');
  await page.click(byTestId('sign-out'));
  await page.waitForSelector(byTestId('api-key'), { timeout: T });
  await page.waitForSelector('text=You signed out', { timeout: T });
  const replay = await fetch(`${baseUrl}/api/agents`, { headers: { Cookie: `wabridge_session=${before.value}` } });
  expect(replay.status === 401, `the signed-out session's cookie answered ${replay.status}`);
  expect(!(await context.cookies()).some((c) => c.name === 'wabridge_session'), 'the cookie is cleared');

  // A key deleted while signed in sends the user back to sign in, with the reason.
  const created = await fetch(`${baseUrl}/api/keys`, { method: 'POST',
    headers: { Authorization: `Bearer ${adminKey}`, 'Content-Type': 'application/json' },
    body: JSON.stringify({ name: 'short-lived' }) }).then((r) => r.json());
  await page.fill(byTestId('api-key'), created.key);
  await page.click(byTestId('sign-in'));
  await page.waitForURL('**/console/agents', { timeout: T });
  expect((await page.textContent(byTestId('key-label'))).includes('short-lived'), 'signed in with the new key');
  const gone = await fetch(`${baseUrl}/api/keys/${created.id}`, { method: 'DELETE',
    headers: { Authorization: `Bearer ${adminKey}` } });
  expect(gone.status === 204, `deleting the key answered ${gone.status}`);
  await page.goto(`${baseUrl}/console/numbers`);
  await page.waitForURL('**/console/sign-in**', { timeout: T });
  await page.waitForSelector('text=was deleted', { timeout: T });
  await snap(page, 'console-signed-out-401');
});
