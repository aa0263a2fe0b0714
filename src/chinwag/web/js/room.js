// A room: header, timeline (history upward without jumps, live messages, the new-messages
// divider, date separators, grouping), typing, the composer and the side panels.

import { api } from './api.js';
import { avatar, debounce, formatDay, h, icon, keepFocus, replace, sameDay, statusDot, toDate, randomId } from './dom.js';
import { Composer } from './composer.js';
import { canGroup, emojiPicker, normalize, renderMessage } from './message.js';
import { internalPath, safeHref } from './md.js';
import { InfoPanel, ListPanel, MembersPanel, SearchPanel, ThreadPanel, UserPanel } from './panels.js';
import { navigate, roomPath } from './router.js';
import { createDiscussionDialog, displayName } from './sidebar.js';
import { store } from './store.js';
import { confirmDialog, popupMenu, showError, toast } from './ui.js';

const PAGE = 50;
const NEAR_TOP = 400;
const NEAR_BOTTOM = 60;

/** Whether a message belongs in the room's main timeline (thread replies live in threads). */
export const inTimeline = (m) => !m.tmid || m.tshow;

export function permalink(room, id) {
  return `${location.origin}${roomPath(room)}?msg=${encodeURIComponent(id)}`;
}

export function quoteText(message) {
  const lines = (message.msg || '').split('\n').map((l) => `> ${l}`);
  return `> **@${message.u?.username}**\n${lines.join('\n')}\n\n`;
}

function withinMinutes(message, setting) {
  const limit = Number(store.settings[setting] || 0);
  return !limit || Date.now() - toDate(message.ts).getTime() < limit * 60000;
}

export async function copyText(text) {
  try {
    await navigator.clipboard.writeText(text);
    toast('Link copied');
  } catch {
    window.prompt('Copy this link', text);
  }
}

export class RoomView {
  constructor(workspace, rid, room) {
    this.workspace = workspace;
    this.rid = rid;
    this.room = room;
    this.messages = new Map(); // id → message in the main timeline
    this.rows = new Map(); // id → row element
    this.order = []; // ids, oldest first
    this.hasOlder = true;
    this.hasNewer = false;
    this.loading = false;
    this.loaded = false;
    this.buffer = [];
    this.atBottom = true;
    this.dividerId = null;
    this.typing = new Map();
    this.lastUpdate = null;
    this.panel = null;
    this.memberCache = null;
    this.offs = [];
    this.actions = this.makeActions();
    this.build();
    this.listen();
  }

  get sub() {
    return store.subs.get(this.rid) || null;
  }

  build() {
    this.header = h('header', { class: 'room-header' });
    this.top = h('div', { class: 'history-top' });
    this.list = h('div', { class: 'messages' });
    this.timeline = h('div', { class: 'timeline', role: 'log', 'aria-label': 'Messages', tabindex: '0' }, this.top, this.list);
    this.timeline.addEventListener('scroll', () => this.scrolled(), { passive: true });
    this.jump = h('button', { type: 'button', class: 'jump-latest', hidden: true, onclick: () => this.jumpToLatest() }, 'New messages ↓');
    this.typingEl = h('div', { class: 'typing', 'aria-live': 'polite' });
    this.announcement = h('div', { class: 'announcement', hidden: true });
    this.footer = h('div', { class: 'room-footer' });
    this.main = h('section', { class: 'room-main', 'aria-label': 'Conversation' },
      this.header, this.announcement, h('div', { class: 'timeline-wrap' }, this.timeline, this.jump), this.typingEl, this.footer);
    this.panelEl = h('aside', { class: 'panel', hidden: true });
    this.el = h('div', { class: 'room', 'data-rid': this.rid }, this.main, this.panelEl);
    this.renderHeader();
    this.renderFooter();
  }

