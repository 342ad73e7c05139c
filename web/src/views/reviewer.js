// Screens of the reviewer group: the queue of what waits in the reviewer's units (/review) and
// the review view of one document (/review/:id), where it is approved after the
// confidentiality review (保密审查), returned, published on chosen channels or withdrawn.
import { h, clear } from '../dom.js';
import * as api from '../api.js';
import { tr, label } from '../i18n.js';
import { field, textarea, busy, notice, tag, section, loading, errorBlock, showProblem, when } from '../ui.js';
import { can, session } from '../session.js';
import { route, requires, navigate, href } from '../router.js';
import {
  unitsOfRole, unitOptions, names, documentFacts, fileList, procedureTimeline, pollExtraction,
  checkField, checkGroup, staleProblem, cardTable, publiclyShown,
} from './archivist.js';

const CHANNELS = ['website', 'intranet', 'meeting', 'printed_notice', 'bulletin_board'];

function me() { return session.user ? session.user.username : ''; }

// Who submitted the document (the latest submission), if anyone.
function submitter(doc) {
  const d = doc.disclosure || {};
  return d.submitted ? d.submitted.by : null;
}
function selfSubmitted(doc) { return !!me() && submitter(doc) === me(); }

// All documents of `status` in `unitCodes`, per unit (the list's org_unit filter is exact, and
// without it the list would also hold other units' public documents).
async function documentsOf(unitCodes, status) {
  const pages = await Promise.all(unitCodes.map((unit) => api.get('/documents', { org_unit: unit, status, per_page: 100 })));
  return {
    documents: pages.flatMap((p) => p.documents),
    more: pages.some((p) => p.total > p.documents.length),
  };
}

const stepAt = (doc, step) => (doc.disclosure && doc.disclosure[step] ? doc.disclosure[step].at : doc.updated_at);

// ---------------------------------------------------------------------------------------------
// /review: the queue

route({
  path: '/review', title: ['审核发布', 'Review and publish'], group: 'reviewer', nav: true,
  allowed: requires('documents.review'), render: renderQueue,
});

