// Screens of the inspector group (纪检监督员): a document's audit timeline, the audit log with its
// signed checkpoint, the compliance calendar, feedback and applications with their deadlines,
// and the reports. Every audit entry can be checked in the browser (verify.js): its leaf, its
// inclusion proof, the signed checkpoint's root and the Ed25519 signature.
import { h, clear } from '../dom.js';
import * as api from '../api.js';
import { tr, label, formatTime, formatDate, language } from '../i18n.js';
import { route, requires, navigate, href, allRoutes } from '../router.js';
import { session, can, units, categories, unitName } from '../session.js';
import {
  field, input, textarea, select, enumSelect, busy, notice, table, tag, section, loading,
  errorBlock, facts, formValues, describe, when,
} from '../ui.js';
import {
  parseVerifierKeys, parseCheckpointNote, verifyEntry, verifyCheckpointSignature,
  cryptoAvailable, VerifyError,
} from '../verify.js';

// ---------------------------------------------------------------------------------------------
// Names of what the audit log records.

const ACTIONS = {
  'document.create': ['登记', 'Registered'],
  'document.update': ['修改', 'Edited'],
  'document.add_files': ['添加附件', 'Files added'],
  'document.remove_file': ['删除附件', 'File removed'],
  'document.submit': ['提交审核', 'Submitted for review'],
  'document.approve': ['审核通过', 'Approved'],
  'document.reject': ['退回修改', 'Sent back'],
  'document.publish': ['公开发布', 'Published'],
  'document.withdraw': ['撤回', 'Withdrawn'],
  'document.archive': ['归档', 'Archived'],
  'feedback.submit': ['收到意见', 'Feedback received'],
  'feedback.assign': ['交办', 'Assigned'],
  'feedback.start': ['开始办理', 'Handling started'],
  'feedback.answer': ['答复', 'Answered'],
  'feedback.close': ['办结', 'Closed'],
  'feedback.extend': ['延长办理期限', 'Deadline extended'],
  'request.submit': ['收到公开申请', 'Application received'],
  'request.acknowledge': ['登记受理', 'Acknowledged'],
  'request.extend': ['延长答复期限', 'Deadline extended'],
  'request.decision': ['作出答复决定', 'Decided'],
  'catalogue.create': ['新增公开目录条目', 'Catalogue item added'],
  'catalogue.update': ['修改公开目录条目', 'Catalogue item changed'],
  'archive.create': ['生成年度归档包', 'Annual bundle made'],
  'policy.reload': ['重新加载策略', 'Policies reloaded'],
  'unit.create': ['新建单位', 'Unit created'],
  'unit.update': ['修改单位', 'Unit changed'],
  'user.create': ['新建账户', 'Account created'],
  'user.update': ['修改账户', 'Account changed'],
  'user.roles': ['变更角色', 'Roles changed'],
  'user.disable': ['停用账户', 'Account disabled'],
  'user.enable': ['启用账户', 'Account enabled'],
  'user.password': ['修改密码', 'Password changed'],
  'auth.login': ['登录', 'Signed in'],
  'auth.logout': ['退出登录', 'Signed out'],
  'auth.login_failed': ['登录失败', 'Sign-in failed'],
  'auth.login_refused': ['拒绝登录（账户已锁定）', 'Sign-in refused (locked)'],
  'token.create': ['创建访问令牌', 'Token created'],
  'token.revoke': ['吊销访问令牌', 'Token revoked'],
};
const OBJECTS = {
  document: ['文件', 'Document'], feedback: ['意见', 'Feedback'], disclosure_request: ['公开申请', 'Application'],
  catalogue_item: ['目录条目', 'Catalogue item'], archive: ['归档包', 'Archive bundle'], policy: ['策略', 'Policies'],
  unit: ['单位', 'Unit'], user: ['账户', 'Account'],
};
const ACTORS = { system: ['系统', 'System'], demo: ['演示数据', 'Demo data'], anonymous: ['匿名', 'Anonymous'], cli: ['命令行', 'Command line'] };

// A table that keeps its columns readable on a phone (its wrapper scrolls instead).
function wide(node, minWidth = 'wide') { const t = node.querySelector && node.querySelector('table'); if (t) t.classList.add(minWidth); return node; }

export function actionLabel(action) { const a = ACTIONS[action]; return a ? tr(...a) : action; }
function objectLabel(type) { const o = OBJECTS[type]; return o ? tr(...o) : type; }
function actorLabel(actor) { const a = ACTORS[actor]; return a ? tr(...a) : actor; }

// The route that exists for a path, if any (other screens are written elsewhere).
function hasRoute(path) { return allRoutes().some((r) => r.pattern.test(path)); }

// Where an entry's object is shown.
function objectLink(object) {
  if (!object) return null;
  const text = `${objectLabel(object.type)} ${object.type === 'unit' || object.type === 'user' || object.type === 'policy' ? object.id : '#' + object.id}`;
  if (object.type === 'document') return h('a', { href: href(`/documents/${object.id}/audit`) }, text);
  if (object.type === 'feedback' && can('feedback.read')) return h('a', { href: href(`/handling/feedback/${object.id}`) }, text);
  if (object.type === 'disclosure_request' && can('feedback.read')) return h('a', { href: href(`/handling/requests/${object.id}`) }, text);
  return text;
}

// ---------------------------------------------------------------------------------------------
// Checking entries.

const TRUSTED_KEYS = 'gongkai.trustedKeys';
let serverKeys = null;
function trustedKeysText() { return localStorage.getItem(TRUSTED_KEYS) || ''; }

// The keys signatures are checked with: those the inspector saved in this browser, else the
// server's list (every key it has ever used).
async function verifierKeys() {
  const saved = trustedKeysText().trim();
  if (saved) return { keys: await parseVerifierKeys(saved), local: true };
  serverKeys ??= api.get('/audit/keys').then((text) => parseVerifierKeys(text)).catch((err) => { serverKeys = null; throw err; });
  return { keys: await serverKeys, local: false };
}

const FAILURES = {
  wrong_leaf: ['服务器给出的证明属于另一条记录', 'the server sent the proof of another entry'],
  bad_entry: ['记录内容不是规范的审计记录', 'the entry is not a canonical audit entry'],
  entry_hash_mismatch: ['记录内容与其哈希值不符', 'the entry bytes do not match its hash'],
  leaf_mismatch: ['记录内容与审计树中的叶子哈希不符，记录可能被改动', 'the entry does not match its leaf in the tree; it may have been altered'],
  no_checkpoint: ['该树大小没有签名检查点', 'there is no signed checkpoint of that size'],
  size_mismatch: ['检查点的树大小与证明不符', 'the checkpoint is for another tree size'],
  index_beyond_size: ['包含证明与记录位置不符', 'the inclusion proof does not fit the entry'],
  proof_too_long: ['包含证明过长', 'the inclusion proof is too long'],
  proof_too_short: ['包含证明过短', 'the inclusion proof is too short'],
  root_mismatch: ['由包含证明推算的根哈希与签名检查点不一致', 'the inclusion proof does not lead to the signed root'],
  wrong_origin: ['检查点属于另一份审计日志（来源名称与验证密钥不符）', 'the checkpoint is for another log (its origin names no verifier key)'],
  unknown_key: ['检查点不是由已知的验证密钥签署', 'the checkpoint is not signed by a known verifier key'],
  bad_signature: ['检查点签名无效', 'the checkpoint signature is not valid'],
  bad_checkpoint: ['检查点格式有误', 'the checkpoint is malformed'],
  bad_key: ['验证密钥格式有误', 'the verifier key is malformed'],
  bad_base64: ['数据不是有效的 base64', 'data is not valid base64'],
  no_webcrypto: ['浏览器未提供加密功能（须通过 HTTPS 访问本系统）', 'the browser offers no WebCrypto here (open the workbench over HTTPS)'],
};
function failureText(code, message) { const f = FAILURES[code]; return f ? tr(...f) : message || code; }

// One entry, checked against the latest signed checkpoint.
// → {status: verified | unsigned | failed | pending, message?, treeSize?, local?}
export async function checkEntry(entry) {
  try {
    if (!cryptoAvailable()) return { status: 'failed', message: failureText('no_webcrypto') };
    const latest = parseCheckpointNote(await api.get('/audit/checkpoint'));
    if (BigInt(entry.seq) > latest.size) return { status: 'pending', treeSize: Number(latest.size) };
    const [proof, { keys, local }] = await Promise.all([
      api.get('/audit/proof/inclusion', { index: entry.seq - 1, size: String(latest.size) }),
      verifierKeys(),
    ]);
    const result = await verifyEntry(entry, proof, keys);
    return { ...result, local, message: result.status === 'failed' ? failureText(result.code, result.message) : undefined };
  } catch (err) {
    if (err instanceof VerifyError) return { status: 'failed', message: failureText(err.code, err.message) };
    return { status: 'failed', message: describe(err) };
  }
}

