import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type Client,
  PASSWORD,
  type TestApp,
  anonymousClient,
  countRows,
  createTestApp,
  loginAs,
  makeOrg,
  makeSite,
  makeUser,
} from '../../../test/helpers.js';
import { passwordProblems, verifyPassword } from './passwords.js';

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
  siteA = await makeSite(t.store, 'ua');
  siteB = await makeSite(t.store, 'ub');
  sec = await loginAs(t, 'sec');
});
afterAll(() => t.close());

const userRow = (id: number) => t.store.db.selectFrom('users').selectAll().where('id', '=', id).executeTakeFirstOrThrow();

describe('creating users', () => {
  it('creates a user with a one-time password that must be changed at first login', async () => {
    const org = await makeOrg(t.store, 'gov-office', '政府办公室');
    const res = await sec.post('/api/v1/users', { username: 'zhang.san', displayName: '张三', organisationId: org, email: 'zs@example.gov.cn', phone: '+86 20 1234-5678' });
    expect(res.status).toBe(201);
    expect(res.body.user).toMatchObject({ username: 'zhang.san', displayName: '张三', organisationId: org, email: 'zs@example.gov.cn', status: 'active', mustChangePassword: true, grants: [] });
    const password: string = res.body.password;
    expect(passwordProblems(password)).toEqual([]);
    expect(JSON.stringify(res.body)).not.toMatch(/argon2|passwordHash|password_hash|totpSecret|totp_secret/i);

    const row = await userRow(res.body.user.id);
    expect(row.must_change_password).toBe(1);
    expect(row.password_hash).not.toContain(password);
    expect(await verifyPassword(row.password_hash, password)).toBe(true);

    const c = await loginAs(t, 'zhang.san', password);
    expect((await c.get('/api/v1/auth/me')).body.mustChangePassword).toBe(true);
    expect((await c.get('/api/v1/tokens')).body.error.code).toBe('password_change_required');
    expect((await c.post('/api/v1/auth/password', { currentPassword: password, newPassword: 'Zhangsan-New-2026' })).status).toBe(200);
    expect((await c.get('/api/v1/tokens')).status).toBe(200);
  });

  it('refuses a taken username with 409 and stores nothing', async () => {
    const before = await countRows(t.store, 'users');
    const res = await sec.post('/api/v1/users', { username: 'zhang.san', displayName: '另一个张三' });
    expect(res.status).toBe(409);
    expect(res.body.error.message).toBe('用户名已被使用');
    expect(await countRows(t.store, 'users')).toBe(before);
  });

  it('refuses an unknown organisation', async () => {
    const res = await sec.post('/api/v1/users', { username: 'orgless', displayName: '无单位', organisationId: 999_999 });
    expect(res.status).toBe(400);
    expect(res.body.error.details.issues[0].path).toBe('organisationId');
  });

  it('is for the security administrator only: auditor, system administrator and editors get 403, strangers 401', async () => {
    const before = await countRows(t.store, 'users');
    await makeUser(t.store, 'ed-u', [{ role: 'editor', siteId: siteA }]);
    for (const name of ['aud', 'sys', 'ed-u']) {
      const c = await loginAs(t, name);
      const res = await c.post('/api/v1/users', { username: `made-by-${name}`, displayName: 'x' });
      expect(res.status, name).toBe(403);
      expect(res.body.error.code).toBe('forbidden');
      expect((await c.get('/api/v1/users')).status, name).toBe(403);
    }
    expect((await anonymousClient(t).post('/api/v1/users', { username: 'anon', displayName: 'x' })).status).toBe(401);
    expect(await countRows(t.store, 'users')).toBe(before + 1); // only the editor made by the builder
  });

  it('has no way to delete a user', async () => {
    const id = await makeUser(t.store, 'keeper');
    expect((await sec.del(`/api/v1/users/${id}`)).status).toBe(404);
    expect((await userRow(id)).username).toBe('keeper');
  });
});

