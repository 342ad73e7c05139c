// Screens of the archivist group: the unit's documents (/desk), filing a new one (/desk/new),
// the working view of one document (/desk/documents/:id: metadata, files and whether their text
// could be extracted, editing a draft, the procedure's steps, the version history with a
// side-by-side comparison) and the disclosure catalogue 公开目录 (/catalogue).
// The reviewer's screens (views/reviewer.js) reuse the document pieces exported here.
import { h, clear, append } from '../dom.js';
import * as api from '../api.js';
import { tr, label, formatTime, formatDate, formatBytes } from '../i18n.js';
import {
  field, input, textarea, select, enumSelect, busy, showProblem, notice, table, pager,
  tag, progressBar, section, loading, errorBlock, facts, localMessage, when,
} from '../ui.js';
import { can, unitsFor, hasRole, categories, units } from '../session.js';
import { route, requires, navigate, href } from '../router.js';

const DOC_PERMISSIONS = requires('documents.create', 'documents.update');
const STATUSES = ['draft', 'submitted', 'approved', 'published', 'withdrawn', 'archived'];

// ---------------------------------------------------------------------------------------------
// Pieces shared with the reviewer's screens

// The units a unit-bound role reaches: those held and everything below them. An administrator,
// who holds no unit, reaches every unit.
export async function unitsOfRole(role) {
  const all = await units();
  const held = unitsFor(role);
  if (!held.length) return hasRole('admin') ? all : [];
  const out = [];
  const seen = new Set();
  const add = (code) => {
    if (seen.has(code)) return;
    const unit = all.find((u) => u.code === code);
    if (!unit) return;
    seen.add(code);
    out.push(unit);
    for (const child of all.filter((u) => u.parent === code)) add(child.code);
  };
  held.forEach(add);
  return out;
}

export function unitOptions(list) {
  return list.map((u) => [u.code, u.parent ? `　${u.name}` : u.name]);
}

// A list table that turns into one card per row on a narrow screen.
export function cardTable(columns, rows, options) {
  const el = table(columns, rows, options);
  el.classList.add('cards-mobile');
  return el;
}

// Reference names: {categoryName(code), unitName(code), category(code)}.
export async function names() {
  const [cats, all] = await Promise.all([categories(), units()]);
  return {
    cats,
    category: (code) => cats.find((c) => c.code === code),
    categoryName: (code) => (cats.find((c) => c.code === code) || {}).name || code,
    unitName: (code) => (all.find((u) => u.code === code) || {}).name || code,
  };
}

// Whether the text of a file could be extracted for search, in words.
export function extractionStatus(te) {
  if (!te) return null;
  if (te.status === 'ok') {
    return h('span', { class: 'extract extract-ok' },
      tr('已提取文本', 'Text extracted') + (te.truncated ? tr('（内容过长，已截断）', ' (truncated)') : ''));
  }
  if (te.status === 'failed') {
    return h('span', { class: 'extract extract-failed' }, tr('未能提取文本', 'Text not extracted'),
      te.message ? h('span', { class: 'extract-reason' }, '：' + localMessage(te.message)) : null);
  }
  return h('span', { class: 'extract extract-pending', role: 'status' }, tr('正在提取文本…', 'Extracting text…'));
}

function downloadButton(file) {
  return h('button', {
    type: 'button', class: 'small', 'aria-label': tr(`下载 ${file.name}`, `Download ${file.name}`),
    onclick: (e) => busy(e.currentTarget, null, () => api.download(file.url, file.name)),
  }, tr('下载', 'Download'));
}

// The files of a document version, each with its type, size, extraction status and a download.
// `onRemove(file, button)` adds a remove button to each.
export function fileList(doc, { onRemove } = {}) {
  if (!doc.files || !doc.files.length) return h('p', { class: 'empty' }, tr('尚未上传文件。', 'No files yet.'));
  return h('ul', { class: 'file-list doc-files' }, doc.files.map((f) => h('li', {
    dataset: { fileId: f.id, extraction: f.text_extraction ? f.text_extraction.status : '' },
  },
  h('span', { class: 'file-name' }, f.name),
  h('span', { class: 'muted' }, `${f.media_type} · ${formatBytes(f.size)}`),
  extractionStatus(f.text_extraction),
  h('span', { class: 'file-actions' }, downloadButton(f),
    onRemove ? h('button', {
      type: 'button', class: 'small danger', 'aria-label': tr(`删除 ${f.name}`, `Remove ${f.name}`),
      onclick: (e) => onRemove(f, e.currentTarget),
    }, tr('删除', 'Remove')) : null))));
}

// The document's metadata as a definition list.
export function documentFacts(doc, ref, catalogueItem) {
  const sub = catalogueItem ? catalogueText(catalogueItem, ref) : (doc.catalogue_item ? `#${doc.catalogue_item}` : null);
  return facts([
    [tr('标题', 'Title'), doc.title],
    [tr('文号', 'Document number'), doc.doc_number],
    [tr('公开类别', 'Category'), `${ref.categoryName(doc.category)}（${doc.category}）`],
    [tr('所属单位', 'Unit'), ref.unitName(doc.org_unit)],
    [tr('公开目录条目', 'Catalogue item'), sub],
    [tr('公开范围', 'Scope'), tag('scope', doc.scope)],
    [tr('公开方式', 'Mode'), label('mode', doc.mode)],
    [tr('公开时限', 'Period'), label('period', doc.period)],
    [tr('成文日期', 'Issued'), doc.issued_at ? formatDate(doc.issued_at) : null],
    [tr('年度', 'Year'), String(doc.year)],
    [tr('内容摘要', 'Summary'), doc.summary ? h('span', { class: 'pre-line' }, doc.summary) : null],
    [tr('档号', 'Reference code'), doc.reference_code ? h('span', { class: 'mono' }, doc.reference_code) : null],
    [tr('建档', 'Created'), `${doc.created_by} · ${formatTime(doc.created_at)}`],
    [tr('最后修改', 'Last change'), `${doc.updated_by} · ${formatTime(doc.updated_at)} · ${changeLabel(doc.change)}`],
    [tr('版本', 'Version'), `v${doc.version}`],
  ]);
}

function catalogueText(item, ref) {
  const cat = ref.category(item.category);
  return `#${item.id} ${cat ? cat.name : item.category}：${item.content}`;
}

const CHANGES = {
  'document.create': ['建档', 'Created'],
  'document.update': ['修改信息', 'Details changed'],
  'document.add_files': ['添加文件', 'Files added'],
  'document.remove_file': ['删除文件', 'File removed'],
  'document.submit': ['提交审核', 'Submitted'],
  'document.approve': ['审核通过', 'Approved'],
  'document.reject': ['退回修改', 'Returned'],
  'document.publish': ['发布', 'Published'],
  'document.withdraw': ['撤回', 'Withdrawn'],
  'document.archive': ['归档', 'Archived'],
};
export function changeLabel(change) {
  const entry = CHANGES[change];
  return entry ? tr(...entry) : change;
}

