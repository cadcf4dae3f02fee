import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Client, type TestApp, countRows, loginAs, runJobs, createTestApp } from '../../../test/helpers.js';
import { systemActor } from '../accounts/index.js';
import { importPublishedArticle } from './index.js';
import { type Cluster, DAY, HOUR, emitted, later, makeCluster } from './testApp.js';

let t: TestApp;
let c: Cluster;
beforeAll(async () => {
  t = await createTestApp();
  c = await makeCluster(t);
});
afterAll(() => t.close());

const A = '/api/v1/articles';

async function newArticle(as: Client, columnId: number, extra: Record<string, unknown> = {}) {
  const r = await as.post(A, { columnId, title: '关于开展2026年秋季学期开学检查的通知', body: '<p>各学校：</p><p>现将有关事项通知如下。</p>', source: '示范市教育局', ...extra });
  expect(r.status, JSON.stringify(r.body)).toBe(201);
  return r.body;
}

async function auditActions(id: number): Promise<string[]> {
  const rows = await t.store.db.selectFrom('audit_log').select(['action']).where('target_type', '=', 'article').where('target_id', '=', String(id)).orderBy('id').execute();
  return rows.map((r) => r.action);
}

describe('review workflow', () => {
  it('goes create → submit → returned with comment → edit (v2) → resubmit → L1 → L2 → published with url and event', async () => {
    const editor = await loginAs(t, 'editor');
    const r1 = await loginAs(t, 'r1');
    const r2 = await loginAs(t, 'r2');

    const a = await newArticle(editor, c.col.tzgg.id);
    expect(a).toMatchObject({ status: 'draft', version: 1, liveVersion: null, url: null, siteId: c.jyj, columnId: c.col.tzgg.id });

    expect((await editor.post(`${A}/${a.id}/submit`)).body).toMatchObject({ status: 'submitted', reviewLevel: 1 });
    // The level-2 reviewer may not decide level 1.
    expect((await r2.post(`${A}/${a.id}/review`, { decision: 'approve' })).status).toBe(403);

    const noComment = await r1.post(`${A}/${a.id}/review`, { decision: 'return' });
    expect(noComment.status).toBe(400);
    const returned = await r1.post(`${A}/${a.id}/review`, { decision: 'return', comment: '请补充检查时间安排' });
    expect(returned.body).toMatchObject({ status: 'returned', reviewLevel: 0 });
    expect(returned.body.reviews).toMatchObject([{ level: 1, decision: 'return', comment: '请补充检查时间安排', version: 1 }]);

    const mine = await editor.get(`${A}/returned`);
    expect(mine.body.items.map((i: any) => i.id)).toContain(a.id);

    const edited = await editor.patch(`${A}/${a.id}`, { baseVersion: 1, body: '<p>各学校：</p><p>检查时间为9月1日至9月5日。</p>' });
    expect(edited.status).toBe(200);
    expect(edited.body).toMatchObject({ version: 2, status: 'returned' });

    expect((await editor.post(`${A}/${a.id}/submit`)).body).toMatchObject({ status: 'submitted', reviewLevel: 1 });
    expect((await r1.post(`${A}/${a.id}/review`, { decision: 'approve' })).body).toMatchObject({ status: 'submitted', reviewLevel: 2 });

    // A level-1 reviewer cannot approve level 2.
    const wrongLevel = await r1.post(`${A}/${a.id}/review`, { decision: 'approve' });
    expect(wrongLevel.status).toBe(403);
    expect(wrongLevel.body.error.code).toBe('forbidden');
    expect(await emitted(t, 'article.published')).toEqual([]);

    const published = await r2.post(`${A}/${a.id}/review`, { decision: 'approve' });
    expect(published.body).toMatchObject({ status: 'published', liveVersion: 2, approvedVersion: 2, isLive: true, publishedAt: t.now.value.toISOString() });
    expect(published.body.url).toBe(`/jyj/tzgg/202611/t20261120_${a.id}.html`);
    expect(await emitted(t, 'article.published')).toEqual([{ id: a.id, siteId: c.jyj, columnId: c.col.tzgg.id }]);
    expect(published.body.reviews.map((r: any) => [r.level, r.decision, r.version])).toEqual([
      [1, 'return', 1],
      [1, 'approve', 2],
      [2, 'approve', 2],
    ]);

    expect(await auditActions(a.id)).toEqual(['article.create', 'article.submit', 'article.return', 'article.update', 'article.submit', 'article.approve', 'article.approve', 'article.publish']);
    const entries = await t.store.db.selectFrom('audit_log').select(['before', 'after']).where('target_id', '=', String(a.id)).where('target_type', '=', 'article').execute();
    for (const e of entries) {
      expect(e.after ?? '').not.toContain('9月1日');
      expect(e.before ? JSON.parse(e.before) : {}).not.toHaveProperty('body');
      expect(e.after ? JSON.parse(e.after) : {}).not.toHaveProperty('body');
    }
    const last = JSON.parse(entries.at(-1)!.after!);
    expect(last).toMatchObject({ version: 2, liveVersion: 2, status: 'published' });
  });

  it('publishes at once on submit in a column without review', async () => {
    const editor = await loginAs(t, 'editor');
    const a = await newArticle(editor, c.col.free.id);
    const r = await editor.post(`${A}/${a.id}/submit`);
    expect(r.body).toMatchObject({ status: 'published', liveVersion: 1 });
    expect(r.body.url).toMatch(new RegExp(`^/jyj/kx/202611/t20261120_${a.id}\\.html$`));
  });

  it('refuses reviewers, editors without grants and wrong states cleanly', async () => {
    const editor = await loginAs(t, 'editor');
    const r1 = await loginAs(t, 'r1');
    const a = await newArticle(editor, c.col.xwzx.id);
    // Not submitted yet.
    const early = await r1.post(`${A}/${a.id}/review`, { decision: 'approve' });
    expect(early.status).toBe(409);
    expect(early.body.error.code).toBe('invalid_transition');
    // An editor cannot review.
    await editor.post(`${A}/${a.id}/submit`);
    expect((await editor.post(`${A}/${a.id}/review`, { decision: 'approve' })).status).toBe(403);
    // A reviewer cannot edit.
    expect((await r1.patch(`${A}/${a.id}`, { baseVersion: 1, title: '改' })).status).toBe(403);
    // Text under review cannot be changed.
    expect((await editor.patch(`${A}/${a.id}`, { baseVersion: 1, title: '改' })).status).toBe(409);
    // Deciding on an older version than the current one is refused.
    expect((await r1.post(`${A}/${a.id}/review`, { decision: 'approve', version: 9 })).status).toBe(409);
    // The editor recalls it (撤回) with a reason, then it can be edited again.
    expect((await editor.post(`${A}/${a.id}/withdraw`, {})).status).toBe(400);
    expect((await editor.post(`${A}/${a.id}/withdraw`, { reason: '需要补充图片' })).body).toMatchObject({ status: 'draft' });
    expect((await editor.patch(`${A}/${a.id}`, { baseVersion: 1, title: '改后的标题' })).body).toMatchObject({ version: 2, title: '改后的标题' });
  });
});