async function renderQueue(main, params, query) {
  loading(main);
  const [mine, ref] = await Promise.all([unitsOfRole('reviewer'), names()]);
  if (!mine.length) {
    clear(main, h('h1', null, tr('审核发布', 'Review and publish')),
      h('p', { class: 'form-error' }, tr('您的账户还没有分配审核单位，请联系系统管理员。', 'Your account reviews no unit yet; ask the administrator.')));
    return;
  }
  const chosen = mine.some((u) => u.code === query.get('org_unit')) ? query.get('org_unit') : '';
  const codes = chosen ? [chosen] : mine.map((u) => u.code);
  const [submitted, approved, published] = await Promise.all(['submitted', 'approved', 'published'].map((s) => documentsOf(codes, s)));
  // Waiting longest first for what needs a decision; the newest publication first.
  submitted.documents.sort((a, b) => String(stepAt(a, 'submitted')).localeCompare(String(stepAt(b, 'submitted'))));
  approved.documents.sort((a, b) => String(stepAt(a, 'reviewed')).localeCompare(String(stepAt(b, 'reviewed'))));
  published.documents.sort((a, b) => String(stepAt(b, 'published')).localeCompare(String(stepAt(a, 'published'))));

  const titleLink = (d) => h('a', { href: href(`/review/${d.id}`) }, d.title);
  const several = mine.length > 1;
  const common = [
    { title: tr('标题', 'Title'), render: titleLink },
    several ? { title: tr('单位', 'Unit'), render: (d) => ref.unitName(d.org_unit) } : null,
    { title: tr('类别', 'Category'), render: (d) => ref.categoryName(d.category) },
    { title: tr('范围', 'Scope'), render: (d) => tag('scope', d.scope) },
  ].filter(Boolean);
  const submittedTable = cardTable([...common,
    { title: tr('提交人', 'Submitted by'), render: (d) => [submitter(d) || '—', selfSubmitted(d) ? h('span', { class: 'self-note' }, tr('（本人提交，不能审批）', ' (yours: cannot approve)')) : null] },
    { title: tr('提交时间', 'Submitted'), render: (d) => when(stepAt(d, 'submitted')) },
  ], submitted.documents, { empty: tr('没有待审核的文件。', 'Nothing waits for review.') });
  const approvedTable = cardTable([...common,
    { title: tr('审核人', 'Reviewed by'), render: (d) => (d.disclosure.reviewed ? d.disclosure.reviewed.by : '—') },
    { title: tr('审核时间', 'Approved'), render: (d) => when(stepAt(d, 'reviewed')) },
    { title: tr('说明', 'Note'), render: (d) => (d.scope === 'restricted' ? tr('不宜公开，不发布，由档案员归档', 'Restricted: archived, not published') : tr('待发布', 'To publish')) },
  ], approved.documents, { empty: tr('没有待发布的文件。', 'Nothing waits to be published.') });
  const publishedTable = cardTable([...common,
    { title: tr('公开渠道', 'Channels'), render: (d) => (d.disclosure.channels || []).map((c) => label('channel', c)).join('、') },
    { title: tr('发布时间', 'Published'), render: (d) => when(stepAt(d, 'published')) },
  ], published.documents, { empty: tr('没有已公开的文件。', 'Nothing is published.') });

  const unitSelect = h('select', null, h('option', { value: '' }, tr('全部所辖单位', 'All my units')),
    unitOptions(mine).map(([value, text]) => h('option', { value, selected: value === chosen }, text)));
  const filters = h('form', { class: 'row filters' }, field('org_unit', tr('单位', 'Unit'), unitSelect),
    h('div', { class: 'field' }, h('button', { type: 'submit' }, tr('查看', 'Show'))));
  filters.addEventListener('submit', (e) => { e.preventDefault(); navigate('/review', { org_unit: unitSelect.value }); });
  const more = (part) => (part.more ? h('p', { class: 'muted' }, tr('只列出每个单位最近的 100 件。', 'Only the latest 100 per unit are listed.')) : null);

  clear(main, h('h1', null, tr('审核发布', 'Review and publish')),
    several ? filters : h('p', { class: 'muted' }, ref.unitName(mine[0].code)),
    h('section', { class: 'card queue', id: 'queue-submitted' },
      h('h2', null, tr('待审核', 'Waiting for review'), h('span', { class: 'count' }, String(submitted.documents.length))),
      h('p', { class: 'muted' }, tr('按提交时间先后排列，等待最久的在前。', 'Longest waiting first.')), submittedTable, more(submitted)),
    h('section', { class: 'card queue', id: 'queue-approved' },
      h('h2', null, tr('待发布', 'Approved, to publish'), h('span', { class: 'count' }, String(approved.documents.length))), approvedTable, more(approved)),
    h('section', { class: 'card queue', id: 'queue-published' },
      h('h2', null, tr('已公开（可撤回）', 'Published (may be withdrawn)'), h('span', { class: 'count' }, String(published.documents.length))), publishedTable, more(published)));
}

// ---------------------------------------------------------------------------------------------
// /review/:id: the review view

route({
  path: '/review/:id', title: ['审核文件', 'Review a document'], group: 'reviewer', nav: false,
  allowed: requires('documents.review'), render: renderReview,
});

