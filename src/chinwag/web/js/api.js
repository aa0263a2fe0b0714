// The REST API under /api/v1, and the login kept in localStorage across reloads.

export class ApiError extends Error {
  constructor(status, body) {
    super(body?.error || body?.message || `HTTP ${status}`);
    this.status = status;
    this.errorType = body?.errorType;
    this.details = body?.details;
  }
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

async function request(method, path, { query, body, retries = 2 } = {}) {
  const headers = { Accept: 'application/json' };
  if (session.token) {
    headers['X-User-Id'] = session.uid;
    headers['X-Auth-Token'] = session.token;
  }
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  const response = await fetch(`/api/v1/${path}${queryString(query)}`, {
    method,
    headers,
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  if (response.status === 429 && retries > 0) {
    await new Promise((resolve) => setTimeout(resolve, retryDelay(response)));
    return request(method, path, { query, body, retries: retries - 1 });
  }
  let data = null;
  try {
    data = await response.json();
  } catch {
    data = null;
  }
  if (!response.ok || (data && data.success === false)) throw new ApiError(response.status, data);
  return data;
}

export const api = {
  get: (path, query) => request('GET', path, { query }),
  /** A read that is only a convenience (suggestions): a rate limit makes it fail at once. */
  peek: (path, query) => request('GET', path, { query, retries: 0 }),
  post: (path, body = {}) => request('POST', path, { body }),
  del: (path) => request('DELETE', path),
};
