// Universe Push browser SDK: one ES module, no dependencies, no build step. Served by push-api at
// /sdk/universe-push.js. Speaks the WebSocket JSON text form of the version-3 protocol (docs/PROTOCOL.md); usage,
// options and storage keys in docs/BROWSER.md. Same shape as the Java SDK (push-sdk-nio's PushClient/PushListener).

export const VERSION = '0.1.0';

/** Where a PushClient is in its life (the Java SDK's ConnectionState). */
export const ConnectionState = Object.freeze({
  NEW: 'NEW',
  CONNECTING: 'CONNECTING',
  CONNECTED: 'CONNECTED',
  WAITING_TO_RECONNECT: 'WAITING_TO_RECONNECT',
  CLOSED: 'CLOSED',
});

/** CONNECT_ACK results (sub-signal and ConnectAck.result). */
export const ConnectResult = Object.freeze({
  1: 'ACCEPTED',
  2: 'BAD_PROTOCOL_VERSION',
  3: 'IDENTIFIER_REJECTED',
  4: 'SERVER_UNAVAILABLE',
  5: 'BAD_CREDENTIALS',
  6: 'NOT_AUTHORIZED',
});

/** DISCONNECT reason codes. */
export const DisconnectReason = Object.freeze({
  0: 'NORMAL',
  1: 'PROTOCOL_ERROR',
  2: 'IDLE_TIMEOUT',
  3: 'AUTH_FAILED',
  4: 'SESSION_TAKEN_OVER',
  5: 'SERVER_SHUTDOWN',
  6: 'APP_REMOVED',
  7: 'RATE_LIMITED',
  8: 'SERVER_UNAVAILABLE',
});

const ACCEPTED = 1;
// Retrying soon will not fix these: they wait the longest back-off.
const PERSISTENT_RESULTS = new Set([2, 3, 5, 6]);
const PERSISTENT_REASONS = new Set([3, 4, 6, 7]);
const PING_REQUEST = 0;
const PING_ANSWER = 1;
const MAX_MESSAGE_ID = 65535;

const DEFAULTS = Object.freeze({
  heartbeatIntervalMs: 60000,
  pongTimeoutMs: 10000,
  connectTimeoutMs: 10000,
  backoffBaseMs: 500,
  backoffMaxMs: 30000,
  backoffJitter: 0.5,
  dedupCapacity: 1000,
  maxHeldFanout: 1024,
  storagePrefix: 'universe-push',
  wsPath: '/ws',
  platform: 'web',
});

/** An HTTP API answer other than 2xx: {@code status}, the API's {@code error} code and message. */
export class PushApiError extends Error {
  constructor(status, code, message) {
    super(`HTTP ${status} ${code}: ${message}`);
    this.name = 'PushApiError';
    this.status = status;
    this.code = code;
  }
}

/**
 * Registers a new device of {@code appId} with open registration ({@code X-App-Id} alone, no secret). Resolves to
 * {@code {regId, token, connectors}}; keep regId and token, they are the device's credentials (the token is shown
 * only here).
 */
export async function register(apiUrl, appId, { platform = DEFAULTS.platform, alias, tags, fetch: fetchFn } = {}) {
  const body = { platform };
  if (alias !== undefined) body.alias = alias;
  if (tags !== undefined) body.tags = tags;
  const answer = await apiCall(fetchFn, `${trimSlash(apiUrl)}/v1/devices`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', 'X-App-Id': appId },
    body: JSON.stringify(body),
  });
  return { regId: answer.reg_id, token: answer.token, connectors: toConnectors(answer.connectors) };
}

/** {@code GET /v1/route} with the device's own credentials: its connectors, least loaded first. */
export async function lookupRoute(apiUrl, appId, regId, token, { fetch: fetchFn } = {}) {
  const answer = await apiCall(fetchFn, `${trimSlash(apiUrl)}/v1/route?reg_id=${encodeURIComponent(regId)}`, {
    headers: { 'X-App-Id': appId, Authorization: `Device ${regId}:${token}` },
  });
  return toConnectors(answer.connectors);
}

