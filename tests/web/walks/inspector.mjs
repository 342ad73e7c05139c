// The discipline inspector (纪检监督员) searches the history for the document the archivist filed
// and the reviewer published and then withdrew, finds it named as withdrawn with its version,
// opens its audit timeline and verifies an entry in the browser (leaf hash, inclusion proof,
// signed checkpoint, Ed25519 signature); then opens the compliance calendar of the health centre
// for this year and checks that its cells are drawn.
import assert from 'node:assert/strict';

export const role = 'inspector';

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

// Polls `check` until it returns something truthy or `ms` pass.
async function until(check, what, ms = 20000, every = 500) {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = await check();
    if (value) return value;
    if (Date.now() > deadline) throw new Error('timed out waiting for ' + what);
    await sleep(every);
  }
}

// Run alone, the walk files, publishes and withdraws a document of its own through the API.
async function withdrawnDocument(ctx) {
  if (ctx.shared.documentId && ctx.shared.documentTitle) return { id: ctx.shared.documentId, title: ctx.shared.documentTitle };
  const title = `监督检查测试 ${Date.now()}`;
  const made = await ctx.apiAs('archivist', 'POST', '/api/v1/documents', {
    title, category: 'QJ', org_unit: ctx.users.archivist.unit || 'xiaode-wsy', scope: 'public', mode: 'proactive', period: 'immediate',
    summary: '纪检监督员检索历史版本的测试文件。',
  });
  assert.equal(made.status, 201, 'the archivist files a document: ' + made.text);
  const id = made.json.id;
  const steps = [
    ['archivist', 'submit', {}],
    ['reviewer', 'approve', { confidentiality_reviewed: true, opinion: '同意公开。' }],
    ['reviewer', 'publish', { channels: ['website'] }],
    ['reviewer', 'withdraw', { reason: '监督检查测试：撤回。' }],
  ];
  for (const [who, step, body] of steps) {
    const done = await ctx.apiAs(who, 'POST', `/api/v1/documents/${id}/${step}`, body);
    assert.equal(done.status, 200, `${step}: ${done.text}`);
  }
  ctx.shared.documentId = id;
  ctx.shared.documentTitle = title;
  return { id, title };
}

export default async function walk(ctx) {
  const { page, baseUrl } = ctx;
  const { id, title } = await withdrawnDocument(ctx);
  const current = await ctx.apiAs('inspector', 'GET', `/api/v1/documents/${id}`);
  assert.equal(current.status, 200, 'the inspector sees the document');
  assert.equal(current.json.status, 'withdrawn', 'the document was withdrawn');
  const version = current.json.version;

  // History search on the public search page: the inspector may include superseded versions.
  await page.getByRole('link', { name: '全文检索' }).first().click();
  await page.getByLabel('检索', { exact: true }).fill(title);
  await page.getByLabel('包含历史版本').check();
  const hits = page.getByRole('article').filter({ hasText: title });
  // The index follows the log a moment behind: search again until the withdrawn version is in.
  const withdrawn = await until(async () => {
    await page.getByRole('button', { name: '检索', exact: true }).click();
    await page.waitForFunction(() => !document.querySelector('#results [role=status]')?.textContent.includes('正在加载'));
    const count = await hits.count();
    for (let i = 0; i < count; i++) {
      const text = await hits.nth(i).textContent();
      if (text.includes('已撤回') && text.includes(`第 ${version} 版`)) return hits.nth(i);
    }
    return null;
  }, `a hit naming "${title}" as withdrawn (已撤回) in version ${version}`, 30000, 1500);
  assert.ok(await hits.count() >= 2, 'the history search lists earlier versions too');
  await withdrawn.scrollIntoViewIfNeeded();
  await ctx.screenshot?.('inspector-history-search');

  // The audit log: the latest checkpoint's signature checks out. Exporting the whole log (a
  // copy the inspector keeps) also signs a checkpoint covering every entry so far.
  await page.getByRole('link', { name: '审计日志' }).first().click();
  await page.getByRole('heading', { name: '最新的签名检查点' }).waitFor();
  await page.getByText('签名有效').waitFor();
  const [exported] = await Promise.all([
    page.waitForEvent('download', { timeout: 30000 }),
    page.getByRole('button', { name: '导出完整审计日志' }).click(),
  ]);
  assert.match(exported.suggestedFilename(), /\.log$/, 'the export is saved as a .log file');

  // The audit timeline of the document: every step of its procedure, in order.
  await page.goto(`${baseUrl}/#/documents/${id}/audit`);
  await page.getByRole('heading', { name: '文件审计记录', level: 1 }).waitFor();
  await page.getByRole('heading', { name: title }).waitFor();
  const entries = page.locator('ol.audit-timeline > li');
  const actions = await entries.locator('.audit-head strong').allTextContents();
  for (const step of ['登记', '提交审核', '审核通过', '公开发布', '撤回']) {
    assert.ok(actions.includes(step), `the timeline shows ${step} (${actions.join('、')})`);
  }
  assert.ok(actions.indexOf('登记') < actions.indexOf('撤回'), 'oldest first');

  // Verifying the registration entry in the browser. Entries are signed into a checkpoint
  // within a minute; until then the screen says so, and the inspector tries again.
  const first = entries.filter({ has: page.locator('.audit-head strong', { hasText: /^登记$/ }) }).first();
  const outcome = first.locator('.verify-result');
  const verdict = await until(async () => {
    await first.getByRole('button', { name: '校验', exact: true }).click();
    const text = await until(async () => {
      const t = (await outcome.textContent()).trim();
      return t && !t.includes('正在校验') ? t : null;
    }, 'the outcome of the check', 15000, 200);
    if (text.includes('尚未纳入签名检查点')) { await sleep(4000); return null; }
    return text;
  }, 'the entry to be covered by a signed checkpoint', 90000, 100);
  assert.match(verdict, /已校验/, `the entry verifies: ${verdict}`);
  await ctx.screenshot?.('inspector-verified');

  // The compliance calendar of the health centre for this year.
  const year = new Date().toLocaleDateString('sv-SE', { timeZone: 'Asia/Shanghai' }).slice(0, 4);
  await page.getByRole('link', { name: '公开合规日历' }).first().click();
  await page.getByRole('heading', { name: '公开合规日历', level: 1 }).waitFor();
  await page.getByLabel('单位').selectOption('xiaode-wsy');
  await page.getByLabel('年度').selectOption(year);
  await page.getByRole('button', { name: '查看', exact: true }).click();
  await until(() => page.url().includes('org_unit=xiaode-wsy') && page.url().includes(`year=${year}`), 'the calendar of xiaode-wsy');
  const grid = page.locator('table.year-grid');
  await grid.locator('caption', { hasText: `${year} 年` }).waitFor();
  const cells = grid.locator('td.cal-cell');
  await until(async () => (await cells.count()) > 0, 'cells in the year grid');
  const classes = await cells.evaluateAll((tds) => tds.map((td) => td.className));
  assert.ok(classes.every((c) => /tag-window-(on_time|late|missing|upcoming)/.test(c)), 'every cell is coloured by its outcome');
  const rows = await grid.locator('tbody tr').count();
  assert.ok(rows > 0, 'one row per catalogue item');
  for (const word of ['按时', '逾期', '缺失', '未到期']) await page.locator('.legend').getByText(word).waitFor();
  await page.getByRole('heading', { name: '概况' }).waitFor();
  await ctx.screenshot?.('inspector-compliance');
}
