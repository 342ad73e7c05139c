// Shared pieces of every screen: fields with their error slots, problem messages, tables,
// pagers, tags, progress bars and notices.
import { h, clear } from './dom.js';
import { tr, label, language, formatTime, formatDate } from './i18n.js';

let fieldCounter = 0;

// A labelled control with a slot for the server's message about it. `name` is the API's field
// name, which the problem's `errors[].field` names.
export function field(name, text, control, hint) {
  const id = control.id || `f-${name.replace(/[^a-z0-9_]/gi, '-')}-${++fieldCounter}`;
  control.id = id;
  if (!control.name && control.tagName !== 'DIV') control.name = name;
  const error = h('div', { class: 'field-error', id: id + '-error', role: 'alert' });
  // The hint (what to type) is read out with the control, as the error is.
  control.setAttribute('aria-describedby', hint ? `${id}-hint ${id}-error` : id + '-error');
  return h('div', { class: 'field', dataset: { field: name } },
    h('label', { for: id }, text), control, hint ? h('div', { class: 'hint', id: id + '-hint' }, hint) : null, error);
}

export function input(attrs) { return h('input', { type: 'text', ...attrs }); }
export function textarea(attrs) { return h('textarea', { rows: 4, ...attrs }); }
// options: [[value, text], ...]
export function select(options, attrs = {}, selected) {
  return h('select', attrs, options.map(([value, text]) =>
    h('option', { value, selected: String(value) === String(selected ?? attrs.value ?? '') }, text)));
}
export function enumSelect(kind, attrs, selected, { blank } = {}) {
  const opts = [];
  if (blank) opts.push(['', blank]);
  return select(opts.concat(labelOptionsOf(kind)), attrs, selected);
}
function labelOptionsOf(kind) {
  return LABEL_KINDS[kind] ? LABEL_KINDS[kind].map((v) => [v, label(kind, v)]) : [];
}
const LABEL_KINDS = {
  scope: ['public', 'internal', 'restricted'],
  mode: ['proactive', 'statutory', 'on_request'],
  period: ['standing', 'periodic', 'staged', 'immediate'],
  status: ['draft', 'submitted', 'approved', 'published', 'withdrawn', 'archived', 'disposed'],
  channel: ['website', 'intranet', 'meeting', 'printed_notice', 'bulletin_board'],
  feedback_channel: ['online', 'hotline', 'suggestion_box', 'letter', 'reception_day', 'meeting'],
  retention: ['Y', 'D30', 'D10'],
  rhythm: ['monthly', 'quarterly', 'half_yearly', 'yearly'],
  outcome: ['disclosed', 'partly_disclosed', 'not_disclosed', 'does_not_exist', 'not_held', 'repeat'],
  satisfaction: ['satisfied', 'basically_satisfied', 'dissatisfied'],
  role: ['admin', 'archivist', 'reviewer', 'inspector', 'committee', 'member'],
};

// The server writes each message as "中文 (English)"; show the half in the reader's language.
export function localMessage(message) {
  // "不能为空 (must not be empty): opinion" names its field after the English.
  const m = /^(.*\S)\s*\(([^()]*)\)(:\s*\S.*)?\s*$/s.exec(String(message || ''));
  if (!m) return String(message || '');
  return (language() === 'en' ? m[2] : m[1]) + (m[3] || '');
}

// Clears what an earlier attempt showed in `form`.
export function clearProblems(form) {
  for (const slot of form.querySelectorAll('.field-error')) slot.textContent = '';
  for (const el of form.querySelectorAll('[aria-invalid]')) el.removeAttribute('aria-invalid');
  const box = form.querySelector(':scope > .form-error');
  if (box) box.remove();
}

// Shows a failed request in `form`: each `errors[]` item beside its field (matched by the
// field's full name or its last part, e.g. "metadata.title" → title), everything else at the
// top of the form. What the user typed stays in the controls.
export function showProblem(form, err) {
  clearProblems(form);
  const unplaced = [];
  for (const item of err.errors || []) {
    const names = [item.field, String(item.field || '').split('.').pop(), String(item.field || '').replace(/\[\d+\]$/, '')];
    let slot = null;
    for (const name of names) {
      if (!name) continue;
      slot = form.querySelector(`[data-field="${CSS.escape(name)}"]`);
      if (slot) break;
    }
    if (slot) {
      slot.querySelector('.field-error').textContent = localMessage(item.message);
      const control = slot.querySelector('input, select, textarea');
      if (control) control.setAttribute('aria-invalid', 'true');
    } else {
      unplaced.push(item.field ? `${item.field}: ${localMessage(item.message)}` : localMessage(item.message));
    }
  }
  const summary = describe(err);
  const box = h('div', { class: 'form-error', role: 'alert' }, summary, unplaced.length ? h('ul', null, unplaced.map((m) => h('li', null, m))) : null);
  form.prepend(box);
  const first = form.querySelector('[aria-invalid="true"]');
  if (first) first.focus();
  return box;
}