async function apiCall(fetchFn, url, init) {
  const response = await (fetchFn || globalThis.fetch)(url, init);
  const text = await response.text();
  let json = null;
  try {
    json = text ? JSON.parse(text) : null;
  } catch (e) {
    // An answer from something else than push-api (a proxy's HTML page): reported with its status below.
  }
  if (!response.ok) {
    throw new PushApiError(response.status, (json && json.error) || 'http_error', (json && json.message) || text);
  }
  return json || {};
}

function toConnectors(list) {
  return (list || []).map((c) => ({
    nodeId: c.node_id,
    host: c.host,
    tcpPort: c.tcp_port,
    wsPort: c.ws_port,
    mqttPort: c.mqtt_port,
    tlsPort: c.tls_port,
  }));
}

function trimSlash(url) {
  return String(url).replace(/\/+$/, '');
}

/**
 * Exponential back-off with jitter: base, 2 x base, 4 x base ... capped at max, each delay shortened by a random
 * fraction up to {@code jitter}, so that browsers dropped together by a failing node do not return together.
 */
export class Backoff {
  constructor(baseMs, maxMs, jitter, random = Math.random) {
    if (!(baseMs >= 1 && maxMs >= baseMs)) throw new RangeError(`need 1 <= base <= max, got ${baseMs}, ${maxMs}`);
    if (!(jitter >= 0 && jitter <= 1)) throw new RangeError(`jitter must be within [0, 1], got ${jitter}`);
    this.baseMs = baseMs;
    this.maxMs = maxMs;
    this.jitter = jitter;
    this.random = random;
    this.failures = 0;
  }

  nextDelayMs() {
    const delay = Math.min(this.maxMs, this.baseMs * 2 ** Math.min(this.failures, 30));
    this.failures++;
    return this._jittered(delay);
  }

  /** The longest delay, for failures that retrying soon will not fix (bad credentials). */
  maxDelayMs() {
    this.failures++;
    return this._jittered(this.maxMs);
  }

  reset() {
    this.failures = 0;
  }

  _jittered(delay) {
    return Math.max(1, Math.floor(delay * (1 - this.jitter * this.random())));
  }
}

/**
 * One binding's progress through its app's fan-out log on one connection (push-sdk-nio's FanoutProgress): the
 * position moves only over contiguous entries, a push at offset O with previous offset V counts at position P when
 * V <= P < O; pushes beyond a gap are held until it fills.
 */
export class FanoutProgress {
  /** @param start {offset, epoch} sent in CONNECT, or null */
  constructor(start, maxHeld = DEFAULTS.maxHeldFanout) {
    this.start = start;
    this.position = start;
    this.maxHeld = maxHeld;
    this.held = new Map(); // offset -> previous offset
  }

  restartAt(serverPosition) {
    this.position = serverPosition;
    this.held.clear();
  }

  /** The app processed the entry at {@code offset}; true when the position moved (maybe beyond it). */
  processed(previousOffset, offset) {
    if (this.position == null || offset <= this.position.offset) return false;
    if (previousOffset > this.position.offset) {
      if (previousOffset < offset) {
        this.held.set(offset, previousOffset);
        if (this.held.size > this.maxHeld) this.held.delete(Math.max(...this.held.keys()));
      }
      return false;
    }
    let reached = offset;
    const heldOffsets = [...this.held.keys()].sort((a, b) => a - b);
    for (const next of heldOffsets) {
      if (next > reached && this.held.get(next) <= reached) reached = next;
    }
    for (const next of heldOffsets) {
      if (next <= reached) this.held.delete(next);
    }
    this.position = { offset: reached, epoch: this.position.epoch };
    return true;
  }
}

