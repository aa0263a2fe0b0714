// The sidebar: the user's rooms by kind with unread badges and presence, a filter, and the
// ways to create rooms, browse the directory and reach one's account.

import { api } from './api.js';
import { avatar, h, icon, keepFocus, replace, statusDot } from './dom.js';
import { navigate, roomPath } from './router.js';
import { store } from './store.js';
import { field, modal, popupMenu, showError, submitting, toast } from './ui.js';

export function displayName(sub) {
  return sub.fname || sub.name || '';
}

function roomIcon(sub) {
  if (sub.t === 'd') {
    const partner = store.dmPartner(sub.rid);
    if (partner) return h('span', { class: 'room-avatar' }, avatar(partner.username, 20), statusDot(store.status(partner._id)));
    return icon('people', 'Group conversation');
  }
  if (sub.prid) return icon('discussion', 'Discussion');
  return sub.t === 'p' ? icon('lock', 'Private group') : icon('hash', 'Channel');
}

function section(title, subs, activeRid) {
  if (subs.length === 0) return null;
  const items = subs.map((sub) => {
    const mentions = sub.userMentions || 0;
    const unread = sub.rid === activeRid && !document.hidden ? 0 : sub.unread || 0;
    const badge = unread > 0 || mentions > 0
      ? h('span', {
        class: mentions > 0 || sub.t === 'd' ? 'badge badge-mention' : 'badge',
        'aria-label': mentions > 0 ? `${mentions} mentions, ${unread} unread` : `${unread} unread`,
      }, mentions > 0 ? `@${mentions}` : String(unread))
      : null;
    const classes = ['room-item'];
    if (sub.rid === activeRid) classes.push('active');
    if (sub.alert && sub.rid !== activeRid) classes.push('unread');
    if (sub.archived) classes.push('archived');
    return h('li', null, h('a', {
      class: classes.join(' '),
      href: roomPath(sub),
      'data-rid': sub.rid,
      'aria-current': sub.rid === activeRid ? 'page' : null,
      onclick: (e) => {
        if (e.ctrlKey || e.metaKey || e.shiftKey || e.button !== 0) return;
        e.preventDefault();
        navigate(roomPath(sub));
      },
    }, roomIcon(sub), h('span', { class: 'room-name' }, displayName(sub)), badge));
  });
  return h('section', { class: 'room-section' },
    h('h2', { class: 'section-title' }, title),
    h('ul', { class: 'room-list', 'aria-label': title }, items));
}

export class Sidebar {
  constructor(workspace) {
    this.workspace = workspace;
    this.filter = '';
    this.el = h('nav', { class: 'sidebar', 'aria-label': 'Rooms' });
    this.list = h('div', { class: 'sidebar-rooms' });
    this.head = h('div', { class: 'sidebar-head' });
    this.filterInput = h('input', {
      type: 'search',
      class: 'sidebar-filter',
      placeholder: 'Filter rooms',
      'aria-label': 'Filter rooms',
      oninput: () => {
        this.filter = this.filterInput.value.trim().toLowerCase();
        this.renderList();
      },
    });
    const actions = h('div', { class: 'sidebar-actions' },
      this.navButton('home', 'Home', '/home'),
      this.navButton('directory', 'Directory', '/directory'),
      this.navButton('search', 'Search messages', '/search'),
      h('button', {
        type: 'button', class: 'icon-button', title: 'Create new', 'aria-label': 'Create new',
        onclick: (e) => this.createMenu(e.currentTarget),
      }, icon('plus')));
    this.el.append(this.head, actions, this.filterInput, this.list);
    this.scheduled = false;
    const rerender = () => this.schedule();
    this.offs = [
      store.on('subs', rerender),
      store.on('presence', (uid) => (uid === store.uid ? this.renderHead() : rerender())),
      store.on('me', () => this.renderHead()),
      store.on('settings', () => this.renderHead()),
    ];
    document.addEventListener('visibilitychange', rerender);
    this.renderHead();
    this.renderList();
  }

  destroy() {
    for (const off of this.offs) off();
  }

  navButton(name, label, path) {
    return h('a', {
      class: 'icon-button', href: path, title: label, 'aria-label': label,
      onclick: (e) => {
        e.preventDefault();
        navigate(path);
      },
    }, icon(name));
  }

