// Screens of the committee group, for the higher-level committee's clerk (上级党委): the annual
// archive bundles (/archives: which exist per category and year, requesting one and watching it
// being built, downloading and how to check one offline; /archives/:id: one bundle) and the keys
// and signed checkpoints a bundle is checked with (/keys).
import { h, clear } from '../dom.js';
import * as api from '../api.js';
import { tr, label, formatTime, formatBytes } from '../i18n.js';
import {
  field, input, select, busy, notice, describe, localMessage, progressBar, section, loading,
  errorBlock, facts, when, table, cardTable,
} from '../ui.js';
import { can, categories, session } from '../session.js';
import { route, requires, navigate, href } from '../router.js';
import { parseCheckpointNote, parseVerifierKeys, verifyCheckpointSignature, cryptoAvailable } from '../verify.js';

const YEARS_SHOWN = 5;
const FINAL_STATES = new Set(['done', 'failed', 'cancelled']);

// The year in China now (the bundles' years are China years).
function chinaYear() { return new Date(Date.now() + 8 * 3600 * 1000).getUTCFullYear(); }

function bytesExact(n) {
  return tr(`${formatBytes(n)}（${Number(n).toLocaleString('en-US')} 字节）`, `${formatBytes(n)} (${Number(n).toLocaleString('en-US')} bytes)`);
}

function yesNo(value) { return value ? tr('是', 'Yes') : tr('否', 'No'); }

// A text kept in memory handed to the browser as a file.
function saveText(text, fileName, type = 'text/plain') {
  api.saveBlob(new Blob([text], { type: `${type};charset=utf-8` }), fileName);
}

// ---------------------------------------------------------------------------------------------
// /archives: the annual bundles

route({
  path: '/archives', title: ['年度归档包', 'Annual bundles'], group: 'committee', nav: true,
  allowed: requires('archives.read'), render: renderArchives,
});

async function renderArchives(main, params, query) {
  loading(main);
  const wanted = { category: query.get('category') || '', year: query.get('year') || '' };
  const [cats, all, listed] = await Promise.all([
    categories(),
    api.get('/archives'),
    wanted.category || /^\d{4}$/.test(wanted.year)
      ? api.get('/archives', { category: wanted.category, year: /^\d{4}$/.test(wanted.year) ? wanted.year : '' })
      : null,
  ]);
  const bundles = all.archives || [];
  const shown = listed ? listed.archives || [] : bundles;
  const catName = (code) => (cats.find((c) => c.code === code) || {}).name || code;

  const list = h('div', { class: 'bundle-list', id: 'bundle-list' });
  const fillList = (items) => clear(list, items.length
    ? items.map((b) => bundleCard(b, catName))
    : h('p', { class: 'empty' }, listed ? tr('没有符合条件的归档包。', 'No bundle matches.') : tr('还没有生成过归档包。', 'No bundle has been built yet.')));
  fillList(shown);

  const filters = h('form', { class: 'row filters', role: 'search' },
    field('category', tr('公开类别', 'Category'), select([['', tr('全部类别', 'All categories')], ...cats.map((c) => [c.code, `${c.code} ${c.name}`])], {}, wanted.category)),
    field('year', tr('年度', 'Year'), input({ type: 'number', min: 1900, max: 2999, value: wanted.year, class: 'year-input' })),
    h('div', { class: 'field' }, h('button', { type: 'submit' }, tr('筛选', 'Filter'))),
    listed ? h('div', { class: 'field' }, h('a', { class: 'button', href: href('/archives') }, tr('显示全部', 'Show all'))) : null);
  filters.addEventListener('submit', (e) => {
    e.preventDefault();
    navigate('/archives', { category: filters.elements.category.value, year: filters.elements.year.value.trim() });
  });

  const buildCard = can('archives.build')
    ? buildSection(cats, query, async () => {
      // The new bundle joins the grid and the list.
      const [fresh, freshListed] = await Promise.all([api.get('/archives'),
        listed ? api.get('/archives', { category: wanted.category, year: /^\d{4}$/.test(wanted.year) ? wanted.year : '' }) : null]);
      grid.replaceWith(grid = overviewGrid(cats, fresh.archives || []));
      fillList(freshListed ? freshListed.archives || [] : fresh.archives || []);
    })
    : null;
  let grid = overviewGrid(cats, bundles);

  clear(main,
    h('div', { class: 'page-head' }, h('h1', null, tr('年度归档包', 'Annual bundles')),
      h('a', { href: href('/keys') }, tr('签名公钥与检查点 →', 'Signing keys and checkpoints →'))),
    h('p', { class: 'muted' }, tr(
      '每年按公开类别把当年已归档（已编档号）的文件连同审核发布记录、意见反馈、依申请公开和审计记录打成一个归档包，经签名后报送上级党委。',
      'Each year, one bundle per disclosure category holds that year\'s archived documents with their procedure records, feedback, applications and audit entries, signed for the higher-level committee.')),
    buildCard || h('p', { class: 'muted' }, tr('生成归档包须有“生成年度归档包”权限（上级党委、系统管理员）；您的账户可以查阅和下载。',
      'Building bundles needs the “build bundles” permission (committee, administrator); your account may read and download them.')),
    section(tr('各类别归档情况', 'Bundles by category and year'), grid),
    h('section', { class: 'card' },
      h('h2', null, listed ? tr('筛选结果', 'Matching bundles') : tr('全部归档包', 'All bundles'), h('span', { class: 'count' }, String(shown.length))),
      filters, h('p', { class: 'muted' }, tr('最新生成的在前。', 'Newest first.')), list),
    verifyHelp(null, bundles.length ? bundles[0].name : null));
}

