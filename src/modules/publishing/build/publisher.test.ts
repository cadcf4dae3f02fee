import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type TestApp, createTestApp, makeColumn, makeSite, makeUser, runJobs } from '../../../../test/helpers.js';
import { iso } from '../../../lib/time.js';
import { systemActor } from '../../accounts/index.js';
import { createArticle, importPublishedArticle, reviewSyndication, submitArticle, syndicateArticle } from '../../content/index.js';
import { moveArticle } from '../../content/commands/moveArticle.js';
import { withdrawArticle } from '../../content/commands/withdrawArticle.js';
import { updateColumn } from '../../sites/commands/updateColumn.js';
import { updateSite } from '../../sites/commands/updateSite.js';
import type { RenderContext } from '../model.js';
import type { Publisher } from './publisher.js';
import { renderArticlePreview } from './preview.js';
import { tamperCheck } from './tamper.js';
import { ModelRenderer } from './testing.js';
import { usePublisher, userCtx } from './testApp.js';
import { RENDER_JOB } from './jobs.js';
import { Worker } from '../../jobs/worker.js';
import pino from 'pino';
import { listFiles } from './writer.js';

let t: TestApp;
let p: Publisher;
let renderer: ModelRenderer;
let ids: { www: number; jyj: number; tw: number; en: number; xwzx: number; gzdt: number; tzgg: number; bmdt: number; twNews: number; enNews: number; editor: number };

const HOUR = 3600_000;

beforeEach(async () => {
  t = await createTestApp();
  renderer = new ModelRenderer();
  p = usePublisher(t, renderer);
  const s = t.store;
  const www = await makeSite(s, 'www', { name: '示范市人民政府' });
  const jyj = await makeSite(s, 'jyj', { name: '示范市教育局' });
  const tw = await makeSite(s, 'tw', { name: '示範市臺灣事務辦公室' });
  const en = await makeSite(s, 'en', { name: 'Shifan City' });
  await s.db.updateTable('sites').set({ language: 'zh-TW' }).where('id', '=', tw).execute();
  await s.db.updateTable('sites').set({ language: 'en' }).where('id', '=', en).execute();
  await s.db
    .updateTable('sites')
    .set({ settings: JSON.stringify({ siteIdCode: 'bm33120001', icp: '浙ICP备05012345号-2', psbNumber: '33120202000102', sponsor: '示范市教育局', phone: '0578-82001234' }) })
    .where('id', '=', jyj)
    .execute();
  const xwzx = await makeColumn(s, jyj, 'xwzx', { name: '新闻中心', reviewLevels: 0 });
  const gzdt = await makeColumn(s, jyj, 'gzdt', { name: '工作动态', reviewLevels: 0, parentId: xwzx.id });
  const tzgg = await makeColumn(s, jyj, 'tzgg', { name: '通知公告', reviewLevels: 0 });
  const bmdt = await makeColumn(s, www, 'bmdt', { name: '部门动态', reviewLevels: 1 });
  const twNews = await makeColumn(s, tw, 'xw', { name: '新闻', reviewLevels: 0 });
  const enNews = await makeColumn(s, en, 'news', { name: 'News', reviewLevels: 0 });
  const editor = await makeUser(s, 'boss', [{ role: 'sysadmin' }, ...[www, jyj, tw, en].map((siteId) => ({ role: 'site_admin' as const, siteId }))]);
  await makeUser(s, 'other', [{ role: 'editor', siteId: www }]);
  ids = { www, jyj, tw, en, xwzx: xwzx.id, gzdt: gzdt.id, tzgg: tzgg.id, bmdt: bmdt.id, twNews: twNews.id, enNews: enNews.id, editor };
});
afterEach(async () => {
  await t.close();
});

