// What everyone may use without an account: the disclosure board (公开栏), a document's page,
// full-text search, the feedback form, applications for disclosure on request, the receipt
// lookup and the public log of decisions.
import { h, clear, markedText } from '../dom.js';
import { tr, label, formatTime, formatDate, formatBytes } from '../i18n.js';
import * as api from '../api.js';
import { route, navigate, href } from '../router.js';
import { can, hasRole, categories, units, categoryName, unitName, signedIn } from '../session.js';
import {
  field, input, textarea, select, enumSelect, busy, notice, table, pager, tag, section,
  loading, errorBlock, facts, localMessage, when, whenDay,
} from '../ui.js';

// ---------------------------------------------------------------- the board (公开栏)

route({
  path: '/board', title: ['公开栏', 'Disclosure board'], group: 'public', nav: true,
  async render(main, params, query) {
    // Everything the board needs is asked for at once, and the screen is built in one go.
    const unit = query.get('org_unit') || '';
    const [cats, unitList, board] = await Promise.all([categories(), units(), api.get('/board', { org_unit: unit })]);
    const quick = h('form', { class: 'row', role: 'search' },
      field('q', tr('检索公开文件', 'Search disclosures'), input({ type: 'search', placeholder: tr('标题、文号、正文…', 'Title, number, text…') })),
      field('org_unit', tr('单位', 'Unit'), select([['', tr('全部单位', 'All units')], ...unitList.map((u) => [u.code, u.name])], {}, unit)),
      h('div', { class: 'field' }, h('button', { type: 'submit', class: 'primary' }, tr('检索', 'Search'))));
    quick.elements.org_unit.addEventListener('change', () => navigate('/board', { org_unit: quick.elements.org_unit.value }));
    quick.addEventListener('submit', (e) => {
      e.preventDefault();
      navigate('/search', { q: quick.elements.q.value.trim(), org_unit: quick.elements.org_unit.value });
    });
    const body = h('div', { id: 'board' });
    clear(main, h('h1', null, tr('党务公开栏', 'Party affairs disclosure board')),
      h('p', { class: 'muted' }, tr('按公开类别列出正在公开的事项；常设事项在前，其余按发布时间由新到旧。', 'What is disclosed now, by category: standing items first, then newest first.')),
      quick, body);
    const names = Object.fromEntries(unitList.map((u) => [u.code, u.name]));
    // Laid out as the seed's 公开栏: the eight categories in their order, numbered, each with
    // what it discloses now (an empty one says so rather than vanishing).
    const byCode = Object.fromEntries(board.categories.map((c) => [c.code, c.documents]));
    const NUMERALS = '一二三四五六七八九十';
    clear(body,
      h('nav', { class: 'row board-jump', 'aria-label': tr('公开类别', 'Categories') },
        cats.map((c) => h('a', {
          href: '#board-' + c.code,
          // The heading takes focus too, so the keyboard goes on from the category chosen.
          onclick: (e) => { e.preventDefault(); const to = document.getElementById('board-h-' + c.code); to?.focus(); to?.scrollIntoView(); },
        },
          `${c.name}（${(byCode[c.code] || []).length}）`))),
      board.total === 0 ? h('p', { class: 'empty' }, tr('目前没有公开的事项。', 'Nothing is disclosed at present.')) : null,
      cats.map((c, i) => {
        const docs = byCode[c.code] || [];
        return h('section', { class: 'card board-category', id: 'board-' + c.code, 'aria-labelledby': 'board-h-' + c.code },
          h('h2', { id: 'board-h-' + c.code, tabindex: '-1' }, tr(`${NUMERALS[i] || i + 1}、${c.name}`, c.name)),
          docs.length ? docs.map((d) => h('article', { class: 'board-item' },
            h('div', null,
              d.period === 'standing' ? h('span', { class: 'standing' }, tr('长期', 'Standing')) : null,
              h('a', { href: href('/documents/' + d.id) }, d.title),
              d.doc_number ? h('span', { class: 'muted' }, `  ${d.doc_number}`) : null),
            h('div', { class: 'meta' },
              names[d.org_unit] || d.org_unit, ' · ', label('period', d.period), ' · ',
              tr('发布于 ', 'Published ') + formatDate(d.disclosure?.published?.at || d.updated_at),
              d.files.length ? ` · ${tr('附件', 'Files')} ${d.files.length}` : '',
              ' ', tag('scope', d.scope))))
            : h('p', { class: 'empty' }, tr('暂无公开事项', 'Nothing disclosed at present')));
      }));
  },
});

