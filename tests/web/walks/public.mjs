// The public, without an account: reads the board, opens a document, searches with a facet,
// sends feedback and follows it by its receipt code.
import assert from 'node:assert/strict';

export const role = 'public';

export default async function walk({ page, screenshot }) {
  // The board: the eight categories of seed 001 in order, standing items marked.
  const sections = page.locator('section.board-category h2');
  assert.equal(await sections.count(), 8);
  assert.match(await sections.first().innerText(), /^一、全局和中心工作/);
  const firstItem = page.locator('.board-item a').first();
  const title = await firstItem.innerText();
  await firstItem.click();
  await page.getByRole('heading', { name: title }).waitFor();
  await page.getByRole('heading', { name: '公开记录' }).waitFor();
  assert.ok(await page.getByText('发布', { exact: true }).count() >= 1, 'the disclosure record names the publication');

  // Search: highlighted matches, then narrowed by a facet.
  await page.getByRole('link', { name: '全文检索' }).click();
  await page.getByLabel('检索', { exact: true }).fill('党务公开');
  await page.getByRole('button', { name: '检索', exact: true }).click();
  await page.locator('#result-count').waitFor();
  assert.ok(await page.locator('.hit').count() > 0, 'search finds demo documents');
  assert.ok(await page.locator('.hit .snippet mark').count() > 0, 'matches are highlighted');
  const facet = page.locator('.facets a').first();
  const facetText = await facet.innerText();
  await facet.click();
  await page.waitForURL(/category=|year=|org_unit=|scope=/);
  await page.locator('.facets a[aria-current="true"]').first().waitFor();
  const count = Number((await page.locator('#result-count').innerText()).match(/\d+/)[0]);
  assert.equal(count, Number(facetText.match(/\((\d+)\)/)[1]), 'the facet count is what the filter finds');

  // Feedback, then its receipt.
  await page.getByRole('link', { name: '意见反馈' }).click();
  await page.getByLabel('意见或建议').fill('建议公开栏按月更新党费收缴情况。');
  await page.getByLabel('联系方式（可不填）').fill('13800000000');
  await page.getByRole('button', { name: '提交意见' }).click();
  const code = (await page.locator('.receipt-code').innerText()).trim();
  assert.match(code, /^[0-9A-Z]{4}(-[0-9A-Z]{4}){3}$/);
  await page.getByRole('link', { name: '查询进度' }).click();
  await page.getByRole('heading', { name: '意见办理情况' }).waitFor();
  await page.getByText('建议公开栏按月更新党费收缴情况。').waitFor();
  assert.equal(await page.getByText('13800000000').count(), 0, 'the receipt never shows the contact');
  await screenshot('receipt');

  // The English switch, and back; the choice survives a reload.
  await page.getByRole('button', { name: 'English' }).click();
  await page.getByRole('heading', { name: 'Feedback' }).waitFor();
  await page.reload();
  await page.getByRole('link', { name: 'Disclosure board' }).click();
  await page.getByRole('heading', { name: 'Party affairs disclosure board' }).waitFor();
  await page.getByRole('button', { name: '中文' }).click();
  await page.getByRole('heading', { name: '党务公开栏' }).waitFor();
}
