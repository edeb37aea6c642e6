// Writing to the customer as the business: text inside the 24-hour window, a template outside it. A message that
// fails (422, or window_closed on the message) is explained under the composer.
import { api } from '../api.js';
import { h, icon, mount } from '../dom.js';
import { busy, callout } from '../ui.js';
import { windowState } from '../format.js';

const WINDOW_RULE = 'WhatsApp lets a business send free-form messages only within 24 hours of the customer\'s last '
  + 'message. Outside that window only approved templates can be sent.';

/** {element, update(), showResult(els)}; conv() returns the current conversation. */
export function composer({ path, onSent, conv }) {
  const note = h('div');
  const hint = h('div', { class: 'hint' });
  const body = h('div');
  const element = h('div', { class: 'composer' }, note, body, hint);
  let pending = [];
  let mode = null;

  const text = h('textarea', { class: 'textarea', rows: 1, placeholder: 'Write a message as the business',
    'data-testid': 'composer', 'aria-label': 'Message' });
  const send = h('button', { class: 'btn primary send', type: 'submit', 'data-testid': 'send', 'aria-label': 'Send',
    title: 'Send (Enter)' }, icon('send'));
  const textForm = h('form', { class: 'composer-row' }, text, send);
  text.addEventListener('input', () => {
    text.style.height = 'auto';
    text.style.height = `${Math.min(text.scrollHeight, 160)}px`;
  });
  text.addEventListener('keydown', (e) => {
    if (e.key === 'Enter' && !e.shiftKey && !e.isComposing) {
      e.preventDefault();
      textForm.requestSubmit();
    }
  });
  textForm.addEventListener('submit', (e) => {
    e.preventDefault();
    const content = text.value.trim();
    if (!content) return;
    submit(send, { type: 'message', content }, () => {
      text.value = '';
      text.style.height = 'auto';
    });
  });

  const tplName = h('input', { class: 'input', placeholder: 'Template name, e.g. hello_world',
    'data-testid': 'template-name', 'aria-label': 'Template name' });
  const tplLang = h('input', { class: 'input', value: 'en_US', 'data-testid': 'template-language',
    'aria-label': 'Language' });
  const tplSend = h('button', { class: 'btn primary', type: 'submit', 'data-testid': 'send-template' },
    'Send template');
  const tplForm = h('form', { class: 'template-row' }, tplName, tplLang, tplSend);
  tplForm.addEventListener('submit', (e) => {
    e.preventDefault();
    if (!tplName.value.trim()) return tplName.focus();
    submit(tplSend, { type: 'template', name: tplName.value.trim(), language: tplLang.value.trim() || 'en_US' },
      () => {});
  });

  async function submit(button, payload, clear) {
    mount(note);
    try {
      const res = await busy(button, '', () => api(`${path}/messages`, { method: 'POST', body: payload }));
      clear();
      pending = (res?.messages || []).map((m) => m.id);
      if ((res?.messages || []).some((m) => m.status === 'failed')) {
        mount(note, callout('amber', 'Not sent.', 'Checking why…'));
      }
      await onSent();
    } catch (e) {
      if (e.name === 'AbortError') return;
      const windowed = e.code === 'window_closed' || /window/i.test(e.message);
      mount(note, callout('red', e.message, windowed ? WINDOW_RULE : e.hint));
    }
  }

  function update() {
    const c = conv();
    const w = windowState(c.window_expires_at);
    const next = w.open ? 'text' : 'template';
    if (next !== mode) {
      mode = next;
      mount(body, w.open ? textForm : [callout('amber', 'The 24-hour window is closed.', `${WINDOW_RULE} `
        + 'Send a template to restart the conversation.'), tplForm]);
    }
    mount(hint, c.handoff ? 'You are answering: the agent is paused for this conversation. Enter sends, Shift+Enter '
      + 'adds a line.' : !c.agent_id ? 'No agent answers this number: the customer\'s messages wait for you or for the '
      + 'next agent deployed on it.' : 'The agent is answering this customer too. Hand off to reply on your own.');
  }

  /** After a refresh: explain a message we just sent that failed. */
  function showResult(els) {
    if (!pending.length) return;
    const msgs = pending.map((id) => els.get(id)?.message).filter(Boolean);
    const failed = msgs.find((m) => m.status === 'failed');
    if (failed) {
      const code = failed.error?.code;
      mount(note, callout('red', `Not sent: ${failed.error?.message || 'the message failed'}`,
        code === 'window_closed' || code === '131047' ? WINDOW_RULE : 'Check the error on the message, fix it and '
          + 'send again.'));
      pending = [];
    } else if (msgs.length === pending.length && msgs.every((m) => m.status !== 'queued')) {
      pending = [];
    }
  }

  return { element, update, showResult };
}