  listen() {
    const ddp = store.ddp;
    const rid = this.rid;
    this.offs.push(
      ddp.stream('stream-room-messages', rid, (m) => this.received(m)),
      ddp.stream('stream-notify-room', `${rid}/deleteMessage`, (m) => this.removed(m._id)),
      ddp.stream('stream-notify-room', `${rid}/deleteMessageBulk`, (m) => (m.ids || []).forEach((id) => this.removed(id))),
      ddp.stream('stream-notify-room', `${rid}/user-activity`, (username, activities) => this.activity(username, activities)),
      store.on('subs', () => {
        this.renderHeader();
        this.renderFooter();
        this.readIfSeen();
      }),
      store.on('room-changed', (id, action) => this.roomChanged(id, action)),
      store.on('sub-changed', (id, action) => {
        if (id === rid && action === 'removed' && this.room.t !== 'c') {
          toast('You are no longer in this room');
          navigate('/home');
        }
      }),
      store.on('presence', () => this.renderHeader()),
      store.on('reconnected', () => this.catchUp()),
    );
    const onVisible = () => this.readIfSeen();
    document.addEventListener('visibilitychange', onVisible);
    window.addEventListener('focus', onVisible);
    this.offs.push(() => {
      document.removeEventListener('visibilitychange', onVisible);
      window.removeEventListener('focus', onVisible);
    });
  }

  destroy() {
    for (const off of this.offs) off();
    this.panel?.destroy?.();
    this.composer?.stopTyping();
    this.markRead.cancel();
  }

  roomChanged(id, action) {
    if (id !== this.rid) return;
    if (action === 'removed') {
      toast('This room was deleted');
      navigate('/home');
      return;
    }
    const fresh = store.rooms.get(id);
    if (fresh) this.room = fresh;
    this.renderHeader();
    this.renderFooter();
  }

  // ---- header and footer ---------------------------------------------------------------

  title() {
    const sub = this.sub;
    if (sub) return displayName(sub);
    return this.room.fname || this.room.name || (this.room.usernames || []).filter((u) => u !== store.me?.username).join(', ');
  }

  renderHeader() {
    const room = this.room;
    let roomIcon;
    if (room.t === 'd') {
      const partner = store.dmPartner(this.rid);
      roomIcon = partner ? h('span', { class: 'room-avatar' }, avatar(partner.username, 28), statusDot(store.status(partner._id))) : icon('people');
    } else roomIcon = icon(room.prid ? 'discussion' : room.t === 'p' ? 'lock' : 'hash', room.t === 'p' ? 'Private group' : 'Channel');
    const sub = this.sub;
    const button = (label, glyph, action, pressed) => h('button', {
      type: 'button', class: 'icon-button', title: label, 'aria-label': label,
      'aria-pressed': pressed === undefined ? null : String(pressed), onclick: action,
      'data-focus': pressed === undefined ? null : 'favourite',
    }, glyph);
    const favourite = sub ? button(sub.f ? 'Remove from favourites' : 'Add to favourites', icon(sub.f ? 'star-filled' : 'star'), () => this.toggleFavourite(), !!sub.f) : null;
    keepFocus(this.header, () => replace(this.header,
      h('button', { type: 'button', class: 'icon-button back-button', 'aria-label': 'Show rooms', onclick: () => this.workspace.showSidebar() }, icon('menu')),
      roomIcon,
      h('div', { class: 'room-title' },
        h('h1', null, this.title(), favourite),
        room.topic ? h('div', { class: 'room-topic', title: room.topic }, room.topic) : null),
      h('div', { class: 'room-tools' },
        button('Search in room', icon('search'), () => this.openPanel('search')),
        room.t === 'd' ? null : button('Members', icon('people'), () => this.openPanel('members')),
        button('Room information', icon('info'), () => this.openPanel('info')),
        button('More', icon('more'), (e) => this.roomMenu(e.currentTarget)))));
    const announcement = room.announcement;
    this.announcement.hidden = !announcement;
    this.announcement.textContent = announcement || '';
  }

