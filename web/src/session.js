// Who is signed in, what their roles allow, and the reference lists every screen uses
// (categories, the unit tree), each fetched once per sign-in.
import * as api from './api.js';

export const session = {
  user: null,            // the /auth/me answer, or null when anonymous
  permissions: new Set(),
};

export function signedIn() { return session.user !== null; }
export function can(permission) { return session.permissions.has(permission); }
export function hasRole(role) { return !!session.user && session.user.roles.some((r) => r.role === role); }

// The units a unit-bound role is held for (archivist, reviewer).
export function unitsFor(role) {
  if (!session.user) return [];
  return session.user.roles.filter((r) => r.role === role && r.unit).map((r) => r.unit);
}

export async function loadSession() {
  session.user = null;
  session.permissions = new Set(['feedback.submit']);
  if (!api.token()) return;
  try {
    const me = await api.get('/auth/me');
    session.user = me;
    session.permissions = new Set(me.permissions || []);
  } catch (err) {
    if (err.status === 401) api.setToken(null);
    else throw err;
  }
}

export async function signIn(username, password) {
  const answer = await api.post('/auth/login', { username, password });
  api.setToken(answer.token);
  resetCaches();
  await loadSession();
}

export async function signOut() {
  try { if (api.token()) await api.post('/auth/logout'); } catch { /* the token is dropped regardless */ }
  api.setToken(null);
  resetCaches();
  await loadSession();
}

let categoriesPromise = null;
let unitsPromise = null;
export function resetCaches() { categoriesPromise = null; unitsPromise = null; }

// [{code, name, default_retention, items}]
export function categories() {
  categoriesPromise ??= api.get('/categories').then((b) => b.categories || b.items || [],
    (err) => { categoriesPromise = null; throw err; });
  return categoriesPromise;
}
// [{code, name, parent}]
export function units() {
  unitsPromise ??= api.get('/org-units').then((b) => b.org_units || b.units || b.items || [],
    (err) => { unitsPromise = null; throw err; });
  return unitsPromise;
}
export function forgetUnits() { unitsPromise = null; }

export async function categoryName(code) {
  const found = (await categories()).find((c) => c.code === code);
  return found ? found.name : code;
}
export async function unitName(code) {
  const found = (await units()).find((u) => u.code === code);
  return found ? found.name : code;
}
