// Administration: users, rooms, invite links, registration and account settings,
// permissions by role, and the moderation screens (moderation.js). Everything goes through
// the public REST API.

import { api } from './api.js';
import { avatar, debounce, formatFull, h, icon, replace } from './dom.js';
import { navigate, roomPath } from './router.js';
import { displayName } from './sidebar.js';
import {
  auditSection, evidenceSection, inviteStats, inviteTreeSection, reportsSection, takedownRoomDialog, takedownUserDialog,
} from './moderation.js';
import { store } from './store.js';
import { checkbox, confirmDialog, field, modal, showError, submitting, table, toast } from './ui.js';

const SECTIONS = [
  ['users', 'Users'],
  ['rooms', 'Rooms'],
  ['invites', 'Invites'],
  ['settings', 'Settings'],
  ['permissions', 'Permissions'],
  ['reports', 'Reports'],
  ['invite-tree', 'Invite tree'],
  ['evidence', 'Evidence'],
  ['audit', 'Audit log'],
];

export function adminPage(section) {
  const current = SECTIONS.some(([s]) => s === section) ? section : 'users';
  const content = h('div', { class: 'admin-content' });
  const nav = h('nav', { class: 'admin-nav', 'aria-label': 'Administration' }, SECTIONS.map(([s, label]) => h('a', {
    href: `/admin/${s}`, class: s === current ? 'active' : '', 'aria-current': s === current ? 'page' : null,
    onclick: (e) => { e.preventDefault(); navigate(`/admin/${s}`); },
  }, label)));
  const render = {
    users: usersSection, rooms: roomsSection, invites: invitesSection, settings: settingsSection, permissions: permissionsSection,
    reports: reportsSection, 'invite-tree': inviteTreeSection, evidence: evidenceSection, audit: auditSection,
  }[current];
  render(content).catch((err) => replace(content, h('p', { class: 'form-error' }, err.message)));
  return h('div', { class: 'page admin' },
    h('header', { class: 'page-head' },
      h('button', { type: 'button', class: 'icon-button back-button', 'aria-label': 'Show rooms', onclick: () => document.querySelector('.workspace')?.classList.add('show-sidebar') }, icon('menu')),
      h('h1', null, 'Administration')),
    nav, h('div', { class: 'page-body' }, content));
}

async function roleNames() {
  const r = await api.get('roles.list');
  return r.roles;
}

// ---- users ---------------------------------------------------------------------------------

async function usersSection(root) {
  const search = h('input', { type: 'search', placeholder: 'Search users', 'aria-label': 'Search users' });
  const list = h('div', { 'aria-live': 'polite' });
  const roles = await roleNames();
  let asked = 0;
  const load = async () => {
    const mine = ++asked;
    const text = search.value.trim();
    const query = text ? { $or: [{ username: { $regex: text, $options: 'i' } }, { name: { $regex: text, $options: 'i' } }] } : { type: { $in: ['user', 'bot'] } };
    const r = await api.get('users.list', { query, count: 100, sort: { username: 1 } });
    if (mine !== asked) return; // a later search has been asked for
    replace(list, table(['User', 'Email', 'Roles', 'Status', ''], r.users.map((u) => h('tr', { 'data-username': u.username },
      h('td', null, h('div', { class: 'directory-user' }, avatar(u.username, 28), h('div', null, h('strong', null, u.name || u.username), h('div', { class: 'muted' }, `@${u.username}`)))),
      h('td', null, u.emails?.[0]?.address || ''),
      h('td', null, (u.roles || []).join(', ')),
      h('td', null, !u.active ? 'Deactivated' : u.restricted ? 'Active, restricted' : 'Active'),
      h('td', { class: 'row-actions' },
        h('button', { type: 'button', class: 'button', onclick: () => userDialog(u, roles, load) }, 'Edit'),
        h('button', {
          type: 'button', class: 'button', 'aria-label': `${u.active ? 'Deactivate' : 'Activate'} ${u.username}`,
          onclick: () => setActive(u, !u.active).then(load),
        }, u.active ? 'Deactivate' : 'Activate'),
        u.active && u._id !== store.uid && u.username !== 'rocket.cat' ? h('button', { type: 'button', class: 'button button-danger', 'aria-label': `Take down ${u.username}`, onclick: () => takedownUserDialog(u, load) }, 'Take down') : null,
        h('button', { type: 'button', class: 'button button-danger', 'aria-label': `Delete ${u.username}`, onclick: () => deleteUser(u).then(load) }, 'Delete'))))));
  };
  search.addEventListener('input', debounce(() => load().catch(showError), 250));
  replace(root, h('div', { class: 'admin-toolbar' }, search, h('button', { type: 'button', class: 'button button-primary', onclick: () => userDialog(null, roles, load) }, 'New user')), list);
  await load();
}

