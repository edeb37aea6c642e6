// The sandbox chat: a WhatsApp-like page over /sandbox/api. No framework, no build step. Signed in with the same
// session as the console (an HttpOnly cookie from POST /api/session); no API key is kept in this browser.
(() => {
  'use strict';

  const LEGACY_KEY = 'wabridge.apiKey';
  const SIGNED_OUT = 'wabridge.signedOut';
  const CUSTOMERS_STORAGE = 'wabridge.sandbox.customers';
  const CURRENT_STORAGE = 'wabridge.sandbox.current';
  const AGENT_STORAGE = 'wabridge.sandbox.agent';
  const POLL_MS = 700;

  const $ = (id) => document.getElementById(id);
  const el = (tag, cls, text) => {
    const e = document.createElement(tag);
    if (cls) e.className = cls;
    if (text !== undefined && text !== null) e.textContent = text;
    return e;
  };

  const state = {
    session: null,
    agents: [],
    agent: null,
    customers: loadCustomers(),
    current: 0,
    rendered: new Map(),
    lastDay: null,
    lastDirection: null,
    pollTimer: null,
    polling: false,
    chatKey: '',
    previews: {},
  };
  const joinCode = (location.pathname.match(/\/sandbox\/connect\/([^/?#]+)/) || [])[1] || null;

  // ---------- storage ----------
  function loadCustomers() {
    try {
      const list = JSON.parse(localStorage.getItem(CUSTOMERS_STORAGE) || '[]');
      if (Array.isArray(list) && list.length) return list.filter((c) => c && c.phone);
    } catch (e) { /* start afresh */ }
    return [newCustomer('Alex')];
  }
  function newCustomer(name) {
    const digits = String(Math.floor(1000 + Math.random() * 9000));
    return { name, phone: '+1555010' + digits };
  }
  function saveCustomers() {
    localStorage.setItem(CUSTOMERS_STORAGE, JSON.stringify(state.customers));
    localStorage.setItem(CURRENT_STORAGE, String(state.current));
  }
  const current = () => state.customers[state.current];

  // ---------- API ----------
  /** Same-origin JSON with the session cookie; a state change carries the session's CSRF token. */
  async function api(method, path, body, retried) {
    const headers = { Accept: 'application/json' };
    if (body) headers['Content-Type'] = 'application/json';
    if (method !== 'GET' && state.session) headers['X-CSRF-Token'] = state.session.csrf_token;
    const resp = await fetch(path, { method, headers, credentials: 'same-origin',
      body: body ? JSON.stringify(body) : undefined });
    if (resp.status === 204) return null;
    let json = null;
    try { json = await resp.json(); } catch (e) { /* no body */ }
    if (!resp.ok) {
      const err = new Error((json && json.error && json.error.message) || ('the server answered HTTP ' + resp.status));
      err.status = resp.status;
      err.code = json && json.error && json.error.code;
      if (err.code === 'csrf_failed' && !retried && path !== '/api/session' && await loadSession()) {
        return api(method, path, body, true); // signed in again in another tab: use that session's token
      }
      if (err.status === 401) state.session = null;
      throw err;
    }
    return json;
  }

  /**
   * The session this browser has (the cookie survives a reload; its CSRF token is fetched), or null. A session that
   * ended (expired, its key deleted) is thrown as the 401 that says why.
   */
  async function loadSession() {
    try {
      state.session = await api('GET', '/api/session');
    } catch (err) {
      state.session = null;
      if (err.status !== 401 || err.code !== 'not_signed_in') throw err;
    }
    return state.session;
  }

  function explain(err) {
    if (err.status === 401) return capitalize(err.message.replace(/;\s*sign in again.*$/i, '')) + '. Sign in again.';
    if (err.code === 'agent_paused') return err.message + '.';
    if (err.status === 404 && err.message.includes('agent')) {
      return 'This agent is not in the workspace of your API key (' + err.message + '). Pick another agent or sign in '
        + 'with that workspace\'s key.';
    }
    if (err instanceof TypeError) return 'Cannot reach wabridge. Check that the server is running, then try again.';
    return err.message;
  }

  function banner(text, kind) {
    if (!text) { $('banner').hidden = true; return; }
    $('banner-text').textContent = text;
    $('banner').className = 'banner' + (kind === 'error' ? ' error' : '');
    $('banner').hidden = false;
  }

  // ---------- sign-in ----------
  function showSignIn(message) {
    stopPolling();
    $('signin').hidden = false;
    $('signin-error').hidden = !message;
    $('signin-error').textContent = message || '';
    setTimeout(() => $('api-key').focus(), 0);
  }

  $('signin-form').addEventListener('submit', async (ev) => {
    ev.preventDefault();
    const key = $('api-key').value.trim();
    if (!key) return;
    try {
      state.session = await api('POST', '/api/session', { api_key: key });
      $('api-key').value = '';
      await loadAgents();
      $('signin').hidden = true;
      start();
    } catch (err) {
      showSignIn(err.status === 401
        ? 'That key is not valid. Use the admin key printed when wabridge first started, or create one with POST /api/keys.'
        : explain(err));
    }
  });

  $('sign-out').addEventListener('click', async () => {
    try {
      if (state.session) await api('DELETE', '/api/session');
    } catch (e) { /* signed out here all the same */ }
    state.session = null;
    try { localStorage.setItem(SIGNED_OUT, String(Date.now())); } catch (e) { /* other tabs learn at their next request */ }
    showSignIn('Signed out. Sign in with an API key to chat again.');
  });

  window.addEventListener('storage', (ev) => {
    if (ev.key === SIGNED_OUT && ev.newValue && state.session) {
      state.session = null;
      showSignIn('You signed out in another tab. Sign in again to chat.');
    }
  });

  // ---------- agents ----------
  async function loadAgents() {
    const res = await api('GET', '/sandbox/api/agents');
    state.agents = res.data || [];
    const select = $('agent-select');
    select.textContent = '';
    for (const a of state.agents) {
      const o = el('option', null, a.name + (a.status === 'paused' ? ' (paused)' : a.status === 'draft' ? ' (draft)' : ''));
      o.value = a.id;
      select.appendChild(o);
    }
    let chosen = null;
    if (joinCode) chosen = state.agents.find((a) => a.join_code === joinCode) || null;
    if (!chosen) chosen = state.agents.find((a) => a.id === localStorage.getItem(AGENT_STORAGE)) || state.agents[0] || null;
    selectAgent(chosen);
    if (joinCode && !state.agents.some((a) => a.join_code === joinCode)) {
      banner('This chat link (' + joinCode + ') is for an agent outside the workspace of your API key. Sign in with '
        + 'that workspace\'s key, or pick one of your agents.', 'error');
    }
    $('agent-hint').textContent = state.agents.length ? '' : 'No agent on the sandbox number yet. Create one in the '
      + 'console or with POST /api/agents, or add the built-in demo agent.';
  }

  function selectAgent(agent) {
    state.agent = agent;
    $('agent-select').value = agent ? agent.id : '';
    if (agent) localStorage.setItem(AGENT_STORAGE, agent.id);
    $('agent-name').textContent = agent ? agent.name : 'No agent yet';
    $('agent-avatar').textContent = agent ? initial(agent.name) : '?';
    updateAgentStatus(agent);
    resetChat();
  }

  function updateAgentStatus(agent) {
    if (!agent) { $('agent-status').textContent = 'create an agent to start'; return; }
    $('agent-status').textContent = agent.status === 'paused' ? 'paused — deploy it in the console to chat'
      : agent.status === 'draft' ? 'draft · answers in the sandbox' : 'online';
  }

  $('agent-select').addEventListener('change', () => {
    const a = state.agents.find((x) => x.id === $('agent-select').value) || null;
    banner(null);
    selectAgent(a);
    if (a && joinCode) history.replaceState(null, '', '/sandbox/connect/' + a.join_code);
    poll();
  });

  $('demo-agent').addEventListener('click', async () => {
    try {
      const a = await api('POST', '/sandbox/api/demo-agent');
      await loadAgents();
      selectAgent(state.agents.find((x) => x.id === a.id) || null);
      banner('Demo agent created. Send "help" to see what it can do.');
      poll();
    } catch (err) {
      banner(explain(err), 'error');
    }
  });

  // ---------- customers ----------
  function renderCustomers() {
    const list = $('chat-list');
    list.textContent = '';
    state.customers.forEach((c, i) => {
      const li = el('li', 'chat-item' + (i === state.current ? ' active' : ''));
      li.dataset.testid = 'customer';
      const av = el('div', 'avatar', initial(c.name || c.phone));
      av.style.background = colorFor(c.phone);
      const body = el('div', 'chat-item-body');
      const top = el('div', 'chat-item-top');
      top.appendChild(el('span', 'chat-item-name', (c.name || 'Customer') + ' · ' + c.phone));
      const preview = state.previews[c.phone] || {};
      top.appendChild(el('span', 'chat-item-time', preview.time || ''));
      body.appendChild(top);
      const bottom = el('div', 'chat-item-top');
      bottom.appendChild(el('span', 'chat-item-preview', preview.text || 'Tap to chat as this customer'));
      if (state.customers.length > 1) {
        const rm = el('button', 'chat-item-remove', '×');
        rm.title = 'Remove this test customer';
        rm.addEventListener('click', (ev) => {
          ev.stopPropagation();
          state.customers.splice(i, 1);
          state.current = Math.min(state.current, state.customers.length - 1);
          saveCustomers();
          switchCustomer(state.current);
        });
        bottom.appendChild(rm);
      }
      body.appendChild(bottom);
      li.append(av, body);
      li.addEventListener('click', () => { switchCustomer(i); document.getElementById('app').classList.add('chat-open'); });
      list.appendChild(li);
    });
  }

  function switchCustomer(i) {
    state.current = i;
    saveCustomers();
    $('customer-name').value = current().name || '';
    $('customer-phone').value = current().phone;
    $('customer-username').value = current().username || '';
    $('customer-withhold').checked = !!current().withhold;
    $('customer-id').textContent = '';
    $('customer-error').hidden = true;
    renderCustomers();
    resetChat();
    poll();
  }

  $('add-customer').addEventListener('click', () => {
    const names = ['Sam', 'Maria', 'Kenji', 'Aisha', 'Lucas', 'Priya', 'Noah', 'Zoe'];
    state.customers.push(newCustomer(names[state.customers.length % names.length]));
    switchCustomer(state.customers.length - 1);
    $('customer-name').focus();
  });

  $('customer-name').addEventListener('input', () => {
    current().name = $('customer-name').value.trim();
    saveCustomers();
    renderCustomers();
  });

  $('customer-phone').addEventListener('change', applyPhone);
  $('customer-username').addEventListener('input', () => {
    current().username = $('customer-username').value.trim();
    saveCustomers();
  });
  $('customer-withhold').addEventListener('change', () => {
    current().withhold = $('customer-withhold').checked;
    saveCustomers();
  });

  /** The workspace's sandbox credentials for a Cloud API client (needs a key that may send). */
  $('credentials').addEventListener('click', async () => {
    try {
      const c = await api('GET', '/sandbox/api/credentials');
      $('sheet-title').textContent = 'Cloud API credentials';
      const body = $('sheet-body');
      body.textContent = '';
      body.appendChild(el('p', 'hint', 'Point any WhatsApp Cloud API client at the sandbox: it sends to your '
        + 'workspace\'s test customers as the business. Keep the token secret.'));
      body.appendChild(el('div', 'credentials', JSON.stringify(c, null, 2)));
      $('sheet').hidden = false;
    } catch (err) {
      banner(explain(err), 'error');
    }
  });

  /** Reads the number field; a new number is another customer's phone, so the chat switches to it. */
  function applyPhone() {
    const raw = $('customer-phone').value.trim();
    const digits = raw.replace(/[\s().+-]/g, '');
    if (!/^[1-9]\d{5,14}$/.test(digits)) {
      $('customer-error').textContent = 'Enter the number in international format, e.g. +15550100123.';
      $('customer-error').hidden = false;
      banner('The customer number must be in international format, e.g. +15550100123.', 'error');
      return false;
    }
    $('customer-error').hidden = true;
    const phone = '+' + digits;
    if (phone !== current().phone) {
      current().phone = phone;
      saveCustomers();
      renderCustomers();
      resetChat();
    }
    $('customer-phone').value = phone;
    return true;
  }

  // ---------- sending ----------
  async function send(payload) {
    if (!state.agent) { banner('Pick an agent first, or add the demo agent.', 'error'); return false; }
    if (!applyPhone()) return false;
    current().name = $('customer-name').value.trim() || current().name;
    saveCustomers();
    const body = Object.assign({ agent_id: state.agent.id, from: current().phone, name: current().name || undefined,
      username: current().username || null, withhold_phone: !!(current().withhold && current().username) }, payload);
    try {
      await api('POST', '/sandbox/api/messages', body);
      banner(null);
      poll();
      return true;
    } catch (err) {
      if (err.status === 401) { showSignIn(explain(err)); return false; }
      banner(explain(err), 'error');
      return false;
    }
  }

  async function sendText() {
    const text = $('composer').value;
    if (!text.trim()) return;
    $('composer').value = '';
    $('composer').focus();
    const ok = await send({ text });
    if (!ok && !$('composer').value) $('composer').value = text;
  }

  $('send').addEventListener('click', (ev) => { ev.preventDefault(); sendText(); });
  $('composer').addEventListener('keydown', (ev) => {
    if (ev.key === 'Enter' && !ev.shiftKey) { ev.preventDefault(); sendText(); }
  });

  $('attach').addEventListener('click', () => $('file').click());
  $('file').addEventListener('change', async () => {
    const file = $('file').files[0];
    $('file').value = '';
    if (!file) return;
    if (!/^image\/(jpeg|png|webp|gif)$/.test(file.type)) {
      banner('Only photos can be attached here (JPEG, PNG, WebP or GIF).', 'error');
      return;
    }
    try {
      const { base64, mime } = await shrink(file);
      const caption = $('composer').value.trim();
      if (await send({ image_base64: base64, mime_type: mime, caption: caption || undefined, filename: file.name })) {
        $('composer').value = '';
      }
    } catch (err) {
      banner('That image could not be read: ' + err.message, 'error');
    }
  });

  /** Scales big photos down (as WhatsApp does) so they stay well under the 5 MB image limit. */
  function shrink(file) {
    return new Promise((resolve, reject) => {
      const reader = new FileReader();
      reader.onerror = () => reject(new Error('read failed'));
      reader.onload = () => {
        const dataUrl = reader.result;
        const img = new Image();
        img.onerror = () => resolve({ base64: dataUrl.split(',')[1], mime: file.type });
        img.onload = () => {
          const max = 1600;
          if (file.size < 1_000_000 && img.width <= max && img.height <= max) {
            resolve({ base64: dataUrl.split(',')[1], mime: file.type });
            return;
          }
          const scale = Math.min(1, max / Math.max(img.width, img.height));
          const canvas = document.createElement('canvas');
          canvas.width = Math.round(img.width * scale);
          canvas.height = Math.round(img.height * scale);
          canvas.getContext('2d').drawImage(img, 0, 0, canvas.width, canvas.height);
          resolve({ base64: canvas.toDataURL('image/jpeg', 0.85).split(',')[1], mime: 'image/jpeg' });
        };
        img.src = dataUrl;
      };
      reader.readAsDataURL(file);
    });
  }

  $('share-location').addEventListener('click', () => {
    $('location-form').hidden = !$('location-form').hidden;
    if (!$('location-form').hidden) $('loc-lat').focus();
  });
  $('loc-cancel').addEventListener('click', () => { $('location-form').hidden = true; });
  $('loc-here').addEventListener('click', () => {
    if (!navigator.geolocation) { banner('This browser cannot share its location; type the coordinates instead.'); return; }
    navigator.geolocation.getCurrentPosition((pos) => {
      $('loc-lat').value = pos.coords.latitude.toFixed(6);
      $('loc-lon').value = pos.coords.longitude.toFixed(6);
    }, () => banner('The browser did not share its location; type the coordinates instead.'));
  });
  $('location-form').addEventListener('submit', async (ev) => {
    ev.preventDefault();
    const lat = Number($('loc-lat').value);
    const lon = Number($('loc-lon').value);
    if ($('loc-lat').value.trim() === '' || !(lat >= -90 && lat <= 90)) { banner('Latitude must be a number from -90 to 90.', 'error'); return; }
    if ($('loc-lon').value.trim() === '' || !(lon >= -180 && lon <= 180)) { banner('Longitude must be a number from -180 to 180.', 'error'); return; }
    const location = { latitude: lat, longitude: lon };
    if ($('loc-name').value.trim()) location.name = $('loc-name').value.trim();
    if ($('loc-address').value.trim()) location.address = $('loc-address').value.trim();
    if (await send({ location })) {
      $('location-form').hidden = true;
      ['loc-lat', 'loc-lon', 'loc-name', 'loc-address'].forEach((id) => { $(id).value = ''; });
    }
  });

  function reply(type, id, title, description, context) {
    return send({ reply: { type, id, title, description: description || undefined }, context });
  }

  // ---------- polling and rendering ----------
  function resetChat() {
    state.rendered.clear();
    state.lastDay = null;
    state.lastDirection = null;
    $('bubbles').textContent = '';
    $('empty').hidden = true;
    $('typing').hidden = true;
    state.chatKey = (state.agent ? state.agent.id : '') + '|' + (current() ? current().phone : '');
  }

  function stopPolling() {
    clearTimeout(state.pollTimer);
    state.pollTimer = null;
  }

  async function poll() {
    stopPolling();
    if (!state.session || !state.agent || !current()) return;
    if (state.polling) { state.pollTimer = setTimeout(poll, POLL_MS); return; }
    state.polling = true;
    const key = state.chatKey;
    try {
      const res = await api('GET', '/sandbox/api/messages?from=' + encodeURIComponent(current().phone)
        + '&agent_id=' + encodeURIComponent(state.agent.id));
      if (key === state.chatKey) render(res);
    } catch (err) {
      if (err.status === 401) { state.polling = false; showSignIn(explain(err)); return; }
      if (err.status !== 422) banner(explain(err), 'error');
    } finally {
      state.polling = false;
    }
    state.pollTimer = setTimeout(poll, POLL_MS);
  }

  function render(res) {
    $('customer-id').textContent = res.customer ? 'BSUID ' + res.customer.user_id
      + (res.customer.withhold_phone ? ' · number hidden from the agent' : '') : '';
    if (res.agent && state.agent && res.agent.id === state.agent.id && res.agent.status !== state.agent.status) {
      state.agent.status = res.agent.status;
      updateAgentStatus(state.agent);
    }
    $('typing').hidden = !res.typing;
    const list = res.data || [];
    $('empty').hidden = list.length > 0;
    const box = $('messages');
    const atBottom = box.scrollHeight - box.scrollTop - box.clientHeight < 80;
    let added = false;
    for (const m of list) {
      const seen = state.rendered.get(m.id);
      const sig = m.status + '|' + (m.reaction || '');
      if (!seen) {
        addBubble(m);
        added = true;
      } else if (seen.sig !== sig) {
        updateBubble(seen.row, m);
        seen.sig = sig;
      }
    }
    if (list.length) {
      const last = list[list.length - 1];
      state.previews[current().phone] = { text: previewOf(last), time: timeOf(last.created_at) };
      renderCustomers();
    }
    if (added && (atBottom || list[list.length - 1].direction === 'inbound')) box.scrollTop = box.scrollHeight;
  }

  function addBubble(m) {
    const day = new Date(m.created_at).toDateString();
    if (day !== state.lastDay) {
      const d = el('div', 'day');
      d.appendChild(el('span', null, dayLabel(m.created_at)));
      $('bubbles').appendChild(d);
      state.lastDay = day;
      state.lastDirection = null;
    }
    const mine = m.direction === 'inbound';
    const row = el('div', 'row ' + (mine ? 'out' : 'in') + (state.lastDirection !== m.direction ? ' gap' : ''));
    state.lastDirection = m.direction;
    const bubble = el('div', 'bubble');
    bubble.dataset.testid = 'message';
    bubble.dataset.direction = m.direction;
    bubble.dataset.type = m.type;
    bubble.dataset.id = m.id;
    if (mine) bubble.dataset.status = m.status;
    const overlayMeta = fillBubble(bubble, m);
    const last = bubble.lastElementChild;
    if (!overlayMeta && last && last.classList.contains('text')) {
      last.appendChild(el('span', 'meta-space'));
    } else if (!overlayMeta) {
      bubble.classList.add('meta-below');
    }
    bubble.appendChild(meta(m, mine, overlayMeta));
    const extras = actions(m);
    if (extras) {
      const group = el('div', 'group');
      group.append(bubble, extras);
      row.appendChild(group);
    } else {
      row.appendChild(bubble);
    }
    setReaction(row, bubble, m.reaction);
    $('bubbles').appendChild(row);
    state.rendered.set(m.id, { row, sig: m.status + '|' + (m.reaction || '') });
  }

  function updateBubble(row, m) {
    const bubble = row.querySelector('.bubble');
    if (m.direction === 'inbound') {
      bubble.dataset.status = m.status;
      const old = bubble.querySelector('.ticks');
      if (old) old.replaceWith(ticks(m.status));
    }
    setReaction(row, bubble, m.reaction);
  }

  function setReaction(row, bubble, emoji) {
    let r = bubble.querySelector('.reaction');
    if (!emoji) {
      if (r) r.remove();
      row.classList.remove('reacted');
      return;
    }
    if (!r) {
      r = el('span', 'reaction');
      r.dataset.testid = 'reaction';
      bubble.appendChild(r);
    }
    r.textContent = emoji;
    row.classList.add('reacted');
  }

  /** Fills the bubble for the message type; true when the time sits over media (no text below it). */
  function fillBubble(b, m) {
    const c = m.content || {};
    const media = m.media;
    switch (m.type) {
      case 'image':
      case 'sticker': {
        const wrap = el('div', 'media-wrap' + (m.type === 'sticker' ? ' sticker' : ''));
        if (media) {
          const img = el('img');
          img.src = media.url;
          img.alt = m.text || m.type;
          img.loading = 'lazy';
          img.addEventListener('load', keepBottom);
          wrap.appendChild(img);
        } else {
          wrap.appendChild(el('div', 'card-sub', '🖼️ image unavailable'));
        }
        b.appendChild(wrap);
        if (m.text) { b.appendChild(textNode(m.text)); return false; }
        return true;
      }
      case 'video': {
        const wrap = el('div', 'media-wrap');
        if (media) {
          const v = el('video');
          v.src = media.url;
          v.controls = true;
          v.preload = 'metadata';
          wrap.appendChild(v);
        }
        b.appendChild(wrap);
        if (m.text) b.appendChild(textNode(m.text));
        return false;
      }
      case 'audio': {
        if (media) {
          const a = el('audio');
          a.src = media.url;
          a.controls = true;
          a.preload = 'metadata';
          b.appendChild(a);
        }
        return false;
      }
      case 'document': {
        const chip = el('a', 'doc');
        const name = (media && media.filename) || c.filename || 'document';
        if (media) { chip.href = media.url; chip.target = '_blank'; chip.rel = 'noopener'; }
        const ext = (name.split('.').pop() || 'FILE').slice(0, 4).toUpperCase();
        chip.appendChild(el('div', 'doc-icon', ext));
        const info = el('div');
        info.appendChild(el('div', 'doc-name', name));
        info.appendChild(el('div', 'doc-info', media ? ext + ' · ' + size(media.size) : 'unavailable'));
        chip.appendChild(info);
        b.appendChild(chip);
        if (m.text) b.appendChild(textNode(m.text));
        return false;
      }
      case 'location': {
        const card = el('div', 'card');
        const link = el('a');
        link.href = 'https://www.openstreetmap.org/?mlat=' + c.latitude + '&mlon=' + c.longitude + '#map=16/'
          + c.latitude + '/' + c.longitude;
        link.target = '_blank';
        link.rel = 'noopener';
        link.appendChild(el('div', 'map'));
        card.appendChild(link);
        if (c.name) card.appendChild(el('div', 'card-title', c.name));
        if (c.address) card.appendChild(el('div', 'card-sub', c.address));
        card.appendChild(el('div', 'card-sub', Number(c.latitude).toFixed(4) + ', ' + Number(c.longitude).toFixed(4)));
        const open = el('a', null, 'Open in map');
        open.href = link.href;
        open.target = '_blank';
        open.rel = 'noopener';
        card.appendChild(open);
        b.appendChild(card);
        return false;
      }
      case 'contacts': {
        const card = el('div', 'card');
        for (const contact of (Array.isArray(c) ? c : [])) {
          const row = el('div', 'contact');
          const name = (contact.name && contact.name.formatted_name) || 'Contact';
          row.appendChild(el('div', 'avatar', initial(name)));
          const info = el('div');
          info.appendChild(el('div', 'card-title', name));
          const phones = (contact.phones || []).map((p) => p.phone).join(', ');
          if (phones) info.appendChild(el('div', 'card-sub', phones));
          row.appendChild(info);
          card.appendChild(row);
          const phone = (contact.phones || [])[0];
          if (phone && phone.phone) {
            const msg = el('a', 'contact-action', 'Message');
            msg.href = 'https://wa.me/' + phone.phone.replace(/\D/g, '');
            msg.target = '_blank';
            msg.rel = 'noopener';
            card.appendChild(msg);
          }
        }
        b.appendChild(card);
        return false;
      }
      case 'interactive': {
        if (m.direction === 'inbound') { b.appendChild(textNode(m.text || '')); return false; }
        const h = c.header;
        if (h && h.type === 'text' && h.text) b.appendChild(el('div', 'header', h.text));
        if (c.body && c.body.text) b.appendChild(textNode(c.body.text));
        if (c.footer && c.footer.text) b.appendChild(el('div', 'footer', c.footer.text));
        if (c.type === 'list') {
          const open = el('button', 'list-btn');
          open.type = 'button';
          open.dataset.testid = 'list-open';
          open.innerHTML = '<svg viewBox="0 0 24 24" width="18" height="18"><path fill="currentColor" d="M3 5h2v2H3zm4 0h14v2H7zM3 11h2v2H3zm4 0h14v2H7zm-4 6h2v2H3zm4 0h14v2H7z"/></svg>';
          open.appendChild(document.createTextNode(' ' + ((c.action && c.action.button) || 'Menu')));
          open.addEventListener('click', () => openList(m));
          b.appendChild(open);
        }
        return false;
      }
      case 'template':
        b.appendChild(textNode('📄 ' + (m.text || 'Template message')));
        return false;
      default:
        b.appendChild(textNode(m.text || (m.type === 'text' ? '' : '[' + m.type + ']')));
        return false;
    }
  }

  /** Reply buttons and CTA links sit under the bubble, as WhatsApp draws them. */
  function actions(m) {
    const c = m.content || {};
    if (m.type !== 'interactive' || m.direction !== 'outbound') return null;
    if (c.type === 'button') {
      const box = el('div', 'buttons');
      for (const btn of ((c.action && c.action.buttons) || [])) {
        const r = btn.reply || {};
        const b = el('button', 'reply-btn');
        b.type = 'button';
        b.dataset.testid = 'reply-button';
        b.dataset.id = r.id;
        b.innerHTML = '<svg viewBox="0 0 24 24" width="16" height="16"><path fill="currentColor" d="M10 9V5l-7 7 7 7v-4.1c5 0 8.5 1.6 11 5.1-1-5-4-10-11-11z"/></svg>';
        b.appendChild(document.createTextNode(' ' + r.title));
        b.addEventListener('click', () => reply('button_reply', r.id, r.title, null, m.id));
        box.appendChild(b);
      }
      return box;
    }
    if (c.type === 'cta_url' && c.action && c.action.parameters) {
      const box = el('div', 'buttons');
      const a = el('a', 'cta-btn', '↗ ' + c.action.parameters.display_text);
      a.href = c.action.parameters.url;
      a.target = '_blank';
      a.rel = 'noopener';
      box.appendChild(a);
      return box;
    }
    return null;
  }

  function openList(m) {
    const c = m.content || {};
    $('sheet-title').textContent = (c.action && c.action.button) || 'Menu';
    const body = $('sheet-body');
    body.textContent = '';
    for (const section of ((c.action && c.action.sections) || [])) {
      if (section.title) body.appendChild(el('div', 'sheet-section', section.title));
      for (const row of (section.rows || [])) {
        const b = el('button', 'list-row');
        b.type = 'button';
        b.dataset.testid = 'list-row';
        b.dataset.id = row.id;
        const text = el('div', 'list-row-text');
        text.appendChild(el('div', 'list-row-title', row.title));
        if (row.description) text.appendChild(el('div', 'list-row-desc', row.description));
        b.append(text, el('span', 'radio'));
        b.addEventListener('click', () => {
          $('sheet').hidden = true;
          reply('list_reply', row.id, row.title, row.description, m.id);
        });
        body.appendChild(b);
      }
    }
    $('sheet').hidden = false;
  }
  $('sheet-close').addEventListener('click', () => { $('sheet').hidden = true; });
  $('sheet').addEventListener('click', (ev) => { if (ev.target === $('sheet')) $('sheet').hidden = true; });
  $('banner-close').addEventListener('click', () => banner(null));
  $('back').addEventListener('click', () => document.getElementById('app').classList.remove('chat-open'));

  function meta(m, mine, overlay) {
    const span = el('span', 'meta' + (overlay ? ' overlay' : ''));
    span.appendChild(el('span', 'time', timeOf(m.created_at)));
    if (mine) span.appendChild(ticks(m.status));
    return span;
  }

  function ticks(status) {
    const s = el('span', 'ticks' + (status === 'read' ? ' read' : ''));
    s.dataset.testid = 'ticks';
    s.title = status;
    s.innerHTML = status === 'sent'
      ? '<svg viewBox="0 0 12 11" width="12" height="11"><path fill="currentColor" d="M11.1.7 10.4.1a.4.4 0 0 0-.6.1L3.9 7.5 1.8 5.4a.4.4 0 0 0-.6 0l-.7.6a.4.4 0 0 0 0 .6l3 3c.2.2.5.2.6 0l7-8.3a.4.4 0 0 0 0-.6z"/></svg>'
      : '<svg viewBox="0 0 16 11" width="16" height="11"><path fill="currentColor" d="M11.1.7 10.4.1a.4.4 0 0 0-.6.1L3.9 7.5 1.8 5.4a.4.4 0 0 0-.6 0l-.7.6a.4.4 0 0 0 0 .6l3 3c.2.2.5.2.6 0l7-8.3a.4.4 0 0 0 0-.6zm4 0L14.4.1a.4.4 0 0 0-.6.1L7.9 7.5l-.8-.8-.9 1 1.4 1.4c.2.2.5.2.6 0l7-8.3a.4.4 0 0 0 0-.6z"/></svg>';
    return s;
  }

  function textNode(text) {
    const d = el('div', 'text');
    d.innerHTML = whatsappToHtml(text || '');
    return d;
  }

  /** WhatsApp formatting: *bold*, _italic_, ~strike~, `code`, ```mono``` blocks, > quotes, and links. */
  function whatsappToHtml(text) {
    const parts = text.split('```');
    const closed = (i) => i % 2 === 1 && i < parts.length - 1;
    return parts.map((p, i) => {
      if (closed(i)) return '<pre class="mono">' + escapeHtml(p.replace(/^\n/, '').replace(/\n$/, '')) + '</pre>';
      let t = i % 2 === 1 ? '```' + p : p;
      if (closed(i - 1)) t = t.replace(/^\n/, '');
      if (closed(i + 1)) t = t.replace(/\n$/, '');
      return inline(t);
    }).join('');
  }

  function inline(text) {
    const tokens = [];
    const keep = (html) => '\u0000' + (tokens.push(html) - 1) + '\u0001';
    let s = text.replace(/`([^`\n]+)`/g, (all, code) => keep('<code>' + escapeHtml(code) + '</code>'));
    s = s.replace(/https?:\/\/[^\s<>"]+[^\s<>".,;:!?)\]]/g, (url) =>
      keep('<a href="' + escapeAttr(url) + '" target="_blank" rel="noopener">' + escapeHtml(url) + '</a>'));
    s = escapeHtml(s);
    const wrap = (re, tag) => { s = s.replace(re, (all, pre, inner) => pre + '<' + tag + '>' + inner + '</' + tag + '>'); };
    wrap(/(^|[\s(\u0001>]|^)\*(?=\S)([^*\n]*?\S)\*(?=$|[\s).,!?:;<\u0000])/gm, 'b');
    wrap(/(^|[\s(\u0001>]|^)_(?=\S)([^_\n]*?\S)_(?=$|[\s).,!?:;<\u0000])/gm, 'i');
    wrap(/(^|[\s(\u0001>]|^)~(?=\S)([^~\n]*?\S)~(?=$|[\s).,!?:;<\u0000])/gm, 's');
    s = s.replace(/^&gt; (.*)(\n|$)/gm, '<span class="quote">$1</span>');
    s = s.replace(/\u0000(\d+)\u0001/g, (all, i) => tokens[Number(i)]);
    return s;
  }

  function escapeHtml(s) {
    return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
  }
  function escapeAttr(s) {
    return escapeHtml(s).replace(/"/g, '&quot;');
  }

  // ---------- small helpers ----------
  function keepBottom() {
    const box = $('messages');
    if (box.scrollHeight - box.scrollTop - box.clientHeight < 400) box.scrollTop = box.scrollHeight;
  }
  function capitalize(text) {
    return text.charAt(0).toUpperCase() + text.slice(1);
  }
  function initial(name) {
    return ((name || '?').trim()[0] || '?').toUpperCase();
  }
  function colorFor(s) {
    const colors = ['#25a18e', '#e17076', '#7bc862', '#6ec9cb', '#65aadd', '#a695e7', '#ee7aae', '#faa774'];
    let h = 0;
    for (const ch of s) h = (h * 31 + ch.charCodeAt(0)) >>> 0;
    return colors[h % colors.length];
  }
  function timeOf(iso) {
    return new Date(iso).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' });
  }
  function dayLabel(iso) {
    const d = new Date(iso);
    const today = new Date();
    if (d.toDateString() === today.toDateString()) return 'Today';
    const yesterday = new Date(today.getTime() - 86400000);
    if (d.toDateString() === yesterday.toDateString()) return 'Yesterday';
    return d.toLocaleDateString();
  }
  function size(n) {
    if (!n) return '';
    return n < 1024 ? n + ' B' : n < 1048576 ? Math.round(n / 1024) + ' kB' : (n / 1048576).toFixed(1) + ' MB';
  }
  function previewOf(m) {
    const icons = { image: '📷 Photo', video: '🎥 Video', audio: '🎤 Voice message', document: '📄 Document',
      location: '📍 Location', contacts: '👤 Contact', sticker: 'Sticker' };
    const text = (m.text || '').replace(/[*_~`]/g, '');
    return (m.direction === 'inbound' ? 'You: ' : '') + (text || icons[m.type] || m.type);
  }

  /** On a phone-sized screen the customer fields sit in the open chat, where the composer is. */
  function placeCustomerFields() {
    const small = window.matchMedia('(max-width: 720px)').matches;
    const target = small ? $('customer-strip') : $('customer-panel');
    if ($('customer-fields').parentElement !== target) {
      target.insertBefore($('customer-fields'), small ? null : $('customer-error'));
    }
  }
  window.matchMedia('(max-width: 720px)').addEventListener('change', placeCustomerFields);
  placeCustomerFields();

  // ---------- start ----------
  function start() {
    state.current = Math.min(Number(localStorage.getItem(CURRENT_STORAGE) || 0) || 0, state.customers.length - 1);
    $('me-avatar').textContent = 'S';
    switchCustomer(state.current);
    if (window.matchMedia('(max-width: 720px)').matches && joinCode) {
      document.getElementById('app').classList.add('chat-open');
    }
  }

  async function boot() {
    // Older versions kept the API key in page storage: it must not outlive this version's first load.
    try { localStorage.removeItem(LEGACY_KEY); sessionStorage.removeItem(LEGACY_KEY); } catch (e) { /* no storage */ }
    try {
      if (!await loadSession()) { showSignIn(); return; }
      await loadAgents();
      start();
    } catch (err) {
      if (err.status === 401) showSignIn(explain(err));
      else banner(explain(err), 'error');
    }
  }

  boot();
})();
