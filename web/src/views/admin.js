// Screens of the admin group, for the system administrator: the unit tree (/admin/units), the
// accounts with their roles (/admin/users, /admin/users/:name: edit, disable, reset the password,
// revoke tokens) and the policy in force, why an account may or may not do something, and
// reloading the policy files (/admin/policy).
import { h, clear } from '../dom.js';
import * as api from '../api.js';
import { tr, label, formatTime } from '../i18n.js';
import {
  field, input, select, busy, showProblem, notice, table, tag, section, loading, errorBlock, facts,
  localMessage, when, cardTable,
} from '../ui.js';
import { session, can, units, forgetUnits } from '../session.js';
import { route, requires, navigate, href } from '../router.js';
import { signedOutAfterPasswordChange } from './account.js';

// ---------------------------------------------------------------------------------------------
// Shared pieces (the account screen uses the permission names too)

const PERMISSIONS = {
  'documents.create': ['新建文件', 'Create documents'],
  'documents.update': ['修改文件和附件', 'Edit documents and files'],
  'documents.review': ['审核（保密审查）', 'Review (confidentiality)'],
  'documents.publish': ['发布和撤回', 'Publish and withdraw'],
  'documents.archive': ['归档并编档号', 'Archive and assign 档号'],
  'documents.import': ['导入旧档案', 'Import a legacy archive'],
  'audit.read': ['查阅审计日志、检查点和证明', 'Read the audit log, checkpoints and proofs'],
  'search.manage': ['管理全文检索索引', 'Manage the search index'],
  'units.manage': ['管理单位', 'Manage units'],
  'users.manage': ['管理账户、角色和他人令牌', 'Manage accounts, roles and others\' tokens'],
  'policies.read': ['查阅策略', 'Read the policy'],
  'policies.reload': ['重新加载策略文件', 'Reload the policy files'],
  'feedback.submit': ['提交意见', 'Submit feedback'],
  'feedback.handle': ['办理意见和依申请公开', 'Handle feedback and applications'],
  'feedback.read': ['查阅全部意见（含联系方式）', 'Read all feedback, contacts included'],
  'archives.read': ['查阅和下载年度归档包', 'Read and download bundles'],
  'archives.build': ['生成年度归档包', 'Build bundles'],
  'archives.receive': ['签收移交的归档包（接收回执）', 'Countersign the receipt of a transferred bundle'],
  'reports.read': ['查阅统计报表', 'Read reports'],
  'retention.read': ['查阅到期鉴定清单和保全', 'Read the disposition review list and holds'],
  'retention.propose': ['提出销毁', 'Propose disposal'],
  'retention.approve': ['审批销毁（删除文件）', 'Approve disposal (deletes files)'],
  'holds.manage': ['设置和解除保全', 'Place and release legal holds'],
};
export const PERMISSION_CODES = Object.keys(PERMISSIONS);
export function permissionName(code) { return PERMISSIONS[code] ? tr(...PERMISSIONS[code]) : code; }

// Units in tree order with their depth: roots (and units whose parent is unknown) by code, each
// followed by its children.
export function treeOrder(list) {
  const codes = new Set(list.map((u) => u.code));
  const children = new Map();
  for (const u of list) {
    const parent = u.parent && codes.has(u.parent) ? u.parent : '';
    if (!children.has(parent)) children.set(parent, []);
    children.get(parent).push(u);
  }
  for (const kids of children.values()) kids.sort((a, b) => a.code.localeCompare(b.code));
  const out = [];
  const walk = (parent, depth) => {
    for (const u of children.get(parent) || []) { out.push({ unit: u, depth }); walk(u.code, depth + 1); }
  };
  walk('', 0);
  return out;
}

// A name's code in brackets, full-width in Chinese.
function paren(text) { return tr(`（${text}）`, ` (${text})`); }

function unitOptionsIndented(list) {
  return treeOrder(list).map(({ unit, depth }) => [unit.code, `${'\u3000'.repeat(depth)}${unit.name}${paren(unit.code)}`]);
}

// The roles of the policy in force: [{code, name, unit_bound}] (public left out: nobody holds it).
async function roleDefinitions() {
  const known = ['admin', 'archivist', 'reviewer', 'inspector', 'committee', 'member'];
  let roles = null;
  if (can('policies.read')) {
    try { roles = (await api.get('/policies')).roles; } catch { roles = null; }
  }
  if (!roles) return known.map((code) => ({ code, name: label('role', code), unit_bound: code === 'archivist' || code === 'reviewer' }));
  const codes = Object.keys(roles).filter((c) => c !== 'public')
    .sort((a, b) => (known.indexOf(a) + 1 || 99) - (known.indexOf(b) + 1 || 99) || a.localeCompare(b));
  return codes.map((code) => ({ code, name: label('role', code) === code ? roles[code].name : label('role', code), unit_bound: !!roles[code].unit_bound }));
}

function roleText(r, unitName) {
  return label('role', r.role) + (r.unit ? ` · ${unitName(r.unit)}` : '');
}

function isLocked(user) { return !!user.locked_until && Date.parse(user.locked_until) > Date.now(); }

