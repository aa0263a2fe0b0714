// A message's `md` tree (Rocket.Chat's message-parser AST) → DOM nodes. Text only ever goes
// in through text nodes; links are checked to be web, mail or phone links.

import { h } from './dom.js';
import { emojiChar } from './emoji.js';

const SAFE_PROTOCOLS = new Set(['http:', 'https:', 'mailto:', 'tel:', 'ftp:']);

/** A link target we are willing to put in an href, or null. */
export function safeHref(src) {
  if (typeof src !== 'string' || !src) return null;
  try {
    const url = new URL(src, location.href);
    return SAFE_PROTOCOLS.has(url.protocol) ? url.href : null;
  } catch {
    return null;
  }
}

/** Whether a URL leads into this app (a room or message link) rather than away from it. */
export function internalPath(href) {
  try {
    const url = new URL(href, location.href);
    if (url.origin !== location.origin) return null;
    if (!/^\/(channel|group|direct|directory|home|account|admin|invite)\b/.test(url.pathname)) return null;
    return url.pathname + url.search;
  } catch {
    return null;
  }
}

export function link(href, children, navigate) {
  const safe = safeHref(href);
  if (!safe) return h('span', null, children);
  const inside = internalPath(safe);
  if (inside && navigate) {
    return h('a', {
      href: safe,
      onclick: (e) => {
        if (e.ctrlKey || e.metaKey || e.shiftKey || e.button !== 0) return;
        e.preventDefault();
        navigate(inside);
      },
    }, children);
  }
  return h('a', { href: safe, target: '_blank', rel: 'noopener noreferrer' }, children);
}

function text(node) {
  if (!node) return '';
  if (typeof node === 'string') return node;
  if (node.type === 'PLAIN_TEXT') return node.value;
  if (Array.isArray(node)) return node.map(text).join('');
  if (Array.isArray(node.value)) return node.value.map(text).join('');
  return '';
}

function emoji(node) {
  if (node.unicode) return h('span', { class: 'emoji' }, node.unicode);
  const code = node.shortCode || text(node.value);
  const char = emojiChar(code);
  if (!char) return `:${code}:`;
  return h('span', { class: 'emoji', title: `:${code}:`, role: 'img', 'aria-label': `:${code}:` }, char);
}

const TIME_FORMATS = {
  t: { timeStyle: 'short' },
  T: { timeStyle: 'medium' },
  d: { dateStyle: 'short' },
  D: { dateStyle: 'long' },
  f: { dateStyle: 'long', timeStyle: 'short' },
  F: { dateStyle: 'full', timeStyle: 'short' },
};

function relative(date) {
  const seconds = Math.round((date.getTime() - Date.now()) / 1000);
  const units = [['year', 31536000], ['month', 2592000], ['day', 86400], ['hour', 3600], ['minute', 60]];
  const rtf = new Intl.RelativeTimeFormat(undefined, { numeric: 'auto' });
  for (const [unit, size] of units) if (Math.abs(seconds) >= size) return rtf.format(Math.round(seconds / size), unit);
  return rtf.format(seconds, 'second');
}

function timestamp(node) {
  const date = new Date(Number(node.value.timestamp) * 1000);
  if (Number.isNaN(date.getTime())) return text(node.value.timestamp);
  const format = node.value.format || 't';
  const label = format === 'R' ? relative(date) : new Intl.DateTimeFormat(undefined, TIME_FORMATS[format] || TIME_FORMATS.t).format(date);
  return h('time', { datetime: date.toISOString(), title: date.toLocaleString() }, label);
}

class Renderer {
  constructor(ctx) {
    this.ctx = ctx || {};
  }

  inlines(nodes) {
    if (!Array.isArray(nodes)) nodes = nodes ? [nodes] : [];
    return nodes.map((n) => this.inline(n));
  }

  inline(node) {
    switch (node?.type) {
      case 'PLAIN_TEXT':
        return node.value;
      case 'BOLD':
        return h('strong', null, this.inlines(node.value));
      case 'ITALIC':
        return h('em', null, this.inlines(node.value));
      case 'STRIKE':
        return h('s', null, this.inlines(node.value));
      case 'INLINE_CODE':
        return h('code', { class: 'inline-code' }, text(node.value));
      case 'INLINE_KATEX':
        return h('code', { class: 'katex' }, String(node.value));
      case 'LINK': {
        const label = node.value.label;
        const children = Array.isArray(label) ? this.inlines(label) : this.inlines([label]);
        return link(text(node.value.src), children, this.ctx.navigate);
      }
      case 'IMAGE':
        return link(text(node.value.src), [`🖼 ${text(node.value.label) || text(node.value.src)}`], this.ctx.navigate);
      case 'MENTION_USER':
        return this.mentionUser(text(node.value));
      case 'MENTION_CHANNEL':
        return this.mentionChannel(text(node.value));
      case 'EMOJI':
        return emoji(node);
      case 'COLOR': {
        const { r, g, b, a } = node.value;
        const swatch = h('span', { class: 'color-swatch' });
        swatch.style.backgroundColor = `rgba(${r}, ${g}, ${b}, ${a / 255})`;
        const hex = `#${[r, g, b].map((v) => v.toString(16).padStart(2, '0')).join('')}`;
        return h('span', { class: 'color' }, swatch, hex);
      }
      case 'TIMESTAMP':
        return timestamp(node);
      case 'SPOILER':
        return h('span', {
          class: 'spoiler', tabindex: '0', role: 'button', 'aria-label': 'Spoiler: show',
          onclick: (e) => e.currentTarget.classList.add('revealed'),
        }, this.inlines(node.value));
      case 'LINE_BREAK':
        return h('br');
      default:
        return text(node);
    }
  }

