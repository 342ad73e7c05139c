// The higher-level committee's clerk: asks for the annual bundle of a category and year the demo
// has archived documents in, watches it being built, finds it listed and downloads it; the file
// is the tar listed (size, SHA-256, a valid first tar header). On the bundle's page: downloads its
// EEP packages, reads its transfer list and opens the printable one, and sees the receipt the
// receiving office signs listed with its decision, receiver and time.
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { createHash, generateKeyPairSync, sign } from 'node:crypto';

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

  // The EEP export: a tar of DA/T 48 packages, named after the bundle.
  const eep = page.locator('#eep');
  const [eepDownload] = await Promise.all([
    page.waitForEvent('download', { timeout: 60000 }),
    eep.getByRole('button', { name: /下载 EEP 封装包/ }).click(),
  ]);
  assert.equal(eepDownload.suggestedFilename(), `${name}-eep.tar`);
  const eepBytes = await readFile(await eepDownload.path());
  assert.ok(validTarHeader(eepBytes.subarray(0, 512)), 'the EEP file is a tar');
  assert.ok(eepBytes.includes(Buffer.from('<电子文件封装包')), 'holding EEP packages');
  await eep.getByText(`浏览器正在下载 ${name}-eep.tar`).waitFor();

  // The transfer list, as the bundle carries it, and its printable page.
  const list = (await apiAs('committee', 'GET', `/api/v1/archives/${listed.id}/transfer-list`)).json;
  assert.equal(list.bundle, name);
  const transfer = page.locator('#transfer-list');
  await transfer.getByText(`${list.item_count} 件`).first().waitFor();
  const transferText = await transfer.innerText();
  assert.ok(transferText.includes(list.to), 'the receiving unit is named');
  assert.ok(transferText.includes(list.transfer_date), 'and the transfer date');
  assert.ok(transferText.includes(`${list.file_count} 个`), 'and the files');
  assert.ok((await transfer.locator('.transfer-renditions').innerText()).startsWith(`${list.rendition_count} 个`), 'renditions counted apart');
  assert.ok(transferText.includes(list.sequences[0].first_code), 'and the 档号 range');
  const [printable] = await Promise.all([
    page.waitForEvent('popup'),
    transfer.getByRole('button', { name: '打开可打印的移交清单' }).click(),
  ]);
  await printable.waitForURL(/\/transfer-list\.html\?ticket=/);
  await printable.getByRole('heading', { name: '党务公开电子档案移交清单' }).waitFor();
  assert.ok((await printable.locator('body').innerText()).includes('接收单位（盖章）'), 'the form has room for the seals');
  await printable.close();

  // No receipt yet; the receiving office signs one (as its own software would) and it is listed.
  const receipts = page.locator('#receipts');
  await receipts.getByText('尚无接收回执').waitFor();
  const digest = (await apiAs('committee', 'GET', `/api/v1/archives/${listed.id}/receipts`)).json.tagmanifest_sha256;
  const { publicKey, privateKey } = generateKeyPairSync('ed25519');
  const terms = { decision: 'accepted_with_remarks', receiver_unit: '中共连云港市委组织部', receiver_name: '张敏', remarks: '附件目录另行补交' };
  const signedText = `gongkai-archive-receipt/1\nbundle: ${name}\ntagmanifest-sha256: ${digest}\ndecision: ${terms.decision}\n`
    + `receiver-unit: ${terms.receiver_unit}\nreceiver-name: ${terms.receiver_name}\nremarks: ${terms.remarks}\n`;
  const posted = await apiAs('committee', 'POST', `/api/v1/archives/${listed.id}/receipt`, {
    ...terms, tagmanifest_sha256: digest,
    public_key_pem: publicKey.export({ type: 'spki', format: 'pem' }),
    signature: sign(null, Buffer.from(signedText), privateKey).toString('base64'),
  });
  assert.equal(posted.status, 201, posted.text);
  await page.reload();
  const receipt = page.locator('#receipts tbody tr').first();
  await receipt.waitFor();
  const receiptText = await receipt.innerText();
  assert.equal(await receipt.locator('.receipt-decision').getAttribute('data-decision'), 'accepted_with_remarks');
  for (const expected of ['附意见接收', terms.receiver_unit, terms.receiver_name, terms.remarks]) {
    assert.ok(receiptText.includes(expected), `the receipt shows ${expected}`);
  }
  assert.match(receiptText, /\d{4}-\d{2}-\d{2}/, 'and when it was received');
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