// The eight categories × recent years: which bundles exist.
function overviewGrid(cats, bundles) {
  const now = chinaYear();
  const years = new Set();
  for (let y = now; y > now - YEARS_SHOWN; y -= 1) years.add(y);
  for (const b of bundles) years.add(b.year);
  const columns = [...years].sort((a, b) => b - a);
  const cell = (code, year) => {
    const found = bundles.filter((b) => b.category === code && b.year === year);
    if (!found.length) return h('td', { class: 'bundle-cell none' }, h('span', { class: 'muted' }, '—'), h('span', { class: 'sr-only' }, tr('未生成', 'none')));
    const newest = found[0];
    return h('td', { class: 'bundle-cell has' },
      h('a', { href: href(`/archives/${newest.id}`), title: newest.name },
        '✓ ', tr(`${newest.item_count} 件`, `${newest.item_count} item${newest.item_count === 1 ? '' : 's'}`)),
      found.length > 1 ? h('a', { class: 'more', href: href('/archives', { category: code, year }) }, tr(`共 ${found.length} 版`, `${found.length} builds`)) : null);
  };
  return h('div', { class: 'table-wrap' }, h('table', { class: 'bundle-grid' },
    h('caption', { class: 'sr-only' }, tr('各公开类别各年度的归档包', 'Bundles per category and year')),
    h('thead', null, h('tr', null, h('th', { scope: 'col' }, tr('公开类别', 'Category')),
      columns.map((y) => h('th', { scope: 'col', class: 'num' }, h('a', { href: href('/archives', { year: y }) }, String(y)))))),
    h('tbody', null, cats.map((c) => h('tr', null,
      h('th', { scope: 'row' }, h('a', { href: href('/archives', { category: c.code }) }, h('span', { class: 'cal-category' }, c.code), ' ', c.name)),
      columns.map((y) => cell(c.code, y)))))));
}

// One bundle: what it holds, its digest and signer, and its download.
function bundleCard(b, catName) {
  return h('article', { class: 'card-inner bundle', dataset: { bundle: String(b.id), name: b.name } },
    h('div', { class: 'bundle-head' },
      h('h3', null, h('a', { href: href(`/archives/${b.id}`) }, b.name)),
      h('span', { class: 'muted' }, `${b.category} ${catName(b.category)} · ${b.year}`)),
    bundleFacts(b, { compact: true }),
    downloadControl(b));
}

function bundleFacts(b, { compact } = {}) {
  return facts([
    compact ? null : [tr('全宗号', 'Fonds'), b.fonds],
    [tr('文件数', 'Items'), String(b.item_count)],
    [tr('审计条目数', 'Audit entries'), String(b.audit_entry_count)],
    [tr('大小', 'Size'), h('span', { class: 'bundle-size', dataset: { bytes: String(b.size) } }, bytesExact(b.size))],
    ['SHA-256', h('code', { class: 'sha256' }, b.sha256)],
    [tr('签名密钥', 'Signed with'), h('code', null, b.signer_key)],
    [tr('SM2 国密签名', 'SM2 signature'), yesNo(b.sm2_signed)],
    [tr('对应检查点', 'Checkpoint'), tr(`审计树大小 ${b.checkpoint_size}`, `tree size ${b.checkpoint_size}`)],
    [tr('生成人', 'Built by'), b.created_by],
    [tr('生成时间', 'Built'), formatTime(b.created_at)],
  ].filter(Boolean));
}

// A download button. The browser's own download streams the bundle to disk and shows its
// progress: bundles can be gigabytes.
function downloadControl(b) {
  const status = h('span', { class: 'muted', role: 'status' });
  const button = h('button', {
    type: 'button', class: 'primary',
    onclick: () => busy(button, null, async () => {
      status.textContent = '';
      await api.download(b.download_url, `${b.name}.tar`);
      status.textContent = tr(`浏览器正在下载 ${b.name}.tar（${formatBytes(b.size)}）。下载完成后请核对文件的 SHA-256 与上面所列一致。`,
        `Your browser is downloading ${b.name}.tar (${formatBytes(b.size)}). Check afterwards that its SHA-256 is the one listed above.`);
    }),
  }, tr('下载归档包', 'Download'), h('span', { class: 'sr-only' }, ` ${b.name}.tar`));
  return h('div', { class: 'row bundle-download' }, button, status);
}

