// Two-factor authentication: the code step of signing in, the prompt guarded calls raise,
// and the account page's section to enrol an authenticator app or codes by email.

import { api } from './api.js';
import { h, replace } from './dom.js';
import { store } from './store.js';
import { errorText, field, modal, showError, submitting, toast } from './ui.js';

const ASK = {
  totp: ['Code from your authenticator app', 'Open the app and type the 6-digit code it shows. A backup code works too.'],
  email: ['Code from your email', 'We sent a 6-digit code to your email address. It may take a minute to arrive.'],
  password: ['Your password', 'Confirm it is you with your password.'],
};

// The 2fa:* methods answer a wrong code with these (or with a plain false / null).
const METHOD_ERRORS = { 'invalid-totp': 'That code is not right. Check it and try again.' };

function methodError(err) {
  return METHOD_ERRORS[err?.error] || errorText(err);
}

/** A form asking for one code; `submit(code, method)` throws to show an error, and for
 * codes by email a "Send again" button mails a new one. */
export function codeForm(details, submit, { label = 'Verification code', cancel = null, problem = '' } = {}) {
  const method = details?.method || 'totp';
  const [title, hint] = ASK[method] || ASK.totp;
  const code = h('input', {
    name: 'code', required: true, autofocus: true, type: method === 'password' ? 'password' : 'text',
    autocomplete: method === 'password' ? 'current-password' : 'one-time-code',
    inputmode: method === 'password' ? null : 'numeric', spellcheck: 'false',
  });
  const error = h('p', { class: 'form-error', role: 'alert' }, problem);
  const resend = method === 'email' ? h('button', {
    type: 'button', class: 'button',
    onclick: async () => {
      try {
        await api.post('users.2fa.sendEmailCode', { emailOrUsername: details.emailOrUsername || '' });
        toast('A new code is on its way');
      } catch (err) {
        showError(err);
      }
    },
  }, 'Send again') : null;
  const form = h('form', { class: 'form', 'aria-label': label },
    field(title, code, hint), error,
    h('div', { class: 'form-actions' },
      cancel ? h('button', { type: 'button', class: 'button', onclick: cancel }, 'Cancel') : null,
      resend,
      h('button', { type: 'submit', class: 'button button-primary' }, 'Verify')));
  submitting(form, async () => {
    await submit(code.value.trim(), method);
    code.value = '';
  });
  setTimeout(() => code.focus(), 0);
  return form;
}

/** The prompt a guarded REST call shows; resolves with {code, method}, or null if dismissed. */
export function secondFactorPrompt(err) {
  return new Promise((resolve) => {
    let answered = false;
    const { close } = modal('Confirm it is you', codeForm(err.details, async (code, method) => {
      answered = true;
      resolve({ code, method });
      close();
    }, {
      label: 'Verification',
      cancel: () => close(),
      problem: err.code === 'totp-invalid' ? err.message : '', // asked again after a wrong code
    }), { onClose: () => answered || resolve(null) });
  });
}

function backupCodes(codes) {
  return h('div', { class: 'backup-codes' },
    h('p', null, 'Backup codes: keep them somewhere safe. Each one signs you in once if you lose your phone.'),
    h('ol', { class: 'code-list', 'aria-label': 'Backup codes' }, codes.map((c) => h('li', null, h('code', null, c)))));
}

function totpEnrolment(box, redraw) {
  const start = h('button', {
    type: 'button', class: 'button button-primary',
    onclick: async () => {
      let enrolment;
      try {
        enrolment = await store.ddp.call('2fa:enable');
      } catch (err) {
        showError(err);
        return;
      }
      // Only a data: image the server drew; an <img> never runs what an SVG might hold.
      const qr = String(enrolment.qrCode || '').startsWith('data:image/svg+xml;')
        ? h('img', { class: 'qr-code', src: enrolment.qrCode, alt: 'QR code for your authenticator app', width: 180, height: 180 })
        : null;
      const form = codeForm({ method: 'totp' }, async (code) => {
        let r;
        try {
          r = await store.ddp.call('2fa:validateTempToken', code);
        } catch (err) {
          throw new Error(methodError(err));
        }
        store.me.services = { ...(store.me.services || {}), totp: { enabled: true } };
        replace(box, h('p', { role: 'status' }, 'Two-factor authentication with an authenticator app is on.'),
          backupCodes(r.codes), h('button', { type: 'button', class: 'button', onclick: redraw }, 'Done'));
      }, { label: 'Confirm the authenticator app' });
      replace(box,
        h('p', null, 'Scan this QR code with an authenticator app (such as FreeOTP, Aegis or Google Authenticator), then type the code it shows.'),
        qr,
        h('p', { class: 'muted' }, 'Or enter this key by hand: ', h('code', { class: 'totp-secret', 'aria-label': 'Secret key' }, enrolment.secret)),
        form);
    },
  }, 'Set up an authenticator app');
  return [h('p', { class: 'muted' }, 'Off. Sign-ins will ask for a code from an app on your phone once you turn this on.'), start];
}

