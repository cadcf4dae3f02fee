import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Client, type TestApp, anonymousClient, createTestApp, countRows, loginAs, makeColumn, makeOrg, makeSite, makeUser } from '../../../test/helpers.js';
import { getSiteByCode, resolveSiteByHost } from './queries/sites.js';


let t: TestApp;
let root: Client;
let org: number;
beforeAll(async () => {
  t = await createTestApp();
  await makeUser(t.store, 'root', [{ role: 'sysadmin' }]);
  root = await loginAs(t, 'root');
  org = await makeOrg(t.store, 'sites-org', '区政府');
});
afterAll(() => t.close());

const hostsIn = async (siteId: number): Promise<string[]> =>
  (await t.store.db.selectFrom('site_hosts').select('host').where('site_id', '=', siteId).orderBy('host').execute()).map((r) => r.host);

describe('sites', () => {
  it('creates a site with hosts and typed settings, and returns its url', async () => {
    const r = await root.post('/api/v1/sites', {
      code: 'fgw',
      name: '区发展和改革局',
      organisationId: org,
      hosts: ['FGW.example.gov.cn', 'fgw2.example.gov.cn'],
      settings: { siteIdCode: 'bm12345678', icp: '粤ICP备05012345号-1', psbNumber: '44010602000123', sponsor: '区发展和改革局', mourning: false },
    });
    expect(r.status).toBe(201);
    expect(r.body).toMatchObject({
      code: 'fgw',
      url: '/fgw/',
      hosts: ['fgw.example.gov.cn', 'fgw2.example.gov.cn'],
      language: 'zh-CN',
      theme: 'default',
      status: 'open',
      settings: { siteIdCode: 'bm12345678', icp: '粤ICP备05012345号-1', psbNumber: '44010602000123', sponsor: '区发展和改革局', mourning: false },
    });
    const got = await root.get(`/api/v1/sites/${r.body.id}`);
    expect(got.body).toEqual(r.body);
    expect(await hostsIn(r.body.id)).toEqual(['fgw.example.gov.cn', 'fgw2.example.gov.cn']);
  });

  it('puts the portal (code www) at /', async () => {
    const r = await root.post('/api/v1/sites', { code: 'www', name: '门户网站', organisationId: org });
    expect(r.status).toBe(201);
    expect(r.body.url).toBe('/');
  });

  it('finds a site by host (case and port ignored) and by code', async () => {
    const id = await makeSite(t.store, 'byhost');
    expect((await root.patch(`/api/v1/sites/${id}`, { hosts: ['byhost.gov.cn'] })).status).toBe(200);
    expect((await resolveSiteByHost(t.store.db, 'ByHost.gov.cn:8443'))?.id).toBe(id);
    expect(await resolveSiteByHost(t.store.db, 'other.gov.cn')).toBeUndefined();
    expect(await resolveSiteByHost(t.store.db, '<bad>')).toBeUndefined();
    expect((await getSiteByCode(t.store.db, 'byhost'))?.hosts).toEqual(['byhost.gov.cn']);
    expect(await getSiteByCode(t.store.db, 'nosuch')).toBeUndefined();
  });

  it('refuses a host already bound to another site, on create and update, storing nothing', async () => {
    const a = (await root.post('/api/v1/sites', { code: 'hosta', name: 'A', organisationId: org, hosts: ['a.gov.cn', 'shared.gov.cn'] })).body.id;
    const sites = await countRows(t.store, 'sites');
    const dup = await root.post('/api/v1/sites', { code: 'hostb', name: 'B', organisationId: org, hosts: ['b.gov.cn', 'SHARED.gov.cn'] });
    expect(dup.status).toBe(409);
    expect(dup.body.error.details.taken).toEqual([{ host: 'shared.gov.cn', siteId: a }]);
    expect(await countRows(t.store, 'sites')).toBe(sites);
    expect(await t.store.db.selectFrom('site_hosts').select('host').where('host', '=', 'b.gov.cn').executeTakeFirst()).toBeUndefined();

    const b = (await root.post('/api/v1/sites', { code: 'hostb', name: 'B', organisationId: org, hosts: ['b.gov.cn'] })).body.id;
    const steal = await root.patch(`/api/v1/sites/${b}`, { hosts: ['b2.gov.cn', 'a.gov.cn'], name: '乙' });
    expect(steal.status).toBe(409);
    expect(await hostsIn(b)).toEqual(['b.gov.cn']);
    expect(await hostsIn(a)).toEqual(['a.gov.cn', 'shared.gov.cn']);
    expect((await root.get(`/api/v1/sites/${b}`)).body.name).toBe('B');
  });

  it('replaces a site’s hosts as a whole', async () => {
    const id = (await root.post('/api/v1/sites', { code: 'swap', name: '换域名', organisationId: org, hosts: ['one.gov.cn', 'two.gov.cn'] })).body.id;
    const r = await root.patch(`/api/v1/sites/${id}`, { hosts: ['two.gov.cn', 'three.gov.cn'] });
    expect(r.status).toBe(200);
    expect(r.body.hosts).toEqual(['three.gov.cn', 'two.gov.cn']);
    expect(await hostsIn(id)).toEqual(['three.gov.cn', 'two.gov.cn']);
    expect((await root.patch(`/api/v1/sites/${id}`, { hosts: [] })).body.hosts).toEqual([]);
    expect(await hostsIn(id)).toEqual([]);
  });

  it('refuses reserved, malformed and taken codes', async () => {
    const sites = await countRows(t.store, 'sites');
    for (const code of ['api', 'admin', 'xxgk', 'bsfw', 'hdjl', 'search', 'A', 'fgw<script>', '../x']) {
      const r = await root.post('/api/v1/sites', { code, name: 'x', organisationId: org });
      expect(r.status, code).toBe(400);
      expect(r.body.error.details.issues[0].path).toBe('code');
    }
    await makeSite(t.store, 'taken');
    expect((await root.post('/api/v1/sites', { code: 'taken', name: 'x', organisationId: org })).status).toBe(409);
    expect((await root.post('/api/v1/sites', { code: 'orgless', name: 'x', organisationId: 999_999 })).status).toBe(404);
    expect(await countRows(t.store, 'sites')).toBe(sites + 1);
  });

  it('keeps site codes and portal top-level columns apart (both live at /{x}/)', async () => {
    const portal = (await getSiteByCode(t.store.db, 'www'))?.id ?? (await makeSite(t.store, 'www'));
    await makeColumn(t.store, portal, 'zwgk');
    const r = await root.post('/api/v1/sites', { code: 'zwgk', name: '撞名', organisationId: org });
    expect(r.status).toBe(409);
    expect(r.body.error.message).toContain('/zwgk/');
  });

  it('refuses invalid settings with a Chinese message naming the field', async () => {
    const id = await makeSite(t.store, 'settings');
    const cases: Array<[object, string, string]> = [
      [{ siteIdCode: '123' }, 'settings.siteIdCode', '网站标识码应为10位数字或“bm”加8位数字'],
      [{ icp: '京ICP备123号' }, 'settings.icp', 'ICP备案号'],
      [{ psbNumber: '123' }, 'settings.psbNumber', '公安备案号应为14位数字'],
      [{ banner: { text: '停电通知', level: 'critical' } }, 'settings.banner.level', '通告级别'],
    ];
    for (const [settings, path, message] of cases) {
      const r = await root.patch(`/api/v1/sites/${id}`, { settings });
      expect(r.status).toBe(400);
      expect(r.body.error.details.issues[0].path).toBe(path);
      expect(r.body.error.details.issues[0].message).toContain(message);
    }
    const good = await root.patch(`/api/v1/sites/${id}`, { settings: { banner: { text: '系统维护', level: 'warning' }, mourning: true } });
    expect(good.status).toBe(200);
    expect(good.body.settings).toEqual({ banner: { text: '系统维护', level: 'warning' }, mourning: true });
  });

  it('lists sites with filters and pagination', async () => {
    const other = await makeOrg(t.store, 'list-org');
    await makeSite(t.store, 'lista', { orgId: other, name: '甲 100%_站' });
    await makeSite(t.store, 'listb', { orgId: other, name: '乙站' });
    const c = await makeSite(t.store, 'listc', { orgId: other, name: '丙站' });
    await t.store.db.updateTable('sites').set({ status: 'closed' }).where('id', '=', c).execute();

    const byOrg = await root.get(`/api/v1/sites?organisationId=${other}&pageSize=2`);
    expect(byOrg.status).toBe(200);
    expect(byOrg.body).toMatchObject({ total: 3, page: 1, pageSize: 2 });
    expect(byOrg.body.items).toHaveLength(2);
    const page2 = await root.get(`/api/v1/sites?organisationId=${other}&pageSize=2&page=2`);
    expect(page2.body.items.map((s: any) => s.code)).toEqual(['listc']);
    expect((await root.get(`/api/v1/sites?organisationId=${other}&status=closed`)).body.items.map((s: any) => s.code)).toEqual(['listc']);
    expect((await root.get(`/api/v1/sites?q=${encodeURIComponent('100%_')}`)).body.items.map((s: any) => s.code)).toEqual(['lista']);
    expect((await root.get(`/api/v1/sites?q=${encodeURIComponent('%')}`)).body.items.map((s: any) => s.code)).toEqual(['lista']);
    expect((await root.get('/api/v1/sites?q=LISTB')).body.items.map((s: any) => s.code)).toEqual(['listb']);
    expect((await root.get(`/api/v1/sites?q=${encodeURIComponent("'; DROP TABLE sites;--")}`)).body.total).toBe(0);
    expect((await root.get('/api/v1/sites?status=gone')).status).toBe(400);
    expect((await root.get('/api/v1/sites?pageSize=1000')).status).toBe(400);
  });

  it('lets a site administrator edit their own site but not another, nor its code, hosts or organisation', async () => {
    const a = await makeSite(t.store, 'own-a');
    const b = await makeSite(t.store, 'own-b');
    await makeUser(t.store, 'admin-a', [{ role: 'site_admin', siteId: a }]);
    await makeUser(t.store, 'editor-a', [{ role: 'editor', siteId: a }]);
    const admin = await loginAs(t, 'admin-a');
    const ok = await admin.patch(`/api/v1/sites/${a}`, { name: '甲站（新）', theme: 'blue', settings: { sponsor: '甲局' } });
    expect(ok.status).toBe(200);
    expect(ok.body).toMatchObject({ name: '甲站（新）', theme: 'blue', settings: { sponsor: '甲局' } });
    expect((await admin.patch(`/api/v1/sites/${b}`, { name: '抢' })).status).toBe(403);
    expect((await admin.patch(`/api/v1/sites/${a}`, { code: 'own-a2' })).status).toBe(403);
    expect((await admin.patch(`/api/v1/sites/${a}`, { hosts: ['mine.gov.cn'] })).status).toBe(403);
    expect((await admin.patch(`/api/v1/sites/${a}`, { organisationId: org })).status).toBe(403);
    expect((await admin.post('/api/v1/sites', { code: 'own-c', name: 'C', organisationId: org })).status).toBe(403);
    expect((await admin.del(`/api/v1/sites/${b}`)).status).toBe(403);
    const editor = await loginAs(t, 'editor-a');
    expect((await editor.patch(`/api/v1/sites/${a}`, { name: '编辑改名' })).status).toBe(403);
    // Reading sites is open to every logged-in user: the console needs them for its menus.
    expect((await editor.get(`/api/v1/sites/${b}`)).status).toBe(200);
    expect((await editor.get('/api/v1/sites')).status).toBe(200);
    const row = await t.store.db.selectFrom('sites').select(['name', 'code']).where('id', '=', a).executeTakeFirstOrThrow();
    expect(row).toEqual({ name: '甲站（新）', code: 'own-a' });
  });

  it('lets the system administrator rename a site’s code', async () => {
    const id = await makeSite(t.store, 'rename-me');
    const r = await root.patch(`/api/v1/sites/${id}`, { code: 'renamed' });
    expect(r.status).toBe(200);
    expect(r.body.url).toBe('/renamed/');
    expect((await root.patch(`/api/v1/sites/${id}`, { code: 'taken' })).status).toBe(409);
  });

  it('refuses to delete a site that has columns, and deletes an empty one with its hosts', async () => {
    const full = await makeSite(t.store, 'full');
    await makeColumn(t.store, full, 'news');
    const r = await root.del(`/api/v1/sites/${full}`);
    expect(r.status).toBe(409);
    expect(r.body.error.details.columns).toBe(1);

    const empty = (await root.post('/api/v1/sites', { code: 'empty', name: '空站', organisationId: org, hosts: ['empty.gov.cn'] })).body.id;
    const audits = await countRows(t.store, 'audit_log');
    expect((await root.del(`/api/v1/sites/${empty}`)).status).toBe(200);
    expect((await root.get(`/api/v1/sites/${empty}`)).status).toBe(404);
    expect(await hostsIn(empty)).toEqual([]);
    expect(await countRows(t.store, 'audit_log')).toBe(audits + 1);
    expect((await root.del(`/api/v1/sites/${empty}`)).status).toBe(404);
  });

  it('answers anonymous callers with 401', async () => {
    const anon = anonymousClient(t);
    expect((await anon.get('/api/v1/sites')).status).toBe(401);
    expect((await anon.get('/api/v1/sites/1')).status).toBe(401);
    expect((await anon.post('/api/v1/sites', { code: 'anon', name: 'x', organisationId: org })).status).toBe(401);
    expect((await anon.patch('/api/v1/sites/1', { name: 'x' })).status).toBe(401);
    expect((await anon.del('/api/v1/sites/1')).status).toBe(401);
  });

  it('handles hostile input: names stay text, bad codes, hosts and sizes are 400, nothing stored', async () => {
    const script = await root.post('/api/v1/sites', { code: 'xss', name: '<script>alert(1)</script>', organisationId: org });
    expect(script.status).toBe(201);
    expect(script.body.name).toBe('<script>alert(1)</script>');

    const sites = await countRows(t.store, 'sites');
    const audits = await countRows(t.store, 'audit_log');
    const hosts = await t.store.db.selectFrom('site_hosts').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
    for (const body of [
      { code: '<script>alert(1)</script>', name: 'x', organisationId: org },
      { code: 'h1', name: 'x', organisationId: org, hosts: ['<script>.gov.cn'] },
      { code: 'h2', name: 'x', organisationId: org, hosts: ['../../etc/passwd'] },
      { code: 'h3', name: 'x', organisationId: org, hosts: ["a.cn'; DROP TABLE sites;--"] },
      { code: 'h4', name: '站'.repeat(10_240), organisationId: org },
      { code: 'h5', name: '\ud800\u7ad9', organisationId: org },
      { code: 'h6', name: 'x', organisationId: org, settings: { sponsor: 'x'.repeat(10_240) } },
      { code: 'h7', name: 'x', organisationId: org, settings: { contact: '<script>\u0000' } },
      { code: 'h8', name: 'x', organisationId: org, theme: '../../etc' },
      { code: 'h9', name: 'x', organisationId: '1; DROP TABLE sites' },
    ]) {
      const r = await root.post('/api/v1/sites', body);
      expect(r.status, JSON.stringify(body).slice(0, 80)).toBe(400);
    }
    const raw = await root.request('POST', '/api/v1/sites', '{"code":"raw","name":', { 'content-type': 'application/json' });
    expect(raw.status).toBe(400);
    expect(await countRows(t.store, 'sites')).toBe(sites);
    expect(await countRows(t.store, 'audit_log')).toBe(audits);
    expect((await t.store.db.selectFrom('site_hosts').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n).toBe(hosts.n);
  });

  it('describes its routes in the OpenAPI document', async () => {
    const r = await root.get('/api/v1/openapi.json');
    expect(r.status).toBe(200);
    expect(Object.keys(r.body.paths)).toEqual(expect.arrayContaining(['/api/v1/sites', '/api/v1/sites/{id}/columns', '/api/v1/columns/{id}/move', '/api/v1/organisations/{id}']));
  });
});
