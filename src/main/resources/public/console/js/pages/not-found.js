// A console address that matches no page.
import { h, mount } from '../dom.js';
import { empty } from '../ui.js';

export function notFound(ctx) {
  ctx.crumbs(['Not found']);
  mount(ctx.view, h('section', { class: 'card' }, empty({
    glyph: 'search', title: 'This page does not exist',
    body: `Nothing lives at ${location.pathname}. Check the address, or start again from your agents.`,
    action: h('a', { class: 'btn primary', href: '/console/agents' }, 'Go to agents'),
  })));
}