/** A Storage-like map in memory, when localStorage is missing or refuses (private mode, quota). */
class MemoryStorage {
  constructor() {
    this.map = new Map();
  }
  getItem(key) {
    return this.map.has(key) ? this.map.get(key) : null;
  }
  setItem(key, value) {
    this.map.set(key, String(value));
  }
  removeItem(key) {
    this.map.delete(key);
  }
}

function defaultStorage() {
  try {
    const storage = globalThis.localStorage;
    if (storage) {
      const probe = '__universe-push-probe__';
      storage.setItem(probe, '1');
      storage.removeItem(probe);
      return storage;
    }
  } catch (e) {
    // Blocked storage (sandboxed iframe, privacy settings): keep state in memory.
  }
  return new MemoryStorage();
}

/**
 * What a device keeps per binding across page loads: the ids of the last {@code capacity} pushes its app handled
 * (oldest dropped) and its fan-out position. A storage failure never loses a push: an unreadable entry reads as
 * empty, a failed write is logged.
 */
class BindingState {
  constructor(storage, prefix, appId, regId, capacity, log) {
    this.storage = storage;
    this.seenKey = `${prefix}:seen:${appId}:${regId}`;
    this.positionKey = `${prefix}:position:${appId}:${regId}`;
    this.capacity = capacity;
    this.log = log;
    this.reload();
  }

  reload() {
    const ids = this._read(this.seenKey);
    this.seenIds = Array.isArray(ids) ? ids.filter((id) => typeof id === 'string').slice(-this.capacity) : [];
    this.seenSet = new Set(this.seenIds);
  }

  seen(msgId) {
    return this.seenSet.has(msgId);
  }

  markSeen(msgId) {
    if (this.seenSet.has(msgId)) return;
    this.seenIds.push(msgId);
    this.seenSet.add(msgId);
    while (this.seenIds.length > this.capacity) this.seenSet.delete(this.seenIds.shift());
    this._write(this.seenKey, this.seenIds);
  }

  position() {
    const p = this._read(this.positionKey);
    if (!p || typeof p !== 'object') return null;
    const offset = Number(p.offset);
    return Number.isSafeInteger(offset) && offset >= 0 ? { offset, epoch: String(p.epoch || '') } : null;
  }

  savePosition(position) {
    this._write(this.positionKey, { offset: String(position.offset), epoch: position.epoch });
  }

  clear() {
    for (const key of [this.seenKey, this.positionKey]) {
      try {
        this.storage.removeItem(key);
      } catch (e) {
        this.log.warn(`universe-push: cannot remove ${key}`, e);
      }
    }
    this.reload();
  }

  _read(key) {
    try {
      const text = this.storage.getItem(key);
      return text ? JSON.parse(text) : null;
    } catch (e) {
      this.log.warn(`universe-push: ignoring unreadable ${key}`, e);
      return null;
    }
  }

  _write(key, value) {
    try {
      this.storage.setItem(key, JSON.stringify(value));
    } catch (e) {
      this.log.warn(`universe-push: cannot store ${key}`, e);
    }
  }
}

function decodePayload(base64) {
  if (!base64) return '';
  const binary = atob(base64);
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return new TextDecoder('utf-8').decode(bytes);
}

/** A PUSH's content as the app sees it; 64-bit numbers (strings in canonical JSON) become numbers. */
function toMessage(push, appId, regId) {
  const payloadText = decodePayload(push.payload);
  let message = null;
  try {
    message = payloadText ? JSON.parse(payloadText) : null;
  } catch (e) {
    // Not JSON: the app still has payloadText.
  }
  return {
    msgId: push.msgId || '',
    appId,
    regId,
    title: push.title || '',
    alert: push.alert || '',
    message,
    payloadText,
    extras: push.extras || {},
    sentAtMs: Number(push.sentAtMs || 0),
    expiresAtMs: Number(push.expiresAtMs || 0),
    attempt: push.attempt || 0,
    // A group message counts in its group's log: its offset is the group's sequence, not an app fan-out position.
    fanoutOffset: push.groupId ? 0 : Number(push.fanoutOffset || 0),
    groupId: push.groupId || null,
    from: push.groupId ? push.from || '' : null,
    seq: push.groupId ? Number(push.fanoutOffset || 0) : 0,
    ios: push.ios || null,
    android: push.android || null,
  };
}

