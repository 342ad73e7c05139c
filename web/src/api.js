// Talks to /api/v1 on the same origin. Every failure becomes an ApiError carrying the
// problem document (RFC 9457) the server sent, so forms can show each field's message.

const TOKEN_KEY = 'gongkai.token';
const BASE = '/api/v1';

export class ApiError extends Error {
  constructor(status, problem) {
    super((problem && (problem.detail || problem.title)) || `HTTP ${status}`);
    this.status = status;
    this.problem = problem || {};
    this.code = this.problem.code || 'http_' + status;
    this.errors = Array.isArray(this.problem.errors) ? this.problem.errors : [];
  }
}

export function token() { return localStorage.getItem(TOKEN_KEY); }
export function setToken(value) {
  if (value) localStorage.setItem(TOKEN_KEY, value);
  else localStorage.removeItem(TOKEN_KEY);
}

// Listeners told when the server no longer accepts our token (expired, revoked).
const signedOutListeners = [];
export function onSignedOut(listener) { signedOutListeners.push(listener); }

function headers(extra) {
  const out = new Headers(extra || {});
  const t = token();
  if (t && !out.has('Authorization')) out.set('Authorization', 'Bearer ' + t);
  return out;
}

export function url(path, params) {
  const u = new URL(path.startsWith('/api/') || path.startsWith('/healthz') ? path : BASE + path, location.origin);
  for (const [key, value] of Object.entries(params || {})) {
    if (value === undefined || value === null || value === '') continue;
    if (Array.isArray(value)) { for (const v of value) u.searchParams.append(key, v); } else u.searchParams.set(key, value);
  }
  return u.pathname + u.search;
}

// A 401 means our token is no longer accepted, except when it answers a password the user typed
// (POST /auth/password with a wrong current password: invalid_credentials): the session is
// still good then, and dropping it would throw the form and its message away.
function tokenRefused(status, problem) {
  return status === 401 && !!token() && !(problem && problem.code === 'invalid_credentials');
}

async function failure(response) {
  let problem = null;
  try { problem = await response.json(); } catch { /* not JSON */ }
  if (tokenRefused(response.status, problem)) {
    setToken(null);
    for (const listener of signedOutListeners) listener();
  }
  return new ApiError(response.status, problem);
}

// request('GET', '/documents', {params, body, ifMatch, accept}) → parsed JSON (or text).
export async function request(method, path, options = {}) {
  const extra = {};
  if (options.ifMatch) extra['If-Match'] = options.ifMatch;
  if (options.accept) extra.Accept = options.accept;
  let body;
  if (options.body instanceof FormData) {
    body = options.body;
  } else if (options.body !== undefined) {
    extra['Content-Type'] = 'application/json';
    body = JSON.stringify(options.body);
  }
  const response = await fetch(url(path, options.params), { method, headers: headers(extra), body });
  if (!response.ok) throw await failure(response);
  if (response.status === 204) return null;
  const type = response.headers.get('Content-Type') || '';
  const result = type.includes('json') ? await response.json() : await response.text();
  if (options.withHeaders) return { body: result, headers: response.headers };
  return result;
}

export const get = (path, params, options = {}) => request('GET', path, { ...options, params });
export const post = (path, body, options = {}) => request('POST', path, { ...options, body });
export const patch = (path, body, options = {}) => request('PATCH', path, { ...options, body });
export const del = (path, options = {}) => request('DELETE', path, options);

// A multipart upload with progress (fetch cannot report upload progress; XMLHttpRequest can).
export function upload(method, path, formData, { onProgress, ifMatch } = {}) {
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open(method, url(path));
    const t = token();
    if (t) xhr.setRequestHeader('Authorization', 'Bearer ' + t);
    if (ifMatch) xhr.setRequestHeader('If-Match', ifMatch);
    xhr.upload.onprogress = (e) => { if (e.lengthComputable && onProgress) onProgress(e.loaded, e.total); };
    xhr.onerror = () => reject(new ApiError(0, { detail: '网络错误 (network error)', code: 'network' }));
    xhr.onload = () => {
      let parsed = null;
      try { parsed = JSON.parse(xhr.responseText); } catch { /* empty */ }
      if (xhr.status >= 200 && xhr.status < 300) resolve(parsed);
      else {
        if (tokenRefused(xhr.status, parsed)) { setToken(null); for (const l of signedOutListeners) l(); }
        reject(new ApiError(xhr.status, parsed));
      }
    };
    xhr.send(formData);
  });
}

// Fetches a file with the token into the page (to show a PDF or an image in it).
export async function fetchBlob(path) {
  const response = await fetch(url(path), { headers: headers() });
  if (!response.ok) throw await failure(response);
  return response.blob();
}

// Starts the browser's download of `href` under `fileName`.
function clickDownloadLink(href, fileName) {
  const a = document.createElement('a');
  a.href = href;
  a.download = fileName;
  document.body.append(a);
  a.click();
  a.remove();
}

export function saveBlob(blob, fileName) {
  const href = URL.createObjectURL(blob);
  clickDownloadLink(href, fileName);
  setTimeout(() => URL.revokeObjectURL(href), 60000);
}

// Hands a file to the browser's own download, which streams it to disk with its own progress
// (a bundle or the audit export may be gigabytes: too much to hold in the page). Signed in, the
// link carries a one-minute ticket for that path (POST /auth/download-tickets), since a link
// cannot carry the Authorization header; anonymous, the path is public and linked as it is.
export async function download(path, fileName) {
  clickDownloadLink(await ticketUrl(path), fileName);
}

// A URL a plain link or a new window can open `path` with: a download ticket stands in for the
// token, valid for a minute on that path only.
export async function ticketUrl(path) {
  const href = url(path);
  return token() ? (await post('/auth/download-tickets', { path: href })).url : href;
}

