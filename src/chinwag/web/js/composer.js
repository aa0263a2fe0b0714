// The message box: Enter sends, Shift+Enter breaks the line, Up edits one's last message,
// Esc cancels; @user, #channel and :emoji: complete as one types; typing is announced.

import { api } from './api.js';
import { h, icon, replace } from './dom.js';
import { emojiChar, searchEmoji } from './emoji.js';
import { emojiPicker } from './message.js';
import { store } from './store.js';

const TRIGGER = /(^|[\s(])([@#:])([^\s@#:]*)$/;
const TYPING_EVERY = 3000;
const TYPING_IDLE = 5000;

export class Composer {
  /** opts: {rid, tmid, label, onSend(text, {tshow}), onEdit(message, text), lastOwn(), members()} */
  constructor(opts) {
    this.opts = opts;
    this.editing = null;
    this.typingSent = 0;
    this.typingTimer = null;
    this.suggestions = [];
    this.selected = 0;
    this.textarea = h('textarea', {
      class: 'composer-input',
      rows: '1',
      placeholder: opts.label,
      'aria-label': opts.label,
      'aria-autocomplete': 'list',
      maxlength: String(store.settings.Message_MaxAllowedSize || 5000),
    });
    this.context = h('div', { class: 'composer-context', hidden: true });
    this.popup = h('ul', { class: 'autocomplete', role: 'listbox', 'aria-label': 'Suggestions', hidden: true });
    this.tshow = opts.tmid ? h('input', { type: 'checkbox', id: `tshow-${opts.tmid}` }) : null;
    const emojiButton = h('button', {
      type: 'button', class: 'icon-button', title: 'Emoji', 'aria-label': 'Insert emoji',
      onclick: (e) => emojiPicker(e.currentTarget, (name) => this.insert(`:${name}: `)),
    }, icon('smile'));
    const send = h('button', { type: 'submit', class: 'send-button', title: 'Send', 'aria-label': 'Send' }, icon('send'));
    this.el = h('form', { class: 'composer', 'aria-label': 'Message composer' },
      this.context,
      this.popup,
      h('div', { class: 'composer-row' }, this.textarea, emojiButton, send),
      this.tshow ? h('div', { class: 'composer-options' }, this.tshow, h('label', { for: this.tshow.id }, 'Also send to the room')) : null);
    this.el.addEventListener('submit', (e) => {
      e.preventDefault();
      this.submit();
    });
    this.textarea.addEventListener('keydown', (e) => this.keydown(e));
    this.textarea.addEventListener('input', () => {
      this.grow();
      this.typing();
      this.autocomplete();
    });
    this.textarea.addEventListener('blur', () => setTimeout(() => this.closePopup(), 150));
  }

  focus() {
    this.textarea.focus();
  }

  grow() {
    const t = this.textarea;
    t.style.height = 'auto';
    t.style.height = `${Math.min(t.scrollHeight, 240)}px`;
  }

  insert(text) {
    const t = this.textarea;
    const start = t.selectionStart, end = t.selectionEnd;
    t.value = t.value.slice(0, start) + text + t.value.slice(end);
    t.selectionStart = t.selectionEnd = start + text.length;
    t.focus();
    this.grow();
  }

  setText(text) {
    this.textarea.value = text;
    this.grow();
    this.textarea.focus();
    this.textarea.selectionStart = this.textarea.selectionEnd = text.length;
  }

  keydown(e) {
    if (!this.popup.hidden && this.suggestions.length) {
      if (e.key === 'ArrowDown' || e.key === 'ArrowUp') {
        e.preventDefault();
        const n = this.suggestions.length;
        this.selected = (this.selected + (e.key === 'ArrowDown' ? 1 : n - 1)) % n;
        this.drawPopup();
        return;
      }
      if (e.key === 'Enter' || e.key === 'Tab') {
        e.preventDefault();
        this.choose(this.suggestions[this.selected]);
        return;
      }
      if (e.key === 'Escape') {
        e.preventDefault();
        e.stopPropagation();
        this.closePopup();
        return;
      }
    }
    if (e.key === 'Enter' && !e.shiftKey && !e.isComposing) {
      e.preventDefault();
      this.submit();
    } else if (e.key === 'ArrowUp' && this.textarea.value === '' && !this.editing) {
      const last = this.opts.lastOwn?.();
      if (last) {
        e.preventDefault();
        this.edit(last);
      }
    } else if (e.key === 'Escape' && this.editing) {
      e.preventDefault();
      e.stopPropagation();
      this.cancelEdit();
    }
  }

  edit(message) {
    this.editing = message;
    replace(this.context, h('span', null, 'Editing message'),
      h('button', { type: 'button', class: 'link-button', onclick: () => this.cancelEdit() }, 'Cancel (Esc)'));
    this.context.hidden = false;
    this.el.classList.add('editing');
    this.setText(message.msg || '');
  }

  cancelEdit() {
    this.editing = null;
    this.context.hidden = true;
    this.el.classList.remove('editing');
    this.setText('');
  }

  async submit() {
    const text = this.textarea.value;
    if (!text.trim() && !this.editing) return;
    this.closePopup();
    this.stopTyping();
    if (this.editing) {
      const message = this.editing;
      this.cancelEdit();
      if (text !== message.msg) await this.opts.onEdit(message, text);
      return;
    }
    this.setText('');
    await this.opts.onSend(text, { tshow: !!this.tshow?.checked });
  }

  typing() {
    if (!this.opts.rid || !store.me) return;
    clearTimeout(this.typingTimer);
    if (!this.textarea.value) {
      this.stopTyping();
      return;
    }
    const now = Date.now();
    if (now - this.typingSent > TYPING_EVERY) {
      this.typingSent = now;
      this.notifyTyping(['user-typing']);
    }
    this.typingTimer = setTimeout(() => this.stopTyping(), TYPING_IDLE);
  }

  stopTyping() {
    clearTimeout(this.typingTimer);
    if (!this.typingSent) return;
    this.typingSent = 0;
    this.notifyTyping([]);
  }

  notifyTyping(activities) {
    const extra = this.opts.tmid ? { tmid: this.opts.tmid } : {};
    store.ddp?.call('stream-notify-room', `${this.opts.rid}/user-activity`, store.me.username, activities, extra).catch(() => null);
  }

  async autocomplete() {
    const t = this.textarea;
    const before = t.value.slice(0, t.selectionStart);
    const match = TRIGGER.exec(before);
    if (!match) {
      this.closePopup();
      return;
    }
    const [, , kind, text] = match;
    this.trigger = { kind, start: before.length - text.length - 1, end: t.selectionStart };
    let items = [];
    if (kind === ':') {
      if (text.length < 2) return this.closePopup();
      items = searchEmoji(text).map((name) => ({ label: `${emojiChar(name)} :${name}:`, value: `:${name}: ` }));
    } else if (kind === '@') {
      items = await this.users(text);
    } else {
      items = await this.rooms(text);
    }
    if (this.textarea.value.slice(0, this.textarea.selectionStart) !== before) return; // typed on
    this.suggestions = items.slice(0, 8);
    this.selected = 0;
    this.drawPopup();
  }

  async users(text) {
    const q = text.toLowerCase();
    const seen = new Set();
    const items = [];
    const add = (u) => {
      if (!u.username || seen.has(u.username) || u.username === store.me?.username) return;
      if (!u.username.toLowerCase().startsWith(q) && !(u.name || '').toLowerCase().includes(q)) return;
      seen.add(u.username);
      items.push({ label: u.name && u.name !== u.username ? `@${u.username} · ${u.name}` : `@${u.username}`, value: `@${u.username} ` });
    };
    for (const u of (await this.opts.members?.()) || []) add(u);
    if (items.length < 5 && text) {
      try {
        const r = await api.peek('spotlight', { query: `@${text}` });
        for (const u of r.users) add(u);
      } catch {
        // fewer suggestions then
      }
    }
    for (const special of ['all', 'here']) if (special.startsWith(q)) items.push({ label: `@${special} · notify everyone`, value: `@${special} ` });
    return items;
  }

  async rooms(text) {
    const q = text.toLowerCase();
    const items = [];
    const seen = new Set();
    for (const sub of store.subs.values()) {
      if (sub.t === 'c' && sub.name.toLowerCase().startsWith(q)) {
        seen.add(sub.name);
        items.push({ label: `#${sub.name}`, value: `#${sub.name} ` });
      }
    }
    if (items.length < 5 && text) {
      try {
        const r = await api.peek('spotlight', { query: `#${text}` });
        for (const room of r.rooms) {
          if (room.t === 'c' && !seen.has(room.name)) items.push({ label: `#${room.name}`, value: `#${room.name} ` });
        }
      } catch {
        // fewer suggestions then
      }
    }
    return items;
  }

  drawPopup() {
    if (!this.suggestions.length) return this.closePopup();
    replace(this.popup, this.suggestions.map((s, i) => h('li', {
      role: 'option',
      class: i === this.selected ? 'selected' : '',
      'aria-selected': i === this.selected ? 'true' : 'false',
      onmousedown: (e) => {
        e.preventDefault();
        this.choose(s);
      },
    }, s.label)));
    this.popup.hidden = false;
  }

  closePopup() {
    this.popup.hidden = true;
    this.suggestions = [];
  }

  choose(item) {
    const t = this.textarea;
    const { start, end } = this.trigger;
    t.value = t.value.slice(0, start) + item.value + t.value.slice(end);
    t.selectionStart = t.selectionEnd = start + item.value.length;
    this.closePopup();
    t.focus();
    this.grow();
  }
}
