import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Client, type TestApp, anonymousClient, createTestApp, countRows, loginAs, makeOrg, makeSite, makeUser } from '../../../test/helpers.js';
import { verifyChain } from '../accounts/audit.js';


let t: TestApp;
let root: Client;
beforeAll(async () => {
  t = await createTestApp();
  await makeUser(t.store, 'root', [{ role: 'sysadmin' }]);
  root = await loginAs(t, 'root');
});
afterAll(() => t.close());

describe('organisations', () => {
  it('creates, reads, updates and deletes an organisation, auditing each change', async () => {
    const audits = await countRows(t.store, 'audit_log');
    const created = await root.post('/api/v1/organisations', { code: 'gov-th', name: '天河区人民政府', kind: 'government' });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ code: 'gov-th', name: '天河区人民政府', kind: 'government', parentId: null, sort: 0 });
    const id = created.body.id;

    const got = await root.get(`/api/v1/organisations/${id}`);
    expect(got.status).toBe(200);
    expect(got.body.name).toBe('天河区人民政府');

    const patched = await root.patch(`/api/v1/organisations/${id}`, { name: '广州市天河区人民政府', sort: 3 });
    expect(patched.status).toBe(200);
    expect(patched.body).toMatchObject({ name: '广州市天河区人民政府', sort: 3, code: 'gov-th' });

    const deleted = await root.del(`/api/v1/organisations/${id}`);
    expect(deleted.status).toBe(200);
    expect((await root.get(`/api/v1/organisations/${id}`)).status).toBe(404);
    expect(await countRows(t.store, 'audit_log')).toBe(audits + 3);
    const actions = await t.store.db.selectFrom('audit_log').select('action').orderBy('id', 'desc').limit(3).execute();
    expect(actions.map((a) => a.action)).toEqual(['organisation.delete', 'organisation.update', 'organisation.create']);
    expect((await verifyChain(t.store.db)).ok).toBe(true);
  });

  it('lists organisations in tree order with depths', async () => {
    const top = (await root.post('/api/v1/organisations', { code: 'tree-top', name: '区政府', kind: 'government', sort: -100 })).body.id;
    const b = (await root.post('/api/v1/organisations', { code: 'tree-b', name: '乙局', parentId: top, sort: 2 })).body.id;
    const a = (await root.post('/api/v1/organisations', { code: 'tree-a', name: '甲局', parentId: top, sort: 1 })).body.id;
    const a1 = (await root.post('/api/v1/organisations', { code: 'tree-a1', name: '甲局办公室', parentId: a })).body.id;
    const list = await root.get('/api/v1/organisations');
    expect(list.status).toBe(200);
    const mine = list.body.items.filter((o: any) => [top, a, b, a1].includes(o.id)).map((o: any) => [o.id, o.depth]);
    expect(mine).toEqual([
      [top, 0],
      [a, 1],
      [a1, 2],
      [b, 1],
    ]);
  });

  it('refuses a duplicate code with 409 and stores nothing', async () => {
    await makeOrg(t.store, 'dup-org');
    const before = await countRows(t.store, 'organisations');
    const r = await root.post('/api/v1/organisations', { code: 'dup-org', name: '重复' });
    expect(r.status).toBe(409);
    expect(r.body.error.code).toBe('conflict');
    expect(await countRows(t.store, 'organisations')).toBe(before);
  });

  it('refuses to make an organisation its own ancestor', async () => {
    const top = await makeOrg(t.store, 'loop-top');
    const mid = await makeOrg(t.store, 'loop-mid', '中', top);
    const low = await makeOrg(t.store, 'loop-low', '下', mid);
    expect((await root.patch(`/api/v1/organisations/${top}`, { parentId: low })).status).toBe(409);
    expect((await root.patch(`/api/v1/organisations/${top}`, { parentId: top })).status).toBe(409);
    expect((await root.patch(`/api/v1/organisations/${top}`, { parentId: 999_999 })).status).toBe(404);
    const row = await t.store.db.selectFrom('organisations').select('parent_id').where('id', '=', top).executeTakeFirstOrThrow();
    expect(row.parent_id).toBeNull();
    expect((await root.patch(`/api/v1/organisations/${low}`, { parentId: top })).status).toBe(200);
  });

  it('refuses to delete an organisation that still has sub-units, sites or users', async () => {
    const parent = await makeOrg(t.store, 'del-parent');
    await makeOrg(t.store, 'del-child', '子单位', parent);
    const withSite = await makeOrg(t.store, 'del-site');
    await makeSite(t.store, 'delsite', { orgId: withSite });
    const withUser = await makeOrg(t.store, 'del-user');
    const uid = await makeUser(t.store, 'orguser');
    await t.store.db.updateTable('users').set({ organisation_id: withUser }).where('id', '=', uid).execute();
    const before = await countRows(t.store, 'organisations');
    for (const [id, word] of [
      [parent, '下级单位'],
      [withSite, '站点'],
      [withUser, '用户'],
    ] as const) {
      const r = await root.del(`/api/v1/organisations/${id}`);
      expect(r.status).toBe(409);
      expect(r.body.error.message).toContain(word);
    }
    expect(await countRows(t.store, 'organisations')).toBe(before);
  });

  it('lets any logged-in user read organisations, but only the system administrator change them', async () => {
    const site = await makeSite(t.store, 'orgacl');
    await makeUser(t.store, 'orgacl-admin', [{ role: 'site_admin', siteId: site }]);
    await makeUser(t.store, 'orgacl-sec', [{ role: 'secadmin' }]);
    const org = await makeOrg(t.store, 'acl-org');
    for (const name of ['orgacl-admin', 'orgacl-sec']) {
      const c = await loginAs(t, name);
      expect((await c.get('/api/v1/organisations')).status).toBe(200);
      expect((await c.get(`/api/v1/organisations/${org}`)).status).toBe(200);
      expect((await c.post('/api/v1/organisations', { code: 'nope-org', name: '不行' })).status).toBe(403);
      expect((await c.patch(`/api/v1/organisations/${org}`, { name: '改名' })).status).toBe(403);
      expect((await c.del(`/api/v1/organisations/${org}`)).status).toBe(403);
    }
    expect((await root.get(`/api/v1/organisations/${org}`)).body.name).toBe('acl-org');
  });

  it('answers anonymous callers with 401', async () => {
    const anon = anonymousClient(t);
    expect((await anon.get('/api/v1/organisations')).status).toBe(401);
    expect((await anon.get('/api/v1/organisations/1')).status).toBe(401);
    expect((await anon.post('/api/v1/organisations', { code: 'anon-org', name: 'x' })).status).toBe(401);
  });

  it('handles hostile input: text stays text, bad codes and sizes are 400, nothing stored', async () => {
    const script = await root.post('/api/v1/organisations', { code: 'hostile-1', name: '<script>alert(1)</script>' });
    expect(script.status).toBe(201);
    expect(script.body.name).toBe('<script>alert(1)</script>');
    const sqlish = await root.post('/api/v1/organisations', { code: 'hostile-2', name: "'; DROP TABLE organisations;--" });
    expect(sqlish.status).toBe(201);
    expect(sqlish.body.name).toBe("'; DROP TABLE organisations;--");
    const emoji = await root.post('/api/v1/organisations', { code: 'hostile-3', name: '🏛️ 政务服务中心' });
    expect(emoji.status).toBe(201);

    const orgs = await countRows(t.store, 'organisations');
    const audits = await countRows(t.store, 'audit_log');
    for (const body of [
      { code: '<script>', name: 'x' },
      { code: '../../etc/passwd', name: 'x' },
      { code: "x'; DROP TABLE organisations;--", name: 'x' },
      { code: 'hostile-4', name: '政'.repeat(10_000) },
      { code: 'hostile-5', name: 'bad \ud800 text' },
      { code: 'hostile-6', name: 'nul\u0000' },
      { code: 'hostile-7', name: '' },
      { code: 'hostile-8', name: 'x', kind: 'ministry' },
      { code: 'hostile-9', name: 'x', parentId: -1 },
      { code: 'hostile-10', name: 'x', parentId: 99_999_999_999 },
      { code: 'hostile-11', name: 'x', extra: true },
    ]) {
      const r = await root.post('/api/v1/organisations', body);
      expect(r.status, JSON.stringify(body).slice(0, 80)).toBe(400);
      expect(r.body.error.code).toBe('validation_failed');
    }
    expect((await root.get('/api/v1/organisations/abc')).status).toBe(400);
    expect((await root.get('/api/v1/organisations/99999999999')).status).toBe(400);
    expect(await countRows(t.store, 'organisations')).toBe(orgs);
    expect(await countRows(t.store, 'audit_log')).toBe(audits);
  });
});
