// Full-width pages of the workspace: home, the directory, search across rooms, and one's
// own account and preferences.

import { api } from './api.js';
import { avatar, debounce, h, icon, replace } from './dom.js';
import { normalize, renderMessage } from './message.js';
import { navigate, roomPath } from './router.js';
import { displayName, openDirect } from './sidebar.js';
import { store } from './store.js';
import { securitySection } from './twofactor.js';
import { checkbox, field, showError, submitting, toast } from './ui.js';

function page(title, ...content) {
  return h('div', { class: 'page' },
    h('header', { class: 'page-head' },
      h('button', { type: 'button', class: 'icon-button back-button', 'aria-label': 'Show rooms', onclick: () => document.querySelector('.workspace')?.classList.add('show-sidebar') }, icon('menu')),
      h('h1', null, title)),
    h('div', { class: 'page-body' }, ...content));
}

let currentPrefs = null;
window.matchMedia('(prefers-color-scheme: dark)').addEventListener('change', () => applyPreferences(currentPrefs));

export function applyPreferences(prefs) {
  currentPrefs = prefs;
  const theme = prefs?.themeAppearence || localStorage.getItem('chinwag.theme') || 'auto';
  const density = prefs?.messageViewMode === 2 ? 'compact' : prefs ? 'normal' : localStorage.getItem('chinwag.density') || 'normal';
  const dark = theme === 'dark' || (theme === 'auto' && window.matchMedia('(prefers-color-scheme: dark)').matches);
  document.documentElement.dataset.theme = dark ? 'dark' : 'light';
  document.documentElement.dataset.density = density;
  localStorage.setItem('chinwag.theme', theme);
  localStorage.setItem('chinwag.density', density);
}

export function homePage() {
  const site = store.settings.Site_Name || 'Chinwag';
  const unread = [...store.subs.values()].filter((s) => s.open !== false && (s.unread > 0 || s.userMentions > 0));
  const finishSetup = store.isAdmin() && store.settings.Show_Setup_Wizard !== 'completed' ? setupCard() : null;
  return page(`Welcome to ${site}`,
    finishSetup,
    h('p', null, `Signed in as ${store.me.name || store.me.username} (@${store.me.username}).`),
    h('div', { class: 'cards' },
      h('a', { class: 'card', href: '/directory', onclick: (e) => { e.preventDefault(); navigate('/directory'); } }, h('strong', null, 'Browse the directory'), h('span', { class: 'muted' }, 'Find channels and people.')),
      h('a', { class: 'card', href: '/search', onclick: (e) => { e.preventDefault(); navigate('/search'); } }, h('strong', null, 'Search messages'), h('span', { class: 'muted' }, 'Across every room you can read.')),
      h('a', { class: 'card', href: '/account', onclick: (e) => { e.preventDefault(); navigate('/account'); } }, h('strong', null, 'Your profile'), h('span', { class: 'muted' }, 'Name, status, theme and password.'))),
    unread.length ? h('section', null, h('h2', null, 'Unread'), h('ul', { class: 'plain-list' }, unread.map((s) => h('li', null,
      h('a', { href: roomPath(s), onclick: (e) => { e.preventDefault(); navigate(roomPath(s)); } }, displayName(s)), ` — ${s.unread} unread`)))) : null,
    h('p', { class: 'muted' }, 'Tip: press Ctrl+K (⌘K) to jump to any room.'));
}

function setupCard() {
  const name = h('input', { value: store.settings.Site_Name || 'Chinwag', required: true });
  const form = h('form', { class: 'form card-form', 'aria-label': 'Name your workspace' },
    h('h2', null, 'Finish setting up'), field('Workspace name', name),
    h('p', { class: 'form-error', role: 'alert' }),
    h('div', { class: 'form-actions' }, h('button', { type: 'submit', class: 'button button-primary' }, 'Save')));
  submitting(form, async () => {
    await api.post('settings/Site_Name', { value: name.value.trim() });
    await api.post('settings/Show_Setup_Wizard', { value: 'completed' });
    store.settings.Site_Name = name.value.trim();
    store.settings.Show_Setup_Wizard = 'completed';
    store.emit('settings');
    form.remove();
    toast('Workspace saved');
  });
  return form;
}

