/**
 * The view counter: `/_v?p=` answers a pixel at once and counts in memory; flushes upsert
 * `page_views` per Beijing day and path in one transaction; junk is ignored; the map is bounded;
 * close() writes what is left. topPages() ranks the results.
 */
import pino from 'pino';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type TestApp, createTestApp, makeSite } from '../../../../test/helpers.js';
import { invalidate, servingOf, topPages } from './index.js';
import type { Serving } from './serving.js';
import { request } from './testing.js';
import { PIXEL, ViewCounter } from './views.js';

let t: TestApp;
let port: number;
let serving: Serving;
let jyj: number;
let www: number;
const ARTICLE = '/jyj/gzdt/202611/t20261120_42.html';

const pixel = (p: string) => request(port, `/_v?p=${encodeURIComponent(p)}`);
const rows = async () => (await t.store.db.selectFrom('page_views').selectAll().execute()).sort((a, b) => (a.day + a.path < b.day + b.path ? -1 : 1));

beforeAll(async () => {
  t = await createTestApp();
  www = await makeSite(t.store, 'www');
  jyj = await makeSite(t.store, 'jyj');
  await invalidate();
  serving = servingOf(t.jiyue.app)!;
  await t.jiyue.app.listen({ port: 0, host: '127.0.0.1' });
  port = (t.jiyue.app.server.address() as { port: number }).port;
});
afterAll(() => t.close());
beforeEach(async () => {
  await serving.views.flush();
  await t.store.db.deleteFrom('page_views').execute();
  t.now.value = new Date('2026-11-20T02:00:00.000Z');
});

describe('the view pixel', () => {
  it('answers a transparent GIF that is never cached', async () => {
    const r = await pixel(ARTICLE);
    expect(r.status).toBe(200);
    expect(r.headers['content-type']).toBe('image/gif');
    expect(r.headers['cache-control']).toBe('no-store');
    expect(r.body.equals(PIXEL)).toBe(true);
    expect(r.body.subarray(0, 6).toString()).toBe('GIF89a');
    expect((await request(port, '/_v', {}, 'HEAD')).body.length).toBe(0);
  });

  it('counts in memory and writes the counts in one flush, by Beijing day, with site and article', async () => {
    for (let i = 0; i < 3; i++) await pixel(ARTICLE);
    await pixel('/jyj/');
    await pixel('/zxzx/zwyw/');
    t.now.value = new Date('2026-11-20T17:00:00.000Z'); // 01:00 on the 21st in Beijing
    await pixel(ARTICLE);
    expect(await rows()).toEqual([]); // nothing written before the flush
    expect(serving.views.pending).toBe(4);
    expect(await serving.views.flush()).toBe(4);
    expect(serving.views.pending).toBe(0);
    expect(await rows()).toEqual([
      { day: '2026-11-20', path: '/jyj/', site_id: jyj, article_id: null, views: 1 },
      { day: '2026-11-20', path: ARTICLE, site_id: jyj, article_id: 42, views: 3 },
      { day: '2026-11-20', path: '/zxzx/zwyw/', site_id: www, article_id: null, views: 1 },
      { day: '2026-11-21', path: ARTICLE, site_id: jyj, article_id: 42, views: 1 },
    ]);
  });

  it('adds later flushes to the stored counts', async () => {
    await pixel('/jyj/');
    await serving.views.flush();
    await pixel('/jyj/');
    await pixel('/jyj/');
    await serving.views.flush();
    expect((await rows()).map((r) => r.views)).toEqual([3]);
  });

  it('ignores junk and still answers the pixel', async () => {
    const junk = ['', 'jyj/', '//evil.example.com/', 'javascript:alert(1)', `/${'a'.repeat(300)}.html`, '/a.png', "/'; DROP TABLE page_views;--/", '/<script>/', '/jyj/../x.html', '/通知/'];
    for (const p of junk) expect((await pixel(p)).status).toBe(200);
    expect((await request(port, '/_v')).status).toBe(200);
    expect((await request(port, '/_v?p=%E0%A4%A')).status).toBe(200);
    expect((await request(port, '/_v?p=/jyj/&p=/x/')).status).toBe(200); // the first p counts
    await serving.views.flush();
    expect((await rows()).map((r) => r.path)).toEqual(['/jyj/']);
  });

  it('does not count HEAD requests', async () => {
    await request(port, `/_v?p=${ARTICLE}`, {}, 'HEAD');
    expect(serving.views.pending).toBe(0);
  });
});