function outcomeNode(result) {
  if (result.status === 'verified') {
    return [h('span', { class: 'verified-ok' }, '✓ ', tr('已校验', 'Verified')),
      h('span', { class: 'muted' }, ' ', tr(`（包含在 ${result.treeSize} 条记录的签名检查点中${result.local ? '，使用本机保存的密钥' : ''}）`,
        `(in the signed checkpoint of ${result.treeSize} entries${result.local ? ', with the key saved here' : ''})`))];
  }
  if (result.status === 'unsigned') {
    return [h('span', { class: 'verified-unknown' }, tr('签名未校验：浏览器不支持 Ed25519', 'Signature not checked: this browser lacks Ed25519')),
      h('span', { class: 'muted' }, ' ', tr('（记录已包含在检查点所列的审计树中）', '(the entry is in the tree the checkpoint names)'))];
  }
  if (result.status === 'pending') {
    return h('span', { class: 'verified-unknown' }, tr(
      `尚未纳入签名检查点（目前签署到第 ${result.treeSize} 条，系统约每分钟签署一次），请稍后再校验`,
      `Not yet in a signed checkpoint (signed up to entry ${result.treeSize}; one is signed about every minute); try again shortly`));
  }
  return h('span', { class: 'verified-bad' }, tr('校验失败：', 'Verification failed: ') + (result.message || ''));
}

// A 校验 button and the place its outcome appears.
let verifyCounter = 0;
function verifyControl(entry, describedBy) {
  const out = h('span', { class: 'verify-result', role: 'status', id: `verify-${entry.seq}-${++verifyCounter}` });
  const button = h('button', {
    type: 'button', class: 'verify', 'aria-describedby': describedBy || null,
    onclick: async () => {
      button.disabled = true;
      clear(out, h('span', { class: 'muted' }, tr('正在校验…', 'Verifying…')));
      try { clear(out, outcomeNode(await checkEntry(entry))); } finally { button.disabled = false; }
    },
  }, tr('校验', 'Verify'));
  return { button, out, run: () => button.click() };
}

// What an entry says, read from its canonical bytes: those are what 校验 checks, so the screen
// never shows the server's parsed copy (`entry`) beside a check of other bytes.
function entryOf(item) {
  try { return JSON.parse(item.canonical); } catch { return item.entry || {}; }
}

// An audit entry in a timeline.
function entryItem(item, { showObject = false } = {}) {
  const e = entryOf(item);
  const headId = `entry-${item.seq}-${++verifyCounter}`;
  const control = verifyControl(item, headId);
  const li = h('li', { class: 'audit-entry', dataset: { seq: item.seq, action: e.action } },
    h('div', { class: 'audit-head', id: headId },
      h('strong', null, actionLabel(e.action)),
      e.object && e.object.version ? h('span', { class: 'tag' }, tr(`第 ${e.object.version} 版`, `version ${e.object.version}`)) : null,
      showObject ? h('span', null, objectLink(e.object)) : null),
    h('div', { class: 'muted' },
      h('time', { datetime: e.time }, formatTime(e.time)), ' · ',
      tr('操作人：', 'By: '), actorLabel(e.actor), e.client ? ` (${e.client})` : '', ' · ',
      tr(`第 ${item.seq} 条记录`, `entry ${item.seq}`)),
    h('div', { class: 'row audit-verify' }, control.button, control.out),
    h('details', null, h('summary', null, tr('记录原文', 'Entry bytes')),
      facts([
        [tr('记录哈希', 'Entry hash'), h('code', null, item.hash)],
        [tr('上一条哈希', 'Previous hash'), h('code', null, e.prev_hash)],
        [tr('内容哈希', 'Content SHA-256'), h('code', null, e.content_sha256)],
      ]),
      h('pre', null, item.canonical)));
  li.verify = control.run;
  return li;
}

// All entries about one object, in order. Uses the server's filter; should a server answer
// without filtering, the whole log is read and filtered here.
async function objectEntries(type, id) {
  const out = [];
  let after = 0;
  for (let guard = 0; guard < 1000; guard++) {
    const page = await api.get('/audit', { object_type: type, object_id: id, after, limit: 1000 });
    const entries = page.entries || [];
    const about = (x) => { const e = entryOf(x); return !!e.object && e.object.type === type && String(e.object.id) === String(id); };
    const unfiltered = entries.some((x) => !about(x));
    out.push(...entries.filter(about));
    if (!entries.length || (!unfiltered && entries.length < 1000) || page.next_after >= page.size) break;
    after = page.next_after;
  }
  return out;
}

// The log as a dense table, one row an entry.
function logTable(items) {
  const rows = items.map((item) => ({ item, e: entryOf(item) }));
  return wide(table([
    { title: tr('序号', 'No.'), class: 'num', render: (r) => String(r.item.seq) },
    { title: tr('时间', 'Time'), render: (r) => when(r.e.time) },
    { title: tr('操作', 'Action'), render: (r) => h('span', { id: `log-${r.item.seq}` }, actionLabel(r.e.action)) },
    { title: tr('对象', 'Object'), render: (r) => [objectLink(r.e.object), r.e.object && r.e.object.version ? h('span', { class: 'muted' }, tr(`（第 ${r.e.object.version} 版）`, ` (v${r.e.object.version})`)) : null] },
    { title: tr('操作人', 'By'), render: (r) => [actorLabel(r.e.actor), r.e.client ? h('div', { class: 'muted' }, r.e.client) : null] },
    { title: tr('校验', 'Verify'), class: 'verify-cell', render: (r) => { const c = verifyControl(r.item, `log-${r.item.seq}`); return h('div', { class: 'row audit-verify' }, c.button, c.out); } },
  ], rows, { empty: tr('审计日志中没有记录', 'The log is empty') }));
}

function timeline(items, options) {
  if (!items.length) return h('p', { class: 'empty' }, tr('审计日志中没有相关记录', 'No entries in the audit log'));
  return h('ol', { class: 'timeline audit-timeline' }, items.map((item) => entryItem(item, options)));
}

function verifyAllButton(list) {
  return h('button', {
    type: 'button',
    onclick: async (e) => {
      const button = e.currentTarget;
      button.disabled = true;
      try {
        for (const li of list.querySelectorAll('li.audit-entry')) {
          if (!list.isConnected) break; // the screen was left: stop asking the server
          li.verify();
          // One at a time: each waits for the one before to finish.
          const control = li.querySelector('button.verify');
          for (let i = 0; i < 600 && control.disabled; i++) await new Promise((r) => setTimeout(r, 50));
        }
      } finally { button.disabled = false; }
    },
  }, tr('全部校验', 'Verify all'));
}

// ---------------------------------------------------------------------------------------------
// Units the caller's roles reach for a permission: null for every unit, else a Set of codes.

let policiesPromise = null;
function policies() {
  policiesPromise ??= api.get('/policies').catch(() => null);
  return policiesPromise;
}

async function reachableUnits(permission) {
  const [all, policy] = await Promise.all([units(), policies()]);
  const children = new Map();
  for (const u of all) {
    if (!children.has(u.parent || '')) children.set(u.parent || '', []);
    children.get(u.parent || '').push(u.code);
  }
  const out = new Set();
  const addSubtree = (code) => {
    if (out.has(code)) return;
    out.add(code);
    for (const child of children.get(code) || []) addSubtree(child);
  };
  for (const grant of (session.user && session.user.roles) || []) {
    const role = policy && policy.roles ? policy.roles[grant.role] : null;
    const holds = role ? (role.permissions || []).includes(permission) : true;
    if (!holds) continue;
    const bound = role ? role.unit_bound : !!grant.unit;
    if (!bound) return null;
    if (grant.unit) addSubtree(grant.unit);
  }
  return out;
}

// Units as options, children indented under their parents.
async function unitOptions(permission, { blank } = {}) {
  const [all, reach] = await Promise.all([units(), reachableUnits(permission)]);
  const byParent = new Map();
  for (const u of all) {
    const key = u.parent && all.some((p) => p.code === u.parent) ? u.parent : '';
    if (!byParent.has(key)) byParent.set(key, []);
    byParent.get(key).push(u);
  }
  const options = blank ? [['', blank]] : [];
  const walk = (parent, depth) => {
    for (const u of byParent.get(parent) || []) {
      if (!reach || reach.has(u.code)) options.push([u.code, '\u3000'.repeat(depth) + u.name]);
      walk(u.code, depth + 1);
    }
  };
  walk('', 0);
  return options;
}

async function unitNameOf(code) {
  if (!code) return '';
  const found = (await units()).find((u) => u.code === code);
  return found ? found.name : code;
}

function currentYear() { return Number(formatDate(new Date().toISOString()).slice(0, 4)); }
function today() { return formatDate(new Date().toISOString()); }

function yearOptions(selected) {
  const now = currentYear();
  const years = [];
  for (let y = now + 1; y >= now - 6; y--) years.push(y);
  if (selected && !years.includes(Number(selected))) years.push(Number(selected));
  return years.sort((a, b) => b - a).map((y) => [String(y), tr(`${y} 年`, String(y))]);
}

async function downloadCsv(path, params, fileName, button) {
  await busy(button, null, async () => {
    const text = await api.request('GET', path, { params, accept: 'text/csv' });
    // fetch drops the byte-order mark; spreadsheet programs need it to read the Chinese as UTF-8.
    const csv = typeof text === 'string' ? text : JSON.stringify(text);
    const blob = new Blob([csv.startsWith('\ufeff') ? csv : '\ufeff' + csv], { type: 'text/csv;charset=utf-8' });
    api.saveBlob(blob, fileName);
    notice(tr('已下载 ', 'Downloaded ') + fileName, 'success');
  });
}

function pageHead(title, ...extra) { return h('div', { class: 'page-head' }, h('h1', null, title), extra); }

// ---------------------------------------------------------------------------------------------
// A document's audit timeline.

