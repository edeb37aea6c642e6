// Conversations: one per agent and customer (or group), newest activity first; search by any part of a phone number,
// an @username or a user id; filter by agent and by messages waiting unanswered.
import { h, icon, mount } from '../dom.js';
import { badge, callout, card, empty, errorBox, loading, pageHead } from '../ui.js';
import { pager } from '../pager.js';
import { loadAgents } from '../directory.js';
import { ago, dateTime, initials, windowState } from '../format.js';
import { select } from '../forms.js';
import { customerLabel, customerSub, isGroup, searchFilter, unansweredBadge } from '../customer.js';

const SEARCH_KEYS = ['phone_number', 'username', 'user_id'];

export async function conversationsList(ctx) {
  ctx.crumbs(['Conversations']);
  const searched = SEARCH_KEYS.map((k) => [k, ctx.query.get(k)]).find(([, v]) => v);
  const text = !searched ? '' : searched[0] === 'username' ? `@${searched[1]}` : searched[1];
  const agentId = ctx.query.get('agent_id') || '';
  const onlyUnanswered = ctx.query.get('unanswered') === 'true';
  const search = h('input', { class: 'input', type: 'search', value: text, 'data-testid': 'conversation-search',
    placeholder: 'Phone (any 3+ digits), @username or user id', 'aria-label': 'Search conversations',
    title: 'Any part of a phone number (at least 3 digits), an @username, or a user id such as US.1349…' });
  const agentSelect = select([{ value: '', label: 'All agents' }], { 'data-testid': 'conversation-agent',
    'aria-label': 'Agent' });
  const unanswered = h('input', { type: 'checkbox', checked: onlyUnanswered, 'data-testid': 'conversation-unanswered' });
  const form = h('form', { class: 'toolbar', role: 'search' },
    h('div', { class: 'search' }, icon('search'), search), agentSelect,
    h('label', { class: 'check', title: 'Customers whose messages no agent has answered yet' }, unanswered,
      ' Unanswered'),
    h('button', { class: 'btn', type: 'submit' }, 'Search'));
  const hint = h('div', { class: 'search-hint', 'data-testid': 'search-hint' });
  const apply = () => {
    const filter = searchFilter(search.value);
    if (filter.phone_number !== undefined && filter.phone_number.replace(/\D/g, '').length < 3) {
      // Fewer digits would match almost everyone; the API refuses them too.
      mount(hint, callout('amber', 'Type at least 3 digits of the phone number', 'Any part of the number matches: '
        + '"1555" finds +1 555 010 0199. Or search an @username or a user id (US.…).'));
      return;
    }
    mount(hint);
    const q = new URLSearchParams(filter);
    if (agentSelect.value) q.set('agent_id', agentSelect.value);
    if (unanswered.checked) q.set('unanswered', 'true');
    const s = q.toString();
    ctx.navigate(`/console/conversations${s ? `?${s}` : ''}`, { replace: true });
  };
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    apply();
  });
  agentSelect.addEventListener('change', apply);
  unanswered.addEventListener('change', apply);

  const body = h('div', {}, loading('Loading conversations…'));
  mount(ctx.view, pageHead({
    title: 'Conversations',
    sub: 'Every customer thread with its messages, delivery statuses and errors. Hand one off to reply yourself.',
  }), card({ body: [form, hint, body], testid: 'conversations-card' }));

  try {
    const agents = await loadAgents(ctx.signal);
    for (const a of agents.values()) agentSelect.append(h('option', { value: a.id }, a.name));
    if (agentId && !agents.has(agentId)) agentSelect.append(h('option', { value: agentId }, agentId));
    agentSelect.value = agentId;

    const tbody = h('tbody');
    const p = pager({
      path: '/api/conversations', signal: ctx.signal,
      params: { agent_id: agentId, ...(searched ? { [searched[0]]: searched[1] } : {}),
        unanswered: onlyUnanswered ? 'true' : null },
      noun: 'conversations', onRows: (rows) => tbody.append(...rows.map((c) => row(ctx, c, agents))),
    });
    const rows = await p.load();
    if (rows.length === 0) {
      const filtered = searched || agentId || onlyUnanswered;
      mount(body, empty({
        glyph: filtered ? 'search' : 'conversations',
        title: filtered ? 'No matching conversations' : 'No conversations yet',
        body: filtered ? 'Try fewer digits of the number, check the @username, or choose "All agents".'
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
    h('td', {}, h('div', { class: 'row customer-cell' }, h('span', { class: ['avatar sm', isGroup(c) && 'group'] },
      isGroup(c) ? 'G' : initials(c.customer_name || c.username, c.phone_number || c.user_id)),
    h('div', {}, h('a', { class: 'primary-cell', href, 'data-testid': 'conversation-customer' }, customerLabel(c)),
      h('span', { class: 'sub' }, customerSub(c))))),
    h('td', { class: 'hide-sm' }, agent ? agent.name : c.agent_id ? h('code', {}, c.agent_id)
      : h('span', { class: 'faint', title: 'No agent answers this number yet' }, 'No agent')),
    h('td', { class: 'nowrap', title: dateTime(c.last_message_at) }, ago(c.last_message_at)),
    h('td', { class: 'hide-sm' }, badge(w.label, w.tone, { dot: true, title: w.title })),
    h('td', {}, h('div', { class: 'badges' }, unansweredBadge(c),
      c.handoff && badge('Handed off', 'blue', { title: 'A person is answering; the agent is not called',
        testid: 'handoff-badge' }))));
  tr.addEventListener('click', (e) => {
    if (!e.target.closest('a')) ctx.navigate(href);
  });
  return tr;
}