function toPosition(wire) {
  const offset = Number((wire && wire.offset) || 0);
  return Number.isSafeInteger(offset) && offset >= 0 ? { offset, epoch: (wire && wire.epoch) || '' } : null;
}

/**
 * A device's connection to Universe Push over WebSocket, kept up until close() or logout(): finds a connector
 * (GET /v1/route, unless a url is given), sends CONNECT, acknowledges each push once onMessage returned (or its
 * promise resolved), sends heartbeats, reconnects with back-off. See docs/BROWSER.md.
 */
export class PushClient {
  constructor(options = {}) {
    const o = { ...DEFAULTS };
    for (const [name, value] of Object.entries(options)) {
      // An option given as undefined (a form field left empty) keeps its default.
      if (value !== undefined) o[name] = value;
    }
    const bindings = o.bindings || [{ appId: o.appId, regId: o.regId, token: o.token }];
    if (!bindings.length || bindings.some((b) => !b || !b.appId || !b.regId || !b.token)) {
      throw new TypeError('PushClient needs appId, regId and token (or bindings: [{appId, regId, token}, ...])');
    }
    if (!o.url && !o.apiUrl && !(o.connectors && o.connectors.length)) {
      throw new TypeError('PushClient needs url (ws://host:port/ws), apiUrl (for the route lookup) or connectors');
    }
    this.options = o;
    this.bindings = bindings.map((b) => ({ appId: b.appId, regId: b.regId, token: b.token }));
    this.onMessage = o.onMessage || null;
    this.onStateChange = o.onStateChange || null;
    this.onFanoutLost = o.onFanoutLost || null;
    this.onBindingRejected = o.onBindingRejected || null;
    this._log = o.logger || console;
    const storage = o.storage || defaultStorage();
    this._states = new Map(
      this.bindings.map((b) => [
        key(b.appId, b.regId),
        new BindingState(storage, o.storagePrefix, b.appId, b.regId, o.dedupCapacity, this._log),
      ]),
    );
    this._backoff = new Backoff(o.backoffBaseMs, o.backoffMaxMs, o.backoffJitter, o.random || Math.random);
    this._WebSocket = o.WebSocket || globalThis.WebSocket;
    this._known = o.connectors ? [...o.connectors] : [];
    this._useKnownFirst = this._known.length > 0;
    this._next = 0;
    this._state = ConnectionState.NEW;
    this._conn = null;
    this._retryTimer = null;
    this._generation = 0;
  }

  get state() {
    return this._state;
  }

  /** Starts connecting; the client then stays connected (reconnecting as needed) until close() or logout(). */
  connect() {
    if (this._state === ConnectionState.CLOSED) throw new Error('this PushClient is closed');
    if (this._state !== ConnectionState.NEW) return;
    this._attempt();
  }

  /** Closes the connection for good, telling the server when it listens; the device stays registered. */
  close() {
    this._stop(false);
  }

  /**
   * Logs the device out: DISCONNECT with clearSession, so the server removes its route and stops delivering, then
   * close(). Returns whether the DISCONNECT could be sent (only on a connection the server listens to).
   */
  logout() {
    return this._stop(true);
  }

  /**
   * Sends a message to a group this device is a member of (PUBLISH sub-signal 1). Resolves with the server's answer
   * `{result, reason, msgId, seq, serverTimeMs}` (result 0: accepted, with the group's sequence; otherwise the code,
   * e.g. 1 not a member); rejects when not connected or when the connection ends before the answer. Other members get
   * it as a message with `groupId`, `from` and `seq`; the sender does not.
   */
  sendToGroup(groupId, message, ttlSeconds = 0) {
    return this._publish(1, { groupId, payload: message, ttlSeconds });
  }

