// The reviewer finds the archivist's document in the queue, approves it after the
// confidentiality review, publishes it to the website and the bulletin board, sees it on the
// public board, and withdraws it with a reason (the inspector's walk finds it in the history).
import assert from 'node:assert/strict';

export const role = 'reviewer';

export default async function walk(ctx) {
  const { page, shared } = ctx;
  assert.ok(shared.documentId && shared.documentTitle, 'the archivist walk filed a document first');
  const title = shared.documentTitle;

  // The queue: the document waits for review.
  await page.getByRole('link', { name: '审核发布' }).first().click();
  await page.getByRole('heading', { name: '审核发布', level: 1 }).waitFor();
  const waiting = page.locator('#queue-submitted');
  await waiting.getByRole('link', { name: title }).click();
  await page.getByRole('heading', { name: title, level: 1 }).waitFor();
  assert.ok(page.url().includes(`#/review/${shared.documentId}`), 'the review view of that document');
  await page.locator('ul.doc-files li').filter({ hasText: '通知.pdf' }).waitFor();
  await ctx.screenshot?.('reviewer-review');

  // Approved after the confidentiality review.
  await page.getByLabel(/已完成保密审查/).check();
  await page.locator('.approve-form').getByLabel('审核意见').fill('经保密审查，同意公开。');
  await page.getByRole('button', { name: '审核通过' }).click();
  await page.locator('.doc-tags .tag-status-approved').waitFor();

  // Published to the website and the bulletin board.
  const publish = page.locator('.publish-form');
  await publish.getByLabel('门户网站').check();
  await publish.getByLabel('公开栏').check();
  await publish.getByRole('button', { name: '发布' }).click();
  await page.locator('.doc-tags .tag-status-published').waitFor();
  await ctx.screenshot?.('reviewer-published');

  // On the public board.
  await page.goto(`${ctx.baseUrl}/#/board`);
  await page.getByText(title).first().waitFor();

  // Withdrawn with a reason.
  await page.goto(`${ctx.baseUrl}/#/review/${shared.documentId}`);
  await page.getByRole('heading', { name: title, level: 1 }).waitFor();
  await page.getByLabel('撤回理由（必填）').fill('网页工作台测试：内容需更正，先行撤回。');
  await page.getByRole('button', { name: '撤回', exact: true }).click();
  await page.locator('.doc-tags .tag-status-withdrawn').waitFor();
  assert.match(await page.locator('ol.timeline').textContent(), /网页工作台测试：内容需更正/, 'the reason is in the procedure');
}