  schedule() {
    if (this.scheduled) return;
    this.scheduled = true;
    requestAnimationFrame(() => {
      this.scheduled = false;
      this.renderList();
    });
  }

  renderHead() {
    const me = store.me;
    if (!me) return;
    // Redraw only what changed: every presence or profile event used to swap the account
    // button for a new node, so a click aimed at it could land on a detached one.
    const key = JSON.stringify([me.username, me.name, store.status(me._id), store.settings.Site_Name]);
    if (key === this.headKey) return;
    this.headKey = key;
    const button = h('button', {
      type: 'button', class: 'me-button', 'aria-label': `Account menu for ${me.username}`,
      onclick: (e) => this.accountMenu(e.currentTarget),
    }, h('span', { class: 'room-avatar' }, avatar(me.username, 28), statusDot(store.status(me._id))), h('span', { class: 'me-name' }, me.name || me.username));
    const close = h('button', {
      type: 'button', class: 'icon-button sidebar-close', 'aria-label': 'Hide rooms',
      onclick: () => this.workspace.el.classList.remove('show-sidebar'),
    }, icon('close'));
    replace(this.head, h('div', { class: 'site-name' }, store.settings.Site_Name || 'Chinwag'), button, close);
  }

  renderList() {
    const active = this.workspace.activeRid;
    const all = [...store.subs.values()].filter((s) => s.open !== false || s.rid === active);
    const matching = this.filter ? all.filter((s) => displayName(s).toLowerCase().includes(this.filter)) : all;
    const byName = (a, b) => displayName(a).localeCompare(displayName(b));
    const favourites = matching.filter((s) => s.f).sort(byName);
    const rest = matching.filter((s) => !s.f);
    const sections = [
      section('Favourites', favourites, active),
      section('Channels', rest.filter((s) => s.t !== 'd' && !s.prid).sort(byName), active),
      section('Direct messages', rest.filter((s) => s.t === 'd').sort(byName), active),
      section('Discussions', rest.filter((s) => s.t !== 'd' && s.prid).sort(byName), active),
    ].filter(Boolean);
    if (sections.length === 0) sections.push(h('p', { class: 'muted sidebar-empty' }, this.filter ? 'No room matches.' : 'No rooms yet.'));
    keepFocus(this.list, () => replace(this.list, sections));
  }

  accountMenu(anchor) {
    const setStatus = (status) => api.post('users.setStatus', { status }).catch(showError);
    popupMenu(anchor, [
      { label: [statusDot('online'), ' Online'], action: () => setStatus('online') },
      { label: [statusDot('away'), ' Away'], action: () => setStatus('away') },
      { label: [statusDot('busy'), ' Busy'], action: () => setStatus('busy') },
      { label: [statusDot('offline'), ' Invisible'], action: () => setStatus('offline') },
      { label: 'Profile and preferences', action: () => navigate('/account') },
      store.isAdmin() ? { label: 'Administration', action: () => navigate('/admin/users') } : null,
      { label: 'Sign out', action: () => store.signOut() },
    ], { label: 'Account' });
  }

  createMenu(anchor) {
    popupMenu(anchor, [
      store.can('create-c') ? { label: 'Channel', action: () => createRoomDialog(false) } : null,
      store.can('create-p') ? { label: 'Private group', action: () => createRoomDialog(true) } : null,
      store.can('create-d') ? { label: 'Direct message', action: () => createDirectDialog() } : null,
      store.settings.Discussion_enabled !== false ? { label: 'Discussion', action: () => createDiscussionDialog() } : null,
    ], { label: 'Create new' });
  }
}

/** An input suggesting usernames from spotlight as one types. */
export function userPicker(inputEl, { multiple = false } = {}) {
  const listId = `users-${Math.random().toString(36).slice(2)}`;
  const datalist = h('datalist', { id: listId });
  inputEl.setAttribute('list', listId);
  inputEl.setAttribute('autocomplete', 'off');
  let timer = null;
  inputEl.addEventListener('input', () => {
    clearTimeout(timer);
    timer = setTimeout(async () => {
      const parts = inputEl.value.split(',');
      const current = (multiple ? parts[parts.length - 1] : inputEl.value).trim().replace(/^@/, '');
      if (!current) return;
      try {
        const r = await api.peek('spotlight', { query: `@${current}` });
        const prefix = multiple ? parts.slice(0, -1).map((p) => p.trim()).filter(Boolean) : [];
        replace(datalist, r.users.filter((u) => u._id !== store.uid).map((u) => h('option', { value: [...prefix, u.username].join(', ') }, u.name || u.username)));
      } catch {
        // suggestions are a convenience
      }
    }, 150);
  });
  return datalist;
}

