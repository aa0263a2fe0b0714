// The signed-in user's world: settings, own profile, subscriptions and rooms, presence,
// permissions; kept current from the realtime streams and caught up after reconnecting.

import { api, notices, session, ApiError } from './api.js';
import { DDP } from './ddp.js';
import { Emitter, debounce, toDate } from './dom.js';

const PUBLIC_SETTINGS = [
  'Site_Name', 'Site_Url', 'Show_Setup_Wizard', 'Accounts_RegistrationForm',
  'Accounts_RegistrationForm_LinkReplacementText', 'Accounts_RequireNameForSignUp',
  'Accounts_RequirePasswordConfirmation', 'Accounts_ShowFormLogin', 'Accounts_ManuallyApproveNewUsers',
  'Accounts_AllowUserProfileChange', 'Accounts_AllowRealNameChange', 'Accounts_AllowUsernameChange',
  'Accounts_AllowEmailChange', 'Accounts_AllowPasswordChange', 'Accounts_AllowUserStatusMessageChange',
  'Accounts_AllowDeleteOwnAccount', 'Message_AllowEditing', 'Message_AllowEditing_BlockEditInMinutes',
  'Message_AllowDeleting', 'Message_AllowDeleting_BlockDeleteInMinutes', 'Message_AllowPinning',
  'Message_AllowStarring', 'Message_MaxAllowedSize', 'Discussion_enabled',
  'Accounts_TwoFactorAuthentication_Enabled', 'Accounts_TwoFactorAuthentication_By_TOTP_Enabled',
  'Accounts_TwoFactorAuthentication_By_Email_Enabled',
];
const STATUS_NAMES = ['offline', 'online', 'away', 'busy'];
const SYNC_OVERLAP = 2000; // ms: re-ask for a little of what we have, so no change slips by

class Store extends Emitter {
  constructor() {
    super();
    this.reset();
    this.settings = {};
  }

  reset() {
    this.ddp = null;
    this.me = null;
    this.subs = new Map(); // rid → subscription
    this.subIds = new Map(); // subscription _id → rid
    this.rooms = new Map(); // rid → room
    this.presence = new Map(); // uid → {status, statusText}
    this.permissions = new Map(); // permission id → roles
    this.lastSync = null;
    this.connection = 'idle';
    this.openRid = null;
    this.signingOut = false;
  }

  get uid() {
    return this.me?._id ?? null;
  }

  async loadSettings() {
    const r = await api.get('settings.public', { _id: PUBLIC_SETTINGS.join(','), count: 0 });
    for (const s of r.settings) this.settings[s._id] = s.value;
    this.emit('settings');
  }

  /** Sign in over REST, keep the token, then start the realtime session. A second
   * factor's code, when the server asked for one (ApiError code 'totp-required'). */
  async signIn(user, password, code) {
    const r = await api.post('login', code ? { user, password, code } : { user, password });
    session.save(r.data.userId, r.data.authToken);
    await this.start();
  }

  async start() {
    const url = `${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}/websocket`;
    const ddp = new DDP(url);
    this.ddp = ddp;
    ddp.on('status', (s) => {
      this.connection = s;
      this.emit('connection', s);
    });
    ddp.on('rate-limited', (wait) => notices.emit('rate-limited', wait));
    ddp.on('login-failed', () => this.lost('Your session has ended. Please sign in again.'));
    ddp.on('presence', (uid, args) => this.setPresence(uid, STATUS_NAMES[args[1]] || 'offline', args[2]));
    ddp.on('reconnected', () => this.resync());
    ddp.on('user-changed', (id, fields) => this.ownDocument(id, fields));
    ddp.on('user-added', (id, fields) => this.ownDocument(id, fields));
    ddp.on('user-removed', (id) => {
      if (id === this.uid && !this.signingOut) this.checkSession();
    });
    ddp.start(session.token);
    try {
      this.me = await api.get('me');
      performance.mark('chinwag:me');
    } catch (err) {
      if (err instanceof ApiError && err.status === 401) this.lost();
      else {
        ddp.stop();
        this.reset();
      }
      throw err;
    }
    const uid = this.me._id;
    ddp.stream('stream-notify-user', `${uid}/subscriptions-changed`, (action, sub) => this.subscriptionChanged(action, sub));
    ddp.stream('stream-notify-user', `${uid}/rooms-changed`, (action, room) => this.roomChanged(action, room));
    ddp.stream('stream-notify-user', `${uid}/notification`, (notice) => this.emit('notification', notice));
    ddp.stream('stream-notify-user', `${uid}/force_logout`, () => this.checkSession());
    ddp.stream('stream-room-messages', '__my_messages__', (message) => this.myMessage(message));
    ddp.stream('stream-notify-all', 'public-settings-changed', (_kind, setting) => {
      this.settings[setting._id] = setting.value;
      this.emit('settings');
    });
    ddp.stream('stream-notify-logged', 'permissions-changed', (_kind, p) => {
      this.permissions.set(p._id, p.roles);
      this.emit('permissions');
    });
    this.setPresence(uid, this.me.status, this.me.statusText);
    this.watchPresence([uid]);
    await this.syncAll();
    performance.mark('chinwag:synced');
    // Our own status, once the socket's login has made it online; nothing waits for it.
    this.loadPresence([uid]).catch(() => null);
    this.emit('me');
  }

  ownDocument(id, fields) {
    if (!this.me || id !== this.me._id) return;
    Object.assign(this.me, fields);
    if (fields.status) this.setPresence(id, fields.status, this.me.statusText);
    this.emit('me');
  }

