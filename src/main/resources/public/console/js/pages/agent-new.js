// Create an agent ("Bring Your Own Agent"), then show its webhook secret once.
import { api } from '../api.js';
import { h, icon, mount } from '../dom.js';
import { busy, card, errorBox, loading, pageHead, secretPanel, toast } from '../ui.js';
import { showError, clearErrors } from '../forms.js';
import { loadNumbers } from '../directory.js';
import { agentFields } from './agent-form.js';

export async function agentNew(ctx) {
  ctx.crumbs([{ label: 'Agents', href: '/console/agents' }, 'Create agent']);
  const body = h('div', { class: 'narrow' }, loading('Loading your numbers…'));
  mount(ctx.view, pageHead({
    title: 'Create agent', back: { href: '/console/agents', label: 'Agents' },
    sub: 'Connect your own AI agent: wabridge handles WhatsApp (typing, read receipts, formatting, media, retries) '
      + 'and calls your webhook with each customer message.',
  }), body);
  let numbers;
  try {
    numbers = await loadNumbers(ctx.signal);
  } catch (e) {
    if (e.name !== 'AbortError') mount(body, errorBox(e, ctx.reload));
    return;
  }
  mount(body, form(ctx, numbers));
  body.querySelector('#f-name').focus();
}

function form(ctx, numbers) {
  const agentForm = agentFields(numbers, null, ctx.query.get('number_id'));
  const submit = h('button', { class: 'btn primary', type: 'submit', 'data-testid': 'agent-submit' },
    icon('plus'), 'Create agent');
  const slot = h('div');
  const el = h('form', { class: 'form', novalidate: true },
    card({ title: 'Method', body: h('div', { class: 'card-body' }, methods()) }),
    card({
      title: 'Agent', body: h('div', { class: 'card-body form' }, slot, agentForm.fields),
      foot: h('div', { class: 'form-actions' }, h('a', { class: 'btn ghost', href: '/console/agents' }, 'Cancel'),
        submit),
    }));
  el.addEventListener('submit', async (e) => {
    e.preventDefault();
    clearErrors(el, slot);
    const body = agentForm.read();
    try {
      const agent = await busy(submit, 'Creating agent…', () => api('/api/agents', { method: 'POST', body }));
      toast(`Agent “${agent.name}” created`);
      created(ctx, agent);
    } catch (err) {
      if (err.name !== 'AbortError') showError(el, slot, err);
    }
  });
  return el;
}

function methods() {
  return h('div', { class: 'method-cards', role: 'radiogroup' },
    h('label', { class: 'method selected', 'data-testid': 'method-byoa' },
      h('input', { type: 'radio', name: 'method', value: 'byoa', checked: true }),
      h('span', { class: 'm-icon' }, icon('robot')),
      h('span', {}, h('strong', {}, 'Bring Your Own Agent'),
        h('span', { class: 'desc' }, 'Your webhook decides every reply; wabridge handles WhatsApp. Use any '
          + 'framework or language: LangChain, CrewAI, a Flask app…'))));
}

function created(ctx, agent) {
  window.scrollTo(0, 0);
  const href = `/console/agents/${encodeURIComponent(agent.id)}`;
  mount(ctx.view,
    pageHead({
      title: 'Agent created', back: { href: '/console/agents', label: 'Agents' },
      sub: `“${agent.name}” is a draft. Save its webhook secret, then deploy it and try it in the sandbox chat.`,
    }),
    h('div', { class: 'grid-2' },
      card({
        title: 'Webhook secret', sub: 'Verify that calls to your webhook come from wabridge.', testid: 'secret-card',
        body: h('div', { class: 'card-body stack' }, secretPanel(agent.webhook_secret),
          h('p', { class: 'muted' }, 'Check each call: HMAC-SHA256 of "<t>.<raw body>" with this secret must equal v1 '
            + 'in X-Wabridge-Signature: t=<unix seconds>,v1=<hex>.')),
        foot: h('div', { class: 'row' }, h('a', { class: 'btn primary', href, 'data-testid': 'open-agent' },
          'I saved it, open the agent'),
        agent.connect_url && h('a', { class: 'btn', href: agent.connect_url, target: '_blank', rel: 'noopener' },
          icon('chat', 'sm'), 'Test Agent')),
      }),
      card({
        title: 'Next steps', body: h('div', { class: 'card-body' }, h('ol', { class: 'steps' },
          h('li', {}, h('div', { class: 's-body' }, h('h3', {}, 'Deploy'),
            h('p', {}, 'Only a deployed agent answers customers on a real number.'))),
          h('li', {}, h('div', { class: 's-body' }, h('h3', {}, 'Test'),
            h('p', {}, 'Open the sandbox chat joined to this agent and write as a customer.'))),
          h('li', {}, h('div', { class: 's-body' }, h('h3', {}, 'Watch'),
            h('p', {}, 'Every call to your webhook, its latency and errors appear on the agent page.'))))),
      })));
}
