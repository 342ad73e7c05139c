// End-to-end tests of the web workbench: the real gongkai-server with the demo data, driven in
// Debian's Chromium by playwright-core (nothing downloads a browser). One walk per role through
// its main task (tests/web/walks/*.mjs), then checks that apply to every walk: no console error,
// no request to another origin, the navigation shows only what the role may use and the API
// refuses one screen it may not. Screenshots of each walk's last screen go to --out.
//
//   node tests/web/run.mjs --server build/server/gongkai-server --out build/web-test [--only NAME]
import { spawn } from 'node:child_process';
import { mkdtemp, mkdir, readFile, rm } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import assert from 'node:assert/strict';

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(here, '../..');
const requireFromWeb = createRequire(path.join(root, 'web/package.json'));
const { chromium } = requireFromWeb('playwright-core');

const args = Object.fromEntries(process.argv.slice(2).reduce((pairs, a, i, all) => {
  if (a.startsWith('--')) pairs.push([a.slice(2), all[i + 1] && !all[i + 1].startsWith('--') ? all[i + 1] : 'true']);
  return pairs;
}, []));
const serverBinary = path.resolve(args.server || path.join(root, 'build/server/gongkai-server'));
const outDir = path.resolve(args.out || path.join(root, 'build/web-test'));
const browserPath = process.env.CHROMIUM || '/usr/bin/chromium';
const PASSWORD = 'Gongkai-web-test-2026!';

// The accounts every walk may use; archivist and reviewer hold the demo's health centre.
const USERS = {
  archivist: { username: 'dangan', display_name: '档案员小王', roles: [{ role: 'archivist', unit: 'xiaode-wsy' }] },
  reviewer: { username: 'shenhe', display_name: '审核人老李', roles: [{ role: 'reviewer', unit: 'xiaode-wsy' }] },
  inspector: { username: 'jiancha', display_name: '纪检监督员', roles: [{ role: 'inspector' }] },
  committee: { username: 'shangji', display_name: '上级党委办公室', roles: [{ role: 'committee' }] },
  member: { username: 'dangyuan', display_name: '党员', roles: [{ role: 'member' }] },
};

// What each role must not see in its navigation, and one API call it must be refused
// (403 for a signed-in role, 401 for the public).
const ACCESS = {
  public: { hidden: ['/desk', '/review', '/audit', '/archives', '/admin/users', '/handling'], refused: ['GET', '/api/v1/audit'] },
  archivist: { hidden: ['/review', '/audit', '/archives', '/admin/users', '/admin/units'], refused: ['POST', '/api/v1/org-units', { code: 'x-unit', name: '不应建成', parent: 'lyg-fybjy' }] },
  reviewer: { hidden: ['/desk/new', '/audit', '/archives', '/admin/users'], refused: ['GET', '/api/v1/users'] },
  inspector: { hidden: ['/desk', '/desk/new', '/review', '/admin/users', '/admin/units'], refused: ['POST', '/api/v1/documents', { title: '不应建成' }] },
  committee: { hidden: ['/desk', '/desk/new', '/review', '/admin/users', '/admin/units'], refused: ['GET', '/api/v1/users'] },
  admin: { hidden: [], refused: null },
};

const ORDER = ['public', 'archivist', 'reviewer', 'inspector', 'committee', 'admin'];

// The server under test, stopped should main() fail before it stops it itself.
let running = null;

