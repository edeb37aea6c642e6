// An agent's overview: every field, Test Agent, deploy/pause, edit, rotate secret, delete, and recent calls.
import { api } from '../api.js';
import { h, icon, mount } from '../dom.js';
import {
  agentStatus, busy, card, confirm, copyBox, dialog, errorBox, loading, pageHead, secretPanel, toast,
} from '../ui.js';
import { clearErrors, showError } from '../forms.js';
import { loadNumbers, numberLabel, SANDBOX_ID } from '../directory.js';
import { dateTime } from '../format.js';
import { agentFields, FORMATS } from './agent-form.js';
import { callsCard } from './agent-calls.js';

export async function agentView(ctx) {
  const id = ctx.params[0];
  const path = `/api/agents/${encodeURIComponent(id)}`;
  ctx.crumbs([{ label: 'Agents', href: '/console/agents' }, id]);
  mount(ctx.view, loading('Loading agent…'));
  let agent;
  let numbers;
  try {
    [agent, numbers] = await Promise.all([api(path, { signal: ctx.signal }), loadNumbers(ctx.signal)]);
  } catch (e) {
    if (e.name !== 'AbortError') {
      mount(ctx.view, pageHead({ title: 'Agent', back: { href: '/console/agents', label: 'Agents' } }),
        errorBox(e, ctx.reload));
    }
    return;
  }

  const head = h('div');
  const slot = h('div', { class: 'action-errors' });
  const hero = h('div');
  const details = h('div');
  const calls = callsCard(ctx, agent);
  let editing = false;

  const show = () => {
    ctx.crumbs([{ label: 'Agents', href: '/console/agents' }, agent.name]);
    mount(head, header());
    mount(hero, testCard());
    mount(details, editing ? editCard() : detailsCard());
  };

  const act = async (button, label, fn) => {
    mount(slot);
    try {
      await busy(button, label, fn);
    } catch (e) {
      if (e.name !== 'AbortError') mount(slot, errorBox(e));
    }
  };

  function header() {
    const deployed = agent.status === 'deployed';
    const toggle = deployed
      ? h('button', { class: 'btn', type: 'button', 'data-testid': 'pause' }, icon('pause', 'sm'), 'Pause')
      : h('button', { class: 'btn dark', type: 'button', 'data-testid': 'deploy' }, icon('play', 'sm'), 'Deploy');
    toggle.addEventListener('click', () => act(toggle, deployed ? 'Pausing…' : 'Deploying…', async () => {
      agent = await api(`${path}/${deployed ? 'pause' : 'deploy'}`, { method: 'POST' });
      toast(deployed ? 'Agent paused: customers get no answers from it until you deploy it again.'
        : `Agent deployed on ${numberLabel(numbers, agent.number_id)}.`);
      show();
    }));
    return pageHead({
      title: agent.name, back: { href: '/console/agents', label: 'Agents' }, badge: agentStatus(agent.status),
      sub: statusLine(agent, numbers),
      actions: [toggle, testButton('btn test-agent', 'test-agent')],
    });
  }

  function testButton(cls, testid) {
    if (!agent.connect_url) {
      return h('button', { class: cls, type: 'button', disabled: true, title: 'Attach a number first' },
        icon('chat'), 'Test Agent');
    }
    return h('a', { class: cls, href: agent.connect_url, target: '_blank', rel: 'noopener', 'data-testid': testid },
      icon('chat'), 'Test Agent', icon('external', 'sm'));
  }

  function testCard() {
    const sandbox = !agent.number_id || agent.number_id === SANDBOX_ID;
    return card({
      cls: 'hero', testid: 'test-card',
      body: h('div', { class: 'card-body stack stack-sm' },
        h('h2', {}, sandbox ? 'Chat with your agent in the sandbox' : 'Chat with your agent on WhatsApp'),
        h('p', {}, sandbox
          ? 'Opens a WhatsApp-like chat joined to this agent. Your messages go through the real pipeline: signed '
            + 'webhook call, your reply, delivery ticks. Share the link with teammates to test together.'
          : 'Opens WhatsApp with a chat to this agent\'s number. Deploy the agent first so that it answers.'),
        agent.connect_url ? copyBox(agent.connect_url, { testid: 'connect-url', dark: true })
          : h('p', {}, 'Attach a number to get a link.')),
    });
  }

  function detailsCard() {
    const edit = h('button', { class: 'btn sm', type: 'button', 'data-testid': 'edit-agent' }, 'Edit settings');
    edit.addEventListener('click', () => {
      editing = true;
      show();
    });
    const numberCell = !agent.number_id || agent.number_id === SANDBOX_ID
      ? numberLabel(numbers, agent.number_id)
      : h('a', { href: `/console/numbers/${encodeURIComponent(agent.number_id)}` },
        numberLabel(numbers, agent.number_id));
    return card({
      title: 'Settings', actions: edit, testid: 'agent-details',
      body: h('div', { class: 'card-body' }, h('dl', { class: 'dl' },
        row('Agent ID', h('code', {}, agent.id)),
        row('Method', 'Bring Your Own Agent'),
        row('Status', agentStatus(agent.status)),
        row('Webhook URL', h('code', { 'data-testid': 'agent-webhook' }, agent.webhook_url)),
        row('Number', numberCell),
        row('Timeout', `${agent.timeout_seconds} s`),
        row('Debounce', agent.debounce_ms ? `${agent.debounce_ms} ms` : 'Off (every message calls at once)'),
        row('Reply formatting', FORMATS[agent.format] || agent.format),
        row('Fallback message', agent.fallback_message || h('span', { class: 'faint' }, 'None: nothing is sent')),
        row('Created', dateTime(agent.created_at)),
        row('Updated', dateTime(agent.updated_at)))),
    });
  }

  function editCard() {
    const f = agentFields(numbers, agent);
    const save = h('button', { class: 'btn primary', type: 'submit', 'data-testid': 'save-agent' }, 'Save changes');
    const cancel = h('button', { class: 'btn ghost', type: 'button' }, 'Cancel');
    const errSlot = h('div');
    const form = h('form', { class: 'form', novalidate: true }, card({
      title: 'Edit settings', body: h('div', { class: 'card-body form' }, errSlot, f.fields),
      foot: h('div', { class: 'form-actions' }, cancel, save),
    }));
    cancel.addEventListener('click', () => {
      editing = false;
      show();
    });
    form.addEventListener('submit', async (e) => {
      e.preventDefault();
      clearErrors(form, errSlot);
      try {
        agent = await busy(save, 'Saving…', () => api(path, { method: 'PATCH', body: f.read() }));
        editing = false;
        toast('Settings saved');
        show();
      } catch (err) {
        if (err.name !== 'AbortError') showError(form, errSlot, err);
      }
    });
    return form;
  }

  const rotate = h('button', { class: 'btn', type: 'button', 'data-testid': 'rotate-secret' },
    icon('key', 'sm'), 'Rotate secret');
  rotate.addEventListener('click', async () => {
    const ok = await confirm({
      title: 'Rotate the webhook secret?', confirmLabel: 'Rotate secret',
      body: 'A new secret is generated and signs every call from now on. Update your webhook with the new secret '
        + 'right away, or its signature checks will fail.',
    });
    if (!ok) return;
    let rotated = null;
    await act(rotate, 'Rotating…', async () => {
      rotated = await api(`${path}/rotate-secret`, { method: 'POST' });
    });
    if (!rotated) return;
    agent = rotated;
    show();
    await dialog({
      title: 'New webhook secret', body: secretPanel(rotated.webhook_secret),
      buttons: [{ label: 'I saved it', value: true, cls: 'primary', testid: 'dialog-confirm' }],
    });
  });

  const del = h('button', { class: 'btn danger', type: 'button', 'data-testid': 'delete-agent' },
    icon('trash', 'sm'), 'Delete agent');
  del.addEventListener('click', async () => {
    const ok = await confirm({
      title: `Delete “${agent.name}”?`, confirmLabel: 'Delete agent', danger: true,
      body: 'Customers writing to its number get no answer from it any more. Its conversations stay readable. '
        + 'This cannot be undone.',
    });
    if (!ok) return;
    await act(del, 'Deleting…', async () => {
      await api(path, { method: 'DELETE' });
      toast(`Agent “${agent.name}” deleted`);
      ctx.navigate('/console/agents');
    });
  });

  show();
  mount(ctx.view, head, slot, h('div', { class: 'stack' },
    h('div', { class: 'grid-2' },
      h('div', { class: 'stack' }, hero, details),
      h('div', { class: 'stack' },
        card({
          title: 'Webhook signature',
          body: h('div', { class: 'card-body stack stack-sm' },
            h('p', { class: 'muted' }, 'Every call carries X-Wabridge-Signature: t=<unix seconds>,v1=<HMAC-SHA256 of '
              + '"<t>.<raw body>" with the webhook secret>. The secret was shown once, at creation.'),
            h('div', {}, rotate)),
        }),
        card({
          title: 'Conversations',
          body: h('div', { class: 'card-body stack stack-sm' },
            h('p', { class: 'muted' }, 'Every customer who wrote to this agent, with the full history and statuses.'),
            h('div', {}, h('a', { class: 'btn', href: `/console/conversations?agent_id=${encodeURIComponent(agent.id)}`,
              'data-testid': 'agent-conversations' }, icon('conversations', 'sm'), 'Open conversations'))),
        }),
        card({
          title: 'Danger zone',
          body: h('div', { class: 'card-body stack stack-sm' },
            h('p', { class: 'muted' }, 'Deleting removes the agent for good; its conversations stay readable.'),
            h('div', {}, del)),
        }))),
    calls.element));
  calls.load();

  const onVisible = () => {
    if (document.visibilityState === 'visible') calls.load();
  };
  document.addEventListener('visibilitychange', onVisible);
  ctx.onLeave(() => document.removeEventListener('visibilitychange', onVisible));
}

function row(label, value) {
  return [h('dt', {}, label), h('dd', {}, value)];
}

function statusLine(agent, numbers) {
  const on = numberLabel(numbers, agent.number_id);
  switch (agent.status) {
    case 'deployed':
      return `Live on ${on}: customers' messages go to your webhook.`;
    case 'paused':
      return `Paused on ${on}: customers get no answers until you deploy it again.`;
    default:
      return agent.number_id === SANDBOX_ID
        ? 'Draft: it already answers in the sandbox chat; deploy it when it is ready.'
        : `Draft on ${on}: deploy it to start answering customers.`;
  }
}
