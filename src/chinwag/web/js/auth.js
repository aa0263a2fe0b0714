// Screens before the workspace: first-run setup, sign-in, sign-up, and joining by invite link.

import { api, session } from './api.js';
import { h, replace } from './dom.js';
import { navigate, roomPath } from './router.js';
import { store } from './store.js';
import { codeForm } from './twofactor.js';
import { field, submitting, toast } from './ui.js';

function input(name, type = 'text', extra = {}) {
  return h('input', { name, type, required: true, ...extra });
}

function card(title, subtitle, ...content) {
  return h('div', { class: 'auth' },
    h('div', { class: 'auth-card' },
      h('div', { class: 'auth-brand' }, h('img', { class: 'logo', src: document.querySelector('link[rel=icon]')?.href || '', alt: '', width: 28, height: 28 }), store.settings.Site_Name || 'Chinwag'),
      h('h1', null, title),
      subtitle ? h('p', { class: 'muted' }, subtitle) : null,
      ...content));
}

function passwordFields(withConfirm) {
  const password = input('password', 'password', { autocomplete: 'new-password', minlength: '8' });
  const confirm = withConfirm ? input('confirm', 'password', { autocomplete: 'new-password' }) : null;
  const check = () => {
    if (confirm && confirm.value !== password.value) throw new Error('The passwords do not match.');
  };
  const fields = [field('Password', password, 'At least 8 characters.')];
  if (confirm) fields.push(field('Confirm password', confirm));
  return { password, fields, check };
}

function accountFields({ email = '' } = {}) {
  const name = input('name', 'text', { autocomplete: 'name', required: !!store.settings.Accounts_RequireNameForSignUp });
  const username = input('username', 'text', { autocomplete: 'username', pattern: '[0-9a-zA-Z\\-_.]+', maxlength: '120' });
  const mail = input('email', 'email', { autocomplete: 'email', value: email });
  mail.addEventListener('input', () => {
    if (!username.dataset.touched) username.value = mail.value.split('@')[0].replace(/[^0-9a-zA-Z\-_.]/g, '');
  });
  username.addEventListener('input', () => { username.dataset.touched = '1'; });
  const passwords = passwordFields(store.settings.Accounts_RequirePasswordConfirmation !== false);
  return {
    fields: [field('Email', mail), field('Name', name), field('Username', username, 'Letters, digits, - _ and .'), ...passwords.fields],
    values: () => {
      passwords.check();
      return { email: mail.value.trim(), name: name.value.trim(), username: username.value.trim(), pass: passwords.password.value };
    },
  };
}

export function setupView(root) {
  const site = input('site', 'text', { value: store.settings.Site_Name || 'Chinwag' });
  const account = accountFields();
  const form = h('form', { class: 'form', 'aria-label': 'Set up the workspace' },
    field('Workspace name', site),
    h('h2', { class: 'form-section' }, 'Administrator account'),
    ...account.fields,
    h('p', { class: 'form-error', role: 'alert' }),
    h('button', { class: 'button button-primary button-wide', type: 'submit' }, 'Create workspace'));
  submitting(form, async () => {
    const values = account.values();
    session.clear();
    await api.post('users.register', values);
    await store.signIn(values.username, values.pass);
    await api.post('settings/Site_Name', { value: site.value.trim() || 'Chinwag' });
    await api.post('settings/Show_Setup_Wizard', { value: 'completed' });
    store.settings.Site_Name = site.value.trim() || 'Chinwag';
    store.settings.Show_Setup_Wizard = 'completed';
    navigate('/home', { replace: true });
  });
  replace(root, card('Welcome! Let’s set up your workspace', 'You will be its administrator.', form));
}

function signInForm(after) {
  const user = input('user', 'text', { autocomplete: 'username', autofocus: true });
  const password = input('password', 'password', { autocomplete: 'current-password' });
  const form = h('form', { class: 'form', 'aria-label': 'Sign in' },
    field('Username or email', user),
    field('Password', password),
    h('p', { class: 'form-error', role: 'alert' }),
    h('button', { class: 'button button-primary button-wide', type: 'submit' }, 'Sign in'));
  submitting(form, async () => {
    try {
      await store.signIn(user.value.trim(), password.value);
    } catch (err) {
      if (err.code !== 'totp-required') throw err;
      askForCode(form, err.details, (code) => store.signIn(user.value.trim(), password.value, code), after);
      return;
    }
    await after();
  });
  return form;
}

/** The second step of signing in: the password was right, now the code the server asked
 * for (the app's, or one it mailed); a wrong one says so and the person tries again. */
function askForCode(form, details, signIn, after) {
  const step = codeForm(details, async (code) => {
    await signIn(code);
    await after();
  }, {
    label: 'Two-factor authentication',
    cancel: () => {
      step.remove();
      form.hidden = false;
    },
  });
  form.hidden = true;
  form.after(step);
}

