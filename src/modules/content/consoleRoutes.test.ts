import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Client, type TestApp, anonymousClient, createTestApp, loginAs } from '../../../test/helpers.js';
import { type Cluster, DAY, later, makeCluster } from './testApp.js';

let t: TestApp;
let c: Cluster;
beforeAll(async () => {
  t = await createTestApp();
  c = await makeCluster(t);
});
afterAll(() => t.close());

const A = '/api/v1/articles';

async function publishedArticle(as: Client, columnId: number, title: string) {
  const a = (await as.post(A, { columnId, title, body: '<p>正文。</p>' })).body;
  const sub = await as.post(`${A}/${a.id}/submit`);
  expect(sub.body.status, JSON.stringify(sub.body)).toBe('published');
  return a;
}

describe('syndication targets (GET /api/v1/syndication-targets)', () => {
  it("lists the other sites' list columns, which the source's editor can then push to", async () => {
    const editor = await loginAs(t, 'editor');
    const res = await editor.get(`/api/v1/syndication-targets?siteId=${c.jyj}`);
    expect(res.status).toBe(200);
    const bySite = Object.fromEntries(res.body.sites.map((s: any) => [s.siteName, s.columns.map((col: any) => [col.name, col.selectable])]));
    expect(bySite).toEqual({
      示范市卫生健康委员会: [['卫健新闻', true]],
      示范市人民政府: [
        ['部门动态', true],
        ['要闻', true],
      ],
    });
    const zyxw = res.body.sites.flatMap((s: any) => s.columns).find((col: any) => col.name === '要闻');
    expect(zyxw).toMatchObject({ id: c.col.zyxw.id, reviewLevels: 2 });
    const a = (await editor.post(A, { columnId: c.col.xwzx.id, title: '推送测试' })).body;
    expect((await editor.post(`${A}/${a.id}/syndications`, { columnIds: [zyxw.id] })).status).toBe(201);
  });

  it('is refused to whoever does not write for the source site', async () => {
    const res = await (await loginAs(t, 'wsjeditor')).get(`/api/v1/syndication-targets?siteId=${c.jyj}`);
    expect(res.status).toBe(403);
    expect(res.body.error.message).toBe('没有权限推送该站点的稿件');
    expect((await (await loginAs(t, 'r1')).get(`/api/v1/syndication-targets?siteId=${c.jyj}`)).status).toBe(403);
    expect((await anonymousClient(t).get(`/api/v1/syndication-targets?siteId=${c.jyj}`)).status).toBe(401);
    expect((await (await loginAs(t, 'editor')).get('/api/v1/syndication-targets')).status).toBe(400);
  });
});

describe('columns overdue for an update (GET /api/v1/overdue-columns)', () => {
  it("shows the caller's columns whose last publication is older than their interval, most overdue first", async () => {
    const db = t.store.db;
    const interval = (id: number, days: number | null) => db.updateTable('columns').set({ update_interval_days: days }).where('id', '=', id).execute();
    await interval(c.col.free.id, 7);
    await interval(c.col.tzgg.id, 30);
    await interval(c.col.xwzx.id, 14);
    await interval(c.col.wsjNews.id, 7);
    await interval(c.col.bmdt.id, 10);
    t.now.value = new Date('2026-11-20T02:00:00.000Z');
    const editor = await loginAs(t, 'editor');
    const freeArticle = await publishedArticle(editor, c.col.free.id, '今日快讯');

    // Columns were created on 1 January and never updated, except 快讯 today.
    const res = await editor.get('/api/v1/overdue-columns');
    expect(res.status).toBe(200);
    expect(res.body.items.map((i: any) => [i.columnName, i.daysSince, i.updateIntervalDays, i.lastPublishedAt])).toEqual([
      ['新闻中心', 323, 14, null],
      ['通知公告', 323, 30, null],
    ]);
    expect(res.body.items[0]).toMatchObject({ siteName: '示范市教育局', url: '/jyj/xwzx/', overdueDays: 309 });

    // A column-scoped editor sees only their subtree; another site's editor only theirs.
    expect((await (await loginAs(t, 'tzggeditor')).get('/api/v1/overdue-columns')).body.items.map((i: any) => i.columnName)).toEqual(['通知公告']);
    expect((await (await loginAs(t, 'wsjeditor')).get('/api/v1/overdue-columns')).body.items.map((i: any) => i.columnName)).toEqual(['卫健新闻']);
    expect((await (await loginAs(t, 'r1')).get('/api/v1/overdue-columns')).body.items).toEqual([]);

    // A push accepted into the portal's column counts as its update.
    const www = await loginAs(t, 'wwwadmin');
    expect((await www.get(`/api/v1/overdue-columns?siteId=${c.www}`)).body.items.map((i: any) => i.columnName)).toEqual(['部门动态']);
    const [syn] = (await editor.post(`${A}/${freeArticle.id}/syndications`, { columnIds: [c.col.bmdt.id] })).body;
    expect((await (await loginAs(t, 'wwwr1')).post(`/api/v1/syndications/${syn.id}/review`, { decision: 'approve' })).body.status).toBe('published');
    expect((await www.get(`/api/v1/overdue-columns?siteId=${c.www}`)).body.items).toEqual([]);

    // Eight days later 快讯 (every 7 days) is overdue too.
    later(t, 8 * DAY);
    const after = await (await loginAs(t, 'editor')).get(`/api/v1/overdue-columns?siteId=${c.jyj}`);
    expect(after.body.items.map((i: any) => [i.columnName, i.daysSince])).toEqual([
      ['新闻中心', 331],
      ['通知公告', 331],
      ['快讯', 8],
    ]);
    expect(after.body.items[2].lastPublishedAt).toBe('2026-11-20T02:00:00.000Z');
  });
});
