// One message as a chat bubble: who wrote it, content by type, time, ticks for the business's messages, errors and
// why a customer's message waits unanswered underneath.
import { h, icon } from './dom.js';
import { timeOfDay } from './format.js';
import { formatText } from './wa-text.js';
import { HELD_LABELS } from './customer.js';

const MEDIA_LABELS = { image: 'Photo', sticker: 'Sticker', video: 'Video', audio: 'Audio', document: 'Document' };

const STATUS_TITLES = {
  queued: 'Queued: waiting to be sent', sent: 'Sent to WhatsApp', delivered: 'Delivered to the phone',
  read: 'Read by the customer', failed: 'Not delivered', received: 'Received',
  suppressed: 'Not sent: a person had taken over the conversation',
};

/** Who wrote an outbound message (or Meta's notice), as the thread labels it. */
const AUTHORS = {
  agent: 'Agent', business: 'Team (sent by a person)', fallback: 'Agent\'s fallback message',
  away: 'Away message', system: 'WhatsApp notice',
};

export function bubble(m) {
  const out = m.direction === 'outbound';
  return h('div', {
    class: ['msg', out ? 'msg-out' : 'msg-in', m.status === 'failed' && 'failed', m.status === 'suppressed'
      && 'suppressed'],
    'data-testid': 'thread-message', 'data-direction': m.direction, 'data-status': m.status, 'data-type': m.type,
    'data-id': m.id, 'data-author': m.author,
  },
  author(m),
  h('div', { class: 'bubble' }, content(m),
    h('span', { class: 'meta' }, timeOfDay(m.created_at), out && ticks(m.status))),
  m.error && note(m),
  m.unanswered && held(m));
}

/** Above the bubble: who wrote it, when that is not simply "the customer" (a group's member, the agent, a person). */
function author(m) {
  let who = null;
  if (m.author === 'customer') {
    const s = m.sender;
    who = s && (s.name || (s.username && `@${s.username}`) || s.phone_number || s.user_id);
  } else {
    who = AUTHORS[m.author] || m.author;
  }
  if (!who) return null;
  const sub = m.author === 'customer' && m.sender?.phone_number && m.sender.name ? ` · ${m.sender.phone_number}` : '';
  return h('div', { class: 'author', 'data-testid': 'message-author' }, h('strong', {}, who), sub);
}

/** Under a customer's message that no agent was called for: why it waits. */
function held(m) {
  const why = HELD_LABELS[m.held] || m.held || 'no agent was called';
  return h('div', { class: 'msg-note amber', role: 'note', 'data-testid': 'message-held' }, icon('clock'),
    h('span', {}, `Unanswered: ${why}.`));
}

function ticks(status) {
  const title = STATUS_TITLES[status] || status;
  const el = {
    queued: () => icon('clock'),
    sent: () => icon('check'),
    delivered: () => icon('check2'),
    read: () => icon('check2', 'read'),
    failed: () => icon('alert', 'failed'),
    suppressed: () => icon('person'),
  }[status]?.() || icon('clock');
  return h('span', { class: 'tick', title, 'aria-label': title, 'data-testid': 'message-status' }, el);
}

function note(m) {
  if (m.status === 'suppressed') {
    return h('div', { class: 'msg-note gray', role: 'note', 'data-testid': 'message-suppressed' }, icon('person'),
      h('span', {}, 'Not sent: a person had taken over this conversation, so the agent\'s words were kept here '
        + 'instead of reaching the customer.'));
  }
  const retrying = m.direction === 'outbound' && m.status !== 'failed';
  const what = m.direction === 'inbound' ? 'Agent call failed' : retrying ? 'Retrying after an error' : 'Not delivered';
  return h('div', { class: ['msg-note', retrying && 'amber'], role: 'note', 'data-testid': 'message-error' },
    icon('alert'),
    h('span', {}, `${what}: `, h('code', {}, m.error.code), ' — ', m.error.message, explain(m.error.code)));
}

function explain(code) {
  const hints = {
    window_closed: ' Outside the 24-hour window only templates can be sent; wait for the customer to write.',
    131047: ' More than 24 hours passed since the customer wrote; send a template instead.',
    131026: ' The customer cannot receive this message (not on WhatsApp, or an old app version).',
    190: ' The number\'s access token expired or was revoked: update it with PATCH /api/numbers/{id}.',
  };
  return hints[code] || '';
}