// The form that asks the server to build a bundle, and the job it started.
function buildSection(cats, query, onBuilt) {
  const jobArea = h('div', { class: 'job-area' });
  const catSelect = select([['', tr('请选择类别', 'Choose a category')], ...cats.map((c) => [c.code, `${c.code} ${c.name}`])], {}, query.get('category') || '');
  const yearInput = input({ type: 'number', min: 1900, max: 2999, value: query.get('year') || String(chinaYear()), class: 'year-input', inputmode: 'numeric' });
  const submit = h('button', { type: 'submit', class: 'primary' }, tr('生成归档包', 'Build the bundle'));
  const form = h('form', { class: 'build-form', novalidate: true },
    h('div', { class: 'row' },
      field('category', tr('公开类别', 'Category'), catSelect),
      field('year', tr('归档年度', 'Archive year'), yearInput),
      h('div', { class: 'field' }, submit)),
    h('p', { class: 'muted' }, tr(
      '归档包收入该类别该年度所有已编档号的文件。生成时服务器先签署一个新的审计检查点；文件多时需要几分钟，可在下方查看进度，离开本页不影响生成。',
      'A bundle holds every document of the category and year that has a 档号. The server first signs a fresh checkpoint; with many files this takes minutes. Leaving this page does not stop it.')));
  const recent = h('div', { class: 'recent-jobs', id: 'recent-jobs' });
  // A finished build also changes the list of recent ones.
  const built = async () => { await onBuilt(); await showRecentJobs(recent, null); };
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    busy(submit, form, async () => {
      const year = yearInput.value.trim();
      const body = { category: catSelect.value || undefined, year: /^\d+$/.test(year) ? Number(year) : (year || undefined) };
      const started = await api.post('/archives', body);
      // Keep the job in the address, so a reload goes on watching it.
      history.replaceState(null, '', href('/archives', { ...Object.fromEntries(query), job: started.job_id }));
      watchJob(started.job_id, jobArea, built);
    });
  });
  const resume = /^\d+$/.test(query.get('job') || '') ? Number(query.get('job')) : null;
  if (resume) watchJob(resume, jobArea, built, { quiet: true });
  // Picked up only while nothing is watched yet: the list may arrive after a new build started.
  showRecentJobs(recent, resume ? null : (id) => {
    if (!jobArea.firstChild) watchJob(id, jobArea, built, { quiet: true });
  });
  return h('section', { class: 'card', id: 'build' }, h('h2', null, tr('申请生成归档包', 'Build a bundle')), form, jobArea, recent);
}

// The latest builds, so one started earlier (here or elsewhere) can be found again; when no job
// is being watched, the caller's own newest unfinished build is picked up at once (`resume`).
async function showRecentJobs(area, resume) {
  let jobs;
  try {
    jobs = (await api.get('/jobs', { limit: 10 })).jobs || [];
  } catch (err) {
    clear(area, h('p', { class: 'form-error' }, describe(err)));
    return;
  }
  const mineRunning = jobs.find((j) => !FINAL_STATES.has(j.state) && j.created_by === session.user?.username);
  if (resume && mineRunning) resume(mineRunning.job_id);
  clear(area, h('h3', null, tr('最近的生成任务', 'Recent builds')), table([
    { title: tr('任务', 'Job'), render: (j) => h('a', { href: href('/archives', { job: j.job_id }) }, `#${j.job_id}`) },
    { title: tr('类别与年度', 'Category and year'), render: (j) => `${(j.params || {}).category || ''} ${(j.params || {}).year || ''}` },
    { title: tr('状态', 'State'), render: (j) => h('span', { class: `tag tag-job-${j.state}` }, label('job_state', j.state)) },
    { title: tr('发起人', 'Started by'), render: (j) => j.created_by },
    { title: tr('开始时间', 'Started'), render: (j) => when(j.created_at) },
  ], jobs, { empty: tr('还没有生成任务。', 'No build yet.') }));
}

