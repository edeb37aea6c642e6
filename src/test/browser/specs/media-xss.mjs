// Issue 11, finding 1 ("Stored XSS on wabridge's own origin steals the admin key"), in a real browser. Hostile media
// arrives through the real paths: a customer's "document" that is a web page and a customer's "photo" that is an SVG
// with a script (webhook → download from the hostile fake Graph), an agent's document that is markup (agent reply →
// sandbox chat), and an SVG photo attached in the sandbox chat. Each is opened as a user would (clicked in the console
// and in the sandbox) and directly by URL. The payload reads document.cookie, calls /api/keys, tries to create a
// workspace and a key, and reports to the fake Graph's /collect: nothing may arrive, nothing may be created.
import http from 'node:http';
import { createHmac, randomInt } from 'node:crypto';
import { run, baseUrl, adminKey, hostileGraph, expect, shot, signIn } from '../lib.mjs';

const T = 20_000;
const byTestId = (id) => `[data-testid="${id}"]`;
const admin = { Authorization: `Bearer ${adminKey}`, 'Content-Type': 'application/json' };
const settle = (ms = 1500) => new Promise((r) => setTimeout(r, ms));

async function hits() {
  return (await (await fetch(`${hostileGraph}/hits`)).json()).hits;
}

// The hostile agent and its files, on a loopback port: it answers every message with a "notes" document whose bytes
// are markup, and serves the payload as a real page on its own origin (the control: proves a payload that runs is
// seen).
const payload = await (await fetch(`${hostileGraph}/payload.html`)).text();
let controlHits = 0;
const server = http.createServer((req, res) => {
  if (req.method === 'POST' && req.url === '/agent') {
    req.resume();
    req.on('end', () => {
      res.writeHead(200, { 'Content-Type': 'application/json' });
      res.end(JSON.stringify({ type: 'document', url: `${origin}/notes.txt`, filename: 'notes.html',
        caption: 'your notes' }));
    });
  } else if (req.method === 'POST') {
    req.resume();
    req.on('end', () => res.writeHead(204).end());
  } else if (req.url === '/notes.txt') {
    res.writeHead(200, { 'Content-Type': 'text/plain' });
    res.end(`Meeting notes\n${payload}`);
  } else if (req.url === '/control.html') {
    res.writeHead(200, { 'Content-Type': 'text/html' });
    res.end(payload.replaceAll(`${hostileGraph}/collect`, `${origin}/control-collect`));
  } else if (req.url.startsWith('/control-collect')) {
    controlHits++;
    res.writeHead(204).end();
  } else {
    res.writeHead(404).end();
  }
});
await new Promise((r) => server.listen(0, '127.0.0.1', r));
const origin = `http://127.0.0.1:${server.address().port}`;

/** Opens a link the way a user does (it opens a new tab) and gives whatever it did time to run. */
async function clickAndWait(context, page, selector) {
  const popup = context.waitForEvent('page', { timeout: 5000 }).catch(() => null);
  await page.click(selector);
  const tab = await popup;
  await settle();
  if (tab) await tab.close().catch(() => {});
}

/** Opens a media URL directly; a download is what a safe file does. */
async function openDirectly(page, url) {
  try {
    await page.goto(url, { timeout: 5000 });
  } catch (e) {
    if (!/download/i.test(String(e))) throw e;
  }
  await settle();
}