async function renderReview(main, params) {
  loading(main);
  let doc;
  let ref;
  try {
    [doc, ref] = await Promise.all([api.get(`/documents/${params.id}`), names()]);
  } catch (err) {
    clear(main, h('h1', null, tr('审核文件', 'Review a document')), errorBlock(err),
      h('p', null, h('a', { href: href('/review') }, tr('返回审核发布', 'Back to the queue'))));
    return;
  }
  let item = null;
  if (doc.catalogue_item) {
    try { item = await api.get(`/catalogue/${doc.catalogue_item}`); } catch { item = null; }
  }
  const filesBox = h('div', null, fileList(doc));
  pollExtraction(doc, filesBox, (fresh) => clear(filesBox, fileList(fresh)));
  clear(main,
    h('p', { class: 'crumbs' }, h('a', { href: href('/review') }, tr('审核发布', 'Review and publish')), ' › ', `#${doc.id}`),
    h('h1', null, doc.title),
    h('div', { class: 'row doc-tags' }, tag('status', doc.status), tag('scope', doc.scope),
      doc.doc_number ? h('span', { class: 'muted' }, doc.doc_number) : null, h('span', { class: 'muted' }, `v${doc.version}`),
      publiclyShown(doc) ? h('a', { href: href(`/documents/${doc.id}`) }, tr('查看公开页面', 'Public page')) : null),
    h('div', { class: 'split' },
      h('div', null,
        section(tr('文件信息', 'Details'), documentFacts(doc, ref, item)),
        section(tr('附件', 'Files'), h('p', { class: 'muted' }, tr('请下载附件逐一核对内容，确认不涉及国家秘密、工作秘密和个人隐私。', 'Open each file and check it holds no state or work secrets and no personal data.')), filesBox)),
      h('div', null, reviewActions(doc, item), section(tr('公开程序', 'Procedure'), procedureTimeline(doc)))));
}

function reload(id) { navigate(`/review/${id}`); }

// A required text left empty: said beside its field before anything is sent.
function filledIn(form, control, name, message) {
  if (control.value.trim()) return true;
  showProblem(form, { status: 422, message: tr('请补全必填内容。', 'A required field is empty.'), errors: [{ field: name, message }] });
  return false;
}

// Runs a step of the procedure with the document's version; a stale version keeps the form.
async function step(form, doc, name, body, done) {
  let next;
  try {
    next = await api.post(`/documents/${doc.id}/${name}`, body, { ifMatch: doc.etag });
  } catch (err) {
    if (err.status === 412) { staleProblem(form, err, () => reload(doc.id), doc.id); return; }
    throw err;
  }
  notice(done, 'success');
  reload(next.id);
}

function reviewActions(doc, item) {
  const card = section(tr('审核办理', 'Decision'));
  if (doc.status === 'submitted') {
    card.append(approveForm(doc), rejectForm(doc));
  } else if (doc.status === 'approved') {
    if (doc.scope === 'restricted') {
      card.append(h('p', { class: 'not-possible', role: 'note' },
        tr('该文件公开范围为“不宜公开”，按规定不能发布；已审核通过，由档案员直接归档。', 'This document is restricted: it is never published. Approved, it goes to the archive (by an archivist).')));
    } else if (!can('documents.publish')) {
      card.append(h('p', null, tr('已审核通过，等待有发布权限的审核人发布。', 'Approved; waiting for someone who may publish.')));
    } else {
      card.append(publishForm(doc, item));
    }
  } else if (doc.status === 'published') {
    card.append(h('p', null, tr('已公开。', 'Published.'), ' ', h('a', { href: '#/board' }, tr('在公开栏查看', 'See it on the board'))));
    if (can('documents.publish')) card.append(withdrawForm(doc));
  } else if (doc.status === 'draft') {
    card.append(h('p', null, tr('草稿，尚未提交审核。', 'A draft, not submitted yet.')));
  } else if (doc.status === 'withdrawn') {
    card.append(h('p', null, tr('已撤回，不再公开；可由档案员归档。', 'Withdrawn: no longer public; an archivist may archive it.')));
  } else if (doc.status === 'archived') {
    card.append(h('p', null, tr('已归档。', 'Archived.')));
  }
  return card;
}