  renderFooter() {
    const room = this.room;
    const sub = this.sub;
    let content;
    if (room.archived) content = h('div', { class: 'footer-note' }, 'This room is archived.');
    else if (!sub && room.t === 'c') {
      content = h('div', { class: 'footer-note' }, 'You are previewing this channel. ',
        h('button', { type: 'button', class: 'button button-primary', onclick: () => this.join() }, 'Join'));
    } else if (room.ro && !store.can('post-readonly', this.rid)) content = h('div', { class: 'footer-note' }, 'Only some people can post in this room.');
    else {
      if (!this.composer) {
        this.composer = new Composer({
          rid: this.rid,
          label: `Message ${room.t === 'd' ? '@' : '#'}${this.title()}`,
          onSend: (text) => this.send(text),
          onEdit: (m, text) => this.edit(m, text),
          lastOwn: () => this.lastOwn(),
          members: () => this.members(),
        });
      }
      content = this.composer.el;
    }
    if (this.footer.firstChild !== content) replace(this.footer, content);
  }

  async join() {
    try {
      await store.ddp.call('joinRoom', this.rid);
      await store.syncChanges();
      this.renderFooter();
      this.composer?.focus();
    } catch (err) {
      showError(err);
    }
  }

  async toggleFavourite() {
    const sub = this.sub;
    if (!sub) return;
    try {
      await api.post('rooms.favorite', { roomId: this.rid, favorite: !sub.f });
      sub.f = !sub.f;
      store.emit('subs');
    } catch (err) {
      showError(err);
    }
  }

  roomMenu(anchor) {
    const sub = this.sub;
    popupMenu(anchor, [
      { label: 'Pinned messages', action: () => this.openPanel('pinned') },
      { label: 'Starred messages', action: () => this.openPanel('starred') },
      { label: 'Threads', action: () => this.openPanel('threads') },
      this.room.t !== 'd' && store.settings.Discussion_enabled !== false ? { label: 'Start a discussion', action: () => createDiscussionDialog(this.rid) } : null,
      sub && sub.unread === 0 ? { label: 'Mark as unread', action: () => api.post('subscriptions.unread', { roomId: this.rid }).then(() => store.syncChanges()).catch(showError) } : null,
      sub && this.room.t !== 'd' ? { label: 'Leave room', danger: true, action: () => this.leave() } : null,
      sub ? { label: 'Hide from sidebar', action: () => this.hide() } : null,
    ], { label: 'Room actions' });
  }

  async leave() {
    if (!(await confirmDialog(`Leave ${this.title()}?`, { confirm: 'Leave', danger: true }))) return;
    try {
      await store.ddp.call('leaveRoom', this.rid);
      navigate('/home');
    } catch (err) {
      showError(err);
    }
  }

  async hide() {
    try {
      await store.ddp.call('hideRoom', this.rid);
      await store.syncChanges();
      navigate('/home');
    } catch (err) {
      showError(err);
    }
  }

  // ---- panels ----------------------------------------------------------------------------

  openPanel(kind, arg) {
    this.panel?.destroy?.();
    const views = {
      thread: () => new ThreadPanel(this, arg),
      members: () => new MembersPanel(this),
      info: () => new InfoPanel(this),
      search: () => new SearchPanel(this),
      pinned: () => new ListPanel(this, 'Pinned messages', 'chat.getPinnedMessages'),
      starred: () => new ListPanel(this, 'Starred messages', 'chat.getStarredMessages'),
      threads: () => new ListPanel(this, 'Threads', 'chat.getThreadsList'),
      user: () => new UserPanel(this, arg),
    };
    this.panel = views[kind]();
    replace(this.panelEl, this.panel.el);
    this.panelEl.hidden = false;
    this.panelEl.setAttribute('aria-label', this.panel.label || 'Details');
    this.el.classList.add('with-panel');
    this.panel.focus?.();
  }

  closePanel() {
    if (!this.panel) return false;
    this.panel.destroy?.();
    this.panel = null;
    this.panelEl.hidden = true;
    this.panelEl.replaceChildren();
    this.el.classList.remove('with-panel');
    this.composer?.focus();
    return true;
  }

