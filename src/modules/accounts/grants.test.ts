import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Client, type TestApp, countRows, createTestApp, loginAs, makeColumn, makeSite, makeUser } from '../../../test/helpers.js';
import { can } from './access.js';
import type { Actor, Grant } from './actor.js';

let t: TestApp;
let sec: Client;
let secId: number;
let siteA: number;
let siteB: number;

beforeAll(async () => {
  t = await createTestApp();
  secId = await makeUser(t.store, 'sec', [{ role: 'secadmin' }]);
  await makeUser(t.store, 'aud', [{ role: 'auditor' }]);
  await makeUser(t.store, 'sys', [{ role: 'sysadmin' }]);
  siteA = await makeSite(t.store, 'ga');
  siteB = await makeSite(t.store, 'gb');
  sec = await loginAs(t, 'sec');
});
afterAll(() => t.close());

const grantsOf = (userId: number) => t.store.db.selectFrom('grants').selectAll().where('user_id', '=', userId).orderBy('id').execute();

describe('granting roles', () => {
  it('grants a site role that applies to the user’s very next request, and revokes it the same way', async () => {
    const id = await makeUser(t.store, 'new.editor');
    const c = await loginAs(t, 'new.editor');
    expect((await c.get('/api/v1/auth/me')).body.grants).toEqual([]);

    const res = await sec.post('/api/v1/grants', { userId: id, role: 'editor', siteId: siteA });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ role: 'editor', roleName: '编辑', siteId: siteA, siteName: 'ga 网站', columnId: null, reviewLevel: null });
    expect((await c.get('/api/v1/auth/me')).body.grants).toEqual([expect.objectContaining({ id: res.body.id, role: 'editor', siteId: siteA })]);
    const row = (await grantsOf(id))[0]!;
    expect(row.created_by).toBe(secId);

    const del = await sec.del(`/api/v1/grants/${res.body.id}`);
    expect(del.status).toBe(200);
    expect(del.body).toMatchObject({ id: res.body.id, role: 'editor' });
    expect((await c.get('/api/v1/auth/me')).body.grants).toEqual([]);
    expect((await sec.del(`/api/v1/grants/${res.body.id}`)).status).toBe(404);

    const entries = await t.store.db.selectFrom('audit_log').selectAll().where('target_type', '=', 'grant').where('target_id', '=', String(res.body.id)).orderBy('id').execute();
    expect(entries.map((e) => e.action)).toEqual(['grant.create', 'grant.revoke']);
    expect(entries.map((e) => e.site_id)).toEqual([siteA, siteA]);
    expect(JSON.parse(entries[0]!.after!)).toMatchObject({ userId: id, username: 'new.editor', role: 'editor', siteId: siteA });
    expect(JSON.parse(entries[1]!.before!)).toMatchObject({ userId: id, role: 'editor', siteId: siteA });
    expect(entries[1]!.after).toBeNull();
  });

  it('scopes grants to a column of the site and to a review level', async () => {
    const id = await makeUser(t.store, 'col.reviewer');
    const col = await makeColumn(t.store, siteA, 'tzgg', { name: '通知公告' });
    const res = await sec.post('/api/v1/grants', { userId: id, role: 'reviewer', siteId: siteA, columnId: col.id, reviewLevel: 2 });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ columnId: col.id, columnName: '通知公告', reviewLevel: 2 });
    const c = await loginAs(t, 'col.reviewer');
    expect((await c.get('/api/v1/auth/me')).body.grants[0]).toMatchObject({ columnId: col.id, columnIdPath: col.idPath, reviewLevel: 2 });
  });

  it('refuses badly shaped grants with 400 and stores nothing', async () => {
    const id = await makeUser(t.store, 'shape');
    const colB = await makeColumn(t.store, siteB, 'bsfw');
    const before = await countRows(t.store, 'grants');
    const cases: Array<[Record<string, unknown>, RegExp]> = [
      [{ role: 'auditor', siteId: siteA }, /平台级角色，不能限定站点/],
      [{ role: 'sysadmin', columnId: colB.id }, /不能限定栏目/],
      [{ role: 'editor' }, /须指定站点/],
      [{ role: 'editor', siteId: siteA, columnId: colB.id }, /栏目不属于所选站点/],
      [{ role: 'editor', siteId: siteA, columnId: 999_999 }, /栏目不存在/],
      [{ role: 'editor', siteId: 999_999 }, /站点不存在/],
      [{ role: 'editor', siteId: siteA, reviewLevel: 1 }, /只有审核员/],
      [{ role: 'reviewer', siteId: siteA, reviewLevel: 4 }, /reviewLevel/],
      [{ role: 'site_admin', siteId: siteB, columnId: colB.id }, /整个站点/],
      [{ role: 'root' }, /role/],
    ];
    for (const [body, message] of cases) {
      const res = await sec.post('/api/v1/grants', { userId: id, ...body });
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect(res.body.error.message).toMatch(message);
    }
    expect(await countRows(t.store, 'grants')).toBe(before);
  });

  it('refuses a duplicate grant with 409', async () => {
    const id = await makeUser(t.store, 'dup', [{ role: 'handler', siteId: siteA }]);
    const res = await sec.post('/api/v1/grants', { userId: id, role: 'handler', siteId: siteA });
    expect(res.status).toBe(409);
    expect(res.body.error.message).toBe('该用户已有相同的授权');
    expect(await grantsOf(id)).toHaveLength(1);
    expect((await sec.post('/api/v1/grants', { userId: id, role: 'handler', siteId: siteB })).status).toBe(201);
  });

  it('answers 404 for an unknown user', async () => {
    expect((await sec.post('/api/v1/grants', { userId: 999_999, role: 'editor', siteId: siteA })).status).toBe(404);
  });
});

