import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PASSWORD, type TestApp, anonymousClient, countRows, createTestApp, loginAs, makeSite, makeUser } from '../../../test/helpers.js';
import { verifyChain } from './audit.js';
import { savePolicy, SecurityPolicy } from './policy.js';
import { totpNow } from './totp.js';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(() => t.close());

describe('login', () => {
  it('logs in, returns a CSRF token and sets an HttpOnly SameSite cookie', async () => {
    await makeUser(t.store, 'alice');
    const res = await t.jiyue.app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { username: 'alice', password: PASSWORD } });
    expect(res.statusCode).toBe(200);
    expect(JSON.parse(res.body).csrfToken).toMatch(/^[\w-]{20,}$/);
    const cookie = String(res.headers['set-cookie']);
    expect(cookie).toMatch(/jiyue_session=/);
    expect(cookie).toMatch(/HttpOnly/);
    expect(cookie).toMatch(/SameSite=Strict/);
  });

  it('answers a wrong password and an unknown user alike, in Chinese', async () => {
    const a = await anonymousClient(t).post('/api/v1/auth/login', { username: 'alice', password: 'wrong-Passw0rd' });
    const b = await anonymousClient(t).post('/api/v1/auth/login', { username: 'nobody', password: 'wrong-Passw0rd' });
    expect(a.status).toBe(401);
    expect(b.status).toBe(401);
    expect(a.body.error.message).toBe('用户名或密码错误');
    expect(b.body.error.message).toBe(a.body.error.message);
  });

  it('answers English callers in English', async () => {
    const r = await anonymousClient(t).request('POST', '/api/v1/auth/login', { username: 'x' }, { 'accept-language': 'en-US,en;q=0.9' });
    expect(r.status).toBe(400);
    expect(r.body.error.code).toBe('validation_failed');
    expect(r.body.error.message).toMatch(/^Invalid input/);
  });

  it('locks the account for 15 minutes after 5 failures, even for the right password', async () => {
    await makeUser(t.store, 'bob');
    const c = anonymousClient(t);
    for (let i = 0; i < 4; i++) expect((await c.post('/api/v1/auth/login', { username: 'bob', password: 'bad-Passw0rd' })).status).toBe(401);
    const fifth = await c.post('/api/v1/auth/login', { username: 'bob', password: 'bad-Passw0rd' });
    expect(fifth.status).toBe(423);
    expect((await c.post('/api/v1/auth/login', { username: 'bob', password: PASSWORD })).status).toBe(423);
    t.now.value = new Date(t.now.value.getTime() + 14 * 60_000);
    expect((await c.post('/api/v1/auth/login', { username: 'bob', password: PASSWORD })).status).toBe(423);
    t.now.value = new Date(t.now.value.getTime() + 2 * 60_000);
    expect((await c.post('/api/v1/auth/login', { username: 'bob', password: PASSWORD })).status).toBe(200);
  });

  it('refuses malformed bodies with the error shape', async () => {
    const c = anonymousClient(t);
    const bad = await c.request('POST', '/api/v1/auth/login', '{"username":', { 'content-type': 'application/json' });
    expect(bad.status).toBe(400);
    expect(bad.body.error.code).toBe('bad_request');
    const huge = await c.post('/api/v1/auth/login', { username: 'a'.repeat(10), password: 'x'.repeat(3 * 1024 * 1024) });
    expect(huge.status).toBe(413);
    expect(huge.body.error.code).toBe('payload_too_large');
  });
});

describe('sessions', () => {
  it('requires the CSRF token on cookie-authenticated writes', async () => {
    await makeUser(t.store, 'carol');
    const c = await loginAs(t, 'carol');
    const withToken = await c.post('/api/v1/auth/logout');
    expect(withToken.status).toBe(200);
    const c2 = await loginAs(t, 'carol');
    const noToken = await c2.request('POST', '/api/v1/auth/logout', {}, { 'x-csrf-token': 'forged' });
    expect(noToken.status).toBe(403);
    expect(noToken.body.error.code).toBe('csrf_failed');
  });

  it('ends a session idle for more than 30 minutes', async () => {
    await makeUser(t.store, 'dave');
    const c = await loginAs(t, 'dave');
    expect((await c.get('/api/v1/auth/me')).body.username).toBe('dave');
    t.now.value = new Date(t.now.value.getTime() + 29 * 60_000);
    expect((await c.get('/api/v1/auth/me')).body.username).toBe('dave');
    t.now.value = new Date(t.now.value.getTime() + 29 * 60_000); // active 29 min ago: still alive
    expect((await c.get('/api/v1/auth/me')).body.username).toBe('dave');
    t.now.value = new Date(t.now.value.getTime() + 31 * 60_000);
    expect((await c.get('/api/v1/auth/me')).status).toBe(401);
  });
});