// The steps of the disclosure procedure the document has been through (the latest of each).
export function procedureTimeline(doc) {
  const d = doc.disclosure || {};
  const items = [[tr('建档', 'Created'), doc.created_by, doc.created_at, null]];
  if (d.submitted) items.push([tr('提交审核', 'Submitted for review'), d.submitted.by, d.submitted.at, null]);
  if (d.reviewed) {
    const approved = d.confidentiality_reviewed;
    items.push([approved ? tr('审核通过', 'Approved') : tr('退回修改', 'Returned for changes'), d.reviewed.by, d.reviewed.at, [
      approved ? tr('已完成保密审查', 'Confidentiality review done') : null,
      d.opinion ? tr('审核意见：', 'Opinion: ') + d.opinion : null,
    ]]);
  }
  if (d.published) {
    items.push([tr('发布', 'Published'), d.published.by, d.published.at,
      [tr('公开渠道：', 'Channels: ') + (d.channels || []).map((c) => label('channel', c)).join('、')]]);
  }
  if (d.withdrawn) items.push([tr('撤回', 'Withdrawn'), d.withdrawn.by, d.withdrawn.at, [tr('撤回理由：', 'Reason: ') + d.withdrawal_reason]]);
  if (d.archived) {
    items.push([tr('归档', 'Archived'), d.archived.by, d.archived.at,
      [tr('保管期限：', 'Retention: ') + label('retention', d.retention), d.reference_code ? tr('档号：', 'Reference: ') + d.reference_code : null]]);
  }
  items.sort((a, b) => String(a[2]).localeCompare(String(b[2])));
  return h('ol', { class: 'timeline' }, items.map(([what, by, at, notes]) => h('li', null,
    h('strong', null, what), ' ', h('span', { class: 'muted' }, `${by} · ${formatTime(at)}`),
    (notes || []).filter(Boolean).map((n) => h('div', { class: 'timeline-note' }, n)))));
}

// Checks `doc` again every 1.5 s while one of its files still waits for text extraction, and
// hands each new answer to `update`; stops when nothing is pending, when `anchor` has left the
// page, or after two minutes.
export function pollExtraction(doc, anchor, update) {
  const pending = (d) => (d.files || []).some((f) => f.text_extraction && f.text_extraction.status === 'pending');
  if (!pending(doc)) return;
  const started = Date.now();
  const tick = async () => {
    if (!anchor.isConnected) return;
    let fresh;
    try { fresh = await api.get(`/documents/${doc.id}`); } catch { fresh = null; }
    if (!anchor.isConnected) return;
    if (fresh) update(fresh);
    if (fresh && !pending(fresh)) return;
    if (Date.now() - started > 120000) {
      anchor.append(h('p', { class: 'muted' }, tr('文本提取仍在进行，请稍后刷新页面查看。', 'Text extraction is still running; reload later.')));
      return;
    }
    setTimeout(tick, 1500);
  };
  setTimeout(tick, 1500);
}

// A labelled checkbox with its own error slot (field() puts the label above the control).
export function checkField(name, text, control, hint) {
  control.type = 'checkbox';
  control.name = control.name || name;
  control.id = control.id || `c-${name}-${Math.random().toString(36).slice(2, 8)}`;
  const error = h('div', { class: 'field-error', id: control.id + '-error', role: 'alert' });
  control.setAttribute('aria-describedby', control.id + '-error');
  return h('div', { class: 'field check-field', dataset: { field: name } },
    h('div', { class: 'check-line' }, control, h('label', { for: control.id }, text)),
    hint ? h('div', { class: 'hint' }, hint) : null, error);
}

// A group of checkboxes (channels) in a fieldset, with one error slot for the group.
export function checkGroup(name, legend, options, checked = []) {
  const boxes = options.map(([value, text]) => {
    const box = h('input', { type: 'checkbox', value, checked: checked.includes(value), dataset: { group: name }, name: `${name}-${value}` });
    return h('label', null, box, text);
  });
  const el = h('fieldset', { class: 'field check-group', dataset: { field: name } },
    h('legend', null, legend), h('div', { class: 'checks' }, boxes), h('div', { class: 'field-error', role: 'alert' }));
  return { el, values: () => [...el.querySelectorAll('input[type=checkbox]')].filter((b) => b.checked).map((b) => b.value) };
}

// When a change was refused because someone else changed the record meanwhile (412): the
// message, what the user typed kept, and a button that loads the latest version.
// With `documentId`, it also says who made the latest version and when.
export function staleProblem(form, err, reload, documentId) {
  const box = showProblem(form, err);
  const who = h('div', { class: 'stale-latest' });
  box.append(who, h('div', { class: 'row stale-actions' },
    h('button', { type: 'button', onclick: reload }, tr('载入最新版本（放弃本次填写）', 'Load the latest version (drops what you typed)'))));
  box.scrollIntoView({ block: 'nearest' });
  if (documentId) {
    api.get(`/documents/${documentId}`).then((latest) => {
      who.textContent = tr(`最新为第 ${latest.version} 版（${changeLabel(latest.change)}），由 ${latest.updated_by} 于 ${formatTime(latest.updated_at)} 保存。`,
        `The latest is version ${latest.version}: ${changeLabel(latest.change)} by ${latest.updated_by} at ${formatTime(latest.updated_at)}.`);
    }, () => {});
  }
  return box;
}

// Whether the document's page shows it to the public now (published, or archived after
// being published and not withdrawn).
export function publiclyShown(doc) {
  const d = doc.disclosure || {};
  return doc.status === 'published' || (doc.status === 'archived' && !!d.published && !d.withdrawn);
}

// ---------------------------------------------------------------------------------------------
// /desk: the unit's documents by state

route({
  path: '/desk', title: ['本单位文件', 'Unit documents'], group: 'archivist', nav: true,
  allowed: DOC_PERMISSIONS, render: renderDesk,
});

async function renderDesk(main, params, query) {
  loading(main);
  const [mine, ref] = await Promise.all([unitsOfRole('archivist'), names()]);
  if (!mine.length) {
    clear(main, h('h1', null, tr('本单位文件', 'Unit documents')),
      h('p', { class: 'form-error' }, tr('您的账户还没有分配单位，请联系系统管理员。', 'Your account holds no unit yet; ask the administrator.')));
    return;
  }
  const unit = mine.some((u) => u.code === query.get('org_unit')) ? query.get('org_unit') : mine[0].code;
  const status = STATUSES.includes(query.get('status')) ? query.get('status') : '';
  const category = query.get('category') || '';
  const page = Math.max(1, Number(query.get('page')) || 1);
  const perPage = 20;
  const base = { org_unit: unit, category: category || undefined };

  const [list, ...counts] = await Promise.all([
    api.get('/documents', { ...base, status: status || undefined, page, per_page: perPage }),
    api.get('/documents', { ...base, per_page: 1 }),
    ...STATUSES.map((s) => api.get('/documents', { ...base, status: s, per_page: 1 })),
  ]);
  const go = (changes) => navigate('/desk', { org_unit: unit, status, category, page: undefined, ...changes });

  const unitSelect = select(unitOptions(mine), {}, unit);
  const categorySelect = select([['', tr('全部类别', 'All categories')], ...ref.cats.map((c) => [c.code, `${c.name}（${c.code}）`])], {}, category);
  const filters = h('form', { class: 'row filters', role: 'search' },
    field('org_unit', tr('单位', 'Unit'), unitSelect),
    field('category', tr('公开类别', 'Category'), categorySelect),
    h('div', { class: 'field' }, h('button', { type: 'submit' }, tr('筛选', 'Filter'))));
  filters.addEventListener('submit', (e) => { e.preventDefault(); go({ org_unit: unitSelect.value, category: categorySelect.value }); });

  const tabLink = (value, text, count) => h('a', {
    href: href('/desk', { org_unit: unit, category, status: value }),
    'aria-current': value === status ? 'page' : null,
  }, text, h('span', { class: 'count' }, String(count)));
  const tabs = h('nav', { class: 'tabs', 'aria-label': tr('按状态筛选', 'By status') },
    tabLink('', tr('全部', 'All'), counts[0].total),
    STATUSES.map((s, i) => tabLink(s, label('status', s), counts[i + 1].total)));

  const rows = list.documents;
  const docTable = cardTable([
    { title: tr('标题', 'Title'), render: (d) => h('a', { href: href(`/desk/documents/${d.id}`) }, d.title) },
    { title: tr('文号', 'Number'), render: (d) => d.doc_number || '—' },
    { title: tr('类别', 'Category'), render: (d) => ref.categoryName(d.category) },
    { title: tr('状态', 'Status'), render: (d) => tag('status', d.status) },
    { title: tr('范围', 'Scope'), render: (d) => tag('scope', d.scope) },
    { title: tr('文件', 'Files'), class: 'num', render: (d) => String(d.files.length) },
    { title: tr('最后修改', 'Last change'), render: (d) => when(d.updated_at) },
  ], rows, { empty: status ? tr(`没有“${label('status', status)}”的文件。`, `No ${label('status', status)} documents.`) : tr('本单位还没有文件。', 'No documents yet.') });

  clear(main,
    h('div', { class: 'page-head' }, h('h1', null, tr('本单位文件', 'Unit documents')),
      can('documents.create') ? h('a', { class: 'button primary', href: href('/desk/new', { org_unit: unit }) }, tr('登记新文件', 'File a document')) : null),
    filters, tabs,
    h('section', { class: 'card' }, docTable,
      pager(list.total, page, perPage, (p) => go({ page: p }))));
}

