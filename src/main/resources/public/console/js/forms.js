// Form fields with one line of help each, and showing a server error on the field it names.
import { h, mount } from './dom.js';
import { callout } from './ui.js';

/** A labelled field: {name, label, help, input, optional}. The input gets id and aria links. */
export function field({ name, label, help, input, optional = false }) {
  const id = `f-${name}`;
  const control = input.matches('input, select, textarea') ? input : input.querySelector('input, select, textarea');
  control.id = id;
  control.name = name;
  control.setAttribute('aria-describedby', `${id}-help ${id}-error`);
  return h('div', { class: 'field', 'data-field': name },
    h('label', { for: id }, label, optional && h('span', { class: 'opt' }, 'optional')),
    input,
    help && h('div', { class: 'help', id: `${id}-help` }, help),
    h('div', { class: 'error', id: `${id}-error`, hidden: true }));
}

/** Clears earlier errors, then marks the field an ApiError names or shows the error above the form. */
export function showError(form, slot, err) {
  clearErrors(form, slot);
  const f = err.field && form.querySelector(`[data-field="${err.field}"]`);
  if (f) {
    const input = f.querySelector('input, select, textarea');
    input?.setAttribute('aria-invalid', 'true');
    const msg = f.querySelector('.error');
    msg.hidden = false;
    mount(msg, err.message);
    input?.focus();
    return;
  }
  mount(slot, callout('red', err.message, err.hint));
  slot.scrollIntoView({ block: 'nearest', behavior: 'smooth' });
}

export function clearErrors(form, slot) {
  mount(slot);
  form.querySelectorAll('[aria-invalid]').forEach((i) => i.removeAttribute('aria-invalid'));
  form.querySelectorAll('.field .error').forEach((e) => {
    e.hidden = true;
    mount(e);
  });
}

export function input(props = {}) {
  return h('input', { class: 'input', type: 'text', autocomplete: 'off', spellcheck: 'false', ...props });
}

export function select(options, props = {}) {
  return h('select', { class: 'select', ...props },
    options.map((o) => h('option', { value: o.value, selected: o.selected }, o.label)));
}

export function textarea(props = {}) {
  return h('textarea', { class: 'textarea', ...props });
}

/** A random, URL-safe token (for a verify token the user does not want to invent). */
export function randomToken(bytes = 18) {
  const a = crypto.getRandomValues(new Uint8Array(bytes));
  return btoa(String.fromCharCode(...a)).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}