  /** Sends a message to one device of the app (a reg id or alias), PUBLISH sub-signal 2; answered as sendToGroup. */
  sendTo(regIdOrAlias, message, ttlSeconds = 0) {
    return this._publish(2, { to: regIdOrAlias, payload: message, ttlSeconds });
  }

  /** Joins a group (sub-signal 3): its messages sent from then on arrive. */
  joinGroup(groupId) {
    return this._publish(3, { groupId });
  }

  /** Leaves a group (sub-signal 4). */
  leaveGroup(groupId) {
    return this._publish(4, { groupId });
  }

  _publish(subSignal, body) {
    const conn = this._conn;
    if (!conn || conn.phase !== 'CONNECTED') return Promise.reject(new Error('not connected'));
    const content = { regId: this.bindings[0].regId, ttlSeconds: body.ttlSeconds || 0 };
    if (body.groupId) content.groupId = body.groupId;
    if (body.to) content.to = body.to;
    if (body.payload !== undefined) {
      const json = typeof body.payload === 'string' ? body.payload : JSON.stringify(body.payload);
      content.payload = btoa(String.fromCharCode(...new TextEncoder().encode(json)));
    }
    return conn.publish(subSignal, content);
  }

  /** Forgets the stored seen ids and fan-out positions of this client's bindings (after logout, say). */
  clearStorage() {
    for (const state of this._states.values()) state.clear();
  }

  _stop(clearSession) {
    if (this._state === ConnectionState.CLOSED) return false;
    clearTimeout(this._retryTimer);
    const conn = this._conn;
    this._conn = null;
    let sent = false;
    if (conn) {
      if (conn.phase !== 'OPENING' && conn.phase !== 'ENDED' && conn.ws.readyState === 1) {
        conn.send('DISCONNECT', 0, {
          reasonCode: 0,
          reason: clearSession ? 'logout' : 'client closed',
          clearSession,
        });
        sent = true;
      }
      conn.end();
    }
    this._setState(ConnectionState.CLOSED, { reason: clearSession ? 'logout' : 'closed' });
    return sent;
  }

  async _attempt() {
    const generation = ++this._generation;
    this._setState(ConnectionState.CONNECTING, {});
    let url;
    try {
      url = await this._nextUrl();
    } catch (e) {
      if (generation === this._generation && this._state === ConnectionState.CONNECTING) {
        const persistent = e instanceof PushApiError && [401, 403, 404].includes(e.status);
        this._failed(`route lookup failed: ${e.message}`, persistent);
      }
      return;
    }
    if (generation !== this._generation || this._state !== ConnectionState.CONNECTING) return;
    this._conn = new Connection(this, url);
  }

  async _nextUrl() {
    const o = this.options;
    if (o.url) return o.url;
    const first = this._useKnownFirst;
    this._useKnownFirst = false;
    if (o.apiUrl && !first) {
      const b = this.bindings[0];
      try {
        const fresh = await lookupRoute(o.apiUrl, b.appId, b.regId, b.token, { fetch: o.fetch });
        if (!fresh.length) throw new Error('no connector is up');
        this._known = fresh;
        this._next = 0;
      } catch (e) {
        // The API being down does not mean the connectors are: try the ones we know, unless refused outright.
        if (!this._known.length || e instanceof PushApiError) throw e;
      }
    }
    const withWs = this._known.filter((c) => c.wsPort > 0);
    if (!withWs.length) throw new Error('no connector has a WebSocket listener (ws_port 0)');
    const c = withWs[this._next++ % withWs.length];
    const secure = o.secure !== undefined ? o.secure : globalThis.location && globalThis.location.protocol === 'https:';
    const host = o.wsHost || c.host;
    return `${secure ? 'wss' : 'ws'}://${host.includes(':') ? `[${host}]` : host}:${c.wsPort}${o.wsPath}`;
  }