  openThread(tmid, highlight) {
    if (this.panel instanceof ThreadPanel && this.panel.tmid === tmid) {
      if (highlight) this.panel.highlight(highlight);
      return;
    }
    this.openPanel('thread', { tmid, highlight });
  }

  async members() {
    if (this.memberCache && Date.now() - this.memberCache.at < 60000) return this.memberCache.users;
    try {
      const r = await store.ddp.call('getUsersOfRoom', this.rid, true, { limit: 100, skip: 0 }, '');
      this.memberCache = { at: Date.now(), users: r.records };
      return r.records;
    } catch {
      return [];
    }
  }

  // ---- loading ---------------------------------------------------------------------------

  async load(msgId) {
    // A room hidden from the sidebar comes back when it is opened, as in Rocket.Chat.
    if (this.sub && this.sub.open === false) store.ddp.call('openRoom', this.rid).then(() => store.syncChanges()).catch(() => null);
    this.loading = true;
    try {
      if (msgId) await this.loadAround(msgId);
      else await this.loadLatest();
    } finally {
      this.loading = false;
    }
    this.loaded = true;
    const buffered = this.buffer;
    this.buffer = [];
    for (const m of buffered) this.received(m);
    this.fill();
  }

  async loadLatest() {
    const sub = this.sub;
    const r = await store.ddp.call('loadHistory', this.rid, null, PAGE, null, false);
    performance.mark('chinwag:history');
    const list = r.messages.map(normalize).filter(inTimeline).reverse();
    this.hasOlder = r.messages.length >= PAGE;
    this.hasNewer = false;
    this.dividerId = null;
    if (sub && sub.unread > 0 && sub.ls) {
      const ls = toDate(sub.ls);
      const first = list.find((m) => toDate(m.ts) > ls && m.u?._id !== store.uid);
      this.dividerId = first?._id || null;
    }
    this.setMessages(list);
    const divider = this.dividerId && this.rows.get(this.dividerId);
    if (divider && divider.offsetTop > this.timeline.clientHeight / 2) {
      this.timeline.scrollTop = divider.offsetTop - 80;
      this.atBottom = false;
    } else this.scrollToBottom();
    this.markRead();
  }

  async loadAround(id) {
    const r = await store.ddp.call('loadSurroundingMessages', { _id: id, rid: this.rid }, PAGE);
    const list = r.messages.map(normalize);
    const target = list.find((m) => m._id === id);
    const main = list.filter(inTimeline).sort((a, b) => a.ts - b.ts);
    this.hasOlder = !!r.moreBefore;
    this.hasNewer = !!r.moreAfter;
    this.dividerId = null;
    this.setMessages(main);
    this.showJump();
    if (target && !inTimeline(target)) {
      this.scrollToBottom();
      this.openThread(target.tmid, id);
      return;
    }
    this.highlight(id);
    this.markRead();
  }

  highlight(id) {
    const row = this.rows.get(id);
    if (!row) return;
    this.timeline.scrollTop = row.offsetTop - this.timeline.clientHeight / 3;
    this.atBottom = false;
    const el = row.querySelector('.message');
    el.classList.add('highlight');
    el.focus({ preventScroll: true });
    setTimeout(() => el.classList.remove('highlight'), 4000);
  }

  /** Keep loading older pages while they do not fill the screen. */
  async fill() {
    while (this.hasOlder && this.timeline.scrollHeight <= this.timeline.clientHeight + NEAR_TOP && this.el.isConnected) {
      const before = this.order.length;
      await this.loadOlder();
      if (this.order.length === before) break;
    }
    this.drawTop();
  }

  async loadOlder() {
    if (this.loading || !this.hasOlder) return;
    this.loading = true;
    this.top.textContent = 'Loading older messages…';
    try {
      const oldest = this.messages.get(this.order[0]);
      const r = await store.ddp.call('loadHistory', this.rid, oldest ? oldest.ts : null, PAGE, null, false);
      this.hasOlder = r.messages.length >= PAGE;
      const older = r.messages.map(normalize).filter((m) => inTimeline(m) && !this.messages.has(m._id)).reverse();
      this.keepPlace(() => this.prepend(older));
    } catch (err) {
      showError(err);
    } finally {
      this.loading = false;
      this.drawTop();
    }
  }

