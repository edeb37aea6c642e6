// Small building blocks every page uses: cards, badges, callouts, copy boxes, dialogs, toasts, busy buttons.
import { h, icon, mount } from './dom.js';

export function card({ title, sub, actions, body, foot, cls, testid }) {
  return h('section', { class: ['card', cls], 'data-testid': testid },
    title && h('div', { class: 'card-head' },
      h('div', {}, h('h2', {}, title), sub && h('div', { class: 'sub' }, sub)),
      actions && h('div', { class: 'actions' }, actions)),
    body, foot && h('div', { class: 'card-foot' }, foot));
}

export function pageHead({ title, sub, actions, back, badge }) {
  return h('div', { class: 'page-head' },
    h('div', { class: 'titles' },
      back && h('a', { class: 'back-link', href: back.href }, icon('back', 'sm'), back.label),
      h('div', { class: 'title-row' }, h('h1', {}, title), badge),
      sub && h('p', {}, sub)),
    actions && h('div', { class: 'actions' }, actions));
}

export function badge(text, tone = 'gray', { dot = false, title, testid } = {}) {
  return h('span', { class: ['badge', tone, dot && 'dot'], title, 'data-testid': testid }, text);
}

const AGENT_TONES = { deployed: 'green', paused: 'amber', draft: 'gray' };

export function agentStatus(status) {
  const label = { deployed: 'Deployed', paused: 'Paused', draft: 'Draft' }[status] || status;
  return badge(label, AGENT_TONES[status] || 'gray', { dot: true, testid: 'agent-status' });
}

export function callout(tone, title, body, actions) {
  const glyph = tone === 'green' ? 'shield' : 'alert';
  return h('div', { class: ['callout', tone], role: tone === 'red' ? 'alert' : 'status' }, icon(glyph),
    h('div', { class: 'c-body' }, title && h('div', { class: 'c-title' }, title), body && h('div', {}, body),
      actions && h('div', { class: 'c-actions' }, actions)));
}

/** An ApiError (or any error) as a red callout: what went wrong, what to do next, and a retry button. */
export function errorBox(err, retry) {
  return callout('red', err.message || String(err), err.hint || 'Try again; if it keeps failing, reload the page.',
    retry && h('button', { class: 'btn sm', type: 'button', onClick: retry }, icon('refresh', 'sm'), 'Try again'));
}

export function loading(label = 'Loading…') {
  return h('div', { class: 'loading', role: 'status' }, h('span', { class: 'spinner lg' }), label);
}

export function empty({ glyph, title, body, action }) {
  return h('div', { class: 'empty' }, h('div', { class: 'e-icon' }, icon(glyph)), h('h2', {}, title),
    body && h('p', {}, body), action);
}

/** A read-only value with a copy button; secret styling for values shown once. */
export function copyBox(value, { testid, secret = false, dark = false, label = 'Copy' } = {}) {
  const btn = h('button', { class: 'btn sm', type: 'button', 'data-testid': testid && `${testid}-copy` },
    icon('copy', 'sm'), label);
  btn.addEventListener('click', async () => {
    const ok = await copyText(value);
    mount(btn, icon(ok ? 'check' : 'alert', 'sm'), ok ? 'Copied' : 'Select and copy');
    setTimeout(() => mount(btn, icon('copy', 'sm'), label), 1600);
  });
  return h('div', { class: ['copy', secret && 'secret', dark && 'dark'] },
    h('code', { 'data-testid': testid }, value ?? '—'), btn);
}

/** Clipboard API where allowed (https, localhost), else the selection fallback plain http needs. */
export async function copyText(text) {
  try {
    await navigator.clipboard.writeText(text);
    return true;
  } catch {
    const ta = h('textarea', { class: 'sr-only', readonly: true }, text);
    document.body.append(ta);
    ta.select();
    let ok = false;
    try {
      ok = document.execCommand('copy');
    } catch {
      ok = false;
    }
    ta.remove();
    return ok;
  }
}

/** Runs fn with the button disabled and a spinner in it; the label says what is happening. */
export async function busy(button, label, fn) {
  const before = [...button.childNodes];
  button.disabled = true;
  button.setAttribute('aria-busy', 'true');
  mount(button, h('span', { class: 'spinner' }), label);
  try {
    return await fn();
  } finally {
    button.disabled = false;
    button.removeAttribute('aria-busy');
    mount(button, before);
  }
}

let toastHost;

export function toast(message, tone = '') {
  if (!toastHost || !toastHost.isConnected) {
    toastHost = h('div', { class: 'toasts', 'aria-live': 'polite' });
    document.body.append(toastHost);
  }
  const t = h('div', { class: ['toast', tone] }, message);
  toastHost.append(t);
  setTimeout(() => t.remove(), 3800);
}

/** A modal dialog; resolves with the value of the button pressed (false when dismissed). */
export function dialog({ title, body, buttons }) {
  return new Promise((resolve) => {
    const d = h('dialog', { class: 'modal', 'data-testid': 'dialog' });
    const close = (v) => {
      d.close();
      d.remove();
      resolve(v);
    };
    const foot = buttons.map((b) => h('button', {
      class: ['btn', b.cls], type: 'button', 'data-testid': b.testid, onClick: () => close(b.value),
    }, b.label));
    mount(d, h('div', { class: 'm-body' }, h('h2', {}, title), body), h('div', { class: 'm-foot' }, foot));
    d.addEventListener('cancel', (e) => {
      e.preventDefault();
      close(false);
    });
    document.body.append(d);
    d.showModal();
  });
}

export function confirm({ title, body, confirmLabel, danger = false }) {
  return dialog({
    title, body: h('p', {}, body), buttons: [
      { label: 'Cancel', value: false, cls: 'ghost', testid: 'dialog-cancel' },
      { label: confirmLabel, value: true, cls: danger ? 'danger solid' : 'primary', testid: 'dialog-confirm' },
    ],
  });
}

/** A secret shown exactly once, with a warning and a copy button. */
export function secretPanel(secret, what = 'webhook secret') {
  return h('div', { class: 'stack stack-sm' },
    copyBox(secret, { testid: 'webhook-secret', secret: true }),
    callout('amber', `Copy the ${what} now: it is shown only once.`,
      'wabridge signs every call to your webhook with it (header X-Wabridge-Signature). If you lose it, rotate '
      + 'the secret from the agent page and update your webhook.'));
}
