// The system administrator: adds a branch under the hospital committee through the unit form,
// then an archivist account for it (first with a too-short password, which the form refuses
// beside the password field keeping what was typed), and finds both in the lists.
import assert from 'node:assert/strict';

export const role = 'admin';

export default async function walk({ page, apiAs, screenshot }) {
  // A unit code not yet taken below lyg-fybjy (its branches are lyg-fybjy-1..6).
  const before = (await apiAs('admin', 'GET', '/api/v1/org-units')).json.org_units;
  let n = 7;
  while (before.some((u) => u.code === `lyg-fybjy-${n}`)) n += 1;
  const code = `lyg-fybjy-${n}`;
  const unitName = `连云港市妇幼保健院第${n}党支部`;
  const username = `dangan-fy${n}`;

  const nav = page.getByRole('navigation', { name: '主导航' });
  await nav.getByRole('link', { name: '单位管理' }).click();
  await page.getByRole('heading', { name: '单位管理', level: 1 }).waitFor();
  await page.getByLabel('单位代码').fill(code);
  await page.getByLabel('单位名称').fill(unitName);
  await page.getByLabel('上级单位').selectOption('lyg-fybjy');
  await page.getByRole('button', { name: '添加单位' }).click();
  const node = page.locator(`#unit-tree li[data-unit="lyg-fybjy"] > ul > li[data-unit="${code}"]`);
  await node.waitFor();
  assert.ok((await node.innerText()).includes(unitName), 'the new unit sits below lyg-fybjy in the tree');
  const unit = (await apiAs('admin', 'GET', '/api/v1/org-units')).json.org_units.find((u) => u.code === code);
  assert.deepEqual([unit.name, unit.parent], [unitName, 'lyg-fybjy']);

  // The account, first with a password that is too short.
  await nav.getByRole('link', { name: '账户管理' }).click();
  await page.getByRole('heading', { name: '账户管理', level: 1 }).waitFor();
  const form = page.locator('#new-user');
  await form.getByLabel('用户名').fill(username);
  await form.getByLabel('姓名').fill(`第${n}党支部档案员`);
  await form.getByLabel('初始密码').fill('Short-1');
  await form.getByLabel('角色', { exact: true }).selectOption('archivist');
  await form.getByLabel('单位', { exact: true }).selectOption(code);
  await form.getByRole('button', { name: '创建账户' }).click();
  const passwordError = form.locator('[data-field="password"] .field-error');
  await passwordError.filter({ hasText: '密码至少' }).waitFor();
  assert.match(await passwordError.innerText(), /^密码至少 \d+ 个字符$/);
  assert.equal(await form.getByLabel('初始密码').getAttribute('aria-invalid'), 'true');
  assert.equal(await form.getByLabel('用户名').inputValue(), username, 'the user name typed is kept');
  assert.equal(await form.getByLabel('单位', { exact: true }).inputValue(), code, 'the role rows are kept');
  assert.equal((await apiAs('admin', 'GET', `/api/v1/users/${username}`)).status, 404);

  // Corrected, the account is made and listed with its role and unit.
  await form.getByLabel('初始密码').fill('Gongkai-test-2026!');
  await form.getByRole('button', { name: '创建账户' }).click();
  const row = page.locator(`tr[data-user="${username}"]`);
  await row.waitFor();
  const text = await row.innerText();
  assert.ok(text.includes('档案员') && text.includes(unitName), `the list shows the role and unit: ${text}`);
  const made = await apiAs('admin', 'GET', `/api/v1/users/${username}`);
  assert.deepEqual(made.json.roles, [{ role: 'archivist', unit: code }]);
  await screenshot('accounts');
}