route({
  path: '/documents/:id/audit', title: ['文件审计记录', 'Document audit trail'], group: 'inspector', nav: false,
  allowed: requires('audit.read'),
  async render(main, params) {
    loading(main);
    const id = params.id;
    const [doc, items] = await Promise.all([
      api.get(`/documents/${encodeURIComponent(id)}`).catch((err) => (err.status === 404 ? null : Promise.reject(err))),
      objectEntries('document', id),
    ]);
    const list = timeline(items);
    clear(main,
      pageHead(tr('文件审计记录', 'Document audit trail')),
      section(null,
        doc ? h('h2', null, doc.title) : h('h2', null, tr(`文件 #${id}`, `Document #${id}`)),
        doc ? facts([
          [tr('文件编号', 'Document'), '#' + doc.id],
          [tr('当前状态', 'Status'), tag('status', doc.status)],
          [tr('当前版本', 'Current version'), tr(`第 ${doc.version} 版`, `version ${doc.version}`)],
          [tr('发文字号', 'Number'), doc.doc_number],
          [tr('档号', 'Reference code'), doc.reference_code],
          [tr('撤回理由', 'Withdrawal reason'), doc.disclosure && doc.disclosure.withdrawal_reason],
        ]) : h('p', { class: 'muted' }, tr('您无法查看该文件的内容，以下仅列出审计记录。', 'You cannot see this document; only its audit entries are listed.')),
        doc && hasRoute(`/documents/${doc.id}`) ? h('p', null, h('a', { href: href(`/documents/${doc.id}`) }, tr('查看文件', 'Open the document'))) : null),
      section(tr(`审计记录（${items.length} 条，按时间先后）`, `Audit entries (${items.length}, oldest first)`),
        h('p', { class: 'muted' }, tr(
          '“校验”在本浏览器中重新计算记录的哈希，沿包含证明推算到根哈希，并用验证密钥核对签名检查点，不依赖服务器的结论。',
          '“Verify” recomputes the entry hash in this browser, follows the inclusion proof to the root and checks the signed checkpoint with the verifier key, without relying on the server’s word.')),
        items.length > 1 ? h('p', null, verifyAllButton(list)) : null,
        list));
  },
});

// ---------------------------------------------------------------------------------------------
// The audit log.

route({
  path: '/audit', title: ['审计日志', 'Audit log'], group: 'inspector', nav: true,
  allowed: requires('audit.read'),
  async render(main, params, query) {
    loading(main);
    const perPage = 50;
    const objectType = query.get('object_type') || '';
    const objectId = query.get('object_id') || '';
    const [note, first] = await Promise.all([api.get('/audit/checkpoint').catch((err) => err), api.get('/audit', { limit: 1 })]);
    const size = first.size;
    const checkpointCard = await checkpointSection(note, size);

    // The object filter.
    const filter = h('form', { class: 'row', role: 'search' },
      field('object_type', tr('对象类型', 'Object type'), select([['', tr('全部', 'All')], ...Object.keys(OBJECTS).map((k) => [k, objectLabel(k)])], {}, objectType)),
      field('object_id', tr('对象编号', 'Object ID'), input({ value: objectId, size: 12 })),
      h('div', { class: 'field' }, h('button', { type: 'submit', class: 'primary' }, tr('筛选', 'Filter'))));
    filter.addEventListener('submit', (e) => {
      e.preventDefault();
      const v = formValues(filter);
      if (v.object_type === 'document' && v.object_id) { navigate(`/documents/${v.object_id}/audit`); return; }
      navigate('/audit', v.object_type && v.object_id ? { object_type: v.object_type, object_id: v.object_id } : undefined);
    });

    let entriesBlock;
    if (objectType && objectId) {
      const items = (await objectEntries(objectType, objectId)).reverse();
      entriesBlock = section(tr(`${objectLabel(objectType)} ${objectId} 的审计记录（${items.length} 条，最新在前）`, `Entries about ${objectLabel(objectType)} ${objectId} (${items.length}, newest first)`),
        filter, h('p', null, h('a', { href: href('/audit') }, tr('显示全部记录', 'Show all entries'))), timeline(items, { showObject: true }));
    } else {
      // Newest first, a page at a time: ?before=SEQ shows the entries below it.
      const before = Math.min(Number(query.get('before')) || size + 1, size + 1);
      const after = Math.max(0, before - 1 - perPage);
      const page = await api.get('/audit', { after, limit: before - 1 - after || 1 });
      const items = (page.entries || []).filter((x) => x.seq < before).reverse();
      const nav = h('nav', { class: 'pager', 'aria-label': tr('分页', 'Pages') },
        before <= size ? h('a', { class: 'button', href: href('/audit', { before: Math.min(size + 1, before + perPage) }) }, tr('较新的记录', 'Newer')) : null,
        h('span', null, items.length ? tr(`第 ${items[items.length - 1].seq}–${items[0].seq} 条，共 ${size} 条`, `Entries ${items[items.length - 1].seq}–${items[0].seq} of ${size}`) : ''),
        after > 0 ? h('a', { class: 'button', href: href('/audit', { before: after + 1 }) }, tr('更早的记录', 'Older')) : null);
      entriesBlock = section(tr('最近的记录（最新在前）', 'Recent entries (newest first)'), filter, logTable(items), nav);
    }
    clear(main, pageHead(tr('审计日志', 'Audit log')), checkpointCard, entriesBlock, trustedKeySection());
  },
});

async function checkpointSection(note, size) {
  const body = [];
  if (note instanceof Error) {
    body.push(errorBlock(note));
  } else {
    let parsed = null;
    try { parsed = parseCheckpointNote(note); } catch (err) { body.push(h('p', { class: 'verified-bad' }, failureText(err.code, err.message))); }
    const signature = h('span', { role: 'status' }, h('span', { class: 'muted' }, tr('正在核对签名…', 'Checking the signature…')));
    if (parsed) {
      body.push(facts([
        [tr('日志来源', 'Origin'), parsed.origin],
        [tr('审计记录总数', 'Entries in the log'), String(size)],
        [tr('检查点覆盖', 'Checkpoint covers'), tr(`前 ${parsed.size} 条记录`, `the first ${parsed.size} entries`)],
        [tr('根哈希', 'Root hash'), h('code', null, note.split('\n')[2])],
        [tr('签名者', 'Signed by'), parsed.signatures.map((s) => `${s.name}+${s.keyId.toString(16).padStart(8, '0')}`).join('，')],
        [tr('签名', 'Signature'), signature],
      ]));
      (async () => {
        try {
          if (!cryptoAvailable()) throw new VerifyError('no_webcrypto');
          const { keys, local } = await verifierKeys();
          const verdict = await verifyCheckpointSignature(parsed, keys);
          clear(signature, verdict === 'verified'
            ? h('span', { class: 'verified-ok' }, '✓ ', tr('签名有效', 'Valid signature'), local ? tr('（本机保存的密钥）', ' (key saved here)') : '')
            : h('span', { class: 'verified-unknown' }, tr('签名未校验：浏览器不支持 Ed25519', 'Signature not checked: this browser lacks Ed25519')));
        } catch (err) {
          clear(signature, h('span', { class: 'verified-bad' }, tr('签名无效：', 'Invalid: ') + (err instanceof VerifyError ? failureText(err.code, err.message) : describe(err))));
        }
      })();
    }
    body.push(h('details', null, h('summary', null, tr('检查点原文', 'Checkpoint text')), h('pre', null, note)));
    body.push(h('div', { class: 'row' },
      h('button', { type: 'button', onclick: () => api.saveBlob(new Blob([note], { type: 'text/plain' }), `checkpoint-${parsed ? parsed.size : 'latest'}.txt`) }, tr('保存检查点', 'Save the checkpoint')),
      h('button', { type: 'button', onclick: (e) => busy(e.currentTarget, null, () => api.download('/audit/keys', 'verifier-keys.txt')) }, tr('下载验证密钥', 'Download verifier keys')),
      exportButton()));
    body.push(h('p', { class: 'muted' }, tr(
      '请定期保存检查点和验证密钥到服务器无法改写的地方；日后可用 gongkai verify-log 离线核对整个日志未被改写。',
      'Now and then keep a checkpoint and the verifier keys somewhere the server cannot write; gongkai verify-log can later prove offline that the log was not rewritten.')));
  }
  return section(tr('最新的签名检查点', 'Latest signed checkpoint'), body);
}

function exportButton() {
  const wrap = h('span', { class: 'row' });
  const button = h('button', {
    type: 'button',
    onclick: () => busy(button, null, () => api.download('/audit/export', 'gongkai-audit.log')),
  }, tr('导出完整审计日志', 'Export the whole log'));
  wrap.prepend(button);
  return wrap;
}

// The inspector may keep the verifier keys in this browser, so that checks do not rest on the
// keys the server hands out.
function trustedKeySection() {
  const saved = trustedKeysText();
  const area = textarea({ rows: 3, value: saved, spellcheck: 'false', class: 'mono' });
  const form = h('form', { class: 'stack' },
    field('trusted_keys', tr('本机保存的验证密钥（每行一个）', 'Verifier keys kept in this browser (one a line)'), area,
      tr('填写从可信渠道另行取得的验证密钥（形如 名称+8位密钥ID+base64）。填写后，校验只认这些密钥；留空则使用服务器提供的密钥。',
        'Keys obtained elsewhere (name+8-hex key ID+base64). When set, checks trust only these; left empty, the server’s keys are used.')),
    h('div', { class: 'row' },
      h('button', { type: 'submit', class: 'primary' }, tr('保存', 'Save')),
      h('button', { type: 'button', onclick: () => { localStorage.removeItem(TRUSTED_KEYS); notice(tr('已清除，改用服务器提供的密钥', 'Cleared; the server’s keys are used'), 'success'); navigate('/audit'); } }, tr('清除', 'Clear'))));
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    busy(form.querySelector('button[type=submit]'), form, async () => {
      const text = area.value.trim();
      if (text) {
        try { await parseVerifierKeys(text); } catch (err) {
          throw new api.ApiError(422, { detail: tr('验证密钥格式有误', 'The verifier key is malformed'), errors: [{ field: 'trusted_keys', message: failureText(err.code, err.message) }] });
        }
        localStorage.setItem(TRUSTED_KEYS, text);
      } else localStorage.removeItem(TRUSTED_KEYS);
      notice(tr('已保存', 'Saved'), 'success');
      navigate('/audit');
    });
  });
  return section(tr('信任的验证密钥', 'Trusted verifier keys'), form);
}

