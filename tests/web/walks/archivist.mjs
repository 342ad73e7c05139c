// The archivist files a document with two files, sees the server's message beside the title
// when it is missing (and keeps what was typed), waits until the text of both files has been
// extracted, and submits the document for review. The reviewer's walk takes it from there.
import assert from 'node:assert/strict';
import path from 'node:path';

export const role = 'archivist';

// Polls `check` until it answers true (no fixed sleeps): for what the server does in the background.
async function until(check, what, timeout = 30000) {
  const end = Date.now() + timeout;
  for (;;) {
    if (await check()) return;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

export default async function walk(ctx) {
  const { page } = ctx;
  const title = `网页工作台测试 ${Date.now()}`;

  // The desk lists the unit's documents.
  await page.getByRole('link', { name: '本单位文件' }).click();
  await page.getByRole('heading', { name: '本单位文件' }).waitFor();
  await page.getByRole('link', { name: '登记新文件' }).first().click();
  await page.getByRole('heading', { name: '登记新文件' }).waitFor();

  // Sending the form without a title: the server's message appears beside the title field,
  // and what was typed elsewhere stays.
  const docNumber = '孝卫党〔2026〕网测1号';
  await page.getByLabel('文号').fill(docNumber);
  await page.getByLabel('内容摘要').fill('网页工作台端到端测试所建文件。');
  await page.getByRole('button', { name: '保存草稿' }).click();
  const titleError = page.locator('[data-field="title"] .field-error');
  await until(async () => (await titleError.textContent()).trim() !== '', 'the error beside the title');
  assert.match(await titleError.textContent(), /[\u4e00-\u9fff]/, 'the title error is in Chinese');
  assert.equal(await page.getByLabel('文号').inputValue(), docNumber, 'the document number was kept');
  assert.equal(await page.getByLabel('内容摘要').inputValue(), '网页工作台端到端测试所建文件。', 'the summary was kept');
  await ctx.screenshot?.('archivist-missing-title');

  // Now the whole form, and two files through the file picker.
  await page.getByLabel('标题（必填）').fill(title);
  await page.getByLabel('所属单位').selectOption('xiaode-wsy');
  await page.getByLabel('公开类别').selectOption('ZZ');
  await page.getByLabel('公开范围').selectOption('public');
  await page.getByLabel('公开方式').selectOption('proactive');
  await page.getByLabel('公开时限').selectOption('immediate');
  const [chooser] = await Promise.all([
    page.waitForEvent('filechooser'),
    page.getByRole('button', { name: '选择文件…' }).click(),
  ]);
  await chooser.setFiles([path.join(ctx.files, '通知.pdf'), path.join(ctx.files, '名单.txt')]);
  const chosen = page.getByRole('list', { name: '待上传的文件' });
  await chosen.getByText('通知.pdf').waitFor();
  await chosen.getByText('名单.txt').waitFor();
  await page.getByRole('button', { name: '保存草稿' }).click();

  // The working view of the new draft: both files' text extraction ends (ok or failed).
  await page.waitForURL(/#\/desk\/documents\/\d+/);
  await page.getByRole('heading', { name: title }).waitFor();
  const id = Number(/#\/desk\/documents\/(\d+)/.exec(page.url())[1]);
  assert.ok(id > 0, 'the new document has an id');
  for (const name of ['通知.pdf', '名单.txt']) {
    const row = page.locator('ul.doc-files li').filter({ hasText: name });
    await until(async () => /已提取文本|未能提取文本/.test(await row.textContent()), `the text extraction of ${name}`);
    assert.match(await row.textContent(), /已提取文本/, `the text of ${name} was extracted`);
  }
  await ctx.screenshot?.('archivist-draft');

  // Submitted for review.
  await page.getByRole('button', { name: '提交审核' }).click();
  await page.locator('.doc-tags .tag-status-submitted').waitFor();
  await page.getByText('已提交，等待本单位审核人审核。').waitFor();

  // The version history compares the draft with the submitted version.
  await page.getByRole('link', { name: '版本记录' }).click();
  await page.getByRole('heading', { name: '版本对比' }).waitFor();
  await page.locator('table.diff tr.diff-changed').first().waitFor();
  assert.ok(await page.locator('table.diff tr.diff-changed').count() >= 1, 'the status change is highlighted');

  ctx.shared.documentId = id;
  ctx.shared.documentTitle = title;
}