// ---------------------------------------------------------------- a document's page

route({
  path: '/documents/:id', title: ['文件', 'Document'], group: 'public', nav: false,
  async render(main, params, query) {
    loading(main);
    // A version number only: the value goes into the API path.
    const version = /^\d+$/.test(query.get('version') || '') ? query.get('version') : null;
    const doc = await api.get(`/documents/${params.id}` + (version ? `/versions/${version}` : ''));
    const [catName, uName] = await Promise.all([categoryName(doc.category), unitName(doc.org_unit)]);
    if (main.isConnected) document.title = doc.title + ' · 公开'; // not when another screen replaced this one meanwhile
    const viewer = h('div', { id: 'file-viewer' });
    const d = doc.disclosure || {};
    const step = (what, s) => (s ? [what, `${formatTime(s.at)} · ${s.by}`] : [what, null]);
    const actions = h('div', { class: 'row' },
      can('audit.read') ? h('a', { class: 'button', href: href(`/documents/${doc.id}/audit`) }, tr('审计记录与校验', 'Audit timeline and proofs')) : null,
      (can('documents.update') || can('documents.review')) && signedIn()
        ? h('a', { class: 'button', href: href(can('documents.update') ? `/desk/documents/${doc.id}` : `/review/${doc.id}`) }, tr('在工作台中打开', 'Open in the desk')) : null,
      h('a', { class: 'button', href: href('/feedback', { document: doc.id }) }, tr('对此提意见', 'Comment on this')));
    clear(main,
      h('p', null, h('a', { href: '#/board' }, '← ' + tr('公开栏', 'Board'))),
      h('h1', null, doc.title),
      version || doc.status === 'withdrawn'
        ? h('p', { class: 'form-error', role: 'note' },
          version ? tr(`这是第 ${doc.version} 版（历史版本）。`, `This is version ${doc.version} (history).`) + ' ' : '',
          doc.status === 'withdrawn' ? tr('该文件已撤回，不再公开。', 'This document has been withdrawn.') : '',
          version ? [' ', h('a', { href: href('/documents/' + doc.id) }, tr('查看当前版本', 'See the current version'))] : null)
        : null,
      actions,
      section(tr('基本信息', 'Details'), facts([
        [tr('文号', 'Number'), doc.doc_number],
        [tr('公开类别', 'Category'), `${catName}（${doc.category}）`],
        [tr('单位', 'Unit'), uName],
        [tr('公开范围', 'Scope'), tag('scope', doc.scope)],
        [tr('公开方式', 'Mode'), label('mode', doc.mode)],
        [tr('公开时限', 'Period'), label('period', doc.period)],
        [tr('成文日期', 'Issued'), doc.issued_at],
        [tr('状态', 'Status'), tag('status', doc.status)],
        [tr('档号', 'Reference code'), doc.reference_code],
        [tr('版本', 'Version'), String(doc.version)],
        [tr('摘要', 'Summary'), doc.summary],
      ])),
      section(tr('附件', 'Files'), doc.files.length
        ? h('ul', { class: 'file-list' }, doc.files.map((f) => h('li', null,
          h('span', null, f.name), h('span', { class: 'muted' }, formatBytes(f.size)),
          viewable(f) ? h('button', { type: 'button', 'aria-label': tr(`在线查看 ${f.name}`, `View ${f.name}`), onclick: () => showFile(viewer, f) }, tr('在线查看', 'View')) : null,
          h('button', { type: 'button', 'aria-label': tr(`下载 ${f.name}`, `Download ${f.name}`), onclick: (e) => busy(e.currentTarget, null, () => api.download(f.url, f.name)) }, tr('下载', 'Download')))))
        : h('p', { class: 'empty' }, tr('无附件', 'No files')), viewer),
      section(tr('公开记录', 'Disclosure record'), facts([
        step(tr('提交审核', 'Submitted'), d.submitted),
        step(tr('审核通过', 'Approved'), d.reviewed),
        [tr('保密审查', 'Confidentiality review'), d.reviewed ? (d.confidentiality_reviewed ? tr('已审查', 'Done') : tr('未审查', 'Not done')) : null],
        [tr('审核意见', 'Opinion'), d.opinion],
        step(tr('发布', 'Published'), d.published),
        [tr('公开渠道', 'Channels'), (d.channels || []).map((c) => label('channel', c)).join('、')],
        step(tr('撤回', 'Withdrawn'), d.withdrawn),
        [tr('撤回理由', 'Reason'), d.withdrawal_reason],
        step(tr('归档', 'Archived'), d.archived),
        [tr('保管期限', 'Retention'), d.retention ? label('retention', d.retention) : null],
      ])));
  },
});

