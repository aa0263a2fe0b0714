// A Meteor DDP client for /websocket: methods, subscriptions and Rocket.Chat streams, with
// reconnection that logs in again, re-subscribes and re-sends what was not answered.

import { Emitter } from './dom.js';

function reviver(_key, value) {
  if (value && typeof value === 'object' && typeof value.$date === 'number' && Object.keys(value).length === 1) {
    return new Date(value.$date);
  }
  return value;
}

function encode(message) {
  return JSON.stringify(message, function replacer(key, value) {
    const raw = this[key];
    return raw instanceof Date ? { $date: raw.getTime() } : value;
  });
}

export class DdpError extends Error {
  constructor(error) {
    super(error?.reason || error?.message || String(error?.error ?? 'error'));
    this.error = error?.error;
    this.reason = error?.reason;
    this.details = error?.details;
  }
}

/** How long a rate-limited request waits: what the server says, and a little more. */
function limitWait(error) {
  const reset = Number(error?.details?.timeToReset) || 1000;
  return Math.min(reset, 60000) + Math.random() * 250;
}

const PING_AFTER = 20000; // ms of silence before we ask whether the server is still there
const DEAD_AFTER = 35000; // ms of silence after which the socket is given up for dead

export class DDP extends Emitter {
  constructor(url) {
    super();
    this.url = url;
    this.ws = null;
    this.status = 'idle'; // idle | connecting | connected | offline
    this.nextId = 0;
    this.pending = new Map(); // method id → {msg, resolve, reject, sent, retry}
    this.subs = new Map(); // sub id → {name, params}
    this.streams = new Map(); // "name\neventName" → {sub, handlers}
    this.presence = null; // the stream-user-presence subscription that carries frames
    this.watched = new Set();
    this.token = null;
    this.attempt = 0;
    this.everConnected = false;
    this.stopped = true;
    this.timer = null;
    this.lastHeard = 0;
    this.watchdog = null;
  }

  start(token) {
    this.token = token;
    this.stopped = false;
    this.open();
    this.watchdog = setInterval(() => this.checkAlive(), 5000);
  }

  stop() {
    this.stopped = true;
    clearTimeout(this.timer);
    clearInterval(this.watchdog);
    const ws = this.ws;
    this.ws = null;
    if (ws) ws.close();
    for (const entry of this.pending.values()) entry.reject(new DdpError({ error: 'disconnected', reason: 'Signed out' }));
    this.pending.clear();
    this.subs.clear();
    this.streams.clear();
    this.presence = null;
    this.watched.clear();
    this.status = 'idle';
  }

  open() {
    clearTimeout(this.timer);
    this.status = 'connecting';
    this.emit('status', this.status);
    const ws = new WebSocket(this.url);
    this.ws = ws;
    ws.onopen = () => {
      this.lastHeard = Date.now();
      this.send({ msg: 'connect', version: '1', support: ['1', 'pre2', 'pre1'] });
    };
    ws.onmessage = (event) => {
      if (ws !== this.ws) return;
      this.lastHeard = Date.now();
      this.receive(JSON.parse(event.data, reviver));
    };
    ws.onclose = () => this.closed(ws);
  }

  /** Reconnect at once (the network came back, the tab became visible). */
  reconnectNow() {
    if (!this.stopped && this.status === 'offline') this.open();
  }

  checkAlive() {
    if (this.status !== 'connected' || !this.ws) return;
    const silent = Date.now() - this.lastHeard;
    if (silent > DEAD_AFTER) {
      const ws = this.ws;
      ws.close();
      this.closed(ws); // a dead network may take minutes to report the close
    } else if (silent > PING_AFTER) {
      this.send({ msg: 'ping', id: 'alive' });
    }
  }

  closed(ws) {
    if (ws !== this.ws) return;
    this.ws = null;
    this.status = 'offline';
    for (const [id, entry] of this.pending) {
      if (entry.retry) entry.sent = false;
      else {
        this.pending.delete(id);
        entry.reject(new DdpError({ error: 'disconnected', reason: 'Connection lost' }));
      }
    }
    this.emit('status', this.status);
    if (this.stopped) return;
    const delay = Math.min(10000, 500 * 2 ** this.attempt) * (0.5 + Math.random() / 2);
    this.attempt += 1;
    this.timer = setTimeout(() => this.open(), delay);
  }

  send(message) {
    if (this.ws && this.ws.readyState === WebSocket.OPEN) this.ws.send(encode(message));
  }

