// Sign in with an API key: the key is traded for a session (an HttpOnly cookie, shared with the sandbox chat) and is
// not kept in this browser.
import { auth } from '../api.js';
import { h, icon, mount } from '../dom.js';
import { busy, callout } from '../ui.js';
import { field, input, showError, clearErrors } from '../forms.js';

export const SIGN_IN_REASON = 'wabridge.signInReason';

export function signIn(ctx) {
  const next = safeNext(ctx.query.get('next'));
  if (auth.session) return ctx.navigate(next, { replace: true });
  document.title = 'Sign in · wabridge';
  const reason = sessionStorage.getItem(SIGN_IN_REASON);
  sessionStorage.removeItem(SIGN_IN_REASON);

  const key = input({ type: 'password', class: 'input mono', placeholder: 'wab_…', autocomplete: 'current-password',
    'data-testid': 'api-key', required: true });
  const reveal = h('button', { class: 'btn', type: 'button', 'aria-label': 'Show key' }, 'Show');
  reveal.addEventListener('click', () => {
    key.type = key.type === 'password' ? 'text' : 'password';
    mount(reveal, key.type === 'password' ? 'Show' : 'Hide');
  });
  const submit = h('button', { class: 'btn primary lg block', type: 'submit', 'data-testid': 'sign-in' }, 'Sign in');
  const slot = h('div', { 'data-testid': 'sign-in-error' });
  const keyField = field({
    name: 'api_key', label: 'API key', input: h('div', { class: 'input-group' }, key, reveal),
    help: 'The admin key printed when wabridge first started (or WABRIDGE_ADMIN_KEY), or a key from POST /api/keys.',
  });
  const form = h('form', { class: 'form', novalidate: true }, slot, keyField, submit);
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    clearErrors(form, slot);
    const value = key.value.trim();
    if (!value) {
      showError(form, slot, { message: 'Enter your API key.', hint: 'Paste the key, then press Sign in.' });
      return;
    }
    try {
      await busy(submit, 'Signing in…', () => auth.signIn(value));
      key.value = '';
      ctx.navigate(next, { replace: true });
    } catch (err) {
      if (err.status === 401) {
        err.message = 'That API key was not accepted.';
        err.hint = 'Check for missing characters, or use the admin key printed at first start. Keys deleted with '
          + 'DELETE /api/keys stop working at once.';
      }
      showError(form, slot, err);
    }
  });

  mount(ctx.view, h('div', { class: 'auth' },
    h('div', { class: 'auth-card' },
      h('div', { class: 'brand' }, logo(),
        h('div', {}, h('span', { class: 'brand-name' }, 'wabridge'), h('span', { class: 'brand-tag' }, 'console'))),
      h('section', { class: 'card' }, h('div', { class: 'card-body form' },
        h('div', {}, h('h1', {}, 'Sign in'),
          h('p', { class: 'muted' }, 'Manage your agents, WhatsApp numbers and conversations.')),
        reason && callout('amber', reason),
        form)),
      h('p', { class: 'auth-foot' }, icon('shield', 'sm'),
        ' The key is not stored in this browser: you get a session (it ends after 12 hours without use) that also '
        + 'signs you in to the ', h('a', { href: '/sandbox' }, 'sandbox chat'), '.'))));
  key.focus();
}

function logo() {
  const svg = icon('logo');
  svg.setAttribute('class', '');
  return svg;
}

/** Only console paths; anything else (another origin, //host) goes to the agents list. */
function safeNext(next) {
  return next && /^\/console\/[\w\-/?=&%.]*$/.test(next) && !next.startsWith('/console/sign-in') ? next
    : '/console/agents';
}