function viewable(file) {
  return /^(application\/pdf|image\/(png|jpeg|gif|webp))$/.test(file.media_type);
}

// Fetches the file (with the token when signed in) and shows it in the page: images inline,
// PDFs in the browser's viewer inside a frame.
async function showFile(viewer, file) {
  loading(viewer);
  try {
    const blob = await api.fetchBlob(file.url);
    const src = URL.createObjectURL(new Blob([blob], { type: file.media_type }));
    const shown = file.media_type.startsWith('image/')
      ? h('img', { src, alt: file.name, class: 'viewer-img' })
      : h('iframe', { src, title: file.name, class: 'viewer' });
    clear(viewer, h('h3', null, file.name), shown);
    shown.scrollIntoView?.({ block: 'nearest' });
  } catch (err) {
    clear(viewer, errorBlock(err));
  }
}

// ---------------------------------------------------------------- search

// Only roles that see everything may search superseded and withdrawn versions (the server says
// so too, with a notice); the box is offered to them alone.
function seesEverything() { return hasRole('inspector') || hasRole('admin'); }

route({
  path: '/search', title: ['全文检索', 'Search'], group: 'public', nav: true,
  async render(main, params, query) {
    const [cats, unitList] = await Promise.all([categories(), units()]);
    const q = query.get('q') || '';
    const history = query.get('history') === 'true' && seesEverything();
    const form = h('form', { class: 'card', role: 'search' },
      h('div', { class: 'row' },
        field('q', tr('检索', 'Search'), input({ type: 'search', value: q, placeholder: tr('如：党风廉政建设、连发[2010]37号、2023年1月6日', 'e.g. a phrase, a document number, a date'), class: 'search-box' })),
        field('category', tr('类别', 'Category'), select([['', tr('全部', 'All')], ...cats.map((c) => [c.code, c.name])], {}, query.get('category'))),
        field('year', tr('年份', 'Year'), input({ type: 'number', min: 1900, max: 2999, value: query.get('year') || '', class: 'short' })),
        field('org_unit', tr('单位', 'Unit'), select([['', tr('全部', 'All')], ...unitList.map((u) => [u.code, u.name])], {}, query.get('org_unit'))),
        signedIn() ? field('status', tr('状态', 'Status'), enumSelect('status', {}, query.get('status'), { blank: tr('全部', 'All') })) : null,
        field('sort', tr('排序', 'Sort'), select([['relevance', tr('按相关度', 'Relevance')], ['date', tr('按日期', 'Date')]], {}, query.get('sort') || 'relevance')),
        field('from', tr('起始日期', 'From'), input({ type: 'date', value: query.get('from') || '' })),
        field('to', tr('截止日期', 'To'), input({ type: 'date', value: query.get('to') || '' }))),
      h('div', { class: 'row' },
        seesEverything() ? h('label', { class: 'check' }, h('input', { type: 'checkbox', name: 'history', checked: history }), ' ', tr('包含历史版本', 'Include history')) : null,
        h('button', { type: 'submit', class: 'primary' }, tr('检索', 'Search'))));
    form.addEventListener('submit', (e) => {
      e.preventDefault();
      const el = form.elements;
      navigate('/search', {
        q: el.q.value.trim(), category: el.category.value, year: el.year.value, org_unit: el.org_unit.value,
        status: el.status?.value, sort: el.sort.value, from: el.from.value, to: el.to.value,
        history: el.history?.checked ? 'true' : '',
      });
    });
    const results = h('div', { id: 'results', 'aria-live': 'polite' });
    clear(main, h('h1', null, tr('全文检索', 'Full-text search')), form, results);
    const filters = ['category', 'year', 'org_unit', 'scope', 'status', 'from', 'to'];
    if (!q && !filters.some((name) => query.get(name))) {
      clear(results, h('p', { class: 'muted' }, tr('可输入词语、短语（加引号）、文号或日期；支持 AND、OR、NOT 以及 标题:、文号:、摘要: 限定字段。', 'Type words, "phrases", numbers or dates; AND, OR, NOT and title:, number:, summary: work.')));
      return;
    }
    loading(results);
    const page = Number(query.get('page') || 1);
    const wanted = Object.fromEntries([...query.entries()].filter(([k]) => k !== 'page'));
    const answer = await api.get('/search', { ...wanted, history: history ? 'true' : '', page, per_page: 20 });
    const names = Object.fromEntries(unitList.map((u) => [u.code, u.name]));
    const facet = (name, title, text) => {
      const items = answer.facets[name] || [];
      if (!items.length) return null;
      return h('div', null, h('h3', null, title), h('ul', null, items.slice(0, 12).map((f) => {
        const active = query.get(name) === f.value;
        return h('li', null, h('a', {
          href: href('/search', { ...wanted, [name]: active ? '' : f.value }), 'aria-current': active ? 'true' : null,
        }, (active ? '✓ ' : '') + text(f), h('span', { class: 'muted' }, ` (${f.count})`)));
      })));
    };
    // Hits holding only some of the words come after every all-words hit: a separator before
    // the first of them on this page says which words they lack.
    const firstPartial = answer.hits.findIndex((hit) => hit.match === 'partial');
    const lacking = (answer.missing_terms || []).map((term) => `「${term}」`).join(tr('或', ' or '));
    const separator = firstPartial < 0 ? null : h('div', { class: 'partial-separator', role: 'separator', 'aria-label': tr('部分匹配', 'Partial matches') },
      tr(`以下结果仅包含部分检索词：缺少${lacking}`, `The results below lack some of the words: ${lacking}`));
    const hitView = (hit) => h('article', { class: hit.match === 'partial' ? 'hit hit-partial' : 'hit' },
      h('h3', null, h('a', { href: hitLink(hit) }, hit.title || tr('（无标题）', '(untitled)')),
        hit.type && hit.type !== 'document' ? h('span', { class: 'tag' }, hit.type === 'feedback' ? tr('意见', 'Feedback') : tr('申请', 'Application')) : null,
        // The version's own status (a withdrawn one says so), and in a history search which
        // version matched and whether it is still the current one.
        hit.status && (!hit.type || hit.type === 'document') && (signedIn() || hit.status !== 'published') ? [' ', tag('status', hit.status)] : null,
        history || !hit.current ? [' ', h('span', { class: 'tag' }, tr(`第 ${hit.version} 版`, `Version ${hit.version}`) + (hit.current ? '' : tr(' · 已被取代', ' · superseded')))] : null,
        hit.match === 'partial' && hit.missing_terms?.length ? [' ', h('span', { class: 'tag missing-terms' }, tr('缺少：', 'Lacks: ') + hit.missing_terms.join('、'))] : null),
      h('div', { class: 'meta muted' }, [hit.doc_number, names[hit.org_unit] || hit.org_unit, hit.date].filter(Boolean).join(' · '), ' ', hit.scope ? tag('scope', hit.scope) : null),
      h('p', { class: 'snippet' }, markedText(hit.snippet)));
    // The partial count is Xapian's estimate when every hit on this page holds all the words.
    const about = answer.total_partial_exact === false;
    const count = answer.total_partial
      ? tr(`共找到${about ? '约' : ''} ${answer.total} 条结果，其中 ${answer.total_all_words} 条包含全部检索词`, `${about ? 'about ' : ''}${answer.total} results, ${answer.total_all_words} with every word`)
      : tr(`共找到 ${answer.total} 条结果`, `${answer.total} results`);
    clear(results,
      answer.notice ? h('p', { class: 'muted', role: 'status' }, localMessage(answer.notice)) : null,
      h('p', { class: 'muted', id: 'result-count' }, count),
      h('div', { class: 'search-layout' },
        h('aside', { class: 'facets', 'aria-label': tr('分面筛选', 'Facets') },
          facet('category', tr('类别', 'Category'), (f) => f.name || f.value),
          facet('year', tr('年份', 'Year'), (f) => f.value),
          facet('org_unit', tr('单位', 'Unit'), (f) => names[f.value] || f.value),
          facet('scope', tr('公开范围', 'Scope'), (f) => label('scope', f.value))),
        h('div', null,
          answer.hits.map((hit, i) => (i === firstPartial ? [separator, hitView(hit)] : hitView(hit))),
          pager(answer.total, page, answer.per_page, (p) => navigate('/search', { ...wanted, page: p })))));
  },
});