  async loadNewer() {
    if (this.loading || !this.hasNewer) return;
    this.loading = true;
    try {
      const newest = this.messages.get(this.order[this.order.length - 1]);
      const r = await store.ddp.call('loadNextMessages', this.rid, newest ? newest.ts : null, PAGE);
      this.hasNewer = r.messages.length >= PAGE;
      for (const m of r.messages.map(normalize)) if (inTimeline(m) && !this.messages.has(m._id)) this.append(m);
      this.showJump();
    } catch (err) {
      showError(err);
    } finally {
      this.loading = false;
    }
  }

  drawTop() {
    if (this.hasOlder) this.top.textContent = '';
    else replace(this.top, h('div', { class: 'room-start' }, h('strong', null, this.title()), h('div', { class: 'muted' }, 'This is the start of the conversation.')));
  }

  async jumpToLatest() {
    if (this.hasNewer) {
      navigate(roomPath(this.sub || this.room), { replace: true });
      return;
    }
    this.scrollToBottom();
    this.showJump();
  }

  /** After a reconnection: what changed in the room while we were away. */
  async catchUp() {
    if (!this.loaded || this.hasNewer) return;
    try {
      if (!this.lastUpdate) {
        await this.reload();
        return;
      }
      const r = await api.get('chat.syncMessages', { roomId: this.rid, lastUpdate: new Date(this.lastUpdate.getTime() - 1000).toISOString() });
      if (r.result.updated.length > 200) {
        await this.reload();
        return;
      }
      for (const m of r.result.updated.sort((a, b) => toDate(a.ts) - toDate(b.ts))) this.received(m);
      for (const d of r.result.deleted) this.removed(d._id);
    } catch (err) {
      console.error(err);
    }
  }

  async reload() {
    this.loaded = false;
    await this.load(null);
  }

  // ---- the timeline ----------------------------------------------------------------------

  row(message, prev) {
    const row = h('div', { class: 'row', 'data-row': message._id });
    const newDay = !prev || !sameDay(prev.ts, message.ts);
    if (newDay) row.append(h('div', { class: 'date-sep', role: 'separator' }, h('span', null, formatDay(message.ts))));
    const divider = this.dividerId === message._id;
    if (divider) row.append(h('div', { class: 'new-divider', role: 'separator', 'aria-label': 'New messages' }, h('span', null, 'New messages')));
    message.mentionsMe = message.u?._id !== store.uid && (message.mentions || []).some((u) => u._id === store.uid || u.username === 'all' || u.username === 'here');
    row.append(renderMessage(message, { grouped: !newDay && !divider && canGroup(prev, message), actions: this.actions }));
    return row;
  }

  note(message) {
    const at = toDate(message._updatedAt);
    if (at && (!this.lastUpdate || at > this.lastUpdate)) this.lastUpdate = at;
  }

  setMessages(list) {
    this.messages.clear();
    this.rows.clear();
    this.order = [];
    const fragment = document.createDocumentFragment();
    let prev = null;
    for (const m of list) {
      this.messages.set(m._id, m);
      this.order.push(m._id);
      this.note(m);
      const row = this.row(m, prev);
      this.rows.set(m._id, row);
      fragment.append(row);
      prev = m;
    }
    this.list.replaceChildren(fragment);
    this.drawTop();
  }

  prepend(older) {
    if (older.length === 0) return;
    const fragment = document.createDocumentFragment();
    let prev = null;
    for (const m of older) {
      this.messages.set(m._id, m);
      this.note(m);
      const row = this.row(m, prev);
      this.rows.set(m._id, row);
      fragment.append(row);
      prev = m;
    }
    const firstId = this.order[0];
    this.order = [...older.map((m) => m._id), ...this.order];
    this.list.prepend(fragment);
    if (firstId) this.redraw(firstId);
  }