// ---------------------------------------------------------------------------------------------
// The compliance calendar.

const MONTHS_EN = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
function monthName(m) { return language() === 'en' ? MONTHS_EN[m - 1] : `${m}月`; }
const OUTCOMES = ['on_time', 'late', 'missing', 'upcoming'];

// The unit and year form every report screen starts with.
async function unitYearForm(path, query, { permission = 'reports.read', allUnits = false, defaultFirst = !allUnits } = {}) {
  const options = await unitOptions(permission, { blank: allUnits ? tr('全部单位', 'All units') : undefined });
  const firstUnit = options.find(([v]) => v) || [''];
  const unit = query.has('org_unit') ? query.get('org_unit') : (defaultFirst ? firstUnit[0] : '');
  const year = query.get('year') || String(currentYear());
  const form = h('form', { class: 'row report-form' },
    field('org_unit', tr('单位', 'Unit'), select(options, {}, unit)),
    field('year', tr('年度', 'Year'), select(yearOptions(year), {}, year)),
    h('div', { class: 'field' }, h('button', { type: 'submit', class: 'primary' }, tr('查看', 'Show'))));
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    const v = formValues(form);
    navigate(path, { org_unit: v.org_unit || '', year: v.year });
  });
  return { form, unit, year, options };
}

function legend() {
  return h('ul', { class: 'legend', 'aria-label': tr('图例', 'Legend') },
    OUTCOMES.map((o) => h('li', null, h('span', { class: `swatch tag-window-${o}`, 'aria-hidden': 'true' }), label('window', o))));
}

function docLink(id, text) {
  if (!id) return text;
  return h('a', { href: href(hasRoute(`/documents/${id}`) ? `/documents/${id}` : `/documents/${id}/audit`) }, text);
}

function windowCell(w, span, year) {
  const due = String(w.due).startsWith(`${year}-`) ? String(w.due).slice(5) : String(w.due);
  const parts = [h('span', { class: 'cell-outcome' }, label('window', w.outcome))];
  if (w.outcome === 'late') parts.push(h('span', { class: 'cell-note' }, tr(`迟${w.working_days_late}个工作日`, `${w.working_days_late} wd late`)));
  else if (w.outcome !== 'on_time') parts.push(h('span', { class: 'cell-note' }, tr(`限 ${due}`, `due ${due}`)));
  if (w.document_id) parts.push(h('span', { class: 'cell-note' }, docLink(w.document_id, '#' + w.document_id)));
  const describeIt = [w.label, label('window', w.outcome), tr(`期限 ${w.due}`, `due ${w.due}`),
    w.published ? tr(`公开于 ${w.published}`, `published ${w.published}`) : '', w.title || ''].filter(Boolean).join('，');
  return h('td', { class: `cal-cell tag-window-${w.outcome}`, colspan: span > 1 ? span : null, title: describeIt }, parts);
}

// One row of the year grid: periodic windows span their months; immediate disclosures sit in
// the month they were due from; standing items span the year.
function calendarRow(item, year) {
  const cells = [];
  const head = h('th', { scope: 'row', class: 'cal-item' },
    h('span', { class: 'cal-category' }, item.category), ' ', item.content,
    h('div', { class: 'muted' }, item.rhythm ? label('rhythm', item.rhythm) : label('period', item.period)));
  if (item.period === 'immediate') {
    const byMonth = new Map();
    for (const w of item.windows) {
      const m = Number(String(w.start).slice(5, 7));
      if (!byMonth.has(m)) byMonth.set(m, []);
      byMonth.get(m).push(w);
    }
    if (!item.windows.length) {
      cells.push(h('td', { colspan: 12, class: 'cal-none muted' }, tr('本年度没有即时公开事项', 'Nothing disclosed under this item this year')));
    } else {
      for (let m = 1; m <= 12; m++) {
        const ws = byMonth.get(m) || [];
        if (!ws.length) { cells.push(h('td', { class: 'cal-empty' })); continue; }
        const worst = ['missing', 'late', 'upcoming', 'on_time'].find((o) => ws.some((w) => w.outcome === o));
        const cell = windowCell(ws.find((w) => w.outcome === worst), 1, year);
        if (ws.length > 1) cell.append(h('span', { class: 'cell-note' }, tr(`共 ${ws.length} 件`, `${ws.length} in all`)));
        cells.push(cell);
      }
    }
    return h('tr', null, head, cells);
  }
  let month = 1;
  for (const w of item.windows.slice().sort((a, b) => String(a.start).localeCompare(String(b.start)))) {
    const startYear = Number(String(w.start).slice(0, 4));
    const endYear = Number(String(w.end).slice(0, 4));
    const from = startYear < year ? 1 : Number(String(w.start).slice(5, 7));
    const to = endYear > year ? 12 : Number(String(w.end).slice(5, 7));
    while (month < from) { cells.push(h('td', { class: 'cal-empty' })); month++; }
    if (to < month) continue;
    cells.push(windowCell(w, to - month + 1, year));
    month = to + 1;
  }
  while (month <= 12) { cells.push(h('td', { class: 'cal-empty' })); month++; }
  return h('tr', null, head, cells);
}

function countOutcomes(report) {
  const counts = { on_time: 0, late: 0, missing: 0, upcoming: 0 };
  for (const item of report.items) for (const w of item.windows) counts[w.outcome] = (counts[w.outcome] || 0) + 1;
  return counts;
}

function percent(rate) { return rate === null || rate === undefined ? '—' : `${Math.round(rate * 1000) / 10}%`; }

route({
  path: '/compliance', title: ['公开合规日历', 'Compliance calendar'], group: 'inspector', nav: true,
  allowed: requires('reports.read'),
  async render(main, params, query) {
    loading(main);
    const { form, unit, year } = await unitYearForm('/compliance', query);
    if (!unit) {
      clear(main, pageHead(tr('公开合规日历', 'Compliance calendar')), section(null, form, h('p', { class: 'empty' }, tr('没有可查看的单位', 'No unit to show'))));
      return;
    }
    const [report, unitName] = await Promise.all([
      api.get('/reports/compliance', { org_unit: unit, year }),
      unitNameOf(unit),
    ]);
    const counts = countOutcomes(report);
    const due = counts.on_time + counts.late + counts.missing;
    form.append(h('div', { class: 'field' }, h('button', { type: 'button', onclick: (e) => downloadCsv('/reports/compliance', { org_unit: unit, year }, `compliance-${unit}-${year}.csv`, e.currentTarget) }, tr('下载 CSV', 'Download CSV'))));

    const grid = h('div', { class: 'table-wrap calendar-wrap' }, h('table', { class: 'calendar year-grid' },
      h('caption', null, tr(`${unitName} ${year} 年公开事项完成情况（截至 ${report.as_of}）`, `${unitName}, ${year}: disclosures per catalogue item (as of ${report.as_of})`)),
      h('thead', null, h('tr', null, h('th', { scope: 'col', class: 'cal-item' }, tr('公开事项', 'Catalogue item')),
        Array.from({ length: 12 }, (_, i) => h('th', { scope: 'col' }, monthName(i + 1))))),
      h('tbody', null, report.items.map((item) => calendarRow(item, Number(year))))));

    // What needs attention: missing and late windows, worst first.
    const problems = [];
    for (const item of report.items) {
      for (const w of item.windows) if (w.outcome === 'missing' || w.outcome === 'late') problems.push({ item, w });
    }
    problems.sort((a, b) => (a.w.outcome === b.w.outcome ? String(a.w.due).localeCompare(String(b.w.due)) : a.w.outcome === 'missing' ? -1 : 1));

    clear(main,
      pageHead(tr('公开合规日历', 'Compliance calendar')),
      section(null, form),
      section(tr('概况', 'Summary'),
        h('ul', { class: 'summary-figures' },
          OUTCOMES.map((o) => h('li', { class: `tag-window-${o}` }, h('span', { class: 'figure' }, String(counts[o])), label('window', o))),
          h('li', null, h('span', { class: 'figure' }, due ? percent(counts.on_time / due) : '—'), tr('按时公开率', 'On-time rate'))),
        h('p', { class: 'muted' }, tr('按时公开率 = 按时 ÷（按时 + 逾期 + 缺失），未到期的不计。', 'On-time rate = on time ÷ (on time + late + missing); upcoming windows are not counted.'))),
      section(tr('年度日历', 'Year grid'), legend(),
        report.items.length ? grid : h('p', { class: 'empty' }, tr('该单位本年度没有公开目录条目', 'The unit has no catalogue items for this year'))),
      section(tr('需关注的事项', 'Needs attention'),
        wide(table([
          { title: tr('情况', 'Outcome'), render: (p) => h('span', { class: `tag tag-window-${p.w.outcome}` }, label('window', p.w.outcome)) },
          { title: tr('公开事项', 'Item'), render: (p) => p.item.content },
          { title: tr('期次', 'Window'), render: (p) => p.w.label },
          { title: tr('公开期限', 'Due'), render: (p) => p.w.due },
          { title: tr('实际公开', 'Published'), render: (p) => (p.w.published ? [p.w.published, ' ', tr(`（迟 ${p.w.working_days_late} 个工作日）`, `(${p.w.working_days_late} working days late)`)] : tr('未公开', 'not yet')) },
          { title: tr('文件', 'Document'), render: (p) => (p.w.document_id ? docLink(p.w.document_id, p.w.title || '#' + p.w.document_id) : '') },
        ], problems, { empty: tr('没有逾期或缺失的公开事项', 'Nothing late or missing') }))),
      section(tr('分类统计', 'By category'), summaryTable(report)));
  },
});

