// The workbench's shell: header, navigation by role, the sign-in form, and the render loop
// that draws the screen the address names.
import { h, clear } from './dom.js';
import { tr, setLanguage, language, label } from './i18n.js';
import * as api from './api.js';
import { session, loadSession, signIn, signOut, signedIn, categories, units } from './session.js';
import { allRoutes, current, navigate, href, route } from './router.js';
import { field, input, busy, describe, errorBlock, notice } from './ui.js';
import './views/public.js';

// The screens of signed-in roles are loaded only when someone signs in (or opens one of their
// addresses): the public's first visit then fetches and compiles a third of the script.
let roleViews = null;
function loadRoleViews() {
  roleViews ??= Promise.all([
    import('./views/archivist.js'), import('./views/reviewer.js'), import('./views/inspector.js'),
    import('./views/committee.js'), import('./views/admin.js'), import('./views/account.js'),
    import('./views/retention.js'),
  ]).catch((err) => { roleViews = null; throw err; });
  return roleViews;
}

const GROUPS = [
  ['public', '公开', 'Public'],
  ['archivist', '档案员工作台', 'Archivist desk'],
  ['reviewer', '审核', 'Review'],
  ['inspector', '监督检查', 'Inspection'],
  ['retention', '到期鉴定与保全', 'Retention'],
  ['committee', '上级党委', 'Committee'],
  ['admin', '系统管理', 'Administration'],
  ['account', '我的账户', 'My account'],
];

const app = document.getElementById('app');
let renderCount = 0;

function allowed(r) { return !r.allowed || r.allowed(); }