await run('media-xss', async ({ context, page }) => {
  // The control: the same payload, as a page on another origin, runs and is seen.
  await page.goto(`${origin}/control.html`);
  await settle();
  expect(controlHits > 0, 'the payload runs where it is a page, and its report is seen');
  const before = await hits();
  expect(before === 0, `no hostile report before the test: ${before}`);

  // A number on the hostile Graph, an agent that stays quiet, and a customer who sends a page and an SVG.
  await signIn(context);
  const pnid = String(randomInt(100_000_000, 999_999_999)) + String(randomInt(100_000, 999_999));
  const appSecret = `xss-secret-${randomInt(1e9)}`;
  const number = await fetch(`${baseUrl}/api/numbers`, { method: 'POST', headers: admin, body: JSON.stringify({
    phone_number_id: pnid, display_phone_number: '+1 555 010 0666', access_token: 'xss-token', app_secret: appSecret,
    verify_token: 'xss-verify' }) }).then((r) => r.json());
  const quiet = await fetch(`${baseUrl}/api/agents`, { method: 'POST', headers: admin, body: JSON.stringify({
    name: 'Quiet', webhook_url: `${origin}/quiet`, number_id: number.id }) }).then((r) => r.json());
  await fetch(`${baseUrl}/api/agents/${quiet.id}/deploy`, { method: 'POST', headers: admin });
  const from = `1555066${randomInt(1000, 9999)}`;
  const messages = [
    { type: 'document', document: { id: `html-${randomInt(1e9)}`, mime_type: 'text/html',
      filename: 'invoice.html', sha256: 'x' } },
    { type: 'image', image: { id: `svg-${randomInt(1e9)}`, mime_type: 'image/svg+xml', sha256: 'x' } },
  ].map((m, i) => ({ from, id: `wamid.xss${Date.now()}${i}`, timestamp: String(Math.floor(Date.now() / 1000)), ...m }));
  const body = JSON.stringify({ object: 'whatsapp_business_account', entry: [{ id: 'WABA', changes: [{
    field: 'messages', value: { messaging_product: 'whatsapp',
      metadata: { display_phone_number: '15550100666', phone_number_id: pnid },
      contacts: [{ profile: { name: 'Mallory' }, wa_id: from }], messages } }] }] });
  const hook = await fetch(`${baseUrl}/webhooks/whatsapp`, { method: 'POST', body, headers: {
    'Content-Type': 'application/json',
    'X-Hub-Signature-256': `sha256=${createHmac('sha256', appSecret).update(body).digest('hex')}` } });
  expect(hook.status === 200, `webhook answered ${hook.status}`);

  // The console: open the thread, click the document, open both files directly.
  await page.goto(`${baseUrl}/console/conversations?agent_id=${quiet.id}`);
  await page.click(`${byTestId('conversation-row')} >> text=Mallory`, { timeout: T });
  const doc = `${byTestId('thread-message')}[data-type="document"] a.doc`;
  const img = `${byTestId('thread-message')}[data-type="image"] img`;
  for (let i = 0; i < 20 && !(await page.$(`${doc}[href*="/media/"]`) && await page.$(img)); i++) {
    await settle(500);
    await page.reload();
  }
  await page.waitForSelector(`${doc}[href*="/media/"]`, { timeout: T });
  await shot(page, 'media-xss-console-thread');
  await clickAndWait(context, page, doc);
  const docUrl = await page.getAttribute(doc, 'href');
  const imgUrl = await page.getAttribute(img, 'src');
  expect(imgUrl.includes('/media/'), `the image is hosted media: ${imgUrl}`);
  await openDirectly(page, docUrl);
  await openDirectly(page, imgUrl);
  const fromConsole = await hits();
  expect(fromConsole === 0, `a customer's media ran on wabridge's origin (${fromConsole} reports)`);
  for (const url of [docUrl, imgUrl]) {
    const r = await fetch(url);
    expect(r.headers.get('content-type') === 'application/octet-stream'
      && r.headers.get('content-disposition').startsWith('attachment')
      && r.headers.get('content-security-policy') === "default-src 'none'; sandbox",
    `${url} is a download that cannot run: ${[...r.headers].join(' | ')}`);
  }

  // The sandbox: an agent's markup "document" clicked and opened; an SVG photo attached is refused.
  const hostile = await fetch(`${baseUrl}/api/agents`, { method: 'POST', headers: admin, body: JSON.stringify({
    name: 'Hostile', webhook_url: `${origin}/agent` }) }).then((r) => r.json());
  await page.goto(hostile.connect_url);
  await page.waitForSelector(byTestId('composer'), { state: 'visible', timeout: T });
  await page.fill(byTestId('customer-phone'), `+1555067${randomInt(1000, 9999)}`);
  await page.fill(byTestId('composer'), 'send me the notes');
  await page.click(byTestId('send'));
  const chip = `${byTestId('message')}[data-type="document"] a.doc`;
  await page.waitForSelector(chip, { timeout: T });
  await clickAndWait(context, page, chip);
  const chipUrl = new URL(await page.getAttribute(chip, 'href'), baseUrl).href;
  await page.goto(hostile.connect_url);
  await page.waitForSelector(byTestId('composer'), { state: 'visible', timeout: T });
  await openDirectly(page, chipUrl);

  await page.goto(hostile.connect_url);
  await page.waitForSelector(byTestId('composer'), { state: 'visible', timeout: T });
  const svg = await (await fetch(`${hostileGraph}/payload.svg`)).text();
  await page.setInputFiles(byTestId('attach-input'), { name: 'cat.png', mimeType: 'image/png',
    buffer: Buffer.from(svg) });
  await page.waitForSelector('#banner:not([hidden]) >> text=not a JPEG', { timeout: T });
  await shot(page, 'media-xss-sandbox-svg-refused');

  // Nothing ran: no report, no key or workspace created, nothing written to wabridge's storage, no cookie read.
  await settle();
  const after = await hits();
  expect(after === 0, `hostile media ran on wabridge's origin (${after} reports)`);
  const keys = await fetch(`${baseUrl}/api/keys?limit=200`, { headers: admin }).then((r) => r.json());
  expect(!keys.data.some((k) => k.name.startsWith('pwned')), 'no key was created by a payload');
  await page.goto(`${baseUrl}/console/agents`);
  expect(await page.evaluate(() => localStorage.getItem('pwned')) === null, 'no payload wrote to storage');
  server.close();
});