  /** The attempt or connection is over; reconnect after a back-off delay. */
  _failed(reason, persistent) {
    if (this._state === ConnectionState.CLOSED) return;
    this._conn = null;
    const retryInMs = persistent ? this._backoff.maxDelayMs() : this._backoff.nextDelayMs();
    this._setState(ConnectionState.WAITING_TO_RECONNECT, { reason, retryInMs });
    clearTimeout(this._retryTimer);
    this._retryTimer = setTimeout(() => {
      if (this._state === ConnectionState.WAITING_TO_RECONNECT) this._attempt();
    }, retryInMs);
  }

  _setState(state, info) {
    this._state = state;
    this._call('onStateChange', state, info);
  }

  _call(name, ...args) {
    const callback = this[name];
    if (typeof callback !== 'function') return;
    try {
      callback.apply(this, args);
    } catch (e) {
      this._log.warn(`universe-push: ${name} threw`, e);
    }
  }
}

function key(appId, regId) {
  return `${appId}\n${regId}`;
}

/**
 * One WebSocket and its version-3 session. Frames are handled one at a time, in order, even while an async
 * onMessage runs, so acknowledgements and fan-out positions follow the server's order.
 */
class Connection {
  constructor(client, url) {
    this.client = client;
    this.url = url;
    this.phase = 'OPENING';
    this.messageId = 0;
    this.queue = Promise.resolve();
    /** PUBLISHes waiting for their PUB_ACK, by message id. */
    this.published = new Map();
    this.progress = new Map();
    this.pingTimer = null;
    this.pongTimer = null;
    const o = client.options;
    this.heartbeatMs = o.heartbeatIntervalMs;
    this.connectTimer = setTimeout(
      () => this.fail(`no CONNECT_ACK within ${o.connectTimeoutMs} ms from ${url}`, false),
      o.connectTimeoutMs,
    );
    try {
      this.ws = new client._WebSocket(url);
    } catch (e) {
      // A malformed URL (or one a page's security policy blocks) throws at once instead of closing.
      this.ws = { readyState: 3, close() {}, send() {} };
      setTimeout(() => this.fail(`cannot open ${url}: ${e.message}`, true), 0);
      return;
    }
    this.ws.onopen = () => this.open();
    this.ws.onmessage = (event) => {
      // A bug of ours while handling one frame must not stall the queue: give up this connection instead.
      this.queue = this.queue
        .then(() => this.onText(event.data))
        .catch((e) => this.protocolError(`cannot handle a frame: ${e && e.message}`));
    };
    this.ws.onclose = (event) => {
      // 1007/1008: the server could not read what we sent; sending it again will not help.
      const persistent = event.code === 1007 || event.code === 1008;
      this.fail(`connection closed (${event.code}${event.reason ? ` ${event.reason}` : ''}) to ${url}`, persistent);
    };
  }

  open() {
    if (this.phase !== 'OPENING') return;
    this.phase = 'AWAITING_ACK';
    const bindings = this.client.bindings.map((b) => {
      const state = this.client._states.get(key(b.appId, b.regId));
      state.reload();
      const stored = state.position();
      this.progress.set(key(b.appId, b.regId), new FanoutProgress(stored, this.client.options.maxHeldFanout));
      const wire = { appId: b.appId, regId: b.regId, token: b.token };
      if (stored) wire.fanoutPosition = { offset: String(stored.offset), epoch: stored.epoch };
      return wire;
    });
    const o = this.client.options;
    this.send('CONNECT', 0, {
      bindings,
      heartbeatIntervalMs: o.heartbeatIntervalMs,
      platform: o.platform,
      clientVersion: `universe-push-js/${VERSION}`,
    });
  }

  publish(subSignal, content) {
    return new Promise((resolve, reject) => {
      this.send('PUBLISH', subSignal, content);
      this.published.set(this.messageId, { resolve, reject });
    });
  }