async function setActive(user, active) {
  try {
    await api.post('users.setActiveStatus', { userId: user._id, activeStatus: active, confirmRelinquish: true });
    toast(active ? `${user.username} activated` : `${user.username} deactivated`);
  } catch (err) {
    showError(err);
  }
}

async function deleteUser(user) {
  if (!(await confirmDialog(`Delete ${user.username}? Their rooms pass to others or are deleted.`, { confirm: 'Delete', danger: true }))) return;
  try {
    await api.post('users.delete', { userId: user._id, confirmRelinquish: true });
    toast(`${user.username} deleted`);
  } catch (err) {
    showError(err);
  }
}

function userDialog(user, roles, done) {
  const name = h('input', { value: user?.name || '', required: true });
  const username = h('input', { value: user?.username || '', required: true });
  const email = h('input', { type: 'email', value: user?.emails?.[0]?.address || '', required: !user });
  const password = h('input', { type: 'password', autocomplete: 'new-password', required: !user });
  const verified = h('input', { type: 'checkbox', checked: !!user?.emails?.[0]?.verified });
  const have = new Set(user?.roles || ['user']);
  const boxes = roles.filter((r) => r.scope === 'Users').map((r) => ({ id: r._id, box: h('input', { type: 'checkbox', checked: have.has(r._id) }) }));
  const form = h('form', { class: 'form' },
    field('Name', name), field('Username', username), field('Email', email),
    field(user ? 'New password (leave empty to keep)' : 'Password', password),
    checkbox('Email verified', verified),
    h('fieldset', { class: 'roles-fieldset' }, h('legend', null, 'Roles'), boxes.map(({ id, box }) => checkbox(id, box))),
    h('p', { class: 'form-error', role: 'alert' }),
    h('div', { class: 'form-actions' }, h('button', { type: 'submit', class: 'button button-primary' }, user ? 'Save' : 'Create')));
  const { close } = modal(user ? `Edit ${user.username}` : 'New user', form);
  submitting(form, async () => {
    const chosen = boxes.filter((b) => b.box.checked).map((b) => b.id);
    if (user) {
      const data = { name: name.value.trim(), username: username.value.trim(), email: email.value.trim(), roles: chosen, verified: verified.checked };
      if (password.value) data.password = password.value;
      await api.post('users.update', { userId: user._id, data });
    } else {
      await api.post('users.create', { name: name.value.trim(), username: username.value.trim(), email: email.value.trim(), password: password.value, roles: chosen, verified: verified.checked });
    }
    close();
    toast(user ? 'User saved' : 'User created');
    done().catch(showError);
  });
}

// ---- rooms ---------------------------------------------------------------------------------

const TYPE_NAMES = { c: 'Channel', p: 'Private group', d: 'Direct message' };

async function roomsSection(root) {
  const search = h('input', { type: 'search', placeholder: 'Search rooms', 'aria-label': 'Search rooms' });
  const list = h('div', { 'aria-live': 'polite' });
  let asked = 0;
  const load = async () => {
    const mine = ++asked;
    const params = new URLSearchParams({ filter: search.value.trim(), count: '100' });
    for (const t of ['c', 'p', 'd']) params.append('types[]', t);
    const r = await api.get(`rooms.adminRooms?${params}`);
    if (mine !== asked) return; // a later search has been asked for
    replace(list, table(['Room', 'Type', 'Members', 'Messages', ''], r.rooms.map((room) => {
      const label = room.t === 'd' ? (room.usernames || []).join(', ') : room.fname || room.name;
      return h('tr', null,
        h('td', null, room.t === 'd' ? label : h('a', { href: roomPath(room), onclick: (e) => { e.preventDefault(); navigate(roomPath(room)); } }, label),
          room.archived ? h('span', { class: 'muted' }, ' (archived)') : null, room.default ? h('span', { class: 'muted' }, ' (default)') : null),
        h('td', null, TYPE_NAMES[room.t] || room.t),
        h('td', null, String(room.usersCount ?? '')),
        h('td', null, String(room.msgs ?? '')),
        h('td', { class: 'row-actions' },
          room.t !== 'd' ? h('button', { type: 'button', class: 'button', onclick: () => roomDialog(room, load) }, 'Edit') : null,
          room._id !== 'GENERAL' ? h('button', { type: 'button', class: 'button button-danger', 'aria-label': `Take down ${label}`, onclick: () => takedownRoomDialog(room, load) }, 'Take down') : null,
          room._id !== 'GENERAL' ? h('button', { type: 'button', class: 'button button-danger', 'aria-label': `Delete ${label}`, onclick: () => deleteRoom(room).then(load) }, 'Delete') : null));
    })));
  };
  search.addEventListener('input', debounce(() => load().catch(showError), 250));
  replace(root, h('div', { class: 'admin-toolbar' }, search), list);
  await load();
}

