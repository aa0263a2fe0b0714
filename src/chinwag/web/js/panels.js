// A room's side panels: a thread, members, room information and settings, search in the
// room, pinned / starred / threads lists, and a person's card.

import { api } from './api.js';
import { avatar, debounce, h, icon, replace, statusDot, toDate } from './dom.js';
import { Composer } from './composer.js';
import { canGroup, normalize, renderMessage } from './message.js';
import { navigate, roomPath } from './router.js';
import { openDirect, userPicker } from './sidebar.js';
import { store } from './store.js';
import { checkbox, confirmDialog, field, modal, showError, submitting, toast } from './ui.js';

class Panel {
  constructor(room, label) {
    this.room = room;
    this.label = label;
    this.body = h('div', { class: 'panel-body' });
    this.closeButton = h('button', { type: 'button', class: 'icon-button', 'aria-label': `Close ${label.toLowerCase()}`, onclick: () => room.closePanel() }, icon('close'));
    this.el = h('div', { class: 'panel-inner' },
      h('header', { class: 'panel-head' }, h('h2', null, label), this.closeButton),
      this.body);
  }

  focus() {
    this.closeButton.focus();
  }

  destroy() {}
}

function jumpButton(room, message) {
  return h('button', {
    type: 'button', class: 'link-button',
    onclick: () => navigate(`${roomPath(room.sub || room.room)}?msg=${encodeURIComponent(message._id)}`),
  }, 'Jump to message');
}

function messageList(room, messages, empty) {
  if (!messages.length) return h('p', { class: 'muted panel-empty' }, empty);
  return h('div', { class: 'panel-messages' }, messages.map((m) => h('div', { class: 'panel-result' },
    renderMessage(normalize(m), { grouped: false, actions: room.actions, thread: true }),
    jumpButton(room, m))));
}

export class ThreadPanel extends Panel {
  constructor(room, { tmid, highlight }) {
    super(room, 'Thread');
    this.tmid = tmid;
    this.target = highlight;
    this.parent = room.messages.get(tmid) || null;
    this.replies = new Map();
    this.scroller = h('div', { class: 'thread-scroll', role: 'log', 'aria-label': 'Thread messages' });
    this.composer = new Composer({
      rid: room.rid,
      tmid,
      label: 'Reply in thread',
      onSend: (text, { tshow }) => room.send(text, tmid, tshow),
      onEdit: (m, text) => room.edit(m, text),
      lastOwn: () => {
        const mine = [...this.replies.values()].filter((m) => m.u?._id === store.uid && !m.t);
        const last = mine.sort((a, b) => toDate(a.ts) - toDate(b.ts)).pop();
        return last && room.canEdit(last) ? last : null;
      },
      members: () => room.members(),
    });
    this.actions = {
      ...room.actions,
      menu: (m, anchor) => room.messageMenu(m, anchor, this.composer),
    };
    replace(this.body, this.scroller, this.composer.el);
    this.body.classList.add('thread-body');
    this.load();
  }

  focus() {
    this.composer.focus();
  }

  async load() {
    try {
      const [parent, replies] = await Promise.all([
        this.parent ? Promise.resolve(this.parent) : store.ddp.call('getSingleMessage', this.tmid),
        api.get('chat.getThreadMessages', { tmid: this.tmid, count: 100 }),
      ]);
      this.parent = normalize(parent);
      for (const m of replies.messages.map(normalize)) this.replies.set(m._id, m);
      this.draw(true);
      if (this.target) this.highlight(this.target);
    } catch (err) {
      showError(err);
    }
  }

  draw(toBottom) {
    const s = this.scroller;
    const stick = toBottom || s.scrollHeight - s.scrollTop - s.clientHeight < 60;
    const sorted = [...this.replies.values()].sort((a, b) => toDate(a.ts) - toDate(b.ts));
    let prev = null;
    const rows = sorted.map((m) => {
      const el = renderMessage(m, { grouped: canGroup(prev, m), actions: this.actions, thread: true });
      prev = m;
      return el;
    });
    replace(s,
      this.parent ? h('div', { class: 'thread-parent' }, renderMessage(this.parent, { grouped: false, actions: this.actions, thread: true })) : null,
      h('div', { class: 'thread-count muted' }, `${sorted.length} ${sorted.length === 1 ? 'reply' : 'replies'}`),
      rows);
    if (stick) s.scrollTop = s.scrollHeight;
  }

  highlight(id) {
    const el = this.scroller.querySelector(`[data-id="${CSS.escape(id)}"]`);
    if (!el) return;
    el.scrollIntoView({ block: 'center' });
    el.classList.add('highlight');
  }