export function loginView(root, next) {
  const mode = store.settings.Accounts_RegistrationForm;
  const footer = mode === 'Public'
    ? h('p', { class: 'auth-alt' }, 'New here? ', h('a', { href: '/register', onclick: (e) => { e.preventDefault(); navigate('/register'); } }, 'Create an account'))
    : mode === 'Disabled' ? h('p', { class: 'auth-alt muted' }, store.settings.Accounts_RegistrationForm_LinkReplacementText || '') : null;
  const form = signInForm(async () => navigate(next && next !== '/login' ? next : '/home', { replace: true }));
  replace(root, card('Sign in', null, form, footer));
}

export function registerView(root, secret) {
  const mode = store.settings.Accounts_RegistrationForm;
  if (mode !== 'Public' && !(mode === 'Secret URL' && secret)) {
    replace(root, card('Sign-up is closed', store.settings.Accounts_RegistrationForm_LinkReplacementText || 'Ask an administrator for an invite link.',
      h('a', { class: 'button', href: '/login', onclick: (e) => { e.preventDefault(); navigate('/login'); } }, 'Back to sign in')));
    return;
  }
  const account = accountFields();
  const form = h('form', { class: 'form', 'aria-label': 'Create an account' },
    ...account.fields,
    h('p', { class: 'form-error', role: 'alert' }),
    h('button', { class: 'button button-primary button-wide', type: 'submit' }, 'Create account'));
  submitting(form, async () => {
    const values = account.values();
    session.clear();
    await api.post('users.register', secret ? { ...values, secretURL: secret } : values);
    if (store.settings.Accounts_ManuallyApproveNewUsers) {
      replace(root, card('Thanks for signing up', 'An administrator will approve your account; you can sign in once they have.'));
      return;
    }
    await store.signIn(values.username, values.pass);
    navigate('/home', { replace: true });
  });
  replace(root, card('Create your account', null, form,
    h('p', { class: 'auth-alt' }, 'Have an account? ', h('a', { href: '/login', onclick: (e) => { e.preventDefault(); navigate('/login'); } }, 'Sign in'))));
}

async function joinThroughInvite(token) {
  const r = await api.post('useInviteToken', { token });
  const room = r.room;
  // The new subscription arrives on the stream; open the room once it is known.
  await store.syncChanges().catch(() => null);
  navigate(roomPath({ rid: room.rid, t: room.t, name: room.name }), { replace: true });
}

export async function inviteView(root, token) {
  replace(root, card('Checking your invite…', null));
  let answer;
  try {
    answer = await api.post('validateInviteToken', { token });
  } catch {
    answer = { valid: false };
  }
  if (!answer.valid) {
    replace(root, card('This invite link is not valid', 'It may have expired or been used up. Ask for a new one.',
      h('a', { class: 'button', href: '/login', onclick: (e) => { e.preventDefault(); navigate('/login'); } }, 'Go to sign in')));
    return;
  }
  const room = answer.room;
  const roomName = room ? `${room.t === 'p' ? '🔒 ' : '#'}${room.fname || room.name}` : 'a room';
  const title = `You are invited to join ${roomName}`;
  const site = store.settings.Site_Name || 'Chinwag';
  if (store.me) {
    const join = h('button', { class: 'button button-primary button-wide', type: 'button' }, `Join ${roomName}`);
    join.addEventListener('click', () => joinThroughInvite(token).catch((err) => toast(err.message, 'error')));
    replace(root, card(title, `on ${site}`, join));
    return;
  }
  const account = accountFields();
  const register = h('form', { class: 'form', 'aria-label': 'Create an account and join' },
    ...account.fields,
    h('p', { class: 'form-error', role: 'alert' }),
    h('button', { class: 'button button-primary button-wide', type: 'submit' }, 'Create account and join'));
  submitting(register, async () => {
    const values = account.values();
    session.clear();
    await api.post('users.register', { ...values, secretURL: token });
    if (store.settings.Accounts_ManuallyApproveNewUsers) {
      replace(root, card('Thanks for signing up', 'An administrator will approve your account; you can sign in once they have.'));
      return;
    }
    await store.signIn(values.username, values.pass);
    await joinThroughInvite(token);
  });
  const signIn = signInForm(() => joinThroughInvite(token));
  signIn.hidden = true;
  const toggle = h('button', { type: 'button', class: 'link-button' }, 'I already have an account');
  toggle.addEventListener('click', () => {
    register.hidden = !register.hidden;
    signIn.hidden = !signIn.hidden;
    toggle.textContent = register.hidden ? 'Create a new account instead' : 'I already have an account';
  });
  replace(root, card(title, `on ${site}`, register, signIn, h('p', { class: 'auth-alt' }, toggle)));
}
