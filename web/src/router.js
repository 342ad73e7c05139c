// Hash routes (#/board, #/documents/12?tab=history): the server serves one page, and a reload or
// a shared link opens the same screen. Each view module registers its routes with `route`.
import { can } from './session.js';

const routes = [];

// spec: {path: '/documents/:id', title: [zh, en], group: 'public'|'archivist'|..., nav: bool,
//        allowed: () => bool (default: everyone), render: async (main, params, query) => void}
export function route(spec) {
  const keys = [];
  const pattern = new RegExp('^' + spec.path.replace(/:([a-z_]+)/g, (_, key) => { keys.push(key); return '([^/]+)'; }) + '$');
  routes.push({ ...spec, keys, pattern });
}

export function allRoutes() { return routes; }

export function requires(...permissions) { return () => permissions.some((p) => can(p)); }

export function current() {
  const hash = location.hash.replace(/^#/, '') || '/board';
  const [path, search] = hash.split('?');
  const query = new URLSearchParams(search || '');
  for (const r of routes) {
    const m = r.pattern.exec(path);
    if (!m) continue;
    const params = {};
    const values = r.keys.map((key, i) => decodeParam(m[i + 1]));
    if (values.includes(null)) continue;
    r.keys.forEach((key, i) => { params[key] = values[i]; });
    return { route: r, params, query, path };
  }
  return { route: null, params: {}, query, path };
}

// A parameter names one thing (an id, a user name, a unit code). Screens put it into API paths,
// so a decoded "..", "a/b" or "x?y" would reach another address of the API with the user's
// token: such an address, or one with a broken %-escape, matches no route.
function decodeParam(raw) {
  let value;
  try { value = decodeURIComponent(raw); } catch { return null; }
  if (value === '.' || value === '..' || /[/\\?#]/.test(value)) return null;
  return value;
}

// navigate('/documents/3', {tab: 'history'})
export function navigate(path, query) {
  const qs = query ? new URLSearchParams(Object.entries(query).filter(([, v]) => v !== undefined && v !== null && v !== '')).toString() : '';
  const target = '#' + path + (qs ? '?' + qs : '');
  if (location.hash === target) window.dispatchEvent(new HashChangeEvent('hashchange'));
  else location.hash = target;
}

export function href(path, query) {
  const qs = query ? new URLSearchParams(Object.entries(query).filter(([, v]) => v !== undefined && v !== null && v !== '')).toString() : '';
  return '#' + path + (qs ? '?' + qs : '');
}