// Polls GET /jobs/{id} until the job ends, showing its state and progress.
function watchJob(id, area, onBuilt, { quiet } = {}) {
  const bar = progressBar(tr('归档包生成进度', 'Bundle build progress'));
  const state = h('span', { class: 'job-state' });
  const detail = h('span', { class: 'muted job-detail' });
  const result = h('div', { class: 'job-result', role: 'status' });
  const cancel = h('button', {
    type: 'button', class: 'danger',
    onclick: () => busy(cancel, null, async () => {
      show(await api.post(`/jobs/${id}/cancel`));
      notice(tr('已请求取消，正在停止…', 'Cancel requested; stopping…'));
    }),
  }, tr('取消生成', 'Cancel'));
  const box = h('div', { class: 'card-inner job', id: 'job-status', dataset: { job: String(id) } },
    h('h3', null, tr(`生成任务 #${id}`, `Job #${id}`), ' ', state),
    h('div', { class: 'row job-progress' }, bar.el, detail, cancel),
    result);
  clear(area, box);

  const show = (job) => {
    state.className = `tag job-state tag-job-${job.state}`;
    state.textContent = label('job_state', job.state);
    state.dataset.state = job.state;
    const p = job.progress || {};
    const caption = [];
    if (p.items_total) caption.push(tr(`文件 ${p.items_done}/${p.items_total}`, `items ${p.items_done}/${p.items_total}`));
    if (p.bytes_total) caption.push(`${formatBytes(p.bytes_done)} / ${formatBytes(p.bytes_total)}`);
    detail.textContent = caption.join(' · ');
    if (job.state === 'done') bar.set(1, 1, '100%');
    else if (p.bytes_total > 0) bar.set(p.bytes_done, p.bytes_total);
    else if (p.items_total > 0) bar.set(p.items_done, p.items_total * 2); // reading is the first half
    else bar.set(0, 0, job.state === 'queued' ? tr('排队中', 'Queued') : '');
    cancel.hidden = FINAL_STATES.has(job.state);
    const params = job.params || {};
    if (job.state === 'done' && job.result) {
      clear(result, h('p', { class: 'success' }, tr('归档包已生成：', 'Bundle built: '),
        h('a', { href: href(`/archives/${job.result.archive_id}`) }, job.result.name),
        tr(`（${job.result.item_count} 件，${formatBytes(job.result.size)}）`, ` (${job.result.item_count} items, ${formatBytes(job.result.size)})`)));
    } else if (job.state === 'failed') {
      clear(result, h('p', { class: 'form-error' }, tr('生成失败：', 'The build failed: '),
        job.error ? localMessage(job.error.message) : tr('原因不明', 'no reason given')));
    } else if (job.state === 'cancelled') {
      clear(result, h('p', { class: 'muted' }, tr('已取消，没有生成归档包。', 'Cancelled; no bundle was made.')));
    } else {
      clear(result, h('p', { class: 'muted' }, tr(`正在生成 ${params.category || ''} 类 ${params.year || ''} 年度的归档包…`, `Building the ${params.category || ''} bundle of ${params.year || ''}…`)));
    }
  };

  let failures = 0;
  const tick = async () => {
    if (!box.isConnected) return;
    let job;
    try {
      job = await api.get(`/jobs/${id}`);
      failures = 0;
    } catch (err) {
      if (!box.isConnected) return;
      if (err.status === 404 || ++failures > 5) { clear(result, h('p', { class: 'form-error' }, describe(err))); cancel.hidden = true; return; }
      setTimeout(tick, 2000);
      return;
    }
    if (!box.isConnected) return;
    show(job);
    if (!FINAL_STATES.has(job.state)) { setTimeout(tick, 500); return; }
    if (job.state === 'done') {
      if (!quiet) notice(tr(`归档包 ${job.result ? job.result.name : ''} 已生成`, `Bundle ${job.result ? job.result.name : ''} built`), 'success');
      try { await onBuilt(); } catch (err) { notice(describe(err), 'error'); }
    }
  };
  bar.set(0, 0, tr('正在提交…', 'Submitting…'));
  // After this task: a job resumed while the page is being built is not in the document yet,
  // and the first tick would take the box for one the reader has left.
  setTimeout(tick, 0);
}

// How to check a bundle offline: gongkai-verify, or nothing but standard tools.
function verifyHelp(bundle, exampleName) {
  const name = bundle ? bundle.name : exampleName || 'J001-2023-ZZ-T120';
  const sm2 = !bundle || bundle.sm2_signed;
  return h('section', { class: 'card verify-help', id: 'verify-help' },
    h('h2', null, tr('如何离线校验归档包', 'Checking a bundle offline')),
    bundle ? null : h('p', { class: 'muted' }, tr(`以下命令以归档包 ${name} 为例，请换成实际下载的文件名。`, `The commands use the bundle ${name} as the example; put in the file you downloaded.`)),
    h('ol', { class: 'steps-list' },
      h('li', null, tr('下载归档包（.tar），并在', 'Download the bundle (.tar) and, on '),
        h('a', { href: href('/keys') }, tr('签名公钥与检查点', 'Signing keys and checkpoints')),
        tr('页下载归档包签名公钥 ed25519-public.pem。公钥最好另经可靠渠道（如正式函件）核对一次，之后长期保存使用；不要只依赖包内 signatures/ 目录附带的公钥，否则无法发现整包被替换。',
          ', the signing key ed25519-public.pem. Compare that key once through another trusted channel (an official letter) and keep it; do not rely only on the copy inside signatures/, which a replaced bundle would replace too.')),
      h('li', null, tr('核对整个文件的摘要，结果应与本页列出的 SHA-256 相同：', 'Check the whole file\'s digest; it must equal the SHA-256 listed here:'),
        h('pre', null, `sha256sum ${name}.tar`)),
      h('li', null, tr('用 gongkai-verify 一次完成全部校验：签名、检查点签名、每条审计记录的包含证明、每份记录与文件、档号格式与连续性、文件数以及每个文件确为其声明的格式：',
        'Check everything with gongkai-verify: the signatures, the checkpoint, every audit entry\'s inclusion proof, each record and file, the 档号 sequences, the item count, and that each file is the format it claims:'),
        h('pre', null, `gongkai-verify ${name}.tar --key ed25519-public.pem`)),
      h('li', null, tr('没有 gongkai-verify 时，也可只用系统自带工具核对清单和签名：', 'Without gongkai-verify, standard tools check the manifests and the signature:'),
        h('pre', null, [
          `tar -xf ${name}.tar && cd ${name}`,
          'sha256sum -c manifest-sha256.txt && sha512sum -c manifest-sha512.txt && sha256sum -c tagmanifest-sha256.txt',
          'openssl pkeyutl -verify -pubin -inkey ../ed25519-public.pem -rawin -in tagmanifest-sha256.txt \\',
          '    -sigfile signatures/tagmanifest-sha256.txt.ed25519.sig',
        ].join('\n')),
        sm2 ? [h('p', null, tr('若归档包带有 SM2 国密签名（SM3 摘要，区分标识 1234567812345678）：', 'If the bundle carries an SM2 signature (SM3 digest, distinguishing ID 1234567812345678):')),
          h('pre', null, [
            'openssl dgst -sm3 -verify ../sm2-public.pem -sigopt distid:1234567812345678 \\',
            '    -signature signatures/tagmanifest-sha256.txt.sm2.sig tagmanifest-sha256.txt',
          ].join('\n'))] : null)),
    h('p', { class: 'muted' }, tr(
      '每条命令都应无报错地结束（sha256sum 逐行显示“成功/OK”，openssl 显示 “Signature Verified Successfully”）。包内 data/index.html 是按档号排列的中文目录，可直接用浏览器打开。',
      'Every command must finish without an error (sha256sum prints OK per line, openssl prints “Signature Verified Successfully”). data/index.html inside is the catalogue by 档号, readable in any browser.')));
}