const file = (rel: string) => path.join(p.publicDir, rel);
const exists = (rel: string) => fs.existsSync(file(rel));
const text = (rel: string) => fs.readFileSync(file(rel), 'utf8');
/** The model a page was rendered with (the test renderer prints it). */
function modelOf(rel: string): RenderContext {
  const m = /<pre>(.*)<\/pre>/s.exec(text(rel));
  if (!m) throw new Error(`no model in ${rel}`);
  return JSON.parse(m[1]!.replace(/&#(\d+);/g, (_, n) => String.fromCharCode(Number(n))));
}

async function importArticle(columnId: number, title: string, hoursAgo: number, extra: Record<string, unknown> = {}): Promise<number> {
  const at = new Date(t.now.value.getTime() - hoursAgo * HOUR);
  return importPublishedArticle(
    t.store.db,
    { actor: systemActor('test'), ip: null, now: at, dialect: t.store.dialect },
    { columnId, fields: { title, body: `<p>${title}的正文。</p>`, ...extra }, publishedAt: iso(at), createdBy: ids.editor },
    { announce: false },
  );
}
async function urlOf(id: number): Promise<string> {
  const a = await t.store.db.selectFrom('articles').innerJoin('columns', 'columns.id', 'articles.column_id').innerJoin('sites', 'sites.id', 'articles.site_id').select(['articles.published_at', 'columns.path', 'sites.code']).where('articles.id', '=', id).executeTakeFirstOrThrow();
  const { articleUrl } = await import('../../content/index.js');
  return articleUrl(a.code, a.path, a.published_at!, id);
}

describe('pages and their groups', () => {
  it('a list that shrinks from 3 pages to 2 loses index_3.html, in both scripts, with its siblings and manifest rows', async () => {
    const made: number[] = [];
    for (let i = 0; i < 41; i++) made.push(await importArticle(ids.gzdt, `工作动态${i}`, 41 - i));
    await p.fullBuild();
    expect(exists('/jyj/xwzx/gzdt/index_3.html')).toBe(true);
    expect(exists('/zh-hant/jyj/xwzx/gzdt/index_3.html')).toBe(true);
    // The parent list shows its children's articles too.
    expect(exists('/jyj/xwzx/index_3.html')).toBe(true);
    const c = await userCtx(t, 'boss');
    for (const id of made.slice(0, 2)) expect((await withdrawArticle(c, id, { reason: '过时' })).ok).toBe(true);
    await runJobs(t);
    for (const base of ['/jyj/xwzx/gzdt/', '/zh-hant/jyj/xwzx/gzdt/', '/jyj/xwzx/'])
      for (const f of ['index_3.html', 'index_3.html.gz', 'index_3.html.br']) expect(exists(base + f), base + f).toBe(false);
    expect(exists('/jyj/xwzx/gzdt/index_2.html')).toBe(true);
    expect(modelOf('/jyj/xwzx/gzdt/index_2.html').pagination).toMatchObject({ current: 2, total: 2, next: null });
    const rows = await t.store.db.selectFrom('published_files').select('path').where('path', 'like', '%index_3%').execute();
    expect(rows).toEqual([]);
    // The withdrawn articles' own pages are gone too.
    expect(exists(await urlOf(made[0]!))).toBe(false);
  });

  it('a new article shifts every list page: the first two are written by the event job, the deeper ones by one follow-up job', async () => {
    for (let i = 0; i < 45; i++) await importArticle(ids.gzdt, `工作动态${i}`, 50 - i);
    await p.fullBuild();
    const c = await userCtx(t, 'boss');
    const a = await createArticle(c, { columnId: ids.gzdt, title: '最新一条工作动态', body: '<p>正文</p>' } as never);
    expect(a.ok).toBe(true);
    if (!a.ok) return;
    expect((await submitArticle(c, a.value.id)).ok).toBe(true);
    // Run the event and its publishing job only (the worker takes jobs in id order).
    const worker = new Worker(t.store, t.jiyue.jobs, pino({ level: 'silent' }), () => t.now.value, { concurrency: 1 });
    const titleOn = (f: string, n: number) => modelOf(f).articles![n]!.title;
    for (let i = 0; i < 5 && !exists(await urlOf(a.value.id)); i++) await worker.runOnce();
    expect(exists(await urlOf(a.value.id))).toBe(true);
    expect(titleOn('/jyj/xwzx/gzdt/index.html', 0)).toBe('最新一条工作动态');
    expect(titleOn('/jyj/xwzx/gzdt/index_2.html', 0)).toBe('工作动态25'); // shifted by one already
    expect(titleOn('/jyj/xwzx/gzdt/index_3.html', 0)).toBe('工作动态4'); // not yet
    const waiting = async () => (await t.store.db.selectFrom('jobs').select('payload').where('type', '=', RENDER_JOB).where('status', '=', 'pending').execute()).map((j) => JSON.parse(j.payload).groups);
    expect(await waiting()).toEqual([[`column:${ids.gzdt}:more`, `column:${ids.xwzx}:more`].sort()]);
    // A second publication before the deep pages were written: they are still queued once.
    const b = await createArticle(c, { columnId: ids.gzdt, title: '又一条工作动态', body: '<p>正文</p>' } as never);
    if (!b.ok) throw new Error(b.message);
    expect((await submitArticle(c, b.value.id)).ok).toBe(true);
    for (let i = 0; i < 5 && !exists(await urlOf(b.value.id)); i++) await worker.runOnce();
    expect(titleOn('/jyj/xwzx/gzdt/index.html', 0)).toBe('又一条工作动态');
    expect(await waiting()).toHaveLength(1);
    await runJobs(t);
    expect(titleOn('/jyj/xwzx/gzdt/index_3.html', 0)).toBe('工作动态6');
    expect(titleOn('/zh-hant/jyj/xwzx/gzdt/index_3.html', 0)).toBe('工作動態6');
  });

  it('deep list pages let waiting publications go first, but not for ever', async () => {
    await p.fullBuild();
    const handler = t.jiyue.jobs.handlers.get(RENDER_JOB)!;
    const jc = { store: t.store, log: pino({ level: 'silent' }), now: () => t.now.value, progress: async () => {} };
    const { enqueue } = await import('../../jobs/queue.js');
    await enqueue(t.store.db, 'event', { event: 'article.published', data: { id: 999_999 } }, t.now.value);
    const renders = async () => (await t.store.db.selectFrom('jobs').select('payload').where('type', '=', RENDER_JOB).where('status', '=', 'pending').execute()).map((j) => JSON.parse(j.payload));
    const groups = [`column:${ids.gzdt}:more`];
    await handler({ groups, deferred: true, yields: 0 }, jc as never, undefined as never);
    expect(await renders()).toEqual([{ groups, deferred: true, yields: 1 }]);
    // After twenty yields it runs whatever waits (nothing is queued again).
    fs.rmSync(file('/jyj/xwzx/gzdt/index.html'), { force: true });
    await t.store.db.deleteFrom('jobs').where('type', '=', RENDER_JOB).execute();
    await handler({ groups: [`column:${ids.gzdt}`], deferred: true, yields: 20 }, jc as never, undefined as never);
    expect(await renders()).toEqual([]);
    expect(exists('/jyj/xwzx/gzdt/index.html')).toBe(true);
  });

  it('publishing through the workflow puts the page, its lists, the home page and the feeds on disk', async () => {
    await p.fullBuild();
    const c = await userCtx(t, 'boss');
    const a = await createArticle(c, { columnId: ids.gzdt, title: '示范市教育局召开发展大会', body: '<p>会议强调发展。</p>', summary: '会议摘要', source: '示范市教育局', tags: ['会议', '发展'] } as never);
    expect(a.ok).toBe(true);
    if (!a.ok) return;
    expect((await submitArticle(c, a.value.id)).ok).toBe(true); // no review levels: live at once
    await runJobs(t);
    const url = await urlOf(a.value.id);
    const m = modelOf(url);
    expect(m.page.kind).toBe('article');
    expect(m.page.title).toBe('示范市教育局召开发展大会_工作动态_示范市教育局');
    expect(m.page.meta.map((x) => x.name)).toEqual([
      'SiteName',
      'SiteDomain',
      'SiteIDCode',
      'ColumnName',
      'ColumnDescription',
      'ColumnKeywords',
      'ColumnType',
      'ArticleTitle',
      'PubDate',
      'ContentSource',
      'Keywords',
      'Author',
      'Description',
      'Url',
    ]);
    const meta = Object.fromEntries(m.page.meta.map((x) => [x.name, x.content]));
    expect(meta).toMatchObject({ SiteName: '示范市教育局', SiteIDCode: 'bm33120001', ArticleTitle: '示范市教育局召开发展大会', PubDate: '2026-11-20 10:00', ContentSource: '示范市教育局', Keywords: '会议,发展', Description: '会议摘要' });
    expect(meta.Url).toBe(`${t.config.publicUrl}${url}`);
    expect(m.site.footer).toEqual({
      sponsor: '示范市教育局',
      organizer: '',
      contact: '',
      address: '',
      phone: '0578-82001234',
      email: '',
      siteIdCode: 'bm33120001',
      icp: '浙ICP备05012345号-2',
      psbNumber: '33120202000102',
      reportErrorUrl: 'https://zfwzzc.www.gov.cn/',
    });
    expect(m.article).toMatchObject({ title: '示范市教育局召开发展大会', datetime: '2026-11-20 10:00', date: '2026-11-20', origin: null });
    expect(m.page.breadcrumbs.map((b) => b.name)).toEqual(['首页', '新闻中心', '工作动态']);
    expect(m.site.nav.find((n) => n.name === '新闻中心')?.current).toBe(true);
    for (const list of ['/jyj/xwzx/gzdt/index.html', '/jyj/xwzx/index.html', '/jyj/index.html']) expect(text(list), list).toContain('示范市教育局召开发展大会');
    expect(text('/jyj/xwzx/gzdt/rss.xml')).toContain('<title>示范市教育局召开发展大会</title>');
    expect(text('/jyj/xwzx/rss.xml')).toContain('<title>示范市教育局召开发展大会</title>');
    expect(text('/jyj/sitemap.xml')).toContain(`<loc>${t.config.publicUrl}${url}</loc>`);
    expect(zlib.gunzipSync(fs.readFileSync(file(`${url}.gz`))).toString()).toBe(text(url));
  });

  it('a placement in the portal is an article page there, linking back to its source', async () => {
    const id = await importArticle(ids.gzdt, '教育局推送的新闻', 2);
    await p.fullBuild();
    const c = await userCtx(t, 'boss');
    const s = await syndicateArticle(c, id, { columnIds: [ids.bmdt] });
    expect(s.ok).toBe(true);
    if (!s.ok) return;
    expect((await reviewSyndication(c, s.value[0]!.id, { decision: 'approve', comment: '' })).ok).toBe(true);
    await runJobs(t);
    const list = modelOf('/bmdt/index.html');
    expect(list.articles?.[0]).toMatchObject({ title: '教育局推送的新闻', fromSite: '示范市教育局' });
    const placementUrl = list.articles![0]!.url;
    expect(placementUrl).toMatch(/^\/bmdt\/202611\/t20261120_\d+\.html$/);
    const m = modelOf(placementUrl);
    expect(m.site.code).toBe('www');
    expect(m.article?.origin).toEqual({ name: '示范市教育局', url: await urlOf(id) });
    expect(modelOf(`/zh-hant${placementUrl}`).article?.origin?.url).toBe(`/zh-hant${await urlOf(id)}`);
  });
});

describe('the Traditional Chinese variant', () => {
  it('every page of a Simplified site has a converted twin under /zh-hant with lang="zh-Hant" and prefixed links', async () => {
    const id = await importArticle(ids.gzdt, '教育发展规划', 1);
    await p.fullBuild();
    const url = await urlOf(id);
    const simplified = text(url);
    const traditional = text(`/zh-hant${url}`);
    expect(simplified).toContain('<html lang="zh-CN">');
    expect(simplified).toContain('教育发展规划');
    expect(simplified).not.toContain('發展');
    expect(traditional).toContain('<html lang="zh-Hant">');
    expect(traditional).toContain('教育發展規劃');
    expect(traditional).not.toContain('发展');
    const m = modelOf(`/zh-hant${url}`);
    expect(m.page.url).toBe(`/zh-hant${url}`);
    expect(m.page.alternate).toEqual({ url, label: '簡體', lang: 'zh-CN' });
    expect(modelOf(url).page.alternate).toEqual({ url: `/zh-hant${url}`, label: '繁體', lang: 'zh-Hant' });
    expect(m.site.nav.every((n) => n.url.startsWith('/zh-hant/jyj/'))).toBe(true);
    expect(m.assets).toBe('/assets/default/');
    for (const f of ['/zh-hant/jyj/index.html', '/zh-hant/jyj/404.html', '/zh-hant/jyj/sitemap.html', '/zh-hant/index.html']) expect(exists(f), f).toBe(true);
    // Feeds and site maps for crawlers exist once, in Simplified.
    expect(exists('/zh-hant/jyj/sitemap.xml')).toBe(false);
    expect(exists('/zh-hant/jyj/xwzx/rss.xml')).toBe(false);
  });

  it('a zh-TW site is published in Traditional only, without a prefix; an English site has no variant', async () => {
    const twId = await importArticle(ids.twNews, '台湾同胞回乡发展', 1);
    const enId = await importArticle(ids.enNews, 'City news', 1);
    await p.fullBuild();
    const tw = text(await urlOf(twId));
    expect(tw).toContain('<html lang="zh-Hant">');
    expect(tw).toContain('回鄉發展');
    expect(modelOf(await urlOf(twId)).page.alternate).toBeNull();
    expect(exists(`/zh-hant${await urlOf(twId)}`)).toBe(false);
    expect(text(await urlOf(enId))).toContain('<html lang="en">');
    expect(exists('/zh-hant/en/index.html')).toBe(false);
    expect(modelOf('/en/404.html').page.title).toBe('Page not found_Shifan City');
  });
});

describe('redirects', () => {
  it('a moved article leaves a redirect page at its old address (both scripts); moving it back removes it', async () => {
    const id = await importArticle(ids.gzdt, '要移动的新闻', 1);
    await p.fullBuild();
    const oldUrl = await urlOf(id);
    const c = await userCtx(t, 'boss');
    expect((await moveArticle(c, id, { columnId: ids.tzgg })).ok).toBe(true);
    await runJobs(t);
    const newUrl = await urlOf(id);
    expect(newUrl).toMatch(/^\/jyj\/tzgg\//);
    expect(modelOf(newUrl).article?.title).toBe('要移动的新闻');
    const redirect = text(oldUrl);
    expect(redirect).toContain(`<meta http-equiv="refresh" content="0; url=${newUrl}">`);
    expect(redirect).toContain(`<a href="${newUrl}">`);
    expect(redirect.endsWith('</html>\n')).toBe(true);
    expect(text(`/zh-hant${oldUrl}`)).toContain(`url=/zh-hant${newUrl}"`);
    expect(await t.store.db.selectFrom('redirects').select(['from_path', 'to_path']).execute()).toEqual([{ from_path: oldUrl, to_path: newUrl }]);
    // The list it left no longer shows it.
    expect(text('/jyj/xwzx/gzdt/index.html')).not.toContain('要移动的新闻');

    expect((await moveArticle(c, id, { columnId: ids.gzdt })).ok).toBe(true);
    await runJobs(t);
    expect(modelOf(oldUrl).article?.title).toBe('要移动的新闻');
    expect(text(newUrl)).toContain('http-equiv="refresh"');
    expect(await t.store.db.selectFrom('redirects').select(['from_path', 'to_path']).execute()).toEqual([{ from_path: newUrl, to_path: oldUrl }]);
  });

  it('a renamed column leaves redirects for its list pages and the articles below it', async () => {
    const id = await importArticle(ids.gzdt, '栏目改名前的新闻', 1);
    await p.fullBuild();
    const before = await urlOf(id);
    const c = await userCtx(t, 'boss');
    expect((await updateColumn(c, ids.xwzx, { slug: 'news' })).ok).toBe(true);
    await runJobs(t);
    const after = await urlOf(id);
    expect(after.startsWith('/jyj/news/gzdt/')).toBe(true);
    expect(exists('/jyj/news/gzdt/index.html')).toBe(true);
    expect(text('/jyj/xwzx/index.html')).toContain('url=/jyj/news/"');
    expect(text('/jyj/xwzx/gzdt/index.html')).toContain('url=/jyj/news/gzdt/"');
    expect(text(before)).toContain(`url=${after}"`);
    expect(exists('/jyj/xwzx/index_2.html')).toBe(false);
    const rows = await t.store.db.selectFrom('redirects').select(['from_path', 'to_path']).execute();
    expect(rows.sort((a, b) => (a.from_path < b.from_path ? -1 : 1))).toEqual([
      { from_path: '/jyj/xwzx/', to_path: '/jyj/news/' },
      { from_path: '/jyj/xwzx/gzdt/', to_path: '/jyj/news/gzdt/' },
      { from_path: before, to_path: after },
    ]);
  });
});

describe('what does not change is not written', () => {
  it('re-rendering a whole site writes nothing when nothing changed (mtimes unchanged)', async () => {
    await importArticle(ids.gzdt, '不变的新闻', 1);
    await p.fullBuild();
    const files = await listFiles(p.publicDir);
    const past = new Date('2020-01-01T00:00:00Z');
    for (const f of files) fs.utimesSync(file(f), past, past);
    const r = await p.publishGroups([`site:${ids.jyj}:*`, `site:${ids.www}:*`]);
    expect(r.pages).toBeGreaterThan(10);
    expect(r.written).toEqual([]);
    expect(r.removed).toEqual([]);
    for (const f of files) expect(fs.statSync(file(f)).mtime.getTime(), f).toBe(past.getTime());
    const again = await p.fullBuild();
    expect(again.written).toEqual([]);
  });

  it('a site settings change re-renders that site only; a name change every site (the cluster menu)', async () => {
    await p.fullBuild();
    const c = await userCtx(t, 'boss');
    expect((await updateSite(c, ids.jyj, { settings: { phone: '0578-88888888' } })).ok).toBe(true);
    const before = renderer.renders;
    await runJobs(t);
    expect(modelOf('/jyj/index.html').site.footer.phone).toBe('0578-88888888');
    const rendered = renderer.renders - before;
    expect(rendered).toBeGreaterThan(0);
    expect(modelOf('/index.html').site.cluster.map((x) => x.name)).toContain('示范市教育局');
    expect((await updateSite(c, ids.jyj, { name: '示范市教育体育局' })).ok).toBe(true);
    await runJobs(t);
    expect(modelOf('/index.html').site.cluster.map((x) => x.name)).toContain('示范市教育体育局');
    // (the zh-TW site's pages are converted: its menu shows the name in Traditional characters)
    expect(modelOf('/tw/index.html').site.cluster.map((x) => x.name)).toContain('示範市教育體育局');
  });

  it("a closed site's pages are removed, and come back when it reopens", async () => {
    await importArticle(ids.gzdt, '关闭前的新闻', 1);
    await p.fullBuild();
    const c = await userCtx(t, 'boss');
    expect((await updateSite(c, ids.jyj, { status: 'closed' })).ok).toBe(true);
    await runJobs(t);
    expect((await listFiles(p.publicDir)).filter((f) => f.startsWith('/jyj/') || f.startsWith('/zh-hant/jyj/'))).toEqual([]);
    expect(modelOf('/index.html').site.cluster.map((x) => x.name)).not.toContain('示范市教育局');
    expect((await updateSite(c, ids.jyj, { status: 'open' })).ok).toBe(true);
    await runJobs(t);
    expect(exists('/jyj/xwzx/gzdt/index.html')).toBe(true);
  });

  it("a deleted site's pages go (its manifest rows went with it) and the other sites drop it from their menus", async () => {
    const empty = await makeSite(t.store, 'kfq', { name: '示范市开发区' });
    await p.fullBuild();
    expect(exists('/kfq/index.html')).toBe(true);
    expect(exists('/zh-hant/kfq/404.html')).toBe(true);
    const { deleteSite } = await import('../../sites/commands/deleteSite.js');
    expect((await deleteSite(await userCtx(t, 'boss'), empty)).ok).toBe(true);
    await runJobs(t);
    expect((await listFiles(p.publicDir)).filter((f) => f.startsWith('/kfq/') || f.startsWith('/zh-hant/kfq/'))).toEqual([]);
    expect(modelOf('/jyj/index.html').site.cluster.map((x) => x.name)).not.toContain('示范市开发区');
    const check = await tamperCheck(p);
    expect([check.changed, check.deleted, check.added]).toEqual([[], [], []]);
  });
});

describe('tamper protection', () => {
  it('restores an edited file, re-creates a deleted one, deletes an added one, and records it in the audit log', async () => {
    await importArticle(ids.gzdt, '被篡改的新闻', 1);
    await p.fullBuild();
    const edited = '/jyj/index.html';
    const deleted = '/jyj/xwzx/gzdt/index.html';
    const deletedGz = '/jyj/xwzx/index.html.gz';
    const original = { edited: text(edited), deleted: text(deleted), gz: fs.readFileSync(file(deletedGz)) };
    // Same size, different content: only the hash can tell.
    fs.writeFileSync(file(edited), Buffer.from(original.edited).fill(0x41, 100, 110));
    fs.rmSync(file(deleted));
    fs.rmSync(file(deletedGz));
    fs.mkdirSync(file('/jyj/evil'), { recursive: true });
    fs.writeFileSync(file('/jyj/evil/shell.php'), '<?php system($_GET["c"]);');
    fs.writeFileSync(file('/.htaccess'), 'Options +Indexes');

    const r = await tamperCheck(p);
    expect(r.changed).toEqual([edited]);
    expect(r.deleted).toEqual([deletedGz, deleted].sort());
    expect(r.added).toEqual(['/.htaccess', '/jyj/evil/shell.php']);
    expect(text(edited)).toBe(original.edited);
    expect(text(deleted)).toBe(original.deleted);
    expect(fs.readFileSync(file(deletedGz)).equals(original.gz)).toBe(true);
    expect(exists('/jyj/evil')).toBe(false);
    expect(exists('/.htaccess')).toBe(false);

    const entry = await t.store.db.selectFrom('audit_log').selectAll().where('action', '=', 'publishing.tamper_detected').executeTakeFirstOrThrow();
    expect(entry.actor_name).toBe('system:publisher');
    expect(JSON.parse(entry.after!)).toMatchObject({
      changed: { count: 1, paths: [edited] },
      deleted: { count: 2, paths: [deletedGz, deleted].sort() },
      added: { count: 2, paths: ['/.htaccess', '/jyj/evil/shell.php'] },
    });
    // A second check finds nothing and records nothing.
    const again = await tamperCheck(p);
    expect([again.changed, again.deleted, again.added]).toEqual([[], [], []]);
    expect(await t.store.db.selectFrom('audit_log').select('id').where('action', '=', 'publishing.tamper_detected').execute()).toHaveLength(1);
  });

  it('runs as the recurring publishing.tamper_check job', async () => {
    await p.fullBuild();
    fs.writeFileSync(file('/jyj/index.html'), 'defaced');
    const { enqueue } = await import('../../jobs/index.js');
    await enqueue(t.store.db, 'publishing.tamper_check', {}, t.now.value);
    await runJobs(t);
    expect(text('/jyj/index.html')).toContain('<html lang="zh-CN">');
    expect(t.jiyue.jobs.recurring.map((x) => x.type)).toContain('publishing.tamper_check');
  });
});

describe('preview', () => {
  it('renders a draft in the real page shape without writing anything; refuses outsiders', async () => {
    await p.fullBuild();
    const before = await listFiles(p.publicDir);
    const c = await userCtx(t, 'boss');
    const a = await createArticle(c, { columnId: ids.gzdt, title: '尚未发布的稿件', body: '<p>草稿正文</p>' } as never);
    if (!a.ok) throw new Error(a.message);
    const r = await renderArticlePreview(c, a.value.id, undefined, renderer);
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.value.html).toContain('尚未发布的稿件');
    expect(r.value.url).toMatch(/^\/jyj\/xwzx\/gzdt\/202611\/t20261120_\d+\.html$/);
    expect(await listFiles(p.publicDir)).toEqual(before);
    expect((await renderArticlePreview(c, a.value.id, 1, renderer)).ok).toBe(true);
    expect(await renderArticlePreview(c, a.value.id, 9, renderer)).toMatchObject({ ok: false, code: 'not_found' });
    expect(await renderArticlePreview(c, 99999, undefined, renderer)).toMatchObject({ ok: false, code: 'not_found' });
    expect(await renderArticlePreview(await userCtx(t, 'other'), a.value.id, undefined, renderer)).toMatchObject({ ok: false, code: 'forbidden' });
  });
});
