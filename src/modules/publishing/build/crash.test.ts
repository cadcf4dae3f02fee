/**
 * The crash test (issue 3, "How it is proven"): a full build in a child process is killed with
 * SIGKILL at random moments, several times over, each run changing every page. After each kill no
 * file under public/ is partial (every page ends with `</html>\n`, every .gz/.br decompresses, every
 * feed and site map is closed), and the next build completes: no temporary file is left, and its
 * output and manifest equal a clean build's.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import zlib from 'node:zlib';
import pino from 'pino';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { type TestEnv, createTestStore, makeColumn, makeSite, makeUser } from '../../../../test/helpers.js';
import { iso } from '../../../lib/time.js';
import { systemActor } from '../../accounts/index.js';
import { importPublishedArticle } from '../../content/index.js';
import { MemoryManifest } from './manifest.js';
import { Publisher } from './publisher.js';
import { ModelRenderer } from './testing.js';
import { readTree, treeDiff } from './testApp.js';

const KILLS = 4;
const CHILD = path.join(path.dirname(fileURLToPath(import.meta.url)), 'crashChild.ts');
const NOW = new Date('2026-11-20T02:00:00.000Z');

let env: TestEnv;
let publicDir: string;

beforeEach(async () => {
  env = await createTestStore();
  publicDir = path.join(env.dataDir, 'public');
  const s = env.store;
  const sites = [await makeSite(s, 'www', { name: '示范市人民政府' }), await makeSite(s, 'jyj', { name: '示范市教育局' })];
  const user = await makeUser(s, 'importer');
  const ctx = { actor: systemActor('test'), ip: null, now: NOW, dialect: s.dialect };
  let n = 0;
  for (const siteId of sites) {
    const parent = await makeColumn(s, siteId, 'xwzx', { name: '新闻中心' });
    for (const slug of ['gzdt', 'tzgg', 'zcwj']) {
      const col = await makeColumn(s, siteId, slug, { name: `栏目${slug}`, parentId: parent.id });
      for (let i = 0; i < 15; i++) {
        const at = iso(new Date(NOW.getTime() - ++n * 3_600_000));
        await importPublishedArticle(s.db, { ...ctx, now: new Date(at) }, { columnId: col.id, fields: { title: `发展改革新闻${n}`, body: `<p>${'正文'.repeat(200)}</p>` }, publishedAt: at, createdBy: user }, { announce: false });
      }
    }
  }
});
afterEach(async () => {
  await env.close();
});

/** A publisher in this process, rendering at template version `version`. */
const publisherAt = (dir: string, version: number, manifest?: MemoryManifest) =>
  new Publisher({ store: env.store, renderer: new ModelRenderer(version), publicDir: dir, publicUrl: 'http://127.0.0.1:3000', clock: () => NOW, log: pino({ level: 'silent' }), fsync: true, ...(manifest ? { manifest } : {}) });

function runChild(version: number, killAt?: number): { child: ChildProcess; started: Promise<void>; exited: Promise<number | null> } {
  const child = spawn(process.execPath, ['--import', 'tsx', CHILD], {
    env: {
      ...process.env,
      CRASH_DATA_DIR: env.dataDir,
      CRASH_DATABASE_URL: env.config.databaseUrl ?? '',
      CRASH_PUBLIC_DIR: publicDir,
      CRASH_VERSION: String(version),
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  const started = new Promise<void>((resolve, reject) => {
    let killing = false;
    child.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
      if (out.includes('started')) resolve();
      // Past the chosen fraction of the build: kill it a few random milliseconds later.
      const m = [...out.matchAll(/progress (\d+) (\d+)/g)].at(-1);
      if (killAt !== undefined && m && !killing && Number(m[1]) / Number(m[2]) >= killAt) {
        killing = true;
        setTimeout(() => child.kill('SIGKILL'), Math.random() * 40);
      }
    });
    child.stderr!.on('data', (d: Buffer) => {
      err += d.toString();
      if (process.env.CRASH_DEBUG) process.stderr.write(d);
    });
    child.on('exit', (code) => (out.includes('started') ? resolve() : reject(new Error(`child exited (${code}) before starting: ${err}`))));
  });
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return { child, started, exited };
}

/** Every file is whole: pages closed, compressed siblings decompress, XML closed. Returns the temporary files found. */
function assertNothingPartial(): string[] {
  const tmp: string[] = [];
  for (const [p, buf] of readTree(publicDir)) {
    const name = p.slice(p.lastIndexOf('/') + 1);
    if (name.startsWith('.') && name.includes('.tmp-')) {
      tmp.push(p);
      continue;
    }
    if (p.endsWith('.html')) {
      const s = buf.toString('utf8');
      expect(s.startsWith('<!doctype html>') && s.endsWith('</html>\n'), `partial page ${p}`).toBe(true);
    } else if (p.endsWith('.gz')) {
      expect(() => zlib.gunzipSync(buf), `broken gzip ${p}`).not.toThrow();
    } else if (p.endsWith('.br')) {
      expect(() => zlib.brotliDecompressSync(buf), `broken brotli ${p}`).not.toThrow();
    } else if (p.endsWith('.xml')) {
      expect(/<\/(rss|urlset)>\n$/.test(buf.toString('utf8')), `partial feed ${p}`).toBe(true);
    }
  }
  return tmp;
}

it('a build killed at random moments leaves no partial file, and the next build completes and equals a clean build', { timeout: 180_000 }, async () => {
  // A complete build first (the published state the kills interrupt), timed so the kills land inside one.
  const t0 = performance.now();
  await publisherAt(publicDir, 0).fullBuild();
  const duration = performance.now() - t0;
  expect(assertNothingPartial()).toEqual([]);

  let tmpSeen = 0;
  let midway = 0;
  for (let k = 1; k <= KILLS; k++) {
    // A random moment: past a random fraction of the groups, plus a few random milliseconds.
    const run = runChild(k, 0.05 + Math.random() * 0.85);
    await run.started;
    await run.exited;
    tmpSeen += assertNothingPartial().length;
    // Killed mid-way: some pages are of this run, some of an earlier one — each of them whole.
    const versions = new Set<string>();
    for (const [p, buf] of readTree(publicDir)) if (p.endsWith('.html')) versions.add(/data-template-version="(\d+)"/.exec(buf.toString())?.[1] ?? '?');
    if (versions.size > 1) midway++;
  }
  expect(midway, 'no kill landed in the middle of a build').toBeGreaterThan(0);

  // The next build completes …
  await publisherAt(publicDir, KILLS + 1).fullBuild();
  expect(assertNothingPartial()).toEqual([]);
  // … and equals a clean build of the same state, file for file and in its manifest.
  const cleanDir = path.join(env.dataDir, 'clean');
  const manifest = new MemoryManifest();
  await publisherAt(cleanDir, KILLS + 1, manifest).fullBuild();
  expect(treeDiff(readTree(publicDir), readTree(cleanDir))).toEqual([]);
  const key = (r: { path: string; group: string; sha256: string; size: number }) => `${r.path} ${r.group} ${r.sha256} ${r.size}`;
  const rows = await env.store.db.selectFrom('published_files').selectAll().execute();
  expect(rows.map((r) => key({ path: r.path, group: r.page_group, sha256: r.sha256, size: Number(r.size) })).sort()).toEqual((await manifest.all()).map(key).sort());
  console.warn(`crash test: ${KILLS} builds killed (≈${Math.round(duration)} ms each when whole), ${midway} of them mid-way through writing, ${tmpSeen} temporary files left by the kills, no partial file; the next build equals a clean one`);
});
