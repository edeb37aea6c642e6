// Customers beyond phone numbers in the console: a username user whose phone WhatsApp withholds, a group whose members
// each write, a number without an agent whose customer waits unanswered, an agent whose late reply is suppressed
// after a person took over. The list shows who each customer is, finds them by any part of the phone, an @username
// or only the unanswered; each thread says who wrote every message and why one waits.
import { createHmac, randomInt } from 'node:crypto';
import { createServer } from 'node:http';
import { run, baseUrl, adminKey, shot, expect, signIn } from '../lib.mjs';

const T = 15_000;
const byTestId = (id) => `[data-testid="${id}"]`;
const secret = `identity-secret-${randomInt(1e9)}`;

async function api(method, path, body) {
  const r = await fetch(`${baseUrl}${path}`, { method, headers: { Authorization: `Bearer ${adminKey}`,
    'Content-Type': 'application/json' }, body: body === undefined ? undefined : JSON.stringify(body) });
  const text = await r.text();
  if (r.status >= 300) throw new Error(`${method} ${path} answered ${r.status}: ${text}`);
  return text ? JSON.parse(text) : null;
}

async function number() {
  const pnid = String(randomInt(100_000_000, 999_999_999)) + String(randomInt(100_000, 999_999));
  const n = await api('POST', '/api/numbers', { phone_number_id: pnid, display_phone_number: '+1 555 010 0200',
    access_token: `EAAG${randomInt(1e9)}token`, app_secret: secret, verify_token: 'v' });
  return { id: n.id, pnid };
}

let seq = 0;
/** A Meta-shaped webhook, signed with the number's app secret: one message from `who`. */
async function writes(pnid, who, text) {
  seq += 1;
  const contact = { profile: { name: who.name, ...(who.username ? { username: who.username } : {}) },
    ...(who.phone ? { wa_id: who.phone } : {}), user_id: who.userId };
  const message = { ...(who.phone ? { from: who.phone } : {}), from_user_id: who.userId,
    ...(who.group ? { group_id: who.group } : {}), id: `wamid.identity.${Date.now()}.${seq}`,
    timestamp: String(Math.floor(Date.now() / 1000)), type: 'text', text: { body: text } };
  const body = JSON.stringify({ object: 'whatsapp_business_account', entry: [{ id: 'WABA', changes: [{
    field: 'messages', value: { messaging_product: 'whatsapp',
      metadata: { display_phone_number: '15550100200', phone_number_id: pnid },
      contacts: [contact], messages: [message] } }] }] });
  const sig = `sha256=${createHmac('sha256', secret).update(body).digest('hex')}`;
  const r = await fetch(`${baseUrl}/webhooks/whatsapp`, { method: 'POST',
    headers: { 'Content-Type': 'application/json', 'X-Hub-Signature-256': sig }, body });
  expect(r.status === 200, `webhook answered ${r.status}`);
}

/** Waits until the API lists a conversation matching `query`; returns it. */
async function conversation(query) {
  for (let i = 0; i < 100; i++) {
    const page = await api('GET', `/api/conversations?${query}`);
    if (page.data.length) return page.data[0];
    await new Promise((res) => setTimeout(res, 150));
  }
  throw new Error(`no conversation for ${query}`);
}

// The agent: answers at once, except "slow" messages, which it answers after a person has had time to take over.
let releaseSlow;
let slowArrived;
const slowAnswered = new Promise((res) => { releaseSlow = res; });
const slowSeen = new Promise((res) => { slowArrived = res; });
const agent = createServer((req, res) => {
  let raw = '';
  req.on('data', (c) => { raw += c; });
  req.on('end', () => {
    const p = JSON.parse(raw);
    const answer = () => {
      res.writeHead(200, { 'Content-Type': 'application/json' });
      res.end(JSON.stringify({ type: 'message', content: `Thanks, ${p.customer_name || 'there'}!` }));
    };
    if (p.message.includes('slow')) {
      slowArrived();
      slowAnswered.then(answer);
    }
    else answer();
  });
});
await new Promise((res) => agent.listen(0, '127.0.0.1', res));
const agentUrl = `http://127.0.0.1:${agent.address().port}/agent`;