// ---------------------------------------------------------------------------------------------
// The metadata form, for filing and for editing a draft

async function catalogueItems(unit, year) {
  if (!unit || !year) return [];
  try {
    const answer = await api.get('/catalogue', { org_unit: unit, year });
    return answer.items || [];
  } catch {
    return [];
  }
}

// Builds the metadata fields into `form`. `initial` holds the API's values.
function metadataFields(initial, mine, ref) {
  const c = {
    title: input({ maxlength: 300, value: initial.title || '', autocomplete: 'off' }),
    doc_number: input({ maxlength: 100, value: initial.doc_number || '', placeholder: tr('如：孝卫党〔2026〕5号', 'e.g. 孝卫党〔2026〕5号') }),
    category: select([['', tr('请选择', 'Choose')], ...ref.cats.map((cat) => [cat.code, `${cat.name}（${cat.code}）`])], {}, initial.category || ''),
    org_unit: select(unitOptions(mine), {}, initial.org_unit || (mine[0] && mine[0].code)),
    catalogue_item: select([['', tr('不对应目录条目', 'None')]], {}, ''),
    scope: enumSelect('scope', {}, initial.scope || '', { blank: tr('请选择', 'Choose') }),
    mode: enumSelect('mode', {}, initial.mode || '', { blank: tr('请选择', 'Choose') }),
    period: enumSelect('period', {}, initial.period || '', { blank: tr('请选择', 'Choose') }),
    issued_at: input({ type: 'date', value: initial.issued_at || '' }),
    summary: textarea({ rows: 4, value: initial.summary || '' }),
  };
  const catalogueHint = h('span');
  let items = [];
  let loaded = false;
  const yearOf = () => (/^\d{4}/.test(c.issued_at.value) ? Number(c.issued_at.value.slice(0, 4)) : (initial.year || new Date().getFullYear()));
  let wanted = initial.catalogue_item ? String(initial.catalogue_item) : '';
  const loadItems = async () => {
    const unit = c.org_unit.value;
    const year = yearOf();
    if (c.catalogue_item.value) wanted = c.catalogue_item.value;
    items = await catalogueItems(unit, year);
    clear(c.catalogue_item, h('option', { value: '' }, tr('不对应目录条目', 'None')),
      items.map((item) => h('option', { value: String(item.id), selected: String(item.id) === wanted },
        `#${item.id} ${ref.categoryName(item.category)}：${item.content}`)));
    if (wanted && !items.some((i) => String(i.id) === wanted)) {
      c.catalogue_item.append(h('option', { value: wanted, selected: true }, tr(`#${wanted}（不在 ${year} 年本单位目录中）`, `#${wanted} (not in this unit's ${year} catalogue)`)));
    }
    loaded = true;
    catalogueHint.textContent = items.length
      ? tr(`${ref.unitName(unit)} ${year} 年公开目录共 ${items.length} 条；选中后带出类别、范围、方式和时限。`, `${items.length} items in the ${year} catalogue; choosing one fills in category, scope, mode and period.`)
      : tr(`${ref.unitName(unit)} ${year} 年公开目录中还没有条目。`, `No catalogue items for ${year} yet.`);
  };
  c.org_unit.addEventListener('change', () => { wanted = ''; loadItems(); });
  c.issued_at.addEventListener('change', loadItems);
  c.catalogue_item.addEventListener('change', () => {
    wanted = c.catalogue_item.value;
    const item = items.find((i) => String(i.id) === c.catalogue_item.value);
    if (!item) return;
    c.category.value = item.category;
    c.scope.value = item.scope;
    c.mode.value = item.mode;
    c.period.value = item.period;
  });

  const el = h('div', { class: 'metadata-fields' },
    field('title', tr('标题（必填）', 'Title (required)'), c.title),
    h('div', { class: 'pair' },
      field('doc_number', tr('文号', 'Document number'), c.doc_number),
      field('issued_at', tr('成文日期', 'Date issued'), c.issued_at, tr('决定文件所属年度；不填则按登记日期。', 'Decides the year; defaults to the filing date.'))),
    h('div', { class: 'pair' },
      field('org_unit', tr('所属单位', 'Unit'), c.org_unit),
      field('category', tr('公开类别', 'Category'), c.category)),
    field('catalogue_item', tr('对应公开目录条目', 'Catalogue item'), c.catalogue_item, catalogueHint),
    h('div', { class: 'grid-3' },
      field('scope', tr('公开范围', 'Scope'), c.scope),
      field('mode', tr('公开方式', 'Mode'), c.mode),
      field('period', tr('公开时限', 'Period'), c.period)),
    field('summary', tr('内容摘要', 'Summary'), c.summary));

  // The API's metadata from the controls; empty ones left out.
  const values = () => {
    const out = {};
    for (const name of ['title', 'doc_number', 'category', 'org_unit', 'scope', 'mode', 'period', 'issued_at', 'summary']) {
      const value = name === 'summary' ? c[name].value : c[name].value.trim();
      if (value !== '') out[name] = value;
    }
    // Until the unit's items have loaded, the select does not hold the document's item yet.
    const chosen = loaded ? c.catalogue_item.value : wanted;
    if (chosen) out.catalogue_item = Number(chosen);
    return out;
  };
  // A JSON merge patch from `doc` to what the controls say.
  const patchFrom = (doc) => {
    const now = values();
    const out = {};
    for (const name of ['title', 'doc_number', 'category', 'org_unit', 'scope', 'mode', 'period', 'issued_at', 'summary', 'catalogue_item']) {
      const before = doc[name] ?? null;
      const after = now[name] ?? null;
      if (before === after) continue;
      // A required field emptied is sent empty, so the server says it may not be.
      out[name] = after === null && ['title', 'category', 'org_unit', 'scope', 'mode', 'period'].includes(name) ? '' : after;
    }
    return out;
  };
  loadItems();
  return { el, controls: c, values, patchFrom };
}

// ---------------------------------------------------------------------------------------------
// Choosing files: drag and drop or the file picker, with a progress bar per file

