// The only way the console talks to wabridge: the public JSON API, signed in with a session cookie that no script can
// read (HttpOnly), plus the session's CSRF token on every request that changes something. No API key is kept in this
// browser. Errors come back as ApiError with the server's code and message plus a hint that says what to do next.
// A 401 ends the session here too.

const LEGACY_KEY = 'wabridge.apiKey';
/** Written on sign-out so that other tabs (console or sandbox) sign out too; holds no secret. */
export const SIGNED_OUT = 'wabridge.signedOut';
let onUnauthorized = () => {};
let session = null;
let ended = null;

// Older versions kept the API key in page storage: it must not outlive this version's first load.
try {
  localStorage.removeItem(LEGACY_KEY);
  sessionStorage.removeItem(LEGACY_KEY);
} catch {
  // storage disabled: nothing to remove
}

export const auth = {
  /** {workspace_id, key_id, key_name, scope, csrf_token, expires_at} while signed in, else null. */
  get session() {
    return session;
  },
  /** Why the session this browser had ended (an ApiError: expired, key deleted, …), found by load(); else null. */
  get ended() {
    return ended;
  },
  /** Asks the server whether this browser is signed in (the cookie survives a reload; the CSRF token is fetched). */
  async load() {
    try {
      session = await api('/api/session', { quiet: true });
      ended = null;
    } catch (e) {
      if (e.status !== 401) throw e;
      session = null;
      ended = e.code === 'not_signed_in' ? null : e;
    }
    return session;
  },
  /** Trades an API key for a session; the key is not kept. */
  async signIn(key) {
    session = await api('/api/session', { method: 'POST', body: { api_key: key }, quiet: true });
    return session;
  },
  /** Ends the session on the server (the cookie is cleared) and tells other tabs. */
  async signOut() {
    try {
      if (session) await api('/api/session', { method: 'DELETE', quiet: true });
    } catch {
      // signed out here all the same; the server ends the session at its expiry
    } finally {
      session = null;
      try {
        localStorage.setItem(SIGNED_OUT, String(Date.now()));
      } catch {
        // storage disabled: other tabs find out at their next request
      }
    }
  },
  /** Forgets the session without asking the server (it already said 401). */
  forget() {
    session = null;
  },
  /** Called with the ApiError when any request answers 401. */
  onUnauthorized(fn) {
    onUnauthorized = fn;
  },
};

export class ApiError extends Error {
  constructor(status, code, message, hint) {
    super(message);
    this.status = status;
    this.code = code;
    this.hint = hint;
  }

  /** The field a 422 names (codes are "invalid_<field>"), or null. */
  get field() {
    return this.status === 422 && this.code?.startsWith('invalid_') ? this.code.slice('invalid_'.length) : null;
  }
}

/**
 * api('/api/agents', {method: 'POST', body: {...}, signal}) → parsed JSON (null for 204).
 * quiet: a 401 is only thrown, not treated as the end of the session (for signing in and out).
 */
export async function api(path, { method = 'GET', body, signal, quiet = false } = {}, retried = false) {
  const headers = { Accept: 'application/json' };
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  if (method !== 'GET' && method !== 'HEAD' && session) headers['X-CSRF-Token'] = session.csrf_token;
  let resp;
  try {
    resp = await fetch(path, {
      method, headers, signal, credentials: 'same-origin', body: body === undefined ? undefined : JSON.stringify(body),
    });
  } catch (e) {
    if (e.name === 'AbortError') throw e;
    throw new ApiError(0, 'network_error', 'Could not reach wabridge.',
      'Check that the server is running and that you are online, then try again.');
  }
  if (resp.status === 204) return null;
  const data = await resp.json().catch(() => null);
  if (resp.ok) return data;
  const err = data?.error || {};
  if (resp.status === 403 && err.code === 'csrf_failed' && !retried && !quiet) {
    // Signed in again in another tab: this page's token is stale. Fetch the current one and try once more.
    if (await auth.load()) return api(path, { method, body, signal, quiet }, true);
  }
  const message = err.message ? capitalize(err.message) : `The server answered ${resp.status} ${resp.statusText}.`;
  const e = new ApiError(resp.status, err.code || `http_${resp.status}`, message, hintFor(resp, err.code));
  if (resp.status === 401 && !quiet) {
    session = null;
    onUnauthorized(e);
  }
  throw e;
}

/** Builds a query string from an object, leaving out empty values. */
export function query(params) {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v != null && v !== '') q.set(k, v);
  const s = q.toString();
  return s ? `?${s}` : '';
}

function hintFor(resp, code) {
  switch (resp.status) {
    case 400:
    case 422:
      return code === 'invalid_content' ? 'Change the message and send it again.' : 'Correct the value and try again.';
    case 401:
      return 'Sign in again with a valid API key.';
    case 403:
      return code === 'csrf_failed' ? 'Reload the page and try again.' : '';
    case 404:
      return 'It may have been deleted, or it belongs to another workspace. Go back to the list and pick another.';
    case 409:
      return 'Resolve the conflict described above, then try again.';
    case 410:
      return 'It has expired; start again.';
    case 413:
      return 'Send something smaller.';
    case 429: {
      const wait = resp.headers.get('Retry-After');
      const who = code === 'sign_in_throttled' ? 'failed sign-ins from this network' : 'requests with this key';
      return `Too many ${who}. Wait ${wait ? `${wait} s` : 'a few seconds'} and try again.`;
    }
    default:
      return resp.status >= 500 ? 'Try again in a moment; if it keeps failing, check the wabridge server logs.' : '';
  }
}

function capitalize(s) {
  return s.charAt(0).toUpperCase() + s.slice(1);
}
