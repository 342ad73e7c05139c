// Measures the web workbench in Debian's Chromium against the real server with the demo data:
//  - the board's first screen: from navigation start until the page's load event and the board,
//    data included, rendered (the later of the two), on a cold cache;
//  - what the first visit transfers (page, assets and API answers, as sent: compressed);
//  - a search: from the moment the API's answer arrived until its hits were rendered.
// Medians over --runs (default 15). Not a test: run it by hand and quote the figures.
//
//   node tests/bench/web_bench.mjs [--server build/server/gongkai-server] [--runs 15]
import { spawn } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const { chromium } = createRequire(path.join(root, 'web/package.json'))('playwright-core');
const argv = process.argv.slice(2);
const option = (name, fallback) => { const i = argv.indexOf('--' + name); return i >= 0 ? argv[i + 1] : fallback; };
const serverBinary = path.resolve(option('server', path.join(root, 'build/server/gongkai-server')));
const runs = Number(option('runs', 15));

const median = (xs) => { const s = [...xs].sort((a, b) => a - b); const m = s.length >> 1; return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2; };
const fmt = (xs, unit) => `median ${median(xs).toFixed(1)} ${unit} (min ${Math.min(...xs).toFixed(1)}, max ${Math.max(...xs).toFixed(1)}, n=${xs.length})`;

const dataDir = await mkdtemp(path.join(os.tmpdir(), 'gongkai-web-bench-'));
const server = spawn(serverBinary, ['--data-dir', dataDir, '--port', '0', '--demo'], { stdio: 'ignore' });
const portFile = path.join(dataDir, 'server.port');
for (let i = 0; i < 600 && !existsSync(portFile); i++) await new Promise((r) => setTimeout(r, 100));
const baseUrl = `http://127.0.0.1:${(await readFile(portFile, 'utf8')).trim()}`;

const browser = await chromium.launch({ executablePath: process.env.CHROMIUM || '/usr/bin/chromium', args: ['--no-sandbox', '--disable-gpu'] });
const firstScreen = [], transferred = [], searchRender = [], searchApi = [];
try {
  for (let run = 0; run < runs; run++) {
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } }); // cold cache
    const page = await context.newPage();
    await page.goto(baseUrl + '/#/board', { waitUntil: 'load' });
    await page.locator('.board-item').first().waitFor();
    const first = await page.evaluate(() => {
      const nav = performance.getEntriesByType('navigation')[0];
      const rendered = performance.getEntriesByName('gongkai:rendered')[0];
      const bytes = [nav, ...performance.getEntriesByType('resource')].reduce((sum, e) => sum + (e.transferSize || 0), 0);
      return { ms: Math.max(nav.loadEventEnd, rendered.startTime), bytes };
    });
    firstScreen.push(first.ms);
    transferred.push(first.bytes / 1024);

    await page.evaluate(() => performance.clearMarks());
    await page.evaluate(() => { location.hash = '#/search?q=' + encodeURIComponent('党务公开'); });
    await page.locator('.hit').first().waitFor();
    await page.waitForFunction(() => performance.getEntriesByName('gongkai:rendered').length > 0);
    const search = await page.evaluate(() => {
      const answer = performance.getEntriesByType('resource').filter((e) => e.name.includes('/api/v1/search')).pop();
      const rendered = performance.getEntriesByName('gongkai:rendered')[0];
      return { render: rendered.startTime - answer.responseEnd, api: answer.responseEnd - answer.startTime };
    });
    searchRender.push(search.render);
    searchApi.push(search.api);
    await context.close();
  }
} finally {
  await browser.close();
  server.kill('SIGTERM');
  await rm(dataDir, { recursive: true, force: true });
}
console.log(`board first screen (load + data rendered), cold cache: ${fmt(firstScreen, 'ms')}   aim <= 300 ms`);
console.log(`first visit transferred: ${fmt(transferred, 'KB')}   aim <= 300 KB`);
console.log(`search rendered after the API answered: ${fmt(searchRender, 'ms')}   aim <= 100 ms`);
console.log(`(search API itself, request to answer: ${fmt(searchApi, 'ms')})`);