  receive(m) {
    switch (m.msg) {
      case 'connected':
        this.connected();
        break;
      case 'failed':
        this.ws?.close();
        break;
      case 'ping':
        this.send(m.id === undefined ? { msg: 'pong' } : { msg: 'pong', id: m.id });
        break;
      case 'result': {
        const entry = this.pending.get(m.id);
        if (!entry) break;
        if (m.error?.error === 'too-many-requests' && entry.retry && (entry.tries = (entry.tries || 0) + 1) <= 5) {
          const wait = limitWait(m.error);
          this.emit('rate-limited', Math.ceil(wait / 1000));
          setTimeout(() => {
            if (this.pending.get(m.id) === entry && this.status === 'connected') this.send(entry.msg);
          }, wait);
          break;
        }
        this.pending.delete(m.id);
        if (m.error) entry.reject(new DdpError(m.error));
        else entry.resolve(m.result);
        break;
      }
      case 'nosub': {
        const sub = this.subs.get(m.id);
        if (!sub) break;
        if (m.error?.error === 'too-many-requests') {
          setTimeout(() => {
            if (this.subs.get(m.id) === sub && this.status === 'connected') this.send({ msg: 'sub', id: sub.id, name: sub.name, params: sub.params });
          }, limitWait(m.error));
          break;
        }
        this.subs.delete(m.id);
        if (sub === this.presence?.sub) this.presence = null;
        for (const [key, stream] of this.streams) if (stream.sub === sub) this.streams.delete(key);
        this.emit('nosub', sub, m.error);
        break;
      }
      case 'added':
      case 'changed':
      case 'removed':
        this.data(m);
        break;
      default:
        break;
    }
  }

  data(m) {
    if (m.collection === 'users') {
      this.emit(`user-${m.msg}`, m.id, m.fields || {});
      return;
    }
    if (m.collection === 'stream-user-presence') {
      this.emit('presence', m.fields?.uid || m.id, m.fields?.args || []);
      return;
    }
    if (m.msg !== 'changed' || !m.collection?.startsWith('stream-') || !m.fields) return;
    const { eventName, args } = m.fields;
    const stream = this.streams.get(`${m.collection}\n${eventName}`);
    if (!stream) return;
    for (const fn of [...stream.handlers]) {
      try {
        fn(...(args || []));
      } catch (err) {
        console.error(err);
      }
    }
  }

  async connected() {
    this.attempt = 0;
    if (this.token) {
      try {
        await this.rawCall('login', [{ resume: this.token }], false);
      } catch (err) {
        if (err.error !== 'disconnected') this.emit('login-failed', err);
        return;
      }
    }
    for (const [id, sub] of this.subs) this.send({ msg: 'sub', id, name: sub.name, params: sub.params });
    this.status = 'connected';
    for (const [, entry] of this.pending) {
      if (!entry.sent) {
        entry.sent = true;
        this.send(entry.msg);
      }
    }
    this.emit('status', this.status);
    this.emit(this.everConnected ? 'reconnected' : 'connected');
    this.everConnected = true;
  }

  /** Call a method; resolves with its result, rejects with a DdpError. Calls made while
   * offline wait, and calls cut off by a lost connection are sent again after it returns. */
  call(method, ...params) {
    return this.rawCall(method, params, true);
  }

  rawCall(method, params, retry) {
    const id = String(++this.nextId);
    const msg = { msg: 'method', id, method, params };
    return new Promise((resolve, reject) => {
      const entry = { msg, resolve, reject, sent: false, retry };
      this.pending.set(id, entry);
      if (!retry || this.status === 'connected') {
        entry.sent = true;
        this.send(msg);
      }
    });
  }

  subscribe(name, params) {
    const id = `s${++this.nextId}`;
    const sub = { id, name, params };
    this.subs.set(id, sub);
    if (this.status === 'connected') this.send({ msg: 'sub', id, name, params });
    return sub;
  }

  unsubscribe(sub) {
    if (!this.subs.delete(sub.id)) return;
    if (this.status === 'connected') this.send({ msg: 'unsub', id: sub.id });
  }

  /** Listen to one event of a Rocket.Chat stream; returns the function that stops. */
  stream(name, eventName, fn) {
    const key = `${name}\n${eventName}`;
    let stream = this.streams.get(key);
    if (!stream) {
      const sub = this.subscribe(name, [eventName, { useCollection: false, args: [] }]);
      stream = { sub, handlers: new Set() };
      this.streams.set(key, stream);
    }
    stream.handlers.add(fn);
    return () => {
      const current = this.streams.get(key);
      if (!current) return;
      current.handlers.delete(fn);
      if (current.handlers.size === 0) {
        this.streams.delete(key);
        this.unsubscribe(current.sub);
      }
    };
  }

  /** Watch these users' presence on stream-user-presence. */
  watchPresence(uids) {
    const fresh = uids.filter((u) => u && !this.watched.has(u));
    if (fresh.length === 0) return;
    for (const u of fresh) this.watched.add(u);
    if (!this.presence) {
      const sub = this.subscribe('stream-user-presence', ['', { added: [...this.watched] }]);
      this.presence = { sub };
      return;
    }
    // The first subscription carries the frames; later ones only add users. Keep the first's
    // parameters whole so a reconnection asks for everyone again.
    this.presence.sub.params = ['', { added: [...this.watched] }];
    if (this.status === 'connected') {
      this.send({ msg: 'sub', id: `p${++this.nextId}`, name: 'stream-user-presence', params: ['', { added: fresh }] });
    }
  }
}