function statusTag(user) {
  if (user.disabled) return h('span', { class: 'tag tag-account-disabled' }, tr('已停用', 'Disabled'));
  if (isLocked(user)) return h('span', { class: 'tag tag-account-locked' }, tr(`已锁定至 ${formatTime(user.locked_until)}`, `Locked until ${formatTime(user.locked_until)}`));
  return h('span', { class: 'tag tag-account-active' }, tr('正常', 'Active'));
}

let rowCounter = 0;

// The roles of an account as rows of role + unit (the unit only for unit-bound roles). The
// fieldset is the `roles` field, so the server's message about roles appears beside it.
function rolesEditor(initial, defs, unitList) {
  const rows = h('div', { class: 'role-rows' });
  const addRow = (value = { role: '', unit: '' }) => {
    const n = ++rowCounter;
    const roleSelect = select([['', tr('（请选择角色）', '(choose a role)')], ...defs.map((d) => [d.code, d.name])],
      { id: `role-${n}`, class: 'role-select' }, value.role);
    const unitSelect = h('select', { id: `role-unit-${n}`, class: 'unit-select' });
    const syncUnit = () => {
      const def = defs.find((d) => d.code === roleSelect.value);
      const bound = !!(def && def.unit_bound);
      const keep = unitSelect.value || value.unit || '';
      clear(unitSelect, bound
        ? [h('option', { value: '' }, tr('（请选择单位）', '(choose a unit)')), unitOptionsIndented(unitList).map(([code, text]) => h('option', { value: code, selected: code === keep }, text))]
        : h('option', { value: '' }, def ? tr('不限单位', 'Any unit') : '—'));
      unitSelect.disabled = !bound;
    };
    roleSelect.addEventListener('change', syncUnit);
    syncUnit();
    const row = h('div', { class: 'role-row' },
      h('div', { class: 'field' }, h('label', { for: roleSelect.id }, tr('角色', 'Role')), roleSelect),
      h('div', { class: 'field' }, h('label', { for: unitSelect.id }, tr('单位', 'Unit')), unitSelect),
      h('div', { class: 'field' }, h('button', {
        type: 'button', class: 'small',
        onclick: () => { row.remove(); if (!rows.children.length) addRow(); rows.querySelector('select')?.focus(); },
      }, tr('删除', 'Remove'), h('span', { class: 'sr-only' }, tr('此角色', ' this role')))));
    rows.append(row);
    return roleSelect;
  };
  (initial.length ? initial : [{ role: '', unit: '' }]).forEach((r) => addRow(r));
  const error = h('div', { class: 'field-error', role: 'alert' });
  const el = h('fieldset', { class: 'field role-editor', dataset: { field: 'roles' } },
    h('legend', null, tr('角色与单位', 'Roles and units')),
    h('p', { class: 'hint' }, tr('档案员和审核人按单位授予，其权限及于所选单位及其下级单位；其他角色不限单位。可授予多个角色。',
      'Archivists and reviewers are granted per unit (that unit and those below it); the other roles hold everywhere. Several roles may be given.')),
    rows,
    h('button', { type: 'button', class: 'small', onclick: () => addRow().focus() }, tr('＋ 添加角色', '+ Add a role')),
    error);
  return {
    el,
    values: () => [...rows.querySelectorAll('.role-row')].map((row) => {
      const role = row.querySelector('.role-select').value;
      const unit = row.querySelector('.unit-select').value;
      return role ? (unit ? { role, unit } : { role }) : null;
    }).filter(Boolean),
  };
}

// A random password the administrator can pass on (the user changes it at first sign-in).
function randomPassword() {
  const alphabet = 'ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnpqrstuvwxyz23456789';
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  const chars = Array.from(bytes, (b) => alphabet[b % alphabet.length]).join('');
  return `${chars.slice(0, 4)}-${chars.slice(4, 8)}-${chars.slice(8, 12)}-${chars.slice(12, 16)}`;
}

function passwordField(name, text, hint) {
  const control = input({ type: 'password', autocomplete: 'new-password', spellcheck: 'false' });
  const show = h('input', { type: 'checkbox', class: 'show-password' });
  show.addEventListener('change', () => { control.type = show.checked ? 'text' : 'password'; });
  const generate = h('button', {
    type: 'button', class: 'small',
    onclick: () => { control.value = randomPassword(); control.type = 'text'; show.checked = true; control.focus(); control.select(); },
  }, tr('生成随机密码', 'Generate one'));
  const wrapped = field(name, text, control, hint);
  wrapped.querySelector('.field-error').before(h('div', { class: 'row password-tools' },
    h('label', { class: 'inline-check' }, show, tr('显示密码', 'Show')), generate));
  return wrapped;
}

// ---------------------------------------------------------------------------------------------
// /admin/units: the unit tree

route({
  path: '/admin/units', title: ['单位管理', 'Units'], group: 'admin', nav: true,
  allowed: requires('units.manage'), render: renderUnits,
});

