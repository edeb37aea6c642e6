// Two real WhatsApp Cloud API client libraries, whatsapp-api-js and @kapso/whatsapp-cloud-api, pointed at the
// sandbox's simulated Graph API with the workspace's sandbox credentials (GET /sandbox/api/credentials). Each sends
// every message type it supports, uploads, reads, downloads and deletes media, marks a message read with typing,
// sends to a BSUID, and meets Meta's errors as the library parses them. Run by CloudApiClientsTest (JUnit), which
// sets WABRIDGE_URL, WABRIDGE_KEY (a key of the workspace that may send), AGENT_ID (a sandbox agent of it) and
// CUSTOMER (the number a customer writes from), then checks the customer's phone.
import assert from 'node:assert/strict';
import { WhatsAppAPI } from 'whatsapp-api-js';
import {
  Text, Image, Video, Audio, Document, Sticker, Location, Contacts, Name, Phone, Reaction, Interactive, Body,
  Header, Footer, ActionButtons, Button, ActionList, ListSection, Row, ActionCTA, ActionLocation, ActionNavigateFlow,
  Template, Language, BodyComponent, BodyParameter,
} from 'whatsapp-api-js/messages';
import { WhatsAppClient, GraphApiError } from '@kapso/whatsapp-cloud-api';

const base = process.env.WABRIDGE_URL;
const key = process.env.WABRIDGE_KEY;
const agentId = process.env.AGENT_ID;
const customer = process.env.CUSTOMER;
let passed = 0;

async function sandbox(method, path, body) {
  const res = await fetch(base + path, {
    method,
    headers: { Authorization: 'Bearer ' + key, 'Content-Type': 'application/json' },
    body: body ? JSON.stringify(body) : undefined,
  });
  const text = await res.text();
  assert.ok(res.ok, `${method} ${path}: ${res.status} ${text}`);
  return text ? JSON.parse(text) : null;
}

async function demoFile(name, type) {
  const res = await fetch(base + '/sandbox/demo/' + name);
  assert.equal(res.status, 200, name);
  return new Blob([await res.arrayBuffer()], { type });
}

function check(what, fn) {
  return fn().then(() => { passed++; console.log('ok   ' + what); }, (e) => {
    console.error('FAIL ' + what + '\n' + (e && e.stack || e));
    throw e;
  });
}

const creds = await sandbox('GET', '/sandbox/api/credentials');
const pnid = creds.phone_number_id;
const written = await sandbox('POST', '/sandbox/api/messages', { agent_id: agentId, from: customer, name: 'Kerry',
  text: 'hello from a customer' });
const customerWamid = written.wamid;
const userId = (await sandbox('GET', `/sandbox/api/messages?agent_id=${agentId}&from=${encodeURIComponent(customer)}`))
  .customer.user_id;
const files = {
  png: await demoFile('photo.png', 'image/png'),
  webp: await demoFile('sticker.webp', 'image/webp'),
  mp4: await demoFile('clip.mp4', 'video/mp4'),
  ogg: await demoFile('voice.ogg', 'audio/ogg'),
  pdf: await demoFile('guide.pdf', 'application/pdf'),
};
const link = (name) => base + '/sandbox/demo/' + name;
const digits = customer.replace(/\D/g, '');