function fileChooser({ takenNames = () => [] } = {}) {
  const chosen = [];
  const list = h('ul', { class: 'file-list upload-list', 'aria-label': tr('待上传的文件', 'Files to upload') });
  const picker = h('input', { type: 'file', multiple: true, class: 'sr-only', tabindex: '-1', 'aria-hidden': 'true' });
  const status = h('div', { class: 'sr-only', role: 'status' });
  const add = (files) => {
    const skipped = [];
    for (const file of files) {
      if (chosen.some((c) => c.file.name === file.name) || takenNames().includes(file.name)) { skipped.push(file.name); continue; }
      const bar = progressBar(tr(`${file.name} 上传进度`, `Upload of ${file.name}`));
      bar.el.hidden = true;
      const entry = { file, bar };
      entry.li = h('li', null, h('span', { class: 'file-name' }, file.name), h('span', { class: 'muted' }, formatBytes(file.size)), bar.el,
        h('button', {
          type: 'button', class: 'small', 'aria-label': tr(`移除 ${file.name}`, `Remove ${file.name}`),
          onclick: () => { chosen.splice(chosen.indexOf(entry), 1); entry.li.remove(); status.textContent = tr(`已移除 ${file.name}`, `${file.name} removed`); },
        }, tr('移除', 'Remove')));
      chosen.push(entry);
      list.append(entry.li);
    }
    status.textContent = tr(`已选 ${chosen.length} 个文件`, `${chosen.length} files chosen`);
    if (skipped.length) notice(tr(`同名文件已在列表中，未重复添加：${skipped.join('、')}`, `Already listed, not added again: ${skipped.join(', ')}`), 'error');
  };
  picker.addEventListener('change', () => { add([...picker.files]); picker.value = ''; });
  const chooseButton = h('button', { type: 'button', onclick: () => picker.click() }, tr('选择文件…', 'Choose files…'));
  const zone = h('div', { class: 'dropzone' },
    h('p', null, tr('把文件拖到这里，或', 'Drop files here, or'), ' ', chooseButton),
    h('p', { class: 'muted' }, tr('可一次选择多个文件；PDF、Word、文本等文件的文字可被检索。', 'Several files at once; the text of PDF, Word and text files becomes searchable.')),
    picker, status);
  zone.addEventListener('dragover', (e) => { e.preventDefault(); zone.classList.add('over'); });
  zone.addEventListener('dragleave', () => zone.classList.remove('over'));
  zone.addEventListener('drop', (e) => {
    e.preventDefault();
    zone.classList.remove('over');
    if (e.dataTransfer && e.dataTransfer.files) add([...e.dataTransfer.files]);
  });
  return {
    el: h('div', { class: 'file-chooser field', dataset: { field: 'files' } }, zone, list, h('div', { class: 'field-error', role: 'alert' })),
    files: () => chosen.map((c) => c.file),
    // The request sends the files one after another: each file's share of the bytes sent so far.
    progress(loaded, total) {
      const sizes = chosen.map((c) => c.file.size);
      const sum = sizes.reduce((a, b) => a + b, 0);
      const sent = total > 0 ? (loaded / total) * sum : 0;
      let start = 0;
      chosen.forEach((c, i) => {
        c.bar.el.hidden = false;
        const done = Math.max(0, Math.min(sizes[i], sent - start));
        c.bar.set(done, sizes[i] || 1, sizes[i] ? `${Math.floor((done / sizes[i]) * 100)}%` : '100%');
        start += sizes[i];
      });
    },
    finished() { for (const c of chosen) { c.bar.el.hidden = false; c.bar.set(1, 1, tr('已上传', 'Uploaded')); } },
    reset() { chosen.splice(0); clear(list); },
    count: () => chosen.length,
  };
}

// ---------------------------------------------------------------------------------------------
// /desk/new: filing a document

route({
  path: '/desk/new', title: ['登记新文件', 'File a document'], group: 'archivist', nav: true,
  allowed: requires('documents.create'), render: renderNew,
});

async function renderNew(main, params, query) {
  loading(main);
  const [mine, ref] = await Promise.all([unitsOfRole('archivist'), names()]);
  if (!mine.length) {
    clear(main, h('h1', null, tr('登记新文件', 'File a document')),
      h('p', { class: 'form-error' }, tr('您的账户还没有分配单位，请联系系统管理员。', 'Your account holds no unit yet; ask the administrator.')));
    return;
  }
  const unit = mine.some((u) => u.code === query.get('org_unit')) ? query.get('org_unit') : mine[0].code;
  const meta = metadataFields({ org_unit: unit, mode: 'proactive' }, mine, ref);
  const chooser = fileChooser();
  const save = h('button', { type: 'submit', class: 'primary' }, tr('保存草稿', 'Save as draft'));
  const overall = progressBar(tr('上传进度', 'Upload progress'));
  overall.el.hidden = true;
  const form = h('form', { class: 'stack', novalidate: true },
    section(tr('文件信息', 'Details'), meta.el),
    section(tr('附件', 'Files'), chooser.el),
    h('div', { class: 'row form-actions' }, save, overall.el,
      h('a', { class: 'button', href: href('/desk', { org_unit: unit }) }, tr('取消', 'Cancel'))));
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    busy(save, form, async () => {
      const body = new FormData();
      body.append('metadata', JSON.stringify(meta.values()));
      for (const file of chooser.files()) body.append('file', file, file.name);
      overall.el.hidden = false;
      overall.set(0, 1, '');
      try {
        const doc = await api.upload('POST', '/documents', body, {
          onProgress: (loaded, total) => { overall.set(loaded, total); chooser.progress(loaded, total); },
        });
        chooser.finished();
        notice(tr('已保存为草稿。', 'Saved as a draft.'), 'success');
        navigate(`/desk/documents/${doc.id}`, { created: '1' });
      } finally {
        overall.el.hidden = true;
      }
    });
  });
  clear(main, h('h1', null, tr('登记新文件', 'File a document')),
    h('p', { class: 'muted' }, tr('保存后为草稿，可继续修改；确认无误后再提交审核。', 'A new document is a draft: change it as needed, then submit it for review.')),
    form);
  meta.controls.title.focus();
}

// ---------------------------------------------------------------------------------------------
// /desk/documents/:id: the working view of one document

route({
  path: '/desk/documents/:id', title: ['文件办理', 'Document'], group: 'archivist', nav: false,
  allowed: DOC_PERMISSIONS, render: renderWork,
});