// ---------------------------------------------------------------------------------------------
// /archives/:id: one bundle

route({
  path: '/archives/:id', title: ['归档包', 'Bundle'], group: 'committee', nav: false,
  allowed: requires('archives.read'), render: renderBundle,
});

async function renderBundle(main, params) {
  loading(main);
  let bundle;
  let cats;
  try {
    [bundle, cats] = await Promise.all([api.get(`/archives/${encodeURIComponent(params.id)}`), categories()]);
  } catch (err) {
    clear(main, h('h1', null, tr('归档包', 'Bundle')), errorBlock(err),
      h('p', null, h('a', { href: href('/archives') }, tr('返回年度归档包', 'Back to the bundles'))));
    return;
  }
  const cat = cats.find((c) => c.code === bundle.category);
  if (main.isConnected) document.title = `${bundle.name} · ${tr('党务公开档案', 'Disclosure archive')}`;
  clear(main,
    h('p', { class: 'crumbs' }, h('a', { href: href('/archives') }, tr('年度归档包', 'Annual bundles')), ' / ', bundle.name),
    h('h1', null, bundle.name),
    h('p', { class: 'muted' }, `${bundle.category} ${cat ? cat.name : ''} · ${tr(`${bundle.year} 年度`, String(bundle.year))}`),
    section(tr('归档包信息', 'About this bundle'), bundleFacts(bundle), downloadControl(bundle),
      h('p', { class: 'muted' }, tr('归档包生成后不再改变；同样的记录对同一检查点重新生成，得到的文件逐字节相同（SM2 签名除外）。',
        'A bundle never changes; rebuilt from the same records against the same checkpoint it is byte for byte the same (except the SM2 signature).'))),
    eepSection(bundle),
    transferListSection(bundle),
    receiptsSection(bundle),
    verifyHelp(bundle));
}

// The DA/T 48 export: each item one signed XML package, in one tar made on the first request.
function eepSection(b) {
  const status = h('span', { class: 'muted', role: 'status' });
  const button = h('button', {
    type: 'button',
    onclick: () => busy(button, null, async () => {
      status.textContent = '';
      await api.download(`/api/v1/archives/${b.id}/eep`, `${b.name}-eep.tar`);
      status.textContent = tr(`浏览器正在下载 ${b.name}-eep.tar。`, `Your browser is downloading ${b.name}-eep.tar.`);
    }),
  }, tr('下载 EEP 封装包', 'Download the EEP packages'), h('span', { class: 'sr-only' }, ` ${b.name}-eep.tar`));
  return h('section', { class: 'card', id: 'eep' },
    h('h2', null, tr('电子文件封装包（DA/T 48）', 'EEP packages (DA/T 48)')),
    h('p', { class: 'muted' }, tr(
      '每件档案一个 XML 封装包：元数据、base64 编码的文件及其 PDF/A 长期保存版本（另一编码，标明为保存版本），并有本单位的电子签名。首次下载时生成，文件多时需稍候。',
      'One XML package per item: its metadata, its files base64-encoded with their PDF/A renditions (a second encoding, marked as such), signed by the unit. Made on the first download; with many files this takes a moment.')),
    h('div', { class: 'row eep-download' }, button, status),
    h('pre', null, `gongkai-verify --eep ${b.name}-eep.tar --key ed25519-public.pem`));
}