// ---------- whatsapp-api-js: it calls https://graph.facebook.com; its fetch ponyfill sends that to the sandbox ----
{
  const graph = 'https://graph.facebook.com';
  const Whatsapp = new WhatsAppAPI({
    token: creds.access_token,
    v: creds.api_version,
    secure: false,
    ponyfill: {
      fetch: (url, init) => fetch(String(url).startsWith(graph) ? creds.graph_base_url + String(url).slice(graph.length)
        : url, init),
    },
  });
  const to = { phone: customer };
  const sent = async (message, recipient = to) => {
    const r = await Whatsapp.sendMessage(pnid, recipient, message);
    assert.equal(r.error, undefined, JSON.stringify(r));
    assert.equal(r.messaging_product, 'whatsapp');
    assert.match(r.messages[0].id, /^wamid\./);
    return r;
  };
  const prefix = 'whatsapp-api-js: ';

  await check(prefix + 'text', async () => {
    const r = await sent(new Text('wajs text'));
    assert.deepEqual(r.contacts, [{ input: customer, wa_id: digits }]);
    assert.equal('message_status' in r.messages[0], false);
  });
  await check(prefix + 'media by link', async () => {
    await sent(new Image(link('photo.png'), false, 'wajs image link'));
    await sent(new Video(link('clip.mp4'), false, 'wajs video link'));
    await sent(new Audio(link('voice.ogg')));
    await sent(new Document(link('guide.pdf'), false, 'wajs document link', 'guide.pdf'));
    await sent(new Sticker(link('sticker.webp')));
  });
  let imageId;
  await check(prefix + 'upload, retrieve, download', async () => {
    const form = new FormData();
    form.append('file', files.png, 'photo.png');
    const up = await Whatsapp.uploadMedia(pnid, form);
    assert.match(up.id, /^\d{15,16}$/, JSON.stringify(up));
    imageId = up.id;
    const info = await Whatsapp.retrieveMedia(imageId, pnid);
    assert.equal(info.mime_type, 'image/png');
    assert.equal(Number(info.file_size), files.png.size);
    assert.equal(info.id, imageId);
    const res = await Whatsapp.fetchMedia(info.url);
    assert.equal(res.status, 200);
    assert.deepEqual(new Uint8Array(await res.arrayBuffer()), new Uint8Array(await files.png.arrayBuffer()));
  });
  await check(prefix + 'media by uploaded id', async () => {
    await sent(new Image(imageId, true, 'wajs image id'));
    for (const [blob, name, make] of [[files.mp4, 'clip.mp4', (id) => new Video(id, true, 'wajs video id')],
      [files.ogg, 'voice.ogg', (id) => new Audio(id, true)],
      [files.pdf, 'guide.pdf', (id) => new Document(id, true, 'wajs document id', 'guide.pdf')],
      [files.webp, 'sticker.webp', (id) => new Sticker(id, true)]]) {
      const form = new FormData();
      form.append('file', blob, name);
      const up = await Whatsapp.uploadMedia(pnid, form);
      assert.ok(up.id, JSON.stringify(up));
      await sent(make(up.id));
    }
  });
  await check(prefix + 'location, contacts, reaction', async () => {
    await sent(new Location(4.9003, 52.3791, 'wajs location', 'Amsterdam'));
    await sent(new Contacts([new Name('Wajs Contact', 'Wajs'), new Phone('+15551234567', 'WORK')]));
    await sent(new Reaction(customerWamid, '👍'));
  });
  await check(prefix + 'interactive buttons, list, CTA URL, location request, flow', async () => {
    await sent(new Interactive(new ActionButtons(new Button('yes', 'Yes'), new Button('no', 'No')),
      new Body('wajs buttons'), new Header({ type: 'text', text: 'Choose' }), new Footer('footer')));
    await sent(new Interactive(new ActionList('Menu', new ListSection('Drinks', new Row('tea', 'Tea', 'Hot'),
      new Row('coffee', 'Coffee'))), new Body('wajs list')));
    await sent(new Interactive(new ActionCTA('Open', 'https://example.com/order'), new Body('wajs cta')));
    await sent(new Interactive(new ActionLocation(), new Body('wajs location request')));
    await sent(new Interactive(new ActionNavigateFlow('token-1', '1234567890', 'Book now', 'WELCOME', { a: 1 }),
      new Body('wajs flow')));
  });
  await check(prefix + 'template answers message_status accepted', async () => {
    const r = await sent(new Template('order_ready', new Language('en_US'),
      new BodyComponent(new BodyParameter('Kerry'))));
    assert.equal(r.messages[0].message_status, 'accepted');
  });
  await check(prefix + 'mark read with typing', async () => {
    assert.deepEqual(await Whatsapp.markAsRead(pnid, customerWamid, 'text'), { success: true });
  });
  await check(prefix + 'send to a BSUID', async () => {
    const r = await sent(new Text('wajs to BSUID'), { bsuid: userId });
    assert.deepEqual(r.contacts, [{ input: userId, user_id: userId }]);
  });
  await check(prefix + 'delete media, then it is unknown', async () => {
    assert.deepEqual(await Whatsapp.deleteMedia(imageId), { success: true });
    const gone = await Whatsapp.retrieveMedia(imageId);
    assert.equal(gone.error.type, 'GraphMethodException');
    assert.equal(gone.error.code, 100);
    assert.equal(gone.error.error_subcode, 33);
    assert.match(gone.error.message, new RegExp(`^Unsupported get request. Object with ID '${imageId}' does not exist`));
  });
  await check(prefix + "Meta's errors", async () => {
    const bad = await Whatsapp.sendMessage(pnid, to, new Location(4.9, 95));
    assert.equal(bad.error.code, 100);
    assert.equal(bad.error.type, 'OAuthException');
    assert.equal(bad.error.message, '(#100) Invalid parameter');
    assert.equal(bad.error.error_data.messaging_product, 'whatsapp');
    assert.match(bad.error.error_data.details, /^Param location\['latitude'\]/);
    const unknownRead = await Whatsapp.markAsRead(pnid, 'wamid.unknown');
    assert.equal(unknownRead.error.code, 100);
    const wrongToken = new WhatsAppAPI({ token: 'EAAwrong', v: creds.api_version, secure: false,
      ponyfill: { fetch: (url, init) => fetch(creds.graph_base_url + String(url).slice(graph.length), init) } });
    const denied = await wrongToken.sendMessage(pnid, to, new Text('x'));
    assert.equal(denied.error.code, 190);
  });
}