export function directoryPage() {
  let type = 'channels';
  const text = h('input', { type: 'search', placeholder: 'Search', 'aria-label': 'Search the directory' });
  const results = h('div', { class: 'directory-results', 'aria-live': 'polite' });
  const tab = (kind, label) => h('button', {
    type: 'button', role: 'tab', class: 'tab', 'aria-selected': String(kind === type),
    onclick: (e) => {
      type = kind;
      for (const t of e.currentTarget.parentElement.children) t.setAttribute('aria-selected', String(t === e.currentTarget));
      load();
    },
  }, label);
  let asked = 0;
  const load = async () => {
    const mine = ++asked;
    try {
      const r = await api.get('directory', { query: { text: text.value.trim(), type }, count: 50, sort: type === 'channels' ? { usersCount: -1 } : { username: 1 } });
      // An earlier search held back by the rate limiter may answer after this one.
      if (mine !== asked) return;
      if (type === 'channels') {
        replace(results, r.result.length ? h('ul', { class: 'directory-list' }, r.result.map((room) => {
          const joined = store.subs.has(room._id);
          return h('li', { class: 'directory-item' },
            h('div', null,
              h('a', { href: roomPath(room), onclick: (e) => { e.preventDefault(); navigate(roomPath(room)); } }, `#${room.fname || room.name}`),
              h('div', { class: 'muted' }, `${room.usersCount} members${room.topic ? ` · ${room.topic}` : ''}`)),
            joined ? h('span', { class: 'muted' }, 'Joined') : h('button', {
              type: 'button', class: 'button', 'aria-label': `Join ${room.name}`,
              onclick: async () => {
                try {
                  await store.ddp.call('joinRoom', room._id);
                  await store.syncChanges();
                  navigate(roomPath(room));
                } catch (err) {
                  showError(err);
                }
              },
            }, 'Join'));
        })) : h('p', { class: 'muted' }, 'No channels found.'));
      } else {
        replace(results, r.result.length ? h('ul', { class: 'directory-list' }, r.result.map((u) => h('li', { class: 'directory-item' },
          h('div', { class: 'directory-user' }, avatar(u.username, 32), h('div', null, h('strong', null, u.name || u.username), h('div', { class: 'muted' }, `@${u.username}`))),
          u._id === store.uid ? null : h('button', { type: 'button', class: 'button', onclick: () => openDirect(u.username).catch(showError) }, 'Message')))) : h('p', { class: 'muted' }, 'No people found.'));
      }
    } catch (err) {
      if (mine === asked) replace(results, h('p', { class: 'form-error' }, err.message));
    }
  };
  text.addEventListener('input', debounce(load, 250));
  load();
  return page('Directory', h('div', { class: 'tabs', role: 'tablist' }, tab('channels', 'Channels'), tab('users', 'People')), text, results);
}

export function searchPage(initial) {
  const text = h('input', { type: 'search', placeholder: 'Search messages in every room you can read', 'aria-label': 'Search messages', value: initial || '' });
  const results = h('div', { class: 'search-results', 'aria-live': 'polite' });
  const actions = {
    react: () => null, pickReaction: () => null, openThread: () => null, menu: () => null,
    openUser: () => null, openRoomId: () => null, retry: () => null, discard: () => null,
  };
  const run = async () => {
    const q = text.value.trim();
    history.replaceState(null, '', q ? `/search?q=${encodeURIComponent(q)}` : '/search');
    if (!q) {
      results.replaceChildren();
      return;
    }
    try {
      const r = await store.ddp.call('messageSearch', q, null, 50);
      if (text.value.trim() !== q) return;
      const docs = r?.message?.docs || [];
      replace(results, docs.length ? docs.map((m) => {
        const sub = store.subs.get(m.rid);
        const room = sub || store.rooms.get(m.rid) || { rid: m.rid, t: 'c', name: m.rid };
        const path = `${roomPath(room)}?msg=${encodeURIComponent(m._id)}`;
        return h('div', { class: 'search-result' },
          h('a', { class: 'search-room', href: path, onclick: (e) => { e.preventDefault(); navigate(path); } }, sub ? displayName(sub) : 'a room'),
          renderMessage(normalize(m), { grouped: false, actions, thread: true }));
      }) : h('p', { class: 'muted' }, 'No messages found.'));
    } catch (err) {
      replace(results, h('p', { class: 'form-error' }, err.message));
    }
  };
  text.addEventListener('input', debounce(run, 300));
  if (initial) run();
  setTimeout(() => text.focus(), 0);
  return page('Search messages', h('form', { onsubmit: (e) => { e.preventDefault(); run(); } }, text), results);
}

