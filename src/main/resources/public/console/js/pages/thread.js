// A conversation's thread: bubbles with statuses and errors, refreshed every few seconds; handoff and resume;
// a composer to write as the business (templates only once the 24-hour window has closed).
import { api, query } from '../api.js';
import { h, icon, mount } from '../dom.js';
import { badge, card, errorBox, loading, pageHead, toast, busy } from '../ui.js';
import { dateTime, dayLabel, initials, windowState } from '../format.js';
import { bubble } from '../message.js';
import { composer } from './composer.js';
import { customerLabel, customerSub, HELD_LABELS, isGroup, unansweredBadge } from '../customer.js';

const REFRESH_MS = 3000;
const PAGE = 200;

export async function threadView(ctx) {
  const id = ctx.params[0];
  const path = `/api/conversations/${encodeURIComponent(id)}`;
  ctx.crumbs([{ label: 'Conversations', href: '/console/conversations' }, id]);
  mount(ctx.view, loading('Loading conversation…'));
  let conv;
  let agent = null;
  try {
    conv = await api(path, { signal: ctx.signal });
    // A conversation on a number no agent answers has none; a deleted agent's is gone (404).
    agent = !conv.agent_id ? null : await api(`/api/agents/${encodeURIComponent(conv.agent_id)}`,
      { signal: ctx.signal }).catch((e) => {
      // Only a 404 means the agent was deleted; anything else (5xx, 429, offline) is an error to show.
      if (e.name === 'AbortError' || e.status !== 404) throw e;
      return null;
    });
  } catch (e) {
    if (e.name !== 'AbortError') {
      const back = { href: '/console/conversations', label: 'Conversations' };
      mount(ctx.view, pageHead({ title: 'Conversation', back }),
        errorBox(e, ctx.reload));
    }
    return;
  }
  ctx.crumbs([{ label: 'Conversations', href: '/console/conversations' }, customerLabel(conv)]);

  const list = h('div', { class: 'messages', 'data-testid': 'thread', 'aria-live': 'polite' },
    loading('Loading messages…'));
  const head = h('div', { class: 'thread-head' });
  const side = h('div');
  const banner = h('div', { class: 'action-errors' });
  const live = h('div', { class: 'action-errors' });
  const compose = composer({ path, onSent: () => refresh(true), conv: () => conv });
  const thread = { els: new Map(), pageStarts: [null], lastDay: null, count: 0 };

  function renderHead() {
    const handoff = h('button', { class: 'btn sm', type: 'button', 'data-testid': 'handoff',
      title: 'Stop calling the agent for this conversation so that a person can answer' },
    icon('person', 'sm'), 'Hand off to a person');
    const resume = h('button', { class: 'btn sm primary', type: 'button', 'data-testid': 'resume',
      title: 'Call the agent again for this customer\'s next messages' }, icon('robot', 'sm'), 'Resume the agent');
    const toggle = conv.handoff ? resume : handoff;
    toggle.addEventListener('click', async () => {
      mount(banner);
      try {
        conv = await busy(toggle, conv.handoff ? 'Resuming…' : 'Handing off…',
          () => api(`${path}/${conv.handoff ? 'resume' : 'handoff'}`, { method: 'POST' }));
        toast(conv.handoff ? 'Handed off: the agent is not called until you resume it.'
          : 'The agent answers this customer again.');
        renderMeta();
      } catch (e) {
        if (e.name !== 'AbortError') mount(banner, errorBox(e));
      }
    });
    const w = windowState(conv.window_expires_at);
    mount(head,
      h('span', { class: ['avatar', isGroup(conv) && 'group'] }, isGroup(conv) ? 'G'
        : initials(conv.customer_name || conv.username, conv.phone_number || conv.user_id)),
      h('div', { class: 'who' }, h('h1', { 'data-testid': 'thread-customer' }, customerLabel(conv)),
        h('span', {}, customerSub(conv), ' · ', agentName())),
      h('div', { class: 'actions' },
        badge(w.label, w.tone, { dot: true, title: w.title, testid: 'window-badge' }),
        unansweredBadge(conv),
        conv.handoff && badge('Handed off', 'blue', { dot: true, testid: 'handoff-badge' }), toggle));
  }

  function agentName() {
    if (agent) return agent.name;
    return conv.agent_id ? `${conv.agent_id} (deleted)` : 'No agent';
  }

  function renderSide() {
    const w = windowState(conv.window_expires_at);
    mount(side, card({
      cls: 'side-card', title: 'Details',
      body: h('div', { class: 'card-body' }, h('dl', { class: 'dl' },
        isGroup(conv) ? row('Group', h('code', { 'data-testid': 'detail-group' }, conv.group_id))
          : row('Customer', conv.customer_name || h('span', { class: 'faint' }, 'No profile name')),
        !isGroup(conv) && row('Phone', conv.phone_number ? h('code', {}, conv.phone_number)
          : h('span', { class: 'faint', title: 'Meta withholds the phone of some users with a username; replies go '
            + 'to their user id' }, 'Withheld by WhatsApp')),
        conv.username && row('Username', h('span', { 'data-testid': 'detail-username' }, `@${conv.username}`)),
        conv.user_id && row('User ID', h('code', { 'data-testid': 'detail-user-id', title: 'Meta\'s business-scoped '
          + 'user id: how WhatsApp names this customer to your business' }, conv.user_id)),
        row('Agent', agent ? h('a', { href: `/console/agents/${encodeURIComponent(agent.id)}` }, agent.name)
          : agentName()),
        row('Handling', conv.handoff ? 'A person (agent paused)' : agent ? 'The agent'
          : 'Nobody yet: messages wait unanswered'),
        conv.unanswered > 0 && row('Unanswered', h('span', { 'data-testid': 'detail-unanswered' },
          `${conv.unanswered}: ${HELD_LABELS[conv.held] || conv.held}`)),
        row('Window', h('span', { title: w.title }, w.open ? `Open until ${dateTime(conv.window_expires_at)}`
          : w.label)),
        row('Messages', String(thread.count)),
        row('Started', dateTime(conv.created_at)),
        row('ID', h('code', {}, conv.id)))),
    }));
  }

  function renderMeta() {
    renderHead();
    renderSide();
    compose.update();
  }

  function apply(rows, first) {
    const atBottom = list.scrollHeight - list.scrollTop - list.clientHeight < 120;
    if (thread.count === 0 && (first || rows.length)) mount(list);
    let added = false;
    for (const m of rows) {
      const old = thread.els.get(m.id);
      if (old) {
        if (old.dataset.sig !== sig(m)) {
          const fresh = signed(m);
          old.replaceWith(fresh);
          thread.els.set(m.id, fresh);
        }
        continue;
      }
      const day = dayLabel(m.created_at);
      if (day !== thread.lastDay) {
        list.append(h('div', { class: 'day' }, day));
        thread.lastDay = day;
      }
      const el = signed(m);
      thread.els.set(m.id, el);
      list.append(el);
      thread.count += 1;
      added = true;
    }
    if (first && thread.count === 0) {
      mount(list, h('div', { class: 'day' }, 'No messages yet'));
    }
    if (added && (atBottom || first)) list.scrollTop = list.scrollHeight;
    if (added) renderSide();
  }

  /** Loads from the start of the last page read, so new messages arrive and recent statuses update. */
  let running = null;
  async function refresh(withConversation) {
    if (running) return running;
    running = (async () => {
      let idx = thread.pageStarts.length - 1;
      const first = thread.count === 0;
      for (;;) {
        const page = await api(`${path}/messages${query({ limit: PAGE, cursor: thread.pageStarts[idx] })}`,
          { signal: ctx.signal });
        apply(page.data, first && idx === 0);
        if (!page.next_cursor) break;
        idx += 1;
        thread.pageStarts[idx] = page.next_cursor;
      }
      thread.pageStarts.length = idx + 1;
      if (withConversation) {
        conv = await api(path, { signal: ctx.signal });
        renderMeta();
      }
      compose.showResult(thread.els);
    })().finally(() => {
      running = null;
    });
    return running;
  }

  mount(ctx.view,
    h('a', { class: 'back-link', href: '/console/conversations' }, icon('back', 'sm'), 'Conversations'),
    banner, live,
    h('div', { class: 'thread-layout' },
      h('section', { class: 'card thread-card' }, head, list, compose.element),
      side));
  renderMeta();
  try {
    await refresh(false);
  } catch (e) {
    if (e.name !== 'AbortError') mount(list, h('div', { class: 'card-body' }, errorBox(e, ctx.reload)));
    return;
  }

  let ticks = 0;
  const timer = setInterval(() => {
    if (document.visibilityState !== 'visible') return;
    ticks += 1;
    refresh(ticks % 2 === 0).then(() => mount(live)).catch((e) => {
      if (e.name !== 'AbortError') {
        mount(live, errorBox({ message: `Live updates paused: ${e.message}`, hint: e.hint || 'Retrying every few '
          + 'seconds; the thread may be out of date until then.' }));
      }
    });
  }, REFRESH_MS);
  ctx.onLeave(() => clearInterval(timer));
}

function sig(m) {
  return `${m.status}|${m.updated_at}|${m.error?.code || ''}`;
}

function signed(m) {
  const el = bubble(m);
  el.dataset.sig = sig(m);
  el.message = m;
  return el;
}

function row(label, value) {
  return [h('dt', {}, label), h('dd', {}, value)];
}
