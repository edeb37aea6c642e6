// Agents: the list, with status, number and creation time.
import { h, icon, mount } from '../dom.js';
import { agentStatus, card, empty, errorBox, loading, pageHead } from '../ui.js';
import { pager } from '../pager.js';
import { loadNumbers, numberLabel } from '../directory.js';
import { ago, dateTime } from '../format.js';

export async function agentsList(ctx) {
  ctx.crumbs(['Agents']);
  const create = h('a', { class: 'btn primary', href: '/console/agents/new', 'data-testid': 'create-agent' },
    icon('plus'), 'Create agent');
  const body = h('div', {}, loading('Loading agents…'));
  mount(ctx.view,
    pageHead({
      title: 'Agents', actions: create,
      sub: 'An agent connects a WhatsApp number to your webhook: wabridge calls it for every customer message and '
        + 'delivers what it answers.',
    }),
    card({ body, testid: 'agents-card' }));

  const tbody = h('tbody');
  let numbers = null;
  const p = pager({
    path: '/api/agents', signal: ctx.signal, noun: 'agents',
    onRows: (rows) => tbody.append(...rows.map((a) => row(ctx, a, numbers))),
  });
  try {
    numbers = await loadNumbers(ctx.signal);
    const rows = await p.load();
    if (rows.length === 0) {
      mount(body, empty({
        glyph: 'agents', title: 'No agents yet',
        body: 'Create an agent with your webhook URL, then try it at once in the sandbox chat: no WhatsApp account '
          + 'needed.',
        action: h('a', { class: 'btn primary', href: '/console/agents/new' }, icon('plus'), 'Create your first agent'),
      }));
      return;
    }
    mount(body, h('div', { class: 'table-wrap' }, h('table', { class: 'table', 'data-testid': 'agents-table' },
      h('thead', {}, h('tr', {}, h('th', {}, 'Name'), h('th', {}, 'Status'), h('th', { class: 'hide-sm' }, 'Number'),
        h('th', { class: 'hide-sm' }, 'Created'))),
      tbody)), p.element);
  } catch (e) {
    if (e.name !== 'AbortError') mount(body, h('div', { class: 'card-body' }, errorBox(e, ctx.reload)));
  }
}

function row(ctx, a, numbers) {
  const href = `/console/agents/${encodeURIComponent(a.id)}`;
  const tr = h('tr', { class: 'clickable', 'data-testid': 'agent-row', 'data-id': a.id },
    h('td', {}, h('a', { class: 'primary-cell', href }, a.name), h('span', { class: 'sub mono' }, a.id)),
    h('td', {}, agentStatus(a.status)),
    h('td', { class: 'hide-sm' }, numberLabel(numbers, a.number_id)),
    h('td', { class: 'hide-sm nowrap', title: dateTime(a.created_at) }, ago(a.created_at)));
  tr.addEventListener('click', (e) => {
    if (!e.target.closest('a')) ctx.navigate(href);
  });
  return tr;
}
