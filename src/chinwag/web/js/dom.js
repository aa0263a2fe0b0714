// DOM building without markup strings: every text goes in as a text node, never as HTML.

const PROPERTIES = new Set([
  'value', 'checked', 'disabled', 'selected', 'hidden', 'multiple', 'readOnly', 'required',
  'autofocus', 'tabIndex', 'indeterminate',
]);

/** h('button', {class: 'x', onclick: fn}, 'text', child...) → an element. */
export function h(tag, props, ...children) {
  const el = document.createElement(tag);
  if (props) {
    for (const [key, value] of Object.entries(props)) {
      if (value === null || value === undefined || value === false) continue;
      if (key === 'class') el.className = value;
      else if (key === 'text') el.textContent = value;
      else if (key === 'dataset') Object.assign(el.dataset, value);
      else if (key === 'style') Object.assign(el.style, value);
      else if (key.startsWith('on') && typeof value === 'function') {
        el.addEventListener(key.slice(2).toLowerCase(), value);
      } else if (PROPERTIES.has(key)) el[key] = value;
      else el.setAttribute(key, value === true ? '' : String(value));
    }
  }
  append(el, children);
  return el;
}

/** Append children: strings become text nodes, arrays are flattened, null is skipped. */
export function append(parent, children) {
  for (const child of children) {
    if (child === null || child === undefined || child === false) continue;
    if (Array.isArray(child)) append(parent, child);
    else if (child instanceof Node) parent.appendChild(child);
    else parent.appendChild(document.createTextNode(String(child)));
  }
  return parent;
}

/** Redraw a container without losing the keyboard focus: the element that had it is found
 * again in the new content by its data-focus, data-rid or aria-label. */
export function keepFocus(container, redraw) {
  const active = document.activeElement;
  const inside = active && container.contains(active) && active !== container;
  const attribute = inside && ['data-focus', 'data-rid', 'aria-label'].find((a) => active.hasAttribute(a));
  const key = attribute ? [attribute, active.getAttribute(attribute)] : null;
  redraw();
  if (!key || !key[1]) return;
  const again = [...container.querySelectorAll(`[${key[0]}]`)].find((el) => el.getAttribute(key[0]) === key[1]);
  again?.focus({ preventScroll: true });
}

/** Replace an element's children. */
export function replace(parent, ...children) {
  parent.replaceChildren();
  return append(parent, children);
}

const SVG = 'http://www.w3.org/2000/svg';
// Line icons on a 24-unit grid, drawn with the current text colour.
const ICONS = {
  hash: [['path', 'M4 9h16M4 15h16M10 3 8 21M16 3l-2 18']],
  lock: [['rect', 4, 11, 16, 10, 2], ['path', 'M8 11V7a4 4 0 0 1 8 0v4']],
  people: [['circle', 9, 8, 4], ['path', 'M2 21v-1a6 6 0 0 1 6-6h2a6 6 0 0 1 6 6v1M16 4a4 4 0 0 1 0 8M22 21v-1a6 6 0 0 0-4-5.6']],
  discussion: [['path', 'M21 15a2 2 0 0 1-2 2H8l-5 4V5a2 2 0 0 1 2-2h14a2 2 0 0 1 2 2z']],
  thread: [['path', 'M21 12a8 8 0 0 1-11.6 7.1L4 21l1.9-5.4A8 8 0 1 1 21 12zM8 10h8M8 14h5']],
  home: [['path', 'M3 10.5 12 3l9 7.5V20a1 1 0 0 1-1 1h-5v-6H9v6H4a1 1 0 0 1-1-1z']],
  directory: [['path', 'M4 4h6v6H4zM14 4h6v6h-6zM4 14h6v6H4zM14 14h6v6h-6z']],
  search: [['circle', 11, 11, 7], ['path', 'm20 20-4-4']],
  plus: [['path', 'M12 5v14M5 12h14']],
  info: [['circle', 12, 12, 9], ['path', 'M12 16v-5M12 8h.01']],
  more: [['path', 'M5 12h.01M12 12h.01M19 12h.01']],
  star: [['path', 'M12 3l2.8 5.7 6.2.9-4.5 4.4 1 6.2-5.5-2.9-5.5 2.9 1-6.2L3 9.6l6.2-.9z']],
  smile: [['circle', 12, 12, 9], ['path', 'M8 14s1.5 2 4 2 4-2 4-2M9 9.5h.01M15 9.5h.01']],
  send: [['path', 'M21 3 10 14M21 3l-6.5 18-3.5-7-7-3.5z']],
  close: [['path', 'M18 6 6 18M6 6l12 12']],
  menu: [['path', 'M4 6h16M4 12h16M4 18h16']],
  pin: [['path', 'M9 4h6M10 4v6l-3 4h10l-3-4V4M12 14v7']],
};

