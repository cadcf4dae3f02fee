import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type TestApp, PASSWORD, createTestApp, loginAs, runJobs } from '../../test/helpers.js';
import { verifyChain } from '../modules/accounts/audit.js';
import { DEMO_PASSWORD, seedIfEmpty } from './seed.js';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
  expect(await seedIfEmpty(t.store, t.config, pino({ level: 'silent' }), t.now.value)).toBe(true);
}, 120_000);
afterAll(() => t.close());

const count = async (q: Promise<{ n: number | string } | undefined>) => Number((await q)?.n ?? 0);

describe('the demo cluster 示范市', () => {
  it('has the portal, at least 8 department and district sites, and at least 300 live articles', async () => {
    const sites = await t.store.db.selectFrom('sites').select('code').execute();
    expect(sites.map((s) => s.code)).toContain('www');
    expect(sites.length).toBeGreaterThanOrEqual(9);
    const live = await count(t.store.db.selectFrom('articles').select((eb) => eb.fn.countAll<number>().as('n')).where('live_version', 'is not', null).executeTakeFirst());
    expect(live).toBeGreaterThanOrEqual(300);
    const titles = await t.store.db.selectFrom('articles').select('title').execute();
    expect(new Set(titles.map((r) => r.title)).size).toBe(titles.length);
  });

  it('puts articles in every leaf list column and on every site', async () => {
    const empty = await t.store.db
      .selectFrom('columns as c')
      .select(['c.path', 'c.site_id'])
      .where('c.kind', '=', 'list')
      .where((eb) => eb.not(eb.exists(eb.selectFrom('columns as ch').select('ch.id').whereRef('ch.parent_id', '=', 'c.id'))))
      .where((eb) => eb.not(eb.exists(eb.selectFrom('articles as a').select('a.id').whereRef('a.column_id', '=', 'c.id'))))
      .execute();
    expect(empty).toEqual([]);
  });

  it('has a user for every role, who can log in with the demo password', async () => {
    const roles = await t.store.db.selectFrom('grants').select('role').distinct().execute();
    expect(roles.map((r) => r.role).sort()).toEqual(['auditor', 'editor', 'handler', 'reviewer', 'secadmin', 'site_admin', 'sysadmin']);
    expect(PASSWORD).not.toBe(DEMO_PASSWORD);
    const c = await loginAs(t, 'jyj_editor', DEMO_PASSWORD);
    expect((await c.get('/api/v1/auth/me')).body.username).toBe('jyj_editor');
  });

  it('leaves work waiting: submissions, a returned draft, a scheduled notice and a pushed article', async () => {
    const reviewer = await loginAs(t, 'jyj_reviewer', DEMO_PASSWORD);
    const queue = (await reviewer.get('/api/v1/review-queue')).body;
    expect(queue.articles.total).toBe(2);
    for (const a of queue.articles.items) expect(a.siteId).toBe(queue.articles.items[0].siteId);
    const editor = await loginAs(t, 'jyj_editor', DEMO_PASSWORD);
    const returned = (await editor.get('/api/v1/articles/returned')).body;
    expect(returned.total).toBe(1);
    const portal = await loginAs(t, 'www_reviewer1', DEMO_PASSWORD);
    const pq = (await portal.get('/api/v1/review-queue')).body;
    expect(pq.syndications.length).toBe(1);
    const scheduled = await t.store.db.selectFrom('articles').select(['id', 'publish_at']).where('status', '=', 'approved').execute();
    expect(scheduled).toHaveLength(1);
    // The scheduled notice goes live when its time comes.
    t.now.value = new Date(new Date(scheduled[0]!.publish_at!).getTime() + 1000);
    await runJobs(t);
    const after = await t.store.db.selectFrom('articles').select(['status', 'live_version']).where('id', '=', scheduled[0]!.id).executeTakeFirstOrThrow();
    expect(after).toEqual({ status: 'published', live_version: 1 });
  });

  it('keeps the audit chain intact and refuses to seed twice', async () => {
    expect((await verifyChain(t.store.db)).ok).toBe(true);
    expect(await seedIfEmpty(t.store, t.config, pino({ level: 'silent' }), t.now.value)).toBe(false);
  });
});