  received(reply) {
    this.replies.set(reply._id, reply);
    this.draw(reply.u?._id === store.uid);
  }

  parentChanged(message) {
    if (message._id !== this.tmid) return;
    this.parent = message;
    this.draw(false);
  }

  removed(id) {
    if (this.replies.delete(id)) this.draw(false);
  }

  destroy() {
    this.composer.stopTyping();
  }
}

export class ListPanel extends Panel {
  constructor(room, title, endpoint) {
    super(room, title);
    this.endpoint = endpoint;
    this.load();
  }

  async load() {
    replace(this.body, h('p', { class: 'muted panel-empty' }, 'Loading…'));
    try {
      if (this.endpoint === 'chat.getThreadsList') {
        const r = await api.get(this.endpoint, { rid: this.room.rid, count: 50 });
        replace(this.body, r.threads.length ? h('div', { class: 'panel-messages' }, r.threads.map((t) => h('div', { class: 'panel-result' },
          renderMessage(normalize(t), { grouped: false, actions: this.room.actions, thread: true }),
          h('button', { type: 'button', class: 'link-button', onclick: () => this.room.openThread(t._id) }, `Open thread (${t.tcount || 0})`)))) : h('p', { class: 'muted panel-empty' }, 'No threads yet.'));
        return;
      }
      const r = await api.get(this.endpoint, { roomId: this.room.rid, count: 50 });
      replace(this.body, messageList(this.room, r.messages, 'Nothing here yet.'));
    } catch (err) {
      replace(this.body, h('p', { class: 'form-error' }, err.message));
    }
  }
}

export class SearchPanel extends Panel {
  constructor(room) {
    super(room, 'Search in room');
    this.input = h('input', { type: 'search', placeholder: 'Search messages', 'aria-label': 'Search messages in this room' });
    this.results = h('div', { class: 'search-results', 'aria-live': 'polite' });
    const run = debounce(() => this.search(), 250);
    this.input.addEventListener('input', run);
    replace(this.body, h('form', { class: 'panel-search', onsubmit: (e) => { e.preventDefault(); this.search(); } }, this.input), this.results);
  }

  focus() {
    this.input.focus();
  }

  async search() {
    const text = this.input.value.trim();
    if (!text) {
      this.results.replaceChildren();
      return;
    }
    try {
      const r = await api.get('chat.search', { roomId: this.room.rid, searchText: text, count: 50 });
      if (this.input.value.trim() !== text) return;
      replace(this.results, messageList(this.room, r.messages, 'No messages found.'));
    } catch (err) {
      replace(this.results, h('p', { class: 'form-error' }, err.message));
    }
  }
}

export class MembersPanel extends Panel {
  constructor(room) {
    super(room, 'Members');
    this.filter = h('input', { type: 'search', placeholder: 'Filter members', 'aria-label': 'Filter members' });
    this.list = h('ul', { class: 'member-list', 'aria-label': 'Members' });
    this.users = [];
    this.total = 0;
    this.filter.addEventListener('input', debounce(() => this.load(), 250));
    const rid = room.rid;
    const tools = h('div', { class: 'panel-tools' },
      store.can('add-user-to-joined-room', rid) || store.can('add-user-to-any-c-room') ? h('button', { type: 'button', class: 'button', onclick: () => this.addPeople() }, 'Add people') : null,
      store.can('create-invite-links', rid) ? h('button', { type: 'button', class: 'button', onclick: () => inviteDialog(rid) }, 'Invite link') : null);
    this.count = h('p', { class: 'muted' });
    replace(this.body, tools, this.filter, this.count, this.list);
    this.off = store.on('presence', () => this.draw());
    this.load();
  }

  focus() {
    this.filter.focus();
  }

  destroy() {
    this.off();
  }

  async load() {
    try {
      const r = await store.ddp.call('getUsersOfRoom', this.room.rid, true, { limit: 100, skip: 0 }, this.filter.value.trim());
      this.users = r.records;
      this.total = r.total;
      store.watchPresence(this.users.map((u) => u._id));
      for (const u of this.users) if (!store.presence.has(u._id)) store.setPresence(u._id, u.status, u.statusText);
      this.draw();
    } catch (err) {
      showError(err);
    }
  }

