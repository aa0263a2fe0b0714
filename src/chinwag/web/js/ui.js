// Shared widgets: dialogs, pop-up menus, toasts, form fields.

import { h, icon, uniqueId } from './dom.js';

let toasts = null;

export function toast(message, kind = 'info') {
  if (!toasts) {
    toasts = h('div', { class: 'toasts', role: 'status', 'aria-live': 'polite' });
    document.body.append(toasts);
  }
  const el = h('div', { class: `toast toast-${kind}` }, message);
  toasts.append(el);
  setTimeout(() => el.remove(), kind === 'error' ? 6000 : 3500);
}

export function errorText(err) {
  return err?.reason || err?.message || String(err);
}

export function showError(err) {
  console.error(err);
  toast(errorText(err), 'error');
}

/** A modal dialog; Esc and the close button dismiss it. Returns {dialog, close}. */
export function modal(title, content, { onClose, wide } = {}) {
  const titleId = uniqueId('dlg');
  const dialog = h('dialog', { class: wide ? 'modal modal-wide' : 'modal', 'aria-labelledby': titleId });
  const close = () => {
    if (dialog.open) dialog.close();
  };
  dialog.append(
    h('header', { class: 'modal-head' },
      h('h2', { id: titleId }, title),
      h('button', { type: 'button', class: 'icon-button', 'aria-label': 'Close', onclick: close }, icon('close'))),
    h('div', { class: 'modal-body' }, content),
  );
  dialog.addEventListener('close', () => {
    dialog.remove();
    onClose?.();
  });
  dialog.addEventListener('click', (e) => {
    if (e.target === dialog) close(); // a click on the backdrop
  });
  // A search box would take Esc for clearing itself; in a dialog Esc always closes.
  dialog.addEventListener('keydown', (e) => {
    if (e.key === 'Escape' && !e.defaultPrevented) {
      e.preventDefault();
      close();
    }
  });
  document.body.append(dialog);
  dialog.showModal();
  return { dialog, close };
}

export function confirmDialog(text, { confirm = 'Confirm', danger = false } = {}) {
  return new Promise((resolve) => {
    let answer = false;
    const { close } = modal('Are you sure?', [
      h('p', null, text),
      h('div', { class: 'form-actions' },
        h('button', { type: 'button', class: 'button', onclick: () => close() }, 'Cancel'),
        h('button', {
          type: 'button',
          class: danger ? 'button button-danger' : 'button button-primary',
          onclick: () => {
            answer = true;
            close();
          },
        }, confirm)),
    ], { onClose: () => resolve(answer) });
  });
}

let openMenu = null;

export function closeMenu() {
  if (openMenu) {
    openMenu.remove();
    openMenu = null;
  }
}

/** A pop-up menu beside `anchor`: items are {label, action, danger} or null. */
export function popupMenu(anchor, items, { label = 'Menu' } = {}) {
  closeMenu();
  const buttons = [];
  const menu = h('div', { class: 'popup-menu', role: 'menu', 'aria-label': label });
  for (const item of items) {
    if (!item) continue;
    const button = h('button', {
      type: 'button',
      role: 'menuitem',
      class: item.danger ? 'menu-item danger' : 'menu-item',
      onclick: () => {
        closeMenu();
        item.action();
      },
    }, item.label);
    buttons.push(button);
    menu.append(button);
  }
  menu.addEventListener('keydown', (e) => {
    const i = buttons.indexOf(document.activeElement);
    if (e.key === 'ArrowDown') buttons[(i + 1) % buttons.length]?.focus();
    else if (e.key === 'ArrowUp') buttons[(i - 1 + buttons.length) % buttons.length]?.focus();
    else if (e.key === 'Escape') {
      closeMenu();
      anchor.focus();
    } else return;
    e.preventDefault();
    e.stopPropagation();
  });
  placeBeside(menu, anchor);
  openMenu = menu;
  buttons[0]?.focus();
  return menu;
}

/** Put a floating element in the page next to `anchor`, inside the viewport. */
export function placeBeside(el, anchor) {
  document.body.append(el);
  const a = anchor.getBoundingClientRect();
  const w = el.offsetWidth, ht = el.offsetHeight;
  let left = Math.min(a.left, window.innerWidth - w - 8);
  let top = a.bottom + 4;
  if (top + ht > window.innerHeight - 8) top = Math.max(8, a.top - ht - 4);
  left = Math.max(8, left);
  el.style.left = `${left}px`;
  el.style.top = `${top}px`;
}

document.addEventListener('mousedown', (e) => {
  if (openMenu && !openMenu.contains(e.target)) closeMenu();
});

/** A data table: column headers, then <tr> rows. */
export function table(headers, rows, label) {
  return h('div', { class: 'table-wrap' }, h('table', { class: 'admin-table', 'aria-label': label || null },
    h('thead', null, h('tr', null, headers.map((t) => h('th', { scope: 'col' }, t)))),
    h('tbody', null, rows)));
}

export function field(label, input, hint) {
  const id = input.id || uniqueId('f');
  input.id = id;
  return h('div', { class: 'field' },
    h('label', { for: id }, label),
    input,
    hint ? h('div', { class: 'hint' }, hint) : null);
}

export function checkbox(label, input) {
  const id = input.id || uniqueId('c');
  input.id = id;
  return h('div', { class: 'field field-check' }, input, h('label', { for: id }, label));
}

/** A submit handler that disables the form while it runs and shows what went wrong. */
export function submitting(form, run) {
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    const error = form.querySelector('.form-error');
    if (error) error.textContent = '';
    const buttons = form.querySelectorAll('button');
    buttons.forEach((b) => { b.disabled = true; });
    try {
      await run();
    } catch (err) {
      console.error(err);
      if (error) error.textContent = errorText(err);
      else toast(errorText(err), 'error');
    } finally {
      buttons.forEach((b) => { b.disabled = false; });
    }
  });
  return form;
}
