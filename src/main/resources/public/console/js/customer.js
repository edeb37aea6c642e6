// Who a conversation is with, as people read it: a name, else the WhatsApp username, else the phone, else Meta's user
// id; a group by its id. Meta withholds the phone of some users with a username, so the phone may be missing.
import { badge } from './ui.js';

export function isGroup(c) {
  return Boolean(c.group_id);
}

/** The name to show: the profile name, the @username, the phone, the user id; "WhatsApp group" for a group. */
export function customerLabel(c) {
  if (isGroup(c)) return 'WhatsApp group';
  return c.customer_name || (c.username && `@${c.username}`) || c.phone_number || c.user_id || 'Unknown customer';
}

/** The line under the name: what else identifies them (the phone, or that it is withheld, the username). */
export function customerSub(c) {
  if (isGroup(c)) return `Group ${c.group_id}`;
  const parts = [c.phone_number || 'Phone withheld'];
  if (c.username && c.customer_name) parts.push(`@${c.username}`);
  return parts.join(' · ');
}

export const HELD_LABELS = {
  no_agent: 'no agent is deployed on the number',
  agent_paused: 'the agent is paused',
  handoff: 'a person took over',
};

/** "3 unanswered" with why the newest waits, or nothing. */
export function unansweredBadge(c) {
  if (!c.unanswered) return null;
  const why = HELD_LABELS[c.held] || c.held;
  return badge(`${c.unanswered} unanswered`, 'amber', { dot: true, title: why ? `Waiting because ${why}` : null,
    testid: 'unanswered-badge' });
}

/**
 * What a search box holds, as the API's filter: "@name" is a username, "US.1234…" a user id, anything else digits
 * of a phone number (any part of it).
 */
export function searchFilter(text) {
  const q = (text || '').trim();
  if (!q) return {};
  if (q.startsWith('@')) return { username: q.slice(1) };
  if (/^[A-Z]{2}\.[A-Za-z0-9.]+$/.test(q)) return { user_id: q };
  return { phone_number: q };
}
