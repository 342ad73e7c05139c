// Screens of retention: the disposition review list (/retention: records whose retention period
// ended, proposing and approving their disposal by two different people) and legal holds
// (/holds: placed and released by inspectors). The server decides who may; these screens only
// offer what the caller's permissions allow.
import { h, clear } from '../dom.js';
import * as api from '../api.js';
import { tr, label } from '../i18n.js';
import { field, input, textarea, select, busy, notice, tag, section, loading, pager, when, whenDay } from '../ui.js';
import { can, session, units } from '../session.js';
import { route, requires, navigate, href } from '../router.js';
import { names, cardTable, unitOptions } from './archivist.js';

const PER_PAGE = 20;

function me() { return session.user ? session.user.username : ''; }

// The query's filters, as the list and the form keep them.
function filtersOf(query) {
  const out = {};
  for (const key of ['org_unit', 'category', 'year', 'page']) if (query.get(key)) out[key] = query.get(key);
  return out;
}

// ---------------------------------------------------------------------------------------------
// /retention: the disposition review list (到期鉴定/销毁清单)

route({
  path: '/retention', title: ['到期鉴定', 'Disposition review'], group: 'retention', nav: true,
  allowed: requires('retention.read'), render: renderDue,
});

async function renderDue(main, params, query) {
  loading(main);
  const filters = filtersOf(query);
  const page = Number(filters.page || 1);
  const [due, ref, allUnits] = await Promise.all([
    api.get('/retention/due', { ...filters, per_page: PER_PAGE }), names(), units(),
  ]);
  const filterForm = h('form', { class: 'row filters', id: 'due-filters' },
    field('org_unit', tr('单位', 'Unit'), select([['', tr('全部', 'All')], ...unitOptions(allUnits)], {}, filters.org_unit)),
    field('category', tr('类别', 'Category'), select([['', tr('全部', 'All')], ...ref.cats.map((c) => [c.code, c.name])], {}, filters.category)),
    field('year', tr('年度', 'Year'), input({ type: 'number', min: 1900, max: 2999, value: filters.year || '' })),
    h('div', { class: 'field' }, h('button', { type: 'submit' }, tr('筛选', 'Filter'))));
  filterForm.addEventListener('submit', (e) => {
    e.preventDefault();
    const f = filterForm.elements;
    navigate('/retention', { org_unit: f.org_unit.value, category: f.category.value, year: f.year.value });
  });
  const list = cardTable([
    { title: tr('档号', 'Reference'), render: (d) => d.reference_code },
    { title: tr('题名', 'Title'), render: (d) => h('a', { href: href(`/documents/${d.document_id}`) }, d.title) },
    { title: tr('单位', 'Unit'), render: (d) => ref.unitName(d.org_unit) },
    { title: tr('类别', 'Category'), render: (d) => ref.categoryName(d.category) },
    { title: tr('保管期限', 'Retention'), render: (d) => label('retention', d.retention) },
    { title: tr('到期日', 'Due'), render: (d) => whenDay(d.due_on) },
    { title: tr('鉴定与销毁', 'Disposition'), render: (d) => dispositionCell(d) },
  ], due.items, { empty: tr('没有到期的档案。', 'No record is due.'), caption: tr('保管期限已满的档案', 'Records whose retention period ended') });

  clear(main, h('h1', null, tr('到期鉴定', 'Disposition review')),
    h('p', { class: 'muted' }, tr('定期保管的档案自所属年度结束起计算保管期限，期满后次年1月1日到期；永久保管和保全中的档案不会出现。销毁须一人提出、另一人审批，批准后文件永久删除，档案信息与审计记录保留。',
      'Records kept for a period count it from the end of their year and fall due on 1 January after it; permanent and held records never appear. One person proposes, another approves; approved, the files are deleted for good while the record and its audit trail stay.')),
    filterForm,
    h('section', { class: 'card', id: 'due-list' }, list,
      pager(due.total, page, PER_PAGE, (p) => navigate('/retention', { ...filters, page: p }))),
    await recentDispositions());
}

