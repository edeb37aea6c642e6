// The console's entry point: client-side routes under /console, the shell (sidebar, header) and sign-in guard.
// Signed in means a live server session (an HttpOnly cookie); the page learns of it from GET /api/session.
import { auth, SIGNED_OUT } from './api.js';
import { h, mount } from './dom.js';
import { errorBox } from './ui.js';
import { buildShell, setActive, setCrumbs } from './shell.js';
import { signIn, SIGN_IN_REASON } from './pages/sign-in.js';
import { agentsList } from './pages/agents.js';
import { agentNew } from './pages/agent-new.js';
import { agentView } from './pages/agent-view.js';
import { numbersList } from './pages/numbers.js';
import { numberNew } from './pages/number-new.js';
import { numberView } from './pages/number-view.js';
import { conversationsList } from './pages/conversations.js';
import { threadView } from './pages/thread.js';
import { notFound } from './pages/not-found.js';

const routes = [
  { re: /^\/console\/?$/, redirect: '/console/agents' },
  { re: /^\/console\/sign-in$/, page: signIn, public: true },
  { re: /^\/console\/agents$/, page: agentsList, nav: 'agents' },
  { re: /^\/console\/agents\/new$/, page: agentNew, nav: 'agents' },
  { re: /^\/console\/agents\/([\w-]+)$/, page: agentView, nav: 'agents' },
  { re: /^\/console\/numbers$/, page: numbersList, nav: 'numbers' },
  { re: /^\/console\/numbers\/new$/, page: numberNew, nav: 'numbers' },
  { re: /^\/console\/numbers\/([\w-]+)$/, page: numberView, nav: 'numbers' },
  { re: /^\/console\/conversations$/, page: conversationsList, nav: 'conversations' },
  { re: /^\/console\/conversations\/([\w-]+)$/, page: threadView, nav: 'conversations' },
];

const root = document.getElementById('app');
let current = { controller: new AbortController(), cleanups: [] };

export function navigate(path, { replace = false } = {}) {
  if (replace) history.replaceState(null, '', path);
  else history.pushState(null, '', path);
  render();
}

function leave() {
  current.controller.abort();
  for (const fn of current.cleanups) {
    try {
      fn();
    } catch (e) {
      console.error(e);
    }
  }
  current = { controller: new AbortController(), cleanups: [] };
}

async function render() {
  leave();
  const path = location.pathname.replace(/\/+$/, '') || '/console';
  const route = routes.find((r) => r.re.test(path));
  if (route?.redirect) return navigate(route.redirect, { replace: true });
  if (!route?.public && !auth.session) {
    const next = path === '/console/agents' ? '' : `?next=${encodeURIComponent(path + location.search)}`;
    return navigate(`/console/sign-in${next}`, { replace: true });
  }
  const params = route ? path.match(route.re).slice(1) : [];
  const ctx = {
    params,
    query: new URLSearchParams(location.search),
    signal: current.controller.signal,
    onLeave: (fn) => current.cleanups.push(fn),
    crumbs: setCrumbs,
    navigate,
    reload: render,
    title: (t) => {
      document.title = `${t} · wabridge`;
    },
  };
  root.classList.remove('boot');
  root.removeAttribute('aria-busy');
  if (route?.public) {
    ctx.view = root;
    mount(root);
  } else {
    ctx.view = buildShell(root, { onSignOut: signOut });
    setActive(route?.nav);
    mount(ctx.view);
    window.scrollTo(0, 0);
  }
  try {
    await (route ? route.page(ctx) : notFound(ctx));
  } catch (e) {
    if (e.name === 'AbortError' || ctx.signal.aborted) return;
    console.error(e);
    mount(ctx.view, errorBox(e, () => render()));
  }
}

async function signOut(reason) {
  await auth.signOut();
  sessionStorage.setItem(SIGN_IN_REASON, reason);
  navigate('/console/sign-in', { replace: true });
}

/** The sign-in page's message for a session that ended: the server says why (expired, key deleted, …). */
function rememberWhy(e) {
  sessionStorage.setItem(SIGN_IN_REASON, `${e.message.replace(/;\s*sign in again.*$/i, '')}. `
    + 'Sign in again with an API key to continue.');
}

// Any 401 while using the console: the session expired, was signed out elsewhere, or its key was deleted.
auth.onUnauthorized((e) => {
  if (location.pathname === '/console/sign-in') return;
  rememberWhy(e);
  const here = location.pathname + location.search;
  navigate(`/console/sign-in?next=${encodeURIComponent(here)}`, { replace: true });
});

document.addEventListener('click', (e) => {
  const a = e.target.closest('a[href]');
  if (!a || a.target || a.hasAttribute('download') || e.defaultPrevented) return;
  if (e.button !== 0 || e.metaKey || e.ctrlKey || e.shiftKey || e.altKey) return;
  const url = new URL(a.href, location.href);
  if (url.origin !== location.origin || !url.pathname.startsWith('/console')) return;
  e.preventDefault();
  if (url.pathname + url.search !== location.pathname + location.search) navigate(url.pathname + url.search);
});

window.addEventListener('popstate', render);
window.addEventListener('storage', (e) => {
  if (e.key === SIGNED_OUT && e.newValue && location.pathname !== '/console/sign-in') {
    auth.forget();
    sessionStorage.setItem(SIGN_IN_REASON, 'You signed out in another tab. Sign in again to continue.');
    navigate('/console/sign-in', { replace: true });
  }
});

// A clear message instead of a blank page if a module fails in an old browser.
window.addEventListener('error', (e) => {
  if (!root.firstChild || root.classList.contains('boot')) {
    mount(root, h('div', { class: 'auth' }, errorBox({
      message: 'The console could not start.',
      hint: `Reload the page; if it persists, use a current browser. (${e.message})`,
    })));
  }
});

auth.load().catch(() => null).then(() => {
  if (auth.ended && location.pathname !== '/console/sign-in') rememberWhy(auth.ended);
  render();
});
