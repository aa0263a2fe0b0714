// The quick switcher (Ctrl/Cmd+K): type part of a room or person's name, Enter opens it.

import { api } from './api.js';
import { h, replace } from './dom.js';
import { navigate, roomPath } from './router.js';
import { displayName, openDirect } from './sidebar.js';
import { store } from './store.js';
import { modal, showError } from './ui.js';

export function quickSwitcher() {
  if (document.querySelector('.switcher')) return;
  const input = h('input', { type: 'search', class: 'switcher-input', placeholder: 'Jump to a room or person', 'aria-label': 'Jump to', 'aria-controls': 'switcher-list', 'aria-autocomplete': 'list' });
  const list = h('ul', { class: 'switcher-list', id: 'switcher-list', role: 'listbox', 'aria-label': 'Matches' });
  let items = [];
  let selected = 0;
  const { close, dialog } = modal('Jump to', h('div', { class: 'switcher' }, input, list));
  const choose = (item) => {
    close();
    item.go();
  };
  const draw = () => {
    replace(list, items.map((item, i) => h('li', {
      role: 'option', class: i === selected ? 'selected' : '', 'aria-selected': String(i === selected),
      onclick: () => choose(item),
    }, item.label, item.hint ? h('span', { class: 'muted' }, ` ${item.hint}`) : null)));
  };
  const search = async () => {
    const q = input.value.trim().toLowerCase().replace(/^[#@]/, '');
    const subs = [...store.subs.values()]
      .filter((s) => displayName(s).toLowerCase().includes(q))
      .sort((a, b) => (b.unread || 0) - (a.unread || 0) || displayName(a).localeCompare(displayName(b)))
      .slice(0, 8);
    items = subs.map((s) => ({ label: `${s.t === 'd' ? '@' : s.t === 'p' ? '🔒 ' : '#'}${displayName(s)}`, hint: s.unread ? `${s.unread} unread` : '', go: () => navigate(roomPath(s)) }));
    selected = 0;
    draw();
    if (!q) return;
    try {
      const r = await api.peek('spotlight', { query: q });
      if (input.value.trim().toLowerCase().replace(/^[#@]/, '') !== q) return;
      const have = new Set(subs.map((s) => s.rid));
      for (const room of r.rooms) {
        if (!have.has(room._id) && items.length < 12) items.push({ label: `#${room.fname || room.name}`, hint: 'join', go: () => navigate(roomPath(room)) });
      }
      for (const u of r.users) {
        if (u._id !== store.uid && items.length < 14 && !subs.some((s) => s.t === 'd' && s.name === u.username)) {
          items.push({ label: `@${u.username}`, hint: u.name || '', go: () => openDirect(u.username).catch(showError) });
        }
      }
      draw();
    } catch {
      // local matches are still there
    }
  };
  input.addEventListener('input', search);
  input.addEventListener('keydown', (e) => {
    if (e.key === 'ArrowDown' || e.key === 'ArrowUp') {
      e.preventDefault();
      if (!items.length) return;
      selected = (selected + (e.key === 'ArrowDown' ? 1 : items.length - 1)) % items.length;
      draw();
    } else if (e.key === 'Enter') {
      e.preventDefault();
      if (items[selected]) choose(items[selected]);
    }
  });
  dialog.classList.add('switcher-dialog');
  search();
  input.focus();
}
