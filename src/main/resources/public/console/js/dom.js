// Builds DOM nodes without HTML strings: every string child becomes a text node, so data from the API can never
// become markup. Links go through safeUrl so that a stored "javascript:" URL cannot run.

const PROPS = new Set(['value', 'checked', 'selected', 'disabled', 'readOnly', 'required', 'multiple']);

/** h('a', {href, class, onClick, 'data-testid': 'x'}, child, …): children may be nodes, strings, arrays or null. */
export function h(tag, props, ...children) {
  const el = document.createElement(tag);
  const late = {};
  for (const [k, v] of Object.entries(props || {})) {
    if (v == null || v === false) continue;
    if (k === 'class') el.className = Array.isArray(v) ? v.filter(Boolean).join(' ') : v;
    else if (k.startsWith('on') && typeof v === 'function') el.addEventListener(k.slice(2).toLowerCase(), v);
    else if (PROPS.has(k)) late[k] = v;
    else if (k === 'href' || k === 'src') el.setAttribute(k, safeUrl(v));
    else el.setAttribute(k, v === true ? '' : String(v));
  }
  append(el, children);
  Object.assign(el, late);
  return el;
}

export function append(parent, children) {
  for (const c of children.flat(Infinity)) {
    if (c == null || c === false) continue;
    parent.append(c instanceof Node ? c : document.createTextNode(String(c)));
  }
  return parent;
}

/** Replaces all children of el. */
export function mount(el, ...children) {
  el.replaceChildren();
  return append(el, children);
}

/** An icon from the sprite in index.html. */
export function icon(name, cls = '') {
  const ns = 'http://www.w3.org/2000/svg';
  const svg = document.createElementNS(ns, 'svg');
  svg.setAttribute('class', `icon ${cls}`.trim());
  svg.setAttribute('aria-hidden', 'true');
  const use = document.createElementNS(ns, 'use');
  use.setAttribute('href', `#i-${name}`);
  svg.append(use);
  return svg;
}

/** http(s) URLs and same-origin paths pass; anything else (javascript:, data:) becomes "#". */
export function safeUrl(url) {
  const s = String(url ?? '');
  if (s.startsWith('/') && !s.startsWith('//')) return s;
  try {
    const u = new URL(s, location.href);
    return u.protocol === 'http:' || u.protocol === 'https:' ? u.href : '#';
  } catch {
    return '#';
  }
}
