import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Client, type TestApp, anonymousClient, countRows, loginAs, createTestApp } from '../../../test/helpers.js';
import { type Cluster, makeCluster } from './testApp.js';

let t: TestApp;
let c: Cluster;
let editor: Client;
let reviewer: Client;
let portalReviewer: Client;
let draftId: number;
let submittedId: number;
let liveId: number;
let synId: number;

const A = '/api/v1/articles';
const S = '/api/v1/syndications';

beforeAll(async () => {
  t = await createTestApp();
  c = await makeCluster(t);
  editor = await loginAs(t, 'editor');
  reviewer = await loginAs(t, 'r1');
  portalReviewer = await loginAs(t, 'wwwr1');
  const mk = async (title: string) => (await editor.post(A, { columnId: c.col.xwzx.id, title })).body.id as number;
  draftId = await mk('草稿');
  submittedId = await mk('送审稿');
  liveId = await mk('已发布稿');
  await editor.post(`${A}/${submittedId}/submit`);
  await editor.post(`${A}/${liveId}/submit`);
  await reviewer.post(`${A}/${liveId}/review`, { decision: 'approve' });
  synId = (await editor.post(`${A}/${liveId}/syndications`, { columnIds: [c.col.bmdt.id] })).body[0].id;
});
afterAll(() => t.close());

const LONE_SURROGATE = '示范\uD800市';
const SQLISH = "'; DROP TABLE sites;--";
const TRAVERSAL = '../../etc/passwd';
const HUGE = 'x'.repeat(2_500_000); // over the 2 MB request limit

async function snapshot() {
  return {
    articles: await countRows(t.store, 'articles'),
    versions: await countRows(t.store, 'article_versions'),
    syndications: await countRows(t.store, 'syndications'),
    audit: await countRows(t.store, 'audit_log'),
  };
}

describe('anonymous callers', () => {
  it('get 401 on every route of the module', async () => {
    const routes = t.jiyue.router.routes.filter((r) => r.tag === 'content');
    expect(routes.length).toBe(21);
    const anon = anonymousClient(t);
    for (const r of routes) {
      const url = r.url.replace(':id', String(liveId)).replace(':version', '1');
      const res = await anon.request(r.method, url, r.method === 'GET' ? undefined : {});
      expect(res.status, `${r.method} ${r.url}`).toBe(401);
      expect(res.body.error.code).toBe('unauthenticated');
    }
  });
});

describe('hostile input on POST /articles', () => {
  it('stores a script in the title as text, and never as markup in the body', async () => {
    const r = await editor.post(A, {
      columnId: c.col.xwzx.id,
      title: '<script>alert("标题")</script>',
      body: '<p>正文<script>alert(1)</script><a href="javascript:alert(1)">链接</a><img src="/media/x.png" alt="图" onerror="alert(1)"></p>',
      source: SQLISH,
      author: TRAVERSAL,
      tags: ['🎉庆祝', TRAVERSAL],
    });
    expect(r.status).toBe(201);
    const row = await t.store.db.selectFrom('articles').selectAll().where('id', '=', r.body.id).executeTakeFirstOrThrow();
    expect(row.title).toBe('<script>alert("标题")</script>');
    expect(row.body).toBe('<p>正文<a>链接</a><img src="/media/x.png" alt="图" /></p>');
    expect(row.source).toBe(SQLISH);
    expect(row.author).toBe(TRAVERSAL);
    expect(JSON.parse(row.tags)).toEqual(['🎉庆祝', TRAVERSAL]);
    expect(await countRows(t.store, 'sites')).toBe(3);
  });

  const BAD: [string, unknown, number][] = [
    ['2 MB body', { title: 't', body: HUGE }, 413],
    ['body over 1,000,000 characters', { title: 't', body: 'x'.repeat(1_000_001) }, 400],
    ['lone surrogate in the title', { title: LONE_SURROGATE }, 400],
    ['lone surrogate in the body', { title: 't', body: `<p>${LONE_SURROGATE}</p>` }, 400],
    ['NUL in the title', { title: 'a\u0000b' }, 400],
    ['10 KB title', { title: '标'.repeat(10_000) }, 400],
    ['empty title', { title: '   ' }, 400],
    ['image without alt', { title: 't', body: '<p><img src="/media/a.png"></p>' }, 400],
    ['unknown field', { title: 't', status: 'published' }, 400],
    ['columnId as text', { title: 't', columnId: TRAVERSAL }, 400],
    ['columnId beyond integer range', { title: 't', columnId: 2 ** 31 }, 400],
    ['unknown column', { title: 't', columnId: 999_999 }, 404],
    ['link column', { title: 't', columnId: 'LINK' }, 400],
    ['expiry before publication', { title: 't', publishAt: '2026-12-02T00:00:00Z', expiresAt: '2026-12-01T00:00:00Z' }, 400],
    ['not a date', { title: 't', publishAt: '明天' }, 400],
    ['cover without alt', { title: 't', coverMediaId: 1 }, 400],
    ['unknown attachment', { title: 't', attachmentIds: [424242] }, 400],
    ['eleven tags', { title: 't', tags: Array.from({ length: 11 }, (_, i) => `标签${i}`) }, 400],
    ['SQL-ish tag too long', { title: 't', tags: [SQLISH] }, 400],
  ];
  it.each(BAD)('%s → %i, nothing stored', async (_name, body, status) => {
    const payload: Record<string, unknown> = { columnId: c.col.xwzx.id, ...(body as object) };
    if (payload.columnId === 'LINK') payload.columnId = c.col.link.id;
    const before = await snapshot();
    const r = await editor.post(A, payload);
    expect(r.status).toBe(status);
    expect(r.body.error.code).toMatch(/validation_failed|payload_too_large|not_found/);
    expect(await snapshot()).toEqual(before);
  });

  it('says which image lacks alternative text', async () => {
    const r = await editor.post(A, { columnId: c.col.xwzx.id, title: 't', body: '<img src="/media/a.png">' });
    expect(r.body.error.message).toContain('图片缺少替代文本（alt）');
  });

  it('refuses a malformed JSON body', async () => {
    const before = await snapshot();
    const r = await editor.request('POST', A, '{"title":', { 'content-type': 'application/json' });
    expect(r.status).toBe(400);
    expect(await snapshot()).toEqual(before);
  });
});

