// The demo page's logic: one device, the SDK's callbacks rendered as they come. Everything from the server is shown
// with textContent, never as HTML.
import { PushClient, register } from '/sdk/universe-push.js';

const DEVICE_KEY = 'universe-push-demo:device';
const apiUrl = window.location.origin;
const params = new URLSearchParams(window.location.search);
// ?ws=ws://host:port/ws connects there instead of asking GET /v1/route (a connector behind a proxy, say).
const fixedUrl = params.get('ws') || undefined;

const $ = (id) => document.getElementById(id);
let client = null;
let device = null;

function showError(text) {
  $('error').textContent = text || '';
}

function showState(state, info) {
  $('state').textContent = state;
  $('state').dataset.state = state;
  const detail = [];
  if (info && info.nodeId) detail.push(`node ${info.nodeId}`);
  if (info && info.url) detail.push(info.url);
  if (info && info.reason) detail.push(info.reason);
  if (info && info.retryInMs !== undefined) detail.push(`retry in ${Math.round(info.retryInMs / 100) / 10} s`);
  $('state-detail').textContent = detail.join(' · ');
}

function showDevice() {
  $('reg-id').textContent = device ? device.regId : '';
  $('token').textContent = device ? device.token : '';
  $('device-app-id').textContent = device ? device.appId : '';
}

function showPush(message) {
  const item = document.createElement('li');
  item.className = 'push';
  item.dataset.msgId = message.msgId;
  const time = document.createElement('span');
  time.className = 'time';
  const at = message.sentAtMs ? new Date(message.sentAtMs) : new Date();
  time.textContent = at.toLocaleTimeString();
  time.title = `sent ${at.toISOString()}, received ${new Date().toISOString()}`;
  const text = document.createElement('span');
  text.className = 'text';
  const parts = [];
  if (message.title) parts.push(message.title);
  if (message.alert) parts.push(message.alert);
  parts.push(message.message !== null ? JSON.stringify(message.message) : message.payloadText);
  text.textContent = parts.join(' — ');
  const id = document.createElement('div');
  id.className = 'note mono';
  id.textContent = `msg_id ${message.msgId}${message.fanoutOffset ? `, fan-out offset ${message.fanoutOffset}` : ''}`
    + (message.attempt > 1 ? `, attempt ${message.attempt}` : '');
  item.append(time, text, id);
  $('pushes').prepend(item);
}

function start(credentials, connectors) {
  if (client) client.close();
  device = credentials;
  localStorage.setItem(DEVICE_KEY, JSON.stringify(device));
  showDevice();
  showError('');
  client = new PushClient({
    url: fixedUrl,
    apiUrl,
    appId: device.appId,
    regId: device.regId,
    token: device.token,
    connectors,
    onStateChange: showState,
    onMessage: showPush,
    onFanoutLost: () => showError('Pushes to tags or the whole app sent while this device was away are lost.'),
    onBindingRejected: (appId, regId, reason) => showError(`binding rejected: ${reason}`),
  });
  client.connect();
}

$('register-form').addEventListener('submit', async (event) => {
  event.preventDefault();
  const appId = $('app-id').value.trim();
  showError('');
  try {
    const registered = await register(apiUrl, appId);
    start({ appId, regId: registered.regId, token: registered.token }, registered.connectors);
  } catch (e) {
    showError(`registration failed: ${e.message}`);
  }
});

$('connect-form').addEventListener('submit', (event) => {
  event.preventDefault();
  start({
    appId: $('known-app-id').value.trim(),
    regId: $('known-reg-id').value.trim(),
    token: $('known-token').value.trim(),
  });
});

$('disconnect').addEventListener('click', () => {
  if (client) client.close();
});

$('logout').addEventListener('click', () => {
  if (client) {
    client.logout();
    client.clearStorage();
  }
  client = null;
  device = null;
  localStorage.removeItem(DEVICE_KEY);
  showDevice();
  showState('CLOSED', { reason: 'logged out' });
});

$('push-form').addEventListener('submit', async (event) => {
  event.preventDefault();
  const result = $('push-result');
  if (!device) {
    result.textContent = 'register or connect a device first';
    return;
  }
  // The secret lives in the form field and this request only.
  const secret = $('app-secret').value;
  const body = {
    audience: { reg_ids: [device.regId] },
    alert: $('push-alert').value,
    message: { text: $('push-text').value },
    ttl: Number($('push-ttl').value || 0),
  };
  try {
    const response = await fetch(`${apiUrl}/v1/push`, {
      method: 'POST',
      headers: {
        'Content-Type': 'application/json',
        Authorization: `Basic ${btoa(unescape(encodeURIComponent(`${device.appId}:${secret}`)))}`,
      },
      body: JSON.stringify(body),
    });
    const answer = await response.json().catch(() => ({}));
    result.textContent = response.ok
      ? `sent: msg_id ${answer.msg_id}, accepted ${answer.accepted}`
      : `HTTP ${response.status} ${answer.error || ''}: ${answer.message || ''}`;
    result.dataset.msgId = response.ok ? answer.msg_id : '';
  } catch (e) {
    result.textContent = `push failed: ${e.message}`;
  }
});

const remembered = (() => {
  try {
    return JSON.parse(localStorage.getItem(DEVICE_KEY) || 'null');
  } catch (e) {
    return null;
  }
})();
if (params.get('app_id')) $('app-id').value = params.get('app_id');
if (remembered && remembered.appId && remembered.regId && remembered.token) {
  $('known-app-id').value = remembered.appId;
  $('known-reg-id').value = remembered.regId;
  $('known-token').value = remembered.token;
  start(remembered);
}