function summaryTable(report) {
  return wide(table([
    { title: tr('类别', 'Category'), render: (s) => `${s.name || s.category}` },
    ...[1, 2, 3, 4].map((q) => ({ title: tr(`第${'一二三四'[q - 1]}季度公开`, `Q${q} disclosed`), class: 'num', render: (s) => String(s.disclosed_by_quarter[q - 1]) })),
    { title: tr('已到期', 'Due'), class: 'num', render: (s) => String(s.windows_due) },
    { title: tr('按时', 'On time'), class: 'num', render: (s) => String(s.on_time) },
    { title: tr('按时公开率', 'On-time rate'), class: 'num', render: (s) => percent(s.on_time_rate) },
  ], report.summary || [], { empty: tr('暂无统计', 'No figures') }));
}

// ---------------------------------------------------------------------------------------------
// Charts: plain SVG built node by node.

const SVG = 'http://www.w3.org/2000/svg';
function s(tag, attrs, ...children) {
  const el = document.createElementNS(SVG, tag);
  for (const [k, v] of Object.entries(attrs || {})) if (v !== undefined && v !== null) el.setAttribute(k, String(v));
  for (const c of children.flat()) if (c !== null && c !== undefined) el.append(c instanceof Node ? c : document.createTextNode(String(c)));
  return el;
}
let chartCounter = 0;

// The axis top and tick step for counts: whole numbers, at most five ticks.
function countAxis(max) {
  if (max <= 0) return { top: 1, step: 1 };
  const raw = max / 4;
  const magnitude = 10 ** Math.floor(Math.log10(raw));
  const step = Math.max(1, [1, 2, 5, 10].map((m) => m * magnitude).find((v) => v >= raw));
  return { top: Math.ceil(max / step) * step, step };
}

// Grouped vertical bars: groups along x, one bar per series in each group.
function barChart({ title, groups, series, format = String }) {
  const id = `chart-${++chartCounter}`;
  const width = Math.min(720, Math.max(320, 60 + groups.length * Math.max(70, series.length * 22 + 20)));
  const height = 240, left = 40, right = 10, top = 16, bottom = 40;
  const axis = countAxis(Math.max(0, ...series.flatMap((x) => x.values)));
  const max = axis.top;
  const plotW = width - left - right, plotH = height - top - bottom;
  const groupW = plotW / Math.max(1, groups.length);
  const barW = Math.max(4, Math.min(28, (groupW - 10) / Math.max(1, series.length)));
  const y = (v) => top + plotH - (v / max) * plotH;
  const ticks = [];
  for (let v = 0; v <= max; v += axis.step) {
    ticks.push(s('g', { class: 'tick' },
      s('line', { x1: left, x2: width - right, y1: y(v), y2: y(v), class: 'grid-line' }),
      s('text', { x: left - 6, y: y(v) + 4, 'text-anchor': 'end' }, v)));
  }
  const bars = groups.map((g, gi) => {
    const x0 = left + gi * groupW + (groupW - barW * series.length) / 2;
    return s('g', null,
      series.map((ser, si) => {
        const v = ser.values[gi];
        return s('rect', { x: x0 + si * barW, y: y(v), width: barW - 2, height: Math.max(0, top + plotH - y(v)), class: `bar series-${si}` },
          s('title', null, `${g}，${ser.name}：${format(v)}`));
      }),
      s('text', { x: left + gi * groupW + groupW / 2, y: height - bottom + 16, 'text-anchor': 'middle', class: 'axis-label' }, g.length > 8 ? g.slice(0, 7) + '…' : g));
  });
  const svg = s('svg', { class: 'chart', width, viewBox: `0 0 ${width} ${height}`, role: 'img', 'aria-labelledby': `${id}-t` },
    s('title', { id: `${id}-t` }, title),
    ticks, s('line', { x1: left, x2: width - right, y1: top + plotH, y2: top + plotH, class: 'axis' }), bars);
  const legendList = series.length > 1 ? h('ul', { class: 'legend' }, series.map((ser, si) => h('li', null, h('span', { class: `swatch series-${si}`, 'aria-hidden': 'true' }), ser.name))) : null;
  const data = h('details', null, h('summary', null, tr('查看数据', 'Show the figures')),
    table([{ title: '', render: (r) => r.g }, ...series.map((ser, si) => ({ title: ser.name, class: 'num', render: (r) => format(ser.values[r.i]) }))],
      groups.map((g, i) => ({ g, i }))));
  return h('figure', { class: 'chart-figure' }, h('div', { class: 'chart-scroll' }, svg), legendList, data);
}

// Horizontal bars of rates (0..1); a null rate is shown as “no figure”.
function rateChart({ title, rows }) {
  const id = `chart-${++chartCounter}`;
  const width = 720, rowH = 28, left = 150, right = 60, top = 8;
  const height = top * 2 + rows.length * rowH;
  const plotW = width - left - right;
  const svg = s('svg', { class: 'chart', width, viewBox: `0 0 ${width} ${height}`, role: 'img', 'aria-labelledby': `${id}-t` },
    s('title', { id: `${id}-t` }, title),
    [0, 0.5, 1].map((v) => s('line', { x1: left + v * plotW, x2: left + v * plotW, y1: top, y2: height - top, class: 'grid-line' })),
    rows.map((r, i) => s('g', null,
      s('text', { x: left - 8, y: top + i * rowH + rowH / 2 + 4, 'text-anchor': 'end' }, r.name.length > 10 ? r.name.slice(0, 9) + '…' : r.name),
      r.rate === null || r.rate === undefined
        ? s('text', { x: left + 4, y: top + i * rowH + rowH / 2 + 4, class: 'muted-text' }, tr('无已到期事项', 'nothing due'))
        : [s('rect', { x: left, y: top + i * rowH + 5, width: Math.max(1, r.rate * plotW), height: rowH - 10, class: `bar ${r.rate >= 0.999 ? 'rate-good' : r.rate >= 0.8 ? 'rate-fair' : 'rate-poor'}` },
          s('title', null, `${r.name}：${percent(r.rate)}`)),
        s('text', { x: left + r.rate * plotW + 6, y: top + i * rowH + rowH / 2 + 4 }, percent(r.rate))])));
  const data = h('details', null, h('summary', null, tr('查看数据', 'Show the figures')),
    table([{ title: '', render: (r) => r.name }, { title: tr('比率', 'Rate'), class: 'num', render: (r) => percent(r.rate) }, ...(rows[0] && 'detail' in rows[0] ? [{ title: tr('说明', 'Detail'), render: (r) => r.detail }] : [])], rows));
  return h('figure', { class: 'chart-figure' }, h('div', { class: 'chart-scroll' }, svg), data);
}

// ---------------------------------------------------------------------------------------------
// Reports.

const STATUS_FEEDBACK = ['received', 'assigned', 'in_progress', 'answered', 'closed'];
const STATUS_REQUEST = ['received', 'acknowledged', 'decided'];

