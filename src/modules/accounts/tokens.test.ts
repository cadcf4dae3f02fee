import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type TestApp, anonymousClient, bearerClient, createTestApp, loginAs, makeSite, makeUser } from '../../../test/helpers.js';
import { createTokenForUser } from './index.js';
import { sha256 } from './passwords.js';

let t: TestApp;
let siteA: number;
let editorId: number;
let integId: number;

beforeAll(async () => {
  t = await createTestApp();
  siteA = await makeSite(t.store, 'ta');
  await makeUser(t.store, 'sec', [{ role: 'secadmin' }]);
  editorId = await makeUser(t.store, 'editor', [{ role: 'editor', siteId: siteA }]);
  integId = await makeUser(t.store, 'oa-push', [{ role: 'editor', siteId: siteA }]);
});
afterAll(() => t.close());

const advance = (minutes: number) => {
  t.now.value = new Date(t.now.value.getTime() + minutes * 60_000);
};
const tokenRow = (id: number) => t.store.db.selectFrom('api_tokens').selectAll().where('id', '=', id).executeTakeFirstOrThrow();

describe('own tokens', () => {
  it('creates a token shown once, stores only its hash, and authenticates Bearer calls without CSRF', async () => {
    const ed = await loginAs(t, 'editor');
    const res = await ed.post('/api/v1/tokens', { name: '我的脚本' });
    expect(res.status).toBe(201);
    const token: string = res.body.token;
    expect(token).toMatch(/^jy_[A-Za-z0-9_-]{43}$/);
    expect(res.body).toMatchObject({ userId: editorId, username: 'editor', name: '我的脚本', prefix: token.slice(0, 10), expiresAt: null, revokedAt: null, active: true });

    const row = await tokenRow(res.body.id);
    expect(row.token_hash).toBe(sha256(token));
    expect(row.prefix).toBe(token.slice(0, 10));
    expect(JSON.stringify(row)).not.toContain(token);

    const me = await bearerClient(t, token).get('/api/v1/auth/me');
    expect(me.status).toBe(200);
    expect(me.body).toMatchObject({ username: 'editor', csrfToken: null });
    expect((await tokenRow(res.body.id)).last_used_at).toBe(t.now.value.toISOString());

    const list = await ed.get('/api/v1/tokens');
    expect(list.status).toBe(200);
    expect(list.body.total).toBe(1);
    expect(list.body.items[0]).toMatchObject({ id: res.body.id, name: '我的脚本', prefix: token.slice(0, 10) });
    expect(JSON.stringify(list.body)).not.toContain(token);
    expect(JSON.stringify(list.body)).not.toContain(row.token_hash);
  });

  it('stops working at once when revoked, even by a Bearer call of the same token', async () => {
    const ed = await loginAs(t, 'editor');
    const { id, token } = (await ed.post('/api/v1/tokens', { name: '临时' })).body;
    const bearer = bearerClient(t, token);
    expect((await bearer.get('/api/v1/auth/me')).status).toBe(200);
    // a token may revoke itself (no CSRF for Bearer calls)
    const del = await bearer.del(`/api/v1/tokens/${id}`);
    expect(del.status).toBe(200);
    expect(del.body).toMatchObject({ id, active: false, revokedAt: t.now.value.toISOString() });
    expect((await bearer.get('/api/v1/auth/me')).status).toBe(401);
    expect((await ed.del(`/api/v1/tokens/${id}`)).status).toBe(409);
    const entries = await t.store.db.selectFrom('audit_log').selectAll().where('target_type', '=', 'api_token').where('target_id', '=', String(id)).orderBy('id').execute();
    expect(entries.map((e) => e.action)).toEqual(['token.create', 'token.revoke']);
    expect(JSON.parse(entries[1]!.before!).active).toBe(true);
    expect(JSON.parse(entries[1]!.after!).active).toBe(false);
  });

  it('stops working when it expires', async () => {
    const ed = await loginAs(t, 'editor');
    const expiresAt = new Date(t.now.value.getTime() + 60 * 60_000).toISOString();
    const res = await ed.post('/api/v1/tokens', { name: '一小时', expiresAt: expiresAt.replace('Z', '+00:00') });
    expect(res.status).toBe(201);
    expect(res.body.expiresAt).toBe(expiresAt);
    const bearer = bearerClient(t, res.body.token);
    advance(59);
    expect((await bearer.get('/api/v1/auth/me')).status).toBe(200);
    advance(1);
    expect((await bearer.get('/api/v1/auth/me')).status).toBe(401);
    const again = await loginAs(t, 'editor');
    const listed = (await again.get('/api/v1/tokens')).body.items.find((x: any) => x.id === res.body.id);
    expect(listed).toMatchObject({ active: false, revokedAt: null });
  });

  it('refuses an expiry in the past', async () => {
    const ed = await loginAs(t, 'editor');
    const res = await ed.post('/api/v1/tokens', { name: '过去', expiresAt: new Date(t.now.value.getTime() - 1000).toISOString() });
    expect(res.status).toBe(400);
    expect(res.body.error.details.issues[0].path).toBe('expiresAt');
  });

  it('a token cannot mint new tokens', async () => {
    const ed = await loginAs(t, 'editor');
    const { token } = (await ed.post('/api/v1/tokens', { name: '母令牌' })).body;
    const before = await t.store.db.selectFrom('api_tokens').select('id').execute();
    const res = await bearerClient(t, token).post('/api/v1/tokens', { name: '子令牌' });
    expect(res.status).toBe(403);
    expect(await t.store.db.selectFrom('api_tokens').select('id').execute()).toHaveLength(before.length);
  });

  it('a user cannot see, create or revoke another user’s tokens', async () => {
    const sec = await loginAs(t, 'sec');
    const other = (await sec.post('/api/v1/tokens', { userId: integId, name: 'OA 系统' })).body;
    const ed = await loginAs(t, 'editor');
    expect((await ed.get(`/api/v1/tokens?userId=${integId}`)).status).toBe(403);
    expect((await ed.post('/api/v1/tokens', { userId: integId, name: '冒名' })).status).toBe(403);
    expect((await ed.del(`/api/v1/tokens/${other.id}`)).status).toBe(403);
    expect((await tokenRow(other.id)).revoked_at).toBeNull();
    expect((await ed.del('/api/v1/tokens/999999')).status).toBe(404);
    expect((await anonymousClient(t).get('/api/v1/tokens')).status).toBe(401);
  });
});