function hitLink(hit) {
  if (hit.type === 'feedback') return href('/handling', { feedback: hit.id });
  if (hit.type === 'request') return href('/handling', { request: hit.id });
  return href('/documents/' + hit.id, hit.current ? undefined : { version: hit.version });
}

// ---------------------------------------------------------------- feedback and applications

function receiptCard(code, lines) {
  const copy = h('button', {
    type: 'button',
    onclick: async () => {
      try { await navigator.clipboard.writeText(code); notice(tr('回执码已复制', 'Receipt code copied'), 'success'); } catch { notice(tr('无法复制，请手工抄录', 'Could not copy; please write it down'), 'error'); }
    },
  }, tr('复制回执码', 'Copy code'));
  return h('div', { class: 'success', role: 'status', id: 'receipt-result' },
    h('p', null, tr('已提交。请保存回执码，凭它查询办理进度和答复：', 'Sent. Keep this receipt code to follow the case:')),
    h('p', null, h('span', { class: 'receipt-code', tabindex: '-1' }, code), ' ', copy, ' ',
      h('a', { class: 'button', href: href('/receipt', { code }) }, tr('查询进度', 'Follow it'))),
    lines.map((l) => h('p', null, l)));
}

route({
  path: '/feedback', title: ['意见反馈', 'Feedback'], group: 'public', nav: true,
  async render(main, params, query) {
    const documentId = query.get('document');
    const form = h('form', { class: 'card stack', novalidate: true },
      documentId ? h('p', { class: 'muted' }, tr(`针对文件 #${documentId} 的意见`, `About document #${documentId}`)) : null,
      field('content', tr('意见或建议', 'Your opinion or suggestion'), textarea({ rows: 6, maxlength: 3500, required: true })),
      h('div', { class: 'grid-2' },
        field('name', tr('姓名（可不填）', 'Name (optional)'), input({ maxlength: 60, autocomplete: 'name' })),
        field('contact', tr('联系方式（可不填）', 'Contact (optional)'), input({ maxlength: 100, autocomplete: 'tel' }))),
      can('feedback.handle') ? field('channel', tr('来源渠道', 'Channel'), enumSelect('feedback_channel', {}, 'online')) : null,
      h('p', { class: 'muted' }, tr('无需登录。联系方式只有承办人和监督人员可见，不会公开。', 'No account needed. Only handlers and inspectors see your contact details.')),
      h('button', { type: 'submit', class: 'primary' }, tr('提交意见', 'Send')));
    const result = h('div');
    form.addEventListener('submit', (e) => {
      e.preventDefault();
      busy(form.querySelector('button[type=submit]'), form, async () => {
        const el = form.elements;
        const body = { channel: el.channel?.value || 'online', content: el.content.value };
        if (el.name.value.trim()) body.name = el.name.value.trim();
        if (el.contact.value.trim()) body.contact = el.contact.value.trim();
        if (documentId) body.document_id = Number(documentId);
        const made = await api.post('/feedback', body);
        form.reset();
        clear(result, receiptCard(made.receipt, [tr(`答复期限：${made.deadline}`, `Answer due by ${made.deadline}`)]));
        result.querySelector('.receipt-code')?.focus();
      });
    });
    clear(main, h('h1', null, tr('党务公开意见反馈', 'Feedback on disclosure')), result, form);
  },
});