route({
  path: '/reports', title: ['统计报表', 'Reports'], group: 'inspector', nav: true,
  allowed: requires('reports.read'),
  async render(main, params, query) {
    loading(main);
    const reach = await reachableUnits('reports.read');
    const { form, unit, year } = await unitYearForm('/reports', query, { allUnits: reach === null, defaultFirst: true });
    const [compliance, feedback, unitName] = await Promise.all([
      unit ? api.get('/reports/compliance', { org_unit: unit, year }) : Promise.resolve(null),
      api.get('/reports/feedback', { year, org_unit: unit }),
      unitNameOf(unit),
    ]);
    const scopeText = unit ? unitName : tr('全部单位', 'all units');

    let disclosures;
    if (compliance) {
      const summary = compliance.summary || [];
      const groups = summary.map((x) => x.name || x.category);
      disclosures = [
        section(tr(`各类别分季度公开数量（${scopeText}，${year} 年）`, `Disclosures per category and quarter (${scopeText}, ${year})`),
          summary.length ? barChart({
            title: tr('各类别分季度公开数量', 'Disclosures per category and quarter'),
            groups,
            series: [0, 1, 2, 3].map((q) => ({ name: tr(`第${'一二三四'[q]}季度`, `Q${q + 1}`), values: summary.map((x) => x.disclosed_by_quarter[q]) })),
          }) : h('p', { class: 'empty' }, tr('该单位本年度没有公开目录条目', 'The unit has no catalogue items for this year')),
          h('div', { class: 'row' }, h('button', { type: 'button', onclick: (e) => downloadCsv('/reports/compliance', { org_unit: unit, year }, `compliance-${unit}-${year}.csv`, e.currentTarget) }, tr('下载公开情况 CSV', 'Download disclosures CSV')))),
        section(tr('各类别按时公开率', 'On-time rate per category'),
          summary.length ? rateChart({
            title: tr('各类别按时公开率', 'On-time rate per category'),
            rows: summary.map((x) => ({ name: x.name || x.category, rate: x.on_time_rate, detail: tr(`${x.on_time} / ${x.windows_due}`, `${x.on_time} of ${x.windows_due}`) })),
          }) : h('p', { class: 'empty' }, tr('暂无统计', 'No figures')),
          h('p', { class: 'muted' }, h('a', { href: href('/compliance', { org_unit: unit, year }) }, tr('查看该单位的合规日历', 'Open the unit’s compliance calendar')))),
      ];
    } else {
      disclosures = section(tr('公开情况', 'Disclosures'), h('p', { class: 'muted' }, tr('公开情况按单位统计，请选择一个单位。', 'Disclosures are counted per unit; choose a unit.')));
    }

    const f = feedback.feedback, r = feedback.requests;
    const figures = (x, kindName, kindLabel) => facts([
      [tr('总数', 'Total'), String(x.total)],
      [tr('已办结', 'Finished'), String(x.finished)],
      [tr('按时办结', 'On time'), String(x.on_time)],
      [tr('按时办结率', 'On-time rate'), x.finished ? percent(x.on_time_rate) : '—'],
      [tr('平均办理工作日', 'Average working days'), x.finished ? String(Math.round(x.average_working_days * 10) / 10) : '—'],
      [tr('逾期未办', 'Overdue'), x.overdue.length ? x.overdue.map((id, i) => [i ? '，' : '', h('a', { href: href(kindName === 'by_channel' ? `/handling/feedback/${id}` : `/handling/requests/${id}`) }, '#' + id)]) : tr('无', 'none')],
    ]);
    const kindChart = (x, kind, labelKind, title) => {
      const keys = Object.keys(x[kind] || {});
      return keys.length ? barChart({ title, groups: keys.map((k) => label(labelKind, k)), series: [{ name: tr('件数', 'Count'), values: keys.map((k) => x[kind][k]) }] }) : h('p', { class: 'empty' }, tr('暂无', 'None'));
    };
    const statusChart = (x, list, labelKind, title) => (!x.total ? h('p', { class: 'empty' }, tr('暂无', 'None')) : barChart({ title, groups: list.map((k) => label(labelKind, k)), series: [{ name: tr('件数', 'Count'), values: list.map((k) => (x.by_status || {})[k] || 0) }] }));

    clear(main,
      pageHead(tr('统计报表', 'Reports')),
      section(null, form),
      disclosures,
      section(tr(`意见建议办理情况（${scopeText}，${year} 年）`, `Feedback handling (${scopeText}, ${year})`),
        h('div', { class: 'split' },
          h('div', null, figures(f, 'by_channel')),
          h('div', null, h('h3', null, tr('按渠道', 'By channel')), kindChart(f, 'by_channel', 'feedback_channel', tr('意见按渠道', 'Feedback by channel')))),
        h('h3', null, tr('按办理状态', 'By status')), statusChart(f, STATUS_FEEDBACK, 'feedback_status', tr('意见按办理状态', 'Feedback by status'))),
      section(tr(`依申请公开办理情况（${scopeText}，${year} 年）`, `Applications (${scopeText}, ${year})`),
        h('div', { class: 'split' },
          h('div', null, figures(r, 'by_outcome')),
          h('div', null, h('h3', null, tr('按答复结果', 'By outcome')), kindChart(r, 'by_outcome', 'outcome', tr('申请按答复结果', 'Applications by outcome')))),
        h('h3', null, tr('按办理状态', 'By status')), statusChart(r, STATUS_REQUEST, 'request_status', tr('申请按办理状态', 'Applications by status')),
        h('div', { class: 'row' }, h('button', { type: 'button', onclick: (e) => downloadCsv('/reports/feedback', { year, org_unit: unit }, `feedback-${unit || 'all'}-${year}.csv`, e.currentTarget) }, tr('下载意见与申请统计 CSV', 'Download feedback and applications CSV')))));
  },
});

// ---------------------------------------------------------------------------------------------
// Feedback and applications: lists by deadline, details, handling steps.

// Overdue first, then due soon, then other open cases by deadline; finished ones last, newest first.
function byUrgency(deadlineOf, finished) {
  const rank = (x) => (finished(x) ? 3 : x.overdue ? 0 : x.due_soon ? 1 : 2);
  return (a, b) => rank(a) - rank(b) || (rank(a) < 3
    ? String(deadlineOf(a)).localeCompare(String(deadlineOf(b)))
    : String(b.received_at).localeCompare(String(a.received_at)));
}

function deadlineNode(date, x, finished, onTime) {
  if (finished) {
    return [h('span', null, date), ' ', onTime === false ? h('span', { class: 'overdue' }, tr('逾期办结', 'finished late')) : h('span', { class: 'muted' }, tr('按时办结', 'on time'))];
  }
  const left = x.working_days_left;
  if (x.overdue) return [h('span', { class: 'overdue' }, date), ' ', h('span', { class: 'overdue' }, tr('已逾期', 'overdue'))];
  const note = left !== undefined && left !== null ? tr(`剩 ${left} 个工作日`, `${left} working days left`) : x.due_soon ? tr('即将到期', 'due soon') : '';
  return [h('span', { class: x.due_soon ? 'due-soon' : null }, date), note ? [' ', h('span', { class: x.due_soon ? 'due-soon' : 'muted' }, note)] : null];
}

function excerpt(text, n = 40) { const t = String(text || '').replace(/\s+/g, ' '); return t.length > n ? t.slice(0, n) + '…' : t; }

// Every page of a handler's list (the server pages in SQL, at most 100 a page).
async function allPages(path, key, params) {
  const out = [];
  for (let page = 1; page <= 50; page++) {
    const answer = await api.get(path, { ...params, page, per_page: 100 });
    out.push(...(answer[key] || []));
    if (out.length >= answer.total || !(answer[key] || []).length) break;
  }
  return out;
}
const allFeedback = (params) => allPages('/feedback', 'feedback', params);