async function renderUnits(main, params, query) {
  loading(main);
  forgetUnits();
  const list = await units();
  const added = query.get('added');

  // The add form, filled from "add below" in the tree.
  const codeInput = input({ autocomplete: 'off', spellcheck: 'false', maxlength: 64 });
  const nameInput = input({ maxlength: 200 });
  const parentSelect = select([['', tr('（无，作为顶级单位）', '(none: a top-level unit)')], ...unitOptionsIndented(list)], {}, query.get('parent') || '');
  const addButton = h('button', { type: 'submit', class: 'primary' }, tr('添加单位', 'Add the unit'));
  const addForm = h('form', { class: 'unit-form', novalidate: true },
    h('div', { class: 'grid-3' },
      field('code', tr('单位代码', 'Unit code'), codeInput, tr('1-64 个字母、数字或 - _ .，建成后不能修改，如 lyg-fybjy-7', '1-64 letters, digits, - _ .; cannot change later, e.g. lyg-fybjy-7')),
      field('name', tr('单位名称', 'Unit name'), nameInput, tr('全称，如 连云港市妇幼保健院第七党支部', 'Full name')),
      field('parent', tr('上级单位', 'Parent unit'), parentSelect)),
    addButton);
  addForm.addEventListener('submit', (e) => {
    e.preventDefault();
    busy(addButton, addForm, async () => {
      const body = { code: codeInput.value.trim(), name: nameInput.value.trim() };
      if (parentSelect.value) body.parent = parentSelect.value;
      const made = await api.post('/org-units', body);
      forgetUnits();
      notice(tr(`已添加单位：${made.name}`, `Unit added: ${made.name}`), 'success');
      navigate('/admin/units', { added: made.code });
    });
  });

  const order = treeOrder(list);
  const byParent = new Map();
  const codes = new Set(list.map((u) => u.code));
  for (const { unit } of order) {
    const parent = unit.parent && codes.has(unit.parent) ? unit.parent : '';
    if (!byParent.has(parent)) byParent.set(parent, []);
    byParent.get(parent).push(unit);
  }
  // A unit and everything below it (a unit cannot move below itself).
  const below = (code) => {
    const out = new Set([code]);
    for (const kid of byParent.get(code) || []) for (const c of below(kid.code)) out.add(c);
    return out;
  };
  const node = (unit) => {
    const kids = byParent.get(unit.code) || [];
    const editArea = h('div', { class: 'unit-edit' });
    const editButton = h('button', {
      type: 'button', class: 'small', 'aria-expanded': 'false',
      onclick: () => {
        if (editArea.firstChild) { clear(editArea); editButton.setAttribute('aria-expanded', 'false'); return; }
        editButton.setAttribute('aria-expanded', 'true');
        editArea.append(editForm(unit, list.filter((u) => !below(unit.code).has(u.code))));
        editArea.querySelector('input').focus();
      },
    }, tr('修改', 'Edit'), h('span', { class: 'sr-only' }, ` ${unit.name}`));
    const addBelow = h('button', {
      type: 'button', class: 'small',
      onclick: () => { parentSelect.value = unit.code; codeInput.focus(); addForm.scrollIntoView({ block: 'center' }); },
    }, tr('添加下级', 'Add below'), h('span', { class: 'sr-only' }, ` ${unit.name}`));
    return h('li', { dataset: { unit: unit.code }, class: unit.code === added ? 'just-added' : null },
      h('div', { class: 'unit-line' },
        h('span', { class: 'unit-name' }, unit.name), ' ', h('code', { class: 'muted' }, unit.code),
        h('span', { class: 'unit-actions' }, editButton, addBelow)),
      editArea,
      kids.length ? h('ul', { class: 'tree' }, kids.map(node)) : null);
  };

  clear(main,
    h('h1', null, tr('单位管理', 'Units')),
    h('p', { class: 'muted' }, tr('单位树决定档案员和审核人的权限范围：按单位授予的角色及于该单位及其全部下级单位。单位只能改名或调整上级，不能删除（文件和审计记录引用其代码）。',
      'The unit tree bounds archivists\' and reviewers\' permissions: a role granted for a unit reaches it and every unit below. Units can be renamed or moved, not deleted (documents and audit entries name them).')),
    section(tr('单位结构', 'Unit tree'),
      list.length ? h('ul', { class: 'tree unit-tree', id: 'unit-tree' }, (byParent.get('') || []).map(node)) : h('p', { class: 'empty' }, tr('还没有单位。', 'No units yet.'))),
    section(tr('添加单位', 'Add a unit'), addForm));
  if (added) main.querySelector(`li[data-unit="${CSS.escape(added)}"]`)?.scrollIntoView({ block: 'center' });
}

function editForm(unit, parentChoices) {
  const nameInput = input({ value: unit.name, maxlength: 200 });
  const parentSelect = select([['', tr('（无，作为顶级单位）', '(none: a top-level unit)')], ...unitOptionsIndented(parentChoices)], {}, unit.parent || '');
  const save = h('button', { type: 'submit', class: 'primary small' }, tr('保存', 'Save'));
  const form = h('form', { class: 'row unit-edit-form', novalidate: true },
    field('name', tr('单位名称', 'Unit name'), nameInput),
    field('parent', tr('上级单位', 'Parent unit'), parentSelect),
    h('div', { class: 'field' }, h('div', { class: 'row' }, save,
      h('button', { type: 'button', class: 'small', onclick: () => { form.parentElement.previousElementSibling?.querySelector('[aria-expanded]')?.setAttribute('aria-expanded', 'false'); form.remove(); } }, tr('取消', 'Cancel')))));
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    busy(save, form, async () => {
      const patch = {};
      if (nameInput.value.trim() !== unit.name) patch.name = nameInput.value.trim();
      if (parentSelect.value !== (unit.parent || '')) patch.parent = parentSelect.value;
      if (!Object.keys(patch).length) { form.remove(); return; }
      const updated = await api.patch(`/org-units/${encodeURIComponent(unit.code)}`, patch, { ifMatch: unit.etag });
      forgetUnits();
      notice(tr(`已保存：${updated.name}`, `Saved: ${updated.name}`), 'success');
      navigate('/admin/units', { added: updated.code });
    });
  });
  return form;
}

