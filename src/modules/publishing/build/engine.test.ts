/**
 * The publisher with the real theme engine and the default theme (theme/engine.ts, themes/default):
 * the pages are whole documents carrying what the monitoring crawlers read, the Traditional twin is
 * converted, and incremental publishing still equals a full rebuild.
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import pino from 'pino';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type TestApp, createTestApp, makeColumn, makeSite, makeUser, runJobs } from '../../../../test/helpers.js';
import { iso } from '../../../lib/time.js';
import { systemActor } from '../../accounts/index.js';
import { createArticle, importPublishedArticle, reviewSyndication, submitArticle, syndicateArticle } from '../../content/index.js';
import { moveArticle } from '../../content/commands/moveArticle.js';
import { withdrawArticle } from '../../content/commands/withdrawArticle.js';
import { MemoryManifest } from './manifest.js';
import { Publisher } from './publisher.js';
import type { PageRenderer } from './render.js';
import { readTree, treeDiff, usePublisher, userCtx } from './testApp.js';

const here = path.dirname(fileURLToPath(import.meta.url));
const ENGINE = path.join(here, '../theme/engine.ts');
const THEME = path.join(here, '../../../../themes/default/templates');
const ready = fs.existsSync(ENGINE) && fs.existsSync(THEME);

let t: TestApp;
let engine: PageRenderer;
let p: Publisher;
let jyj: number;
let gzdt: number;
let tzgg: number;
let bmdt: number;

describe.skipIf(!ready)(ready ? 'with the real theme engine and the default theme' : 'with the real theme engine (skipped: src/modules/publishing/theme/engine.ts or themes/default/ is missing)', () => {
  beforeEach(async () => {
    t = await createTestApp();
    const theme = await import('../theme/index.js');
    engine = new theme.ThemeEngine({ themesDir: theme.DEFAULT_THEMES_DIR, loadOverrides: (siteId) => theme.loadActiveOverrides(t.store.db, siteId) });
    p = usePublisher(t, engine);
    const s = t.store;
    const www = await makeSite(s, 'www', { name: '示范市人民政府' });
    jyj = await makeSite(s, 'jyj', { name: '示范市教育局' });
    await s.db.updateTable('sites').set({ settings: JSON.stringify({ siteIdCode: 'bm33120001', icp: '浙ICP备05012345号-2', psbNumber: '33120202000102', sponsor: '示范市教育局' }) }).where('id', '=', jyj).execute();
    const xwzx = await makeColumn(s, jyj, 'xwzx', { name: '新闻中心', reviewLevels: 0 });
    gzdt = (await makeColumn(s, jyj, 'gzdt', { name: '工作动态', reviewLevels: 0, parentId: xwzx.id })).id;
    tzgg = (await makeColumn(s, jyj, 'tzgg', { name: '通知公告', reviewLevels: 0 })).id;
    await makeColumn(s, jyj, 'jgzn', { name: '机构职能', kind: 'page', reviewLevels: 0 });
    bmdt = (await makeColumn(s, www, 'bmdt', { name: '部门动态', reviewLevels: 0 })).id;
    const user = await makeUser(s, 'boss', [www, jyj].map((siteId) => ({ role: 'site_admin' as const, siteId })));
    for (let i = 0; i < 25; i++) {
      const at = iso(new Date(t.now.value.getTime() - (i + 1) * 3_600_000));
      await importPublishedArticle(
        s.db,
        { actor: systemActor('test'), ip: null, now: new Date(at), dialect: s.dialect },
        { columnId: i % 2 ? gzdt : tzgg, fields: { title: `教育发展动态第${i}期`, summary: '推进教育高质量发展。', body: `<p>第${i}期：教育发展的正文。</p>`, source: '示范市教育局', tags: ['教育'] }, publishedAt: at, createdBy: user },
        { announce: false },
      );
    }
  });
  afterEach(async () => {
    await t.close();
  });

  it('writes whole pages with the crawlers’ meta tags, and a converted Traditional twin', async () => {
    const r = await p.fullBuild();
    expect(r.failures).toEqual([]);
    const tree = readTree(p.publicDir);
    const pages = [...tree.keys()].filter((f) => f.endsWith('.html'));
    expect(pages.length).toBeGreaterThan(60);
    for (const f of pages) {
      const html = tree.get(f)!.toString();
      expect(/^<!doctype html>/i.test(html) && html.trimEnd().endsWith('</html>'), f).toBe(true);
    }
    const article = pages.find((f) => f.startsWith('/jyj/xwzx/gzdt/2026'))!;
    const html = tree.get(article)!.toString();
    for (const name of ['SiteName', 'SiteDomain', 'SiteIDCode', 'ColumnName', 'ColumnDescription', 'ColumnKeywords', 'ColumnType', 'ArticleTitle', 'PubDate', 'ContentSource', 'Keywords', 'Author', 'Description', 'Url'])
      expect(html, name).toContain(`<meta name="${name}"`);
    expect(html).toContain('<html lang="zh-CN"');
    const twin = tree.get(`/zh-hant${article}`)!.toString();
    expect(twin).toContain('<html lang="zh-Hant"');
    expect(twin).toContain('教育發展');
    expect(twin).not.toContain('教育发展');
    for (const f of ['/jyj/index.html', '/jyj/404.html', '/jyj/sitemap.html', '/jyj/xwzx/index.html', '/jyj/jgzn/index.html', '/index.html', '/zh-hant/index.html']) expect(tree.has(f), f).toBe(true);
    expect([...tree.keys()].some((f) => f.startsWith('/assets/default/'))).toBe(true);
  });

  it('rendering on worker threads (RenderPool) gives the same bytes as the engine in this thread', async () => {
    await p.fullBuild();
    const { RenderPool } = await import('./renderPool.js');
    const theme = await import('../theme/index.js');
    const pool = new RenderPool({ themesDir: theme.DEFAULT_THEMES_DIR, db: t.store.db, size: 2 });
    try {
      const dir = path.join(t.dataDir, 'pooled');
      const r = await new Publisher({ store: t.store, renderer: pool, publicDir: dir, publicUrl: t.config.publicUrl, clock: () => t.now.value, log: pino({ level: 'silent' }), manifest: new MemoryManifest(), fsync: false }).fullBuild();
      expect(r.failures).toEqual([]);
      expect(treeDiff(readTree(p.publicDir), readTree(dir))).toEqual([]);
      // A template error in a worker comes back as a TemplateError naming the template.
      await expect(pool.render(jyj, 'default', 'no-such-template', (await import('../theme/index.js')).fixtureContext('home'))).rejects.toMatchObject({ name: 'TemplateError', kind: 'missing' });
    } finally {
      await pool.close();
    }
  });

  it('incremental publishing equals a full rebuild', async () => {
    await p.fullBuild();
    const c = await userCtx(t, 'boss');
    const a = await createArticle(c, { columnId: gzdt, title: '新发布的教育新闻', body: '<p>新闻正文</p>' } as never);
    if (!a.ok) throw new Error(a.message);
    await submitArticle(c, a.value.id);
    await runJobs(t);
    const old = await t.store.db.selectFrom('articles').select('id').where('column_id', '=', tzgg).orderBy('id').limit(2).execute();
    expect((await moveArticle(await userCtx(t, 'boss'), old[0]!.id, { columnId: gzdt })).ok).toBe(true);
    expect((await withdrawArticle(await userCtx(t, 'boss'), old[1]!.id, { reason: '过时' })).ok).toBe(true);
    await runJobs(t);
    const s = await syndicateArticle(await userCtx(t, 'boss'), a.value.id, { columnIds: [bmdt] });
    if (!s.ok) throw new Error(s.message);
    await reviewSyndication(await userCtx(t, 'boss'), s.value[0]!.id, { decision: 'approve', comment: '' });
    await runJobs(t);

    const dir = path.join(t.dataDir, 'reference');
    const manifest = new MemoryManifest();
    await new Publisher({ store: t.store, renderer: engine, publicDir: dir, publicUrl: t.config.publicUrl, clock: () => t.now.value, log: pino({ level: 'silent' }), manifest, fsync: false }).fullBuild();
    expect(treeDiff(readTree(p.publicDir), readTree(dir))).toEqual([]);
    expect(readTree(p.publicDir).get('/bmdt/index.html')!.toString()).toContain('新发布的教育新闻');
  });
});
