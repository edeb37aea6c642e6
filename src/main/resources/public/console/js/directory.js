// Lookups several pages need: the workspace's numbers (plus the shared sandbox number) and agents by id.
import { api } from './api.js';

export const SANDBOX_ID = 'num_sandbox';

/** {list, byId, sandbox}: GET /api/numbers plus num_sandbox when the sandbox is on (a 404 means it is off). */
export async function loadNumbers(signal) {
  const [page, sandbox] = await Promise.all([
    api('/api/numbers?limit=200', { signal }),
    api(`/api/numbers/${SANDBOX_ID}`, { signal }).catch((e) => {
      if (e.status === 404) return null;
      throw e;
    }),
  ]);
  const list = page.data.filter((n) => n.id !== SANDBOX_ID);
  const sb = sandbox || page.data.find((n) => n.id === SANDBOX_ID) || null;
  const byId = new Map(list.map((n) => [n.id, n]));
  if (sb) byId.set(sb.id, sb);
  return { list, byId, sandbox: sb };
}

export function numberLabel(numbers, id) {
  if (!id) return 'No number';
  if (id === SANDBOX_ID) return 'Sandbox (shared test number)';
  const n = numbers?.byId.get(id);
  return n ? n.display_phone_number : id;
}

/** Map of agent id → agent, from the first 200 agents (enough for names in lists and filters). */
export async function loadAgents(signal) {
  const page = await api('/api/agents?limit=200', { signal });
  return new Map(page.data.map((a) => [a.id, a]));
}