describe('forced first password change', () => {
  it('blocks everything but the change until the password meets the policy', async () => {
    const site = await makeSite(t.store, 'pw');
    await makeUser(t.store, 'erin', [{ role: 'editor', siteId: site }], { mustChangePassword: true });
    const c = await loginAs(t, 'erin');
    expect((await c.post('/api/v1/auth/totp/disable', { code: '123456' })).body.error.code).toBe('password_change_required');
    const weak = await c.post('/api/v1/auth/password', { currentPassword: PASSWORD, newPassword: 'alllowercase' });
    expect(weak.status).toBe(400);
    expect(weak.body.error.message).toMatch(/至少三类/);
    const okRes = await c.post('/api/v1/auth/password', { currentPassword: PASSWORD, newPassword: 'Xinmima-2026!' });
    expect(okRes.status).toBe(200);
    expect((await c.get('/api/v1/auth/me')).body.mustChangePassword).toBe(false);
  });
});

describe('TOTP second factor', () => {
  it('enrols, then requires the code at the next login', async () => {
    await makeUser(t.store, 'frank');
    const c = await loginAs(t, 'frank');
    const setup = await c.post('/api/v1/auth/totp/setup');
    expect(setup.body.uri).toMatch(/^otpauth:\/\/totp\//);
    expect((await c.post('/api/v1/auth/totp/enable', { code: '000000' })).status).toBe(400);
    expect((await c.post('/api/v1/auth/totp/enable', { code: totpNow(setup.body.secret, t.now.value) })).status).toBe(200);

    const c2 = await loginAs(t, 'frank');
    const blocked = await c2.post('/api/v1/auth/totp/disable', { code: '111111' });
    expect(blocked.body.error.code).toBe('mfa_required');
    expect((await c2.post('/api/v1/auth/totp/verify', { code: totpNow(setup.body.secret, t.now.value) })).status).toBe(200);
    expect((await c2.get('/api/v1/auth/me')).body.mfaPending).toBe(false);
  });

  it('makes enrolment mandatory for roles the policy names', async () => {
    await savePolicy(t.store.db, SecurityPolicy.parse({ mfaRequiredRoles: ['secadmin'] }), t.now.value);
    await makeUser(t.store, 'grace', [{ role: 'secadmin' }]);
    const res = await anonymousClient(t).post('/api/v1/auth/login', { username: 'grace', password: PASSWORD });
    expect(res.body.mfa).toBe('enrol');
    await savePolicy(t.store.db, SecurityPolicy.parse({}), t.now.value);
  });
});

describe('audit chain', () => {
  it('records logins in a chain that verifies, and the database refuses edits', async () => {
    expect(await countRows(t.store, 'audit_log')).toBeGreaterThan(5);
    const report = await verifyChain(t.store.db);
    expect(report.ok).toBe(true);
    await expect(t.store.db.updateTable('audit_log').set({ action: 'x' }).execute()).rejects.toThrow(/append-only/);
    await expect(t.store.db.deleteFrom('audit_log').execute()).rejects.toThrow(/append-only/);
  });
});

describe('malformed text', () => {
  it('refuses a lone surrogate or a NUL character anywhere in the body with a 400', async () => {
    for (const username of ['\uD800示范', 'ab\u0000c']) {
      const r = await anonymousClient(t).post('/api/v1/auth/login', { username, password: 'x' });
      expect(r.status).toBe(400);
      expect(r.body.error.code).toBe('validation_failed');
      expect(r.body.error.details.issues[0].path).toBe('username');
    }
  });
});

describe('password change and the second factor', () => {
  it('refuses a password change until an enrolled second factor is verified', async () => {
    await makeUser(t.store, 'henry');
    const c = await loginAs(t, 'henry');
    const setup = await c.post('/api/v1/auth/totp/setup');
    await c.post('/api/v1/auth/totp/enable', { code: totpNow(setup.body.secret, t.now.value) });
    const half = await loginAs(t, 'henry'); // password only: second factor pending
    const r = await half.post('/api/v1/auth/password', { currentPassword: PASSWORD, newPassword: 'Stolen-Passw0rd!' });
    expect(r.status).toBe(401);
    expect(r.body.error.code).toBe('mfa_required');
    await half.post('/api/v1/auth/totp/verify', { code: totpNow(setup.body.secret, t.now.value) });
    expect((await half.post('/api/v1/auth/password', { currentPassword: PASSWORD, newPassword: 'Proper-Passw0rd!' })).status).toBe(200);
  });
});
