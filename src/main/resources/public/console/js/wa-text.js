// WhatsApp formatting (*bold*, _italic_, ~strike~, ```mono```) and links, as DOM nodes: never as HTML.
import { h } from './dom.js';

const RULES = [
  {
    re: /```([\s\S]+?)```/,
    make: (t) => (t.includes('\n') ? h('code', { class: 'mono block' }, t.replace(/^\n|\n$/g, ''))
      : h('code', { class: 'mono' }, t)),
  },
  { re: /(?<![\w*])\*(?!\s)([^*\n]+?)\*(?![\w*])/, make: (t) => h('strong', {}, formatText(t)) },
  { re: /(?<![\w_])_(?!\s)([^_\n]+?)_(?![\w_])/, make: (t) => h('em', {}, formatText(t)) },
  { re: /(?<![\w~])~(?!\s)([^~\n]+?)~(?![\w~])/, make: (t) => h('del', {}, formatText(t)) },
  {
    re: /\bhttps?:\/\/[^\s<>"]+[^\s<>".,;:!?)\]']/,
    make: (_, url) => h('a', { href: url, target: '_blank', rel: 'noopener noreferrer' }, url),
  },
];

/** The nodes of a text: the earliest match of any rule is formatted, the rest recursively. */
export function formatText(text) {
  const out = [];
  let rest = String(text ?? '');
  while (rest) {
    let best = null;
    for (const rule of RULES) {
      const m = rule.re.exec(rest);
      if (m && (!best || m.index < best.m.index)) best = { rule, m };
    }
    if (!best) {
      out.push(rest);
      break;
    }
    if (best.m.index > 0) out.push(rest.slice(0, best.m.index));
    out.push(best.rule.make(best.m[1], best.m[0]));
    rest = rest.slice(best.m.index + best.m[0].length);
  }
  return out;
}
