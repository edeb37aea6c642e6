// Recent calls to an agent's webhook (GET /api/agents/{id}/calls), newest first, with status, latency and error.
import { h, icon, mount } from '../dom.js';
import { badge, busy, card, empty, errorBox, loading } from '../ui.js';
import { pager } from '../pager.js';
import { ago, dateTime, latency } from '../format.js';

export function callsCard(ctx, agent) {
  const body = h('div', {}, loading('Loading calls…'));
  const refresh = h('button', { class: 'btn sm', type: 'button', 'data-testid': 'refresh-calls' },
    icon('refresh', 'sm'), 'Refresh');
  const element = card({
    title: 'Recent calls', sub: 'Each attempt to call your webhook, newest first.', actions: refresh, body,
    testid: 'calls-card',
  });
  element.classList.add('calls');
  let running = null;

  async function load() {
    if (running) return running;
    const tbody = h('tbody');
    const p = pager({
      path: `/api/agents/${encodeURIComponent(agent.id)}/calls`, signal: ctx.signal, limit: 25, noun: 'calls',
      onRows: (rows) => tbody.append(...rows.map(callRow)),
    });
    running = p.load().then((rows) => {
      if (rows.length === 0) {
        mount(body, empty({
          glyph: 'robot', title: 'No calls yet',
          body: 'Press Test Agent and write a message: each call to your webhook shows up here with its latency and '
            + 'any error.',
        }));
        return;
      }
      mount(body, h('div', { class: 'table-wrap' }, h('table', { class: 'table', 'data-testid': 'calls-table' },
        h('thead', {}, h('tr', {},
          h('th', {}, 'Time'), h('th', {}, 'Status'), h('th', { class: 'num' }, 'Latency'),
          h('th', { class: 'hide-sm' }, 'Outcome'), h('th', { class: 'hide-sm num' }, 'Attempt'),
          h('th', { class: 'hide-sm' }, 'Conversation'), h('th', {}, 'Error'))),
        tbody)), p.element);
    }).catch((e) => {
      if (e.name !== 'AbortError') mount(body, h('div', { class: 'card-body' }, errorBox(e, load)));
    }).finally(() => {
      running = null;
    });
    return running;
  }

  refresh.addEventListener('click', () => busy(refresh, 'Refreshing…', load));
  return { element, load };
}

function callRow(c) {
  const ok = c.status === 'ok';
  return h('tr', { 'data-testid': 'call-row', 'data-status': c.status },
    h('td', { class: 'nowrap', title: dateTime(c.created_at) }, ago(c.created_at)),
    h('td', {}, badge(ok ? 'OK' : 'Failed', ok ? 'green' : 'red', { dot: true })),
    h('td', { class: 'num nowrap' }, latency(c.latency_ms)),
    h('td', { class: 'hide-sm' }, h('code', {}, c.outcome)),
    h('td', { class: 'hide-sm num' }, String(c.attempt)),
    h('td', { class: 'hide-sm' }, c.conversation_id
      ? h('a', { href: `/console/conversations/${encodeURIComponent(c.conversation_id)}`, class: 'mono id-cell',
        title: c.conversation_id }, c.conversation_id)
      : '—'),
    h('td', { class: 'err-cell', title: c.error || '' }, c.error || h('span', { class: 'faint' }, '—')));
}