route({
  path: '/handling', title: ['意见与申请办理', 'Feedback and applications'], group: 'inspector', nav: true,
  allowed: requires('feedback.read', 'feedback.handle'),
  async render(main, params, query) {
    // The search page links a feedback or application hit here as ?feedback=ID / ?request=ID.
    for (const [key, path] of [['feedback', 'feedback'], ['request', 'requests']]) {
      if (/^\d+$/.test(query.get(key) || '')) { location.replace(href(`/handling/${path}/${query.get(key)}`)); return; }
    }
    loading(main);
    const tab = query.get('tab') === 'requests' ? 'requests' : 'feedback';
    const tabs = h('nav', { class: 'tabs', 'aria-label': tr('类别', 'Kind') },
      h('a', { href: href('/handling'), 'aria-current': tab === 'feedback' ? 'page' : null }, tr('意见建议', 'Feedback')),
      h('a', { href: href('/handling', { tab: 'requests' }), 'aria-current': tab === 'requests' ? 'page' : null }, tr('依申请公开', 'Applications')));
    const readOnly = !can('feedback.handle');
    const intro = h('p', { class: 'muted' }, readOnly
      ? tr('逾期的排在最前，其次是即将到期的。您的角色可以查阅办理情况，但不能办理。', 'Overdue first, then those due soon. Your role may read the cases but not handle them.')
      : tr('逾期的排在最前，其次是即将到期的。打开一件可查看经过并办理。', 'Overdue first, then those due soon. Open one to see its history and handle it.'));
    if (tab === 'feedback') {
      const status = query.get('status') || '';
      const unit = query.get('org_unit') || '';
      const overdue = query.get('overdue') === 'true';
      const unitOpts = await unitOptions(can('feedback.read') ? 'feedback.read' : 'feedback.handle', { blank: tr('全部单位', 'All units') });
      const form = h('form', { class: 'row', role: 'search' },
        field('status', tr('办理状态', 'Status'), select([['', tr('全部', 'All')], ...STATUS_FEEDBACK.map((k) => [k, label('feedback_status', k)])], {}, status)),
        field('org_unit', tr('承办单位', 'Unit'), select(unitOpts, {}, unit)),
        h('div', { class: 'field checks' }, h('label', null, h('input', { type: 'checkbox', name: 'overdue', checked: overdue }), tr('只看逾期', 'Overdue only'))),
        h('div', { class: 'field' }, h('button', { type: 'submit', class: 'primary' }, tr('筛选', 'Filter'))));
      form.addEventListener('submit', (e) => {
        e.preventDefault();
        const v = formValues(form);
        navigate('/handling', { status: v.status, org_unit: v.org_unit, overdue: v.overdue ? 'true' : '' });
      });
      const items = (await allFeedback({ status, org_unit: unit, overdue: overdue ? 'true' : undefined }))
        .sort(byUrgency((x) => x.deadline, (x) => x.status === 'answered' || x.status === 'closed'));
      const unitNames = new Map((await units()).map((u) => [u.code, u.name]));
      clear(main, pageHead(tr('意见与申请办理', 'Feedback and applications')), tabs, intro,
        section(null, form, wide(table([
          { title: tr('编号', 'No.'), render: (x) => h('a', { href: href(`/handling/feedback/${x.id}`) }, '#' + x.id) },
          { title: tr('办理期限', 'Deadline'), render: (x) => deadlineNode(x.deadline, x, x.status === 'answered' || x.status === 'closed', x.answered_on_time) },
          { title: tr('状态', 'Status'), render: (x) => tag('feedback_status', x.status) },
          { title: tr('内容', 'Content'), render: (x) => h('a', { href: href(`/handling/feedback/${x.id}`) }, excerpt(x.content)) },
          { title: tr('渠道', 'Channel'), render: (x) => label('feedback_channel', x.channel) },
          { title: tr('承办单位', 'Unit'), render: (x) => (x.org_unit ? unitNames.get(x.org_unit) || x.org_unit : h('span', { class: 'muted' }, tr('未交办', 'unassigned'))) },
          { title: tr('收到时间', 'Received'), render: (x) => when(x.received_at) },
        ], items, { empty: tr('没有符合条件的意见', 'No feedback matches') })),
        h('p', { class: 'muted' }, tr(`共 ${items.length} 件`, `${items.length} in all`))));
    } else {
      const status = query.get('status') || '';
      const form = h('form', { class: 'row', role: 'search' },
        field('status', tr('办理状态', 'Status'), select([['', tr('全部', 'All')], ...STATUS_REQUEST.map((k) => [k, label('request_status', k)])], {}, status)),
        h('div', { class: 'field' }, h('button', { type: 'submit', class: 'primary' }, tr('筛选', 'Filter'))));
      form.addEventListener('submit', (e) => { e.preventDefault(); navigate('/handling', { tab: 'requests', status: formValues(form).status }); });
      const unitNames = new Map((await units()).map((u) => [u.code, u.name]));
      const items = (await allPages('/disclosure-requests', 'requests', { status })).sort(byUrgency((x) => x.decide_by, (x) => x.status === 'decided'));
      clear(main, pageHead(tr('意见与申请办理', 'Feedback and applications')), tabs, intro,
        section(null, form, wide(table([
          { title: tr('编号', 'No.'), render: (x) => h('a', { href: href(`/handling/requests/${x.id}`) }, '#' + x.id) },
          { title: tr('答复期限', 'Decide by'), render: (x) => [deadlineNode(x.decide_by, x, x.status === 'decided', x.decided_on_time), x.extended ? h('span', { class: 'muted' }, tr('（已延期）', ' (extended)')) : null] },
          { title: tr('状态', 'Status'), render: (x) => [tag('request_status', x.status), x.outcome ? [' ', label('outcome', x.outcome)] : null] },
          { title: tr('申请内容', 'Application'), render: (x) => h('a', { href: href(`/handling/requests/${x.id}`) }, excerpt(x.content)) },
          { title: tr('申请人', 'Applicant'), render: (x) => x.applicant },
          { title: tr('承办单位', 'Unit'), render: (x) => (x.org_unit ? unitNames.get(x.org_unit) || x.org_unit : h('span', { class: 'muted' }, tr('未指定', 'not named'))) },
          { title: tr('登记期限', 'Acknowledge by'), render: (x) => (x.status === 'received' ? h('span', { class: x.acknowledge_by < today() ? 'overdue' : null }, x.acknowledge_by, x.acknowledge_by < today() ? tr('（已逾期）', ' (overdue)') : null) : h('span', { class: 'muted' }, tr('已登记', 'done'))) },
          { title: tr('收到时间', 'Received'), render: (x) => when(x.received_at) },
        ], items, { empty: tr('没有符合条件的申请', 'No application matches') })),
        h('p', { class: 'muted' }, tr(`共 ${items.length} 件`, `${items.length} in all`))));
    }
  },
});

// A record's history from its own fields, and from the audit log where the caller may read it.
async function historySection(events, objectType, id) {
  if (can('audit.read')) {
    // The audit log has every step, with who took it; the record alone has only some times.
    const items = await objectEntries(objectType, id);
    const list = timeline(items);
    return section(tr('办理经过（审计记录）', 'History (audit entries)'), items.length > 1 ? h('p', null, verifyAllButton(list)) : null, list);
  }
  const parts = [h('ol', { class: 'timeline' }, events.filter((e) => e.at).sort((a, b) => String(a.at).localeCompare(String(b.at)))
    .map((e) => h('li', null, h('strong', null, e.what), ' ', h('span', { class: 'muted' }, formatTime(e.at)), e.detail ? h('div', { class: 'history-detail' }, e.detail) : null)))];
  return section(tr('办理经过', 'History'), parts);
}

function stepCard(title, form) { return h('div', { class: 'step card-inner' }, h('h3', null, title), form); }
function notPossible(title, reason) { return h('div', { class: 'step card-inner' }, h('h3', null, title), h('p', { class: 'muted not-possible' }, reason)); }

// A step form that POSTs its values and shows the record again.
function stepForm(path, controls, buttonText, { transform, confirmText } = {}) {
  const form = h('form', { class: 'stack', novalidate: true }, controls, h('div', { class: 'row' }, h('button', { type: 'submit', class: 'primary' }, buttonText)));
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    if (confirmText && !window.confirm(confirmText)) return;
    busy(form.querySelector('button[type=submit]'), form, async () => {
      let body = formValues(form);
      if (transform) body = transform(body);
      await api.post(path, body);
      notice(tr('已办理', 'Done'), 'success');
      const [p, q] = location.hash.replace(/^#/, '').split('?');
      navigate(p, Object.fromEntries(new URLSearchParams(q || '')));
    });
  });
  return form;
}

async function categoryNameOf(code) {
  const found = (await categories()).find((c) => c.code === code);
  return found ? found.name : code;
}

async function categoryOptions(blank) {
  return [['', blank], ...(await categories()).map((c) => [c.code, `${c.name}（${c.code}）`])];
}

route({
  path: '/handling/feedback/:id', title: ['意见详情', 'Feedback'], group: 'inspector', nav: false,
  allowed: requires('feedback.read', 'feedback.handle'),
  async render(main, params) {
    loading(main);
    const x = await api.get(`/feedback/${encodeURIComponent(params.id)}`);
    const finished = x.status === 'answered' || x.status === 'closed';
    const unitName = await unitNameOf(x.org_unit);
    const events = [
      { what: tr('收到意见', 'Received'), at: x.received_at, detail: label('feedback_channel', x.channel) },
      { what: tr('答复', 'Answered'), at: x.answered_at, detail: x.answer },
      { what: tr('办结', 'Closed'), at: x.closed_at, detail: x.satisfaction ? tr('满意度：', 'Satisfaction: ') + label('satisfaction', x.satisfaction) : null },
    ];
    const head = section(null,
      h('p', null, h('a', { href: href('/handling') }, tr('← 返回意见列表', '← Back to the list'))),
      h('h2', null, tr(`意见 #${x.id}`, `Feedback #${x.id}`), ' ', tag('feedback_status', x.status)),
      facts([
        [tr('办理期限', 'Deadline'), deadlineNode(x.deadline, x, finished, x.answered_on_time)],
        [tr('延期理由', 'Extension reason'), x.extension_reason],
        [tr('渠道', 'Channel'), label('feedback_channel', x.channel)],
        [tr('收到时间', 'Received'), formatTime(x.received_at)],
        [tr('意见内容', 'Content'), h('div', { class: 'pre-line' }, x.content)],
        [tr('提出人', 'From'), x.name],
        [tr('联系方式', 'Contact'), x.contact],
        [tr('所涉文件', 'Document'), x.document_id ? docLink(x.document_id, '#' + x.document_id) : null],
        [tr('公开目录条目', 'Catalogue item'), x.catalogue_item ? '#' + x.catalogue_item : null],
        [tr('类别', 'Category'), x.category ? await categoryNameOf(x.category) : null],
        [tr('承办单位', 'Unit'), x.org_unit ? unitName : tr('未交办', 'unassigned')],
        [tr('承办人', 'Handler'), x.handler],
        [tr('答复', 'Answer'), x.answer ? h('div', { class: 'pre-line' }, x.answer) : null],
        [tr('整改措施', 'Rectification'), x.rectification ? h('div', { class: 'pre-line' }, x.rectification) : null],
        [tr('满意度', 'Satisfaction'), x.satisfaction ? label('satisfaction', x.satisfaction) : null],
      ]));
    clear(main, pageHead(tr('意见详情', 'Feedback')), head, await feedbackSteps(x), await historySection(events, 'feedback', x.id));
  },
});