  async syncAll() {
    const [subs, rooms, permissions] = await Promise.all([
      this.ddp.call('subscriptions/get'),
      this.ddp.call('rooms/get'),
      this.ddp.call('permissions/get'),
    ]);
    this.subs.clear();
    this.subIds.clear();
    this.rooms.clear();
    for (const p of permissions) this.permissions.set(p._id, p.roles);
    for (const room of rooms) this.rooms.set(room._id, room);
    for (const sub of subs) this.putSub(sub);
    this.noteSync([...subs, ...rooms]);
    this.watchPresence(this.dmPartners());
    this.emit('subs');
    this.emit('permissions');
  }

  noteSync(items) {
    for (const item of items) {
      const at = toDate(item._updatedAt);
      if (at && (!this.lastSync || at > this.lastSync)) this.lastSync = at;
    }
  }

  since() {
    return this.lastSync ? new Date(this.lastSync.getTime() - SYNC_OVERLAP) : null;
  }

  /** After a reconnection: everything that changed while we were away. */
  async resync() {
    try {
      await this.syncChanges();
      await this.loadPresence([...this.ddp.watched]);
    } catch (err) {
      console.error(err);
    }
    this.emit('reconnected');
  }

  async syncChanges() {
    const since = this.since();
    if (!since) return this.syncAll();
    const [subs, rooms] = await Promise.all([
      this.ddp.call('subscriptions/get', since),
      this.ddp.call('rooms/get', since),
    ]);
    for (const room of rooms.update) this.rooms.set(room._id, room);
    for (const gone of rooms.remove) this.rooms.delete(gone._id);
    for (const sub of subs.update) this.putSub(sub);
    for (const gone of subs.remove) {
      const rid = this.subIds.get(gone._id);
      if (rid) this.dropSub(rid);
    }
    this.noteSync([...subs.update, ...rooms.update]);
    this.emit('subs');
  }

  refreshSoon = debounce(() => this.syncChanges().catch((err) => console.error(err)), 250);

  putSub(sub) {
    this.subs.set(sub.rid, sub);
    this.subIds.set(sub._id, sub.rid);
  }

  dropSub(rid) {
    const sub = this.subs.get(rid);
    if (sub) this.subIds.delete(sub._id);
    this.subs.delete(rid);
  }

  subscriptionChanged(action, sub) {
    if (action === 'removed') this.dropSub(sub.rid);
    else this.putSub(sub);
    this.noteSync([sub]);
    if (action === 'inserted' && sub.t === 'd') this.refreshSoon();
    this.emit('subs');
    this.emit('sub-changed', sub.rid, action);
  }

  roomChanged(action, room) {
    if (action === 'removed') this.rooms.delete(room._id);
    else {
      this.rooms.set(room._id, room); // the whole room: fields that went away are gone
      if (room.t === 'd') this.watchPresence(room.uids || []);
    }
    this.emit('subs');
    this.emit('room-changed', room._id, action);
  }

  myMessage(message) {
    const room = this.rooms.get(message.rid);
    if (room) room.lastMessage = message;
    this.emit('my-message', message);
    this.refreshSoon();
  }

  setPresence(uid, status, statusText) {
    this.presence.set(uid, { status: status || 'offline', statusText });
    this.emit('presence', uid);
  }

  status(uid) {
    return this.presence.get(uid)?.status || 'offline';
  }

  dmPartners() {
    const uids = [];
    for (const room of this.rooms.values()) {
      if (room.t === 'd') for (const u of room.uids || []) if (u !== this.uid) uids.push(u);
    }
    return uids;
  }

  /** The other person of a direct message (null for a group DM or a self-DM). */
  dmPartner(rid) {
    const room = this.rooms.get(rid);
    if (!room || room.t !== 'd') return null;
    const others = (room.uids || []).filter((u) => u !== this.uid);
    if (others.length !== 1) return null;
    const i = room.uids.indexOf(others[0]);
    return { _id: others[0], username: room.usernames?.[i] };
  }

  watchPresence(uids) {
    const fresh = uids.filter((u) => u && !this.presence.has(u));
    this.ddp?.watchPresence(uids);
    if (fresh.length) this.loadPresence(fresh).catch((err) => console.error(err));
  }

  async loadPresence(uids) {
    for (let i = 0; i < uids.length; i += 100) {
      const r = await api.get('users.presence', { ids: uids.slice(i, i + 100).join(',') });
      for (const u of r.users) this.setPresence(u._id, u.status, u.statusText);
    }
  }

  /** Whether the user holds a permission, globally or through their roles in a room. */
  can(permission, rid) {
    const roles = new Set(this.me?.roles || []);
    if (rid) for (const r of this.subs.get(rid)?.roles || []) roles.add(r);
    return (this.permissions.get(permission) || []).some((r) => roles.has(r));
  }

  isAdmin() {
    return (this.me?.roles || []).includes('admin');
  }

  async checkSession() {
    try {
      await api.get('me');
    } catch (err) {
      if (err instanceof ApiError && err.status === 401) this.lost('You have been signed out.');
    }
  }

  lost(reason) {
    // Several signals can report the same end (force_logout, the user document going away,
    // a failed resume): the first one signs out, the rest find nothing left to do.
    if (!this.ddp && !this.me && !session.token) return;
    session.clear();
    this.ddp?.stop();
    this.reset();
    this.emit('signed-out', reason);
  }

  async signOut() {
    this.signingOut = true;
    try {
      await api.post('logout');
    } catch {
      // signing out locally is what matters
    }
    this.lost();
  }

  /** Total unread for the title: mentions and direct messages count in full. */
  unreadTotal() {
    let total = 0;
    for (const sub of this.subs.values()) {
      if (!sub.open || sub.hideUnreadStatus) continue;
      total += sub.unread || 0;
    }
    return total;
  }
}

export const store = new Store();