describe('scheduled publication and expiry', () => {
  it('publishes only once the clock passes publishAt and the jobs run; rescheduling replaces the job', async () => {
    const editor = await loginAs(t, 'editor');
    const admin = await loginAs(t, 'jyjadmin');
    const at = new Date(t.now.value.getTime() + DAY).toISOString();
    const a = await newArticle(editor, c.col.free.id, { publishAt: at });
    const submitted = await editor.post(`${A}/${a.id}/submit`);
    expect(submitted.body).toMatchObject({ status: 'approved', liveVersion: null, url: null, publishAt: at });

    const jobs = () => t.store.db.selectFrom('jobs').selectAll().where('dedupe_key', '=', `article.publish:${a.id}`).where('status', '=', 'pending').execute();
    expect((await jobs()).map((j) => j.run_at)).toEqual([at]);

    // Rescheduled two days out: still one job, at the new time.
    const at2 = new Date(t.now.value.getTime() + 2 * DAY).toISOString();
    expect((await editor.post(`${A}/${a.id}/publish`, { publishAt: at2 })).status).toBe(403); // editors do not publish
    expect((await admin.post(`${A}/${a.id}/publish`, { publishAt: at2 })).body).toMatchObject({ status: 'approved', publishAt: at2 });
    expect((await jobs()).map((j) => j.run_at)).toEqual([at2]);

    await runJobs(t);
    expect((await t.store.db.selectFrom('articles').select('status').where('id', '=', a.id).executeTakeFirstOrThrow()).status).toBe('approved');

    later(t, DAY + HOUR);
    await runJobs(t);
    expect((await t.store.db.selectFrom('articles').select('status').where('id', '=', a.id).executeTakeFirstOrThrow()).status).toBe('approved');

    later(t, DAY);
    const publishedAt = t.now.value.toISOString();
    await runJobs(t);
    const row = await t.store.db.selectFrom('articles').selectAll().where('id', '=', a.id).executeTakeFirstOrThrow();
    expect(row).toMatchObject({ status: 'published', live_version: 1, published_at: publishedAt });
    expect((await emitted(t, 'article.published')).filter((e) => e.id === a.id)).toHaveLength(1);
    // A stale job does nothing: running again changes nothing.
    await runJobs(t);
    expect((await emitted(t, 'article.published')).filter((e) => e.id === a.id)).toHaveLength(1);
    const lastAudit = await t.store.db.selectFrom('audit_log').select(['action', 'actor_name']).where('target_id', '=', String(a.id)).orderBy('id', 'desc').executeTakeFirstOrThrow();
    expect(lastAudit).toEqual({ action: 'article.publish', actor_name: 'system:scheduler' });
  });

  it('expires at expiresAt: status expired, nothing public, event emitted', async () => {
    const editor = await loginAs(t, 'editor');
    const expiresAt = new Date(t.now.value.getTime() + 2 * HOUR).toISOString();
    const a = await newArticle(editor, c.col.free.id, { expiresAt });
    expect((await editor.post(`${A}/${a.id}/submit`)).body).toMatchObject({ status: 'published', expiresAt });

    later(t, HOUR);
    await runJobs(t);
    expect((await t.store.db.selectFrom('articles').select('status').where('id', '=', a.id).executeTakeFirstOrThrow()).status).toBe('published');

    later(t, HOUR);
    await runJobs(t);
    const fresh = await loginAs(t, 'editor');
    const r = await fresh.get(`${A}/${a.id}`);
    expect(r.body).toMatchObject({ status: 'expired', liveVersion: null, url: null, isLive: false });
    expect(await emitted(t, 'article.expired')).toContainEqual({ id: a.id, siteId: c.jyj, columnId: c.col.free.id });
  });

  it('an edit cancels a pending scheduled publication (the approval was for another text)', async () => {
    const editor = await loginAs(t, 'editor');
    const at = new Date(t.now.value.getTime() + HOUR).toISOString();
    const a = await newArticle(editor, c.col.free.id, { publishAt: at });
    await editor.post(`${A}/${a.id}/submit`);
    expect((await editor.patch(`${A}/${a.id}`, { baseVersion: 1, title: '修改后' })).body).toMatchObject({ status: 'draft', version: 2 });
    later(t, 2 * HOUR);
    await runJobs(t);
    expect((await t.store.db.selectFrom('articles').select(['status', 'live_version']).where('id', '=', a.id).executeTakeFirstOrThrow())).toEqual({ status: 'draft', live_version: null });
  });
});