/** An inline SVG icon; with a label it is announced, without one it is decoration. */
export function icon(name, label) {
  const svg = document.createElementNS(SVG, 'svg');
  svg.setAttribute('viewBox', '0 0 24 24');
  svg.setAttribute('class', `icon icon-${name}`);
  svg.setAttribute('fill', name === 'star-filled' ? 'currentColor' : 'none');
  svg.setAttribute('stroke', 'currentColor');
  svg.setAttribute('stroke-width', name === 'more' ? '3' : '2');
  svg.setAttribute('stroke-linecap', 'round');
  svg.setAttribute('stroke-linejoin', 'round');
  for (const [kind, ...args] of ICONS[name === 'star-filled' ? 'star' : name] || []) {
    const el = document.createElementNS(SVG, kind);
    if (kind === 'path') el.setAttribute('d', args[0]);
    else if (kind === 'circle') ['cx', 'cy', 'r'].forEach((k, i) => el.setAttribute(k, args[i]));
    else ['x', 'y', 'width', 'height', 'rx'].forEach((k, i) => el.setAttribute(k, args[i]));
    svg.append(el);
  }
  if (label) {
    svg.setAttribute('role', 'img');
    svg.setAttribute('aria-label', label);
  } else svg.setAttribute('aria-hidden', 'true');
  return svg;
}

export function avatar(username, size = 36) {
  const img = h('img', {
    class: 'avatar',
    src: `/avatar/${encodeURIComponent(username || '?')}`,
    alt: '',
    width: size,
    height: size,
    loading: 'lazy',
  });
  return img;
}

const STATUS_LABEL = { online: 'Online', away: 'Away', busy: 'Busy', offline: 'Offline' };

export function statusDot(status) {
  const s = status || 'offline';
  return h('span', { class: `status status-${s}`, title: STATUS_LABEL[s] || s, role: 'img', 'aria-label': STATUS_LABEL[s] || s });
}

export function toDate(value) {
  if (value instanceof Date) return value;
  if (value && typeof value === 'object' && '$date' in value) return new Date(value.$date);
  return value ? new Date(value) : null;
}

const timeFormat = new Intl.DateTimeFormat(undefined, { hour: '2-digit', minute: '2-digit' });
const dayFormat = new Intl.DateTimeFormat(undefined, { weekday: 'long', year: 'numeric', month: 'long', day: 'numeric' });
const fullFormat = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' });

export const formatTime = (d) => timeFormat.format(toDate(d));
export const formatDay = (d) => dayFormat.format(toDate(d));
export const formatFull = (d) => fullFormat.format(toDate(d));

export function sameDay(a, b) {
  const x = toDate(a), y = toDate(b);
  return x.getFullYear() === y.getFullYear() && x.getMonth() === y.getMonth() && x.getDate() === y.getDate();
}

export function debounce(fn, ms) {
  let timer = null;
  const run = (...args) => {
    clearTimeout(timer);
    timer = setTimeout(() => fn(...args), ms);
  };
  run.cancel = () => clearTimeout(timer);
  return run;
}

/** A small event bus: on(name, fn) returns the function that unsubscribes. */
export class Emitter {
  constructor() {
    this.handlers = new Map();
  }
  on(name, fn) {
    if (!this.handlers.has(name)) this.handlers.set(name, new Set());
    this.handlers.get(name).add(fn);
    return () => this.handlers.get(name)?.delete(fn);
  }
  emit(name, ...args) {
    for (const fn of [...(this.handlers.get(name) || [])]) {
      try {
        fn(...args);
      } catch (err) {
        console.error(err);
      }
    }
  }
}

let idCounter = 0;
export const uniqueId = (prefix = 'id') => `${prefix}-${++idCounter}`;

const ALPHABET = '23456789ABCDEFGHJKLMNPQRSTWXYZabcdefghijkmnopqrstuvwxyz';
/** A Meteor-style 17-character id, for messages the client names itself. */
export function randomId() {
  const bytes = crypto.getRandomValues(new Uint8Array(17));
  let id = '';
  for (const b of bytes) id += ALPHABET[b % ALPHABET.length];
  return id;
}