async function deleteRoom(room) {
  if (!(await confirmDialog(`Delete ${room.fname || room.name || 'this conversation'} and all its messages?`, { confirm: 'Delete', danger: true }))) return;
  try {
    await store.ddp.call('eraseRoom', room._id);
    toast('Room deleted');
  } catch (err) {
    showError(err);
  }
}

function roomDialog(room, done) {
  const name = h('input', { value: room.name || '', required: true });
  const topic = h('input', { value: room.topic || '' });
  const announcement = h('input', { value: room.announcement || '' });
  const readOnly = h('input', { type: 'checkbox', checked: !!room.ro });
  const isPrivate = h('input', { type: 'checkbox', checked: room.t === 'p' });
  const isDefault = h('input', { type: 'checkbox', checked: !!room.default, disabled: room.t !== 'c' });
  const form = h('form', { class: 'form' }, field('Name', name), field('Topic', topic), field('Announcement', announcement),
    checkbox('Read-only', readOnly), checkbox('Private', isPrivate), checkbox('Default (new users join it)', isDefault),
    h('p', { class: 'form-error', role: 'alert' }),
    h('div', { class: 'form-actions' }, h('button', { type: 'submit', class: 'button button-primary' }, 'Save')));
  const { close } = modal(`Edit ${room.fname || room.name}`, form);
  submitting(form, async () => {
    const changes = {};
    if (name.value.trim() !== room.name) changes.roomName = name.value.trim();
    if (topic.value !== (room.topic || '')) changes.roomTopic = topic.value;
    if (announcement.value !== (room.announcement || '')) changes.roomAnnouncement = announcement.value;
    if (readOnly.checked !== !!room.ro) changes.readOnly = readOnly.checked;
    if (isPrivate.checked !== (room.t === 'p')) changes.roomType = isPrivate.checked ? 'p' : 'c';
    if (room.t === 'c' && isDefault.checked !== !!room.default) changes.default = isDefault.checked;
    if (Object.keys(changes).length) await api.post('rooms.saveRoomSettings', { rid: room._id, ...changes });
    close();
    toast('Room saved');
    done().catch(showError);
  });
}

// ---- invites -------------------------------------------------------------------------------

