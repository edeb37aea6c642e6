// Conversations: one per agent and customer, newest activity first; search by phone, filter by agent.
import { h, icon, mount } from '../dom.js';
import { badge, card, empty, errorBox, loading, pageHead } from '../ui.js';
import { pager } from '../pager.js';
import { loadAgents } from '../directory.js';
import { ago, dateTime, initials, windowState } from '../format.js';
import { select } from '../forms.js';

export async function conversationsList(ctx) {
  ctx.crumbs(['Conversations']);
  const phone = ctx.query.get('phone_number') || '';
  const agentId = ctx.query.get('agent_id') || '';
  const search = h('input', { class: 'input', type: 'search', placeholder: 'Search by phone number, e.g. +1555…',
    value: phone, 'data-testid': 'conversation-search', 'aria-label': 'Phone number', inputmode: 'tel' });
  const agentSelect = select([{ value: '', label: 'All agents' }], { 'data-testid': 'conversation-agent',
    'aria-label': 'Agent' });
  const form = h('form', { class: 'toolbar', role: 'search' },
    h('div', { class: 'search' }, icon('search'), search), agentSelect,
    h('button', { class: 'btn', type: 'submit' }, 'Search'));
  const apply = () => {
    const q = new URLSearchParams();
    if (search.value.trim()) q.set('phone_number', search.value.trim());
    if (agentSelect.value) q.set('agent_id', agentSelect.value);
    const s = q.toString();
    ctx.navigate(`/console/conversations${s ? `?${s}` : ''}`, { replace: true });
  };
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    apply();
  });
  agentSelect.addEventListener('change', apply);

  const body = h('div', {}, loading('Loading conversations…'));
  mount(ctx.view, pageHead({
    title: 'Conversations',
    sub: 'Every customer thread with its messages, delivery statuses and errors. Hand one off to reply yourself.',
  }), card({ body: [form, body], testid: 'conversations-card' }));

  try {
    const agents = await loadAgents(ctx.signal);
    for (const a of agents.values()) agentSelect.append(h('option', { value: a.id }, a.name));
    if (agentId && !agents.has(agentId)) agentSelect.append(h('option', { value: agentId }, agentId));
    agentSelect.value = agentId;

    const tbody = h('tbody');
    const p = pager({
      path: '/api/conversations', params: { agent_id: agentId, phone_number: phone }, signal: ctx.signal,
      noun: 'conversations', onRows: (rows) => tbody.append(...rows.map((c) => row(ctx, c, agents))),
    });
    const rows = await p.load();
    if (rows.length === 0) {
      const filtered = phone || agentId;
      mount(body, empty({
        glyph: filtered ? 'search' : 'conversations',
        title: filtered ? 'No matching conversations' : 'No conversations yet',
        body: filtered ? 'Check the number (with country code) or choose "All agents".'
          : 'When a customer writes to one of your agents, the conversation appears here. Try it: open an agent and '
            + 'press Test Agent.',
        action: filtered ? h('a', { class: 'btn', href: '/console/conversations' }, 'Clear filters')
          : h('a', { class: 'btn primary', href: '/console/agents' }, 'Go to agents'),
      }));
      return;
    }
    mount(body, h('div', { class: 'table-wrap' }, h('table', { class: 'table', 'data-testid': 'conversations-table' },
      h('thead', {}, h('tr', {}, h('th', {}, 'Customer'), h('th', { class: 'hide-sm' }, 'Agent'),
        h('th', {}, 'Last message'), h('th', { class: 'hide-sm' }, 'Window'), h('th', {}, ''))),
      tbody)), p.element);
  } catch (e) {
    if (e.name !== 'AbortError') mount(body, h('div', { class: 'card-body' }, errorBox(e, ctx.reload)));
  }
}

function row(ctx, c, agents) {
  const href = `/console/conversations/${encodeURIComponent(c.id)}`;
  const w = windowState(c.window_expires_at);
  const agent = agents.get(c.agent_id);
  const tr = h('tr', { class: 'clickable', 'data-testid': 'conversation-row', 'data-id': c.id },
    h('td', {}, h('div', { class: 'row' }, h('span', { class: 'avatar sm' }, initials(c.customer_name, c.phone_number)),
      h('div', {}, h('a', { class: 'primary-cell', href }, c.customer_name || c.phone_number),
        h('span', { class: 'sub' }, c.phone_number)))),
    h('td', { class: 'hide-sm' }, agent ? agent.name : h('code', {}, c.agent_id)),
    h('td', { class: 'nowrap', title: dateTime(c.last_message_at) }, ago(c.last_message_at)),
    h('td', { class: 'hide-sm' }, badge(w.label, w.tone, { dot: true, title: w.title })),
    h('td', {}, c.handoff && badge('Handed off', 'blue', { title: 'A person is answering; the agent is not called',
      testid: 'handoff-badge' })));
  tr.addEventListener('click', (e) => {
    if (!e.target.closest('a')) ctx.navigate(href);
  });
  return tr;
}