function createRoomDialog(isPrivate) {
  const name = h('input', { name: 'name', required: true, pattern: '[0-9a-zA-Z\\-_.]+', maxlength: '100' });
  const members = h('input', { name: 'members', placeholder: 'alice, bob' });
  const readOnly = h('input', { type: 'checkbox', name: 'readonly' });
  const privateBox = h('input', { type: 'checkbox', name: 'private', checked: isPrivate });
  const form = h('form', { class: 'form' },
    field('Name', name, 'Letters, digits, - _ and .'),
    field('Members (usernames, comma separated)', members),
    userPicker(members, { multiple: true }),
    h('div', { class: 'field field-check' }, privateBox, h('label', { for: (privateBox.id = 'create-private') }, 'Private: only invited people can join')),
    h('div', { class: 'field field-check' }, readOnly, h('label', { for: (readOnly.id = 'create-ro') }, 'Read-only: only owners can post')),
    h('p', { class: 'form-error', role: 'alert' }),
    h('div', { class: 'form-actions' }, h('button', { type: 'submit', class: 'button button-primary' }, 'Create')));
  const { close } = modal(isPrivate ? 'Create a private group' : 'Create a channel', form);
  submitting(form, async () => {
    const usernames = members.value.split(',').map((s) => s.trim().replace(/^@/, '')).filter(Boolean);
    const method = privateBox.checked ? 'createPrivateGroup' : 'createChannel';
    const r = await store.ddp.call(method, name.value.trim(), usernames, readOnly.checked);
    close();
    await store.syncChanges().catch(() => null);
    navigate(roomPath({ rid: r.rid, t: privateBox.checked ? 'p' : 'c', name: r.name }));
  });
  name.focus();
}

export async function openDirect(username) {
  const r = await store.ddp.call('createDirectMessage', username);
  await store.syncChanges().catch(() => null);
  navigate(`/direct/${encodeURIComponent(r.rid)}`);
}

function createDirectDialog() {
  const who = h('input', { name: 'username', required: true, placeholder: 'username' });
  const form = h('form', { class: 'form' },
    field('Send a direct message to', who),
    userPicker(who),
    h('p', { class: 'form-error', role: 'alert' }),
    h('div', { class: 'form-actions' }, h('button', { type: 'submit', class: 'button button-primary' }, 'Open')));
  const { close } = modal('New direct message', form);
  submitting(form, async () => {
    const names = who.value.split(',').map((s) => s.trim().replace(/^@/, '')).filter(Boolean);
    const r = await store.ddp.call('createDirectMessage', ...names);
    close();
    await store.syncChanges().catch(() => null);
    navigate(`/direct/${encodeURIComponent(r.rid)}`);
  });
  who.focus();
}

export function createDiscussionDialog(parentRid, message) {
  const parents = [...store.subs.values()].filter((s) => s.t !== 'd' && !s.prid);
  const parent = h('select', { name: 'parent', required: true },
    parents.map((s) => h('option', { value: s.rid, selected: s.rid === (parentRid || store.openRid) }, displayName(s))));
  const name = h('input', { name: 'name', required: true, maxlength: '100' });
  const reply = h('textarea', { name: 'reply', rows: '3' });
  const form = h('form', { class: 'form' },
    field('Parent room', parent),
    field('Name', name),
    field('First message (optional)', reply),
    h('p', { class: 'form-error', role: 'alert' }),
    h('div', { class: 'form-actions' }, h('button', { type: 'submit', class: 'button button-primary' }, 'Create')));
  const { close } = modal('Start a discussion', form);
  submitting(form, async () => {
    const body = { prid: parent.value, t_name: name.value.trim() };
    if (reply.value.trim()) body.reply = reply.value.trim();
    if (message) body.pmid = message._id;
    const r = await api.post('rooms.createDiscussion', body);
    close();
    await store.syncChanges().catch(() => null);
    toast('Discussion created');
    navigate(roomPath({ rid: r.discussion._id, t: r.discussion.t, name: r.discussion.name }));
  });
  name.focus();
}
