// The agent's settings as form fields, each with one line of help; shared by "Create agent" and "Edit settings".
import { h } from '../dom.js';
import { field, input, select, textarea } from '../forms.js';
import { SANDBOX_ID } from '../directory.js';

/** An agent's reply formatting (its `format`), as the form and the overview name it. */
export const FORMATS = {
  auto: 'Auto: WhatsApp formatting kept, Markdown converted',
  markdown: 'Markdown: *x* is italic, as CommonMark reads it',
  whatsapp: 'WhatsApp: sent exactly as written',
};

/** {fields: [nodes], read() → API body}. agent: current values when editing. */
export function agentFields(numbers, agent = null, presetNumber = null) {
  const current = agent ? agent.number_id || '' : presetNumber;
  const options = [];
  if (numbers.sandbox) {
    options.push({ value: SANDBOX_ID, label: `Sandbox (shared test number ${numbers.sandbox.display_phone_number})` });
  }
  for (const n of numbers.list) {
    options.push({ value: n.id, label: `${n.display_phone_number} · ${n.phone_number_id}` });
  }
  if (current && !options.some((o) => o.value === current)) options.push({ value: current, label: current });
  if (!agent || !agent.number_id) options.push({ value: '', label: 'No number yet (attach one later)' });
  options.forEach((o, i) => {
    o.selected = current != null ? o.value === current : i === 0;
  });

  const format = agent?.format ?? 'auto';
  const formats = Object.entries(FORMATS).map(([value, label]) => ({ value, label, selected: value === format }));
  const i = {
    name: input({ 'data-testid': 'agent-name', placeholder: 'Order support', maxlength: 100, value: agent?.name }),
    url: input({ type: 'url', class: 'input mono', 'data-testid': 'agent-webhook-url', value: agent?.webhook_url,
      placeholder: 'https://agent.example.com/webhook' }),
    number: select(options, { 'data-testid': 'agent-number' }),
    timeout: input({ type: 'number', min: 1, max: 600, value: String(agent?.timeout_seconds ?? 60),
      'data-testid': 'agent-timeout' }),
    debounce: input({ type: 'number', min: 0, max: 60000, step: 100, value: String(agent?.debounce_ms ?? 0),
      'data-testid': 'agent-debounce' }),
    format: select(formats, { 'data-testid': 'agent-format' }),
    fallback: textarea({ rows: 2, maxlength: 4096, 'data-testid': 'agent-fallback',
      value: agent?.fallback_message ?? '',
      placeholder: 'Sorry, something went wrong on our side. We will get back to you shortly.' }),
  };
  const fields = [
    field({ name: 'name', label: 'Name', input: i.name,
      help: 'For you and your team in this console; customers never see it.' }),
    field({ name: 'webhook_url', label: 'Webhook URL', input: i.url,
      help: 'wabridge POSTs every customer message here as JSON and sends your response to the customer.' }),
    field({ name: 'number_id', label: 'WhatsApp number', input: i.number,
      help: numbers.sandbox ? 'The number customers write to. The sandbox number lets you test in the browser right '
        + 'away.' : 'The number customers write to; register one under Numbers first.' }),
    h('div', { class: 'field-row' },
      field({ name: 'timeout_seconds', label: 'Timeout (seconds)', input: i.timeout,
        help: 'How long to wait for your webhook to answer (1–600).' }),
      field({ name: 'debounce_ms', label: 'Debounce (ms)', input: i.debounce,
        help: 'Merge messages sent within this gap into one call; 0 calls at once.' })),
    field({ name: 'format', label: 'Reply formatting', input: i.format,
      help: 'How your agent writes: Auto keeps WhatsApp\'s *bold* and converts Markdown\'s **bold**, headings, links '
        + 'and tables; choose Markdown if it writes *italics* the Markdown way.' }),
    field({ name: 'fallback_message', label: 'Fallback message', input: i.fallback, optional: true,
      help: 'Sent to the customer when your webhook fails or times out; leave empty to send nothing.' }),
  ];
  function read() {
    const body = {
      name: i.name.value.trim(), webhook_url: i.url.value.trim(),
      timeout_seconds: toInt(i.timeout.value, 60), debounce_ms: toInt(i.debounce.value, 0),
      format: i.format.value,
    };
    if (i.number.value) body.number_id = i.number.value;
    const fallback = i.fallback.value.trim();
    if (fallback) body.fallback_message = fallback;
    else if (agent?.fallback_message) body.fallback_message = '';
    return body;
  }
  return { fields, read, inputs: i };
}

function toInt(v, fallback) {
  const n = Number.parseInt(v, 10);
  return Number.isNaN(n) ? fallback : n;
}
