// The higher-level committee's clerk: asks for the annual bundle of a category and year the demo
// has archived documents in, watches it being built, finds it listed and downloads it; the file
// is the tar listed (size, SHA-256, a valid first tar header).
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { createHash } from 'node:crypto';

export const role = 'committee';

// A POSIX tar header block: its checksum is the sum of its bytes with the checksum field read
// as eight spaces, written in octal at offset 148.
function validTarHeader(block) {
  if (block.length !== 512) return false;
  const stored = parseInt(block.subarray(148, 156).toString('latin1').replace(/[\0 ]+$/g, '').trim(), 8);
  let sum = 0;
  for (let i = 0; i < 512; i += 1) sum += i >= 148 && i < 156 ? 0x20 : block[i];
  return Number.isInteger(stored) && stored === sum && block.subarray(257, 262).toString('latin1') === 'ustar';
}

export default async function walk({ page, apiAs, screenshot }) {
  const archived = await apiAs('admin', 'GET', '/api/v1/documents?status=archived&per_page=100');
  assert.equal(archived.status, 200);
  const doc = archived.json.documents.find((d) => d.reference_code) || archived.json.documents[0];
  assert.ok(doc, 'the demo data holds an archived document');
  const { category, year } = doc;

  await page.getByRole('navigation', { name: '主导航' }).getByRole('link', { name: '年度归档包' }).click();
  await page.getByRole('heading', { name: '年度归档包', level: 1 }).waitFor();

  // Ask for the bundle and watch the job until it is done.
  const build = page.locator('#build');
  await build.getByLabel('公开类别').selectOption(category);
  await build.getByLabel('归档年度').fill(String(year));
  await build.getByRole('button', { name: '生成归档包' }).click();
  const job = page.locator('#job-status');
  await job.waitFor();
  assert.equal(await job.getByRole('progressbar').count(), 1, 'the job shows a progress bar');
  await job.locator('.job-state[data-state="done"]').waitFor({ timeout: 60000 });
  assert.equal(await job.locator('.job-state').innerText(), '已完成');
  const [value, max] = await job.locator('progress').evaluate((p) => [p.value, p.max]);
  assert.equal(value, max, 'the progress bar is full');
  const resultLink = job.getByRole('link');
  const name = (await resultLink.innerText()).trim();
  assert.match(name, new RegExp(`-${year}-${category}-T\\d+$`));

  // The new bundle is listed with what the API says of it.
  const listed = (await apiAs('committee', 'GET', `/api/v1/archives?category=${category}&year=${year}`)).json.archives.find((b) => b.name === name);
  assert.ok(listed, 'the API lists the new bundle');
  const card = page.locator(`#bundle-list article[data-name="${name}"]`);
  await card.waitFor();
  assert.equal(await card.locator('.bundle-size').getAttribute('data-bytes'), String(listed.size));
  assert.ok((await card.innerText()).includes(listed.sha256), 'the card shows the SHA-256');
  assert.ok(await page.locator(`.bundle-grid a[href="#/archives/${listed.id}"]`).count() >= 1, 'the grid marks the bundle');

  // Download it: the file is the listed tar.
  const [download] = await Promise.all([
    page.waitForEvent('download'),
    card.getByRole('button', { name: /下载归档包/ }).click(),
  ]);
  assert.equal(download.suggestedFilename(), `${name}.tar`);
  const bytes = await readFile(await download.path());
  assert.equal(bytes.length, listed.size, 'the saved file has the listed size');
  assert.ok(validTarHeader(bytes.subarray(0, 512)), 'the file starts with a valid tar header');
  assert.equal(createHash('sha256').update(bytes).digest('hex'), listed.sha256);
  await card.getByText(/浏览器正在下载/).waitFor();  // the page says where the file went

  // The bundle's own page, reached from the job's result, says how to check it offline.
  const jobId = await job.getAttribute('data-job');
  await resultLink.click();
  await page.getByRole('heading', { name, level: 1 }).waitFor();
  await page.getByText(`gongkai-verify ${name}.tar --key ed25519-public.pem`).waitFor();
  await screenshot('bundle');

  // Back on the bundles page without the job in the address, the build is listed among the
  // recent ones, with its state and a link that watches it again.
  await page.getByRole('navigation', { name: '主导航' }).getByRole('link', { name: '年度归档包' }).click();
  const recent = page.locator('#recent-jobs');
  const row = recent.locator('tr', { has: page.getByRole('link', { name: `#${jobId}`, exact: true }) });
  await row.waitFor();
  assert.ok((await row.innerText()).includes('已完成'), 'the recent build shows its state');
  assert.ok((await row.innerText()).includes(`${category} ${year}`), 'and its category and year');
  await row.getByRole('link', { name: `#${jobId}` }).click();
  await page.locator(`#job-status[data-job="${jobId}"] .job-state[data-state="done"]`).waitFor();
}