// ---------------------------------------------------------------------------------------------
// /admin/users: the accounts

route({
  path: '/admin/users', title: ['账户管理', 'Accounts'], group: 'admin', nav: true,
  allowed: requires('users.manage'), render: renderUsers,
});

async function renderUsers(main, params, query) {
  loading(main);
  const [answer, unitList, defs] = await Promise.all([api.get('/users'), units(), roleDefinitions()]);
  const unitName = (code) => (unitList.find((u) => u.code === code) || {}).name || code;
  const users = (answer.users || []).slice().sort((a, b) => String(b.created_at).localeCompare(String(a.created_at)));
  const added = query.get('added');
  const filterText = (query.get('q') || '').trim().toLowerCase();
  const matches = (u) => !filterText || [u.username, u.display_name, ...u.roles.map((r) => `${label('role', r.role)} ${r.role} ${r.unit ? unitName(r.unit) : ''}`)]
    .join(' ').toLowerCase().includes(filterText);
  const shown = users.filter(matches);
  const locked = users.filter(isLocked);

  const columns = [
    { title: tr('用户名', 'User name'), render: (u) => h('a', { href: href(`/admin/users/${encodeURIComponent(u.username)}`) }, u.username) },
    { title: tr('姓名', 'Name'), render: (u) => u.display_name },
    { title: tr('角色', 'Roles'), render: (u) => (u.roles.length ? h('ul', { class: 'plain' }, u.roles.map((r) => h('li', null, roleText(r, unitName)))) : h('span', { class: 'muted' }, tr('无角色', 'No role'))) },
    { title: tr('状态', 'State'), render: (u) => [statusTag(u), u.failed_logins && !isLocked(u) ? h('div', { class: 'muted' }, tr(`连续登录失败 ${u.failed_logins} 次`, `${u.failed_logins} failed sign-ins`)) : null] },
    { title: tr('创建时间', 'Created'), render: (u) => when(u.created_at) },
  ];
  const list = cardTable(columns, shown, { empty: filterText ? tr('没有符合条件的账户。', 'No account matches.') : tr('还没有账户。', 'No accounts yet.') });
  for (const row of list.querySelectorAll?.('tbody tr') || []) {
    const name = row.querySelector('a')?.textContent;
    row.dataset.user = name;
    if (name === added) row.classList.add('just-added');
  }

  const search = h('form', { class: 'row filters', role: 'search' },
    field('q', tr('查找账户', 'Find an account'), input({ type: 'search', value: query.get('q') || '', placeholder: tr('用户名、姓名、角色或单位', 'name, role or unit') })),
    h('div', { class: 'field' }, h('button', { type: 'submit' }, tr('查找', 'Find'))));
  search.addEventListener('submit', (e) => { e.preventDefault(); navigate('/admin/users', { q: search.elements.q.value.trim() }); });

  const form = newUserForm(defs, unitList);
  clear(main,
    h('div', { class: 'page-head' }, h('h1', null, tr('账户管理', 'Accounts')),
      h('button', { type: 'button', class: 'primary', onclick: () => { form.scrollIntoView({ block: 'start' }); form.querySelector('input').focus(); } }, tr('新建账户', 'New account'))),
    locked.length ? h('section', { class: 'card locked-accounts' },
      h('h2', null, tr('已锁定的账户', 'Locked accounts'), h('span', { class: 'count' }, String(locked.length))),
      h('p', { class: 'muted' }, tr('连续输错密码的账户会被暂时锁定，到时自动解锁；为其重设密码可立即解锁。', 'Accounts with too many wrong passwords are locked for a while; resetting the password unlocks at once.')),
      h('ul', null, locked.map((u) => h('li', null, h('a', { href: href(`/admin/users/${encodeURIComponent(u.username)}`) }, `${u.display_name}${paren(u.username)}`), ' ', statusTag(u))))) : null,
    h('section', { class: 'card' },
      h('h2', null, tr('全部账户', 'All accounts'), h('span', { class: 'count' }, String(users.length))),
      search, h('p', { class: 'muted' }, tr('最新创建的在前。', 'Newest first.')), list),
    h('section', { class: 'card', id: 'new-user' }, h('h2', null, tr('新建账户', 'New account')), form));
  if (added) main.querySelector(`tr.just-added`)?.scrollIntoView({ block: 'center' });
}