await run('identity', async ({ browser, context, page }) => {
  const main = await number();
  const created = await api('POST', '/api/agents', { name: 'Identity desk', webhook_url: agentUrl,
    number_id: main.id });
  await api('POST', `/api/agents/${created.id}/deploy`);
  const quiet = await number();

  const suffix = String(randomInt(1000, 9999));
  const sheena = { name: 'Sheena Nelson', username: `sheena${suffix}`, userId: `US.1349${suffix}` };
  const dee = { name: 'Dee Phone', phone: `1555987${suffix}`, userId: `US.2001${suffix}` };
  const group = `Y2FwaV9ncm91cDo${suffix}`;
  const ada = { name: 'Ada', phone: `1650555${suffix}`, userId: `US.3001${suffix}`, group };
  const bob = { name: 'Bob', username: `bob${suffix}`, userId: `US.3002${suffix}`, group };
  const waiting = { name: 'Wes Waiting', phone: `4477009${suffix}`, userId: `US.4001${suffix}` };

  await writes(main.pnid, sheena, 'Does it come in another color?');
  await writes(main.pnid, dee, 'Where is my order?');
  await writes(main.pnid, ada, 'Hello from Ada');
  await writes(main.pnid, bob, 'And hello from Bob');
  await writes(quiet.pnid, waiting, 'Is anyone there?');
  const slow = { name: 'Sam Slow', phone: `1555123${suffix}`, userId: `US.5001${suffix}` };
  await writes(main.pnid, slow, 'slow question');
  const slowConv = await conversation(`user_id=${slow.userId}`);
  await slowSeen;
  await api('POST', `/api/conversations/${slowConv.id}/handoff`);
  releaseSlow();
  await conversation(`user_id=${sheena.userId}`);
  await conversation(`group_id=${group}`);
  await conversation(`user_id=${waiting.userId}&unanswered=true`);

  await signIn(context);
  await page.goto(`${baseUrl}/console/conversations`);
  await page.waitForSelector(byTestId('conversation-row'), { timeout: T });

  // Who each customer is: the name (or @username) when WhatsApp withholds the phone; a group; who waits.
  const sheenaRow = page.locator(byTestId('conversation-row'), { hasText: sheena.name });
  await sheenaRow.waitFor({ timeout: T });
  expect((await sheenaRow.textContent()).includes(`Phone withheld · @${sheena.username}`),
    `the row says the phone is withheld and names the username: ${await sheenaRow.textContent()}`);
  const groupRow = page.locator(byTestId('conversation-row'), { hasText: `Group ${group}` });
  expect((await groupRow.textContent()).includes('WhatsApp group'), 'a group is named as one');
  const waitingRow = page.locator(byTestId('conversation-row'), { hasText: waiting.name });
  const badge = waitingRow.locator(byTestId('unanswered-badge'));
  expect((await badge.textContent()).includes('1 unanswered'), 'the waiting customer has an unanswered badge');
  expect((await badge.getAttribute('title')).includes('no agent is deployed'), 'the badge says why');
  expect((await waitingRow.textContent()).includes('No agent'), 'the row says no agent answers');
  await shot(page, 'identity-conversations');

  // Search: any part of the phone, an @username, only the unanswered.
  await page.fill(byTestId('conversation-search'), `987 ${suffix}`);
  await page.press(byTestId('conversation-search'), 'Enter');
  await page.waitForURL(`**/console/conversations?phone_number=*`, { timeout: T });
  await page.waitForSelector(`${byTestId('conversation-row')} >> text=${dee.name}`, { timeout: T });
  expect(await page.locator(byTestId('conversation-row')).count() === 1, 'the partial phone finds one customer');
  await page.fill(byTestId('conversation-search'), `@${sheena.username}`);
  await page.press(byTestId('conversation-search'), 'Enter');
  await page.waitForURL(`**/console/conversations?username=${sheena.username}`, { timeout: T });
  await page.waitForSelector(`${byTestId('conversation-row')} >> text=${sheena.name}`, { timeout: T });
  expect(await page.locator(byTestId('conversation-row')).count() === 1, 'the username finds one customer');
  await page.fill(byTestId('conversation-search'), '');
  await page.check(byTestId('conversation-unanswered'));
  await page.waitForURL('**/console/conversations?unanswered=true', { timeout: T });
  await page.waitForSelector(`${byTestId('conversation-row')} >> text=${waiting.name}`, { timeout: T });
  for (const text of await page.locator(byTestId('conversation-row')).allTextContents()) {
    expect(text.includes('unanswered'), `only unanswered conversations are listed: ${text}`);
  }
  await page.fill(byTestId('conversation-search'), '12');
  await page.press(byTestId('conversation-search'), 'Enter');
  await page.waitForSelector(`${byTestId('search-hint')} >> text=at least 3 digits`, { timeout: T });
  expect(page.url().endsWith('?unanswered=true'), `too few digits is not searched: ${page.url()}`);
  await shot(page, 'identity-search-too-short');

  // A username user's thread: the details name them without a phone; the agent's reply says who wrote it.
  await page.goto(`${baseUrl}/console/conversations/${(await conversation(`user_id=${sheena.userId}`)).id}`);
  await page.waitForSelector(byTestId('detail-user-id'), { timeout: T });
  expect((await page.textContent(byTestId('thread-customer'))).includes(sheena.name), 'the header names her');
  expect((await page.textContent(byTestId('detail-username'))).includes(`@${sheena.username}`), 'username shown');
  expect((await page.textContent(byTestId('detail-user-id'))).includes(sheena.userId), 'user id shown');
  expect((await page.textContent('.side-card')).includes('Withheld by WhatsApp'), 'the phone is withheld');
  await page.waitForSelector(`${byTestId('thread-message')}[data-author="agent"] ${byTestId('message-author')}`,
    { timeout: T });
  await shot(page, 'identity-thread-username');

  // A group's thread: each member's message names its writer.
  await page.goto(`${baseUrl}/console/conversations/${(await conversation(`group_id=${group}`)).id}`);
  await page.waitForSelector(byTestId('detail-group'), { timeout: T });
  const authors = await page.locator(`${byTestId('thread-message')}[data-direction="inbound"] `
    + `${byTestId('message-author')}`).allTextContents();
  expect(authors.some((a) => a.startsWith('Ada')) && authors.some((a) => a.startsWith('Bob')),
    `each member is named: ${authors}`);
  await shot(page, 'identity-thread-group');

  // A customer of a number without an agent: the message waits, and says why.
  await page.goto(`${baseUrl}/console/conversations/${(await conversation(`user_id=${waiting.userId}`)).id}`);
  await page.waitForSelector(byTestId('message-held'), { timeout: T });
  expect((await page.textContent(byTestId('message-held'))).includes('no agent is deployed on the number'),
    'the held note says why');
  expect((await page.textContent(byTestId('detail-unanswered'))).startsWith('1'), 'the details count it');
  await shot(page, 'identity-thread-unanswered');

  // The agent answered after a person took over: kept, not sent.
  await page.goto(`${baseUrl}/console/conversations/${slowConv.id}`);
  await page.waitForSelector(`${byTestId('thread-message')}[data-status="suppressed"]`, { timeout: T });
  expect((await page.textContent(byTestId('message-suppressed'))).includes('Not sent'), 'the note says not sent');
  await shot(page, 'identity-thread-suppressed');
});
agent.close();