export function accountPage() {
  const me = store.me;
  const s = store.settings;
  const name = h('input', { value: me.name || '', disabled: s.Accounts_AllowRealNameChange === false });
  const username = h('input', { value: me.username, disabled: s.Accounts_AllowUsernameChange === false, required: true });
  const email = h('input', { type: 'email', value: me.emails?.[0]?.address || me.email || '', disabled: s.Accounts_AllowEmailChange === false });
  const statusText = h('input', { value: me.statusText || '', maxlength: '120', disabled: s.Accounts_AllowUserStatusMessageChange === false });
  const status = h('select', null, ['online', 'away', 'busy', 'offline'].map((v) => h('option', { value: v, selected: (me.statusDefault || me.status) === v }, v === 'offline' ? 'invisible' : v)));
  const current = h('input', { type: 'password', autocomplete: 'current-password' });
  const profile = h('form', { class: 'form', 'aria-label': 'Profile' },
    h('h2', null, 'Profile'),
    h('div', { class: 'profile-avatar' }, avatar(me.username, 64), h('span', { class: 'muted' }, 'Your avatar shows your initials.')),
    field('Name', name), field('Username', username), field('Email', email),
    field('Status', status), field('Status message', statusText),
    field('Current password (to change your email)', current),
    h('p', { class: 'form-error', role: 'alert' }),
    h('div', { class: 'form-actions' }, h('button', { type: 'submit', class: 'button button-primary' }, 'Save profile')));
  submitting(profile, async () => {
    const data = {};
    if (name.value.trim() !== (me.name || '')) data.name = name.value.trim();
    if (username.value.trim() !== me.username) data.username = username.value.trim();
    if (email.value.trim() !== (me.emails?.[0]?.address || me.email || '')) data.email = email.value.trim();
    if (data.email) data.currentPassword = current.value;
    if (Object.keys(data).length) {
      const r = await api.post('users.updateOwnBasicInfo', { data });
      Object.assign(store.me, r.user);
    }
    if (status.value !== (me.statusDefault || me.status) || statusText.value !== (me.statusText || '')) {
      await api.post('users.setStatus', { status: status.value, message: statusText.value });
      Object.assign(store.me, { status: status.value, statusDefault: status.value, statusText: statusText.value });
    }
    current.value = '';
    store.emit('me');
    toast('Profile saved');
  });

  const oldPassword = h('input', { type: 'password', autocomplete: 'current-password', required: true });
  const newPassword = h('input', { type: 'password', autocomplete: 'new-password', required: true, minlength: '8' });
  const confirm = h('input', { type: 'password', autocomplete: 'new-password', required: true });
  const password = h('form', { class: 'form', 'aria-label': 'Change password' },
    h('h2', null, 'Password'),
    field('Current password', oldPassword), field('New password', newPassword), field('Confirm new password', confirm),
    h('p', { class: 'form-error', role: 'alert' }),
    h('div', { class: 'form-actions' }, h('button', { type: 'submit', class: 'button button-primary' }, 'Change password')));
  submitting(password, async () => {
    if (newPassword.value !== confirm.value) throw new Error('The new passwords do not match.');
    await api.post('users.updateOwnBasicInfo', { data: { currentPassword: oldPassword.value, newPassword: newPassword.value } });
    password.reset();
    toast('Password changed; your other sessions were signed out');
  });

  const prefs = me.settings?.preferences || {};
  const theme = h('select', null, [['auto', 'Follow the system'], ['light', 'Light'], ['dark', 'Dark']].map(([v, l]) => h('option', { value: v, selected: (prefs.themeAppearence || 'auto') === v }, l)));
  const density = h('select', null, [[0, 'Normal'], [2, 'Compact']].map(([v, l]) => h('option', { value: v, selected: (prefs.messageViewMode === 2 ? 2 : 0) === v }, l)));
  const enter = h('input', { type: 'checkbox', checked: prefs.sendOnEnter !== false, disabled: true });
  const preferences = h('form', { class: 'form', 'aria-label': 'Preferences' },
    h('h2', null, 'Preferences'), field('Theme', theme), field('Message density', density),
    checkbox('Enter sends, Shift+Enter starts a new line', enter),
    h('p', { class: 'form-error', role: 'alert' }),
    h('div', { class: 'form-actions' }, h('button', { type: 'submit', class: 'button button-primary' }, 'Save preferences')));
  submitting(preferences, async () => {
    const data = { themeAppearence: theme.value, messageViewMode: Number(density.value) };
    const r = await api.post('users.setPreferences', { data });
    store.me.settings = { ...(store.me.settings || {}), preferences: r.user.settings.preferences };
    applyPreferences(store.me.settings.preferences);
    toast('Preferences saved');
  });

  const notifyState = h('span', { class: 'muted' });
  const drawNotify = () => {
    notifyState.textContent = !('Notification' in window) ? 'This browser cannot show notifications.'
      : Notification.permission === 'granted' ? 'Desktop notifications are on for mentions and direct messages.'
        : Notification.permission === 'denied' ? 'Notifications are blocked in this browser’s site settings.' : 'Desktop notifications are off.';
  };
  drawNotify();
  const notifications = h('div', { class: 'form' }, h('h2', null, 'Notifications'), notifyState,
    'Notification' in window && Notification.permission === 'default' ? h('div', { class: 'form-actions' }, h('button', {
      type: 'button', class: 'button', onclick: async () => {
        await Notification.requestPermission();
        drawNotify();
      },
    }, 'Turn on desktop notifications')) : null);
  return page('Profile and preferences', h('div', { class: 'account-grid' }, profile, h('div', null, preferences, notifications, password, securitySection())));
}
