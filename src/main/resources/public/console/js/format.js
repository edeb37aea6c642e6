// Times, durations and the 24-hour window, formatted for people.

const MIN = 60_000;
const HOUR = 60 * MIN;
const DAY = 24 * HOUR;

export function dateTime(iso) {
  if (!iso) return '—';
  return new Date(iso).toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'short' });
}

export function timeOfDay(iso) {
  return iso ? new Date(iso).toLocaleTimeString(undefined, { hour: '2-digit', minute: '2-digit' }) : '';
}

export function dayLabel(iso) {
  const d = new Date(iso);
  const today = new Date();
  const yesterday = new Date(Date.now() - DAY);
  if (d.toDateString() === today.toDateString()) return 'Today';
  if (d.toDateString() === yesterday.toDateString()) return 'Yesterday';
  return d.toLocaleDateString(undefined, { weekday: 'long', month: 'short', day: 'numeric', year: 'numeric' });
}

/** "just now", "5 min ago", "3 h ago", "2 d ago", then the date. */
export function ago(iso) {
  if (!iso) return '—';
  const ms = Date.now() - new Date(iso).getTime();
  if (ms < 45_000) return 'just now';
  if (ms < HOUR) return `${Math.round(ms / MIN)} min ago`;
  if (ms < DAY) return `${Math.round(ms / HOUR)} h ago`;
  if (ms < 7 * DAY) return `${Math.round(ms / DAY)} d ago`;
  return new Date(iso).toLocaleDateString(undefined, { dateStyle: 'medium' });
}

export function span(ms) {
  const minutes = Math.max(1, Math.round(ms / MIN));
  if (minutes < 60) return `${minutes} min`;
  const hours = Math.floor(minutes / 60);
  return minutes % 60 ? `${hours} h ${minutes % 60} min` : `${hours} h`;
}

export function latency(ms) {
  if (ms == null) return '—';
  return ms < 1000 ? `${ms} ms` : `${(ms / 1000).toFixed(ms < 10_000 ? 2 : 1)} s`;
}

/** The customer-service window: open (with time left), closed, or never opened. */
export function windowState(expiresAt) {
  if (!expiresAt) return { open: false, label: 'No window', tone: 'gray', title: 'The customer has not written yet' };
  const left = new Date(expiresAt).getTime() - Date.now();
  if (left <= 0) {
    return { open: false, label: 'Window closed', tone: 'gray', title: `Closed ${dateTime(expiresAt)}` };
  }
  return {
    open: true, label: `Open · ${span(left)} left`, tone: left < 2 * HOUR ? 'amber' : 'green',
    title: `Free-form messages allowed until ${dateTime(expiresAt)}`,
  };
}

export function initials(name, phone) {
  const s = (name || '').trim();
  if (!s) return (phone || '#').replace(/\D/g, '').slice(-2) || '#';
  return s.split(/\s+/).slice(0, 2).map((w) => w[0]).join('').toUpperCase();
}
