// Chinese first, English on request. Each text is written where it is used, in both
// languages: tr('文件', 'Files'). Switching the language renders the current screen again.

const LANG_KEY = 'gongkai.lang';
let lang = localStorage.getItem(LANG_KEY) === 'en' ? 'en' : 'zh';

export function language() { return lang; }
export function setLanguage(value) {
  lang = value === 'en' ? 'en' : 'zh';
  localStorage.setItem(LANG_KEY, lang);
  document.documentElement.lang = lang === 'en' ? 'en' : 'zh-CN';
}
export function tr(zh, en) { return lang === 'en' && en ? en : zh; }

// Labels of the API's enumerations.
const LABELS = {
  scope: { public: ['党外公开', 'Public'], internal: ['党内公开', 'Party-internal'], restricted: ['不宜公开', 'Restricted'] },
  mode: { statutory: ['依规公开', 'Statutory'], proactive: ['主动公开', 'Proactive'], on_request: ['依申请公开', 'On request'] },
  // The seed's own words: 长期公开, 定期公开, 逐段公开, 及时公开.
  period: { standing: ['长期公开', 'Standing'], periodic: ['定期公开', 'Periodic'], staged: ['逐段公开', 'Staged'], immediate: ['及时公开', 'Immediate'] },
  status: {
    draft: ['草稿', 'Draft'], submitted: ['待审核', 'Submitted'], approved: ['已审核', 'Approved'],
    published: ['已公开', 'Published'], withdrawn: ['已撤回', 'Withdrawn'], archived: ['已归档', 'Archived'],
    disposed: ['已销毁', 'Disposed'],
  },
  disposition: { proposed: ['待审批', 'Proposed'], approved: ['已批准销毁', 'Approved'], rejected: ['已驳回', 'Rejected'] },
  channel: {
    website: ['门户网站', 'Website'], intranet: ['内网', 'Intranet'], meeting: ['会议', 'Meeting'],
    printed_notice: ['书面通知', 'Printed notice'], bulletin_board: ['公开栏', 'Bulletin board'],
  },
  feedback_channel: {
    hotline: ['热线电话', 'Hotline'], suggestion_box: ['意见箱', 'Suggestion box'], letter: ['来信', 'Letter'],
    reception_day: ['接待日', 'Reception day'], meeting: ['座谈会', 'Meeting'], online: ['网上', 'Online'],
  },
  feedback_status: {
    received: ['已受理', 'Received'], assigned: ['已交办', 'Assigned'], in_progress: ['办理中', 'In progress'],
    answered: ['已答复', 'Answered'], closed: ['已办结', 'Closed'],
  },
  request_status: {
    received: ['已收到', 'Received'], acknowledged: ['已登记', 'Acknowledged'], extended: ['已延期', 'Extended'],
    decided: ['已答复', 'Decided'],
  },
  outcome: {
    disclosed: ['予以公开', 'Disclosed'], partly_disclosed: ['部分公开', 'Partly disclosed'],
    not_disclosed: ['不予公开', 'Not disclosed'], does_not_exist: ['信息不存在', 'Does not exist'],
    not_held: ['非本机关掌握', 'Not held'], repeat: ['重复申请', 'Repeat'],
  },
  retention: { Y: ['永久', 'Permanent'], D30: ['30年', '30 years'], D10: ['10年', '10 years'] },
  rhythm: { monthly: ['每月', 'Monthly'], quarterly: ['每季度', 'Quarterly'], half_yearly: ['每半年', 'Half-yearly'], yearly: ['每年', 'Yearly'] },
  job_state: { queued: ['排队中', 'Queued'], running: ['进行中', 'Running'], done: ['已完成', 'Done'], failed: ['失败', 'Failed'], cancelled: ['已取消', 'Cancelled'] },
  window: { on_time: ['按时', 'On time'], late: ['逾期', 'Late'], missing: ['缺失', 'Missing'], upcoming: ['未到期', 'Upcoming'] },
  role: {
    admin: ['系统管理员', 'Administrator'], archivist: ['档案员', 'Archivist'], reviewer: ['审核人', 'Reviewer'],
    inspector: ['纪检监督员', 'Inspector'], committee: ['上级党委', 'Committee'], member: ['党员', 'Member'], public: ['公众', 'Public'],
  },
  satisfaction: { satisfied: ['满意', 'Satisfied'], basically_satisfied: ['基本满意', 'Basically satisfied'], dissatisfied: ['不满意', 'Dissatisfied'] },
};

// label('scope', 'public') → 党外公开; an unknown value shows as itself.
export function label(kind, value) {
  const entry = LABELS[kind] && LABELS[kind][value];
  if (!entry) return value ?? '';
  return lang === 'en' ? entry[1] : entry[0];
}
export function labelOptions(kind) {
  return Object.keys(LABELS[kind] || {}).map((value) => [value, label(kind, value)]);
}

// Times are RFC 3339 UTC from the API; people read them in China time (UTC+8, no daylight
// saving since 1991). Done by arithmetic: Intl's time-zone data costs ~80 ms on first use,
// a third of the board's first-screen budget.
const CHINA_OFFSET_MS = 8 * 3600 * 1000;
function chinaIso(value) {
  const d = new Date(value);
  if (Number.isNaN(d.getTime())) return null;
  return new Date(d.getTime() + CHINA_OFFSET_MS).toISOString(); // "YYYY-MM-DDTHH:MM:SS.sssZ", China wall time
}
export function formatTime(value) {
  if (!value) return '';
  const iso = chinaIso(value);
  return iso ? `${iso.slice(0, 10)} ${iso.slice(11, 16)}` : String(value);
}
export function formatDate(value) {
  if (!value) return '';
  if (/^\d{4}-\d{2}-\d{2}$/.test(value)) return value;
  const iso = chinaIso(value);
  return iso ? iso.slice(0, 10) : String(value);
}
export function formatBytes(n) {
  if (n === undefined || n === null) return '';
  if (n < 1024) return n + ' B';
  if (n < 1024 * 1024) return (n / 1024).toFixed(1) + ' KB';
  if (n < 1024 ** 3) return (n / 1024 / 1024).toFixed(1) + ' MB';
  return (n / 1024 ** 3).toFixed(2) + ' GB';
}