function approveForm(doc) {
  const heading = h('h3', null, tr('审核通过', 'Approve'));
  if (selfSubmitted(doc)) {
    return h('div', { class: 'action-block approve-block' }, heading, h('p', { class: 'not-possible', role: 'note' },
      tr(`不能审批：本文件由您本人（${me()}）提交审核。按规定提交人不能审批自己提交的文件，请由本单位其他审核人审批。`,
        `Not possible: you (${me()}) submitted this document, and nobody may approve their own submission. Another reviewer of the unit must approve it.`)));
  }
  const form = h('form', { class: 'stack approve-form', novalidate: true });
  const confirmed = h('input', { type: 'checkbox' });
  const opinion = textarea({ rows: 3, placeholder: tr('如：经保密审查，同意公开。', 'e.g. Checked; may be published.') });
  const button = h('button', { type: 'submit', class: 'primary' }, tr('审核通过', 'Approve'));
  form.append(
    checkField('confidentiality_reviewed', tr('已完成保密审查：文件内容不涉及国家秘密、工作秘密和个人隐私', 'Confidentiality review done: no state or work secrets, no personal data'), confirmed),
    field('opinion', tr('审核意见', 'Opinion'), opinion),
    h('div', { class: 'row' }, button));
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    busy(button, form, () => step(form, doc, 'approve', { confidentiality_reviewed: confirmed.checked, opinion: opinion.value.trim() },
      tr('已审核通过。', 'Approved.')));
  });
  return h('div', { class: 'action-block approve-block' }, heading, form);
}

function rejectForm(doc) {
  const opinion = textarea({ rows: 3, required: true });
  const button = h('button', { type: 'submit', class: 'danger' }, tr('退回修改', 'Return for changes'));
  const form = h('form', { class: 'stack reject-form', novalidate: true },
    field('opinion', tr('退回意见（必填）', 'Why (required)'), opinion, tr('退回后文件回到草稿，由档案员修改后重新提交。', 'The document goes back to draft for the archivist to change and submit again.')),
    h('div', { class: 'row' }, button));
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    if (!filledIn(form, opinion, 'opinion', tr('请填写退回意见，说明需要修改什么。', 'Say what must change.'))) return;
    busy(button, form, () => step(form, doc, 'reject', { opinion: opinion.value.trim() }, tr('已退回修改。', 'Returned for changes.')));
  });
  return h('div', { class: 'action-block' }, h('h3', null, tr('退回修改', 'Return for changes')), form);
}

function publishForm(doc, item) {
  // The catalogue item says on which channels its documents are published.
  const suggested = item && item.channels && item.channels.length ? item.channels : [];
  const channels = checkGroup('channels', tr('公开渠道', 'Channels'), CHANNELS.map((c) => [c, label('channel', c)]), suggested);
  const button = h('button', { type: 'submit', class: 'primary' }, tr('发布', 'Publish'));
  const form = h('form', { class: 'stack publish-form', novalidate: true },
    h('p', { class: 'muted' }, tr(`将按“${label('scope', doc.scope)}”范围公开。`, `It will be public as: ${label('scope', doc.scope)}.`),
      suggested.length ? tr('已按公开目录预选渠道。', ' Channels preselected from the catalogue item.') : null),
    channels.el, h('div', { class: 'row' }, button));
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    busy(button, form, () => step(form, doc, 'publish', { channels: channels.values() }, tr('已发布。', 'Published.')));
  });
  return h('div', { class: 'action-block' }, h('h3', null, tr('发布', 'Publish')), form);
}

function withdrawForm(doc) {
  const reason = textarea({ rows: 3, required: true });
  const button = h('button', { type: 'submit', class: 'danger' }, tr('撤回', 'Withdraw'));
  const form = h('form', { class: 'stack withdraw-form', novalidate: true },
    field('reason', tr('撤回理由（必填）', 'Reason (required)'), reason, tr('撤回后公众不再能看到该文件，记录保留备查。', 'The public no longer sees it; the record stays for inspection.')),
    h('div', { class: 'row' }, button));
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    if (!filledIn(form, reason, 'reason', tr('请填写撤回理由。', 'Give the reason.'))) return;
    busy(button, form, () => step(form, doc, 'withdraw', { reason: reason.value.trim() }, tr('已撤回。', 'Withdrawn.')));
  });
  return h('div', { class: 'action-block' }, h('h3', null, tr('撤回公开', 'Withdraw')), form);
}
