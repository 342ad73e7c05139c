// The account group, for everyone signed in (/account): one's own profile, roles and what they
// allow, changing the password (which signs every session out), and API tokens for scripts
// such as a committee's yearly download.
import { h, clear } from '../dom.js';
import * as api from '../api.js';
import { tr, label, formatTime } from '../i18n.js';
import { field, input, busy, notice, describe, section, loading, facts } from '../ui.js';
import { signedIn, loadSession, resetCaches, units } from '../session.js';
import { route, navigate } from '../router.js';
import { permissionName, PERMISSION_CODES, tokenTable } from './admin.js';

// After a password change the server has revoked every token of the account: drop ours and
// send the user to the sign-in form with a message that stays there.
export async function signedOutAfterPasswordChange() {
  api.setToken(null);
  resetCaches();
  await loadSession();
  const message = tr('密码已修改。为安全起见，此账户的所有登录（包括其他设备上的）和 API 令牌都已失效，请用新密码重新登录。',
    'Password changed. For safety every session of this account (on other devices too) and every API token was revoked; sign in with the new password.');
  const showMessage = () => {
    const main = document.getElementById('main');
    const form = main && main.querySelector('form');
    if (!form || main.querySelector('.signed-out-note')) return;
    form.before(h('p', { class: 'success signed-out-note', role: 'status' }, message));
  };
  window.addEventListener('hashchange', () => setTimeout(showMessage, 0), { once: true });
  navigate('/login', { next: '/account' });
}

route({
  path: '/account', title: ['我的账户', 'My account'], group: 'account', nav: true,
  allowed: () => signedIn(), render: renderAccount,
});

async function renderAccount(main) {
  loading(main);
  const [me, unitList, tokens] = await Promise.all([api.get('/auth/me'), units(), api.get('/auth/tokens')]);
  const unitName = (code) => (unitList.find((u) => u.code === code) || {}).name || code;
  const mine = new Set(me.permissions || []);
  const permissionList = PERMISSION_CODES.filter((p) => mine.has(p)).concat([...mine].filter((p) => !PERMISSION_CODES.includes(p)));
  const tokenArea = h('div', { id: 'token-list' });
  const reloadTokens = async () => {
    try {
      const fresh = await api.get('/auth/tokens');
      clear(tokenArea, tokenTable(fresh.tokens || [], { reload: reloadTokens, self: true }));
    } catch (err) { notice(describe(err), 'error'); }
  };
  clear(tokenArea, tokenTable(tokens.tokens || [], { reload: reloadTokens, self: true }));

  clear(main,
    h('h1', null, tr('我的账户', 'My account')),
    section(tr('个人信息', 'Profile'), facts([
      [tr('用户名', 'User name'), me.username],
      [tr('姓名', 'Display name'), me.display_name],
      [tr('角色', 'Roles'), me.roles.length
        ? h('ul', { class: 'plain' }, me.roles.map((r) => h('li', null, label('role', r.role), r.unit ? ` · ${unitName(r.unit)}` : '')))
        : tr('无（只能查阅公开内容）', 'None (public content only)')],
      [tr('账户创建', 'Created'), formatTime(me.created_at)],
      [tr('可以做的事', 'What you may do'), h('ul', { class: 'permission-list' }, permissionList.map((p) => h('li', { title: p }, permissionName(p))))],
    ]), h('p', { class: 'muted' }, tr('姓名和角色由系统管理员设置；如需调整请联系管理员。', 'The administrator sets your name and roles; ask them for changes.'))),
    section(tr('修改密码', 'Change your password'), passwordForm()),
    section(tr('API 令牌', 'API tokens'),
      h('p', { class: 'muted' }, tr('供脚本或其他系统以您的身份调用接口（例如上级党委每年自动下载归档包）。令牌与您的账户权限相同，请只交给可信的程序，不用时及时撤销。',
        'For scripts or other systems acting as you (e.g. the committee\'s yearly bundle download). A token can do whatever your account can: give it only to trusted programs and revoke it when no longer needed.')),
      newTokenForm(reloadTokens),
      h('h3', null, tr('我的登录会话与令牌', 'My sessions and tokens')),
      tokenArea));
}