describe('三员分立: separation of the three administrators', () => {
  it('a secadmin cannot also be auditor, system administrator or hold a site role', async () => {
    const id = await makeUser(t.store, 'sec2', [{ role: 'secadmin' }]);
    for (const body of [{ role: 'auditor' }, { role: 'sysadmin' }, { role: 'editor', siteId: siteA }, { role: 'site_admin', siteId: siteB }]) {
      const res = await sec.post('/api/v1/grants', { userId: id, ...body });
      expect(res.status, body.role).toBe(409);
      expect(res.body.error.code).toBe('conflict');
      expect(res.body.error.message).toMatch(/^三员分立：该用户已是安全管理员/);
    }
    expect((await grantsOf(id)).map((g) => g.role)).toEqual(['secadmin']);
  });

  it('a holder of a site role cannot become one of the three administrators', async () => {
    const id = await makeUser(t.store, 'busy', [{ role: 'editor', siteId: siteA }]);
    for (const role of ['sysadmin', 'secadmin', 'auditor']) {
      const res = await sec.post('/api/v1/grants', { userId: id, role });
      expect(res.status, role).toBe(409);
      expect(res.body.error.message).toMatch(/须由专人担任.*编辑/);
    }
    expect((await grantsOf(id)).map((g) => g.role)).toEqual(['editor']);
  });

  it('lets two concurrent requests give a user at most one administrator role', async () => {
    const id = await makeUser(t.store, 'race');
    const [a, b] = await Promise.all([sec.post('/api/v1/grants', { userId: id, role: 'sysadmin' }), sec.post('/api/v1/grants', { userId: id, role: 'auditor' })]);
    expect([a.status, b.status].sort()).toEqual([201, 409]);
    expect(await grantsOf(id)).toHaveLength(1);
  });
});

describe('who may grant', () => {
  it('the system administrator and the auditor cannot grant or revoke roles', async () => {
    const id = await makeUser(t.store, 'victim', [{ role: 'editor', siteId: siteA }]);
    const grantId = (await grantsOf(id))[0]!.id;
    const before = await countRows(t.store, 'grants');
    for (const name of ['sys', 'aud']) {
      const c = await loginAs(t, name);
      const res = await c.post('/api/v1/grants', { userId: id, role: 'reviewer', siteId: siteA });
      expect(res.status, name).toBe(403);
      expect((await c.del(`/api/v1/grants/${grantId}`)).status, name).toBe(403);
    }
    // a site administrator manages the site, not the people on it
    await makeUser(t.store, 'siteboss', [{ role: 'site_admin', siteId: siteA }]);
    const boss = await loginAs(t, 'siteboss');
    expect((await boss.post('/api/v1/grants', { userId: id, role: 'reviewer', siteId: siteA })).status).toBe(403);
    expect(await countRows(t.store, 'grants')).toBe(before + 1);
  });

  it('nobody changes their own grants', async () => {
    const res = await sec.post('/api/v1/grants', { userId: secId, role: 'auditor' });
    expect(res.status).toBe(403);
    expect(res.body.error.message).toBe('不能修改自己的角色授权');
    const own = (await grantsOf(secId))[0]!;
    expect((await sec.del(`/api/v1/grants/${own.id}`)).status).toBe(403);
    expect(await grantsOf(secId)).toHaveLength(1);
  });

  it('the security administrator holds no site power (site management is the system administrator’s)', async () => {
    const me = (await sec.get('/api/v1/auth/me')).body;
    const actor: Actor = { kind: 'user', id: me.id, username: me.username, displayName: me.displayName, grants: me.grants as Grant[], via: 'session', mustChangePassword: false };
    expect(can(actor, 'site.manage', { siteId: siteA })?.code).toBe('forbidden');
    expect(can(actor, 'system.manage', 'global')?.code).toBe('forbidden');
    expect(can(actor, 'audit.read', 'global')?.code).toBe('forbidden');
    expect(can(actor, 'security.manage', 'global')).toBeNull();
  });

  it('the security administrator gets 403 on site management routes', async () => {
    const org = (await t.store.db.selectFrom('sites').select('organisation_id').where('id', '=', siteA).executeTakeFirstOrThrow()).organisation_id;
    const calls: Array<[string, string, unknown]> = [
      ['POST', '/api/v1/organisations', { code: 'sec-org', name: '安全管理员建的单位' }],
      ['POST', '/api/v1/sites', { code: 'secsite', name: '安全管理员建的站', organisationId: org }],
      ['PATCH', `/api/v1/sites/${siteA}`, { name: '安全管理员改的名' }],
    ];
    const present = calls.filter(([method, url]) => t.jiyue.router.routes.some((r) => r.method === method && r.url === url.replace(/\/\d+$/, '/:id')));
    expect(present).toHaveLength(calls.length);
    const before = await t.store.db.selectFrom('sites').selectAll().orderBy('id').execute();
    const orgs = await countRows(t.store, 'organisations');
    for (const [method, url, body] of present) {
      const res = await sec.request(method, url, body);
      expect(res.status, `${method} ${url}`).toBe(403);
    }
    expect(await t.store.db.selectFrom('sites').selectAll().orderBy('id').execute()).toEqual(before);
    expect(await countRows(t.store, 'organisations')).toBe(orgs);
  });
});