  append(message) {
    const prev = this.messages.get(this.order[this.order.length - 1]) || null;
    this.messages.set(message._id, message);
    this.order.push(message._id);
    const row = this.row(message, prev);
    this.rows.set(message._id, row);
    this.list.append(row);
  }

  insert(message) {
    const ts = toDate(message.ts);
    let i = this.order.length;
    while (i > 0 && this.messages.get(this.order[i - 1]).ts > ts) i -= 1;
    const prev = i > 0 ? this.messages.get(this.order[i - 1]) : null;
    this.messages.set(message._id, message);
    this.order.splice(i, 0, message._id);
    const row = this.row(message, prev);
    this.rows.set(message._id, row);
    const next = this.rows.get(this.order[i + 1]);
    this.list.insertBefore(row, next || null);
    if (this.order[i + 1]) this.redraw(this.order[i + 1]);
  }

  redraw(id) {
    const i = this.order.indexOf(id);
    const old = this.rows.get(id);
    if (i < 0 || !old) return;
    const prev = i > 0 ? this.messages.get(this.order[i - 1]) : null;
    const row = this.row(this.messages.get(id), prev);
    const hadFocus = old.contains(document.activeElement);
    old.replaceWith(row);
    this.rows.set(id, row);
    if (hadFocus) row.querySelector('.message')?.focus({ preventScroll: true });
  }