// The transfer list (移交清单) the bundle carries, and its printable page.
function transferListSection(b) {
  const body = h('div', null, h('p', { class: 'muted', role: 'status' }, tr('正在加载…', 'Loading…')));
  const open = h('button', {
    type: 'button',
    onclick: () => busy(open, null, async () => {
      // Opened before the await, so no popup blocker stops it; pointed at the page once the
      // ticket is there.
      const win = window.open('', '_blank');
      try {
        const target = await api.ticketUrl(`/api/v1/archives/${b.id}/transfer-list.html`);
        if (win) { win.opener = null; win.location.href = target; } else location.assign(target);
      } catch (err) {
        if (win) win.close();
        throw err;
      }
    }),
  }, tr('打开可打印的移交清单', 'Open the printable transfer list'));
  api.get(`/archives/${b.id}/transfer-list`).then((list) => {
    clear(body,
      facts([
        [tr('移交单位', 'From'), `${list.from}（${tr('全宗号', 'fonds')} ${list.fonds}）`],
        [tr('接收单位', 'To'), list.to],
        [tr('移交日期', 'Transfer date'), list.transfer_date],
        [tr('件数', 'Items'), tr(`${list.item_count} 件`, String(list.item_count))],
        [tr('电子文件', 'Files'), h('span', { class: 'transfer-files' }, tr(`${list.file_count} 个，`, `${list.file_count}, `), bytesExact(list.file_bytes))],
        [tr('长期保存版本（PDF/A 转换件，另计）', 'PDF/A renditions (counted apart)'),
          h('span', { class: 'transfer-renditions' }, tr(`${list.rendition_count || 0} 个，`, `${list.rendition_count || 0}, `), bytesExact(list.rendition_bytes || 0))],
      ]),
      table([
        { title: tr('保管期限', 'Retention'), render: (s) => label('retention', s.retention) },
        { title: tr('件数', 'Items'), class: 'num', render: (s) => String(s.items) },
        { title: tr('起始档号', 'First 档号'), render: (s) => h('code', null, s.first_code) },
        { title: tr('终止档号', 'Last 档号'), render: (s) => h('code', null, s.last_code) },
      ], list.sequences || []),
      h('div', { class: 'row' }, open));
  }, (err) => clear(body, errorBlock(err)));
  return h('section', { class: 'card', id: 'transfer-list' },
    h('h2', null, tr('移交清单', 'Transfer list')),
    h('p', { class: 'muted' }, tr('移交清单随归档包签名。打印后由双方盖章、签字；接收单位也可以电子签名回执签收。',
      'The transfer list is signed with the bundle. Print it for both sides to seal and sign; the receiving office may also countersign it with a signed receipt.')),
    body);
}

const DECISIONS = {
  accepted: ['接收', 'Accepted'],
  accepted_with_remarks: ['附意见接收', 'Accepted with remarks'],
  refused: ['拒收', 'Refused'],
};

// The receiving office's signed receipts (接收回执), oldest first.
function receiptsSection(b) {
  const body = h('div', null, h('p', { class: 'muted', role: 'status' }, tr('正在加载…', 'Loading…')));
  api.get(`/archives/${b.id}/receipts`).then((all) => {
    clear(body,
      cardTable([
        { title: tr('序号', 'No.'), class: 'num', render: (r) => String(r.number) },
        { title: tr('结论', 'Decision'), render: (r) => h('span', { class: 'receipt-decision', dataset: { decision: r.decision } }, tr(...(DECISIONS[r.decision] || [r.decision, r.decision]))) },
        { title: tr('接收单位', 'Receiving unit'), render: (r) => (r.record ? r.record.receiver_unit : '') },
        { title: tr('接收人', 'Receiver'), render: (r) => (r.record ? r.record.receiver_name : '') },
        { title: tr('签收时间', 'Received'), render: (r) => (r.record && r.record.received_at ? when(r.record.received_at) : '') },
        { title: tr('意见', 'Remarks'), render: (r) => (r.record ? r.record.remarks : '') },
      ], all.receipts || [], { empty: tr('尚无接收回执。接收单位签收后在此显示。', 'No receipt yet; it shows here once the receiving office countersigns.') }),
      h('p', { class: 'muted' }, tr('回执须签署的标签清单摘要（tagmanifest-sha256.txt 的 SHA-256）：', 'The tag-manifest digest a receipt signs (SHA-256 of tagmanifest-sha256.txt): '),
        h('code', { class: 'sha256' }, all.tagmanifest_sha256)));
  }, (err) => clear(body, errorBlock(err)));
  return h('section', { class: 'card', id: 'receipts' }, h('h2', null, tr('接收回执', 'Receipts')), body);
}

// ---------------------------------------------------------------------------------------------
// /keys: the signing keys and the signed checkpoints

route({
  path: '/keys', title: ['签名公钥与检查点', 'Keys and checkpoints'], group: 'committee', nav: true,
  allowed: requires('archives.read', 'audit.read'), render: renderKeys,
});

const CHECKPOINTS_PER_PAGE = 20;

async function renderKeys(main, params, query) {
  loading(main);
  const audit = can('audit.read');
  const [signing, verifierKeys, auditPem, latest] = await Promise.all([
    can('archives.read') ? api.get('/archives/signing-keys').catch((err) => err) : null,
    audit ? api.get('/audit/keys').catch((err) => err) : null,
    audit ? api.get('/audit/key', { format: 'pem' }).catch((err) => err) : null,
    audit ? api.get('/audit/checkpoint').catch((err) => err) : null,
  ]);
  const parts = [h('h1', null, tr('签名公钥与检查点', 'Keys and checkpoints')),
    h('p', { class: 'muted' }, tr(
      '请把公钥和检查点下载保存到服务器无法改写的地方（如报送单位的档案室电脑）。日后用它们核对归档包和审计日志，即可发现任何事后改写。',
      'Keep the keys and checkpoints somewhere the server cannot write (the receiving office\'s own computer). With them, bundles and the audit log can later be checked for any rewriting.'))];
  if (signing) parts.push(signingKeysSection(signing));
  if (audit) {
    parts.push(auditKeysSection(verifierKeys, auditPem));
    parts.push(latestCheckpointSection(latest));
    const list = h('div', { id: 'checkpoint-list' });
    parts.push(section(tr('全部检查点', 'All checkpoints'),
      h('p', { class: 'muted' }, tr('服务器每新增一定数量的审计记录（默认 1,000 条）、有新记录后约一分钟、以及每次生成归档包和导出日志时，各签署一个检查点。最新的在前。',
        'The server signs a checkpoint every so many entries (1,000 by default), about a minute after any new entry, and for every bundle and export. Newest first.')),
      list));
    fillCheckpoints(list, latest, verifierKeys, query);
  }
  clear(main, parts);
}