describe('tokens administered by the security administrator', () => {
  it('creates, lists and revokes tokens of an integration user', async () => {
    const sec = await loginAs(t, 'sec');
    const res = await sec.post('/api/v1/tokens', { userId: integId, name: '公文系统推送' });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ userId: integId, username: 'oa-push' });
    const bearer = bearerClient(t, res.body.token);
    expect((await bearer.get('/api/v1/auth/me')).body.username).toBe('oa-push');

    const list = await sec.get(`/api/v1/tokens?userId=${integId}`);
    expect(list.body.items.map((x: any) => x.id)).toContain(res.body.id);
    expect((await sec.get('/api/v1/tokens')).body.items.every((x: any) => x.username === 'sec')).toBe(true);

    expect((await sec.del(`/api/v1/tokens/${res.body.id}`)).status).toBe(200);
    expect((await bearer.get('/api/v1/auth/me')).status).toBe(401);
  });

  it('refuses tokens for unknown or disabled users', async () => {
    const sec = await loginAs(t, 'sec');
    expect((await sec.post('/api/v1/tokens', { userId: 999_999, name: 'x' })).status).toBe(404);
    const gone = await makeUser(t.store, 'gone');
    await t.store.db.updateTable('users').set({ status: 'disabled' }).where('id', '=', gone).execute();
    expect((await sec.post('/api/v1/tokens', { userId: gone, name: 'x' })).status).toBe(409);
  });
});

describe('createTokenForUser (the CLI)', () => {
  it('creates a working token as the system and audits it as token.create', async () => {
    const r = await createTokenForUser(t.store, 'oa-push', '命令行创建', t.now.value);
    if (!r.ok) throw new Error(r.message);
    expect(r.value.token.startsWith('jy_')).toBe(true);
    expect(r.value).toMatchObject({ userId: integId, name: '命令行创建', prefix: r.value.token.slice(0, 10) });
    expect((await bearerClient(t, r.value.token).get('/api/v1/auth/me')).body.username).toBe('oa-push');
    const entry = await t.store.db.selectFrom('audit_log').selectAll().where('action', '=', 'token.create').where('target_id', '=', String(r.value.id)).executeTakeFirstOrThrow();
    expect(entry.actor_name).toBe('system:cli');
    expect(entry.actor_id).toBeNull();
    expect(entry.after).not.toContain(r.value.token);
  });

  it('reports an unknown user or a bad name as a failure, storing nothing', async () => {
    const before = (await t.store.db.selectFrom('api_tokens').select('id').execute()).length;
    const unknown = await createTokenForUser(t.store, 'nobody', 'x', t.now.value);
    expect(unknown).toMatchObject({ ok: false, code: 'not_found' });
    const bad = await createTokenForUser(t.store, 'oa-push', '<script>alert(1)</script>', t.now.value);
    expect(bad).toMatchObject({ ok: false, code: 'validation_failed' });
    const long = await createTokenForUser(t.store, 'oa-push', 'x'.repeat(10_000), t.now.value);
    expect(long).toMatchObject({ ok: false, code: 'validation_failed' });
    expect((await t.store.db.selectFrom('api_tokens').select('id').execute()).length).toBe(before);
  });
});