describe('revisions of a live article', () => {
  it('keeps live_version public until the revision is approved and published', async () => {
    const editor = await loginAs(t, 'editor');
    const r1 = await loginAs(t, 'r1');
    const a = await newArticle(editor, c.col.xwzx.id);
    await editor.post(`${A}/${a.id}/submit`);
    const live = await r1.post(`${A}/${a.id}/review`, { decision: 'approve' });
    expect(live.body).toMatchObject({ status: 'published', liveVersion: 1 });
    const firstPublished = live.body.publishedAt;
    const url = live.body.url;

    later(t, 10 * 60_000);
    const revised = await editor.patch(`${A}/${a.id}`, { baseVersion: 1, title: '（更正）关于开展开学检查的通知' });
    expect(revised.body).toMatchObject({ status: 'draft', version: 2, liveVersion: 1, isLive: true, url });

    await editor.post(`${A}/${a.id}/submit`);
    expect((await editor.get(`${A}/${a.id}`)).body).toMatchObject({ status: 'submitted', liveVersion: 1 });
    const republished = await r1.post(`${A}/${a.id}/review`, { decision: 'approve' });
    expect(republished.body).toMatchObject({ status: 'published', liveVersion: 2, publishedAt: firstPublished, url });
    expect((await emitted(t, 'article.published')).filter((e) => e.id === a.id)).toHaveLength(2);

    const versions = await editor.get(`${A}/${a.id}/versions`);
    expect(versions.body.items.map((v: any) => [v.version, v.isLive])).toEqual([
      [2, true],
      [1, false],
    ]);
    const v1 = await editor.get(`${A}/${a.id}/versions/1`);
    expect(v1.body.data.title).toBe('关于开展2026年秋季学期开学检查的通知');
    const diff = await editor.get(`${A}/${a.id}/diff?from=1&to=2`);
    expect(diff.status).toBe(200);
    expect(diff.body.fields.map((f: any) => f.field)).toEqual(['title']);
    expect(diff.body.fields[0].changes.filter((ch: any) => ch.added).map((ch: any) => ch.value).join('')).toContain('更正');
    expect(diff.body.fields[0].changes.filter((ch: any) => ch.removed).map((ch: any) => ch.value).join('')).toContain('2026');
    expect((await editor.get(`${A}/${a.id}/versions/9`)).status).toBe(404);
    expect((await editor.get(`${A}/${a.id}/diff?from=1&to=9`)).status).toBe(404);
  });
});