  firstVisibleRow() {
    const rows = this.list.children;
    const top = this.timeline.scrollTop;
    let lo = 0, hi = rows.length - 1, found = null;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      const el = rows[mid];
      if (el.offsetTop + el.offsetHeight > top) {
        found = el;
        hi = mid - 1;
      } else lo = mid + 1;
    }
    return found;
  }

  /** Change the timeline without moving what the reader is looking at. */
  keepPlace(change) {
    if (this.atBottom && !this.hasNewer) {
      change();
      this.scrollToBottom();
      return;
    }
    const anchor = this.firstVisibleRow();
    const id = anchor?.dataset.row;
    const before = anchor ? anchor.getBoundingClientRect().top : 0;
    change();
    const after = id && this.rows.get(id);
    if (after?.isConnected) this.timeline.scrollTop += after.getBoundingClientRect().top - before;
  }

  scrollToBottom() {
    this.timeline.scrollTop = this.timeline.scrollHeight;
    this.atBottom = true;
  }

  scrolled() {
    const t = this.timeline;
    this.atBottom = t.scrollHeight - t.scrollTop - t.clientHeight < NEAR_BOTTOM;
    if (t.scrollTop < NEAR_TOP && this.hasOlder && this.loaded) this.loadOlder();
    if (this.hasNewer && t.scrollHeight - t.scrollTop - t.clientHeight < NEAR_TOP && this.loaded) this.loadNewer();
    if (this.atBottom) this.readIfSeen();
    this.showJump();
  }

  showJump() {
    const show = this.hasNewer || (!this.atBottom && this.unseen);
    this.jump.hidden = !show;
    this.jump.textContent = this.hasNewer ? 'Jump to latest ↓' : 'New messages ↓';
    if (this.atBottom) this.unseen = false;
  }

  // ---- live changes ----------------------------------------------------------------------

  received(message) {
    if (!this.loaded) {
      this.buffer.push(message);
      return;
    }
    normalize(message);
    this.note(message);
    if (!inTimeline(message)) {
      this.threadReply(message);
      return;
    }
    if (this.panel instanceof ThreadPanel) this.panel.parentChanged(message);
    const known = this.messages.get(message._id);
    if (known) {
      this.messages.set(message._id, message);
      this.keepPlace(() => this.redraw(message._id));
      const next = this.order[this.order.indexOf(message._id) + 1];
      if (next) this.redraw(next);
      return;
    }
    if (this.hasNewer) return;
    const last = this.messages.get(this.order[this.order.length - 1]);
    const mine = message.u?._id === store.uid;
    if (!last || message.ts >= last.ts) {
      const stick = this.atBottom || mine;
      this.append(message);
      if (stick) this.scrollToBottom();
      else {
        this.unseen = true;
        this.showJump();
      }
    } else if (this.order.length && message.ts > this.messages.get(this.order[0]).ts) {
      this.keepPlace(() => this.insert(message));
    }
    if (!mine) this.readIfSeen();
  }

  threadReply(reply) {
    const parent = this.messages.get(reply.tmid);
    if (parent && !(toDate(parent._updatedAt) >= reply.ts) && !(parent.replyIds || new Set()).has(reply._id)) {
      parent.replyIds = parent.replyIds || new Set();
      parent.replyIds.add(reply._id);
      parent.tcount = (parent.tcount || 0) + 1;
      parent.tlm = reply.ts;
      this.keepPlace(() => this.redraw(parent._id));
    }
    if (this.panel instanceof ThreadPanel && this.panel.tmid === reply.tmid) this.panel.received(reply);
  }

  removed(id) {
    if (this.panel instanceof ThreadPanel) this.panel.removed(id);
    if (!this.messages.has(id)) return;
    const i = this.order.indexOf(id);
    this.keepPlace(() => {
      this.rows.get(id)?.remove();
      this.rows.delete(id);
      this.messages.delete(id);
      this.order.splice(i, 1);
      if (this.order[i]) this.redraw(this.order[i]);
    });
  }

  activity(username, activities) {
    if (username === store.me?.username) return;
    clearTimeout(this.typing.get(username));
    if (activities && activities.length) {
      this.typing.set(username, setTimeout(() => {
        this.typing.delete(username);
        this.drawTyping();
      }, 10000));
    } else this.typing.delete(username);
    this.drawTyping();
  }

  drawTyping() {
    const names = [...this.typing.keys()];
    if (names.length === 0) this.typingEl.textContent = '';
    else if (names.length === 1) this.typingEl.textContent = `${names[0]} is typing…`;
    else if (names.length <= 3) this.typingEl.textContent = `${names.join(', ')} are typing…`;
    else this.typingEl.textContent = 'Several people are typing…';
  }

  readIfSeen() {
    const sub = this.sub;
    if (!sub || document.visibilityState !== 'visible' || !this.atBottom || this.hasNewer) return;
    if (sub.unread > 0 || sub.alert || sub.userMentions > 0) this.markRead();
  }

  markRead = debounce(() => {
    if (!this.sub || document.visibilityState !== 'visible') return;
    store.ddp.call('readMessages', this.rid).catch(() => null);
  }, 400);

  // ---- sending and acting on messages -------------------------------------------------

  async send(text, tmid, tshow) {
    const message = { _id: randomId(), rid: this.rid, msg: text };
    if (tmid) {
      message.tmid = tmid;
      if (tshow) message.tshow = true;
    }
    const shown = { ...message, ts: new Date(), _updatedAt: new Date(0), u: { _id: store.uid, username: store.me.username, name: store.me.name }, pending: true };
    if (inTimeline(shown) && !this.hasNewer) {
      this.dividerId = null;
      this.append(shown);
      this.scrollToBottom();
    }
    await this.deliver(message);
  }

  async deliver(message) {
    try {
      const sent = await store.ddp.call('sendMessage', message);
      if (sent) this.received(sent);
    } catch (err) {
      if (err.error === 'error-message-already-exists') return;
      const shown = this.messages.get(message._id);
      if (shown) {
        shown.pending = false;
        shown.failed = true;
        shown.request = message;
        this.redraw(message._id);
      }
      showError(err);
    }
  }

  async edit(message, text) {
    try {
      await store.ddp.call('updateMessage', { _id: message._id, rid: this.rid, msg: text });
    } catch (err) {
      showError(err);
    }
  }

  lastOwn() {
    for (let i = this.order.length - 1; i >= 0; i -= 1) {
      const m = this.messages.get(this.order[i]);
      if (m.u?._id === store.uid && !m.t) return !m.pending && !m.failed && this.canEdit(m) ? m : null;
    }
    return null;
  }

  canEdit(m) {
    if (m.t) return false;
    if (store.can('edit-message', this.rid)) return true;
    const bypass = store.can('bypass-time-limit-edit-and-delete', this.rid);
    return m.u?._id === store.uid && store.settings.Message_AllowEditing !== false
      && (bypass || withinMinutes(m, 'Message_AllowEditing_BlockEditInMinutes'));
  }

  canDelete(m) {
    if (store.can('force-delete-message', this.rid)) return true;
    if (store.settings.Message_AllowDeleting === false) return false;
    const own = m.u?._id === store.uid;
    const allowed = store.can('delete-message', this.rid) || (own && store.can('delete-own-message', this.rid));
    const bypass = store.can('bypass-time-limit-edit-and-delete', this.rid);
    return allowed && (bypass || withinMinutes(m, 'Message_AllowDeleting_BlockDeleteInMinutes'));
  }

  makeActions() {
    return {
      react: (m, name) => store.ddp.call('setReaction', name.startsWith(':') ? name : `:${name}:`, m._id).catch(showError),
      pickReaction: (m, anchor) => emojiPicker(anchor, (name) => this.actions.react(m, `:${name}:`)),
      openThread: (tmid) => this.openThread(tmid),
      openUser: (username) => username && this.openPanel('user', username),
      openRoomId: (rid) => this.workspace.openRoomById(rid),
      openLink: (url) => {
        const safe = safeHref(url);
        if (!safe) return;
        const path = internalPath(safe);
        if (path) navigate(path);
        else window.open(safe, '_blank', 'noopener,noreferrer');
      },
      retry: (m) => {
        m.failed = false;
        m.pending = true;
        this.redraw(m._id);
        this.deliver(m.request);
      },
      discard: (m) => this.removed(m._id),
      menu: (m, anchor) => this.messageMenu(m, anchor),
      edit: (m) => this.composer?.edit(m),
      quote: (m) => {
        this.composer?.insert(quoteText(m));
      },
    };
  }

  messageMenu(m, anchor, composer = this.composer) {
    const starred = (m.starred || []).some((s) => s._id === store.uid);
    const canPin = store.settings.Message_AllowPinning !== false && store.can('pin-message', this.rid);
    popupMenu(anchor, [
      composer ? { label: 'Quote', action: () => composer.insert(quoteText(m)) } : null,
      { label: 'Copy link', action: () => copyText(permalink(this.sub || this.room, m._id)) },
      this.canEdit(m) && composer ? { label: 'Edit', action: () => composer.edit(m) } : null,
      canPin ? { label: m.pinned ? 'Unpin' : 'Pin', action: () => store.ddp.call(m.pinned ? 'unpinMessage' : 'pinMessage', { _id: m._id, rid: this.rid }).catch(showError) } : null,
      this.sub && store.settings.Message_AllowStarring !== false ? {
        label: starred ? 'Unstar' : 'Star',
        action: async () => {
          try {
            await store.ddp.call('starMessage', { _id: m._id, rid: this.rid, starred: !starred });
            m.starred = starred ? (m.starred || []).filter((s) => s._id !== store.uid) : [...(m.starred || []), { _id: store.uid }];
            if (this.messages.has(m._id)) this.redraw(m._id);
            toast(starred ? 'Unstarred' : 'Starred');
          } catch (err) {
            showError(err);
          }
        },
      } : null,
      this.room.t !== 'd' && store.settings.Discussion_enabled !== false && !m.tmid ? { label: 'Start a discussion', action: () => createDiscussionDialog(this.rid, m) } : null,
      this.canDelete(m) ? {
        label: 'Delete',
        danger: true,
        action: async () => {
          if (!(await confirmDialog('Delete this message? This cannot be undone.', { confirm: 'Delete', danger: true }))) return;
          store.ddp.call('deleteMessage', { _id: m._id }).catch(showError);
        },
      } : null,
    ], { label: 'Message actions' });
  }
}
