// Moderation in the admin area: the reports queue, user and room takedowns, shadow
// restriction, the invite tree, invite link statistics, evidence bundles, the audit log and
// sign-up bursts. Everything goes through the public REST API (moderation.*, invites.*,
// evidence.*, audit.list).

import { api } from './api.js';
import { avatar, formatFull, h, replace } from './dom.js';
import { checkbox, field, modal, showError, submitting, table, toast } from './ui.js';

function who(user) {
  if (!user) return 'a deleted user';
  return h('div', { class: 'directory-user' }, avatar(user.username, 28),
    h('div', null, h('strong', null, user.name || user.username || user._id), h('div', { class: 'muted' }, `@${user.username || '?'}`)));
}

function roomNames(rooms) {
  return (rooms || []).map((r) => `${r.t === 'p' ? '🔒 ' : r.t === 'd' ? '@' : '#'}${r.fname || r.name || r._id}`).join(', ');
}

const plural = (n, word) => `${n} ${word}${n === 1 ? '' : 's'}`;

function button(label, onclick, { danger = false, aria = null } = {}) {
  return h('button', { type: 'button', class: danger ? 'button button-danger' : 'button', 'aria-label': aria, onclick }, label);
}

/** Run a moderation call, say what happened, then redraw; errors become a toast. */
async function act(run, done, said) {
  try {
    const r = await run();
    toast(typeof said === 'function' ? said(r) : said);
    await done?.();
  } catch (err) {
    showError(err);
  }
}

function tabs(names, current, pick) {
  return h('div', { class: 'tabs', role: 'tablist' }, names.map(([key, label]) => h('button', {
    type: 'button', role: 'tab', class: 'tab', 'aria-selected': String(key === current), onclick: () => pick(key),
  }, label)));
}

// ---- the reports queue ---------------------------------------------------------------------

export async function reportsSection(root) {
  const burst = h('div');
  const body = h('div', { 'aria-live': 'polite' });
  const show = async (kind) => {
    replace(root, burst, tabs([['messages', 'Reported messages'], ['users', 'Reported users']], kind, (k) => show(k).catch(showError)), body);
    await (kind === 'users' ? userReports(body) : messageReports(body));
  };
  signupBurst(burst).catch(() => null); // only for those who may see it
  await show('messages');
}

async function messageReports(root) {
  const load = async () => {
    const r = await api.get('moderation.reportsByUsers', { count: 50 });
    replace(root, r.reports.length ? table(['Author', 'Latest reported message', 'Rooms', 'Reports', ''], r.reports.map((rep) => {
      const user = { _id: rep.userId, username: rep.username, name: rep.name };
      return h('tr', { 'data-username': rep.username },
        h('td', null, who(user), rep.isUserDeleted ? h('span', { class: 'muted' }, ' (deleted)') : null),
        h('td', { class: 'report-text' }, typeof rep.message === 'string' ? rep.message : rep.message?.msg || ''),
        h('td', null, roomNames(rep.rooms)),
        h('td', null, String(rep.count)),
        h('td', { class: 'row-actions' },
          button('Messages', () => reportedMessages(user, load), { aria: `Show reported messages of ${rep.username}` }),
          button('Dismiss', () => dismiss('moderation.dismissReports', user, load), { aria: `Dismiss reports about ${rep.username}'s messages` }),
          button('Delete messages', () => deleteReported(user, load), { danger: true, aria: `Delete reported messages of ${rep.username}` }),
          button('Take down', () => takedownUserDialog(user, load), { danger: true, aria: `Take down ${rep.username}` })));
    }), 'Reported messages by author') : h('p', { class: 'muted' }, 'No open message reports.'));
  };
  await load();
}

