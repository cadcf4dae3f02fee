import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Client, PASSWORD, type TestApp, anonymousClient, createTestApp, loginAs, makeUser } from '../../../test/helpers.js';

let t: TestApp;
let sec: Client;

beforeAll(async () => {
  t = await createTestApp();
  await makeUser(t.store, 'sec', [{ role: 'secadmin' }]);
  await makeUser(t.store, 'aud', [{ role: 'auditor' }]);
  await makeUser(t.store, 'sys', [{ role: 'sysadmin' }]);
  sec = await loginAs(t, 'sec');
});
afterAll(() => t.close());

const DEFAULTS = { sessionIdleMinutes: 30, sessionMaxHours: 12, lockoutThreshold: 5, lockoutMinutes: 15, mfaRequiredRoles: [] };
const stored = async () => (await t.store.db.selectFrom('settings').select('value').where('key', '=', 'security.policy').executeTakeFirst())?.value ?? null;

describe('security policy', () => {
  it('shows the defaults before anything is saved', async () => {
    const res = await sec.get('/api/v1/security/policy');
    expect(res.status).toBe(200);
    expect(res.body).toEqual(DEFAULTS);
  });

  it('replaces the policy, applies it to the next login, and audits before and after', async () => {
    const res = await sec.put('/api/v1/security/policy', { sessionIdleMinutes: 20, lockoutThreshold: 3, lockoutMinutes: 5, mfaRequiredRoles: ['sysadmin', 'secadmin', 'sysadmin'] });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ sessionIdleMinutes: 20, sessionMaxHours: 12, lockoutThreshold: 3, lockoutMinutes: 5, mfaRequiredRoles: ['sysadmin', 'secadmin'] });
    expect((await sec.get('/api/v1/security/policy')).body).toEqual(res.body);

    await makeUser(t.store, 'clumsy');
    const anon = anonymousClient(t);
    for (let i = 0; i < 2; i++) expect((await anon.post('/api/v1/auth/login', { username: 'clumsy', password: 'Wrong-Passw0rd' })).status).toBe(401);
    expect((await anon.post('/api/v1/auth/login', { username: 'clumsy', password: 'Wrong-Passw0rd' })).status).toBe(423);
    expect((await anon.post('/api/v1/auth/login', { username: 'sys', password: PASSWORD })).body.mfa).toBe('enrol');

    const entry = await t.store.db.selectFrom('audit_log').selectAll().where('action', '=', 'security.policy_update').executeTakeFirstOrThrow();
    expect(entry.actor_name).toBe('sec');
    expect(JSON.parse(entry.before!)).toEqual(DEFAULTS);
    expect(JSON.parse(entry.after!)).toMatchObject({ sessionIdleMinutes: 20, lockoutThreshold: 3 });

    expect((await sec.put('/api/v1/security/policy', {})).body).toEqual(DEFAULTS);
  });

  it('is for the security administrator only', async () => {
    const before = await stored();
    for (const name of ['aud', 'sys']) {
      const c = await loginAs(t, name);
      expect((await c.get('/api/v1/security/policy')).status, name).toBe(403);
      expect((await c.put('/api/v1/security/policy', { lockoutThreshold: 20 })).status, name).toBe(403);
    }
    expect((await anonymousClient(t).put('/api/v1/security/policy', { lockoutThreshold: 20 })).status).toBe(401);
    expect(await stored()).toBe(before);
  });
});