async function feedbackSteps(x) {
  const title = tr('办理', 'Handling');
  if (!can('feedback.handle')) {
    return section(title, h('p', { class: 'muted not-possible' }, tr('您的角色只能查阅办理情况，不能办理（办理由承办单位的档案员或审核人进行）。', 'Your role may read the case but not handle it (the unit’s archivists and reviewers do).')));
  }
  if (x.status === 'closed') return section(title, h('p', { class: 'muted' }, tr('此件已办结，无需再办理。', 'This case is closed.')));
  const reach = await reachableUnits('feedback.handle');
  const mayHere = reach === null || (x.org_unit && reach.has(x.org_unit));
  if (!mayHere) {
    return section(title, h('p', { class: 'muted not-possible' }, x.org_unit
      ? tr(`此件由“${await unitNameOf(x.org_unit)}”承办，您的角色不能办理该单位的意见。`, `This case is with ${x.org_unit}; your roles do not cover that unit.`)
      : tr('此件尚未交办。交办须由可办理全部单位意见的账户（系统管理员）进行。', 'Not yet assigned; only an account that handles feedback for every unit may assign it.')));
  }
  const base = `/feedback/${x.id}`;
  const steps = [];
  if (['received', 'assigned', 'in_progress'].includes(x.status)) {
    const opts = await unitOptions('feedback.handle');
    steps.push(stepCard(x.status === 'received' ? tr('交办', 'Assign') : tr('改交其他承办人', 'Reassign'), stepForm(`${base}/assign`, [
      field('org_unit', tr('承办单位', 'Unit'), select(opts, { required: true }, x.org_unit || '')),
      field('handler', tr('承办人（用户名）', 'Handler (user name)'), input({ required: true, value: x.handler || session.user.username, autocomplete: 'off' })),
      field('category', tr('公开类别（可选）', 'Category (optional)'), select(await categoryOptions(tr('不变', 'unchanged')), {}, '')),
    ], tr('交办', 'Assign'))));
  }
  if (x.status === 'assigned') steps.push(stepCard(tr('开始办理', 'Start'), stepForm(`${base}/start`, [], tr('开始办理', 'Start handling'))));
  if (x.status === 'assigned' || x.status === 'in_progress') {
    steps.push(stepCard(tr('答复', 'Answer'), stepForm(`${base}/answer`, [
      field('answer', tr('答复内容', 'Answer'), textarea({ required: true, rows: 5 })),
      field('rectification', tr('整改措施（可选）', 'Rectification (optional)'), textarea({ rows: 3 })),
    ], tr('提交答复', 'Send the answer'))));
  }
  if (x.status === 'answered') {
    steps.push(stepCard(tr('办结', 'Close'), stepForm(`${base}/close`, [
      field('satisfaction', tr('提出人满意度（可选）', 'Satisfaction (optional)'), enumSelect('satisfaction', {}, '', { blank: tr('未反馈', 'not given') })),
    ], tr('办结', 'Close the case'))));
  }
  if (['received', 'assigned', 'in_progress'].includes(x.status)) {
    if (x.extended) steps.push(notPossible(tr('延长办理期限', 'Extend'), tr('办理期限只能延长一次，此件已延期。', 'The deadline can be extended only once; it already was.')));
    else if (x.overdue) steps.push(notPossible(tr('延长办理期限', 'Extend'), tr('办理期限已过，不能再延期。', 'The deadline has passed; it cannot be extended.')));
    else {
      steps.push(stepCard(tr('延长办理期限', 'Extend'), stepForm(`${base}/extend`, [
        field('reason', tr('延期理由', 'Reason'), textarea({ required: true, rows: 3 }), tr('延期只能一次，理由将告知提出人。', 'Only once; the reason is shown to the submitter.')),
      ], tr('延长期限', 'Extend the deadline'))));
    }
  }
  return section(title, h('div', { class: 'steps' }, steps));
}

route({
  path: '/handling/requests/:id', title: ['公开申请详情', 'Application'], group: 'inspector', nav: false,
  allowed: requires('feedback.read', 'feedback.handle'),
  async render(main, params) {
    loading(main);
    const x = await api.get(`/disclosure-requests/${encodeURIComponent(params.id)}`);
    const finished = x.status === 'decided';
    const events = [
      { what: tr('收到申请', 'Received'), at: x.received_at },
      { what: tr('登记受理', 'Acknowledged'), at: x.acknowledged_at },
      { what: tr('作出答复决定', 'Decided'), at: x.decided_at, detail: x.outcome ? label('outcome', x.outcome) + (x.reason ? tr('：', ': ') + x.reason : '') : null },
    ];
    const head = section(null,
      h('p', null, h('a', { href: href('/handling', { tab: 'requests' }) }, tr('← 返回申请列表', '← Back to the list'))),
      h('h2', null, tr(`公开申请 #${x.id}`, `Application #${x.id}`), ' ', tag('request_status', x.status)),
      facts([
        [tr('答复期限', 'Decide by'), deadlineNode(x.decide_by, x, finished, x.decided_on_time)],
        [tr('登记期限', 'Acknowledge by'), x.acknowledge_by],
        [tr('延期告知', 'Extension notice'), x.extension_notice],
        [tr('收到时间', 'Received'), formatTime(x.received_at)],
        [tr('承办单位', 'Unit'), x.org_unit ? await unitName(x.org_unit) : tr('未指定（由不限单位的管理员办理）', 'not named (handled by unit-free administrators)')],
        [tr('申请人', 'Applicant'), x.applicant],
        [tr('联系方式', 'Contact'), x.contact],
        [tr('申请内容', 'Content'), h('div', { class: 'pre-line' }, x.content)],
        [tr('用途', 'Purpose'), x.purpose],
        [tr('类别', 'Category'), x.category ? await categoryNameOf(x.category) : null],
        [tr('答复结果', 'Outcome'), x.outcome ? label('outcome', x.outcome) : null],
        [tr('理由', 'Reason'), x.reason],
        [tr('答复内容', 'Answer'), x.answer ? h('div', { class: 'pre-line' }, x.answer) : null],
        [tr('所公开文件', 'Documents released'), (x.document_ids || []).length ? x.document_ids.map((id, i) => [i ? '，' : '', docLink(id, '#' + id)]) : null],
        [tr('公开摘要', 'Public summary'), x.public_summary],
      ]));
    clear(main, pageHead(tr('公开申请详情', 'Application')), head, await requestSteps(x), await historySection(events, 'disclosure_request', x.id));
  },
});

async function requestSteps(x) {
  const title = tr('办理', 'Handling');
  if (!can('feedback.handle')) {
    return section(title, h('p', { class: 'muted not-possible' }, tr('您的角色只能查阅办理情况，不能办理。', 'Your role may read the application but not handle it.')));
  }
  if (x.status === 'decided') return section(title, h('p', { class: 'muted' }, tr('已作出答复决定，无需再办理。', 'Decided; nothing left to do.')));
  const base = `/disclosure-requests/${x.id}`;
  const policy = await policies();
  const reasons = (policy && policy.time_limits && policy.time_limits.refusal_reasons) || [];
  const steps = [];
  if (x.status === 'received') {
    const unitChoice = select([['', tr('本单位办理（不转交）', 'Keep it here')], ...(await units()).filter((u) => u.code !== x.org_unit).map((u) => [u.code, u.name])], {}, '');
    steps.push(stepCard(tr('登记受理', 'Acknowledge'), stepForm(`${base}/acknowledge`,
      [field('org_unit', tr('转交办理单位（可不选）', 'Hand to another unit (optional)'), unitChoice)], tr('登记受理', 'Acknowledge'),
      { transform: (body) => (body.org_unit ? body : {}) })));
  }

  const outcome = enumSelect('outcome', { required: true }, '', { blank: tr('请选择', 'Choose') });
  const docs = input({ placeholder: tr('例如 12, 15', 'e.g. 12, 15'), inputmode: 'numeric' });
  const docsField = field('document_ids', tr('所公开文件的编号', 'Documents released (IDs)'), docs,
    tr('予以公开或部分公开时必填；只能是已公开的党外公开文件，多个用逗号分隔。', 'Required to disclose; only published public documents, separated by commas.'));
  const toggle = () => {
    const releases = outcome.value === 'disclosed' || outcome.value === 'partly_disclosed';
    docsField.hidden = !releases;
    docs.disabled = !releases;
  };
  outcome.addEventListener('change', toggle);
  toggle();
  steps.push(stepCard(tr('作出答复决定', 'Decide'), stepForm(`${base}/decision`, [
    field('outcome', tr('答复结果', 'Outcome'), outcome),
    field('reason', tr('理由', 'Reason'), reasons.length ? select([['', tr('（不予公开、部分公开时必选）', '(required to withhold)')], ...reasons.map((r) => [r, r])], {}, '') : input({}),
      tr('不予公开或部分公开须从政策所列理由中选择。', 'Withholding needs one of the policy’s reasons.')),
    field('answer', tr('答复内容', 'Answer'), textarea({ rows: 5 })),
    docsField,
    field('category', tr('公开类别（可选）', 'Category (optional)'), select(await categoryOptions(tr('不变', 'unchanged')), {}, '')),
    field('public_summary', tr('公开摘要（可选）', 'Public summary (optional)'), textarea({ rows: 2 }), tr('答复公示只显示这段摘要（不填则不显示申请内容），不要写申请人的信息。', 'The public log shows only this summary (none: no text at all); leave out anything about the applicant.')),
  ], tr('提交决定', 'Record the decision'), {
    confirmText: tr('答复决定提交后不能修改，确定提交吗？', 'A decision cannot be changed afterwards. Record it?'),
    transform: (body) => {
      if (body.document_ids !== undefined) {
        body.document_ids = String(body.document_ids).split(/[\s,，、;；]+/).filter(Boolean).map((t) => (/^\d+$/.test(t) ? Number(t) : t));
      }
      return body;
    },
  })));
  if (x.extended) steps.push(notPossible(tr('延长答复期限', 'Extend'), tr('答复期限只能延长一次，此件已延期。', 'The deadline can be extended only once; it already was.')));
  else if (x.overdue) steps.push(notPossible(tr('延长答复期限', 'Extend'), tr('答复期限已过，不能再延期。', 'The deadline has passed; it cannot be extended.')));
  else {
    steps.push(stepCard(tr('延长答复期限', 'Extend'), stepForm(`${base}/extend`, [
      field('notice', tr('告知申请人的延期理由', 'Notice to the applicant'), textarea({ required: true, rows: 3 }), tr('延期只能一次。', 'Only once.')),
    ], tr('延长期限', 'Extend the deadline'))));
  }
  return section(title, h('div', { class: 'steps' }, steps));
}