async function userReports(root) {
  const load = async () => {
    const r = await api.get('moderation.userReports', { count: 50 });
    replace(root, r.reports.length ? table(['User', 'Last reported', 'Reports', ''], r.reports.map((rep) => {
      const user = rep.reportedUser;
      return h('tr', { 'data-username': user.username },
        h('td', null, who(user)),
        h('td', null, formatFull(rep.ts)),
        h('td', null, String(rep.count)),
        h('td', { class: 'row-actions' },
          button('Reports', () => reportsAbout(user), { aria: `Show reports about ${user.username}` }),
          button('Dismiss', () => dismiss('moderation.dismissUserReports', user, load), { aria: `Dismiss reports about ${user.username}` }),
          button('Take down', () => takedownUserDialog(user, load), { danger: true, aria: `Take down ${user.username}` })));
    }), 'Reported users') : h('p', { class: 'muted' }, 'No open reports about users.'));
  };
  await load();
}

/** The author's reported messages, one by one, each of which can be dismissed alone. */
async function reportedMessages(user, done) {
  const r = await api.get('moderation.user.reportedMessages', { userId: user._id, count: 100 }).catch(showError);
  if (!r) return;
  modal(`Reported messages of @${user.username}`, table(['Message', 'Room', 'Sent', ''], r.messages.map((m) => {
    const row = h('tr', null,
      h('td', { class: 'report-text' }, m.message?.msg || ''),
      h('td', null, roomNames([m.room].filter(Boolean))),
      h('td', null, m.message?.ts ? formatFull(m.message.ts) : ''),
      h('td', { class: 'row-actions' }, button('Dismiss', () => act(
        () => api.post('moderation.dismissReports', { msgId: m.message._id, action: 'none' }),
        async () => {
          for (const other of row.parentElement.querySelectorAll(`tr[data-msg="${CSS.escape(m.message._id)}"]`)) other.remove();
          await done?.();
        }, 'Reports of this message dismissed'), { aria: `Dismiss the reports of: ${m.message?.msg || ''}` })));
    row.dataset.msg = m.message?._id || '';
    return row;
  }), 'Reported messages'), { wide: true });
}

async function reportsAbout(user) {
  const r = await api.get('moderation.user.reportsByUserId', { userId: user._id, count: 100 }).catch(showError);
  if (!r) return;
  modal(`Reports about @${user.username}`, table(['Reported by', 'Why', 'When'], r.reports.map((rep) => h('tr', null,
    h('td', null, `@${rep.reportedBy?.username || '?'}`),
    h('td', { class: 'report-text' }, rep.description || ''),
    h('td', null, formatFull(rep.ts)))), 'Reports'), { wide: true });
}

function reasonForm(label, submitLabel, run, { extra = [], danger = false } = {}) {
  const reason = h('textarea', { name: 'reason', rows: '2', required: true, maxlength: '500' });
  const form = h('form', { class: 'form' }, ...extra, field('Reason (kept in the audit log)', reason),
    h('p', { class: 'form-error', role: 'alert' }),
    h('div', { class: 'form-actions' }, h('button', { type: 'submit', class: danger ? 'button button-danger' : 'button button-primary' }, submitLabel)));
  const { close } = modal(label, form);
  submitting(form, async () => {
    await run(reason.value.trim());
    close();
  });
  reason.focus();
  return close;
}

function dismiss(path, user, done) {
  reasonForm(`Dismiss the reports about @${user.username}`, 'Dismiss', (reason) => act(
    () => api.post(path, { userId: user._id, reason, action: 'none' }), done, 'Reports dismissed'));
}

function deleteReported(user, done) {
  reasonForm(`Delete @${user.username}'s reported messages`, 'Delete messages', (reason) => act(
    () => api.post('moderation.user.deleteReportedMessages', { userId: user._id, reason }), done, 'Reported messages deleted'), { danger: true });
}

// ---- takedowns -----------------------------------------------------------------------------

function isoFrom(input) {
  return input.value ? new Date(input.value).toISOString() : undefined;
}

