// The steps to point Meta's webhook at wabridge: Callback URL, verify token, the "messages" field.
import { h } from '../dom.js';
import { callout, card, copyBox } from '../ui.js';

/** verifyToken: the token just entered (shown once); null later, since wabridge keeps only its hash. */
export function webhookSetup(number, verifyToken) {
  const local = /^https?:\/\/(localhost|127\.|0\.0\.0\.0|\[::1\])/.test(number.webhook_url);
  return card({
    title: 'Connect Meta\'s webhook', testid: 'webhook-setup',
    sub: 'In the Meta App Dashboard: your app → WhatsApp → Configuration → Webhook → Edit.',
    body: h('div', { class: 'card-body stack' },
      local && callout('amber', 'Meta cannot reach this address from the internet.',
        'Start wabridge with WABRIDGE_PUBLIC_URL set to its public HTTPS address (or a tunnel), then paste that '
        + 'Callback URL instead.'),
      h('ol', { class: 'steps' },
        h('li', {}, h('div', { class: 's-body' }, h('h3', {}, 'Callback URL'),
          h('p', {}, 'Paste this into "Callback URL".'),
          copyBox(number.webhook_url, { testid: 'webhook-url' }))),
        h('li', {}, h('div', { class: 's-body' }, h('h3', {}, 'Verify token'),
          verifyToken
            ? [h('p', {}, 'Paste this into "Verify token". It is shown only now: wabridge keeps just a hash of it.'),
              copyBox(verifyToken, { testid: 'verify-token', secret: true })]
            : h('p', {}, 'Paste the verify token you chose when registering (wabridge keeps only a hash of it). '
              + 'Lost it? Set a new one with PATCH /api/numbers/' + number.id + ' {"verify_token": "…"}.'))),
        h('li', {}, h('div', { class: 's-body' }, h('h3', {}, 'Verify and save'),
          h('p', {}, 'Meta calls the Callback URL once with the verify token; wabridge answers when they match.'))),
        h('li', {}, h('div', { class: 's-body' }, h('h3', {}, 'Subscribe to "messages"'),
          h('p', {}, 'Under "Webhook fields", press Subscribe next to messages. Statuses (sent, delivered, read) '
            + 'arrive through the same field.'))))),
  });
}