describe('optimistic lock', () => {
  it('refuses to save over a newer version with 409 and stores nothing', async () => {
    const editor = await loginAs(t, 'editor');
    const editor2 = await loginAs(t, 'editor2');
    const a = await newArticle(editor, c.col.xwzx.id);
    expect((await editor.patch(`${A}/${a.id}`, { baseVersion: 1, title: '甲的修改' })).status).toBe(200);
    const versionsBefore = await countRows(t.store, 'article_versions');
    const late = await editor2.patch(`${A}/${a.id}`, { baseVersion: 1, title: '乙的修改' });
    expect(late.status).toBe(409);
    expect(late.body.error).toMatchObject({ code: 'conflict', details: { currentVersion: 2, baseVersion: 1 } });
    expect(late.body.error.message).toContain('第 2 版');
    expect(await countRows(t.store, 'article_versions')).toBe(versionsBefore);
    expect((await editor.get(`${A}/${a.id}`)).body.title).toBe('甲的修改');
  });
});

describe('withdraw, move, delete', () => {
  it('withdraws a live article (publishers only) and announces it', async () => {
    const editor = await loginAs(t, 'editor');
    const r1 = await loginAs(t, 'r1');
    const a = await newArticle(editor, c.col.xwzx.id);
    await editor.post(`${A}/${a.id}/submit`);
    await r1.post(`${A}/${a.id}/review`, { decision: 'approve' });
    expect((await editor.post(`${A}/${a.id}/withdraw`, { reason: '信息有误' })).status).toBe(403);
    const w = await r1.post(`${A}/${a.id}/withdraw`, { reason: '信息有误' });
    expect(w.body).toMatchObject({ status: 'withdrawn', liveVersion: null, url: null });
    expect(await emitted(t, 'article.withdrawn')).toContainEqual({ id: a.id, siteId: c.jyj, columnId: c.col.xwzx.id });
    const entry = await t.store.db.selectFrom('audit_log').select(['action', 'after']).where('target_id', '=', String(a.id)).orderBy('id', 'desc').executeTakeFirstOrThrow();
    expect(entry.action).toBe('article.withdraw');
    expect(JSON.parse(entry.after!).reason).toBe('信息有误');
    // Published once: it cannot be deleted.
    expect((await editor.del(`${A}/${a.id}`)).status).toBe(409);
  });

  it('moves within the site, announcing it when live; never to another site', async () => {
    const editor = await loginAs(t, 'editor');
    const a = await newArticle(editor, c.col.free.id);
    await editor.post(`${A}/${a.id}/submit`);
    const moved = await editor.post(`${A}/${a.id}/move`, { columnId: c.col.xwzx.id });
    expect(moved.body).toMatchObject({ columnId: c.col.xwzx.id, url: expect.stringMatching(/^\/jyj\/xwzx\//) });
    expect(await emitted(t, 'article.moved')).toContainEqual({ id: a.id, siteId: c.jyj, fromColumnId: c.col.free.id, toColumnId: c.col.xwzx.id });
    expect((await editor.post(`${A}/${a.id}/move`, { columnId: c.col.wsjNews.id })).status).toBe(400);
    expect((await editor.post(`${A}/${a.id}/move`, { columnId: c.col.link.id })).status).toBe(400);
    // A column-scoped editor cannot move into a column outside their grant.
    const scoped = await loginAs(t, 'tzggeditor');
    const b = await newArticle(scoped, c.col.tzgg.id);
    expect((await scoped.post(`${A}/${b.id}/move`, { columnId: c.col.xwzx.id })).status).toBe(403);
  });

  it('deletes a draft that never went live, with its versions', async () => {
    const editor = await loginAs(t, 'editor');
    const a = await newArticle(editor, c.col.xwzx.id);
    await editor.patch(`${A}/${a.id}`, { baseVersion: 1, title: '第二版' });
    const r = await editor.del(`${A}/${a.id}`);
    expect(r.body).toEqual({ id: a.id, deleted: true });
    expect((await editor.get(`${A}/${a.id}`)).status).toBe(404);
    expect(await t.store.db.selectFrom('article_versions').select('id').where('article_id', '=', a.id).execute()).toEqual([]);
  });
});

describe('scoping', () => {
  it('a department editor cannot read, edit or list another department’s articles', async () => {
    const editor = await loginAs(t, 'editor');
    const wsjEditor = await loginAs(t, 'wsjeditor');
    const a = await newArticle(editor, c.col.xwzx.id);
    const mine = await newArticle(wsjEditor, c.col.wsjNews.id, { title: '卫健委新闻' });

    expect((await wsjEditor.get(`${A}/${a.id}`)).status).toBe(403);
    expect((await wsjEditor.patch(`${A}/${a.id}`, { baseVersion: 1, title: 'x' })).status).toBe(403);
    expect((await wsjEditor.post(`${A}/${a.id}/submit`)).status).toBe(403);
    expect((await wsjEditor.del(`${A}/${a.id}`)).status).toBe(403);
    expect((await wsjEditor.get(`${A}/${a.id}/versions`)).status).toBe(403);
    expect((await wsjEditor.get(`${A}/${a.id}/diff?from=1&to=1`)).status).toBe(403);
    expect((await wsjEditor.post(A, { columnId: c.col.xwzx.id, title: '越权' })).status).toBe(403);

    const list = await wsjEditor.get(A);
    expect(list.status).toBe(200);
    expect(list.body.items.every((i: any) => i.siteId === c.wsj)).toBe(true);
    expect(list.body.items.map((i: any) => i.id)).toContain(mine.id);
    expect((await wsjEditor.get(`${A}?siteId=${c.jyj}`)).status).toBe(403);
    expect((await wsjEditor.get(`${A}?columnId=${c.col.xwzx.id}`)).status).toBe(403);
  });

  it('a column-scoped editor sees only their column', async () => {
    const editor = await loginAs(t, 'editor');
    const scoped = await loginAs(t, 'tzggeditor');
    const outside = await newArticle(editor, c.col.xwzx.id);
    const inside = await newArticle(editor, c.col.tzgg.id);
    const ids = (await scoped.get(`${A}?pageSize=100`)).body.items.map((i: any) => i.id);
    expect(ids).toContain(inside.id);
    expect(ids).not.toContain(outside.id);
    expect((await scoped.get(`${A}/${outside.id}`)).status).toBe(403);
  });

  it('filters by status, column, title text, date and author', async () => {
    const editor2 = await loginAs(t, 'editor2');
    const a = await newArticle(editor2, c.col.tzgg.id, { title: '100%_特殊标题' });
    const q = (s: string) => editor2.get(`${A}?${s}`).then((r) => r.body);
    expect((await q(`q=${encodeURIComponent('100%_')}`)).items.map((i: any) => i.id)).toEqual([a.id]);
    expect((await q(`q=${encodeURIComponent("'; DROP TABLE sites;--")}`)).total).toBe(0);
    expect((await q('createdBy=me')).items.map((i: any) => i.id)).toEqual([a.id]);
    expect((await q(`columnId=${c.col.tzgg.id}&status=draft&createdBy=me`)).total).toBe(1);
    expect((await q(`status=published&createdBy=me`)).total).toBe(0);
    const future = new Date(t.now.value.getTime() + HOUR).toISOString();
    expect((await q(`from=${encodeURIComponent(future)}&createdBy=me`)).total).toBe(0);
    expect((await q(`to=${encodeURIComponent(future)}&createdBy=me`)).total).toBe(1);
    expect((await editor2.get(`${A}?status=bogus`)).status).toBe(400);
    expect((await editor2.get(`${A}?pageSize=1000`)).status).toBe(400);
  });

  it('lists what waits for the caller in the review queue', async () => {
    const editor = await loginAs(t, 'editor');
    const r1 = await loginAs(t, 'r1');
    const r2 = await loginAs(t, 'r2');
    const a = await newArticle(editor, c.col.tzgg.id);
    await editor.post(`${A}/${a.id}/submit`);
    const q1 = await r1.get('/api/v1/review-queue');
    expect(q1.body.articles.items.map((i: any) => i.id)).toContain(a.id);
    expect((await r2.get('/api/v1/review-queue')).body.articles.items.map((i: any) => i.id)).not.toContain(a.id);
    await r1.post(`${A}/${a.id}/review`, { decision: 'approve' });
    expect((await r1.get('/api/v1/review-queue')).body.articles.items.map((i: any) => i.id)).not.toContain(a.id);
    expect((await r2.get('/api/v1/review-queue')).body.articles.items.map((i: any) => i.id)).toContain(a.id);
    expect((await editor.get('/api/v1/review-queue')).body.articles.total).toBe(0);
  });
});

describe('OpenAPI', () => {
  it('describes every route of the module', async () => {
    const r = await t.jiyue.app.inject({ method: 'GET', url: '/api/v1/openapi.json' });
    expect(r.statusCode).toBe(200);
    const paths = JSON.parse(r.body).paths;
    for (const p of ['/api/v1/articles', '/api/v1/articles/{id}', '/api/v1/articles/{id}/versions/{version}', '/api/v1/syndications/{id}/review', '/api/v1/review-queue']) expect(paths).toHaveProperty([p]);
    expect(paths['/api/v1/articles'].post.requestBody.content['application/json'].schema.properties).toHaveProperty('title');
  });
});

describe('importing already-published articles (seed, migration)', () => {
  it('arrives live as version 1 with its original date, sanitised, audited', async () => {
    const userId = (await t.store.db.selectFrom('users').select('id').where('username', '=', 'editor').executeTakeFirstOrThrow()).id;
    const ctx = { actor: systemActor('seed'), ip: null, now: t.now.value, dialect: t.store.dialect };
    const id = await importPublishedArticle(
      t.store.db,
      ctx,
      { columnId: c.col.xwzx.id, fields: { title: '2025年工作总结', body: '<p>总结<script>x</script></p>', tags: ['总结'] }, publishedAt: '2025-12-31T01:00:00.000Z', createdBy: userId },
      { announce: false },
    );
    const editor = await loginAs(t, 'editor');
    const a = (await editor.get(`${A}/${id}`)).body;
    expect(a).toMatchObject({ status: 'published', version: 1, liveVersion: 1, body: '<p>总结</p>', url: `/jyj/xwzx/202512/t20251231_${id}.html` });
    expect(await auditActions(id)).toEqual(['article.import']);
    expect((await emitted(t, 'article.published')).filter((e) => e.id === id)).toEqual([]);
    await expect(importPublishedArticle(t.store.db, ctx, { columnId: c.col.link.id, fields: { title: 'x' }, publishedAt: '2025-01-01T00:00:00Z', createdBy: userId })).rejects.toThrow(/不能发布稿件/);
  });
});