/** Deactivate a user and purge their messages (none, a window, all); or shadow-restrict. */
export function takedownUserDialog(user, done) {
  const purge = h('select', { name: 'purge' },
    [['none', 'Keep their messages'], ['window', 'Delete their messages between two times'], ['all', 'Delete all their messages']]
      .map(([v, l]) => h('option', { value: v }, l)));
  const since = h('input', { type: 'datetime-local', name: 'since' });
  const until = h('input', { type: 'datetime-local', name: 'until' });
  const span = h('div', { class: 'form form-inline', hidden: true }, field('From', since), field('Until', until));
  purge.addEventListener('change', () => { span.hidden = purge.value !== 'window'; });
  let close = null;
  const restrict = button(user.restricted ? 'Lift the restriction instead' : 'Shadow-restrict instead', () => {
    close?.();
    restrictDialog(user, done);
  });
  close = reasonForm(`Take down @${user.username}`, 'Deactivate and take down', async (reason) => {
    if (purge.value === 'window' && !since.value && !until.value) throw new Error('Give the start or the end of the window.');
    const body = { userId: user._id, reason, purge: purge.value };
    if (purge.value === 'window') Object.assign(body, { since: isoFrom(since), until: isoFrom(until) });
    await api.post('moderation.takedownUser', body);
    toast(`@${user.username} taken down; the evidence is kept`);
    await done?.();
  }, {
    danger: true,
    extra: [h('p', null, 'Their sessions end and they cannot sign in. An evidence bundle keeps their messages, memberships and logins first.'),
      field('Messages', purge), span, h('div', { class: 'form-actions' }, restrict)],
  });
}

function restrictDialog(user, done) {
  const on = h('input', { type: 'checkbox', checked: !user.restricted }); // users.list tells moderators
  reasonForm(`${user.restricted ? 'Lift the restriction of' : 'Shadow-restrict'} @${user.username}`, 'Save', async (reason) => {
    await api.post('moderation.restrictUser', { userId: user._id, restricted: on.checked, reason });
    toast(on.checked ? `@${user.username} is restricted: their posts reach only them` : `@${user.username} is no longer restricted`);
    await done?.();
  }, { extra: [checkbox('Restricted: their posts, earlier ones too, reach only themselves', on)] });
}

const ROOM_ACTIONS = [
  ['archive', 'Archive: read-only, off the members’ sidebars'],
  ['delete', 'Delete the room and its messages'],
  ['block', 'Delete, reserve the name, and tell the members'],
];

/** Take a room down (archive, delete, or block with a notice to its members). */
export function takedownRoomDialog(room, done) {
  const label = room.t === 'd' ? (room.usernames || []).join(', ') : room.fname || room.name;
  const action = h('select', { name: 'action' }, ROOM_ACTIONS.filter(([v]) => room.t !== 'd' || v === 'delete')
    .map(([v, l]) => h('option', { value: v }, l)));
  const notice = h('textarea', { name: 'notice', rows: '2', maxlength: '1000' });
  const noticeField = field('Notice to the former members (sent from rocket.cat)', notice);
  noticeField.hidden = true;
  action.addEventListener('change', () => { noticeField.hidden = action.value !== 'block'; });
  reasonForm(`Take down ${label}`, 'Take down', async (reason) => {
    const body = { roomId: room._id, action: action.value, reason };
    if (action.value === 'block' && notice.value.trim()) body.notice = notice.value.trim();
    await api.post('moderation.takedownRoom', body);
    toast(`${label} taken down; the evidence is kept`);
    await done?.();
  }, { danger: true, extra: [field('What to do', action), noticeField] });
}

// ---- sign-up bursts ------------------------------------------------------------------------

async function signupBurst(root) {
  const status = await api.get('moderation.signupStatus');
  if (!status.burst) {
    replace(root);
    return;
  }
  replace(root, h('div', { class: 'notice-card', role: 'status' },
    h('strong', null, 'A sign-up burst holds new accounts for approval. '),
    `${status.burst.reason || ''} Until ${formatFull(status.burst.endsAt)}.`,
    button('End the burst now', () => act(() => api.post('moderation.endSignupBurst'), () => signupBurst(root), 'Sign-ups no longer wait for approval'))));
}

