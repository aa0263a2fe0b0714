// Client-side paths: the server answers index.html for each, the client draws the screen.

import { Emitter } from './dom.js';

export const routes = new Emitter();

export function navigate(path, { replace = false } = {}) {
  if (path === location.pathname + location.search) {
    if (!replace) routes.emit('change');
    return;
  }
  if (replace) history.replaceState(null, '', path);
  else history.pushState(null, '', path);
  routes.emit('change');
}

window.addEventListener('popstate', () => routes.emit('change'));

/** {name, params, query} of the current location. */
export function currentRoute() {
  const parts = location.pathname.split('/').filter(Boolean).map(decodeURIComponent);
  const query = new URLSearchParams(location.search);
  const [first = 'home', ...rest] = parts;
  return { name: first, arg: rest.join('/'), rest, query };
}

export function roomPath(sub) {
  const rid = sub.rid || sub._id;
  if (sub.t === 'd') return `/direct/${encodeURIComponent(rid)}`;
  const name = encodeURIComponent(sub.name);
  return sub.t === 'p' ? `/group/${name}` : `/channel/${name}`;
}

/** Route links: plain clicks navigate in the app, modified clicks keep the browser's way. */
export function linkHandler(e) {
  if (e.defaultPrevented || e.button !== 0 || e.ctrlKey || e.metaKey || e.shiftKey || e.altKey) return;
  const a = e.currentTarget;
  e.preventDefault();
  navigate(a.getAttribute('href'));
}
