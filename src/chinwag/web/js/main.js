// Start-up: public settings, a kept login, then the screen the path asks for.

import { ApiError, notices, onSecondFactor, session } from './api.js';
import { inviteView, loginView, registerView, setupView } from './auth.js';
import { h, replace } from './dom.js';
import { applyPreferences } from './pages.js';
import { currentRoute, navigate, routes } from './router.js';
import { store } from './store.js';
import { secondFactorPrompt } from './twofactor.js';
import { toast } from './ui.js';
import { Workspace } from './workspace.js';

const root = document.getElementById('app');
let workspace = null;
let pendingPath = null;

function leaveWorkspace() {
  workspace?.destroy();
  workspace = null;
}

async function render() {
  const route = currentRoute();
  if (store.settings.Show_Setup_Wizard === 'pending' && !store.me) {
    leaveWorkspace();
    if (route.name !== 'setup') history.replaceState(null, '', '/setup');
    setupView(root);
    return;
  }
  if (route.name === 'invite') {
    leaveWorkspace();
    await inviteView(root, route.arg);
    return;
  }
  if (!store.me) {
    leaveWorkspace();
    if (route.name === 'register') {
      registerView(root, route.arg);
      return;
    }
    if (route.name !== 'login') {
      pendingPath = location.pathname + location.search;
      history.replaceState(null, '', '/login');
    }
    loginView(root, pendingPath);
    return;
  }
  if (['login', 'register', 'setup'].includes(route.name) || location.pathname === '/') {
    history.replaceState(null, '', '/home');
  }
  if (!workspace) workspace = new Workspace(root);
  await workspace.show(currentRoute());
}

async function boot() {
  applyPreferences(null);
  performance.mark('chinwag:start');
  try {
    await store.loadSettings();
    performance.mark('chinwag:settings');
  } catch {
    // the screens still work with defaults
  }
  onSecondFactor(secondFactorPrompt);
  let quietUntil = 0;
  notices.on('rate-limited', (wait) => {
    if (Date.now() < quietUntil) return; // one notice per wait, however many requests wait
    quietUntil = Date.now() + wait * 1000;
    toast(`The server asks us to slow down: trying again in ${wait} s…`, 'error');
  });
  store.on('signed-out', (reason) => {
    leaveWorkspace();
    if (reason) toast(reason, 'error');
    navigate('/login', { replace: true });
  });
  if (session.token) {
    replace(root, h('div', { class: 'loading-screen', role: 'status' }, 'Loading…'));
    for (let attempt = 0; session.token && !store.me; attempt += 1) {
      try {
        await store.start();
      } catch (err) {
        if (err instanceof ApiError) break; // the login is gone: sign in again
        replace(root, h('div', { class: 'loading-screen', role: 'status' }, 'Cannot reach the server. Retrying…'));
        await new Promise((resolve) => setTimeout(resolve, Math.min(10000, 1000 * 2 ** attempt)));
      }
    }
  }
  routes.on('change', () => render().catch((err) => console.error(err)));
  await render();
}

boot();