describe('hostile input on the other write routes', () => {
  const cases = (): [string, string, string, unknown, number][] => [
    ['PATCH', `${A}/${draftId}`, '2 MB body', { baseVersion: 1, body: HUGE }, 413],
    ['PATCH', `${A}/${draftId}`, 'lone surrogate', { baseVersion: 1, title: LONE_SURROGATE }, 400],
    ['PATCH', `${A}/${draftId}`, 'no baseVersion', { title: '新标题' }, 400],
    ['PATCH', `${A}/${draftId}`, 'nothing to change', { baseVersion: 1 }, 400],
    ['PATCH', `${A}/${draftId}`, 'columnId (use move)', { baseVersion: 1, columnId: c.col.tzgg.id }, 400],
    ['PATCH', `${A}/${draftId}`, 'script-only image', { baseVersion: 1, body: '<img src="/media/a.png" onerror="x">' }, 400],
    ['PATCH', `${A}/${TRAVERSAL}`, 'path traversal id', { baseVersion: 1, title: 'x' }, 404],
    ['PATCH', `${A}/abc`, 'non-numeric id', { baseVersion: 1, title: 'x' }, 400],
    ['PATCH', `${A}/99999999999`, 'id beyond integer range', { baseVersion: 1, title: 'x' }, 400],
    ['POST', `${A}/${submittedId}/review`, 'unknown decision', { decision: 'publish' }, 400],
    ['POST', `${A}/${submittedId}/review`, 'return without comment', { decision: 'return' }, 400],
    ['POST', `${A}/${submittedId}/review`, '10 KB comment', { decision: 'return', comment: '意'.repeat(10_000) }, 400],
    ['POST', `${A}/${submittedId}/review`, 'lone surrogate comment', { decision: 'return', comment: LONE_SURROGATE }, 400],
    ['POST', `${A}/${liveId}/publish`, 'not a date', { publishAt: SQLISH }, 400],
    ['POST', `${A}/${liveId}/withdraw`, 'no reason', {}, 400],
    ['POST', `${A}/${liveId}/withdraw`, 'blank reason', { reason: '   ' }, 400],
    ['POST', `${A}/${liveId}/withdraw`, 'lone surrogate reason', { reason: LONE_SURROGATE }, 400],
    ['POST', `${A}/${liveId}/withdraw`, '2 MB reason', { reason: HUGE }, 413],
    ['POST', `${A}/${draftId}/move`, 'traversal column', { columnId: TRAVERSAL }, 400],
    ['POST', `${A}/${draftId}/move`, 'unknown column', { columnId: 999_999 }, 404],
    ['POST', `${A}/${liveId}/syndications`, 'text column ids', { columnIds: [SQLISH] }, 400],
    ['POST', `${A}/${liveId}/syndications`, 'too many', { columnIds: Array.from({ length: 21 }, (_, i) => i + 1) }, 400],
    ['POST', `${S}/${synId}/review`, 'unknown decision', { decision: '<script>' }, 400],
    ['POST', `${S}/${synId}/review`, 'return without comment', { decision: 'return', comment: '' }, 400],
    ['POST', `${S}/${synId}/withdraw`, 'no reason', { reason: '' }, 400],
    ['POST', `${S}/${TRAVERSAL}/withdraw`, 'path traversal id', { reason: 'x' }, 404],
  ];

  it('answers each with a clean 4xx and stores nothing', async () => {
    for (const [method, url, name, body, status] of cases()) {
      const as = url.startsWith(S) ? portalReviewer : url.includes('/review') || url.includes('/withdraw') || url.includes('/publish') ? reviewer : editor;
      const before = await snapshot();
      const r = await as.request(method, url, body);
      expect(r.status, `${method} ${url}: ${name} → ${JSON.stringify(r.body).slice(0, 200)}`).toBe(status);
      expect(r.body.error?.code, name).toBeTruthy();
      expect(await snapshot(), name).toEqual(before);
    }
  });

  it('treats SQL-ish and traversal text in queries as plain text', async () => {
    for (const q of [SQLISH, TRAVERSAL, '%', '_', LONE_SURROGATE.replace('\uD800', '')]) {
      const r = await editor.get(`${A}?q=${encodeURIComponent(q)}`);
      expect(r.status, q).toBe(200);
    }
    expect((await editor.get(`${A}?q=${encodeURIComponent('%')}`)).body.total).toBe(0);
    expect((await editor.get(`${A}?siteId=${encodeURIComponent(SQLISH)}`)).status).toBe(400);
    expect((await editor.get(`${A}/${liveId}/diff?from=1&to=${encodeURIComponent(SQLISH)}`)).status).toBe(400);
    expect((await editor.get(`${A}/${liveId}/versions/${encodeURIComponent(TRAVERSAL)}`)).status).toBeGreaterThanOrEqual(400);
    expect(await countRows(t.store, 'sites')).toBe(3);
  });
});
