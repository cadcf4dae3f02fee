import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Client, type TestApp, anonymousClient, countRows, createTestApp, loginAs, makeSite, makeUser } from '../../../test/helpers.js';
import { createTokenForUser } from './index.js';

let t: TestApp;
let sec: Client;
let aud: Client;
let siteA: number;
/** Every secret handed out during the test: none may appear in the audit log. */
const secrets: string[] = [];

beforeAll(async () => {
  t = await createTestApp();
  siteA = await makeSite(t.store, 'aa');
  await makeUser(t.store, 'sec', [{ role: 'secadmin' }]);
  await makeUser(t.store, 'aud', [{ role: 'auditor' }]);
  await makeUser(t.store, 'sys', [{ role: 'sysadmin' }]);
  // Some history at three moments (re-logging in each time: sessions idle out after 30 minutes):
  // a user created, edited, granted, reset; tokens; a policy change; a TOTP enrolment.
  t.now.value = new Date('2026-11-20T03:00:00.000Z');
  sec = await loginAs(t, 'sec');
  const created = (await sec.post('/api/v1/users', { username: 'wang.wu', displayName: '王五' })).body;
  secrets.push(created.password);
  await sec.patch(`/api/v1/users/${created.user.id}`, { displayName: '王五（办公室）', email: 'ww@example.cn' });
  t.now.value = new Date('2026-11-20T04:00:00.000Z');
  sec = await loginAs(t, 'sec');
  await sec.post('/api/v1/grants', { userId: created.user.id, role: 'editor', siteId: siteA });
  secrets.push((await sec.post(`/api/v1/users/${created.user.id}/reset-password`)).body.password);
  secrets.push((await sec.post('/api/v1/tokens', { userId: created.user.id, name: '接口' })).body.token);
  const cli = await createTokenForUser(t.store, 'wang.wu', '命令行', t.now.value);
  if (cli.ok) secrets.push(cli.value.token);
  await sec.put('/api/v1/security/policy', { lockoutThreshold: 6 });
  const setup = await sec.post('/api/v1/auth/totp/setup');
  secrets.push(setup.body.secret);
  t.now.value = new Date('2026-11-20T05:00:00.000Z');
  sec = await loginAs(t, 'sec');
  aud = await loginAs(t, 'aud');
});
afterAll(() => t.close());

