// The product's promise end to end: sign in to the console, create an agent pointing at the demo agent on the
// sandbox number, press Test Agent, chat as a customer (reply, blue ticks, tappable buttons), then find the
// conversation in the console with both sides and their statuses.
import { run, baseUrl, adminKey, shot, expect } from '../lib.mjs';

const T = 20_000;
const byTestId = (id) => `[data-testid="${id}"]`;
const bubbles = (direction) => `${byTestId('message')}[data-direction="${direction}"]`;

const probe = await fetch(`${baseUrl}/sandbox`);
if (probe.status === 404) {
  console.log('flow: SKIPPED (sandbox chat page not present)');
  process.exit(0);
}

async function snap(p, name) {
  await p.evaluate(() => window.scrollTo(0, 0));
  await shot(p, name);
}

await run('flow', async ({ context, page }) => {
  // Sign in to the console.
  await page.goto(`${baseUrl}/console`);
  await page.waitForSelector(byTestId('api-key'), { timeout: T });
  await page.fill(byTestId('api-key'), adminKey);
  await page.click(byTestId('sign-in'));
  await page.waitForSelector(byTestId('create-agent'), { timeout: T });

  // Create an agent on the shared sandbox number that calls the built-in demo agent.
  await page.click(byTestId('create-agent'));
  await page.waitForSelector(byTestId('agent-name'), { timeout: T });
  expect(await page.$(`${byTestId('agent-number')} option[value="num_sandbox"]`),
    'the sandbox number num_sandbox is offered in the number select');
  await page.fill(byTestId('agent-name'), 'Demo agent');
  await page.fill(byTestId('agent-webhook-url'), `${baseUrl}/sandbox/demo-agent`);
  await page.selectOption(byTestId('agent-number'), 'num_sandbox');
  await page.click(byTestId('agent-submit'));
  await page.waitForSelector(byTestId('webhook-secret'), { timeout: T });
  await page.click(byTestId('open-agent'));
  await page.waitForSelector(byTestId('deploy'), { timeout: T });
  await page.click(byTestId('deploy'));
  await page.waitForSelector(byTestId('pause'), { timeout: T });
  const agentId = page.url().split('/').pop();
  await snap(page, 'flow-agent');

  // "Test Agent" opens the sandbox chat joined to this agent in a new tab.
  const [chat] = await Promise.all([context.waitForEvent('page', { timeout: T }), page.click(byTestId('test-agent'))]);
  chat.on('pageerror', (e) => console.error(`[flow] sandbox page error: ${e.message}`));
  await chat.waitForLoadState();
  expect(chat.url().includes('/sandbox/connect/'), `Test Agent opened ${chat.url()}`);
  const first = await chat.waitForSelector(`${byTestId('composer')}, ${byTestId('api-key')}`, { timeout: T });
  if (await first.getAttribute('data-testid') === 'api-key') {
    await chat.fill(byTestId('api-key'), adminKey);
    await chat.click(byTestId('sign-in'));
    await chat.waitForSelector(byTestId('composer'), { timeout: T });
  }

  // The customer writes; the agent answers; the customer's ticks turn blue.
  const hello = `Hello from the flow test ${Date.now() % 100000}`;
  const repliesBefore = await chat.locator(bubbles('outbound')).count();
  await chat.fill(byTestId('composer'), hello);
  await chat.click(byTestId('send'));
  const mine = chat.locator(bubbles('inbound'), { hasText: hello });
  await mine.waitFor({ timeout: T });
  await chat.waitForFunction(([sel, n]) => document.querySelectorAll(sel).length > n,
    [bubbles('outbound'), repliesBefore], { timeout: T });
  await chat.waitForFunction(([sel, text]) => [...document.querySelectorAll(sel)]
    .some((b) => b.textContent.includes(text) && b.dataset.status === 'read'), [bubbles('inbound'), hello],
  { timeout: T });
  await shot(chat, 'flow-sandbox-chat');

  // A rich reply: tappable buttons.
  const inboundBefore = await chat.locator(bubbles('inbound')).count();
  await chat.fill(byTestId('composer'), 'buttons');
  await chat.click(byTestId('send'));
  const button = chat.locator(byTestId('reply-button')).first();
  await button.waitFor({ state: 'visible', timeout: T });
  expect(await button.isEnabled(), 'the reply buttons can be tapped');
  await shot(chat, 'flow-sandbox-buttons');
  await button.click();
  await chat.waitForFunction(([sel, n]) => document.querySelectorAll(sel).length > n + 1,
    [bubbles('inbound'), inboundBefore], { timeout: T });

  // Back in the console: the conversation has both sides, each with its status.
  await page.bringToFront();
  await page.click(byTestId('nav-conversations'));
  await page.waitForSelector(byTestId('conversation-row'), { timeout: T });
  await page.goto(`${baseUrl}/console/conversations?agent_id=${agentId}`);
  await page.click(byTestId('conversation-row'), { timeout: T });
  const inbound = `${byTestId('thread-message')}[data-direction="inbound"]`;
  const outbound = `${byTestId('thread-message')}[data-direction="outbound"]`;
  await page.waitForSelector(`${inbound} >> text=${hello}`, { timeout: T });
  await page.waitForSelector(`${outbound}[data-status="read"], ${outbound}[data-status="delivered"], `
    + `${outbound}[data-status="sent"]`, { timeout: T });
  const statuses = await page.$$eval(byTestId('thread-message'), (els) => els.map((e) => e.dataset.status));
  expect(statuses.every((s) => s && s !== 'failed'), `every message has a good status: ${statuses.join(', ')}`);
  expect(await page.$(`${outbound} ${byTestId('message-status')}`), 'the business\'s messages show ticks');
  await snap(page, 'flow-console-thread');
});
