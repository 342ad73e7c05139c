// Bad input in forms: the server's validation errors appear in Chinese beside their fields,
// and nothing the user typed is lost.
import assert from 'node:assert/strict';

export const role = 'public';

export default async function walk({ page }) {
  await page.goto(page.url().split('#')[0] + '#/apply');
  await page.getByLabel('申请公开的内容').fill('请公开2023年党费收缴情况。');
  await page.getByLabel('用途（可不填）').fill('了解情况');
  await page.getByRole('button', { name: '提交申请' }).click();
  const applicantError = page.locator('[data-field="applicant"] .field-error');
  await applicantError.waitFor();
  assert.equal(await applicantError.innerText(), '必填字段');
  assert.equal(await page.locator('[data-field="contact"] .field-error').innerText(), '必填字段');
  assert.equal(await page.getByLabel('申请人').getAttribute('aria-invalid'), 'true');
  assert.equal(await page.getByLabel('申请公开的内容').inputValue(), '请公开2023年党费收缴情况。');
  assert.equal(await page.getByLabel('用途（可不填）').inputValue(), '了解情况');
  // Corrected, it goes through and the messages are gone.
  await page.getByLabel('申请人').fill('张三');
  await page.getByLabel('联系方式', { exact: true }).fill('zhangsan@example.cn');
  await page.getByRole('button', { name: '提交申请' }).click();
  await page.locator('.receipt-code').waitFor();
  assert.equal(await page.locator('.field-error:not(:empty)').count(), 0);

  // Feedback with nothing typed: the message sits beside the content field.
  await page.goto(page.url().split('#')[0] + '#/feedback');
  await page.getByLabel('姓名（可不填）').fill('李四');
  await page.getByRole('button', { name: '提交意见' }).click();
  await page.locator('[data-field="content"] .field-error').filter({ hasText: '必填字段' }).waitFor();
  assert.equal(await page.getByLabel('姓名（可不填）').inputValue(), '李四');
}