  draw() {
    const order = { online: 0, busy: 1, away: 2, offline: 3 };
    const users = [...this.users].sort((a, b) => (order[store.status(a._id)] - order[store.status(b._id)]) || a.username.localeCompare(b.username));
    this.count.textContent = `${this.total} ${this.total === 1 ? 'member' : 'members'}`;
    replace(this.list, users.map((u) => h('li', null, h('button', {
      type: 'button', class: 'member', 'data-username': u.username,
      onclick: () => this.room.openPanel('user', u.username),
    }, h('span', { class: 'room-avatar' }, avatar(u.username, 28), statusDot(store.status(u._id))),
    h('span', { class: 'member-name' }, u.name || u.username), h('span', { class: 'muted' }, ` @${u.username}`)))));
  }

  addPeople() {
    const who = h('input', { name: 'usernames', required: true, placeholder: 'alice, bob' });
    const form = h('form', { class: 'form' }, field('Usernames', who), userPicker(who, { multiple: true }),
      h('p', { class: 'form-error', role: 'alert' }),
      h('div', { class: 'form-actions' }, h('button', { type: 'submit', class: 'button button-primary' }, 'Add')));
    const { close } = modal('Add people', form);
    submitting(form, async () => {
      const usernames = who.value.split(',').map((s) => s.trim().replace(/^@/, '')).filter(Boolean);
      const section = this.room.room.t === 'p' ? 'groups' : 'channels';
      await api.post(`${section}.invite`, { roomId: this.room.rid, usernames });
      close();
      this.room.memberCache = null;
      this.load();
    });
    who.focus();
  }
}

export function inviteDialog(rid) {
  const days = h('select', { name: 'days' }, [[1, '1 day'], [7, '7 days'], [15, '15 days'], [30, '30 days'], [0, 'Never']].map(([v, l]) => h('option', { value: v, selected: v === 7 }, l)));
  const uses = h('select', { name: 'maxUses' }, [[0, 'No limit'], [1, '1'], [5, '5'], [10, '10'], [25, '25'], [50, '50'], [100, '100']].map(([v, l]) => h('option', { value: v }, l)));
  const out = h('div', { class: 'invite-result' });
  const form = h('form', { class: 'form' }, field('Expires after', days), field('Maximum uses', uses),
    h('p', { class: 'form-error', role: 'alert' }),
    h('div', { class: 'form-actions' }, h('button', { type: 'submit', class: 'button button-primary' }, 'Create link')), out);
  modal('Invite people with a link', form);
  submitting(form, async () => {
    const r = await api.post('findOrCreateInvite', { rid, days: Number(days.value), maxUses: Number(uses.value) });
    const url = h('input', { type: 'text', readOnly: true, value: r.url, 'aria-label': 'Invite link', class: 'invite-url' });
    replace(out, field('Share this link', url), h('button', {
      type: 'button', class: 'button', onclick: async () => {
        try {
          await navigator.clipboard.writeText(r.url);
          toast('Link copied');
        } catch {
          url.select();
        }
      },
    }, 'Copy link'));
    url.select();
  });
}

export class InfoPanel extends Panel {
  constructor(room) {
    super(room, 'Room information');
    this.off = store.on('room-changed', (id) => {
      if (id === room.rid) this.draw();
    });
    this.draw();
  }

  destroy() {
    this.off();
  }

  draw() {
    const room = this.room.room;
    const rid = this.room.rid;
    const kind = room.t === 'd' ? 'Direct message' : room.prid ? 'Discussion' : room.t === 'p' ? 'Private group' : 'Public channel';
    const row = (label, value) => (value ? h('div', { class: 'info-row' }, h('dt', null, label), h('dd', null, value)) : null);
    const canEdit = room.t !== 'd' && store.can('edit-room', rid);
    replace(this.body,
      h('dl', { class: 'info' },
        row('Name', this.room.title()),
        row('Type', kind),
        row('Topic', room.topic),
        row('Description', room.description),
        row('Announcement', room.announcement),
        row('Members', room.usersCount ? String(room.usersCount) : null),
        row('Read-only', room.ro ? 'Yes' : null),
        row('Archived', room.archived ? 'Yes' : null)),
      canEdit ? this.editForm(room) : null,
      h('div', { class: 'panel-tools' },
        room.t !== 'd' && store.can(room.archived ? 'unarchive-room' : 'archive-room', rid) ? h('button', { type: 'button', class: 'button', onclick: () => this.archive(!room.archived) }, room.archived ? 'Unarchive' : 'Archive') : null,
        store.can(room.t === 'p' ? 'delete-p' : room.t === 'd' ? 'delete-d' : 'delete-c', rid) && room._id !== 'GENERAL' ? h('button', { type: 'button', class: 'button button-danger', onclick: () => this.erase() }, 'Delete room') : null));
  }