  mentionUser(username) {
    const me = this.ctx.me;
    const special = username === 'all' || username === 'here';
    const cls = special ? 'mention mention-all' : username === me ? 'mention mention-me' : 'mention';
    return h('button', {
      type: 'button',
      class: cls,
      onclick: special ? null : () => this.ctx.openUser?.(username),
    }, `@${username}`);
  }

  mentionChannel(name) {
    return h('a', {
      class: 'mention mention-channel',
      href: `/channel/${encodeURIComponent(name)}`,
      onclick: (e) => {
        if (e.ctrlKey || e.metaKey) return;
        e.preventDefault();
        this.ctx.navigate?.(`/channel/${encodeURIComponent(name)}`);
      },
    }, `#${name}`);
  }

  blocks(nodes) {
    return (nodes || []).map((n) => this.block(n));
  }

  block(node) {
    switch (node?.type) {
      case 'PARAGRAPH':
        return h('p', null, this.inlines(node.value));
      case 'HEADING':
        return h(`h${Math.min(Math.max(node.level || 1, 1), 4) + 2}`, { class: 'md-heading' }, this.inlines(node.value));
      case 'CODE': {
        const lines = (node.value || []).map((line) => text(line.value)).join('\n');
        const lang = node.language && node.language !== 'none' ? node.language : null;
        return h('pre', { class: 'code-block', 'data-language': lang }, h('code', null, lines));
      }
      case 'QUOTE':
        return h('blockquote', null, this.blocks(node.value));
      case 'UNORDERED_LIST':
        return h('ul', null, (node.value || []).map((item) => h('li', null, this.inlines(item.value))));
      case 'ORDERED_LIST':
        return h('ol', null, (node.value || []).map((item) => h('li', { value: item.number ?? null }, this.inlines(item.value))));
      case 'TASKS':
        return h('ul', { class: 'tasks' }, (node.value || []).map((task) => h('li', null,
          h('input', { type: 'checkbox', checked: !!task.status, disabled: true, 'aria-label': task.status ? 'Done' : 'Not done' }),
          ' ', this.inlines(task.value))));
      case 'BIG_EMOJI':
        return h('div', { class: 'big-emoji' }, (node.value || []).map(emoji));
      case 'LINE_BREAK':
        return null;
      case 'KATEX':
        return h('pre', { class: 'katex' }, String(node.value));
      case 'SPOILER_BLOCK':
        return h('details', { class: 'spoiler-block' }, h('summary', null, 'Spoiler'), this.blocks(node.value));
      case 'HORIZONTAL_RULE':
        return h('hr');
      case 'TABLE':
        return this.table(node.value);
      default:
        return this.inline(node);
    }
  }

  table(value) {
    const cell = (tag, c) => {
      const el = h(tag, null, this.inlines(c.value));
      if (c.align) el.style.textAlign = c.align;
      return el;
    };
    return h('div', { class: 'table-wrap' }, h('table', null,
      h('thead', null, h('tr', null, (value.header || []).map((c) => cell('th', c)))),
      h('tbody', null, (value.rows || []).map((row) => h('tr', null, (row.value || []).map((c) => cell('td', c)))))));
  }
}

/** Render a message body: its md tree when present, else its text as typed. */
export function renderMessageBody(message, ctx) {
  const body = h('div', { class: 'body' });
  if (Array.isArray(message.md) && message.md.length) {
    try {
      const renderer = new Renderer(ctx);
      for (const el of renderer.blocks(message.md)) if (el !== null && el !== undefined) body.append(el);
      return body;
    } catch (err) {
      console.error(err);
      body.replaceChildren();
    }
  }
  body.append(h('p', { class: 'plain' }, message.msg || ''));
  return body;
}

/** Plain text of a message for previews, notifications and quotes. */
export function plainText(message) {
  return message.msg || '';
}
