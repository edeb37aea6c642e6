// The frame around every signed-in page: sidebar navigation (a top menu on phones), header with breadcrumbs.
import { auth } from './api.js';
import { h, icon, mount } from './dom.js';

let shell = null;

/** Builds the shell into root once; returns the element pages render into. */
export function buildShell(root, { onSignOut }) {
  if (shell && root.contains(shell.el)) {
    mount(shell.keyLabel, who(auth.session));
    return shell.view;
  }
  const view = h('main', { class: 'page', id: 'view' });
  const crumbs = h('nav', { class: 'crumbs', 'aria-label': 'Breadcrumb' });
  const health = h('span', { class: 'env-pill', title: 'GET /healthz' }, 'Connected');
  const keyLabel = h('span', { class: 'mono', 'data-testid': 'key-label' }, who(auth.session));
  const toggle = h('button', {
    class: 'btn ghost menu-toggle', type: 'button', 'aria-label': 'Menu', 'aria-expanded': 'false',
    'data-testid': 'menu-toggle',
  }, icon('menu'));
  const sidebar = h('aside', { class: 'sidebar' },
    h('a', { class: 'brand', href: '/console/agents' }, svgLogo(),
      h('div', {}, h('span', { class: 'brand-name' }, 'wabridge'),
        h('span', { class: 'brand-tag' }, 'WhatsApp ⇄ your agent'))),
    toggle,
    h('nav', { class: 'nav', 'aria-label': 'Main' },
      h('div', { class: 'nav-label' }, 'Build'),
      navLink('agents', 'Agents', 'agents'),
      navLink('numbers', 'Numbers', 'numbers'),
      navLink('conversations', 'Conversations', 'conversations'),
      h('div', { class: 'nav-label' }, 'Try it'),
      h('a', { href: '/sandbox', target: '_blank', rel: 'noopener', 'data-testid': 'nav-sandbox' },
        icon('sandbox'), 'Sandbox chat', icon('external', 'ext'))),
    h('div', { class: 'sidebar-foot' },
      h('div', { class: 'key-chip' }, icon('key'),
        h('div', {}, h('span', { class: 'who' }, 'Signed in with key'), keyLabel)),
      h('button', {
        class: 'btn ghost sm signout', type: 'button', 'data-testid': 'sign-out',
        onClick: () => onSignOut('You signed out. Sign in again with an API key to continue.'),
      }, icon('logout', 'sm'), 'Sign out')));
  toggle.addEventListener('click', () => {
    const open = sidebar.classList.toggle('open');
    toggle.setAttribute('aria-expanded', String(open));
    mount(toggle, icon(open ? 'close' : 'menu'));
  });
  const el = h('div', { class: 'shell' }, sidebar,
    h('div', { class: 'main' },
      h('header', { class: 'topbar' }, crumbs, h('div', { class: 'topbar-right' }, health,
        h('a', { class: 'btn sm ghost', href: '/api/openapi.json', target: '_blank', rel: 'noopener' },
          'API reference', icon('external', 'sm')))),
      view));
  mount(root, el);
  shell = { el, view, crumbs, sidebar, toggle, keyLabel, health };
  checkHealth();
  setInterval(checkHealth, 30_000);
  return view;
}

export function setActive(nav) {
  if (!shell) return;
  shell.sidebar.classList.remove('open');
  shell.toggle.setAttribute('aria-expanded', 'false');
  mount(shell.toggle, icon('menu'));
  shell.sidebar.querySelectorAll('[data-nav]').forEach((a) => {
    a.classList.toggle('active', a.dataset.nav === nav);
    if (a.dataset.nav === nav) a.setAttribute('aria-current', 'page');
    else a.removeAttribute('aria-current');
  });
}

/** setCrumbs([{label, href}, …, 'Here']) */
export function setCrumbs(items) {
  if (!shell) return;
  const parts = [];
  items.forEach((it, i) => {
    if (i > 0) parts.push(h('span', { class: 'sep' }, '/'));
    parts.push(typeof it === 'string' ? h('span', { class: 'here' }, it) : h('a', { href: it.href }, it.label));
  });
  mount(shell.crumbs, parts);
  const last = items[items.length - 1];
  document.title = `${typeof last === 'string' ? last : last.label} · wabridge`;
}

function navLink(nav, label, glyph) {
  return h('a', { href: `/console/${nav}`, 'data-nav': nav, 'data-testid': `nav-${nav}` }, icon(glyph), label);
}

function svgLogo() {
  const svg = icon('logo');
  svg.setAttribute('class', '');
  return svg;
}

/** The signed-in key by name and scope; the key itself is never in the page. */
function who(session) {
  if (!session) return '—';
  return `${session.key_name || session.key_id} · ${session.scope}`;
}

async function checkHealth() {
  if (!shell) return;
  let ok = false;
  try {
    const r = await fetch('/healthz', { cache: 'no-store' });
    ok = r.ok;
  } catch {
    ok = false;
  }
  shell.health.classList.toggle('down', !ok);
  mount(shell.health, ok ? 'Connected' : 'Server unreachable');
  shell.health.title = ok ? 'wabridge and its database answer' : 'GET /healthz failed: check that the server runs';
}