// ---- the invite tree -----------------------------------------------------------------------

function inviteNode(node, reload) {
  const count = node.children.length;
  const parts = [
    h('span', { class: node.active ? '' : 'muted' }, `@${node.username || node._id}`),
    node.name ? h('span', { class: 'muted' }, ` ${node.name}`) : null,
    node.active ? null : h('span', { class: 'muted' }, ' (deactivated)'),
    count ? h('span', { class: 'muted' }, ` · invited ${count}`) : null,
    count ? button('Revoke below', (e) => {
      e.preventDefault();
      reasonForm(`Revoke everything below @${node.username}`, 'Revoke and deactivate', (reason) => act(
        () => api.post('invites.revokeTree', { userId: node._id, reason }), reload,
        (r) => `${plural(r.revokedLinks, 'link')} revoked, ${plural(r.deactivated, 'account')} deactivated`), {
        danger: true,
        extra: [h('p', null, `Every invite link @${node.username} and the people below made is revoked, and every account below @${node.username} is deactivated.`)],
      });
    }, { danger: true, aria: `Revoke below ${node.username}` }) : null];
  return h('li', { class: 'invite-node', 'data-username': node.username },
    count ? h('details', null, h('summary', null, parts), h('ul', null, node.children.map((c) => inviteNode(c, reload))))
      : h('div', { class: 'invite-leaf' }, parts));
}

export async function inviteTreeSection(root) {
  const list = h('div', { 'aria-live': 'polite' });
  const load = async () => {
    const r = await api.get('invites.tree');
    replace(list, r.tree.length ? h('ul', { class: 'invite-tree', 'aria-label': 'Invite tree' }, r.tree.map((n) => inviteNode(n, load)))
      : h('p', { class: 'muted' }, 'Nobody has joined through an invite yet.'));
  };
  replace(root, h('p', { class: 'muted' }, 'Who invited whom. Open a person to see who joined through their links.'), list);
  await load();
}

// ---- invite link statistics ----------------------------------------------------------------

export async function inviteStats(invite, done) {
  const r = await api.get('invites.stats', { inviteId: invite._id }).catch(showError);
  if (!r) return;
  const counts = (rows, key) => (rows.length ? h('ul', { class: 'plain-list' }, rows.map((x) => h('li', null, `${x[key]}: ${x.count}`))) : h('p', { class: 'muted' }, 'None yet.'));
  const resume = r.invite.paused ? button('Resume the link', async () => {
    await act(() => api.post('invites.resume', { inviteId: invite._id }), done, 'The link admits people again');
    dialog.close();
  }) : null;
  const { dialog } = modal('Invite link statistics', [
    r.invite.paused ? h('p', { class: 'notice-card', role: 'status' }, 'This link paused itself after a burst of joins.', resume) : null,
    h('p', null, `${plural(r.invite.uses, 'use')}${r.invite.maxUses ? ` of ${r.invite.maxUses}` : ''}.`),
    h('h3', null, 'Joins by day'), counts(r.joins, 'day'),
    h('h3', null, 'Email domains'), counts(r.domains, 'domain'),
    h('h3', null, 'Networks'), counts(r.networks, 'network'),
    h('h3', null, 'Accounts'),
    r.accounts.length ? table(['User', 'Joined', 'Network'], r.accounts.map((a) => h('tr', null,
      h('td', null, `@${a.username}`), h('td', null, formatFull(a.joinedAt || a.createdAt)), h('td', null, a.network || '')))) : h('p', { class: 'muted' }, 'Nobody yet.'),
  ], { wide: true });
}

// ---- evidence ------------------------------------------------------------------------------

async function exportBundle(bundle) {
  try {
    const { blob, name } = await api.download('evidence.export', { bundleId: bundle._id });
    const url = URL.createObjectURL(blob);
    const link = h('a', { href: url, download: name, hidden: true });
    document.body.append(link);
    link.click();
    link.remove();
    setTimeout(() => URL.revokeObjectURL(url), 10000);
  } catch (err) {
    showError(err);
  }
}