// One sentence for a failed request, Chinese first.
export function describe(err) {
  if (!err) return '';
  if (err.status === 0) return tr('无法连接服务器，请检查网络后重试。', 'Cannot reach the server; check the network and try again.');
  if (err.status === 412) return tr('该记录已被他人修改，请载入最新版本后再修改（您填写的内容仍保留在表单中）。', 'Someone else changed this record meanwhile; reload it before editing (what you typed is still in the form).');
  if (err.status === 403) return tr('您没有执行此操作的权限。', 'You may not do this.') + (err.message ? ` ${localMessage(err.message)}` : '');
  if (err.status === 429) return tr('操作过于频繁，请稍后再试。', 'Too many attempts; try again later.') + (err.message ? ` ${localMessage(err.message)}` : '');
  return localMessage(err.message) || tr('请求失败', 'Request failed');
}

// Runs `action` while `button` is disabled; shows a failure in `form` (or as a notice).
export async function busy(button, form, action) {
  if (button) button.disabled = true;
  try {
    if (form) clearProblems(form);
    return await action();
  } catch (err) {
    if (form) showProblem(form, err); else notice(describe(err), 'error');
    return undefined;
  } finally {
    if (button) button.disabled = false;
  }
}

// A short message in the corner, read out by screen readers.
export function notice(message, kind = 'info') {
  const area = document.getElementById('notices');
  if (!area) return;
  const item = h('div', { class: `notice notice-${kind}`, role: kind === 'error' ? 'alert' : 'status' }, message);
  area.append(item);
  setTimeout(() => item.remove(), kind === 'error' ? 8000 : 4000);
}

// A time in a table cell: the date and the clock each kept whole, so a narrow column (a phone's
// 375 px) breaks between them and never inside "2026-12-05".
export function when(value) {
  const [day, clock] = formatTime(value).split(' ');
  return h('time', { datetime: value }, h('span', { class: 'nowrap' }, day),
    clock ? [' ', h('span', { class: 'nowrap' }, clock)] : null);
}
// A date alone in a table cell, kept whole.
export function whenDay(value) {
  return h('time', { datetime: value }, h('span', { class: 'nowrap' }, formatDate(value)));
}

// columns: [{title, render(row) → node|string, class?}]
export function table(columns, rows, { empty, caption } = {}) {
  if (!rows.length) return h('p', { class: 'empty' }, empty || tr('暂无记录', 'Nothing here yet'));
  return h('div', { class: 'table-wrap' }, h('table', null,
    caption ? h('caption', null, caption) : null,
    h('thead', null, h('tr', null, columns.map((c) => h('th', { scope: 'col', class: c.class }, c.title)))),
    h('tbody', null, rows.map((row) => h('tr', null, columns.map((c) => h('td', { class: c.class, dataset: { label: c.title } }, c.render(row))))))));
}

// A list table that turns into one card per row on a narrow screen (style.css .cards-mobile).
export function cardTable(columns, rows, options) {
  const el = table(columns, rows, options);
  if (el.classList.contains('table-wrap')) el.classList.add('cards-mobile');
  return el;
}

export function pager(total, page, perPage, onPage) {
  const pages = Math.max(1, Math.ceil(total / perPage));
  if (pages <= 1) return h('p', { class: 'muted' }, tr(`共 ${total} 条`, `${total} in all`));
  return h('nav', { class: 'pager', 'aria-label': tr('分页', 'Pages') },
    h('button', { type: 'button', disabled: page <= 1, onclick: () => onPage(page - 1) }, tr('上一页', 'Previous')),
    h('span', null, tr(`第 ${page} / ${pages} 页，共 ${total} 条`, `Page ${page} of ${pages}, ${total} in all`)),
    h('button', { type: 'button', disabled: page >= pages, onclick: () => onPage(page + 1) }, tr('下一页', 'Next')));
}

export function tag(kind, value) {
  return h('span', { class: `tag tag-${kind}-${value}` }, label(kind, value));
}

export function progressBar(labelText) {
  const bar = h('progress', { max: 100, value: 0, 'aria-label': labelText });
  const text = h('span', { class: 'progress-text' });
  const el = h('div', { class: 'progress' }, bar, text);
  return {
    el,
    set(done, total, caption) {
      if (total > 0) { bar.max = total; bar.value = done; } else bar.removeAttribute('value');
      text.textContent = caption ?? (total > 0 ? `${Math.floor((done / total) * 100)}%` : '');
    },
  };
}

// A section heading and its body, the unit every screen is made of.
export function section(title, ...children) {
  return h('section', { class: 'card' }, title ? h('h2', null, title) : null, children);
}

export function loading(el) { clear(el, h('p', { class: 'muted', role: 'status' }, tr('正在加载…', 'Loading…'))); }

export function errorBlock(err) {
  return h('div', { class: 'form-error', role: 'alert' }, describe(err));
}

// Definition list of [label, value] pairs, values may be nodes.
export function facts(pairs) {
  return h('dl', { class: 'facts' }, pairs.filter(([, v]) => v !== undefined && v !== null && v !== '')
    .map(([k, v]) => [h('dt', null, k), h('dd', null, v)]));
}

// Values of a form's named controls, empty strings left out; checkboxes as booleans.
export function formValues(form) {
  const out = {};
  for (const el of form.elements) {
    if (!el.name || el.disabled) continue;
    if (el.type === 'checkbox') { if (el.dataset.group) continue; out[el.name] = el.checked; continue; }
    if (el.type === 'file') continue;
    if (el.value !== '') out[el.name] = el.value;
  }
  return out;
}
