// Legal holds: the inspector places a hold on a unit and a year through the form (a missing
// reason is said beside its field), finds it in force in the list, and releases it with a reason.
import assert from 'node:assert/strict';

export const role = 'inspector';

export default async function walk(ctx) {
  const { page } = ctx;
  await page.getByRole('link', { name: '保全' }).first().click();
  await page.getByRole('heading', { name: '保全', level: 1 }).waitFor();
  const form = page.locator('#place-hold');
  await form.getByLabel('保全对象').selectOption('scope');
  await form.getByLabel('单位').selectOption('xiaode-wsy');
  await form.getByLabel('年度').fill('2015');
  await form.getByRole('button', { name: '设置保全' }).click();
  await form.locator('[data-field=reason] .field-error').filter({ hasText: /\S/ }).waitFor();
  await form.getByLabel('理由（必填）').fill('信访件核查，暂停销毁。');
  await form.getByRole('button', { name: '设置保全' }).click();
  const row = page.locator('#hold-list tr').filter({ hasText: '信访件核查，暂停销毁。' });
  await row.getByText('保全中').waitFor();

  const listed = await ctx.apiAs('inspector', 'GET', '/api/v1/retention/holds?active=true');
  assert.ok(listed.json.holds.some((x) => x.org_unit === 'xiaode-wsy' && x.year === 2015), 'the hold is in force: ' + listed.text);

  await row.getByLabel('解除理由（必填）').fill('核查结束。');
  await row.getByRole('button', { name: '解除保全' }).click();
  await page.locator('#hold-list tr').filter({ hasText: '信访件核查，暂停销毁。' }).getByText('已解除').waitFor();
  await ctx.screenshot?.('holds-released');
}
