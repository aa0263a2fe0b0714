// One message on screen: author, body from its md tree, reactions, thread summary, and the
// actions a user may take on it. Also the emoji picker.

import { avatar, formatFull, formatTime, h, icon, replace, toDate } from './dom.js';
import { emojiChar, GROUPS, searchEmoji } from './emoji.js';
import { renderMessageBody } from './md.js';
import { navigate } from './router.js';
import { store } from './store.js';
import { placeBeside } from './ui.js';

const DATES = ['ts', '_updatedAt', 'editedAt', 'tlm', 'pinnedAt', 'dlm'];

/** Messages from REST carry ISO strings, from DDP Date objects: make them all Dates. */
export function normalize(message) {
  for (const key of DATES) if (message[key] && !(message[key] instanceof Date)) message[key] = toDate(message[key]);
  return message;
}

export const SYSTEM = {
  uj: (m) => `${m.u.username} joined the room`,
  ujt: (m) => `${m.u.username} joined the team`,
  ul: (m) => `${m.u.username} left the room`,
  au: (m) => `${m.u.username} added ${m.msg}`,
  ru: (m) => `${m.u.username} removed ${m.msg}`,
  r: (m) => `${m.u.username} changed the room name to ${m.msg}`,
  room_changed_topic: (m) => (m.msg ? `${m.u.username} changed the topic to: ${m.msg}` : `${m.u.username} cleared the topic`),
  room_changed_description: (m) => `${m.u.username} changed the description to: ${m.msg}`,
  room_changed_announcement: (m) => `${m.u.username} changed the announcement to: ${m.msg}`,
  room_changed_privacy: (m) => `${m.u.username} made the room ${m.msg}`,
  'room-set-read-only': (m) => `${m.u.username} made the room read-only`,
  'room-removed-read-only': (m) => `${m.u.username} let everyone post again`,
  'room-allowed-reacting': (m) => `${m.u.username} allowed reactions`,
  'room-disallowed-reacting': (m) => `${m.u.username} disallowed reactions`,
  'room-archived': (m) => `${m.u.username} archived the room`,
  'room-unarchived': (m) => `${m.u.username} unarchived the room`,
  'subscription-role-added': (m) => `${m.u.username} made ${m.msg} ${m.role || 'a role holder'}`,
  'subscription-role-removed': (m) => `${m.u.username} took ${m.role || 'a role'} from ${m.msg}`,
  message_pinned: (m) => `${m.u.username} pinned a message`,
  'discussion-created': (m) => `${m.u.username} started a discussion: ${m.msg}`,
  rm: () => 'This message was removed',
};

export function isSystem(message) {
  return !!message.t;
}

export function canGroup(prev, message) {
  if (!prev || isSystem(prev) || isSystem(message)) return false;
  if (prev.u?._id !== message.u?._id || prev.alias !== message.alias) return false;
  if (message.groupable === false || prev.groupable === false) return false;
  if ((prev.tmid || null) !== (message.tmid || null)) return false;
  return toDate(message.ts) - toDate(prev.ts) < 5 * 60 * 1000;
}

function reactionButton(message, name, usernames, actions) {
  const mine = usernames.includes(store.me?.username);
  const char = emojiChar(name);
  const who = usernames.length > 6 ? `${usernames.slice(0, 6).join(', ')} and ${usernames.length - 6} more` : usernames.join(', ');
  return h('button', {
    type: 'button',
    class: mine ? 'reaction mine' : 'reaction',
    'aria-pressed': mine ? 'true' : 'false',
    title: `${who} reacted with ${name}`,
    'aria-label': `${name} ${usernames.length}`,
    'data-emoji': name,
    onclick: () => actions.react(message, name),
  }, h('span', { class: 'emoji' }, char || name), h('span', { class: 'count' }, String(usernames.length)));
}

function attachments(message, ctx) {
  if (!Array.isArray(message.attachments) || message.attachments.length === 0) return null;
  return message.attachments.map((a) => h('blockquote', { class: 'attachment' },
    a.author_name ? h('div', { class: 'attachment-author' }, String(a.author_name)) : null,
    a.title ? h('div', { class: 'attachment-title' }, String(a.title)) : null,
    a.text ? h('div', { class: 'attachment-text' }, String(a.text)) : null,
    a.message_link && ctx.openLink ? h('button', { type: 'button', class: 'link-button', onclick: () => ctx.openLink(a.message_link) }, 'Jump to message') : null));
}

