// The only way the console talks to wabridge: the public JSON API with the signed-in key. Errors come back as
// ApiError with the server's code and message plus a hint that says what to do next. A 401 signs the user out.

const KEY = 'wabridge.apiKey';
let onUnauthorized = () => {};

export const auth = {
  get key() {
    try {
      return localStorage.getItem(KEY) || '';
    } catch {
      return '';
    }
  },
  set(key) {
    localStorage.setItem(KEY, key);
  },
  clear() {
    localStorage.removeItem(KEY);
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
 * With key, uses that key instead of the stored one and does not sign out on 401 (for the sign-in check).
 */
export async function api(path, { method = 'GET', body, signal, key } = {}) {
  const headers = { Accept: 'application/json', Authorization: `Bearer ${key ?? auth.key}` };
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  let resp;
  try {
    resp = await fetch(path, { method, headers, signal, body: body === undefined ? undefined : JSON.stringify(body) });
  } catch (e) {
    if (e.name === 'AbortError') throw e;
    throw new ApiError(0, 'network_error', 'Could not reach wabridge.',
      'Check that the server is running and that you are online, then try again.');
  }
  if (resp.status === 204) return null;
  const data = await resp.json().catch(() => null);
  if (resp.ok) return data;
  const err = data?.error || {};
  const message = err.message ? capitalize(err.message) : `The server answered ${resp.status} ${resp.statusText}.`;
  const e = new ApiError(resp.status, err.code || `http_${resp.status}`, message, hintFor(resp, err.code));
  if (resp.status === 401 && key === undefined) onUnauthorized(e);
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
      return `Too many requests with this key. Wait ${wait ? `${wait} s` : 'a few seconds'} and try again.`;
    }
    default:
      return resp.status >= 500 ? 'Try again in a moment; if it keeps failing, check the wabridge server logs.' : '';
  }
}

function capitalize(s) {
  return s.charAt(0).toUpperCase() + s.slice(1);
}