export async function evidenceSection(root) {
  const r = await api.get('evidence.list', { count: 100 });
  replace(root,
    h('p', { class: 'muted' }, 'Kept before every takedown, under legal hold. An export is a zip with a manifest of SHA-256 hashes.'),
    r.bundles.length ? table(['Kind', 'Target', 'Reason', 'Kept', 'Files', ''], r.bundles.map((b) => h('tr', { 'data-bundle': b._id },
      h('td', null, b.kind), h('td', null, h('code', null, b.target)), h('td', { class: 'report-text' }, b.reason || ''),
      h('td', null, formatFull(b.createdAt)), h('td', null, String(Object.keys(b.manifest?.files || {}).length)),
      h('td', { class: 'row-actions' }, button('Export', () => exportBundle(b), { aria: `Export bundle ${b._id}` })))), 'Evidence bundles')
      : h('p', { class: 'muted' }, 'No evidence bundles yet.'));
}

// ---- the audit log -------------------------------------------------------------------------

const PAGE = 25;

function change(entry) {
  const text = (v) => (v === null || v === undefined ? '' : JSON.stringify(v));
  const before = text(entry.before), after = text(entry.after);
  if (!before && !after) return '';
  return before ? `${before} → ${after}` : after;
}

export async function auditSection(root) {
  const inputs = {
    actor: h('input', { name: 'actor', placeholder: 'username or id' }),
    action: h('input', { name: 'action', placeholder: 'e.g. moderation.takedownUser' }),
    target: h('input', { name: 'target', placeholder: 'id' }),
    since: h('input', { name: 'since', type: 'date' }),
    until: h('input', { name: 'until', type: 'date' }),
  };
  let offset = 0;
  const list = h('div', { 'aria-live': 'polite' });
  const pager = h('div', { class: 'admin-toolbar pager' });
  const load = async () => {
    const day = (input, end) => (input.value ? new Date(`${input.value}T${end ? '23:59:59.999' : '00:00:00'}`).toISOString() : undefined);
    const r = await api.get('audit.list', {
      actor: inputs.actor.value.trim(), action: inputs.action.value.trim(), target: inputs.target.value.trim(),
      since: day(inputs.since, false), until: day(inputs.until, true), offset, count: PAGE,
    });
    replace(list, r.entries.length ? table(['When', 'Who', 'Action', 'Target', 'Change', 'Address'], r.entries.map((e) => h('tr', null,
      h('td', null, formatFull(e.ts)), h('td', null, e.actor ? `@${e.actor.username}` : 'the server'),
      h('td', null, h('code', null, e.action)), h('td', null, e.target ? `${e.target.type} ${e.target._id}` : ''),
      h('td', { class: 'audit-change' }, change(e)), h('td', null, e.ip || ''))), 'Audit log')
      : h('p', { class: 'muted' }, 'No entries match.'));
    const last = Math.min(offset + r.count, r.total);
    replace(pager,
      h('span', { class: 'muted', role: 'status' }, r.total ? `${offset + 1}–${last} of ${r.total}` : ''),
      h('button', { type: 'button', class: 'button', disabled: offset === 0, onclick: () => { offset = Math.max(0, offset - PAGE); load().catch(showError); } }, 'Newer'),
      h('button', { type: 'button', class: 'button', disabled: last >= r.total, onclick: () => { offset += PAGE; load().catch(showError); } }, 'Older'));
  };
  const filters = h('form', { class: 'form form-inline', 'aria-label': 'Filter the audit log' },
    field('Who', inputs.actor), field('Action', inputs.action), field('Target', inputs.target),
    field('From', inputs.since), field('Until', inputs.until),
    h('div', { class: 'form-actions' }, h('button', { type: 'submit', class: 'button button-primary' }, 'Filter')),
    h('p', { class: 'form-error', role: 'alert' }));
  submitting(filters, async () => {
    offset = 0;
    await load();
  });
  replace(root, filters, list, pager);
  await load();
}