function keyBlock(title, text, fileName, hint) {
  return h('div', { class: 'card-inner key-block' },
    h('h3', null, title),
    hint ? h('p', { class: 'muted' }, hint) : null,
    h('pre', { class: 'key-text' }, text),
    h('button', { type: 'button', onclick: () => saveText(text, fileName, fileName.endsWith('.pem') ? 'application/x-pem-file' : 'text/plain') },
      tr('下载', 'Download'), ` ${fileName}`));
}

function signingKeysSection(keys) {
  if (keys instanceof Error) return section(tr('归档包签名公钥', 'Bundle signing keys'), errorBlock(keys));
  return section(tr('归档包签名公钥', 'Bundle signing keys'),
    h('div', { class: 'steps' },
      keyBlock(tr('Ed25519 公钥', 'Ed25519 public key'), keys.ed25519_public_key_pem, 'ed25519-public.pem',
        tr('校验归档包签名：gongkai-verify 的 --key 参数，或 openssl pkeyutl -verify。它也是审计检查点的签名密钥。',
          'Checks bundle signatures (gongkai-verify --key, or openssl pkeyutl -verify). It also signs the audit checkpoints.')),
      keys.sm2_public_key_pem
        ? keyBlock(tr('SM2 国密公钥', 'SM2 public key'), keys.sm2_public_key_pem, 'sm2-public.pem',
          tr('校验 SM2/SM3 签名：openssl dgst -sm3 -verify，区分标识 1234567812345678。', 'Checks the SM2/SM3 signature (openssl dgst -sm3 -verify, distinguishing ID 1234567812345678).'))
        : h('div', { class: 'card-inner' }, h('h3', null, tr('SM2 国密公钥', 'SM2 public key')),
          h('p', { class: 'muted' }, tr('本服务器未配置 SM2 签名密钥，归档包只带 Ed25519 签名。', 'This server has no SM2 key; bundles carry the Ed25519 signature only.')))));
}

function auditKeysSection(verifierKeys, auditPem) {
  const blocks = [];
  if (verifierKeys instanceof Error) blocks.push(errorBlock(verifierKeys));
  else {
    blocks.push(keyBlock(tr('全部验证密钥（签名便笺格式）', 'All verifier keys (signed-note format)'), verifierKeys, 'verifier-keys.txt',
      tr(`共 ${verifierKeys.trim().split('\n').filter(Boolean).length} 把：审计日志用过的每一把密钥都列在这里，换过密钥后旧检查点仍可核对。用于 gongkai verify-log --key。`,
        `${verifierKeys.trim().split('\n').filter(Boolean).length} in all: every key the log was ever signed with, so old checkpoints stay checkable after a key change. For gongkai verify-log --key.`)));
  }
  if (auditPem instanceof Error) blocks.push(errorBlock(auditPem));
  else {
    blocks.push(keyBlock(tr('当前验证密钥（PEM）', 'Current verifier key (PEM)'), auditPem, 'audit-key.pem',
      tr('用 openssl pkeyutl -verify 核对检查点签名。', 'Checks a checkpoint\'s signature with openssl pkeyutl -verify.')));
  }
  return section(tr('审计日志验证密钥', 'Audit log verifier keys'), h('div', { class: 'steps' }, blocks));
}

function latestCheckpointSection(note) {
  if (note instanceof Error) return section(tr('最新检查点', 'Latest checkpoint'), errorBlock(note));
  const size = String(note).split('\n')[1] || '';
  return section(tr('最新检查点', 'Latest checkpoint'),
    h('p', null, tr(`覆盖审计日志的前 ${size} 条记录。`, `Covers the first ${size} entries of the audit log.`)),
    h('pre', { class: 'key-text' }, note),
    h('div', { class: 'row' },
      h('button', { type: 'button', onclick: () => saveText(note, `checkpoint-${size}.txt`) }, tr('下载', 'Download'), ` checkpoint-${size}.txt`)),
    h('details', null, h('summary', null, tr('用 openssl 核对签名', 'Check the signature with openssl')),
      h('pre', null, [
        `head -n 3 checkpoint-${size}.txt > text.txt`,
        `tail -n 1 checkpoint-${size}.txt | cut -d' ' -f3 | base64 -d | tail -c 64 > sig.bin`,
        'openssl pkeyutl -verify -pubin -inkey audit-key.pem -rawin -in text.txt -sigfile sig.bin',
      ].join('\n'))));
}

// The `count` checkpoints of tree size below `before`, newest first, and whether older ones
// exist. The API lists upwards from `after`; a window below `before` is widened until it holds
// enough.
async function checkpointsBefore(before, count) {
  let window = 64 * count;
  for (;;) {
    const after = Math.max(-1, before - window - 1);
    const found = [];
    let cursor = after;
    for (;;) {
      const page = (await api.get('/audit/checkpoints', { after: cursor, limit: 1000 })).checkpoints || [];
      for (const c of page) if (c.tree_size < before) found.push(c);
      if (page.length < 1000 || page[page.length - 1].tree_size >= before - 1) break;
      cursor = page[page.length - 1].tree_size;
    }
    if (found.length > count || after === -1) {
      return { items: found.slice(-count).reverse(), older: found.length > count };
    }
    window *= 4;
  }
}

