// The REST API under /api/v1, and the login kept in localStorage across reloads.

import { Emitter } from './dom.js';

// Rocket.Chat's second-factor refusals, in words a person can act on.
const SECOND_FACTOR_TEXT = {
  'totp-required': 'A verification code is required.',
  'totp-invalid': 'That code is not right. Check it and try again.',
  'totp-max-attempts': 'Too many wrong codes. Ask for a new code by email.',
};

export class ApiError extends Error {
  constructor(status, body) {
    // A login failure names its code in `error` (and says it in `message`); other refusals
    // carry it in `errorType`.
    const code = body?.errorType || (body?.status === 'error' ? body?.error : undefined);
    const text = SECOND_FACTOR_TEXT[code] || body?.error || body?.message || `HTTP ${status}`;
    super(String(text).replace(/ \[[\w-]+\]$/, '')); // Rocket.Chat appends "[error-id]"
    this.status = status;
    this.code = code;
    this.errorType = body?.errorType;
    this.details = body?.details;
  }
}

/** What the page should tell the person about requests: 'rate-limited' (seconds to wait). */
export const notices = new Emitter();

let secondFactor = null;

/** The prompt a guarded call asks for a code with: (error) → {code, method} or null. */
export function onSecondFactor(prompt) {
  secondFactor = prompt;
}

function needsCode(error) {
  return ['totp-required', 'totp-invalid'].includes(error.code) && error.details?.method;
}

const UID = 'Meteor.userId';
const TOKEN = 'Meteor.loginToken';

export const session = {
  get uid() {
    return localStorage.getItem(UID);
  },
  get token() {
    return localStorage.getItem(TOKEN);
  },
  save(uid, token) {
    localStorage.setItem(UID, uid);
    localStorage.setItem(TOKEN, token);
  },
  clear() {
    localStorage.removeItem(UID);
    localStorage.removeItem(TOKEN);
  },
};

function queryString(query) {
  if (!query) return '';
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) {
    if (value === undefined || value === null || value === '') continue;
    params.set(key, typeof value === 'object' ? JSON.stringify(value) : String(value));
  }
  const text = params.toString();
  return text ? `?${text}` : '';
}

const MAX_WAIT = 60000; // ms: the longest a rate-limited request waits before trying again

function retryDelay(response) {
  const reset = Number(response.headers.get('X-RateLimit-Reset'));
  const retryAfter = Number(response.headers.get('Retry-After')) * 1000;
  const wait = reset ? reset - Date.now() : retryAfter || 1000;
  return Math.min(Math.max(wait, 250), MAX_WAIT);
}

async function request(method, path, { query, body, retries = 2, twoFactor = null } = {}) {
  const headers = { Accept: 'application/json' };
  if (session.token) {
    headers['X-User-Id'] = session.uid;
    headers['X-Auth-Token'] = session.token;
  }
  if (twoFactor) {
    headers['X-2fa-Code'] = twoFactor.code;
    headers['X-2fa-Method'] = twoFactor.method;
  }
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  const response = await fetch(`/api/v1/${path}${queryString(query)}`, {
    method,
    headers,
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  if (response.status === 429 && retries > 0) {
    const wait = retryDelay(response);
    notices.emit('rate-limited', Math.ceil(wait / 1000));
    await new Promise((resolve) => setTimeout(resolve, wait));
    return request(method, path, { query, body, retries: retries - 1, twoFactor });
  }
  let data = null;
  try {
    data = await response.json();
  } catch {
    data = null;
  }
  if (!response.ok || (data && data.success === false)) {
    const error = new ApiError(response.status, data);
    // A guarded call (not the login, whose form asks itself): ask for a code, then again.
    if (path !== 'login' && secondFactor && needsCode(error)) {
      const answer = await secondFactor(error);
      if (answer) return request(method, path, { query, body, retries, twoFactor: answer });
    }
    throw error;
  }
  return data;
}

/** A file the API answers (an evidence export): fetched with the login, kept as a Blob. */
async function download(path, query) {
  const response = await fetch(`/api/v1/${path}${queryString(query)}`, {
    headers: { 'X-User-Id': session.uid || '', 'X-Auth-Token': session.token || '' },
  });
  if (!response.ok) {
    let data = null;
    try {
      data = await response.json();
    } catch {
      data = null;
    }
    throw new ApiError(response.status, data);
  }
  const disposition = response.headers.get('Content-Disposition') || '';
  const name = /filename="?([^";]+)"?/.exec(disposition)?.[1] || path;
  return { blob: await response.blob(), name };
}

export const api = {
  download,
  get: (path, query) => request('GET', path, { query }),
  /** A read that is only a convenience (suggestions): a rate limit makes it fail at once. */
  peek: (path, query) => request('GET', path, { query, retries: 0 }),
  post: (path, body = {}) => request('POST', path, { body }),
  del: (path) => request('DELETE', path),
};