/** The element for a message. ctx: {grouped, actions, thread (inside a thread panel)}. */
export function renderMessage(message, ctx) {
  const actions = ctx.actions;
  const classes = ['message'];
  if (ctx.grouped) classes.push('grouped');
  if (message.pending) classes.push('pending');
  if (message.failed) classes.push('failed');
  if (message.mentionsMe) classes.push('mentioned');
  const time = toDate(message.ts);
  const timeEl = h('time', { class: 'msg-time', datetime: time.toISOString(), title: formatFull(time) }, formatTime(time));
  if (isSystem(message) && message.t !== 'rm') {
    const describe = SYSTEM[message.t] || ((m) => `${m.u?.username}: ${m.msg}`);
    return h('div', { class: 'message system', 'data-id': message._id },
      h('div', { class: 'system-text' }, describe(message), ' ', timeEl),
      message.t === 'discussion-created' && message.drid ? h('button', { type: 'button', class: 'link-button', onclick: () => actions.openRoomId(message.drid) }, 'Open discussion') : null,
      attachments(message, actions));
  }
  const author = message.alias || message.u?.name || message.u?.username || '?';
  const mdContext = {
    me: store.me?.username,
    navigate,
    openUser: (username) => actions.openUser(username),
  };
  const body = message.t === 'rm' ? h('div', { class: 'body removed' }, 'This message was removed') : renderMessageBody(message, mdContext);
  const meta = ctx.grouped ? null : h('div', { class: 'meta' },
    h('button', { type: 'button', class: 'author', onclick: () => actions.openUser(message.u?.username) }, author),
    message.alias ? null : h('span', { class: 'username' }, `@${message.u?.username}`),
    timeEl,
    message.pinned ? h('span', { class: 'flag', title: 'Pinned' }, '📌') : null,
    (message.starred || []).some((s) => s._id === store.uid) ? h('span', { class: 'flag', title: 'Starred' }, '⭐') : null);
  const extras = [];
  if (message.editedAt) extras.push(h('span', { class: 'edited', title: `Edited ${formatFull(message.editedAt)}` }, '(edited)'));
  if (message.failed) {
    extras.push(h('span', { class: 'failed-note' }, 'Not sent. ',
      h('button', { type: 'button', class: 'link-button', onclick: () => actions.retry(message) }, 'Retry'), ' · ',
      h('button', { type: 'button', class: 'link-button', onclick: () => actions.discard(message) }, 'Discard')));
  }
  const reactions = Object.entries(message.reactions || {}).filter(([, r]) => r.usernames?.length);
  const reactionRow = reactions.length
    ? h('div', { class: 'reactions', role: 'group', 'aria-label': 'Reactions' },
      reactions.map(([name, r]) => reactionButton(message, name, r.usernames, actions)),
      h('button', { type: 'button', class: 'reaction add', 'aria-label': 'Add reaction', title: 'Add reaction', onclick: (e) => actions.pickReaction(message, e.currentTarget) }, icon('smile'), '+'))
    : null;
  const thread = !ctx.thread && message.tcount
    ? h('button', { type: 'button', class: 'thread-summary', onclick: () => actions.openThread(message._id) },
      `${message.tcount} ${message.tcount === 1 ? 'reply' : 'replies'}`,
      message.tlm ? h('span', { class: 'muted' }, ` · last ${formatTime(message.tlm)}`) : null)
    : null;
  const discussion = message.drid && message.t !== 'discussion-created'
    ? h('button', { type: 'button', class: 'thread-summary', onclick: () => actions.openRoomId(message.drid) }, `Discussion · ${message.dcount || 0} messages`)
    : null;
  const el = h('div', { class: classes.join(' '), 'data-id': message._id, tabindex: '-1' },
    ctx.grouped ? h('div', { class: 'gutter' }, h('time', { class: 'msg-time-hover', datetime: time.toISOString(), title: formatFull(time) }, formatTime(time))) : h('div', { class: 'gutter' }, avatar(message.u?.username, 36)),
    h('div', { class: 'content' }, meta, body, extras.length ? h('div', { class: 'extras' }, extras) : null,
      attachments(message, actions), reactionRow, thread, discussion),
    message.pending || message.failed || message.t === 'rm' ? null : toolbar(message, ctx));
  return el;
}

function toolbar(message, ctx) {
  const actions = ctx.actions;
  const bar = h('div', { class: 'toolbar', role: 'toolbar', 'aria-label': 'Message actions' },
    h('button', { type: 'button', class: 'tool', title: 'Add reaction', 'aria-label': 'Add reaction', onclick: (e) => actions.pickReaction(message, e.currentTarget) }, icon('smile')),
    ctx.thread ? null : h('button', { type: 'button', class: 'tool', title: 'Reply in thread', 'aria-label': 'Reply in thread', onclick: () => actions.openThread(message.tmid || message._id) }, icon('thread')),
    h('button', { type: 'button', class: 'tool', title: 'More actions', 'aria-label': 'More actions', 'aria-haspopup': 'menu', onclick: (e) => actions.menu(message, e.currentTarget) }, icon('more')));
  return bar;
}

/** The emoji picker: a searchable grid; `onPick(name)` gets the shortcode without colons. */
export function emojiPicker(anchor, onPick) {
  document.querySelector('.emoji-picker')?.remove();
  const grid = h('div', { class: 'emoji-grid', role: 'listbox', 'aria-label': 'Emoji' });
  const search = h('input', { type: 'search', placeholder: 'Search emoji', 'aria-label': 'Search emoji' });
  const picker = h('div', { class: 'emoji-picker', role: 'dialog', 'aria-label': 'Emoji picker' }, search, grid);
  const close = () => {
    picker.remove();
    document.removeEventListener('mousedown', outside, true);
  };
  const outside = (e) => {
    if (!picker.contains(e.target)) close();
  };
  const button = (name) => h('button', {
    type: 'button', class: 'emoji-choice', title: `:${name}:`, 'aria-label': `:${name}:`, role: 'option',
    onclick: () => {
      close();
      onPick(name);
    },
  }, emojiChar(name));
  const draw = () => {
    const q = search.value.trim().replace(/^:/, '');
    if (q) {
      replace(grid, searchEmoji(q, 60).map(button));
      return;
    }
    replace(grid, GROUPS.map((g) => [h('div', { class: 'emoji-group' }, g.name), g.names.map(button)]));
  };
  search.addEventListener('input', draw);
  picker.addEventListener('keydown', (e) => {
    if (e.key === 'Escape') {
      e.stopPropagation();
      close();
      anchor.focus();
    } else if (e.key === 'Enter' && e.target === search) {
      e.preventDefault();
      grid.querySelector('button')?.click();
    }
  });
  draw();
  placeBeside(picker, anchor);
  document.addEventListener('mousedown', outside, true);
  search.focus();
  return picker;
}