function totpEnrolled(box, redraw) {
  const remaining = h('span', { class: 'muted' });
  store.ddp.call('2fa:checkCodesRemaining').then((r) => {
    remaining.textContent = ` ${r.remaining} backup codes left.`;
  }).catch(() => null);
  const ask = (label, run) => h('button', {
    type: 'button', class: 'button',
    onclick: () => {
      const { close } = modal(label, codeForm({ method: 'totp' }, async (code) => {
        let result;
        try {
          result = await run(code);
        } catch (err) {
          throw new Error(methodError(err));
        }
        if (!result) throw new Error(METHOD_ERRORS['invalid-totp']);
        close();
      }, { label, cancel: () => close() }));
    },
  }, label);
  return [
    h('p', null, 'On: sign-ins ask for a code from your authenticator app.', remaining),
    h('div', { class: 'form-actions' },
      ask('Regenerate backup codes', async (code) => {
        const r = await store.ddp.call('2fa:regenerateCodes', code);
        if (r) replace(box, backupCodes(r.codes), h('button', { type: 'button', class: 'button', onclick: redraw }, 'Done'));
        return r;
      }),
      ask('Turn off the authenticator app', async (code) => {
        const off = await store.ddp.call('2fa:disable', code);
        if (off) {
          store.me.services = { ...(store.me.services || {}), totp: { enabled: false } };
          toast('Authenticator app turned off');
          redraw();
        }
        return off;
      })),
  ];
}

function emailSection(redraw) {
  const on = !!store.me.services?.email2fa?.enabled;
  const toggle = h('button', {
    type: 'button', class: 'button',
    onclick: async () => {
      try {
        await api.post(on ? 'users.2fa.disableEmail' : 'users.2fa.enableEmail');
        store.me.services = { ...(store.me.services || {}), email2fa: { enabled: !on } };
        toast(on ? 'Codes by email turned off' : 'Codes by email turned on');
        redraw();
      } catch (err) {
        showError(err);
      }
    },
  }, on ? 'Turn off codes by email' : 'Turn on codes by email');
  return [
    h('h3', null, 'Codes by email'),
    h('p', { class: 'muted' }, on ? 'On: when there is no authenticator app, sign-ins ask for a code we email you.'
      : 'Off. Needs a verified email address and a mail server.'),
    h('div', { class: 'form-actions' }, toggle),
  ];
}

/** The account page's "Two-factor authentication" section. */
export function securitySection() {
  const s = store.settings;
  const section = h('div', { class: 'form', 'aria-label': 'Two-factor authentication', role: 'region' });
  if (s.Accounts_TwoFactorAuthentication_Enabled === false) return null;
  const redraw = () => {
    const box = h('div', { class: 'totp-box' });
    const totpOn = !!store.me.services?.totp?.enabled;
    if (s.Accounts_TwoFactorAuthentication_By_TOTP_Enabled !== false) {
      replace(box, ...(totpOn ? totpEnrolled(box, redraw) : totpEnrolment(box, redraw)));
    }
    replace(section, h('h2', null, 'Two-factor authentication'),
      s.Accounts_TwoFactorAuthentication_By_TOTP_Enabled !== false ? [h('h3', null, 'Authenticator app'), box] : null,
      s.Accounts_TwoFactorAuthentication_By_Email_Enabled !== false ? emailSection(redraw) : null);
  };
  redraw();
  return section;
}