// ---------- @kapso/whatsapp-cloud-api: baseUrl and graphVersion are the credentials' ----------
{
  const client = new WhatsAppClient({ accessToken: creds.access_token, baseUrl: creds.graph_base_url,
    graphVersion: creds.api_version });
  const m = client.messages;
  const base = { phoneNumberId: pnid, to: customer };
  const sent = (r) => {
    assert.equal(r.messagingProduct, 'whatsapp');
    assert.match(r.messages[0].id, /^wamid\./);
    return r;
  };
  const prefix = 'kapso: ';

  await check(prefix + 'text', async () => {
    const r = sent(await m.sendText({ ...base, body: 'kapso text' }));
    assert.deepEqual(r.contacts, [{ input: customer, waId: digits }]);
  });
  await check(prefix + 'media by link', async () => {
    sent(await m.sendImage({ ...base, image: { link: link('photo.png'), caption: 'kapso image link' } }));
    sent(await m.sendVideo({ ...base, video: { link: link('clip.mp4'), caption: 'kapso video link' } }));
    sent(await m.sendAudio({ ...base, audio: { link: link('voice.ogg') } }));
    sent(await m.sendDocument({ ...base, document: { link: link('guide.pdf'), filename: 'guide.pdf',
      caption: 'kapso document link' } }));
    sent(await m.sendSticker({ ...base, sticker: { link: link('sticker.webp') } }));
  });
  let imageId;
  await check(prefix + 'upload, get, download', async () => {
    const up = await client.media.upload({ phoneNumberId: pnid, type: 'image/png', file: files.png,
      fileName: 'photo.png' });
    assert.match(up.id, /^\d{15,16}$/);
    imageId = up.id;
    const info = await client.media.get({ mediaId: imageId });
    assert.equal(info.mimeType, 'image/png');
    assert.equal(Number(info.fileSize), files.png.size);
    const bytes = await client.media.download({ mediaId: imageId, auth: 'always' });
    assert.deepEqual(new Uint8Array(bytes), new Uint8Array(await files.png.arrayBuffer()));
  });
  await check(prefix + 'media by uploaded id', async () => {
    sent(await m.sendImage({ ...base, image: { id: imageId, caption: 'kapso image id' } }));
    const upload = async (blob, type, name) => (await client.media.upload({ phoneNumberId: pnid, type, file: blob,
      fileName: name })).id;
    sent(await m.sendVideo({ ...base, video: { id: await upload(files.mp4, 'video/mp4', 'clip.mp4') } }));
    sent(await m.sendAudio({ ...base, audio: { id: await upload(files.ogg, 'audio/ogg', 'voice.ogg') } }));
    sent(await m.sendDocument({ ...base, document: { id: await upload(files.pdf, 'application/pdf', 'guide.pdf'),
      filename: 'guide.pdf' } }));
    sent(await m.sendSticker({ ...base, sticker: { id: await upload(files.webp, 'image/webp', 'sticker.webp') } }));
  });
  await check(prefix + 'location, contacts, reaction', async () => {
    sent(await m.sendLocation({ ...base, location: { latitude: 52.3791, longitude: 4.9003, name: 'kapso location',
      address: 'Amsterdam' } }));
    sent(await m.sendContacts({ ...base, contacts: [{ name: { formattedName: 'Kapso Contact', firstName: 'Kapso' },
      phones: [{ phone: '+15551234567', type: 'WORK' }] }] }));
    sent(await m.sendReaction({ ...base, reaction: { messageId: customerWamid, emoji: '❤️' } }));
  });
  await check(prefix + 'interactive buttons, list, CTA URL, location request, flow', async () => {
    sent(await m.sendInteractiveButtons({ ...base, bodyText: 'kapso buttons', buttons: [{ id: 'yes', title: 'Yes' },
      { id: 'no', title: 'No' }] }));
    sent(await m.sendInteractiveList({ ...base, bodyText: 'kapso list', buttonText: 'Menu', sections: [{
      title: 'Drinks', rows: [{ id: 'tea', title: 'Tea', description: 'Hot' }, { id: 'coffee', title: 'Coffee' }] }] }));
    sent(await m.sendInteractiveCtaUrl({ ...base, bodyText: 'kapso cta', parameters: { displayText: 'Open',
      url: 'https://example.com/order' } }));
    sent(await m.sendInteractiveLocationRequest({ ...base, bodyText: 'kapso location request',
      parameters: { requestMessage: 'Share your pickup point' } }));
    sent(await m.sendInteractiveFlow({ ...base, bodyText: 'kapso flow', parameters: { flowId: '1234567890',
      flowCta: 'Book now', flowToken: 'token-2', flowAction: 'navigate', flowActionPayload: { screen: 'WELCOME' } } }));
  });
  await check(prefix + 'template answers message_status accepted', async () => {
    const r = sent(await m.sendTemplate({ ...base, template: { name: 'order_ready', language: { code: 'en_US' },
      components: [{ type: 'body', parameters: [{ type: 'text', text: 'Kerry' }] }] } }));
    assert.equal(r.messages[0].messageStatus, 'accepted');
  });
  await check(prefix + 'mark read with typing', async () => {
    const r = await m.markRead({ phoneNumberId: pnid, messageId: customerWamid, typingIndicator: { type: 'text' } });
    assert.equal(r.success, true);
  });
  await check(prefix + 'send to a BSUID', async () => {
    const r = sent(await m.sendText({ phoneNumberId: pnid, recipient: userId, body: 'kapso to BSUID' }));
    assert.deepEqual(r.contacts, [{ input: userId, userId }]);
  });
  await check(prefix + 'delete media, then it is unknown', async () => {
    assert.equal((await client.media.delete({ mediaId: imageId })).success, true);
    const e = await client.media.get({ mediaId: imageId }).then(() => null, (err) => err);
    assert.ok(e instanceof GraphApiError, String(e));
    assert.equal(e.httpStatus, 400);
    assert.equal(e.type, 'GraphMethodException');
    assert.equal(e.code, 100);
    assert.equal(e.errorSubcode, 33);
  });
  await check(prefix + "Meta's errors", async () => {
    const bad = await m.sendRaw({ phoneNumberId: pnid, payload: { messaging_product: 'whatsapp', to: customer,
      type: 'text', text: { body: 'x'.repeat(4097) } } }).then(() => null, (err) => err);
    assert.ok(bad instanceof GraphApiError, String(bad));
    assert.equal(bad.code, 100);
    assert.equal(bad.details, "Param text['body'] must be at most 4096 characters long.");
    assert.equal(bad.message, '(#100) Invalid parameter');
    const group = await m.sendText({ phoneNumberId: pnid, to: 'Y2FwaV9ncm91cDox', recipientType: 'group',
      body: 'hi' }).then(() => null, (err) => err);
    assert.equal(group.code, 131041);
    const denied = await new WhatsAppClient({ accessToken: 'EAAwrong', baseUrl: creds.graph_base_url,
      graphVersion: creds.api_version }).messages.sendText({ ...base, body: 'x' }).then(() => null, (err) => err);
    assert.equal(denied.httpStatus, 401);
    assert.equal(denied.code, 190);
    assert.ok(denied.isAuthError());
  });
}

console.log(`clients: all ${passed} checks passed`);