  send(signal, subSignal, content) {
    this.messageId = this.messageId === MAX_MESSAGE_ID ? 1 : this.messageId + 1;
    this.ws.send(JSON.stringify({ signal, sub_signal: subSignal, message_id: this.messageId, content }));
  }

  async onText(data) {
    if (this.phase === 'ENDED') return;
    let frame;
    try {
      if (typeof data !== 'string') throw new Error('binary message on a JSON connection');
      frame = JSON.parse(data);
      if (!frame || typeof frame !== 'object') throw new Error('not a JSON object');
    } catch (e) {
      this.protocolError(`unreadable message: ${e.message}`);
      return;
    }
    const signal = String(frame.signal).toUpperCase();
    const subSignal = Number(frame.sub_signal ?? frame.subSignal ?? 0);
    const content = frame.content || {};
    switch (signal) {
      case 'CONNECT_ACK':
        this.onConnectAck(subSignal, content);
        break;
      case 'PUSH':
        if (this.requireConnected(signal)) await this.onPush(content);
        break;
      case 'PING':
        if (this.requireConnected(signal)) this.onPing(subSignal, Number(frame.message_id ?? frame.messageId ?? 0));
        break;
      case 'DISCONNECT':
        this.onDisconnect(subSignal, content);
        break;
      case 'PUB_ACK': {
        const waiting = this.published.get(Number(frame.message_id ?? frame.messageId ?? 0));
        if (waiting) {
          this.published.delete(Number(frame.message_id ?? frame.messageId ?? 0));
          waiting.resolve({
            result: Number(content.result || 0),
            reason: content.reason || '',
            msgId: content.msgId || '',
            seq: Number(content.seq || 0),
            serverTimeMs: Number(content.serverTimeMs || 0),
          });
        }
        break;
      }
      default:
      // Signals a client never receives today; ignoring them lets servers add features without breaking us.
    }
  }

  onConnectAck(subSignal, ack) {
    if (this.phase !== 'AWAITING_ACK') {
      this.protocolError('CONNECT_ACK when not connecting');
      return;
    }
    clearTimeout(this.connectTimer);
    const result = subSignal || ack.result;
    if (result !== ACCEPTED) {
      const reason = ack.reason || ((ack.bindings || []).find((b) => b.reason) || {}).reason || '';
      const name = ConnectResult[result] || `code ${result}`;
      this.fail(`rejected: ${name}${reason ? ` ${reason}` : ''}`, PERSISTENT_RESULTS.has(result));
      return;
    }
    this.phase = 'CONNECTED';
    if (ack.heartbeatIntervalMs > 0) this.heartbeatMs = ack.heartbeatIntervalMs;
    this.schedulePing();
    const client = this.client;
    client._backoff.reset();
    client._setState(ConnectionState.CONNECTED, { nodeId: ack.nodeId || '', url: this.url });
    for (const binding of ack.bindings || []) {
      if (this.phase !== 'CONNECTED') break;
      if (binding.result !== ACCEPTED) {
        const name = ConnectResult[binding.result] || `code ${binding.result}`;
        const reason = `${name}${binding.reason ? ` ${binding.reason}` : ''}`;
        client._call('onBindingRejected', binding.appId, binding.regId, reason);
      } else {
        this.startFanout(binding);
      }
    }
  }

  /**
   * Takes the server's position when the client had none or the server could not continue from the client's (the
   * app hears of the lost pushes). A result without a position is from a server that does not track them.
   */
  startFanout(binding) {
    const k = key(binding.appId, binding.regId);
    const fanout = this.progress.get(k);
    if (!fanout || !binding.fanoutPosition) return;
    const server = toPosition(binding.fanoutPosition);
    if (!server) return;
    if (fanout.start && binding.recovered) return;
    fanout.restartAt(server);
    this.client._states.get(k).savePosition(server);
    if (fanout.start) this.client._call('onFanoutLost', binding.appId, binding.regId);
  }

