#!/usr/bin/env node
// Builds the management console (admin/ → admin/dist) with Vite and prints its sizes.
//   node scripts/build-admin.mjs            build, then report
//   node scripts/build-admin.mjs --if-stale build only when a source is newer than the build
//   node scripts/build-admin.mjs --report   report the existing build only
// Prints "initial JS: N kB gzipped" (what index.html loads before any screen) and the largest chunks.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { brotliCompressSync, constants as zlib, gzipSync } from 'node:zlib';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const admin = path.join(root, 'admin');
const dist = path.join(admin, 'dist');
const args = new Set(process.argv.slice(2));
const BUDGET_KB = 500;

function newestMtime(p) {
  const st = fs.statSync(p);
  if (!st.isDirectory()) return st.mtimeMs;
  let newest = st.mtimeMs;
  for (const e of fs.readdirSync(p)) if (e !== 'dist' && e !== 'node_modules') newest = Math.max(newest, newestMtime(path.join(p, e)));
  return newest;
}

function isStale() {
  const built = path.join(dist, 'index.html');
  if (!fs.existsSync(built)) return true;
  const inputs = [admin, path.join(root, 'package-lock.json')].filter((p) => fs.existsSync(p));
  return Math.max(...inputs.map(newestMtime)) > fs.statSync(built).mtimeMs;
}

const kb = (n) => (n / 1024).toFixed(1);

export function report() {
  const html = fs.readFileSync(path.join(dist, 'index.html'), 'utf8');
  const initial = [...html.matchAll(/(?:src|href)="\/admin\/(assets\/[^"]+\.js)"/g)].map((m) => m[1]);
  const assets = fs.readdirSync(path.join(dist, 'assets'));
  const size = (f) => {
    const buf = fs.readFileSync(path.join(dist, f));
    return { raw: buf.length, gz: gzipSync(buf, { level: 9 }).length };
  };
  const js = assets.filter((f) => f.endsWith('.js')).map((f) => ({ file: `assets/${f}`, ...size(`assets/${f}`) }));
  const css = assets.filter((f) => f.endsWith('.css')).map((f) => ({ file: `assets/${f}`, ...size(`assets/${f}`) }));
  const initialGz = js.filter((c) => initial.includes(c.file)).reduce((s, c) => s + c.gz, 0);
  const totalGz = js.reduce((s, c) => s + c.gz, 0);
  console.log(`console build: ${js.length} JS chunks, ${kb(totalGz)} kB gzipped in all${css.length ? `, CSS ${kb(css.reduce((s, c) => s + c.gz, 0))} kB gzipped` : ''}`);
  console.log(`initial JS: ${kb(initialGz)} kB gzipped (${initial.length} files; budget ${BUDGET_KB} kB)`);
  for (const c of [...js].sort((a, b) => b.gz - a.gz).slice(0, 8)) console.log(`  ${c.file.padEnd(48)} ${kb(c.raw).padStart(8)} kB  ${kb(c.gz).padStart(7)} kB gz${initial.includes(c.file) ? '  (initial)' : ''}`);
  return { initialGz, totalGz };
}

/** .br and .gz beside every asset, served as they are by @fastify/static's `preCompressed`. */
function precompress() {
  const dir = path.join(dist, 'assets');
  for (const f of fs.readdirSync(dir).filter((n) => /\.(js|css|svg)$/.test(n))) {
    const buf = fs.readFileSync(path.join(dir, f));
    fs.writeFileSync(path.join(dir, `${f}.gz`), gzipSync(buf, { level: 9 }));
    fs.writeFileSync(path.join(dir, `${f}.br`), brotliCompressSync(buf, { params: { [zlib.BROTLI_PARAM_QUALITY]: 11 } }));
  }
}

async function main() {
  if (args.has('--report')) return void report();
  if (args.has('--if-stale') && !isStale()) {
    console.log('console build is up to date (admin/dist)');
    return;
  }
  // A build for browsers is a production build, whatever the caller's NODE_ENV (vitest sets "test").
  process.env.NODE_ENV = 'production';
  let vite;
  try {
    vite = await import('vite');
  } catch {
    // Production installs without devDependencies use the admin/dist that was built before.
    console.warn('vite is not installed (npm install without dev dependencies?): console not built');
    if (!fs.existsSync(path.join(dist, 'index.html'))) process.exitCode = args.has('--if-stale') ? 0 : 1;
    return;
  }
  const t0 = performance.now();
  await vite.build({ configFile: path.join(admin, 'vite.config.ts'), logLevel: 'warn', mode: 'production' });
  precompress();
  console.log(`console built in ${((performance.now() - t0) / 1000).toFixed(1)} s → admin/dist`);
  const { initialGz } = report();
  if (initialGz > BUDGET_KB * 1024) {
    console.error(`initial JS over budget: ${kb(initialGz)} kB > ${BUDGET_KB} kB gzipped`);
    process.exitCode = 1;
  }
}

await main();