async function renderWork(main, params, query) {
  loading(main);
  const id = params.id;
  let doc;
  let ref;
  try {
    [doc, ref] = await Promise.all([api.get(`/documents/${id}`), names()]);
  } catch (err) {
    clear(main, h('h1', null, tr('文件办理', 'Document')), errorBlock(err),
      h('p', null, h('a', { href: href('/desk') }, tr('返回本单位文件', 'Back to the unit\'s documents'))));
    return;
  }
  const editable = doc.status === 'draft' && can('documents.update');
  let tab = query.get('tab') || 'overview';
  if (tab === 'edit' && !editable) tab = 'overview';
  const here = (q) => href(`/desk/documents/${id}`, q);
  const tabs = h('nav', { class: 'tabs', 'aria-label': tr('文件页面', 'Document sections') },
    h('a', { href: here(), 'aria-current': tab === 'overview' ? 'page' : null }, tr('概况与办理', 'Overview')),
    editable ? h('a', { href: here({ tab: 'edit' }), 'aria-current': tab === 'edit' ? 'page' : null }, tr('修改草稿', 'Edit draft')) : null,
    h('a', { href: here({ tab: 'history' }), 'aria-current': tab === 'history' ? 'page' : null }, tr('版本记录', 'History')));
  const head = h('div', { class: 'doc-head' },
    h('p', { class: 'crumbs' }, h('a', { href: href('/desk', { org_unit: doc.org_unit }) }, tr('本单位文件', 'Unit documents')), ' › ', `#${doc.id}`),
    h('h1', null, doc.title),
    h('div', { class: 'row doc-tags' }, tag('status', doc.status), tag('scope', doc.scope),
      doc.doc_number ? h('span', { class: 'muted' }, doc.doc_number) : null,
      h('span', { class: 'muted' }, `v${doc.version}`),
      publiclyShown(doc) ? h('a', { href: href(`/documents/${doc.id}`) }, tr('查看公开页面', 'Public page')) : null));
  const body = h('div');
  clear(main, head, query.get('created') ? h('div', { class: 'success', role: 'status' },
    tr('文件已保存为草稿。请等文本提取完成、核对无误后提交审核。', 'Saved as a draft. Check it once the text extraction is done, then submit it for review.')) : null, tabs, body);
  if (tab === 'edit') await renderEdit(body, doc, ref);
  else if (tab === 'history') await renderHistory(body, doc, ref, query);
  else await renderOverview(body, doc, ref);
}

function reloadWork(id, q) {
  navigate(`/desk/documents/${id}`, q);
}

async function renderOverview(body, doc, ref) {
  let item = null;
  if (doc.catalogue_item) {
    try { item = await api.get(`/catalogue/${doc.catalogue_item}`); } catch { item = null; }
  }
  const filesBox = h('div', null, fileList(doc));
  const filesCard = section(tr('附件及文本提取', 'Files and text extraction'), filesBox);
  pollExtraction(doc, filesBox, (fresh) => clear(filesBox, fileList(fresh)));
  clear(body,
    h('div', { class: 'split' },
      h('div', null, section(tr('文件信息', 'Details'), documentFacts(doc, ref, item)), filesCard),
      h('div', null, actionsCard(doc, ref), section(tr('公开程序', 'Procedure'), procedureTimeline(doc)))));
}

// What the archivist can do next with the document, by its state.
function actionsCard(doc, ref) {
  const d = doc.disclosure || {};
  const card = section(tr('办理', 'Next step'));
  const rejected = doc.status === 'draft' && d.reviewed && !d.confidentiality_reviewed;
  if (rejected) {
    card.append(h('div', { class: 'form-error' }, tr('审核人已退回修改', 'Returned by the reviewer'),
      d.opinion ? h('div', null, tr('审核意见：', 'Opinion: ') + d.opinion) : null));
  }
  if (doc.status === 'draft') {
    if (!can('documents.update')) {
      card.append(h('p', null, tr('草稿，等待档案员提交审核。', 'A draft, waiting for an archivist to submit it.')));
      return card;
    }
    const pending = doc.files.filter((f) => f.text_extraction && f.text_extraction.status === 'pending');
    const failed = doc.files.filter((f) => f.text_extraction && f.text_extraction.status === 'failed');
    const form = h('form', { class: 'stack' });
    const submit = h('button', { type: 'submit', class: 'primary' }, tr('提交审核', 'Submit for review'));
    append(form, [
      h('p', null, tr('草稿可随时修改。提交后由本单位审核人进行保密审查和审核，审核期间不能修改。', 'A draft can still change. Once submitted, a reviewer of the unit checks it; it cannot change meanwhile.')),
      doc.files.length ? null : h('p', { class: 'due-soon' }, tr('尚未上传附件。', 'No files yet.')),
      failed.length ? h('p', { class: 'muted' }, tr(`${failed.map((f) => f.name).join('、')} 的文字未能提取，不影响公开，但检索不到其内容。`, `The text of ${failed.map((f) => f.name).join(', ')} could not be extracted: it can be published, but not found by search.`)) : null,
      pending.length ? h('p', { class: 'muted' }, tr('部分附件仍在提取文本。', 'Some files are still being read.')) : null,
      h('div', { class: 'row' }, submit, h('a', { class: 'button', href: href(`/desk/documents/${doc.id}`, { tab: 'edit' }) }, tr('修改草稿', 'Edit draft')))]);
    form.addEventListener('submit', (e) => {
      e.preventDefault();
      busy(submit, form, async () => {
        try {
          await api.post(`/documents/${doc.id}/submit`, undefined, { ifMatch: doc.etag });
        } catch (err) {
          if (err.status === 412) { staleProblem(form, err, () => reloadWork(doc.id), doc.id); return; }
          throw err;
        }
        notice(tr('已提交审核。', 'Submitted for review.'), 'success');
        reloadWork(doc.id);
      });
    });
    card.append(form);
  } else if (doc.status === 'submitted') {
    card.append(h('p', null, tr('已提交，等待本单位审核人审核。', 'Submitted; waiting for a reviewer of the unit.')));
  } else if (doc.status === 'approved' && doc.scope !== 'restricted') {
    card.append(h('p', null, tr('已审核通过，等待审核人发布。', 'Approved; waiting for a reviewer to publish it.')));
  } else if (doc.status === 'archived') {
    card.append(h('p', null, tr('已归档，不能再变更。', 'Archived; it cannot change any more.')),
      facts([[tr('档号', 'Reference code'), h('span', { class: 'mono' }, doc.reference_code || d.reference_code)],
        [tr('保管期限', 'Retention'), label('retention', d.retention)]]));
  }
  const archivable = ['published', 'withdrawn'].includes(doc.status) || (doc.status === 'approved' && doc.scope === 'restricted');
  if (archivable) {
    if (doc.status === 'published') card.append(h('p', null, tr('已公开。', 'Published.')));
    if (doc.status === 'withdrawn') card.append(h('p', null, tr('已撤回。', 'Withdrawn.')));
    if (doc.status === 'approved') card.append(h('p', null, tr('“不宜公开”的文件审核通过后不发布，直接归档。', 'A restricted document is not published; once approved it is archived.')));
    if (can('documents.archive')) card.append(archiveForm(doc, ref));
  }
  return card;
}

function archiveForm(doc, ref) {
  const cat = ref.category(doc.category);
  const fallback = cat ? cat.default_retention : 'Y';
  const retention = enumSelect('retention', {}, fallback);
  const button = h('button', { type: 'submit' }, tr('归档', 'Archive'));
  const form = h('form', { class: 'stack archive-form' },
    field('retention', tr('保管期限', 'Retention'), retention,
      tr(`“${cat ? cat.name : doc.category}”类默认${label('retention', fallback)}。归档后生成档号，不能再变更。`, `Default for this category: ${label('retention', fallback)}. Archiving assigns the reference code and is final.`)),
    button);
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    busy(button, form, async () => {
      let done;
      try {
        done = await api.post(`/documents/${doc.id}/archive`, { retention: retention.value }, { ifMatch: doc.etag });
      } catch (err) {
        if (err.status === 412) { staleProblem(form, err, () => reloadWork(doc.id), doc.id); return; }
        throw err;
      }
      notice(tr(`已归档，档号 ${done.reference_code || ''}`, `Archived: ${done.reference_code || ''}`), 'success');
      reloadWork(doc.id);
    });
  });
  return h('div', { class: 'action-block' }, h('h3', null, tr('归档', 'Archive')), form);
}

