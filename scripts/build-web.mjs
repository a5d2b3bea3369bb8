#!/usr/bin/env node
// Builds the web UI (web/ -> web/dist) with Vite's JS API when web/dist is missing or older
// than its sources, then prints the gzip size of what the browser downloads first:
// index.html, the entry script with the chunks it imports statically, and their CSS.
// `npm start` runs this before the server; `--force` rebuilds anyway.
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const web = join(root, 'web');
const dist = join(web, 'dist');
const force = process.argv.includes('--force');

function newestMtime(path) {
  const st = statSync(path);
  if (!st.isDirectory()) return st.mtimeMs;
  let newest = st.mtimeMs;
  for (const name of readdirSync(path)) newest = Math.max(newest, newestMtime(join(path, name)));
  return newest;
}

function isStale() {
  const built = join(dist, 'index.html');
  if (!existsSync(built) || !existsSync(join(dist, '.vite', 'manifest.json'))) return true;
  const sources = [
    join(web, 'src'),
    join(web, 'index.html'),
    join(web, 'vite.config.ts'),
    join(root, 'package-lock.json'),
  ];
  const newestSource = Math.max(...sources.filter(existsSync).map(newestMtime));
  return newestSource > statSync(built).mtimeMs;
}

function firstDownload() {
  const manifest = JSON.parse(readFileSync(join(dist, '.vite', 'manifest.json'), 'utf8'));
  const entry = Object.entries(manifest).find(([, v]) => v.isEntry);
  if (!entry) throw new Error('no entry in the Vite manifest');
  const files = new Set(['index.html']);
  const visit = (key) => {
    const chunk = manifest[key];
    if (!chunk || files.has(chunk.file)) return;
    files.add(chunk.file);
    for (const css of chunk.css ?? []) files.add(css);
    for (const imp of chunk.imports ?? []) visit(imp);
  };
  visit(entry[0]);
  let raw = 0;
  let gz = 0;
  const rows = [];
  for (const f of files) {
    const buf = readFileSync(join(dist, f));
    const g = gzipSync(buf, { level: 9 }).length;
    raw += buf.length;
    gz += g;
    rows.push(
      `  ${f.padEnd(44)} ${(buf.length / 1024).toFixed(1).padStart(8)} kB  ${(g / 1024).toFixed(1).padStart(7)} kB gzip`,
    );
  }
  return { rows, raw, gz };
}

if (force || isStale()) {
  const started = Date.now();
  // Always the production build (React's production bundle), whatever NODE_ENV the caller
  // runs with (vitest sets "test").
  process.env.NODE_ENV = 'production';
  let build;
  try {
    ({ build } = await import('vite'));
  } catch (e) {
    console.error(
      `web: cannot build web/dist: Vite is not installed (${e instanceof Error ? e.message : e}).\n` +
        'Run `npm install` (with dev dependencies), or ship a built web/dist.',
    );
    process.exit(1);
  }
  await build({ configFile: join(web, 'vite.config.ts'), mode: 'production', logLevel: 'warn' });
  console.log(`web: built ${relative(root, dist)} in ${((Date.now() - started) / 1000).toFixed(1)} s`);
} else {
  console.log(`web: ${relative(root, dist)} is up to date`);
}
const { rows, raw, gz } = firstDownload();
console.log('web: first download (index.html + entry JS + its static imports + CSS):');
for (const r of rows) console.log(r);
console.log(`web: first download total ${(raw / 1024).toFixed(1)} kB, ${(gz / 1024).toFixed(1)} kB gzip`);