function newUserForm(defs, unitList) {
  const roles = rolesEditor([], defs, unitList);
  const submit = h('button', { type: 'submit', class: 'primary' }, tr('创建账户', 'Create the account'));
  const form = h('form', { class: 'user-form', novalidate: true, autocomplete: 'off' },
    h('div', { class: 'grid-3' },
      field('username', tr('用户名', 'User name'), input({ autocomplete: 'off', spellcheck: 'false', maxlength: 64 }),
        tr('登录用，1-64 个小写字母、数字或 - _ .，建成后不能修改', 'For signing in: 1-64 lower-case letters, digits, - _ .; cannot change later')),
      field('display_name', tr('姓名', 'Display name'), input({ maxlength: 200 }), tr('显示在页面和审计记录中，如 档案员小王', 'Shown on screens, e.g. 档案员小王')),
      passwordField('password', tr('初始密码', 'First password'), tr('至少 12 个字符，不能与用户名相同；请告知本人登录后在“我的账户”中修改。', 'At least 12 characters, not the user name; ask the user to change it under My account.'))),
    roles.el,
    submit);
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    busy(submit, form, async () => {
      const body = {
        username: form.elements.username.value.trim(),
        password: form.elements.password.value,
        roles: roles.values(),
      };
      const display = form.elements.display_name.value.trim();
      if (display) body.display_name = display;
      const made = await api.post('/users', body);
      notice(tr(`已创建账户 ${made.username}`, `Account ${made.username} created`), 'success');
      navigate('/admin/users', { added: made.username });
    });
  });
  return form;
}

// ---------------------------------------------------------------------------------------------
// /admin/users/:name: one account

route({
  path: '/admin/users/:name', title: ['账户', 'Account'], group: 'admin', nav: false,
  allowed: requires('users.manage'), render: renderUser,
});

async function renderUser(main, params) {
  loading(main);
  const name = params.name;
  let user;
  let tokens;
  let unitList;
  let defs;
  try {
    [user, tokens, unitList, defs] = await Promise.all([
      api.get(`/users/${encodeURIComponent(name)}`),
      api.get('/auth/tokens', { username: name }),
      units(), roleDefinitions()]);
  } catch (err) {
    clear(main, h('h1', null, tr('账户', 'Account')), errorBlock(err),
      h('p', null, h('a', { href: href('/admin/users') }, tr('返回账户管理', 'Back to the accounts'))));
    return;
  }
  const unitName = (code) => (unitList.find((u) => u.code === code) || {}).name || code;
  const self = session.user && session.user.username === user.username;
  const reload = () => navigate(`/admin/users/${encodeURIComponent(name)}`);
  if (main.isConnected) document.title = `${user.display_name} · ${tr('账户管理', 'Accounts')}`;

  // Name and roles.
  const roles = rolesEditor(user.roles, defs, unitList);
  const save = h('button', { type: 'submit', class: 'primary' }, tr('保存修改', 'Save'));
  const editForm = h('form', { class: 'user-form', novalidate: true },
    field('display_name', tr('姓名', 'Display name'), input({ value: user.display_name, maxlength: 200 })),
    roles.el,
    self ? h('p', { class: 'muted' }, tr('这是您自己的账户：去掉自己的管理员角色后将无法再管理账户。', 'This is your own account: without the admin role you can no longer manage accounts.')) : null,
    save);
  editForm.addEventListener('submit', (e) => {
    e.preventDefault();
    busy(save, editForm, async () => {
      // If-Match: a change another administrator made since this page was read is not overwritten.
      await api.patch(`/users/${encodeURIComponent(name)}`, { display_name: editForm.elements.display_name.value.trim(), roles: roles.values() }, { ifMatch: user.etag });
      notice(tr('已保存', 'Saved'), 'success');
      reload();
    });
  });

  // Disable or enable.
  const stateForm = h('form', { class: 'stack', novalidate: true });
  if (self) {
    stateForm.append(h('p', { class: 'not-possible' }, tr('不能停用自己正在使用的账户。需要时请由另一位管理员操作。', 'You cannot disable the account you are using; ask another administrator.')));
  } else {
    const toggle = h('button', { type: 'submit', class: user.disabled ? 'primary' : 'danger' }, user.disabled ? tr('启用账户', 'Enable the account') : tr('停用账户', 'Disable the account'));
    stateForm.append(
      h('p', null, user.disabled
        ? tr('该账户已停用，不能登录。启用后可用原密码登录。', 'This account is disabled and cannot sign in. Once enabled, its password works again.')
        : tr('停用后该账户不能登录，已有的登录和 API 令牌立即失效；其文件和审计记录保留。', 'A disabled account cannot sign in and its sessions and API tokens stop working at once; its documents and audit entries stay.')),
      toggle);
    stateForm.addEventListener('submit', (e) => {
      e.preventDefault();
      busy(toggle, stateForm, async () => {
        await api.patch(`/users/${encodeURIComponent(name)}`, { disabled: !user.disabled }, { ifMatch: user.etag });
        notice(user.disabled ? tr('账户已启用', 'Account enabled') : tr('账户已停用', 'Account disabled'), 'success');
        reload();
      });
    });
  }

  // A new password.
  const reset = h('button', { type: 'submit' }, tr('重设密码', 'Set the password'));
  const passwordForm = h('form', { class: 'narrow', novalidate: true, autocomplete: 'off' },
    passwordField('password', tr('新密码', 'New password'), tr('至少 12 个字符，不能与用户名相同。', 'At least 12 characters, not the user name.')),
    reset);
  passwordForm.addEventListener('submit', (e) => {
    e.preventDefault();
    busy(reset, passwordForm, async () => {
      await api.patch(`/users/${encodeURIComponent(name)}`, { password: passwordForm.elements.password.value });
      notice(tr('密码已重设，该账户的登录和令牌均已失效', 'Password set; the account\'s sessions and tokens were revoked'), 'success');
      if (self) { await signedOutAfterPasswordChange(); return; }
      reload();
    });
  });

  clear(main,
    h('p', { class: 'crumbs' }, h('a', { href: href('/admin/users') }, tr('账户管理', 'Accounts')), ' / ', user.username),
    h('div', { class: 'page-head' }, h('h1', null, `${user.display_name}${paren(user.username)}`), statusTag(user)),
    section(tr('账户信息', 'Account'), facts([
      [tr('用户名', 'User name'), user.username],
      [tr('姓名', 'Display name'), user.display_name],
      [tr('角色', 'Roles'), user.roles.length ? user.roles.map((r) => roleText(r, unitName)).join('；') : tr('无角色', 'No role')],
      [tr('状态', 'State'), statusTag(user)],
      [tr('连续登录失败', 'Failed sign-ins'), String(user.failed_logins || 0)],
      [tr('创建时间', 'Created'), formatTime(user.created_at)],
    ])),
    section(tr('姓名与角色', 'Name and roles'), editForm),
    section(user.disabled ? tr('启用账户', 'Enable') : tr('停用账户', 'Disable'), stateForm),
    section(tr('重设密码', 'Reset the password'),
      isLocked(user) ? h('p', { class: 'due-soon' }, tr(`该账户因多次输错密码已锁定至 ${formatTime(user.locked_until)}。重设密码可立即解锁。`, `Locked until ${formatTime(user.locked_until)} after wrong passwords; a new password unlocks it now.`)) : null,
      h('p', { class: 'muted' }, tr('重设后该账户已有的登录和 API 令牌全部失效。请当面或经可靠渠道把新密码告知本人，并请其登录后在“我的账户”中改为自己的密码。',
        'Every session and API token of the account stops working. Hand the new password over in person or another safe way, and ask the user to change it under My account.')),
      passwordForm),
    section(tr('登录会话与 API 令牌', 'Sessions and API tokens'), tokenTable(tokens.tokens || [], { reload, self })));
}

