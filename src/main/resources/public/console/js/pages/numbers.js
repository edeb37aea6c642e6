// Numbers: the WhatsApp Business numbers of this workspace, and the shared sandbox number when it is on.
import { api } from '../api.js';
import { h, icon, mount } from '../dom.js';
import { badge, card, empty, errorBox, loading, pageHead } from '../ui.js';
import { pager } from '../pager.js';
import { SANDBOX_ID } from '../directory.js';
import { ago, dateTime } from '../format.js';

export async function numbersList(ctx) {
  ctx.crumbs(['Numbers']);
  const register = h('a', { class: 'btn primary', href: '/console/numbers/new', 'data-testid': 'register-number' },
    icon('plus'), 'Register a number');
  const body = h('div', {}, loading('Loading numbers…'));
  mount(ctx.view, pageHead({
    title: 'Numbers', actions: register,
    sub: 'WhatsApp Business phone numbers from Meta\'s Cloud API. Register one to let its customers reach your agents.',
  }), card({ body, testid: 'numbers-card' }));

  const tbody = h('tbody');
  const p = pager({
    path: '/api/numbers', signal: ctx.signal, noun: 'numbers',
    onRows: (rows) => tbody.append(...rows.filter((n) => n.id !== SANDBOX_ID).map((n) => row(ctx, n, false))),
  });
  try {
    const [rows, sandbox] = await Promise.all([p.load(), api(`/api/numbers/${SANDBOX_ID}`, { signal: ctx.signal })
      .catch((e) => (e.status === 404 ? null : Promise.reject(e)))]);
    if (sandbox) tbody.prepend(row(ctx, sandbox, true));
    if (rows.length === 0 && !sandbox) {
      mount(body, empty({
        glyph: 'numbers', title: 'No numbers yet',
        body: 'Register the phone number you set up in Meta\'s WhatsApp Manager; the form tells you where to find '
          + 'each value.',
        action: h('a', { class: 'btn primary', href: '/console/numbers/new' }, icon('plus'), 'Register a number'),
      }));
      return;
    }
    mount(body, h('div', { class: 'table-wrap' }, h('table', { class: 'table', 'data-testid': 'numbers-table' },
      h('thead', {}, h('tr', {}, h('th', {}, 'Number'), h('th', { class: 'hide-sm' }, 'Phone number ID'),
        h('th', { class: 'hide-sm' }, 'WABA ID'), h('th', { class: 'num' }, 'Throughput'),
        h('th', { class: 'hide-sm' }, 'Added'))),
      tbody)), p.element);
    if (rows.length === 0) {
      body.append(h('div', { class: 'card-foot muted' }, 'Only the shared sandbox number so far. ',
        h('a', { href: '/console/numbers/new' }, 'Register your own WhatsApp number'), ' to go live.'));
    }
  } catch (e) {
    if (e.name !== 'AbortError') mount(body, h('div', { class: 'card-body' }, errorBox(e, ctx.reload)));
  }
}

function row(ctx, n, sandbox) {
  const href = `/console/numbers/${encodeURIComponent(n.id)}`;
  const tr = h('tr', { class: 'clickable', 'data-testid': 'number-row', 'data-id': n.id },
    h('td', {}, h('a', { class: 'primary-cell', href }, n.display_phone_number), ' ',
      sandbox && badge('Sandbox', 'violet'), h('span', { class: 'sub mono' }, n.id)),
    h('td', { class: 'hide-sm mono' }, n.phone_number_id),
    h('td', { class: 'hide-sm mono' }, n.waba_id || h('span', { class: 'faint' }, '—')),
    h('td', { class: 'num nowrap' }, `${n.throughput_mps} msg/s`),
    h('td', { class: 'hide-sm nowrap', title: dateTime(n.created_at) }, sandbox ? 'Built in' : ago(n.created_at)));
  tr.addEventListener('click', (e) => {
    if (!e.target.closest('a')) ctx.navigate(href);
  });
  return tr;
}
