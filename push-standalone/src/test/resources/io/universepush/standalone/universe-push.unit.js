// Unit tests of /sdk/universe-push.js, run in the browser by BrowserDemoTest (no Node, no npm): the client against a
// fake WebSocket that records what it sends and replays server frames. unitTests(sdk) resolves to the failures.
async function unitTests(sdk) {
  const failures = [];
  const cases = [];
  const test = (name, body) => cases.push({ name, body });
  const eq = (actual, expected, what) => {
    const a = JSON.stringify(actual);
    const e = JSON.stringify(expected);
    if (a !== e) throw new Error(`${what}: expected ${e}, got ${a}`);
  };
  const until = async (condition, what, ms = 2000) => {
    const end = Date.now() + ms;
    while (!condition()) {
      if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
  };

  class FakeSocket {
    constructor(url) {
      this.url = url;
      this.readyState = 0;
      this.sent = [];
      FakeSocket.all.push(this);
      setTimeout(() => {
        this.readyState = 1;
        if (this.onopen) this.onopen();
      }, 0);
    }
    send(text) {
      this.sent.push(JSON.parse(text));
    }
    close() {
      this.readyState = 3;
    }
    receive(signal, subSignal, content) {
      const frame = { signal, sub_signal: subSignal, message_id: 0, content };
      if (this.onmessage) this.onmessage({ data: JSON.stringify(frame) });
    }
    signals() {
      return this.sent.map((f) => f.signal);
    }
  }

  class Storage {
    constructor(entries = {}) {
      this.map = new Map(Object.entries(entries));
    }
    getItem(k) {
      return this.map.has(k) ? this.map.get(k) : null;
    }
    setItem(k, v) {
      this.map.set(k, String(v));
    }
    removeItem(k) {
      this.map.delete(k);
    }
  }

  const APP = 'a1';
  const REG = 'r1';
  const POSITION_KEY = `universe-push:position:${APP}:${REG}`;
  const SEEN_KEY = `universe-push:seen:${APP}:${REG}`;
  const b64 = (text) => btoa(unescape(encodeURIComponent(text)));

  /** A client on a fake socket, accepted by the "server"; returns the client, its socket, its storage and events. */
  async function connected(options = {}, binding = { appId: APP, regId: REG, result: 1, recovered: true }) {
    FakeSocket.all = [];
    const events = { messages: [], states: [], lost: [] };
    const storage = options.storage || new Storage();
    const client = new sdk.PushClient({
      url: 'ws://fake/ws',
      appId: APP,
      regId: REG,
      token: 't1',
      storage,
      WebSocket: FakeSocket,
      backoffJitter: 0,
      onMessage: (m) => events.messages.push(m),
      onStateChange: (s, info) => events.states.push([s, info]),
      onFanoutLost: (a, r) => events.lost.push([a, r]),
      ...options,
    });
    client.connect();
    await until(() => FakeSocket.all.length && FakeSocket.all[0].sent.length, 'CONNECT');
    const socket = FakeSocket.all[0];
    socket.receive('CONNECT_ACK', 1, { result: 1, bindings: [binding], heartbeatIntervalMs: 60000, nodeId: 'n1' });
    await until(() => client.state === 'CONNECTED', 'CONNECTED');
    return { client, socket, storage, events };
  }

  const push = (msgId, extra = {}) => ({ msgId, appId: APP, regId: REG, payload: b64('{"text":"héllo"}'), ...extra });
  const acks = (socket) => socket.sent.filter((f) => f.signal === 'PUB_ACK').map((f) => f.content);

  test('FanoutProgress moves contiguously and holds pushes beyond a gap', () => {
    const p = new sdk.FanoutProgress({ offset: 10, epoch: 'e' });
    eq(p.processed(10, 12), true, 'contiguous');
    eq(p.position, { offset: 12, epoch: 'e' }, 'position');
    eq(p.processed(14, 15), false, 'beyond a gap');
    eq(p.processed(15, 18), false, 'beyond a gap, after the held one');
    eq(p.processed(12, 14), true, 'the gap filled');
    eq(p.position.offset, 18, 'over the held ones');
    eq(p.processed(12, 14), false, 'a redelivery');
    p.restartAt({ offset: 3, epoch: 'f' });
    eq(p.position, { offset: 3, epoch: 'f' }, 'restarted');
  });

  test('Backoff doubles up to its maximum; persistent failures wait the maximum', () => {
    const b = new sdk.Backoff(100, 1000, 0);
    eq([b.nextDelayMs(), b.nextDelayMs(), b.nextDelayMs(), b.nextDelayMs(), b.nextDelayMs()],
      [100, 200, 400, 800, 1000], 'delays');
    b.reset();
    eq(b.nextDelayMs(), 100, 'after reset');
    eq(b.maxDelayMs(), 1000, 'persistent');
    const jittered = new sdk.Backoff(100, 1000, 0.5, () => 1);
    eq(jittered.nextDelayMs(), 50, 'jitter shortens by up to half');
  });

  test('CONNECT carries the binding, its stored position and the heartbeat', async () => {
    const storage = new Storage({ [POSITION_KEY]: '{"offset":"7","epoch":"e1"}' });
    const { client, socket } = await connected({ storage, heartbeatIntervalMs: 45000 });
    const connect = socket.sent[0];
    eq(connect.signal, 'CONNECT', 'signal');
    const position = { offset: '7', epoch: 'e1' };
    eq(connect.content.bindings, [{ appId: APP, regId: REG, token: 't1', fanoutPosition: position }], 'bindings');
    eq(connect.content.heartbeatIntervalMs, 45000, 'heartbeat');
    eq(connect.content.platform, 'web', 'platform');
    client.close();
  });

  test('a push reaches onMessage decoded, then PUB_ACK; a duplicate is acked but not delivered', async () => {
    const { client, socket, storage, events } = await connected();
    socket.receive('PUSH', 0, push('m1', { title: 'T', alert: 'A', extras: { k: 'v' }, sentAtMs: '1763900000100' }));
    await until(() => acks(socket).length === 1, 'the ack');
    eq(events.messages.length, 1, 'delivered');
    const m = events.messages[0];
    eq([m.msgId, m.title, m.alert, m.message, m.payloadText, m.extras, m.sentAtMs],
      ['m1', 'T', 'A', { text: 'héllo' }, '{"text":"héllo"}', { k: 'v' }, 1763900000100], 'message');
    eq(acks(socket)[0], { msgIds: ['m1'], regId: REG }, 'ack');
    eq(JSON.parse(storage.getItem(SEEN_KEY)), ['m1'], 'seen ids stored');
    socket.receive('PUSH', 0, push('m1', { attempt: 2 }));
    await until(() => acks(socket).length === 2, 'the second ack');
    eq(events.messages.length, 1, 'the duplicate is not delivered');
    client.close();
  });

  test('a push whose onMessage throws or rejects is not acked and comes again', async () => {
    let failing = 2;
    const { client, socket, events } = await connected({
      onMessage: async (m) => {
        if (failing-- > 0) throw new Error('not now');
        events.messages.push(m);
      },
    });
    socket.receive('PUSH', 0, push('m2'));
    socket.receive('PUSH', 0, push('m2', { attempt: 2 }));
    socket.receive('PUSH', 0, push('m2', { attempt: 3 }));
    await until(() => acks(socket).length === 1, 'the ack of the third attempt');
    eq(events.messages.map((m) => m.attempt), [3], 'handled once, on the third attempt');
    client.close();
  });

  test('seen ids are bounded, the oldest dropped', async () => {
    const { client, socket, storage } = await connected({ dedupCapacity: 3 });
    for (const id of ['s1', 's2', 's3', 's4']) socket.receive('PUSH', 0, push(id));
    await until(() => acks(socket).length === 4, 'four acks');
    eq(JSON.parse(storage.getItem(SEEN_KEY)), ['s2', 's3', 's4'], 'seen ids');
    client.close();
  });

  test('fan-out pushes advance the stored position by the prev-offset rule, out of order ones held', async () => {
    const storage = new Storage({ [POSITION_KEY]: '{"offset":"5","epoch":"e1"}' });
    const { client, socket } = await connected({ storage });
    const stored = () => JSON.parse(storage.getItem(POSITION_KEY));
    socket.receive('PUSH', 0, push('f8', { fanoutOffset: '8', fanoutPrevOffset: '5' }));
    socket.receive('PUSH', 0, push('f12', { fanoutOffset: '12', fanoutPrevOffset: '10' }));
    await until(() => acks(socket).length === 2, 'two acks');
    eq(stored(), { offset: '8', epoch: 'e1' }, 'up to 8, 12 held');
    socket.receive('PUSH', 0, push('f10', { fanoutOffset: '10', fanoutPrevOffset: '8' }));
    await until(() => acks(socket).length === 3, 'three acks');
    eq(stored(), { offset: '12', epoch: 'e1' }, 'over the held one');
    client.close();
  });

  test('a group message carries its group, sender and sequence and leaves the app position alone', async () => {
    const storage = new Storage({ [POSITION_KEY]: '{"offset":"5","epoch":"e1"}' });
    const { client, socket, events } = await connected({ storage });
    socket.receive('PUSH', 0, push('g1', { groupId: 'grp', from: 'r9', fanoutOffset: '40', fanoutPrevOffset: '39' }));
    await until(() => acks(socket).length === 1, 'the ack');
    eq([events.messages[0].groupId, events.messages[0].from, events.messages[0].seq], ['grp', 'r9', 40], 'group fields');
    eq(events.messages[0].fanoutOffset, 0, 'no app offset');
    eq(JSON.parse(storage.getItem(POSITION_KEY)), { offset: '5', epoch: 'e1' }, 'app position unchanged');
    client.close();
  });

  test('sendToGroup writes PUBLISH 1 and resolves with the PUB_ACK of its message id', async () => {
    const { client, socket } = await connected();
    const answer = client.sendToGroup('grp', { text: 'hi' }, 60);
    const publish = socket.sent.find((f) => f.signal === 'PUBLISH');
    eq([publish.sub_signal, publish.content.groupId, publish.content.regId, publish.content.ttlSeconds], [1, 'grp', REG, 60], 'PUBLISH');
    eq(atob(publish.content.payload), '{"text":"hi"}', 'payload');
    const frame = { signal: 'PUB_ACK', sub_signal: 0, message_id: publish.message_id, content: { msgId: 'm1', seq: '7' } };
    socket.onmessage({ data: JSON.stringify(frame) });
    const result = await answer;
    eq([result.result, result.msgId, result.seq], [0, 'm1', 7], 'answer');
    const pending = client.sendToGroup('grp', 'x');
    client.close();
    let failed = false;
    try {
      await pending;
    } catch (e) {
      failed = true;
    }
    eq(failed, true, 'a connection ended before the answer rejects');
  });

  test('recovered = false reports the lost pushes and adopts the server position', async () => {
    const storage = new Storage({ [POSITION_KEY]: '{"offset":"5","epoch":"old"}' });
    const { client, events } = await connected({ storage }, {
      appId: APP, regId: REG, result: 1, fanoutPosition: { offset: '40', epoch: 'new' },
    });
    eq(events.lost, [[APP, REG]], 'onFanoutLost');
    eq(JSON.parse(storage.getItem(POSITION_KEY)), { offset: '40', epoch: 'new' }, 'adopted');
    client.close();
  });

  test('a first connect adopts the server position without reporting a loss', async () => {
    const { client, storage, events } = await connected({}, {
      appId: APP, regId: REG, result: 1, recovered: true, fanoutPosition: { offset: '3', epoch: 'e' },
    });
    eq(events.lost, [], 'no loss');
    eq(JSON.parse(storage.getItem(POSITION_KEY)), { offset: '3', epoch: 'e' }, 'adopted');
    client.close();
  });

  test('bad credentials wait the longest back-off', async () => {
    FakeSocket.all = [];
    const states = [];
    const client = new sdk.PushClient({
      url: 'ws://fake/ws', appId: APP, regId: REG, token: 'bad', storage: new Storage(), WebSocket: FakeSocket,
      backoffBaseMs: 100, backoffMaxMs: 5000, backoffJitter: 0, onStateChange: (s, info) => states.push([s, info]),
    });
    client.connect();
    await until(() => FakeSocket.all.length && FakeSocket.all[0].sent.length, 'CONNECT');
    FakeSocket.all[0].receive('CONNECT_ACK', 5, { result: 5, reason: 'unknown token' });
    await until(() => client.state === 'WAITING_TO_RECONNECT', 'waiting');
    const info = states[states.length - 1][1];
    eq(info.retryInMs, 5000, 'the maximum');
    eq(info.reason, 'rejected: BAD_CREDENTIALS unknown token', 'reason');
    client.close();
    eq(client.state, 'CLOSED', 'closed');
  });

  test('a server DISCONNECT ends the connection with its reason; a reconnect follows', async () => {
    const { client, socket, events } = await connected({ backoffBaseMs: 10 });
    socket.receive('DISCONNECT', 5, { reasonCode: 5, reason: 'bye' });
    await until(() => FakeSocket.all.length === 2, 'a new connection');
    const waiting = events.states.find(([s]) => s === 'WAITING_TO_RECONNECT');
    eq(waiting[1].reason, 'server disconnected: SERVER_SHUTDOWN bye', 'reason');
    eq(waiting[1].retryInMs, 10, 'the base back-off');
    client.close();
  });

  test('heartbeats go every interval; a missing pong ends the connection', async () => {
    FakeSocket.all = [];
    const states = [];
    const client = new sdk.PushClient({
      url: 'ws://fake/ws', appId: APP, regId: REG, token: 't1', storage: new Storage(), WebSocket: FakeSocket,
      pongTimeoutMs: 80, backoffBaseMs: 5000, onStateChange: (s, info) => states.push([s, info]),
    });
    client.connect();
    await until(() => FakeSocket.all.length && FakeSocket.all[0].sent.length, 'CONNECT');
    const socket = FakeSocket.all[0];
    socket.receive('CONNECT_ACK', 1, { result: 1, heartbeatIntervalMs: 30 });
    await until(() => socket.signals().includes('PING'), 'a PING');
    eq(socket.sent.find((f) => f.signal === 'PING').content, { intervalMs: 30 }, 'PING body');
    socket.receive('PING', 1, { intervalMs: 30 });
    await until(() => socket.signals().filter((s) => s === 'PING').length >= 3, 'more PINGs');
    await until(() => client.state === 'WAITING_TO_RECONNECT', 'the pong deadline', 1000);
    eq(states[states.length - 1][1].reason, 'heartbeat timeout: no pong within 80 ms', 'reason');
    client.close();
  });

  test('a frame the client cannot handle ends the connection instead of stalling it', async () => {
    FakeSocket.all = [];
    const states = [];
    const client = new sdk.PushClient({
      url: 'ws://fake/ws', appId: APP, regId: REG, token: 't1', storage: new Storage(), WebSocket: FakeSocket,
      backoffBaseMs: 5000, heartbeatIntervalMs: undefined, onStateChange: (s, info) => states.push([s, info]),
      logger: { warn() {} },
    });
    client.connect();
    await until(() => FakeSocket.all.length && FakeSocket.all[0].sent.length, 'CONNECT');
    eq(FakeSocket.all[0].sent[0].content.heartbeatIntervalMs, 60000, 'an undefined option keeps its default');
    FakeSocket.all[0].receive('CONNECT_ACK', 1, { result: 1, bindings: 5 });
    await until(() => client.state === 'WAITING_TO_RECONNECT', 'the connection given up');
    const sent = FakeSocket.all[0].sent;
    eq(sent[sent.length - 1].signal, 'DISCONNECT', 'told the server');
    client.close();
  });

  test('logout sends DISCONNECT with clearSession', async () => {
    const { client, socket } = await connected();
    eq(client.logout(), true, 'sent');
    eq(socket.sent[socket.sent.length - 1].content, { reasonCode: 0, reason: 'logout', clearSession: true }, 'body');
    eq(client.state, 'CLOSED', 'closed');
  });

  for (const c of cases) {
    try {
      await c.body();
    } catch (e) {
      failures.push(`${c.name}: ${e && e.message}`);
    }
  }
  return { ran: cases.length, failures };
}
