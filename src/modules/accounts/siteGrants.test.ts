import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type TestApp, anonymousClient, createTestApp, loginAs, makeColumn, makeSite, makeUser } from '../../../test/helpers.js';

let t: TestApp;
let siteA: number;
let siteB: number;
let news: { id: number; idPath: string };
let notices: { id: number; idPath: string };

beforeAll(async () => {
  t = await createTestApp();
  siteA = await makeSite(t.store, 'sa', { name: '甲局' });
  siteB = await makeSite(t.store, 'sb', { name: '乙局' });
  news = await makeColumn(t.store, siteA, 'news', { name: '新闻' });
  notices = await makeColumn(t.store, siteA, 'tzgg', { name: '通知', parentId: news.id });
  await makeColumn(t.store, siteB, 'news', { name: '乙新闻' });
  await makeUser(t.store, 'sec', [{ role: 'secadmin' }]);
  await makeUser(t.store, 'aud', [{ role: 'auditor' }]);
  await makeUser(t.store, 'admin_a', [{ role: 'site_admin', siteId: siteA }]);
  await makeUser(t.store, 'admin_b', [{ role: 'site_admin', siteId: siteB }]);
  await makeUser(t.store, 'ed_a', [{ role: 'editor', siteId: siteA, columnId: notices.id }]);
  await makeUser(t.store, 'rev_a', [{ role: 'reviewer', siteId: siteA, reviewLevel: 2 }]);
});
afterAll(() => t.close());

describe("a site's grants (GET /api/v1/sites/:id/grants)", () => {
  it("lists who holds which role on the site, site-wide or per column, with the site's columns", async () => {
    const sec = await loginAs(t, 'sec');
    const res = await sec.get(`/api/v1/sites/${siteA}/grants`);
    expect(res.status).toBe(200);
    expect(res.body.siteName).toBe('甲局');
    expect(res.body.columns.map((c: any) => [c.name, c.parentId, c.idPath])).toEqual([
      ['新闻', null, news.idPath],
      ['通知', news.id, notices.idPath],
    ]);
    expect(res.body.grants.map((g: any) => [g.username, g.roleName, g.columnName, g.reviewLevel])).toEqual([
      ['admin_a', '站点管理员', null, null],
      ['ed_a', '编辑', '通知', null],
      ['rev_a', '审核员', null, 2],
    ]);
    expect(res.body.grants[1]).toMatchObject({ columnId: notices.id, columnIdPath: notices.idPath, displayName: 'ed_a', userStatus: 'active' });

    // A grant the security administrator adds shows up at once.
    const user = (await sec.post('/api/v1/users', { username: 'new.ed', displayName: '新编辑' })).body.user;
    expect((await sec.post('/api/v1/grants', { userId: user.id, role: 'reviewer', siteId: siteA, columnId: news.id, reviewLevel: 1 })).status).toBe(201);
    const again = await sec.get(`/api/v1/sites/${siteA}/grants`);
    expect(again.body.grants.at(-1)).toMatchObject({ username: 'new.ed', displayName: '新编辑', role: 'reviewer', columnName: '新闻', reviewLevel: 1 });
  });

  it("is readable by the site's own administrators, and by nobody else", async () => {
    expect((await (await loginAs(t, 'admin_a')).get(`/api/v1/sites/${siteA}/grants`)).status).toBe(200);
    for (const name of ['admin_b', 'ed_a', 'aud']) {
      const res = await (await loginAs(t, name)).get(`/api/v1/sites/${siteA}/grants`);
      expect(res.status, name).toBe(403);
      expect(res.body.error.message).toBe('没有权限执行此操作');
    }
    expect((await anonymousClient(t).get(`/api/v1/sites/${siteA}/grants`)).status).toBe(401);
    expect((await (await loginAs(t, 'sec')).get('/api/v1/sites/999999/grants')).body.error).toMatchObject({ code: 'not_found', message: '站点不存在' });
  });
});
