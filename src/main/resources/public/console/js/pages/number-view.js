// One number: its details (secrets are never shown), the webhook setup, and removal.
import { api } from '../api.js';
import { h, icon, mount } from '../dom.js';
import { badge, busy, card, confirm, errorBox, loading, pageHead, toast } from '../ui.js';
import { SANDBOX_ID } from '../directory.js';
import { dateTime } from '../format.js';
import { webhookSetup } from './number-setup.js';

export async function numberView(ctx) {
  const id = ctx.params[0];
  const path = `/api/numbers/${encodeURIComponent(id)}`;
  ctx.crumbs([{ label: 'Numbers', href: '/console/numbers' }, id]);
  mount(ctx.view, loading('Loading number…'));
  let n;
  try {
    n = await api(path, { signal: ctx.signal });
  } catch (e) {
    if (e.name !== 'AbortError') {
      mount(ctx.view, pageHead({ title: 'Number', back: { href: '/console/numbers', label: 'Numbers' } }),
        errorBox(e, ctx.reload));
    }
    return;
  }
  const sandbox = n.id === SANDBOX_ID;
  ctx.crumbs([{ label: 'Numbers', href: '/console/numbers' }, n.display_phone_number]);
  const slot = h('div', { class: 'action-errors' });
  const del = h('button', { class: 'btn danger', type: 'button', 'data-testid': 'delete-number' },
    icon('trash', 'sm'), 'Remove number');
  del.addEventListener('click', async () => {
    const ok = await confirm({
      title: `Remove ${n.display_phone_number}?`, confirmLabel: 'Remove number', danger: true,
      body: 'wabridge forgets its credentials and stops handling its messages. Agents on it must be paused first. '
        + 'Remove the webhook in Meta\'s App Dashboard too.',
    });
    if (!ok) return;
    mount(slot);
    try {
      await busy(del, 'Removing…', () => api(path, { method: 'DELETE' }));
      toast(`${n.display_phone_number} removed`);
      ctx.navigate('/console/numbers');
    } catch (e) {
      if (e.name !== 'AbortError') mount(slot, errorBox(e));
    }
  });

  mount(ctx.view,
    pageHead({
      title: n.display_phone_number, back: { href: '/console/numbers', label: 'Numbers' },
      badge: sandbox ? badge('Sandbox', 'violet') : null,
      sub: sandbox ? 'The simulated number every agent shares for testing in the sandbox chat.'
        : 'A WhatsApp Business number connected through Meta\'s Cloud API.',
      actions: h('a', { class: 'btn primary', href: `/console/agents/new?number_id=${encodeURIComponent(n.id)}` },
        icon('plus'), 'Create agent on it'),
    }),
    slot,
    h('div', { class: 'grid-2' },
      sandbox ? card({ title: 'How to use it', body: h('div', { class: 'card-body' }, h('p', { class: 'muted' },
        'Create an agent on the sandbox number and press Test Agent: the sandbox chat plays the customer, and '
        + 'every message travels the same path as on a real number.')) }) : webhookSetup(n, null),
      h('div', { class: 'stack' },
        card({
          title: 'Details', body: h('div', { class: 'card-body' }, h('dl', { class: 'dl' },
            row('Number ID', h('code', {}, n.id)),
            row('Phone number ID', h('code', {}, n.phone_number_id)),
            row('WABA ID', n.waba_id ? h('code', {}, n.waba_id) : h('span', { class: 'faint' }, 'Not set')),
            row('Throughput', `${n.throughput_mps} messages/s`),
            row('Credentials', h('span', { class: 'muted' }, 'Stored encrypted; never shown')),
            row('Added', dateTime(n.created_at)))),
        }),
        !sandbox && card({
          title: 'Danger zone', body: h('div', { class: 'card-body stack stack-sm' },
            h('p', { class: 'muted' }, 'Removing it stops wabridge from handling this number\'s messages.'),
            h('div', {}, del)),
        }))));
}

function row(label, value) {
  return [h('dt', {}, label), h('dd', {}, value)];
}
