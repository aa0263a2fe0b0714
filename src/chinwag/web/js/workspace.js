// The signed-in layout: sidebar, the main view for the current path, the connection banner,
// the tab title, desktop notifications and the global keys.

import { api } from './api.js';
import { h, replace } from './dom.js';
import { adminPage } from './admin.js';
import { accountPage, applyPreferences, directoryPage, homePage, searchPage } from './pages.js';
import { RoomView } from './room.js';
import { navigate, roomPath } from './router.js';
import { displayName, Sidebar } from './sidebar.js';
import { store } from './store.js';
import { quickSwitcher } from './switcher.js';
import { showError } from './ui.js';

const ROOM_KINDS = { channel: 'c', group: 'p', direct: 'd' };

function roomFromSub(sub) {
  return { _id: sub.rid, t: sub.t, name: sub.name, fname: sub.fname, prid: sub.prid };
}

export class Workspace {
  constructor(root) {
    this.sidebar = new Sidebar(this);
    this.main = h('main', { class: 'main', id: 'main' });
    this.banner = h('div', { class: 'connection-banner', role: 'status', hidden: true });
    this.el = h('div', { class: 'workspace' }, this.sidebar.el, h('div', { class: 'main-col' }, this.banner, this.main));
    replace(root, this.el);
    this.view = null;
    this.activeRid = null;
    this.seq = 0;
    this.onKey = (e) => this.key(e);
    this.onOnline = () => store.ddp?.reconnectNow();
    document.addEventListener('keydown', this.onKey);
    window.addEventListener('online', this.onOnline);
    document.addEventListener('visibilitychange', this.onOnline);
    this.offs = [
      store.on('connection', (s) => this.connection(s)),
      store.on('subs', () => this.title()),
      store.on('settings', () => this.title()),
      store.on('notification', (n) => this.notify(n)),
      store.on('me', () => applyPreferences(store.me?.settings?.preferences)),
    ];
    applyPreferences(store.me?.settings?.preferences);
  }

  destroy() {
    this.view?.destroy?.();
    this.sidebar.destroy();
    for (const off of this.offs) off();
    document.removeEventListener('keydown', this.onKey);
    window.removeEventListener('online', this.onOnline);
    document.removeEventListener('visibilitychange', this.onOnline);
  }

  showSidebar() {
    this.el.classList.add('show-sidebar');
  }

  connection(status) {
    const lost = status === 'offline' || (status === 'connecting' && store.ddp?.everConnected);
    this.banner.hidden = !lost;
    this.banner.textContent = lost ? 'Connection lost. Reconnecting…' : '';
    document.documentElement.classList.toggle('offline', lost);
  }

  title() {
    const total = store.unreadTotal();
    const site = store.settings.Site_Name || 'Chinwag';
    const here = this.view instanceof RoomView ? this.view.title() : this.pageTitle;
    document.title = `${total ? `(${total}) ` : ''}${here ? `${here} · ` : ''}${site}`;
  }

  key(e) {
    if ((e.ctrlKey || e.metaKey) && e.key.toLowerCase() === 'k') {
      e.preventDefault();
      quickSwitcher();
    } else if (e.key === 'Escape' && !e.defaultPrevented && !document.querySelector('dialog[open]')) {
      if (this.view instanceof RoomView && this.view.closePanel()) e.preventDefault();
      else this.el.classList.remove('show-sidebar');
    }
  }

  notify(notice) {
    if (!('Notification' in window) || Notification.permission !== 'granted' || !document.hidden) return;
    const payload = notice.payload || {};
    const note = new Notification(notice.title, {
      body: notice.text,
      tag: payload._id,
      icon: payload.sender ? `/avatar/${encodeURIComponent(payload.sender.username)}` : undefined,
    });
    note.onclick = () => {
      window.focus();
      this.openRoomById(payload.rid, payload._id);
      note.close();
    };
  }

  async openRoomById(rid, messageId) {
    try {
      let target = store.subs.get(rid);
      if (!target) target = (await api.get('rooms.info', { roomId: rid })).room;
      navigate(`${roomPath(target)}${messageId ? `?msg=${encodeURIComponent(messageId)}` : ''}`);
    } catch (err) {
      showError(err);
    }
  }

  async resolve(kind, arg) {
    const subs = [...store.subs.values()];
    if (kind === 'direct') {
      const sub = store.subs.get(arg) || subs.find((s) => s.t === 'd' && s.name === arg);
      if (sub) return { rid: sub.rid, room: store.rooms.get(sub.rid) || roomFromSub(sub) };
      try {
        const r = await api.get('rooms.info', { roomId: arg });
        return { rid: r.room._id, room: r.room };
      } catch {
        const r = await store.ddp.call('createDirectMessage', arg);
        await store.syncChanges();
        return { rid: r.rid, room: store.rooms.get(r.rid) || { _id: r.rid, t: 'd', usernames: r.usernames } };
      }
    }
    const t = ROOM_KINDS[kind];
    const sub = subs.find((s) => s.name === arg && s.t === t) || subs.find((s) => s.t !== 'd' && s.name === arg);
    if (sub) return { rid: sub.rid, room: store.rooms.get(sub.rid) || roomFromSub(sub) };
    const r = await api.get('rooms.info', { roomName: arg });
    return { rid: r.room._id, room: r.room };
  }

  async show(route) {
    const seq = ++this.seq;
    this.el.classList.remove('show-sidebar');
    if (route.name in ROOM_KINDS) {
      const messageId = route.query.get('msg');
      let found;
      try {
        found = await this.resolve(route.name, route.arg);
      } catch (err) {
        if (seq !== this.seq) return;
        this.page(h('div', { class: 'page' }, h('div', { class: 'page-body' }, h('h1', null, 'Room not found'),
          h('p', { class: 'muted' }, err.message || 'It may be private, or it may not exist.'))), 'Not found');
        return;
      }
      if (seq !== this.seq) return;
      if (this.view instanceof RoomView && this.view.rid === found.rid) {
        if (messageId || this.view.hasNewer) {
          this.view.loaded = false;
          await this.view.load(messageId);
        }
        return;
      }
      this.view?.destroy?.();
      const view = new RoomView(this, found.rid, found.room);
      this.view = view;
      this.activeRid = found.rid;
      store.openRid = found.rid;
      replace(this.main, view.el);
      this.sidebar.renderList();
      this.title();
      try {
        await view.load(messageId);
      } catch (err) {
        showError(err);
      }
      if (seq === this.seq && !messageId) view.composer?.focus();
      return;
    }
    let content, title;
    switch (route.name) {
      case 'directory':
        [content, title] = [directoryPage(), 'Directory'];
        break;
      case 'search':
        [content, title] = [searchPage(route.query.get('q')), 'Search'];
        break;
      case 'account':
        [content, title] = [accountPage(), 'Profile'];
        break;
      case 'admin':
        if (!store.isAdmin()) {
          navigate('/home', { replace: true });
          return;
        }
        [content, title] = [adminPage(route.arg), 'Administration'];
        break;
      default:
        [content, title] = [homePage(), 'Home'];
    }
    this.page(content, title);
  }

  page(content, title) {
    this.view?.destroy?.();
    this.view = null;
    this.activeRid = null;
    store.openRid = null;
    this.pageTitle = title;
    replace(this.main, content);
    this.sidebar.renderList();
    this.title();
    content.querySelector('h1')?.setAttribute('tabindex', '-1');
  }
}

export { displayName };