async function invitesSection(root) {
  const list = h('div', { 'aria-live': 'polite' });
  const load = async () => {
    const invites = await api.get('listInvites');
    replace(list, invites.length ? table(['Room', 'Link', 'Expires', 'Uses', ''], invites.map((inv) => {
      const sub = store.subs.get(inv.rid);
      const room = sub ? displayName(sub) : store.rooms.get(inv.rid)?.name || inv.rid;
      return h('tr', null,
        h('td', null, room),
        h('td', null, h('input', { class: 'invite-url', readOnly: true, value: inv.url, 'aria-label': `Invite link to ${room}` })),
        h('td', null, inv.expires ? formatFull(inv.expires) : 'Never'),
        h('td', null, `${inv.uses}${inv.maxUses ? ` / ${inv.maxUses}` : ''}`, inv.paused ? h('span', { class: 'muted' }, ' (paused)') : null),
        h('td', { class: 'row-actions' }, h('button', {
          type: 'button', class: 'button', 'aria-label': `Statistics of the invite to ${room}`,
          onclick: () => inviteStats(inv, load),
        }, 'Stats'), h('button', {
          type: 'button', class: 'button button-danger', 'aria-label': `Revoke invite to ${room}`,
          onclick: async () => {
            try {
              await api.del(`removeInvite/${encodeURIComponent(inv._id)}`);
              toast('Invite revoked');
              load().catch(showError);
            } catch (err) {
              showError(err);
            }
          },
        }, 'Revoke')));
    })) : h('p', { class: 'muted' }, 'No invite links yet.'));
  };
  const rooms = [...store.subs.values()].filter((s) => s.t !== 'd');
  const room = h('select', { required: true }, rooms.map((s) => h('option', { value: s.rid }, displayName(s))));
  const days = h('select', null, [[1, '1 day'], [7, '7 days'], [15, '15 days'], [30, '30 days'], [0, 'Never']].map(([v, l]) => h('option', { value: v, selected: v === 7 }, l)));
  const uses = h('select', null, [[0, 'No limit'], [1, '1'], [5, '5'], [10, '10'], [25, '25'], [50, '50'], [100, '100']].map(([v, l]) => h('option', { value: v }, l)));
  const form = h('form', { class: 'form form-inline', 'aria-label': 'Create an invite link' },
    field('Room', room), field('Expires after', days), field('Maximum uses', uses),
    h('div', { class: 'form-actions' }, h('button', { type: 'submit', class: 'button button-primary' }, 'Create invite')),
    h('p', { class: 'form-error', role: 'alert' }));
  submitting(form, async () => {
    await api.post('findOrCreateInvite', { rid: room.value, days: Number(days.value), maxUses: Number(uses.value) });
    toast('Invite link ready');
    await load();
  });
  replace(root, form, list);
  await load();
}

// ---- settings ------------------------------------------------------------------------------

const SETTING_GROUPS = [
  ['Workspace', ['Site_Name', 'Site_Url', 'Language']],
  ['Registration', ['Accounts_RegistrationForm', 'Accounts_RegistrationForm_SecretURL', 'Accounts_RegistrationForm_LinkReplacementText',
    'Accounts_ManuallyApproveNewUsers', 'Accounts_AllowedDomainsList', 'Accounts_BlockedDomainsList', 'Accounts_BlockedUsernameList',
    'Accounts_RequireNameForSignUp', 'Accounts_RequirePasswordConfirmation', 'Accounts_Registration_Users_Default_Roles']],
  ['Accounts', ['Accounts_AllowUserProfileChange', 'Accounts_AllowRealNameChange', 'Accounts_AllowUsernameChange', 'Accounts_AllowEmailChange',
    'Accounts_AllowPasswordChange', 'Accounts_AllowUserStatusMessageChange', 'Accounts_AllowDeleteOwnAccount', 'Accounts_LoginExpiration']],
  ['Messages', ['Message_AllowEditing', 'Message_AllowEditing_BlockEditInMinutes', 'Message_AllowDeleting', 'Message_AllowDeleting_BlockDeleteInMinutes',
    'Message_AllowPinning', 'Message_AllowStarring', 'Message_MaxAllowedSize', 'Discussion_enabled']],
];

const LABELS = {
  Site_Name: 'Workspace name',
  Site_Url: 'Public URL (used in invite links)',
  Language: 'Default language',
  Accounts_RegistrationForm: 'Who may sign up',
  Accounts_RegistrationForm_SecretURL: 'Secret sign-up code',
  Accounts_RegistrationForm_LinkReplacementText: 'Text shown when sign-up is closed',
  Accounts_ManuallyApproveNewUsers: 'An administrator approves new accounts',
  Accounts_AllowedDomainsList: 'Only these email domains (comma separated)',
  Accounts_BlockedDomainsList: 'Never these email domains',
  Accounts_BlockedUsernameList: 'Reserved usernames',
  Accounts_RequireNameForSignUp: 'A name is required to sign up',
  Accounts_RequirePasswordConfirmation: 'Ask for the password twice',
  Accounts_Registration_Users_Default_Roles: 'Roles of new accounts',
  Accounts_AllowUserProfileChange: 'People may edit their profile',
  Accounts_AllowRealNameChange: 'People may change their name',
  Accounts_AllowUsernameChange: 'People may change their username',
  Accounts_AllowEmailChange: 'People may change their email',
  Accounts_AllowPasswordChange: 'People may change their password',
  Accounts_AllowUserStatusMessageChange: 'People may set a status message',
  Accounts_AllowDeleteOwnAccount: 'People may delete their own account',
  Accounts_LoginExpiration: 'Sessions last (days)',
  Message_AllowEditing: 'Messages can be edited',
  Message_AllowEditing_BlockEditInMinutes: 'Editing allowed for (minutes, 0 = always)',
  Message_AllowDeleting: 'Messages can be deleted',
  Message_AllowDeleting_BlockDeleteInMinutes: 'Deleting allowed for (minutes, 0 = always)',
  Message_AllowPinning: 'Messages can be pinned',
  Message_AllowStarring: 'Messages can be starred',
  Message_MaxAllowedSize: 'Longest message (characters)',
  Discussion_enabled: 'Discussions are enabled',
};