// Editing a draft: its metadata (JSON merge patch with If-Match), adding and removing files.
async function renderEdit(body, doc, ref) {
  const mine = await unitsOfRole('archivist');
  // A document of a unit below one held is still editable; keep its unit in the list.
  const unitList = mine.some((u) => u.code === doc.org_unit) ? mine : [{ code: doc.org_unit, name: ref.unitName(doc.org_unit) }, ...mine];
  const meta = metadataFields(doc, unitList, ref);
  const save = h('button', { type: 'submit', class: 'primary' }, tr('保存修改', 'Save changes'));
  const form = h('form', { class: 'stack', novalidate: true }, meta.el,
    h('div', { class: 'row' }, save, h('a', { class: 'button', href: href(`/desk/documents/${doc.id}`) }, tr('取消', 'Cancel'))));
  const state = { doc };
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    busy(save, form, async () => {
      const patch = meta.patchFrom(state.doc);
      if (!Object.keys(patch).length) { notice(tr('没有需要保存的修改。', 'Nothing changed.')); return; }
      try {
        state.doc = await api.patch(`/documents/${doc.id}`, patch, { ifMatch: state.doc.etag });
      } catch (err) {
        if (err.status === 412) { staleProblem(form, err, () => reloadWork(doc.id, { tab: 'edit' }), doc.id); return; }
        throw err;
      }
      notice(tr('修改已保存。', 'Changes saved.'), 'success');
      reloadWork(doc.id);
    });
  });

  // Files: each change is a new version, so the version the form was loaded on moves along.
  const filesBox = h('div');
  const filesForm = h('form', { class: 'stack', novalidate: true });
  const chooser = fileChooser({ takenNames: () => state.doc.files.map((f) => f.name) });
  const uploadButton = h('button', { type: 'submit' }, tr('上传所选文件', 'Upload the chosen files'));
  const showFiles = () => clear(filesBox, fileList(state.doc, { onRemove: removeFile }));
  // A poll's answer may have been asked for before the latest upload or removal: an older
  // version must not replace the newer one, whose ETag the next change sends as If-Match.
  const polled = (later) => { if (later.version >= state.doc.version) { state.doc = later; showFiles(); } };
  const refresh = async () => {
    const fresh = await api.get(`/documents/${doc.id}`);
    if (fresh.version >= state.doc.version) state.doc = { ...fresh };
    showFiles();
    pollExtraction(fresh, filesBox, polled);
  };
  async function removeFile(file, button) {
    if (!window.confirm(tr(`删除附件“${file.name}”？（旧版本中仍保留记录）`, `Remove ${file.name}? (Earlier versions keep it.)`))) return;
    await busy(button, filesForm, async () => {
      try {
        state.doc = await api.del(`/documents/${doc.id}/files/${file.id}`, { ifMatch: state.doc.etag });
      } catch (err) {
        if (err.status === 412) { staleProblem(filesForm, err, () => reloadWork(doc.id, { tab: 'edit' }), doc.id); return; }
        throw err;
      }
      notice(tr(`已删除 ${file.name}`, `${file.name} removed`), 'success');
      await refresh();
    });
  }
  filesForm.append(filesBox, h('h3', null, tr('添加文件', 'Add files')), chooser.el, h('div', { class: 'row' }, uploadButton));
  filesForm.addEventListener('submit', (e) => {
    e.preventDefault();
    busy(uploadButton, filesForm, async () => {
      if (!chooser.count()) { notice(tr('请先选择文件。', 'Choose files first.'), 'error'); return; }
      const data = new FormData();
      for (const file of chooser.files()) data.append('file', file, file.name);
      try {
        state.doc = await api.upload('POST', `/documents/${doc.id}/files`, data, { ifMatch: state.doc.etag, onProgress: chooser.progress });
      } catch (err) {
        if (err.status === 412) { staleProblem(filesForm, err, () => reloadWork(doc.id, { tab: 'edit' }), doc.id); return; }
        throw err;
      }
      chooser.finished();
      notice(tr('文件已上传。', 'Files uploaded.'), 'success');
      chooser.reset();
      await refresh();
    });
  });
  showFiles();
  pollExtraction(doc, filesBox, polled);
  clear(body,
    section(tr('修改文件信息', 'Edit the details'), form),
    section(tr('附件', 'Files'), filesForm));
}

// ---------------------------------------------------------------------------------------------
// The version history and a side-by-side comparison of any two versions

async function renderHistory(body, doc, ref, query) {
  const answer = await api.get(`/documents/${doc.id}/versions`);
  const versions = [...answer.versions].sort((a, b) => b.version - a.version);
  const numbers = versions.map((v) => v.version);
  const pick = (name, fallback) => (numbers.includes(Number(query.get(name))) ? Number(query.get(name)) : fallback);
  const b = pick('b', numbers[0]);
  const a = pick('a', numbers.find((n) => n < b) ?? b);
  const compare = (va, vb) => navigate(`/desk/documents/${doc.id}`, { tab: 'history', a: va, b: vb });

  const list = cardTable([
    { title: tr('版本', 'Version'), class: 'num', render: (v) => `v${v.version}` },
    { title: tr('变更', 'Change'), render: (v) => changeLabel(v.change) },
    { title: tr('状态', 'Status'), render: (v) => tag('status', v.status) },
    { title: tr('标题', 'Title'), render: (v) => v.title },
    { title: tr('文件数', 'Files'), class: 'num', render: (v) => String(v.file_count) },
    { title: tr('操作人', 'By'), render: (v) => v.updated_by },
    { title: tr('时间', 'When'), render: (v) => when(v.updated_at) },
    {
      title: tr('比较', 'Compare'),
      render: (v) => {
        const prev = numbers.find((n) => n < v.version);
        return prev ? h('button', { type: 'button', class: 'small', onclick: () => compare(prev, v.version), 'aria-label': tr(`比较 v${prev} 与 v${v.version}`, `Compare v${prev} with v${v.version}`) }, tr('与上一版比较', 'With previous')) : '—';
      },
    },
  ], versions);

  const optionsOf = (selected) => select(versions.map((v) => [String(v.version), `v${v.version} ${changeLabel(v.change)} ${formatTime(v.updated_at)}`]), {}, String(selected));
  const selA = optionsOf(a);
  const selB = optionsOf(b);
  const picker = h('form', { class: 'row compare-form' },
    field('a', tr('版本 A', 'Version A'), selA), field('b', tr('版本 B', 'Version B'), selB),
    h('div', { class: 'field' }, h('button', { type: 'submit', class: 'primary' }, tr('比较', 'Compare'))));
  picker.addEventListener('submit', (e) => { e.preventDefault(); compare(Number(selA.value), Number(selB.value)); });

  const diffBox = h('div', null, h('p', { class: 'muted', role: 'status' }, tr('正在加载…', 'Loading…')));
  clear(body, section(tr('版本记录', 'Versions'), h('p', { class: 'muted' }, tr('每次修改、上传和办理都生成新版本，并记入审计链。', 'Every change, upload and step makes a new version and an audit entry.')), list),
    section(tr('版本对比', 'Compare versions'), picker, diffBox));
  try {
    const [va, vb] = await Promise.all([api.get(`/documents/${doc.id}/versions/${a}`), api.get(`/documents/${doc.id}/versions/${b}`)]);
    clear(diffBox, versionDiff(va, vb, ref));
  } catch (err) {
    clear(diffBox, errorBlock(err));
  }
}