function freeServer() {
  return new Promise(async (resolve, reject) => {
    const dataDir = await mkdtemp(path.join(os.tmpdir(), 'gongkai-web-'));
    const child = spawn(serverBinary, ['--data-dir', dataDir, '--port', '0', '--demo'], { stdio: ['ignore', 'pipe', 'pipe'] });
    let log = '';
    child.stdout.on('data', (d) => { log += d; });
    child.stderr.on('data', (d) => { log += d; });
    child.on('exit', (code) => reject(new Error(`server exited (${code}):\n${log}`)));
    const deadline = Date.now() + 60000;
    while (Date.now() < deadline) {
      const portFile = path.join(dataDir, 'server.port');
      const password = /password\): (\S+)/.exec(log);
      if (existsSync(portFile) && password) {
        const port = Number((await readFile(portFile, 'utf8')).trim());
        if (port > 0) {
          resolve({ child, dataDir, baseUrl: `http://127.0.0.1:${port}`, adminPassword: password[1], log: () => log });
          return;
        }
      }
      await new Promise((r) => setTimeout(r, 100));
    }
    child.kill('SIGKILL');
    reject(new Error('server did not start:\n' + log));
  });
}

async function main() {
  if (!existsSync(serverBinary)) throw new Error('no server binary at ' + serverBinary);
  if (!existsSync(browserPath)) throw new Error('no Chromium at ' + browserPath + ' (apt-get install chromium)');
  await mkdir(outDir, { recursive: true });
  const server = await freeServer();
  running = server;
  const { baseUrl } = server;
  const tokens = {};
  const users = { admin: { username: 'admin', password: server.adminPassword } };

  async function apiAs(role, method, apiPath, body) {
    const headers = {};
    if (role && role !== 'public') {
      if (!tokens[role]) {
        const login = await fetch(baseUrl + '/api/v1/auth/login', {
          method: 'POST', headers: { 'Content-Type': 'application/json' },
          body: JSON.stringify({ username: users[role].username, password: users[role].password }),
        });
        assert.equal(login.status, 200, `login of ${role}`);
        tokens[role] = (await login.json()).token;
      }
      headers.Authorization = 'Bearer ' + tokens[role];
    }
    if (body !== undefined) headers['Content-Type'] = 'application/json';
    const response = await fetch(baseUrl + apiPath, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
    const text = await response.text();
    let json = null;
    try { json = JSON.parse(text); } catch { /* not JSON */ }
    return { status: response.status, json, text, headers: response.headers };
  }

  for (const [role, spec] of Object.entries(USERS)) {
    const made = await apiAs('admin', 'POST', '/api/v1/users', { ...spec, password: PASSWORD });
    assert.equal(made.status, 201, `account ${role}: ${made.text}`);
    users[role] = { username: spec.username, password: PASSWORD, unit: spec.roles[0].unit };
  }

  const browser = await chromium.launch({ executablePath: browserPath, args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage'] });
  const shared = {};
  const results = [];
  const only = args.only ? new Set(args.only.split(',')) : null;
  const walks = [];
  for (const name of ORDER) {
    const file = path.join(here, 'walks', name + '.mjs');
    if (existsSync(file)) walks.push({ name, module: await import(pathToFileURL(file).href) });
  }
  for (const extra of ['keyboard', 'phone', 'forms', 'retention', 'holds']) {
    const file = path.join(here, 'walks', extra + '.mjs');
    if (existsSync(file)) walks.push({ name: extra, module: await import(pathToFileURL(file).href) });
  }

  for (const { name, module } of walks) {
    if (only && !only.has(name)) continue;
    const role = module.role || 'public';
    const context = await browser.newContext({
      viewport: module.viewport || { width: 1280, height: 900 }, locale: 'zh-CN', timezoneId: 'Asia/Shanghai',
      acceptDownloads: true, isMobile: !!module.isMobile, hasTouch: !!module.isMobile,
    });
    const page = await context.newPage();
    page.setDefaultTimeout(15000);
    const problems = [];
    page.on('console', (message) => {
      if (message.type() !== 'error') return;
      const where = message.location()?.url || '';
      // A refused API call (a form's 422, a 403 the walk provokes) is the browser's note on an
      // answer the page handles; anything else that logs an error is a fault.
      if (/Failed to load resource: the server responded with a status of 4\d\d/.test(message.text()) && where.startsWith(baseUrl + '/api/')) return;
      problems.push(`console error: ${message.text()} (${where})`);
    });
    page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
    page.on('request', (request) => {
      const url = request.url();
      if (!url.startsWith(baseUrl + '/') && !url.startsWith('blob:') && !url.startsWith('data:')) {
        problems.push(`request to another origin: ${url}`);
      }
    });
    const started = Date.now();
    let failure = null;
    try {
      await page.goto(baseUrl + '/#/board');
      await page.getByRole('heading', { name: '党务公开栏' }).waitFor();
      if (role !== 'public') await signIn(page, users[role]);
      await module.default({
        page, baseUrl, users, shared, apiAs, files: path.join(here, 'files'),
        screenshot: (label) => page.screenshot({ path: path.join(outDir, `${name}-${label}.png`), fullPage: true }),
      });
      await page.screenshot({ path: path.join(outDir, `${name}.png`), fullPage: true });
      if (name === role) await checkAccess(page, role, ACCESS[role]);
      assert.deepEqual(problems, [], 'the page logged errors or left its origin');
    } catch (error) {
      failure = error;
      await page.screenshot({ path: path.join(outDir, `${name}-failed.png`), fullPage: true }).catch(() => {});
    }
    await context.close();
    results.push({ name, ok: !failure, ms: Date.now() - started, failure });
    console.log(`${failure ? 'FAIL' : 'ok  '} ${name} (${Date.now() - started} ms)${failure ? '\n' + indent(failure.stack || String(failure)) : ''}`);
  }

  await browser.close();
  server.child.removeAllListeners('exit');
  server.child.kill('SIGTERM');
  running = null;
  const failed = results.filter((r) => !r.ok).length;
  if (failed) console.log('server log (tail):\n' + server.log().split('\n').slice(-30).join('\n'));
  else await rm(server.dataDir, { recursive: true, force: true });
  console.log(`screenshots in ${outDir}`);
  console.log(`${results.length - failed} passed, ${failed} failed`);
  process.exit(failed || !results.length ? 1 : 0);
}

// Signs in through the form, as a person would.
async function signIn(page, user) {
  await page.getByRole('link', { name: '登录' }).click();
  await page.getByLabel('用户名').fill(user.username);
  await page.getByLabel('密码').fill(user.password);
  await page.getByRole('button', { name: '登录' }).click();
  await page.getByRole('button', { name: '退出' }).waitFor();
}

async function checkAccess(page, role, spec) {
  await page.goto(page.url().split('#')[0] + '#/board');
  await page.getByRole('heading', { name: '党务公开栏' }).waitFor();
  const shown = await page.locator('nav#nav a[data-route]').evaluateAll((links) => links.map((a) => a.dataset.route));
  for (const hidden of spec.hidden) assert.ok(!shown.includes(hidden), `${role} sees ${hidden} in its navigation (${shown.join(' ')})`);
  if (spec.hidden.length) {
    // Opening it by address shows a refusal, not the screen.
    await page.goto(page.url().split('#')[0] + '#' + spec.hidden[0]);
    await page.getByText(role === 'public' ? '请先登录' : '无权使用此页面').waitFor();
  }
  if (spec.refused) {
    const [method, apiPath, body] = spec.refused;
    const status = await page.evaluate(async ([m, p, b]) => {
      const token = localStorage.getItem('gongkai.token');
      const headers = { 'Content-Type': 'application/json' };
      if (token) headers.Authorization = 'Bearer ' + token;
      return (await fetch(p, { method: m, headers, body: b ? JSON.stringify(b) : undefined })).status;
    }, [method, apiPath, body]);
    assert.equal(status, role === 'public' ? 401 : 403, `${role}: ${method} ${apiPath}`);
  }
}

function indent(text) { return text.split('\n').map((l) => '     ' + l).join('\n'); }

main().catch((error) => {
  console.error(error);
  if (running) { running.child.removeAllListeners('exit'); running.child.kill('SIGTERM'); }
  console.log('0 passed, 1 failed');
  process.exit(1);
});