  async onPush(push) {
    const client = this.client;
    let appId = push.appId || '';
    let regId = push.regId || '';
    if (!appId && !regId && client.bindings.length === 1) {
      ({ appId, regId } = client.bindings[0]);
    }
    const k = key(appId, regId);
    const state = client._states.get(k);
    const msgId = push.msgId || '';
    // A redelivery of a push the app handled (only the ack was lost) is acknowledged again, not delivered.
    const duplicate = msgId !== '' && state !== undefined && state.seen(msgId);
    if (!duplicate) {
      try {
        if (typeof client.onMessage === 'function') await client.onMessage(toMessage(push, appId, regId));
      } catch (e) {
        // Not handled: no mark, no position, no ack, so the server sends it again.
        client._log.warn(`universe-push: onMessage threw for ${msgId}; it will come again`, e);
        return;
      }
      // Marked before the ack: after a reload between the two, the redelivery is recognised.
      if (msgId && state) state.markSeen(msgId);
    }
    // Group messages have positions of their own (not kept by this SDK: a group starts at its newest message on each
    // connect); only the app's channel moves the stored position.
    const offset = push.groupId ? 0 : Number(push.fanoutOffset || 0);
    const fanout = this.progress.get(k);
    if (offset > 0 && fanout && fanout.processed(Number(push.fanoutPrevOffset || 0), offset)) {
      state.savePosition(fanout.position);
    }
    if (msgId && this.phase === 'CONNECTED') {
      // Duplicates too: the server resends until it has an ack; regId says which binding's delivery this settles.
      this.send('PUB_ACK', 0, { msgIds: [msgId], regId });
    }
  }

  onPing(subSignal, messageId) {
    if (subSignal === PING_ANSWER) {
      clearTimeout(this.pongTimer);
      this.pongTimer = null;
      return;
    }
    // The server asks: answer with the request's message id.
    this.ws.send(JSON.stringify({
      signal: 'PING', sub_signal: PING_ANSWER, message_id: messageId, content: { intervalMs: this.heartbeatMs },
    }));
  }

  schedulePing() {
    this.pingTimer = setTimeout(() => {
      if (this.phase !== 'CONNECTED') return;
      this.send('PING', PING_REQUEST, { intervalMs: this.heartbeatMs });
      if (this.pongTimer === null) {
        const timeout = this.client.options.pongTimeoutMs;
        this.pongTimer = setTimeout(() => this.fail(`heartbeat timeout: no pong within ${timeout} ms`, false), timeout);
      }
      this.schedulePing();
    }, this.heartbeatMs);
  }

  onDisconnect(subSignal, body) {
    const code = body.reasonCode || subSignal;
    const name = DisconnectReason[code] || `code ${code}`;
    this.fail(`server disconnected: ${name}${body.reason ? ` ${body.reason}` : ''}`, PERSISTENT_REASONS.has(code));
  }

  requireConnected(signal) {
    if (this.phase === 'CONNECTED') return true;
    this.protocolError(`${signal} before CONNECT_ACK`);
    return false;
  }

  /** The server's stream is invalid: tell it why, then give up the connection. */
  protocolError(reason) {
    if (this.phase === 'ENDED') return;
    if (this.ws.readyState === 1) this.send('DISCONNECT', 1, { reasonCode: 1, reason });
    this.fail(`protocol error: ${reason}`, false);
  }

  fail(reason, persistent) {
    if (this.phase === 'ENDED') return;
    this.end();
    if (this.client._conn === this) this.client._failed(reason, persistent);
  }

  end() {
    this.phase = 'ENDED';
    for (const waiting of this.published.values()) waiting.reject(new Error('connection ended before the answer'));
    this.published.clear();
    clearTimeout(this.connectTimer);
    clearTimeout(this.pingTimer);
    clearTimeout(this.pongTimer);
    this.ws.onopen = this.ws.onmessage = this.ws.onclose = null;
    try {
      this.ws.close(1000);
    } catch (e) {
      // Already closed.
    }
  }
}