describe('reading the audit log', () => {
  it('is for the auditor only: the security and system administrators get 403, strangers 401', async () => {
    expect((await aud.get('/api/v1/audit')).status).toBe(200);
    expect((await aud.get('/api/v1/audit/verify')).status).toBe(200);
    const sys = await loginAs(t, 'sys');
    await makeUser(t.store, 'ed', [{ role: 'site_admin', siteId: siteA }]);
    const ed = await loginAs(t, 'ed');
    for (const [name, c] of [['sec', sec], ['sys', sys], ['ed', ed]] as const) {
      const res = await c.get('/api/v1/audit');
      expect(res.status, name).toBe(403);
      expect(res.body.error.code).toBe('forbidden');
      expect((await c.get('/api/v1/audit/verify')).status, name).toBe(403);
    }
    expect((await anonymousClient(t).get('/api/v1/audit')).status).toBe(401);
  });

  it('lists newest first with before/after as JSON and paginates', async () => {
    const res = await aud.get('/api/v1/audit?pageSize=100');
    expect(res.body.total).toBe(await countRows(t.store, 'audit_log'));
    const ids = res.body.items.map((e: any) => e.id);
    expect(ids).toEqual([...ids].sort((a, b) => b - a));
    const update = res.body.items.find((e: any) => e.action === 'user.update');
    expect(update.before).toMatchObject({ displayName: '王五', email: null });
    expect(update.after).toMatchObject({ displayName: '王五（办公室）', email: 'ww@example.cn' });
    expect(update).toMatchObject({ actorName: 'sec', targetType: 'user', hash: expect.stringMatching(/^[0-9a-f]{64}$/) });

    const p1 = await aud.get('/api/v1/audit?pageSize=3');
    const p2 = await aud.get('/api/v1/audit?pageSize=3&page=2');
    expect(p1.body.items).toHaveLength(3);
    expect(p2.body.items[0].id).toBe(p1.body.items[2].id - 1);
  });

  it('filters by actor, action prefix, target, site and time', async () => {
    const byActor = await aud.get('/api/v1/audit?actor=sec&pageSize=100');
    expect(byActor.body.total).toBeGreaterThan(3);
    expect(byActor.body.items.every((e: any) => e.actorName === 'sec')).toBe(true);

    const users = await aud.get('/api/v1/audit?action=user.&pageSize=100');
    expect(users.body.items.map((e: any) => e.action).sort()).toEqual(['user.create', 'user.password_reset', 'user.totp_setup', 'user.update']);
    expect((await aud.get('/api/v1/audit?action=user.create')).body.total).toBe(1);
    // the prefix is text, not a pattern
    expect((await aud.get('/api/v1/audit?action=%25')).body.total).toBe(0);
    expect((await aud.get('/api/v1/audit?action=user_')).body.total).toBe(0);

    const created = users.body.items.find((e: any) => e.action === 'user.create');
    const target = await aud.get(`/api/v1/audit?targetType=user&targetId=${created.targetId}&pageSize=100`);
    expect(target.body.items.map((e: any) => e.action).sort()).toEqual(['user.create', 'user.password_reset', 'user.update']);

    const onSite = await aud.get(`/api/v1/audit?siteId=${siteA}`);
    expect(onSite.body.items.map((e: any) => e.action)).toEqual(['grant.create']);

    const cli = await aud.get('/api/v1/audit?actor=system:cli');
    expect(cli.body.items.map((e: any) => e.action)).toEqual(['token.create']);

    const window = await aud.get(`/api/v1/audit?from=${encodeURIComponent('2026-11-20T11:00:00+08:00')}&to=2026-11-20T03:30:00Z&pageSize=100`);
    expect(window.body.items.map((e: any) => e.action).sort()).toEqual(['auth.login', 'user.create', 'user.update']);
  });

  it('rejects malformed filters with 400', async () => {
    for (const q of ['from=yesterday', 'to=2026-13-01T00:00:00Z', 'siteId=abc', 'siteId=99999999999', 'pageSize=1000', `actor=${'x'.repeat(200)}`, `targetId=${'9'.repeat(100)}`, 'from=2026-02-30T00:00:00Z']) {
      const res = await aud.get(`/api/v1/audit?${q}`);
      expect(res.status, q).toBe(400);
    }
  });

  it('keeps secrets out of every audit row', async () => {
    const hashes = (await t.store.db.selectFrom('users').select('password_hash').execute()).map((r) => r.password_hash);
    const tokenHashes = (await t.store.db.selectFrom('api_tokens').select('token_hash').execute()).map((r) => r.token_hash);
    expect(secrets.length).toBeGreaterThanOrEqual(5);
    expect(tokenHashes.length).toBe(2);
    const rows = await t.store.db.selectFrom('audit_log').selectAll().execute();
    expect(rows.length).toBeGreaterThan(10);
    for (const r of rows) {
      const text = JSON.stringify(r);
      expect(text).not.toMatch(/\$argon2/);
      for (const s of [...hashes, ...tokenHashes, ...secrets]) expect(text.includes(s), `${r.action} leaks a secret`).toBe(false);
    }
  });

  it('verifies the chain', async () => {
    const res = await aud.get('/api/v1/audit/verify');
    expect(res.body).toEqual({ ok: true, entries: await countRows(t.store, 'audit_log') });
  });
});

describe('the auditor changes nothing and nothing changes the log', () => {
  it('the auditor cannot manage users, grants, tokens of others or the policy', async () => {
    const before = await countRows(t.store, 'audit_log');
    const target = await makeUser(t.store, 'target');
    expect((await aud.post('/api/v1/users', { username: 'by.auditor', displayName: 'x' })).status).toBe(403);
    expect((await aud.patch(`/api/v1/users/${target}`, { status: 'disabled' })).status).toBe(403);
    expect((await aud.post('/api/v1/grants', { userId: target, role: 'editor', siteId: siteA })).status).toBe(403);
    expect((await aud.post('/api/v1/tokens', { userId: target, name: 'x' })).status).toBe(403);
    expect((await aud.put('/api/v1/security/policy', {})).status).toBe(403);
    expect(await countRows(t.store, 'audit_log')).toBe(before);
  });

  it('offers no route that writes to the audit log, and the database refuses edits', async () => {
    const auditRoutes = t.jiyue.router.routes.filter((r) => r.url.startsWith('/api/v1/audit'));
    expect(auditRoutes.map((r) => `${r.method} ${r.url}`).sort()).toEqual(['GET /api/v1/audit', 'GET /api/v1/audit/export.xlsx', 'GET /api/v1/audit/verify']);
    for (const method of ['DELETE', 'PUT', 'PATCH', 'POST']) {
      expect((await aud.request(method, '/api/v1/audit/1', {})).status, method).toBe(404);
    }
    await expect(t.store.db.deleteFrom('audit_log').where('id', '=', 1).execute()).rejects.toThrow(/append-only/);
    await expect(t.store.db.updateTable('audit_log').set({ after: null }).where('id', '=', 1).execute()).rejects.toThrow(/append-only/);
  });
});