  editForm(room) {
    const rid = this.room.rid;
    const name = h('input', { name: 'name', value: room.name || '', required: true });
    const topic = h('input', { name: 'topic', value: room.topic || '' });
    const description = h('textarea', { name: 'description', rows: '2' });
    description.value = room.description || '';
    const announcement = h('textarea', { name: 'announcement', rows: '2' });
    announcement.value = room.announcement || '';
    const readOnly = h('input', { type: 'checkbox', checked: !!room.ro, disabled: !store.can('set-readonly', rid) });
    const isPrivate = h('input', { type: 'checkbox', checked: room.t === 'p', disabled: !store.can(room.t === 'p' ? 'create-c' : 'create-p') });
    const form = h('form', { class: 'form', 'aria-label': 'Room settings' },
      h('h3', null, 'Settings'),
      field('Name', name), field('Topic', topic), field('Description', description), field('Announcement', announcement),
      checkbox('Read-only', readOnly), checkbox('Private', isPrivate),
      h('p', { class: 'form-error', role: 'alert' }),
      h('div', { class: 'form-actions' }, h('button', { type: 'submit', class: 'button button-primary' }, 'Save')));
    submitting(form, async () => {
      const changes = {};
      if (name.value.trim() !== (room.name || '')) changes.roomName = name.value.trim();
      if (topic.value !== (room.topic || '')) changes.roomTopic = topic.value;
      if (description.value !== (room.description || '')) changes.roomDescription = description.value;
      if (announcement.value !== (room.announcement || '')) changes.roomAnnouncement = announcement.value;
      if (readOnly.checked !== !!room.ro) changes.readOnly = readOnly.checked;
      if (isPrivate.checked !== (room.t === 'p')) changes.roomType = isPrivate.checked ? 'p' : 'c';
      if (Object.keys(changes).length === 0) return;
      await store.ddp.call('saveRoomSettings', rid, changes);
      Object.assign(room, {
        name: changes.roomName ?? room.name,
        fname: changes.roomName ?? room.fname,
        topic: changes.roomTopic ?? room.topic,
        description: changes.roomDescription ?? room.description,
        announcement: changes.roomAnnouncement ?? room.announcement,
        ro: changes.readOnly ?? room.ro,
        t: changes.roomType ?? room.t,
      });
      toast('Room settings saved');
      if (changes.roomName || changes.roomType) {
        await store.syncChanges().catch(() => null);
        navigate(roomPath({ rid, t: room.t, name: room.name }), { replace: true });
      } else this.room.renderHeader();
    });
    return form;
  }

  async archive(archived) {
    const room = this.room.room;
    const section = room.t === 'p' ? 'groups' : 'channels';
    try {
      await api.post(`${section}.${archived ? 'archive' : 'unarchive'}`, { roomId: room._id });
      room.archived = archived;
      toast(archived ? 'Room archived' : 'Room unarchived');
      this.draw();
      this.room.renderFooter();
    } catch (err) {
      showError(err);
    }
  }

  async erase() {
    if (!(await confirmDialog(`Delete ${this.room.title()} and all its messages?`, { confirm: 'Delete', danger: true }))) return;
    try {
      await store.ddp.call('eraseRoom', this.room.rid);
      navigate('/home');
    } catch (err) {
      showError(err);
    }
  }
}

export class UserPanel extends Panel {
  constructor(room, username) {
    super(room, 'User');
    this.username = username;
    this.off = store.on('presence', () => this.user && this.draw());
    this.load();
  }

  destroy() {
    this.off();
  }

  async load() {
    try {
      const r = await api.get('users.info', { username: this.username });
      this.user = r.user;
      store.watchPresence([r.user._id]);
      this.draw();
    } catch (err) {
      replace(this.body, h('p', { class: 'form-error' }, err.message));
    }
  }

  draw() {
    const u = this.user;
    const status = store.presence.get(u._id)?.status || u.status || 'offline';
    replace(this.body, h('div', { class: 'user-card' },
      avatar(u.username, 96),
      h('h3', null, u.name || u.username),
      h('div', { class: 'muted' }, `@${u.username}`),
      h('div', { class: 'user-status' }, statusDot(status), ` ${status}`, u.statusText ? ` — ${u.statusText}` : ''),
      u.bio ? h('p', null, u.bio) : null,
      (u.roles || []).length ? h('div', { class: 'roles' }, u.roles.map((r) => h('span', { class: 'role' }, r))) : null,
      u._id !== store.uid ? h('button', { type: 'button', class: 'button button-primary', onclick: () => openDirect(u.username).catch(showError) }, 'Direct message') : null));
  }
}