function settingInput(setting) {
  const id = `setting-${setting._id}`;
  if (setting.type === 'boolean') return h('input', { id, type: 'checkbox', checked: !!setting.value });
  if (setting.values) {
    return h('select', { id }, setting.values.map((v) => h('option', { value: v.key, selected: v.key === setting.value }, v.key)));
  }
  if (setting.type === 'int') return h('input', { id, type: 'number', value: String(setting.value ?? 0) });
  return h('input', { id, type: setting.type === 'password' ? 'password' : 'text', value: setting.value ?? '' });
}

async function settingsSection(root) {
  const r = await api.get('settings', { count: 0 });
  const byId = new Map(r.settings.map((s) => [s._id, s]));
  const forms = SETTING_GROUPS.map(([title, ids]) => {
    const inputs = ids.filter((id) => byId.has(id)).map((id) => [byId.get(id), settingInput(byId.get(id))]);
    const form = h('form', { class: 'form', 'aria-label': `${title} settings` }, h('h2', null, title),
      inputs.map(([s, input]) => (s.type === 'boolean'
        ? checkbox(LABELS[s._id] || s._id, input)
        : field(LABELS[s._id] || s._id, input, s._id))),
      h('p', { class: 'form-error', role: 'alert' }),
      h('div', { class: 'form-actions' }, h('button', { type: 'submit', class: 'button button-primary' }, `Save ${title.toLowerCase()}`)));
    submitting(form, async () => {
      let saved = 0;
      for (const [s, input] of inputs) {
        const value = s.type === 'boolean' ? input.checked : s.type === 'int' ? Number(input.value) : input.value;
        if (value === s.value) continue;
        await api.post(`settings/${encodeURIComponent(s._id)}`, { value });
        s.value = value;
        saved += 1;
      }
      toast(saved ? `${saved} setting${saved === 1 ? '' : 's'} saved` : 'Nothing changed');
    });
    return form;
  });
  replace(root, h('div', { class: 'settings-grid' }, forms));
}

// ---- permissions ---------------------------------------------------------------------------

async function permissionsSection(root) {
  const [perms, roles] = await Promise.all([api.get('permissions.listAll'), roleNames()]);
  const roleIds = roles.map((r) => r._id);
  const filter = h('input', { type: 'search', placeholder: 'Filter permissions', 'aria-label': 'Filter permissions' });
  const body = h('tbody');
  const permissions = perms.update.sort((a, b) => a._id.localeCompare(b._id));
  const draw = () => {
    const q = filter.value.trim().toLowerCase();
    replace(body, permissions.filter((p) => !q || p._id.includes(q)).map((p) => h('tr', null,
      h('th', { scope: 'row' }, p._id),
      roleIds.map((role) => h('td', null, h('input', {
        type: 'checkbox', checked: p.roles.includes(role), 'aria-label': `${role}: ${p._id}`,
        onchange: async (e) => {
          const next = e.target.checked ? [...p.roles, role] : p.roles.filter((r) => r !== role);
          try {
            await api.post('permissions.update', { permissions: [{ _id: p._id, roles: next }] });
            p.roles = next;
          } catch (err) {
            e.target.checked = !e.target.checked;
            showError(err);
          }
        },
      }))))));
  };
  filter.addEventListener('input', debounce(draw, 150));
  draw();
  replace(root, h('div', { class: 'admin-toolbar' }, filter),
    h('div', { class: 'table-wrap permissions' }, h('table', { class: 'admin-table' },
      h('thead', null, h('tr', null, h('th', { scope: 'col' }, 'Permission'), roleIds.map((r) => h('th', { scope: 'col' }, r)))), body)));
}