function header() {
  const who = signedIn()
    ? h('span', { class: 'who' }, session.user.display_name || session.user.username,
        h('span', { class: 'roles' }, ' · ', session.user.roles.map((r) => label('role', r.role) + (r.unit ? `@${r.unit}` : '')).join('，')))
    : null;
  const auth = signedIn()
    ? h('button', { type: 'button', id: 'sign-out', onclick: async () => { await signOut(); navigate('/board'); } }, tr('退出', 'Sign out'))
    : h('a', { class: 'button', href: href('/login', { next: location.hash.replace(/^#/, '') }), id: 'sign-in' }, tr('登录', 'Sign in'));
  const langButton = h('button', {
    type: 'button', class: 'lang', lang: language() === 'en' ? 'zh-CN' : 'en',
    onclick: () => { setLanguage(language() === 'en' ? 'zh' : 'en'); render(); },
  }, language() === 'en' ? '中文' : 'English');
  const menu = h('button', {
    type: 'button', class: 'menu-toggle', 'aria-controls': 'nav', 'aria-expanded': 'false',
    onclick: (e) => {
      const nav = document.getElementById('nav');
      const open = nav.classList.toggle('open');
      e.currentTarget.setAttribute('aria-expanded', String(open));
    },
  }, tr('菜单', 'Menu'));
  return h('header', { class: 'top' },
    h('a', { class: 'brand', href: '#/board' }, h('span', { class: 'seal', 'aria-hidden': 'true' }, '公'), tr('党务公开档案', 'Party Affairs Disclosure Archive')),
    h('div', { class: 'top-actions' }, who, langButton, auth, menu));
}

function navigation(active) {
  const groups = GROUPS.map(([group, zh, en]) => {
    const links = allRoutes().filter((r) => r.group === group && r.nav && allowed(r));
    if (!links.length) return null;
    return h('div', { class: 'nav-group' }, h('h2', null, tr(zh, en)),
      h('ul', null, links.map((r) => h('li', null, h('a', {
        href: '#' + r.path, 'aria-current': active && active.path === r.path ? 'page' : null,
        dataset: { route: r.path },
      }, tr(...r.title))))));
  });
  return h('nav', { id: 'nav', 'aria-label': tr('主导航', 'Main navigation') }, groups);
}

export async function render() {
  const mine = ++renderCount;
  // The role screens are separate files: one that cannot be fetched (the network, or a new
  // version of the workbench installed meanwhile) must say so rather than leave the old screen.
  let viewsFailed = null;
  if (signedIn() || !current().route) {
    try { await loadRoleViews(); } catch (err) { viewsFailed = err; }
  }
  if (mine !== renderCount) return;
  if (viewsFailed) console.warn(viewsFailed);
  const { route: r, params, query } = current();
  const main = h('main', { id: 'main', tabindex: '-1' });
  clear(app,
    h('a', { class: 'skip', href: '#main', onclick: (e) => { e.preventDefault(); main.focus(); } }, tr('跳到正文', 'Skip to content')),
    header(), h('div', { class: 'layout' }, navigation(r), main),
    h('footer', { class: 'foot' }, tr('每一次修改都记录在可校验的审计链中。', 'Every change is recorded in a verifiable audit log.')));
  const reloadHint = tr('部分页面未能加载（可能是网络中断，或系统刚刚更新），请刷新浏览器后重试。', 'Some screens could not be loaded (the network, or the workbench was just updated); reload the page and try again.');
  if (!r && viewsFailed) {
    document.title = tr('页面加载失败', 'Loading failed') + ' · 公开';
    clear(main, h('h1', null, tr('页面加载失败', 'Loading failed')), h('p', { class: 'form-error', role: 'alert' }, reloadHint));
    return;
  }
  if (viewsFailed) notice(reloadHint, 'error');
  if (!r) {
    document.title = tr('页面不存在', 'Not found') + ' · 公开';
    clear(main, h('h1', null, tr('页面不存在', 'No such page')), h('p', null, h('a', { href: '#/board' }, tr('返回公开栏', 'Back to the board'))));
    return;
  }
  document.title = tr(...r.title) + ' · ' + tr('党务公开档案', 'Disclosure archive');
  if (!allowed(r)) {
    clear(main, h('h1', null, tr(...r.title)),
      h('p', { class: 'form-error', role: 'alert' }, signedIn()
        ? tr('您的账户无权使用此页面。', 'Your account may not use this screen.')
        : tr('请先登录。', 'Please sign in first.')),
      signedIn() ? null : h('a', { class: 'button', href: href('/login', { next: location.hash.replace(/^#/, '') }) }, tr('登录', 'Sign in')));
    return;
  }
  try {
    await r.render(main, params, query);
    if (mine !== renderCount) return;
    // Drawing the screen anew removed what had focus (the link just followed, the button just
    // pressed): a screen reader then hears nothing. Focus goes to the new screen's heading, so
    // it is read out and Tab continues from there. A screen that placed focus itself keeps it;
    // the first screen of a visit starts at the top of the page as usual.
    if (renderCount > 1 && (!document.activeElement || document.activeElement === document.body)) {
      const heading = main.querySelector('h1');
      if (heading) {
        heading.tabIndex = -1;
        heading.focus({ preventScroll: true });
      }
    }
    // For tests/bench/web_bench.mjs: when this screen, data included, was on the page.
    performance.mark('gongkai:rendered', { detail: location.hash });
  } catch (err) {
    if (mine !== renderCount) return;
    console.warn(err);
    main.append(errorBlock(err));
  }
}

route({
  path: '/login', title: ['登录', 'Sign in'], group: 'account', nav: false,
  render(main, params, query) {
    if (signedIn()) { navigate(inApp(query.get('next')) || '/board'); return; }
    const form = h('form', { class: 'stack narrow', novalidate: true },
      field('username', tr('用户名', 'User name'), input({ autocomplete: 'username', required: true, autofocus: true })),
      field('password', tr('密码', 'Password'), input({ type: 'password', autocomplete: 'current-password', required: true })),
      h('button', { type: 'submit', class: 'primary' }, tr('登录', 'Sign in')));
    form.addEventListener('submit', (e) => {
      e.preventDefault();
      busy(form.querySelector('button'), form, async () => {
        await signIn(form.elements.username.value.trim(), form.elements.password.value);
        const next = inApp(query.get('next'));
        navigate(next && next !== '/login' ? next.split('?')[0] : landing(), next ? Object.fromEntries(new URLSearchParams(next.split('?')[1] || '')) : undefined);
      });
    });
    clear(main, h('h1', null, tr('登录', 'Sign in')), form,
      h('p', { class: 'muted' }, tr('公众无需登录即可查阅公开栏、检索和提交意见。', 'The public may read the board, search and send feedback without an account.')));
    // autofocus works only for the first page of a visit; after signing out it would not.
    form.elements.username.focus();
  },
});

// `next` after signing in: a screen of this workbench ("/desk?tab=x"), never anything else.
function inApp(next) {
  return typeof next === 'string' && /^\/(?![/\\])/.test(next) ? next : null;
}

// Where a role starts after signing in: the screen of its main task.
function landing() {
  const roles = new Set((session.user?.roles || []).map((r) => r.role));
  if (roles.has('admin')) return '/admin/users';
  if (roles.has('reviewer')) return '/review';
  if (roles.has('archivist')) return '/desk';
  if (roles.has('committee')) return '/archives';
  if (roles.has('inspector')) return '/search';
  return '/board';
}

api.onSignedOut(() => { loadSession().then(render); });
window.addEventListener('hashchange', () => { document.getElementById('nav')?.classList.remove('open'); render(); });

setLanguage(language());
// The lists nearly every screen needs, asked for while the session loads.
categories().catch(() => {});
units().catch(() => {});
loadSession().then(render, (err) => { clear(app, h('p', { class: 'form-error', role: 'alert' }, describe(err))); });
