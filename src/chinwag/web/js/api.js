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

async function request(method, path, { query, body } = {}) {
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
  post: (path, body = {}) => request('POST', path, { body }),
  del: (path) => request('DELETE', path),
};