function passwordForm() {
  const current = input({ type: 'password', autocomplete: 'current-password' });
  const next = input({ type: 'password', autocomplete: 'new-password' });
  const again = input({ type: 'password', autocomplete: 'new-password' });
  const submit = h('button', { type: 'submit', class: 'primary' }, tr('修改密码', 'Change the password'));
  const form = h('form', { class: 'narrow', novalidate: true },
    field('current_password', tr('当前密码', 'Current password'), current),
    field('new_password', tr('新密码', 'New password'), next, tr('至少 12 个字符，不能与用户名相同。', 'At least 12 characters, not your user name.')),
    field('new_password_again', tr('再次输入新密码', 'New password again'), again),
    h('p', { class: 'muted' }, tr('修改后，您在所有设备上的登录和全部 API 令牌都会失效，需要重新登录。', 'Afterwards every session on every device and every API token stops working; you sign in again.')),
    submit);
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    busy(submit, form, async () => {
      if (next.value !== again.value) {
        const err = new api.ApiError(422, {
          detail: '两次输入的新密码不一致 (the new passwords differ)',
          errors: [{ field: 'new_password_again', message: '两次输入的新密码不一致 (the new passwords differ)' }],
        });
        throw err;
      }
      try {
        await api.post('/auth/password', { current_password: current.value, new_password: next.value });
      } catch (err) {
        // The server answers a wrong current password as a failed sign-in (401); say it beside the field.
        if (err.code === 'invalid_credentials') {
          const message = '当前密码不正确 (the current password is wrong)';
          throw new api.ApiError(err.status, { ...err.problem, detail: message, errors: [{ field: 'current_password', message }] });
        }
        throw err;
      }
      await signedOutAfterPasswordChange();
    });
  });
  return form;
}

function newTokenForm(onMade) {
  const name = input({ maxlength: 200, placeholder: tr('如：归档包年度下载脚本', 'e.g. yearly bundle download') });
  const days = input({ type: 'number', min: 1, max: 366, value: '365', inputmode: 'numeric', class: 'days-input' });
  const submit = h('button', { type: 'submit' }, tr('生成令牌', 'Make a token'));
  const shown = h('div', { class: 'token-shown' });
  const form = h('form', { class: 'token-form', novalidate: true },
    h('div', { class: 'row' },
      field('name', tr('令牌名称', 'Token name'), name, tr('写明用途，便于日后识别和撤销', 'Say what it is for')),
      field('expires_in_days', tr('有效天数', 'Valid for (days)'), days, tr('1–366 天', '1–366 days'))),
    submit, shown);
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    busy(submit, form, async () => {
      const body = { name: name.value.trim() };
      const d = days.value.trim();
      if (d) body.expires_in_days = /^-?\d+$/.test(d) ? Number(d) : d;
      const made = await api.post('/auth/tokens', body);
      clear(shown, tokenOnce(made));
      name.value = '';
      await onMade();
    });
  });
  return form;
}

// The token itself, shown this once: the server keeps only its SHA-256.
function tokenOnce(made) {
  const value = h('input', { type: 'text', readonly: true, value: made.token, class: 'token-value mono', 'aria-label': tr('新令牌', 'New token'), spellcheck: 'false' });
  const copied = h('span', { class: 'muted', role: 'status' });
  const copy = h('button', {
    type: 'button', class: 'primary',
    onclick: async () => {
      value.select();
      try {
        await navigator.clipboard.writeText(made.token);
        copied.textContent = tr('已复制', 'Copied');
      } catch {
        // No clipboard permission: the text is selected for Ctrl+C.
        copied.textContent = tr('请按 Ctrl+C 复制已选中的令牌', 'Press Ctrl+C to copy the selected token');
      }
    },
  }, tr('复制令牌', 'Copy the token'));
  const origin = location.origin;
  return h('div', { class: 'card-inner token-once' },
    h('p', null, h('strong', null, tr('令牌只显示这一次，请立即复制并妥善保存。', 'This token is shown only once: copy it now and keep it safe.')),
      ' ', tr(`有效期至 ${formatTime(made.expires_at)}。`, `Valid until ${formatTime(made.expires_at)}.`)),
    h('div', { class: 'row token-copy' }, value, copy, copied),
    h('details', null, h('summary', null, tr('使用示例', 'Example')),
      h('pre', null, `curl -H "Authorization: Bearer ${made.token}" ${origin}/api/v1/archives`)),
    h('p', { class: 'muted' }, tr('离开本页后无法再次查看；遗失时撤销后重新生成即可。', 'It cannot be shown again; if lost, revoke it and make a new one.')));
}