// What can be done about one due record: propose, or decide on the proposal waiting.
function dispositionCell(item) {
  const pending = item.pending;
  if (!pending) {
    if (!can('retention.propose')) return h('span', { class: 'muted' }, tr('待鉴定', 'To review'));
    const reason = textarea({ rows: 2, required: true, maxlength: 4000 });
    const form = h('form', { class: 'stack propose-form', novalidate: true },
      field('reason', tr('鉴定意见（必填）', 'Why (required)'), reason),
      h('button', { type: 'submit' }, tr('提出销毁', 'Propose disposal')));
    form.addEventListener('submit', (e) => {
      e.preventDefault();
      busy(form.querySelector('button'), form, async () => {
        await api.post('/retention/dispositions', { document_id: item.document_id, reason: reason.value });
        notice(tr('已提出销毁，等待审批。', 'Proposed; waiting for approval.'), 'success');
        navigate('/retention', filtersOf(new URLSearchParams(location.hash.split('?')[1] || '')));
      });
    });
    return form;
  }
  const summary = h('p', null, tag('disposition', pending.state), ' ',
    tr(`${pending.proposed_by} 提出：`, `${pending.proposed_by} proposed: `), pending.reason);
  if (!can('retention.approve')) return summary;
  if (pending.proposed_by === me()) {
    return [summary, h('p', { class: 'not-possible', role: 'note' }, tr('本人提出的销毁须由他人审批。', 'Someone else must approve your proposal.'))];
  }
  return [summary, decisionForm(pending)];
}

function decisionForm(pending) {
  const note = textarea({ rows: 2, maxlength: 4000 });
  const approve = h('button', { type: 'button', class: 'danger' }, tr('批准销毁', 'Approve disposal'));
  const reject = h('button', { type: 'button' }, tr('驳回', 'Reject'));
  const form = h('form', { class: 'stack decide-form', novalidate: true },
    field('note', tr('审批意见（驳回时必填）', 'Note (required to reject)'), note), h('div', { class: 'row' }, approve, reject));
  const decide = (verb, button, done) => busy(button, form, async () => {
    await api.post(`/retention/dispositions/${pending.id}/${verb}`, note.value ? { note: note.value } : {});
    notice(done, 'success');
    navigate('/retention', filtersOf(new URLSearchParams(location.hash.split('?')[1] || '')));
  });
  approve.addEventListener('click', () => {
    if (!window.confirm(tr('批准后文件将永久删除，无法恢复。确定批准销毁？', 'The files will be deleted for good. Approve?'))) return;
    decide('approve', approve, tr('已批准，文件已删除。', 'Approved; the files are deleted.'));
  });
  reject.addEventListener('click', () => decide('reject', reject, tr('已驳回。', 'Rejected.')));
  form.addEventListener('submit', (e) => e.preventDefault());
  return form;
}

async function recentDispositions() {
  const recent = await api.get('/retention/dispositions', { per_page: PER_PAGE });
  return h('section', { class: 'card', id: 'dispositions' }, h('h2', null, tr('销毁申请与记录', 'Proposals and decisions')),
    cardTable([
      { title: tr('文档', 'Document'), render: (p) => h('a', { href: href(`/documents/${p.document_id}`) }, `#${p.document_id}`) },
      { title: tr('状态', 'State'), render: (p) => tag('disposition', p.state) },
      { title: tr('提出', 'Proposed'), render: (p) => [p.proposed_by, ' ', when(p.proposed_at)] },
      { title: tr('理由', 'Reason'), render: (p) => p.reason },
      { title: tr('审批', 'Decided'), render: (p) => (p.decided_by ? [p.decided_by, ' ', when(p.decided_at)] : '—') },
      { title: tr('审批意见', 'Note'), render: (p) => p.decision_note || '' },
    ], recent.dispositions, { empty: tr('还没有销毁申请。', 'No proposal yet.') }));
}

// ---------------------------------------------------------------------------------------------
// /holds: legal holds (法律保全)

route({
  path: '/holds', title: ['保全', 'Legal holds'], group: 'retention', nav: true,
  allowed: requires('retention.read', 'holds.manage'), render: renderHolds,
});

function holdTarget(hold, ref) {
  if (hold.document_id) return h('a', { href: href(`/documents/${hold.document_id}`) }, tr(`文档 #${hold.document_id}`, `Document #${hold.document_id}`));
  return [hold.org_unit ? ref.unitName(hold.org_unit) : tr('全部单位', 'All units'),
    ' · ', hold.category ? ref.categoryName(hold.category) : tr('全部类别', 'All categories'),
    ' · ', hold.year ? String(hold.year) : tr('全部年度', 'All years')].join('');
}