function versionDiff(va, vb, ref) {
  const d = (v) => v.disclosure || {};
  const text = (x) => (x === null || x === undefined || x === '' ? '—' : String(x));
  const rows = [
    [tr('状态', 'Status'), (v) => label('status', v.status)],
    [tr('标题', 'Title'), (v) => v.title],
    [tr('文号', 'Document number'), (v) => v.doc_number],
    [tr('公开类别', 'Category'), (v) => `${ref.categoryName(v.category)}（${v.category}）`],
    [tr('所属单位', 'Unit'), (v) => ref.unitName(v.org_unit)],
    [tr('公开目录条目', 'Catalogue item'), (v) => (v.catalogue_item ? `#${v.catalogue_item}` : null)],
    [tr('公开范围', 'Scope'), (v) => label('scope', v.scope)],
    [tr('公开方式', 'Mode'), (v) => label('mode', v.mode)],
    [tr('公开时限', 'Period'), (v) => label('period', v.period)],
    [tr('成文日期', 'Issued'), (v) => v.issued_at],
    [tr('内容摘要', 'Summary'), (v) => v.summary],
    [tr('保密审查', 'Confidentiality review'), (v) => (d(v).confidentiality_reviewed ? tr('已完成', 'Done') : null)],
    [tr('审核意见', 'Opinion'), (v) => d(v).opinion],
    [tr('公开渠道', 'Channels'), (v) => (d(v).channels || []).map((c) => label('channel', c)).join('、')],
    [tr('撤回理由', 'Withdrawal reason'), (v) => d(v).withdrawal_reason],
    [tr('保管期限', 'Retention'), (v) => (d(v).retention ? label('retention', d(v).retention) : null)],
    [tr('档号', 'Reference code'), (v) => d(v).reference_code],
  ].map(([name, get]) => {
    const x = text(get(va));
    const y = text(get(vb));
    return { name, x, y, changed: x !== y };
  });
  // Files by their id: a file kept is the same id in both; a new upload is a new id.
  const ids = [...new Set([...va.files, ...vb.files].map((f) => f.id))];
  const describeFile = (f) => (f ? h('span', null, f.name, h('span', { class: 'muted' }, ` · ${formatBytes(f.size)} · SHA-256 ${f.sha256.slice(0, 12)}…`)) : '—');
  ids.forEach((fileId, i) => {
    const fa = va.files.find((f) => f.id === fileId);
    const fb = vb.files.find((f) => f.id === fileId);
    rows.push({ name: i === 0 ? tr('附件', 'Files') : '', x: describeFile(fa), y: describeFile(fb), changed: !fa || !fb || fa.sha256 !== fb.sha256 });
  });
  if (!ids.length) rows.push({ name: tr('附件', 'Files'), x: '—', y: '—', changed: false });
  const changedCount = rows.filter((r) => r.changed).length;
  const only = h('input', { type: 'checkbox', id: 'diff-only' });
  const tableEl = h('table', { class: 'diff' },
    h('caption', { class: 'sr-only' }, tr(`v${va.version} 与 v${vb.version} 对比`, `v${va.version} against v${vb.version}`)),
    h('thead', null, h('tr', null, h('th', { scope: 'col' }, tr('项目', 'Field')),
      h('th', { scope: 'col' }, `v${va.version}`, h('div', { class: 'muted' }, `${changeLabel(va.change)} · ${va.updated_by} · ${formatTime(va.updated_at)}`)),
      h('th', { scope: 'col' }, `v${vb.version}`, h('div', { class: 'muted' }, `${changeLabel(vb.change)} · ${vb.updated_by} · ${formatTime(vb.updated_at)}`)))),
    h('tbody', null, rows.map((r) => h('tr', { class: r.changed ? 'diff-changed' : null },
      h('th', { scope: 'row' }, r.name, r.changed ? h('span', { class: 'diff-mark' }, tr('（有变化）', ' (changed)')) : null),
      h('td', { class: 'pre-line' }, r.x), h('td', { class: 'pre-line' }, r.y)))));
  only.addEventListener('change', () => tableEl.classList.toggle('diff-only', only.checked));
  return h('div', null,
    h('div', { class: 'row diff-summary' },
      h('p', { role: 'status' }, va.version === vb.version ? tr('两边是同一版本。', 'Both sides are the same version.')
        : tr(`有 ${changedCount} 项不同（以底色标出）。`, `${changedCount} differences (highlighted).`)),
      h('label', { class: 'inline-check' }, only, tr('只看有变化的项目', 'Only the differences'))),
    h('div', { class: 'table-wrap' }, tableEl));
}

// ---------------------------------------------------------------------------------------------
// /catalogue: the disclosure catalogue 公开目录 of a unit and year

route({
  path: '/catalogue', title: ['公开目录', 'Disclosure catalogue'], group: 'archivist', nav: true,
  allowed: DOC_PERMISSIONS, render: renderCatalogue,
});

async function renderCatalogue(main, params, query) {
  loading(main);
  const [mine, ref] = await Promise.all([unitsOfRole('archivist'), names()]);
  const all = await units();
  const choices = mine.length ? mine : all;
  const unit = choices.some((u) => u.code === query.get('org_unit')) ? query.get('org_unit') : (choices[0] && choices[0].code);
  const thisYear = new Date().getFullYear();
  const year = /^\d{4}$/.test(query.get('year') || '') ? Number(query.get('year')) : thisYear;
  const answer = unit ? await api.get('/catalogue', { org_unit: unit, year }) : { items: [] };
  const items = answer.items || [];
  const editing = items.find((i) => String(i.id) === query.get('edit'));
  const mayAdd = can('documents.create') && mine.some((u) => u.code === unit);
  const mayEdit = can('documents.update') && mine.some((u) => u.code === unit);

  const unitSelect = select(unitOptions(choices), {}, unit);
  const years = [];
  for (let y = thisYear + 1; y >= thisYear - 6; y -= 1) years.push([String(y), tr(`${y} 年`, String(y))]);
  if (!years.some(([y]) => Number(y) === year)) years.push([String(year), tr(`${year} 年`, String(year))]);
  const yearSelect = select(years, {}, String(year));
  const filters = h('form', { class: 'row filters' },
    field('org_unit', tr('单位', 'Unit'), unitSelect), field('year', tr('年度', 'Year'), yearSelect),
    h('div', { class: 'field' }, h('button', { type: 'submit' }, tr('查看', 'Show'))));
  filters.addEventListener('submit', (e) => { e.preventDefault(); navigate('/catalogue', { org_unit: unitSelect.value, year: yearSelect.value }); });

  const sorted = [...items].sort((x, y) => ref.cats.findIndex((c) => c.code === x.category) - ref.cats.findIndex((c) => c.code === y.category) || x.sub_item - y.sub_item || x.id - y.id);
  const list = cardTable([
    { title: tr('编号', 'No.'), class: 'num', render: (i) => String(i.id) },
    { title: tr('类别', 'Category'), render: (i) => ref.categoryName(i.category) },
    { title: tr('公开内容', 'Content'), render: (i) => i.content },
    { title: tr('范围', 'Scope'), render: (i) => tag('scope', i.scope) },
    { title: tr('方式', 'Mode'), render: (i) => label('mode', i.mode) },
    { title: tr('时限', 'Period'), render: (i) => label('period', i.period) + (i.rhythm ? `（${label('rhythm', i.rhythm)}）` : '') },
    { title: tr('办结时限', 'Time limit'), render: (i) => (i.time_limit_working_days ? tr(`${i.time_limit_working_days} 个工作日`, `${i.time_limit_working_days} working days`) : '—') },
    { title: tr('公开渠道', 'Channels'), render: (i) => i.channels.map((c) => label('channel', c)).join('、') || '—' },
    { title: tr('责任人', 'Responsible'), render: (i) => i.responsible || '—' },
    mayEdit ? { title: tr('操作', 'Actions'), render: (i) => h('a', { href: href('/catalogue', { org_unit: unit, year, edit: i.id }), 'aria-label': tr(`修改目录条目 ${i.id}`, `Edit item ${i.id}`) }, tr('修改', 'Edit')) } : null,
  ].filter(Boolean), sorted, { empty: tr(`${ref.unitName(unit)} ${year} 年的公开目录还没有条目。`, `No catalogue items for ${year} yet.`) });

  const parts = [
    h('h1', null, tr('公开目录', 'Disclosure catalogue')),
    filters,
    section(tr(`${ref.unitName(unit)} · ${year} 年度（共 ${items.length} 条）`, `${ref.unitName(unit)} · ${year} (${items.length} items)`), list),
  ];
  if (editing && mayEdit) parts.push(section(tr(`修改目录条目 #${editing.id}`, `Edit item #${editing.id}`), catalogueForm(editing, { unit, year, ref, choices: mine })));
  else if (mayAdd) parts.push(section(tr('新增目录条目', 'Add an item'), catalogueForm(null, { unit, year, ref, choices: mine })));
  clear(main, ...parts);
  if (editing) main.querySelector('form.catalogue-form textarea')?.focus();
}