describe('the counter', () => {
  const log = pino({ level: 'silent' });
  const sites = { isSiteCode: (c: string) => c === 'jyj', siteId: (c: string) => (c === 'jyj' ? jyj : undefined) };

  it('flushes early when the map reaches its bound', async () => {
    const c = new ViewCounter(t.store.db, sites, log, () => t.now.value, { maxPaths: 5, flushMs: 60_000 });
    for (let i = 0; i < 5; i++) c.count(`/jyj/p${i}.html`);
    expect(c.pending).toBe(5);
    c.count('/jyj/p5.html'); // the sixth distinct path starts a flush of the first five
    await c.close();
    expect((await rows()).length).toBe(6);
  });

  it('writes what is left on close', async () => {
    const c = new ViewCounter(t.store.db, sites, log, () => t.now.value, { flushMs: 60_000 });
    c.count('/jyj/a.html');
    c.count('/jyj/a.html');
    await c.close();
    expect(await rows()).toMatchObject([{ path: '/jyj/a.html', views: 2, site_id: jyj }]);
  });

  it('flushes by itself every interval', async () => {
    const c = new ViewCounter(t.store.db, sites, log, () => t.now.value, { flushMs: 50 });
    c.count('/jyj/timer.html');
    await new Promise((r) => setTimeout(r, 300));
    expect(await rows()).toMatchObject([{ path: '/jyj/timer.html', views: 1 }]);
    await c.close();
  });

  it('keeps the counts when a flush fails', async () => {
    const broken = { transaction: () => ({ execute: async () => Promise.reject(new Error('database down')) }) } as never;
    const c = new ViewCounter(broken, sites, log, () => t.now.value, { flushMs: 60_000 });
    c.count('/jyj/a.html');
    expect(await c.flush()).toBe(0);
    expect(c.pending).toBe(1);
  });

  it('writes the pending counts when the app closes', async () => {
    const t2 = await createTestApp();
    try {
      const s2 = servingOf(t2.jiyue.app)!;
      await t2.jiyue.app.inject({ url: '/_v?p=/closing.html' });
      expect(s2.views.pending).toBe(1);
      await t2.jiyue.app.close();
      const r = await t2.store.db.selectFrom('page_views').selectAll().execute();
      expect(r).toMatchObject([{ path: '/closing.html', views: 1 }]);
    } finally {
      await t2.close();
    }
  });
});

describe('topPages', () => {
  it('ranks the most-read pages over the last days, optionally for one site', async () => {
    const T = (day: string, path: string, views: number, siteId: number | null, articleId: number | null = null) => ({ day, path, views, site_id: siteId, article_id: articleId });
    await t.store.db
      .insertInto('page_views')
      .values([
        T('2026-11-20', '/jyj/a/202611/t20261120_1.html', 5, jyj, 1),
        T('2026-11-19', '/jyj/a/202611/t20261120_1.html', 5, jyj, 1),
        T('2026-11-20', '/jyj/', 8, jyj),
        T('2026-11-20', '/zxzx/202611/t20261120_2.html', 9, www, 2),
        T('2026-11-01', '/zxzx/old.html', 100, www),
      ])
      .execute();
    const now = new Date('2026-11-20T02:00:00.000Z');
    expect(await topPages(t.store.db, { days: 7, now })).toEqual([
      { path: '/jyj/a/202611/t20261120_1.html', siteId: jyj, articleId: 1, views: 10 },
      { path: '/zxzx/202611/t20261120_2.html', siteId: www, articleId: 2, views: 9 },
      { path: '/jyj/', siteId: jyj, articleId: null, views: 8 },
    ]);
    expect((await topPages(t.store.db, { days: 1, now })).map((p) => p.views)).toEqual([9, 8, 5]);
    expect((await topPages(t.store.db, { days: 7, siteId: jyj, now, limit: 1 })).map((p) => p.path)).toEqual(['/jyj/a/202611/t20261120_1.html']);
    expect((await topPages(t.store.db, { days: 7, now, articlesOnly: true })).length).toBe(2);
    expect((await topPages(t.store.db, { days: 30, now }))[0]!.views).toBe(100);
  });
});
