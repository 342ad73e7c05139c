// The keyboard alone: sign in, move through the navigation and open a document, with no mouse.
import assert from 'node:assert/strict';

export const role = 'public';

async function tabTo(page, predicate, limit = 60) {
  for (let i = 0; i < limit; i++) {
    await page.keyboard.press('Tab');
    if (await page.evaluate(predicate)) return;
  }
  throw new Error('Tab never reached the element');
}

export default async function walk({ page, users }) {
  await tabTo(page, () => document.activeElement?.id === 'sign-in');
  await page.keyboard.press('Enter');
  await page.getByLabel('用户名').waitFor();
  await page.keyboard.type(users.inspector.username); // the field has focus on arrival
  await page.keyboard.press('Tab');
  await page.keyboard.type(users.inspector.password);
  await page.keyboard.press('Enter');
  await page.getByRole('button', { name: '退出' }).waitFor();
  // Back on the board they signed in from; reach the search link by Tab and follow it.
  await tabTo(page, () => document.activeElement?.dataset?.route === '/search');
  await page.keyboard.press('Enter');
  await page.getByRole('heading', { name: '全文检索' }).waitFor();
  // The link followed is gone with the old screen; focus is on the new one's heading.
  await page.waitForFunction(() => document.activeElement?.tagName === 'H1' && document.activeElement.textContent === '全文检索');
  await tabTo(page, () => document.activeElement?.dataset?.route === '/board');
  await page.keyboard.press('Enter');
  await page.getByRole('heading', { name: '党务公开栏' }).waitFor();
  await tabTo(page, () => document.activeElement?.closest?.('.board-item') != null);
  await page.keyboard.press('Enter');
  await page.getByRole('heading', { name: '公开记录' }).waitFor();
  // Focus is always visible: the focused element has an outline.
  await page.keyboard.press('Tab');
  const outline = await page.evaluate(() => getComputedStyle(document.activeElement).outlineStyle);
  assert.notEqual(outline, 'none');
}