route({
  path: '/apply', title: ['依申请公开', 'Apply for disclosure'], group: 'public', nav: true,
  async render(main) {
    const unitList = await units();
    const form = h('form', { class: 'card stack', novalidate: true },
      field('org_unit', tr('向哪个党组织申请（不清楚可不选）', 'Organisation applied to (optional)'),
        select([['', tr('不清楚，由党委办公室转办', 'Not sure: the committee office forwards it')], ...unitList.map((u) => [u.code, u.name])], {}, '')),
      field('content', tr('申请公开的内容', 'What you ask to be disclosed'), textarea({ rows: 5, maxlength: 3500, required: true })),
      h('div', { class: 'grid-2' },
        field('applicant', tr('申请人', 'Applicant'), input({ maxlength: 100, required: true, autocomplete: 'name' })),
        field('contact', tr('联系方式', 'Contact'), input({ maxlength: 100, required: true, autocomplete: 'tel' }))),
      field('purpose', tr('用途（可不填）', 'Purpose (optional)'), input({ maxlength: 300 })),
      h('p', { class: 'muted' }, tr('申请人和联系方式只有承办人和监督人员可见；答复公示时不会出现。', 'Only handlers and inspectors see who applied; the public log never shows it.')),
      h('button', { type: 'submit', class: 'primary' }, tr('提交申请', 'Apply')));
    const result = h('div');
    form.addEventListener('submit', (e) => {
      e.preventDefault();
      busy(form.querySelector('button[type=submit]'), form, async () => {
        const el = form.elements;
        const body = { content: el.content.value, applicant: el.applicant.value.trim(), contact: el.contact.value.trim() };
        if (el.purpose.value.trim()) body.purpose = el.purpose.value.trim();
        if (el.org_unit.value) body.org_unit = el.org_unit.value;
        const made = await api.post('/disclosure-requests', body);
        form.reset();
        clear(result, receiptCard(made.receipt, [
          tr(`登记期限：${made.acknowledge_by}`, `To be acknowledged by ${made.acknowledge_by}`),
          tr(`答复期限：${made.decide_by}`, `Decision due by ${made.decide_by}`)]));
        result.querySelector('.receipt-code')?.focus();
      });
    });
    clear(main, h('h1', null, tr('依申请公开', 'Disclosure on request')), result, form);
  },
});