function catalogueForm(item, { unit, year, ref, choices }) {
  const v = item || { org_unit: unit, year, category: '', sub_item: 0, content: '', scope: 'public', mode: 'proactive', period: '', rhythm: null, time_limit_working_days: 0, channels: [], responsible: '' };
  const c = {
    org_unit: select(unitOptions(choices), {}, v.org_unit),
    year: input({ type: 'number', min: 1900, max: 2999, value: String(v.year), inputmode: 'numeric' }),
    category: select([['', tr('请选择', 'Choose')], ...ref.cats.map((cat) => [cat.code, `${cat.name}（${cat.code}）`])], {}, v.category),
    sub_item: select([['0', tr('不指定', 'None')]], {}, '0'),
    content: textarea({ rows: 3, value: v.content }),
    scope: enumSelect('scope', {}, v.scope),
    mode: enumSelect('mode', {}, v.mode),
    period: enumSelect('period', {}, v.period, { blank: tr('请选择', 'Choose') }),
    rhythm: enumSelect('rhythm', {}, v.rhythm || '', { blank: tr('（仅定期公开）', '(periodic only)') }),
    time_limit_working_days: input({ type: 'number', min: 0, max: 365, value: String(v.time_limit_working_days || 0), inputmode: 'numeric' }),
    responsible: input({ maxlength: 100, value: v.responsible || '' }),
  };
  const channels = checkGroup('channels', tr('公开渠道', 'Channels'), ['website', 'intranet', 'meeting', 'printed_notice', 'bulletin_board'].map((ch) => [ch, label('channel', ch)]), v.channels);
  const fillSubItems = (selected) => {
    const cat = ref.category(c.category.value);
    clear(c.sub_item, h('option', { value: '0' }, tr('不指定', 'None')),
      (cat ? cat.items : []).map((text, i) => h('option', { value: String(i + 1), selected: String(i + 1) === String(selected) }, `${i + 1}. ${text}`)));
  };
  fillSubItems(v.sub_item);
  c.category.addEventListener('change', () => fillSubItems(0));
  c.sub_item.addEventListener('change', () => {
    const cat = ref.category(c.category.value);
    const text = cat && cat.items[Number(c.sub_item.value) - 1];
    if (text && !c.content.value.trim()) c.content.value = text;
  });
  const syncRhythm = () => {
    c.rhythm.disabled = c.period.value !== 'periodic';
    if (c.rhythm.disabled) c.rhythm.value = '';
  };
  c.period.addEventListener('change', syncRhythm);
  syncRhythm();

  const save = h('button', { type: 'submit', class: 'primary' }, item ? tr('保存修改', 'Save changes') : tr('新增条目', 'Add item'));
  const form = h('form', { class: 'stack catalogue-form', novalidate: true },
    h('div', { class: 'pair' }, field('org_unit', tr('单位', 'Unit'), c.org_unit), field('year', tr('年度', 'Year'), c.year)),
    h('div', { class: 'pair' }, field('category', tr('公开类别', 'Category'), c.category), field('sub_item', tr('类别下的子项', 'Sub-item'), c.sub_item)),
    field('content', tr('公开内容', 'Content'), c.content, tr('选择子项后，内容为空时自动填入子项名称。', 'Choosing a sub-item fills in its text when the content is empty.')),
    h('div', { class: 'grid-3' },
      field('scope', tr('公开范围', 'Scope'), c.scope), field('mode', tr('公开方式', 'Mode'), c.mode), field('period', tr('公开时限', 'Period'), c.period),
      field('rhythm', tr('公开周期', 'Rhythm'), c.rhythm),
      field('time_limit_working_days', tr('办结时限（工作日）', 'Time limit (working days)'), c.time_limit_working_days, tr('定期公开：期末后多少个工作日内公开。', 'Periodic: working days after the period ends.')),
      field('responsible', tr('责任人', 'Responsible'), c.responsible)),
    channels.el,
    h('div', { class: 'row' }, save, item ? h('a', { class: 'button', href: href('/catalogue', { org_unit: unit, year }) }, tr('取消', 'Cancel')) : null));

  const values = () => {
    const out = {
      org_unit: c.org_unit.value,
      year: c.year.value.trim() === '' ? null : Number(c.year.value),
      category: c.category.value,
      sub_item: Number(c.sub_item.value) || 0,
      content: c.content.value.trim(),
      scope: c.scope.value,
      mode: c.mode.value,
      period: c.period.value,
      rhythm: c.rhythm.value || null,
      time_limit_working_days: c.time_limit_working_days.value.trim() === '' ? 0 : Number(c.time_limit_working_days.value),
      channels: channels.values(),
      responsible: c.responsible.value.trim(),
    };
    return out;
  };
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    busy(save, form, async () => {
      const now = values();
      if (!item) {
        const body = {};
        for (const [k, val] of Object.entries(now)) {
          if (val === null || val === '' || (k === 'sub_item' && val === 0)) continue;
          body[k] = val;
        }
        const made = await api.post('/catalogue', body);
        notice(tr(`已新增目录条目 #${made.id}`, `Item #${made.id} added`), 'success');
        navigate('/catalogue', { org_unit: made.org_unit, year: made.year });
        return;
      }
      const patch = {};
      for (const [k, val] of Object.entries(now)) {
        const before = item[k] ?? null;
        const same = Array.isArray(val) ? JSON.stringify(val) === JSON.stringify(before) : val === before;
        if (!same) patch[k] = val === '' && ['responsible'].includes(k) ? null : val;
      }
      if (!Object.keys(patch).length) { notice(tr('没有需要保存的修改。', 'Nothing changed.')); return; }
      try {
        const saved = await api.patch(`/catalogue/${item.id}`, patch, { ifMatch: item.etag });
        notice(tr(`目录条目 #${saved.id} 已保存`, `Item #${saved.id} saved`), 'success');
        navigate('/catalogue', { org_unit: saved.org_unit, year: saved.year });
      } catch (err) {
        if (err.status === 412) { staleProblem(form, err, () => navigate('/catalogue', { org_unit: unit, year, edit: item.id })); return; }
        throw err;
      }
    });
  });
  return form;
}