describe('listing and reading users', () => {
  it('filters by text, status, role and site, paginates, and never shows secrets', async () => {
    await makeUser(t.store, 'li.editor', [{ role: 'editor', siteId: siteA }]);
    await makeUser(t.store, 'li.reviewer', [{ role: 'reviewer', siteId: siteB, reviewLevel: 2 }]);
    await makeUser(t.store, 'li.both', [{ role: 'editor', siteId: siteB }]);
    await t.store.db.updateTable('users').set({ totp_secret: 'JBSWY3DPEHPK3PXP', totp_enabled: 1 }).where('username', '=', 'li.both').execute();

    const all = await sec.get('/api/v1/users?q=LI.&pageSize=100');
    expect(all.status).toBe(200);
    expect(all.body.items.map((u: any) => u.username).sort()).toEqual(['li.both', 'li.editor', 'li.reviewer']);
    expect(JSON.stringify(all.body)).not.toMatch(/argon2|JBSWY3DPEHPK3PXP|passwordHash|totpSecret/);

    const editors = await sec.get('/api/v1/users?q=li.&role=editor');
    expect(editors.body.items.map((u: any) => u.username).sort()).toEqual(['li.both', 'li.editor']);
    const onB = await sec.get(`/api/v1/users?q=li.&siteId=${siteB}`);
    expect(onB.body.items.map((u: any) => u.username).sort()).toEqual(['li.both', 'li.reviewer']);
    const editorsOnB = await sec.get(`/api/v1/users?role=editor&siteId=${siteB}`);
    expect(editorsOnB.body.items.map((u: any) => u.username)).toEqual(['li.both']);
    const reviewer = onB.body.items.find((u: any) => u.username === 'li.reviewer');
    expect(reviewer.grants).toEqual([expect.objectContaining({ role: 'reviewer', roleName: '审核员', siteId: siteB, siteName: 'ub 网站', reviewLevel: 2 })]);

    const page2 = await sec.get('/api/v1/users?q=li.&pageSize=2&page=2');
    expect(page2.body).toMatchObject({ total: 3, page: 2, pageSize: 2 });
    expect(page2.body.items).toHaveLength(1);

    // q is text, not a pattern
    expect((await sec.get('/api/v1/users?q=%25')).body.total).toBe(0);
    expect((await sec.get(`/api/v1/users?q=${encodeURIComponent("'; DROP TABLE users;--")}`)).body.total).toBe(0);
    expect(await countRows(t.store, 'users')).toBeGreaterThan(3);
  });

  it('reads one user with their grants, and 404 for an unknown id', async () => {
    const id = await makeUser(t.store, 'one', [{ role: 'handler', siteId: siteA }]);
    const res = await sec.get(`/api/v1/users/${id}`);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ id, username: 'one', status: 'active', locked: false });
    expect(res.body.grants).toEqual([expect.objectContaining({ role: 'handler', siteId: siteA })]);
    expect(res.body).not.toHaveProperty('passwordHash');
    expect((await sec.get('/api/v1/users/999999')).status).toBe(404);
  });
});

describe('updating and disabling users', () => {
  it('edits the profile and records before and after', async () => {
    const id = await makeUser(t.store, 'edit.me');
    const res = await sec.patch(`/api/v1/users/${id}`, { displayName: '李四 😀', email: 'ls@example.cn', phone: null });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ displayName: '李四 😀', email: 'ls@example.cn', phone: null });
    const entry = await t.store.db.selectFrom('audit_log').selectAll().where('action', '=', 'user.update').where('target_id', '=', String(id)).executeTakeFirstOrThrow();
    expect(JSON.parse(entry.before!).displayName).toBe('edit.me');
    expect(JSON.parse(entry.after!).displayName).toBe('李四 😀');
    expect(entry.actor_name).toBe('sec');
  });

  it('disabling ends the user’s session at once, keeps their grants and tokens, and blocks login', async () => {
    const id = await makeUser(t.store, 'leaver', [{ role: 'editor', siteId: siteA }]);
    const c = await loginAs(t, 'leaver');
    expect((await c.get('/api/v1/auth/me')).status).toBe(200);
    const token = (await c.post('/api/v1/tokens', { name: '离职前的令牌' })).body.token;

    const res = await sec.patch(`/api/v1/users/${id}`, { status: 'disabled' });
    expect(res.status).toBe(200);
    expect(res.body.status).toBe('disabled');
    expect((await c.get('/api/v1/auth/me')).status).toBe(401);
    expect(await t.store.db.selectFrom('sessions').select('id').where('user_id', '=', id).execute()).toEqual([]);
    const login = await anonymousClient(t).post('/api/v1/auth/login', { username: 'leaver', password: PASSWORD });
    expect(login.status).toBe(403);
    expect(login.body.error.message).toBe('账号已停用');
    // grants and tokens are not revoked, they simply do not work while disabled
    expect((await sec.get(`/api/v1/users/${id}`)).body.grants).toHaveLength(1);
    const tok = await t.store.db.selectFrom('api_tokens').select('revoked_at').where('user_id', '=', id).executeTakeFirstOrThrow();
    expect(tok.revoked_at).toBeNull();
    expect((await anonymousClient(t).request('GET', '/api/v1/auth/me', undefined, { authorization: `Bearer ${token}` })).status).toBe(401);
    const audit = await t.store.db.selectFrom('audit_log').selectAll().where('action', '=', 'user.disable').where('target_id', '=', String(id)).executeTakeFirstOrThrow();
    expect(JSON.parse(audit.before!).status).toBe('active');
    expect(JSON.parse(audit.after!).status).toBe('disabled');

    expect((await sec.patch(`/api/v1/users/${id}`, { status: 'active' })).status).toBe(200);
    await expect(loginAs(t, 'leaver')).resolves.toBeDefined();
  });

  it('refuses to let the security administrator disable themselves, but lets them edit their own name', async () => {
    const res = await sec.patch(`/api/v1/users/${secId}`, { status: 'disabled' });
    expect(res.status).toBe(403);
    expect(res.body.error.message).toBe('不能停用自己的账号');
    expect((await userRow(secId)).status).toBe('active');
    expect((await sec.patch(`/api/v1/users/${secId}`, { displayName: '安全管理员' })).status).toBe(200);
  });

  it('answers 404 for an unknown user and 400 for an empty change', async () => {
    expect((await sec.patch('/api/v1/users/999999', { displayName: 'x' })).status).toBe(404);
    const id = await makeUser(t.store, 'unchanged');
    const res = await sec.patch(`/api/v1/users/${id}`, {});
    expect(res.status).toBe(400);
    expect(res.body.error.message).toMatch(/至少需要修改一项/);
  });
});