route({
  path: '/receipt', title: ['回执查询', 'Follow a case'], group: 'public', nav: true,
  async render(main, params, query) {
    const code = (query.get('code') || '').trim().toUpperCase();
    const form = h('form', { class: 'row card', novalidate: true },
      field('code', tr('回执码', 'Receipt code'), input({ value: code, maxlength: 24, placeholder: '7KQ2-M9XD-4TZR-H0PA', autocomplete: 'off', class: 'mono' })),
      h('div', { class: 'field' }, h('button', { type: 'submit', class: 'primary' }, tr('查询', 'Look up'))));
    form.addEventListener('submit', (e) => { e.preventDefault(); navigate('/receipt', { code: form.elements.code.value.trim().toUpperCase() }); });
    const out = h('div', { 'aria-live': 'polite' });
    clear(main, h('h1', null, tr('凭回执码查询办理进度', 'Follow a case by its receipt code')), form, out);
    if (!code) return;
    loading(out);
    const found = await lookUpReceipt(code);
    if (!found) {
      clear(out, h('p', { class: 'form-error', role: 'alert' }, tr('没有找到该回执码，请核对后重试。', 'No case has this receipt code; check it and try again.')));
      return;
    }
    const r = found.record;
    const due = r.overdue ? h('span', { class: 'overdue' }, tr('已超期', 'Overdue')) : r.due_soon ? h('span', { class: 'due-soon' }, tr('即将到期', 'Due soon')) : null;
    clear(out, section(found.kind === 'feedback' ? tr('意见办理情况', 'Feedback') : tr('公开申请办理情况', 'Application'), facts(found.kind === 'feedback' ? [
      [tr('受理时间', 'Received'), formatTime(r.received_at)],
      [tr('状态', 'Status'), label('feedback_status', r.status)],
      [tr('答复期限', 'Due'), [r.deadline, ' ', due]],
      [tr('延期说明', 'Extension'), r.extension_reason],
      [tr('您的意见', 'Your text'), r.content],
      [tr('答复', 'Answer'), r.answer],
      [tr('整改情况', 'Rectification'), r.rectification],
      [tr('答复时间', 'Answered'), formatTime(r.answered_at)],
    ] : [
      [tr('收到时间', 'Received'), formatTime(r.received_at)],
      [tr('状态', 'Status'), label('request_status', r.status)],
      [tr('登记期限', 'Acknowledge by'), r.acknowledge_by],
      [tr('答复期限', 'Decide by'), [r.decide_by, ' ', due]],
      [tr('延期告知', 'Extension notice'), r.extension_notice],
      [tr('申请内容', 'Your request'), r.content],
      [tr('答复结果', 'Outcome'), r.outcome ? label('outcome', r.outcome) : null],
      [tr('理由', 'Reason'), r.reason],
      [tr('答复', 'Answer'), r.answer],
      [tr('公开的文件', 'Documents'), (r.document_ids || []).length ? h('span', null, r.document_ids.map((id) => h('a', { href: href('/documents/' + id) }, `#${id} `))) : null],
    ])));
  },
});

