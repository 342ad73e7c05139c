// Retention: a record of the health centre archived for ten years long enough ago to be due is
// proposed for disposal by the archivist (through the API); the reviewer finds it on the
// disposition review list (到期鉴定), approves it in the browser, and sees it leave the list and
// the decision recorded. Then the inspector's side of legal holds is walked by walks/holds.mjs.
import assert from 'node:assert/strict';

export const role = 'reviewer';

export default async function walk(ctx) {
  const { page } = ctx;
  const year = new Date().getFullYear() - 11;
  const title = `到期档案 ${Date.now()}`;
  const made = await ctx.apiAs('archivist', 'POST', '/api/v1/documents', {
    title, category: 'ZZ', org_unit: ctx.users.archivist.unit || 'xiaode-wsy', scope: 'public', mode: 'proactive',
    period: 'standing', issued_at: `${year}-03-01`,
  });
  assert.equal(made.status, 201, 'the archivist files a document: ' + made.text);
  const id = made.json.id;
  for (const [who, step, body] of [
    ['archivist', 'submit', {}],
    ['reviewer', 'approve', { confidentiality_reviewed: true }],
    ['reviewer', 'publish', { channels: ['website'] }],
    ['archivist', 'archive', { retention: 'D10' }],
  ]) {
    const done = await ctx.apiAs(who, 'POST', `/api/v1/documents/${id}/${step}`, body);
    assert.equal(done.status, 200, `${step}: ${done.text}`);
  }
  const proposed = await ctx.apiAs('archivist', 'POST', '/api/v1/retention/dispositions', { document_id: id, reason: '保管期限已满，经鉴定可以销毁。' });
  assert.equal(proposed.status, 201, 'the archivist proposes: ' + proposed.text);

  await page.getByRole('link', { name: '到期鉴定' }).first().click();
  await page.getByRole('heading', { name: '到期鉴定', level: 1 }).waitFor();
  const row = page.locator('#due-list tr').filter({ hasText: title });
  await row.waitFor();
  await row.getByText('保管期限已满，经鉴定可以销毁。').waitFor();
  page.once('dialog', (dialog) => dialog.accept());
  await row.getByRole('button', { name: '批准销毁' }).click();
  await page.locator('#due-list tr').filter({ hasText: title }).waitFor({ state: 'detached' });
  await page.locator('#dispositions').getByText('已批准销毁').first().waitFor();
  await ctx.screenshot?.('retention-approved');

  const after = await ctx.apiAs('reviewer', 'GET', `/api/v1/documents/${id}`);
  assert.equal(after.json.status, 'disposed');
  assert.equal(after.json.disclosure.disposed.approved.by, ctx.users.reviewer.username);
}