// Sessions and API tokens, live ones first, newest first; each live one revocable.
export function tokenTable(tokens, { reload, self }) {
  const now = Date.now();
  const live = (t) => !t.revoked_at && Date.parse(t.expires_at) > now;
  const sorted = tokens.slice().sort((a, b) => (live(b) - live(a)) || String(b.created_at).localeCompare(String(a.created_at)));
  const state = (t) => {
    if (t.revoked_at) return h('span', { class: 'muted' }, tr(`已撤销（${formatTime(t.revoked_at)}）`, `Revoked ${formatTime(t.revoked_at)}`));
    if (!live(t)) return h('span', { class: 'muted' }, tr('已过期', 'Expired'));
    return h('span', { class: 'verified-ok' }, tr('有效', 'Valid'));
  };
  const revoke = (t) => {
    if (!live(t)) return '';
    const button = h('button', {
      type: 'button', class: 'small danger',
      onclick: () => busy(button, null, async () => {
        await api.del(`/auth/tokens/${t.id}`);
        notice(tr('已撤销', 'Revoked'), 'success');
        reload();
      }),
    }, tr('撤销', 'Revoke'), h('span', { class: 'sr-only' }, ` ${t.name}`));
    return button;
  };
  return [
    self ? h('p', { class: 'muted' }, tr('其中一个登录会话就是您现在正在使用的；撤销它会使您退出登录。', 'One of the sessions is the one you are using; revoking it signs you out.')) : null,
    cardTable([
      { title: tr('名称', 'Name'), render: (t) => (t.kind === 'session' ? tr('网页登录', 'Sign-in') : t.name) },
      { title: tr('类型', 'Kind'), render: (t) => (t.kind === 'api' ? tr('API 令牌', 'API token') : tr('登录会话', 'Session')) },
      { title: tr('创建时间', 'Created'), render: (t) => when(t.created_at) },
      { title: tr('到期时间', 'Expires'), render: (t) => when(t.expires_at) },
      { title: tr('状态', 'State'), render: state },
      { title: tr('操作', 'Action'), render: revoke },
    ], sorted, { empty: tr('没有登录会话或令牌。', 'No sessions or tokens.') })];
}

// ---------------------------------------------------------------------------------------------
// /admin/policy: the policy in force

route({
  path: '/admin/policy', title: ['权限策略', 'Policy'], group: 'admin', nav: true,
  allowed: requires('policies.read'), render: renderPolicy,
});

