// "Register a number": a guided form that says where each value lives in Meta's tools, then the webhook setup.
import { api } from '../api.js';
import { h, icon, mount } from '../dom.js';
import { busy, card, pageHead, toast } from '../ui.js';
import { clearErrors, field, input, randomToken, showError } from '../forms.js';
import { webhookSetup } from './number-setup.js';

export function numberNew(ctx) {
  ctx.crumbs([{ label: 'Numbers', href: '/console/numbers' }, 'Register a number']);
  const i = {
    pnid: input({ inputmode: 'numeric', class: 'input mono', placeholder: '106540352242922',
      'data-testid': 'number-phone-number-id' }),
    display: input({ type: 'tel', placeholder: '+1 555 010 0199', 'data-testid': 'number-display' }),
    waba: input({ inputmode: 'numeric', class: 'input mono', placeholder: '102290129340398',
      'data-testid': 'number-waba-id' }),
    token: input({ type: 'password', class: 'input mono', placeholder: 'EAAG…', autocomplete: 'new-password',
      'data-testid': 'number-access-token' }),
    secret: input({ type: 'password', class: 'input mono', placeholder: '32 hex characters',
      autocomplete: 'new-password', 'data-testid': 'number-app-secret' }),
    verify: input({ class: 'input mono', placeholder: 'a phrase you choose', 'data-testid': 'number-verify-token' }),
    mps: input({ type: 'number', min: 1, max: 1000, value: '80', 'data-testid': 'number-mps' }),
  };
  const generate = h('button', { class: 'btn', type: 'button', 'data-testid': 'generate-verify-token' }, 'Generate');
  generate.addEventListener('click', () => {
    i.verify.value = randomToken();
  });
  const submit = h('button', { class: 'btn primary', type: 'submit', 'data-testid': 'number-submit' },
    icon('plus'), 'Register number');
  const slot = h('div');

  const form = h('form', { class: 'form narrow', novalidate: true }, slot, card({
    body: h('div', { class: 'card-body' },
      section(1, 'The number', 'From WhatsApp Manager, or your app\'s WhatsApp → API Setup page in the App Dashboard.',
        field({ name: 'phone_number_id', label: 'Phone number ID', input: i.pnid,
          help: 'App Dashboard → WhatsApp → API Setup → "Phone number ID" (digits only; not the phone number).' }),
        field({ name: 'display_phone_number', label: 'Display phone number', input: i.display,
          help: 'The number customers see, with country code, as in WhatsApp Manager → Phone numbers.' }),
        field({ name: 'waba_id', label: 'WhatsApp Business Account ID', input: i.waba, optional: true,
          help: 'Same API Setup page, "WhatsApp Business Account ID"; used for templates and diagnostics.' })),
      section(2, 'Credentials', 'Stored encrypted. They are never shown again, here or in the API.',
        field({ name: 'access_token', label: 'Access token', input: i.token,
          help: 'A permanent system-user token with whatsapp_business_messaging: Business Settings → Users → System '
            + 'users → Generate new token. (The 24-hour token on API Setup works for a quick trial.)' }),
        field({ name: 'app_secret', label: 'App secret', input: i.secret,
          help: 'App Dashboard → App settings → Basic → App secret → Show. Used to check Meta\'s webhook '
            + 'signatures.' })),
      section(3, 'Webhook', 'What you will paste into Meta\'s webhook settings after registering.',
        field({ name: 'verify_token', label: 'Verify token',
          input: h('div', { class: 'input-group' }, i.verify, generate),
          help: 'Any string you choose (or generate one). Meta sends it back once to prove the webhook is yours.' }),
        field({ name: 'throughput_mps', label: 'Throughput (messages per second)', input: i.mps,
          help: 'The most messages per second wabridge sends from this number; Meta\'s default is 80.' }))),
    foot: h('div', { class: 'form-actions' }, h('a', { class: 'btn ghost', href: '/console/numbers' }, 'Cancel'),
      submit),
  }));

  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    clearErrors(form, slot);
    const body = {
      phone_number_id: i.pnid.value.trim(), display_phone_number: i.display.value.trim(),
      access_token: i.token.value.trim(), app_secret: i.secret.value.trim(), verify_token: i.verify.value.trim(),
      throughput_mps: Number.parseInt(i.mps.value, 10) || 80,
    };
    if (i.waba.value.trim()) body.waba_id = i.waba.value.trim();
    try {
      const number = await busy(submit, 'Registering…', () => api('/api/numbers', { method: 'POST', body }));
      toast(`Number ${number.display_phone_number} registered`);
      registered(ctx, number, body.verify_token);
    } catch (err) {
      if (err.name !== 'AbortError') showError(form, slot, err);
    }
  });

  mount(ctx.view, pageHead({
    title: 'Register a number', back: { href: '/console/numbers', label: 'Numbers' },
    sub: 'Connect a WhatsApp Business phone number from Meta\'s Cloud API. You need a Meta app with the WhatsApp '
      + 'product and a number added to it.',
  }), form);
  i.pnid.focus();
}

function section(n, title, intro, ...fields) {
  return h('div', { class: 'form-section' },
    h('div', { class: 'intro' }, h('h3', {}, h('span', { class: 'step-num' }, String(n)), title), h('p', {}, intro)),
    h('div', { class: 'form' }, fields));
}

function registered(ctx, number, verifyToken) {
  window.scrollTo(0, 0);
  ctx.crumbs([{ label: 'Numbers', href: '/console/numbers' }, number.display_phone_number]);
  mount(ctx.view, pageHead({
    title: 'Number registered', back: { href: '/console/numbers', label: 'Numbers' },
    sub: `${number.display_phone_number} is ready. One step left: tell Meta where to deliver its messages.`,
  }), webhookSetup(number, verifyToken),
  h('div', { class: 'form-actions' },
    h('a', { class: 'btn', href: `/console/numbers/${encodeURIComponent(number.id)}` }, 'View number'),
    h('a', { class: 'btn primary', href: `/console/agents/new?number_id=${encodeURIComponent(number.id)}`,
      'data-testid': 'create-agent-for-number' }, icon('plus'), 'Create an agent on this number')));
}