// A receipt code names either a feedback case or an application; try both.
async function lookUpReceipt(code) {
  for (const [kind, path] of [['feedback', '/feedback/receipt/'], ['request', '/disclosure-requests/receipt/']]) {
    try {
      return { kind, record: await api.get(path + encodeURIComponent(code)) };
    } catch (err) {
      if (err.status !== 404 && err.status !== 400) throw err;
    }
  }
  return null;
}

route({
  path: '/decisions', title: ['答复公示', 'Decisions'], group: 'public', nav: true,
  async render(main, params, query) {
    const page = Number(query.get('page') || 1);
    clear(main, h('h1', null, tr('依申请公开答复公示', 'Decisions on applications')));
    const body = h('div');
    main.append(body);
    loading(body);
    const log = await api.get('/disclosure-requests/log', { page, per_page: 20 });
    clear(body,
      h('p', { class: 'muted' }, tr('只公示承办人同意公开的摘要和答复结果，不含申请人信息。', 'Only the summary the handler released and the outcome, never who applied.')),
      table([
        { title: tr('收到', 'Received'), render: (r) => whenDay(r.received_at) },
        { title: tr('申请事项', 'Request'), render: (r) => r.content ?? h('span', { class: 'muted' }, tr('（未公开摘要）', '(no summary released)')) },
        { title: tr('答复结果', 'Outcome'), render: (r) => label('outcome', r.outcome) },
        { title: tr('答复时间', 'Decided'), render: (r) => [whenDay(r.decided_at), r.decided_on_time === false ? h('span', { class: 'overdue' }, ' ' + tr('逾期', 'late')) : null] },
        { title: tr('公开的文件', 'Documents'), render: (r) => (r.document_ids || []).map((id) => h('a', { href: href('/documents/' + id) }, `#${id} `)) },
      ], log.requests, { empty: tr('暂无答复', 'No decisions yet') }),
      pager(log.total, page, log.per_page, (p) => navigate('/decisions', { page: p })));
  },
});