async function renderHolds(main, params, query) {
  loading(main);
  const activeOnly = query.get('active') === 'true';
  const page = Number(query.get('page') || 1);
  const [holds, ref, allUnits] = await Promise.all([
    api.get('/retention/holds', { active: activeOnly ? 'true' : undefined, page, per_page: PER_PAGE }), names(), units(),
  ]);
  const list = cardTable([
    { title: tr('保全对象', 'Covers'), render: (x) => holdTarget(x, ref) },
    { title: tr('理由', 'Reason'), render: (x) => x.reason },
    { title: tr('设置', 'Placed'), render: (x) => [x.placed_by, ' ', when(x.placed_at)] },
    { title: tr('状态', 'State'), render: (x) => (x.active ? tr('保全中', 'In force') : [tr('已解除', 'Released'), ' ', x.released_by, ' ', when(x.released_at), x.release_reason ? `：${x.release_reason}` : '']) },
    can('holds.manage') ? { title: tr('操作', 'Action'), render: (x) => (x.active ? releaseForm(x) : '') } : null,
  ].filter(Boolean), holds.holds, { empty: tr('没有保全。', 'No legal hold.') });
  const toggle = h('a', { href: href('/holds', activeOnly ? {} : { active: 'true' }) }, activeOnly ? tr('显示全部', 'Show all') : tr('只看保全中的', 'Only those in force'));
  clear(main, h('h1', null, tr('保全', 'Legal holds')),
    h('p', { class: 'muted' }, tr('保全中的档案不会到期，也不能销毁。保全由纪检监督员设置和解除，均须说明理由并记入审计日志。',
      'Held records never fall due and cannot be disposed of. Inspectors place and release holds, each with a reason, each audited.')),
    can('holds.manage') ? placeForm(ref, allUnits) : null,
    h('section', { class: 'card', id: 'hold-list' }, h('p', null, toggle), list,
      pager(holds.total, page, PER_PAGE, (p) => navigate('/holds', { active: activeOnly ? 'true' : undefined, page: p }))));
}

function placeForm(ref, allUnits) {
  const kind = select([['document', tr('一份文档', 'One document')], ['scope', tr('单位、类别或年度', 'A unit, category or year')]], {});
  const documentId = input({ type: 'number', min: 1 });
  const unit = select([['', tr('全部', 'All')], ...unitOptions(allUnits)], {});
  const category = select([['', tr('全部', 'All')], ...ref.cats.map((c) => [c.code, c.name])], {});
  const year = input({ type: 'number', min: 1900, max: 2999 });
  const reason = textarea({ rows: 2, required: true, maxlength: 4000 });
  const byDocument = h('div', { class: 'row' }, field('document_id', tr('文档编号', 'Document id'), documentId));
  const byScope = h('div', { class: 'row' }, field('org_unit', tr('单位', 'Unit'), unit),
    field('category', tr('类别', 'Category'), category), field('year', tr('年度', 'Year'), year));
  byScope.style.display = 'none';  // through the CSSOM: the page's CSP refuses style attributes
  // style, not `hidden`: the row's own display would win over the attribute.
  kind.addEventListener('change', () => {
    byDocument.style.display = kind.value === 'document' ? '' : 'none';
    byScope.style.display = kind.value === 'document' ? 'none' : '';
  });
  const form = h('form', { class: 'stack', id: 'place-hold', novalidate: true }, field('kind', tr('保全对象', 'What to hold'), kind),
    byDocument, byScope, field('reason', tr('理由（必填）', 'Reason (required)'), reason),
    h('button', { type: 'submit', class: 'primary' }, tr('设置保全', 'Place the hold')));
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    busy(form.querySelector('button[type=submit]'), form, async () => {
      const body = { reason: reason.value };
      if (kind.value === 'document') {
        if (documentId.value) body.document_id = Number(documentId.value);
      } else {
        if (unit.value) body.org_unit = unit.value;
        if (category.value) body.category = category.value;
        if (year.value) body.year = Number(year.value);
      }
      await api.post('/retention/holds', body);
      notice(tr('已设置保全。', 'The hold is placed.'), 'success');
      navigate('/holds');
    });
  });
  return section(tr('设置保全', 'Place a hold'), form);
}

function releaseForm(hold) {
  const reason = textarea({ rows: 2, required: true, maxlength: 4000 });
  const form = h('form', { class: 'stack release-form', novalidate: true }, field('reason', tr('解除理由（必填）', 'Why release (required)'), reason),
    h('button', { type: 'submit' }, tr('解除保全', 'Release')));
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    busy(form.querySelector('button'), form, async () => {
      await api.post(`/retention/holds/${hold.id}/release`, { reason: reason.value });
      notice(tr('已解除保全。', 'The hold is released.'), 'success');
      navigate('/holds');
    });
  });
  return form;
}