async function renderPolicy(main) {
  loading(main);
  const policy = await api.get('/policies');
  const roleCodes = Object.keys(policy.roles);
  const order = ['public', 'member', 'archivist', 'reviewer', 'inspector', 'committee', 'admin'];
  roleCodes.sort((a, b) => (order.indexOf(a) + 1 || 99) - (order.indexOf(b) + 1 || 99) || a.localeCompare(b));
  const roleHead = (code) => {
    const known = label('role', code) !== code;
    return [known ? label('role', code) : policy.roles[code].name, h('div', { class: 'muted' }, code, policy.roles[code].unit_bound ? tr(' · 按单位', ' · per unit') : '')];
  };
  const granted = new Set(roleCodes.flatMap((c) => policy.roles[c].permissions));
  const permissions = [...PERMISSION_CODES, ...[...granted].filter((p) => !PERMISSIONS[p]).sort()];

  const matrix = h('div', { class: 'table-wrap' }, h('table', { class: 'permission-matrix' },
    h('caption', { class: 'sr-only' }, tr('各角色的权限', 'Permissions per role')),
    h('thead', null, h('tr', null, h('th', { scope: 'col' }, tr('权限', 'Permission')), roleCodes.map((c) => h('th', { scope: 'col', class: 'center' }, roleHead(c))))),
    h('tbody', null, permissions.map((p) => h('tr', null,
      h('th', { scope: 'row' }, permissionName(p), h('div', null, h('code', { class: 'muted' }, p))),
      roleCodes.map((c) => (policy.roles[c].permissions.includes(p)
        ? h('td', { class: 'center granted' }, h('span', { 'aria-hidden': 'true' }, '✓'), h('span', { class: 'sr-only' }, tr('有', 'yes')))
        : h('td', { class: 'center' }, h('span', { class: 'muted', 'aria-hidden': 'true' }, '·'), h('span', { class: 'sr-only' }, tr('无', 'no'))))))))));

  const visibility = cardTable([
    { title: tr('角色', 'Roles'), render: (r) => r.roles.map((c) => label('role', c)).join('、') },
    { title: tr('公开范围', 'Scopes'), render: (r) => h('span', { class: 'tag-list' }, inOrder(r.scopes, SCOPE_ORDER).map((s) => tag('scope', s))) },
    { title: tr('文件状态', 'Statuses'), render: (r) => h('span', { class: 'tag-list' }, inOrder(r.statuses, STATUS_ORDER).map((s) => tag('status', s))) },
    { title: tr('单位', 'Units'), render: (r) => (r.units === 'own' ? tr('仅本单位及下级单位', 'Own units and below') : tr('全部单位', 'Every unit')) },
  ], policy.visibility || []);

  const categoriesTable = cardTable([
    { title: tr('代码', 'Code'), render: (c) => h('code', null, c.code) },
    { title: tr('类别', 'Category'), render: (c) => c.name },
    { title: tr('默认保管期限', 'Default retention'), render: (c) => label('retention', c.default_retention) },
    { title: tr('公开事项', 'Items'), render: (c) => h('details', null, h('summary', null, tr(`${c.items.length} 项`, `${c.items.length} items`)), h('ol', { class: 'items-list' }, c.items.map((t) => h('li', null, t)))) },
  ], policy.categories || []);

  const t = policy.time_limits || {};
  const limits = facts([
    [tr('意见反馈办理时限', 'Feedback answered within'), tr(`${t.feedback_working_days} 个工作日（可延长 ${t.feedback_extension_working_days} 个工作日）`, `${t.feedback_working_days} working days (+${t.feedback_extension_working_days})`)],
    [tr('依申请公开登记时限', 'Applications acknowledged within'), tr(`${t.request_acknowledge_working_days} 个工作日`, `${t.request_acknowledge_working_days} working days`)],
    [tr('依申请公开答复时限', 'Applications decided within'), tr(`${t.request_working_days} 个工作日（可延长 ${t.request_extension_working_days} 个工作日）`, `${t.request_working_days} working days (+${t.request_extension_working_days})`)],
    [tr('临期提醒', 'Due soon'), tr(`到期前 ${t.due_soon_working_days} 个工作日`, `${t.due_soon_working_days} working days before`)],
    [tr('不予公开的理由', 'Refusal reasons'), h('ol', { class: 'items-list' }, (t.refusal_reasons || []).map((r) => h('li', null, r)))],
  ]);

  clear(main,
    h('h1', null, tr('权限策略', 'Policy')),
    h('p', { class: 'muted' }, tr('现行策略来自服务器的策略文件夹；修改文件后须重新加载才生效。每个请求都按这里的规则判断能否执行。',
      'The policy in force comes from the server\'s policy folder; edited files take effect when reloaded. Every request is decided by these rules.')),
    section(tr('概况', 'Overview'), facts([
      [tr('策略文件夹', 'Folder'), h('code', null, policy.folder)],
      [tr('文件摘要（SHA-256）', 'Digest (SHA-256)'), h('code', { id: 'policy-digest' }, policy.digest)],
      [tr('全宗号', 'Fonds code'), policy.archive ? policy.archive.fonds_code : ''],
      [tr('档号格式', 'Reference code pattern'), policy.archive ? h('code', null, policy.archive.reference_code_pattern) : ''],
      [tr('工作日历覆盖', 'Working-day calendar'), policy.calendar ? tr(`${policy.calendar.first_year}–${policy.calendar.last_year} 年`, `${policy.calendar.first_year}–${policy.calendar.last_year}`) : ''],
    ]), can('policies.reload') ? reloadForm() : null),
    section(tr('权限核查', 'Explain a permission'), explainForm()),
    section(tr('角色与权限', 'Roles and permissions'), h('p', { class: 'muted' }, tr('“按单位”的角色只在所授单位及其下级单位内有这些权限。', 'Roles granted “per unit” hold these permissions only in that unit and below.')), matrix),
    section(tr('可见范围', 'Who sees which documents'), visibility),
    section(tr('公开类别', 'Disclosure categories'), categoriesTable),
    section(tr('办理时限', 'Time limits'), limits));
}

