// A phone, 375 px wide: nothing runs off the side, and the menu opens behind its button.
import assert from 'node:assert/strict';

export const role = 'public';
export const viewport = { width: 375, height: 740 };
export const isMobile = true;

async function fits(page) {
  const widths = await page.evaluate(() => [document.documentElement.scrollWidth, window.innerWidth]);
  assert.ok(widths[0] <= widths[1], `page is ${widths[0]} px wide on a ${widths[1]} px screen`);
}

export default async function walk({ page, screenshot }) {
  await fits(page);
  assert.equal(await page.locator('nav#nav').isVisible(), false, 'the menu starts closed');
  await page.getByRole('button', { name: '菜单' }).click();
  await page.getByRole('link', { name: '全文检索' }).click();
  await page.getByLabel('检索', { exact: true }).fill('党务');
  await page.getByRole('button', { name: '检索', exact: true }).click();
  await page.locator('.hit').first().waitFor();
  await fits(page);
  await page.locator('.hit a').first().click();
  await page.getByRole('heading', { name: '公开记录' }).waitFor();
  await fits(page);
  await screenshot('document');
}