describe('resetting passwords and unlocking', () => {
  it('a reset ends the user’s sessions and forces a change at the next login', async () => {
    const id = await makeUser(t.store, 'forgetful', [{ role: 'editor', siteId: siteA }]);
    const old = await loginAs(t, 'forgetful');
    const res = await sec.post(`/api/v1/users/${id}/reset-password`);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ userId: id, username: 'forgetful' });
    const password: string = res.body.password;
    expect(passwordProblems(password)).toEqual([]);

    expect((await old.get('/api/v1/auth/me')).status).toBe(401);
    expect((await anonymousClient(t).post('/api/v1/auth/login', { username: 'forgetful', password: PASSWORD })).status).toBe(401);
    const c = await loginAs(t, 'forgetful', password);
    expect((await c.get('/api/v1/auth/me')).body.mustChangePassword).toBe(true);
    expect((await c.get('/api/v1/tokens')).body.error.code).toBe('password_change_required');
    expect((await c.post('/api/v1/auth/password', { currentPassword: password, newPassword: 'Remembered-2026!' })).status).toBe(200);
    expect((await c.get('/api/v1/tokens')).status).toBe(200);

    const entry = await t.store.db.selectFrom('audit_log').selectAll().where('action', '=', 'user.password_reset').where('target_id', '=', String(id)).executeTakeFirstOrThrow();
    expect(entry.after).not.toContain(password);
    expect(JSON.parse(entry.after!).mustChangePassword).toBe(true);
  });

  it('a reset also lifts a lockout', async () => {
    const id = await makeUser(t.store, 'locked.reset');
    for (let i = 0; i < 5; i++) await anonymousClient(t).post('/api/v1/auth/login', { username: 'locked.reset', password: 'Wrong-Passw0rd' });
    expect((await userRow(id)).locked_until).not.toBeNull();
    const { password } = (await sec.post(`/api/v1/users/${id}/reset-password`)).body;
    expect((await userRow(id)).locked_until).toBeNull();
    expect((await anonymousClient(t).post('/api/v1/auth/login', { username: 'locked.reset', password })).status).toBe(200);
  });

  it('the security administrator cannot reset their own password through this route', async () => {
    const res = await sec.post(`/api/v1/users/${secId}/reset-password`);
    expect(res.status).toBe(403);
    expect((await sec.get('/api/v1/auth/me')).status).toBe(200);
  });

  it('unlocks a locked account before the lockout runs out', async () => {
    const id = await makeUser(t.store, 'locked.out');
    const anon = anonymousClient(t);
    for (let i = 0; i < 5; i++) await anon.post('/api/v1/auth/login', { username: 'locked.out', password: 'Wrong-Passw0rd' });
    expect((await anon.post('/api/v1/auth/login', { username: 'locked.out', password: PASSWORD })).status).toBe(423);
    expect((await sec.get(`/api/v1/users/${id}`)).body.locked).toBe(true);

    const res = await sec.post(`/api/v1/users/${id}/unlock`);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ locked: false, lockedUntil: null, failedLogins: 0 });
    expect((await anon.post('/api/v1/auth/login', { username: 'locked.out', password: PASSWORD })).status).toBe(200);
    const row = await userRow(id);
    expect(row.failed_logins).toBe(0);
    expect(row.locked_until).toBeNull();
  });

  it('clears a failure count that has not reached the lockout yet', async () => {
    const id = await makeUser(t.store, 'almost');
    for (let i = 0; i < 3; i++) await anonymousClient(t).post('/api/v1/auth/login', { username: 'almost', password: 'Wrong-Passw0rd' });
    expect((await userRow(id)).failed_logins).toBe(3);
    expect((await sec.post(`/api/v1/users/${id}/unlock`)).status).toBe(200);
    expect((await userRow(id)).failed_logins).toBe(0);
  });

  it('reset and unlock are refused to others and answer 404 for unknown users', async () => {
    const id = await makeUser(t.store, 'target');
    const aud = await loginAs(t, 'aud');
    const sys = await loginAs(t, 'sys');
    for (const c of [aud, sys]) {
      expect((await c.post(`/api/v1/users/${id}/reset-password`)).status).toBe(403);
      expect((await c.post(`/api/v1/users/${id}/unlock`)).status).toBe(403);
    }
    expect((await sec.post('/api/v1/users/999999/reset-password')).status).toBe(404);
    expect((await sec.post('/api/v1/users/999999/unlock')).status).toBe(404);
  });
});