const SCOPE_ORDER = ['public', 'internal', 'restricted'];
const STATUS_ORDER = ['draft', 'submitted', 'approved', 'published', 'withdrawn', 'archived'];
function inOrder(values, order) {
  return values.slice().sort((a, b) => (order.indexOf(a) + 1 || 99) - (order.indexOf(b) + 1 || 99));
}

function explainForm() {
  const permissionSelect = select([['', tr('（请选择权限）', '(choose a permission)')], ...PERMISSION_CODES.map((p) => [p, `${permissionName(p)}${paren(p)}`])], {});
  const others = can('users.manage');
  const usernameInput = input({ value: session.user ? session.user.username : '', autocomplete: 'off', spellcheck: 'false' });
  const submit = h('button', { type: 'submit' }, tr('核查', 'Explain'));
  const result = h('div', { class: 'explain-result', role: 'status' });
  const form = h('form', { class: 'explain-form', novalidate: true },
    h('div', { class: 'row' },
      field('permission', tr('权限', 'Permission'), permissionSelect),
      others ? field('username', tr('账户用户名', 'User name'), usernameInput, tr('留空为您自己', 'Empty: yourself'))
        : h('p', { class: 'muted' }, tr('核查的是您自己的账户。', 'Explains your own account.'))),
    submit, result);
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    busy(submit, form, async () => {
      clear(result);
      const answer = await api.get('/policies/explain', { permission: permissionSelect.value, username: others ? usernameInput.value.trim() : '' });
      const grants = parseExplanation(answer.explanation);
      clear(result,
        h('p', { class: answer.allowed ? 'success' : 'form-error' }, answer.allowed
          ? tr(`允许：${answer.username} 有“${permissionName(answer.permission)}”权限。`, `Allowed: ${answer.username} may ${permissionName(answer.permission)}.`)
          : tr(`不允许：${answer.username} 没有“${permissionName(answer.permission)}”权限。`, `Denied: ${answer.username} may not ${permissionName(answer.permission)}.`)),
        grants.length
          ? h('ul', { class: 'explain-grants' }, grants.map((g) => h('li', null,
            g.raw ? g.raw : [label('role', g.role), g.unit ? ` @ ${g.unit}` : '', '：', g.grants ? h('span', { class: 'verified-ok' }, tr('授予此权限', 'grants it')) : h('span', { class: 'muted' }, tr('不含此权限', 'does not grant it'))])))
          : h('p', { class: 'muted' }, localMessage(answer.explanation)));
    });
  });
  return form;
}

// "允许 (allowed): 角色 (role) archivist@unit: 允许 (grants) p; 角色 (role) public: 不允许 (does not grant) p; "
function parseExplanation(text) {
  const out = [];
  for (const part of String(text || '').replace(/^[^:]*\):\s*/, '').split(';')) {
    const s = part.trim();
    if (!s) continue;
    const m = /^角色 \(role\) ([^@:\s]+)(?:@(\S+?))?: (允许|不允许)/.exec(s);
    out.push(m ? { role: m[1], unit: m[2] || '', grants: m[3] === '允许' } : { raw: s });
  }
  return out;
}

function reloadForm() {
  const button = h('button', { type: 'submit' }, tr('重新加载策略文件', 'Reload the policy files'));
  const detail = h('div', { class: 'reload-detail' });
  const form = h('form', { class: 'reload-form', novalidate: true },
    h('p', { class: 'muted' }, tr('修改策略文件夹中的文件后，在这里重新加载。有错误的文件会被拒绝（指出文件、行号和字段），现行策略保持不变。',
      'After editing the files in the policy folder, reload them here. A broken file is refused (naming file, line and field) and the policy in force stays.')),
    button, detail);
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    clear(detail);
    busy(button, null, async () => {
      try {
        const answer = await api.post('/policies/reload');
        notice(tr('策略已重新加载', 'Policy reloaded'), 'success');
        clear(detail, h('p', { class: 'success' }, tr('已重新加载，新的文件摘要：', 'Reloaded; the new digest: '), h('code', null, answer.digest)));
        const digest = document.getElementById('policy-digest');
        if (digest) digest.textContent = answer.digest;
      } catch (err) {
        const box = showProblem(form, err);
        const where = policyErrorPlace(err.message);
        if (where) {
          box.append(facts([
            [tr('文件', 'File'), h('code', null, where.file)],
            [tr('行号', 'Line'), where.line || tr('（整个文件）', '(the whole file)')],
            [tr('字段', 'Field'), where.field ? h('code', null, where.field) : tr('（无）', '(none)')],
            [tr('问题', 'Problem'), where.what],
          ]));
        }
        box.append(h('p', null, tr('现行策略未改变。', 'The policy in force is unchanged.')));
      }
    });
  });
  return form;
}

// "策略文件错误 (policy error): policy file error: roles.json:12: roles.admin.permissions[3]: what"
function policyErrorPlace(message) {
  const m = /policy file error: ([^:]+?)(?::(\d+))?: (.*)$/s.exec(String(message || ''));
  if (!m) return null;
  let field = '';
  let what = m[3];
  const f = /^([A-Za-z_][\w.[\]-]*): (.*)$/s.exec(what);
  if (f && /[.[]|^[a-z_]+$/.test(f[1])) { field = f[1]; what = f[2]; }
  return { file: m[1], line: m[2] || '', field, what };
}