async function fillCheckpoints(list, latestNote, verifierKeys, query) {
  loading(list);
  try {
    let latestSize = null;
    if (typeof latestNote === 'string') latestSize = Number(latestNote.split('\n')[1]);
    const asked = /^\d+$/.test(query.get('before') || '') ? Number(query.get('before')) : null;
    let before = asked ?? (latestSize !== null && Number.isFinite(latestSize) ? latestSize + 1 : null);
    if (before === null) {
      // No latest checkpoint known: the last page upwards from the start.
      before = Number.MAX_SAFE_INTEGER;
    }
    const { items, older } = await checkpointsBefore(before, CHECKPOINTS_PER_PAGE);
    if (!list.isConnected) return;
    let keys = null;
    if (typeof verifierKeys === 'string' && cryptoAvailable()) {
      try { keys = await parseVerifierKeys(verifierKeys); } catch { keys = null; }
    }
    const rows = items.map((c) => {
      const verdict = h('span', { class: 'muted' }, keys ? tr('核对中…', 'Checking…') : tr('未核对', 'Not checked'));
      if (keys) {
        (async () => {
          try {
            const result = await verifyCheckpointSignature(parseCheckpointNote(c.note), keys);
            clear(verdict, result === 'verified'
              ? h('span', { class: 'verified-ok' }, '✓ ', tr('签名有效', 'Valid'))
              : h('span', { class: 'verified-unknown' }, tr('浏览器不支持 Ed25519，未核对', 'Not checked: no Ed25519 in this browser')));
            verdict.className = '';
          } catch (err) {
            clear(verdict, h('span', { class: 'verified-bad' }, '✗ ', err.code === 'unknown_key' ? tr('签名密钥未知', 'Unknown key') : tr('签名无效', 'Invalid signature')));
            verdict.className = '';
          }
        })();
      }
      return h('tr', null,
        h('td', { class: 'num', dataset: { label: tr('树大小', 'Tree size') } }, String(c.tree_size)),
        h('td', { dataset: { label: tr('签署时间', 'Signed') } }, when(c.created_at)),
        h('td', { dataset: { label: tr('根哈希', 'Root hash') } }, h('code', { class: 'hash' }, c.root_hash)),
        h('td', { dataset: { label: tr('签名密钥', 'Key') } }, h('code', null, c.signer_key)),
        h('td', { dataset: { label: tr('签名', 'Signature') } }, verdict),
        h('td', null, h('button', { type: 'button', class: 'small', onclick: () => saveText(c.note, `checkpoint-${c.tree_size}.txt`) },
          tr('下载', 'Download'), h('span', { class: 'sr-only' }, ` checkpoint-${c.tree_size}.txt`))));
    });
    const table = items.length
      ? h('div', { class: 'table-wrap' }, h('table', { class: 'checkpoints' },
        h('thead', null, h('tr', null, [tr('树大小', 'Tree size'), tr('签署时间', 'Signed'), tr('根哈希（十六进制）', 'Root hash (hex)'), tr('签名密钥', 'Key'), tr('签名', 'Signature'), ''].map((t, i) => h('th', { scope: 'col', class: i === 0 ? 'num' : null }, t)))),
        h('tbody', null, rows)))
      : h('p', { class: 'empty' }, asked !== null ? tr('没有更早的检查点。', 'No older checkpoints.') : tr('还没有检查点。', 'No checkpoints yet.'));
    const newest = items.length ? items[0].tree_size : null;
    const oldest = items.length ? items[items.length - 1].tree_size : null;
    const newerButton = h('button', {
      type: 'button', disabled: asked === null,
      onclick: () => busy(newerButton, null, async () => {
        // The page above this one: the next CHECKPOINTS_PER_PAGE upwards, or the newest page.
        const from = newest ?? (asked - 1);
        const page = (await api.get('/audit/checkpoints', { after: from, limit: CHECKPOINTS_PER_PAGE })).checkpoints || [];
        const top = page.length === CHECKPOINTS_PER_PAGE ? page[page.length - 1].tree_size + 1 : null;
        navigate('/keys', top !== null && (latestSize === null || top <= latestSize) ? { before: top } : undefined);
      }),
    }, tr('较新的', 'Newer'));
    const olderButton = h('button', {
      type: 'button', disabled: !older,
      onclick: () => navigate('/keys', { before: oldest }),
    }, tr('较早的', 'Older'));
    clear(list, table, h('nav', { class: 'pager', 'aria-label': tr('检查点分页', 'Checkpoint pages') },
      asked !== null ? h('a', { class: 'button', href: href('/keys') }, tr('最新', 'Newest')) : null,
      newerButton, olderButton,
      items.length ? h('span', { class: 'muted' }, tr(`树大小 ${oldest}–${newest}`, `tree sizes ${oldest}–${newest}`)) : null));
  } catch (err) {
    if (list.isConnected) clear(list, errorBlock(err));
  }
}
