// Builds the workbench into dist/: one script and one style sheet, minified, named by the
// hash of their content (so the server may let browsers cache them for a year), and
// index.html pointing at them. Run by deploy/build.sh after `npm ci`.
import * as esbuild from 'esbuild';
import { readFile, writeFile, rm, mkdir } from 'node:fs/promises';
import { gzipSync } from 'node:zlib';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const dist = path.join(here, 'dist');

await rm(dist, { recursive: true, force: true });
await mkdir(path.join(dist, 'assets'), { recursive: true });

const result = await esbuild.build({
  entryPoints: { app: path.join(here, 'src/main.js'), style: path.join(here, 'src/style.css') },
  bundle: true,
  minify: !process.env.GONGKAI_WEB_UNMINIFIED,
  format: 'esm',
  target: ['chrome110', 'firefox110', 'safari16'],
  outdir: path.join(dist, 'assets'),
  entryNames: '[name]-[hash]',
  // The role screens are imported on demand (main.js) and become chunks of their own.
  splitting: true,
  chunkNames: 'chunk-[hash]',
  metafile: true,
  legalComments: 'none',
  charset: 'utf8', // Chinese text as UTF-8 (3 bytes a character), not \u escapes (6)
  logLevel: 'warning',
});

const outputs = Object.keys(result.metafile.outputs).map((file) => path.basename(file));
const script = outputs.find((f) => f.startsWith('app-') && f.endsWith('.js'));
const style = outputs.find((f) => f.startsWith('style-') && f.endsWith('.css'));
if (!script || !style) throw new Error('esbuild gave no app script or style sheet: ' + outputs.join(', '));

// Precompressed copies, which the server sends to browsers that accept gzip.
for (const name of outputs) {
  const file = path.join(dist, 'assets', name);
  await writeFile(file + '.gz', gzipSync(await readFile(file), { level: 9 }));
}

// The chunks the entry imports at once are announced in the page, so the browser fetches them
// beside the entry instead of after it.
const entryOutput = Object.entries(result.metafile.outputs).find(([file]) => path.basename(file) === script)[1];
const preloads = entryOutput.imports.filter((i) => i.kind === 'import-statement')
  .map((i) => `<link rel="modulepreload" href="/assets/${path.basename(i.path)}">`).join('\n');

const template = await readFile(path.join(here, 'index.html'), 'utf8');
const page = template
  .replace('<!-- style -->', `<link rel="stylesheet" href="/assets/${style}">`)
  .replace('<!-- script -->', `<script type="module" src="/assets/${script}"></script>` + (preloads ? '\n' + preloads : ''));
await writeFile(path.join(dist, 'index.html'), page);
console.log(`web: dist/assets/${script}, dist/assets/${style}`);