/** By the Meta type in content (outbound "buttons" is Meta's "interactive"), else the message's own type. */
function content(m) {
  const c = m.content || {};
  const media = m.media || {};
  const type = c.type || m.type;
  const caption = m.text ? h('div', { class: 'text' }, formatText(m.text)) : null;
  switch (type) {
    case 'image':
    case 'sticker': {
      const src = media.url || c[type]?.link;
      const img = src ? h('img', { class: 'media', src, alt: m.text || type, loading: 'lazy' }) : null;
      return [img || kind('image', MEDIA_LABELS[type]), caption];
    }
    case 'video':
    case 'audio': {
      const src = media.url || c[type]?.link;
      return [src ? h(type, { src, controls: true, preload: 'metadata' }) : kind('doc', MEDIA_LABELS[type]), caption];
    }
    case 'document': {
      const src = media.url || c.document?.link;
      const name = media.filename || c.document?.filename || 'Document';
      return [h('a', { class: 'doc', href: src || '#', target: '_blank', rel: 'noopener' }, icon('doc'), name),
        caption];
    }
    case 'location':
      return location(c.location || {}, m.text);
    case 'interactive':
      return interactive(c.interactive || {}, m);
    case 'template':
      return [kind('doc', `Template · ${c.template?.name || ''} (${c.template?.language?.code || ''})`), caption];
    case 'reaction':
      return h('div', {}, h('div', { class: 'reaction' }, c.reaction?.emoji || m.text), kind('reply', 'Reaction'));
    case 'contacts':
      return (c.contacts || []).map((p) => h('div', { class: 'place' },
        h('div', { class: 'kind' }, icon('person', 'sm'), h('strong', {}, p.name?.formatted_name || 'Contact')),
        (p.phones || []).map((ph) => h('div', { class: 'muted' }, ph.phone)))).concat(c.contacts ? [] : [caption]);
    default:
      return caption || h('div', { class: 'text faint' }, `[${type}]`);
  }
}

function kind(glyph, label) {
  return h('div', { class: 'kind' }, icon(glyph, 'sm'), label);
}

function location(loc, text) {
  const lat = Number(loc.latitude);
  const lon = Number(loc.longitude);
  const ok = Number.isFinite(lat) && Number.isFinite(lon);
  return h('div', { class: 'place' },
    h('div', { class: 'kind' }, icon('pin', 'sm'), h('strong', {}, loc.name || 'Location')),
    loc.address && h('div', { class: 'muted' }, loc.address),
    ok ? h('a', { href: `https://www.openstreetmap.org/?mlat=${lat}&mlon=${lon}#map=16/${lat}/${lon}`,
      target: '_blank', rel: 'noopener' }, `${lat.toFixed(5)}, ${lon.toFixed(5)}`)
      : h('div', {}, text));
}

function interactive(i, m) {
  if (m.direction === 'inbound') {
    return h('div', {}, kind('reply', 'Chose'), h('div', { class: 'text' }, m.text));
  }
  const parts = [];
  if (i.header?.text) parts.push(h('strong', {}, i.header.text));
  parts.push(h('div', { class: 'text' }, formatText(i.body?.text || m.text || '')));
  if (i.footer?.text) parts.push(h('div', { class: 'faint' }, i.footer.text));
  if (i.type === 'button') {
    parts.push(h('div', { class: 'chips' },
      (i.action?.buttons || []).map((b) => h('div', { class: 'chip' }, b.reply?.title || b.title || ''))));
  } else if (i.type === 'list') {
    const rows = (i.action?.sections || []).flatMap((s) => s.rows || []);
    parts.push(h('ul', { class: 'list-rows' }, rows.map((r) => h('li', {}, r.title))));
    const open = h('div', { class: 'chip' }, icon('list', 'sm'), ' ', i.action?.button || 'Options');
    parts.push(h('div', { class: 'chips' }, open));
  } else if (i.type === 'carousel') {
    parts.push(h('ul', { class: 'list-rows' }, (i.action?.cards || []).map((c) => h('li', {},
      c.body?.text || c.action?.parameters?.display_text || `Card ${Number(c.card_index) + 1}`))));
  }
  // Meta's other interactive kinds (docs/replies.md) show the label of their one button
  const label = {
    cta_url: i.action?.parameters?.display_text,
    flow: i.action?.parameters?.flow_cta,
    location_request_message: 'Send location',
    catalog_message: 'View catalog',
  }[i.type];
  if (label) parts.push(h('div', { class: 'chips' }, h('div', { class: 'chip' }, label)));
  return parts;
}
