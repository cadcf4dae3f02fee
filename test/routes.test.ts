/**
 * Table-driven tests over the whole route list (issue #2 §11): every non-public route refuses an
 * anonymous caller and a caller outside its scope, and bad input on every write route gets a 4xx
 * with the error shape and stores nothing. A new route fails this file until it has a row in
 * SCOPE below, so no route can be added without being covered.
 */
import { z } from 'zod';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../src/db/schema.js';
import type { AnyRoute } from '../src/http/route.js';
import { type Client, type TestApp, anonymousClient, createTestApp, loginAs, makeColumn, makeSite, makeUser } from './helpers.js';

interface World {
  siteA: number;
  siteB: number;
  columnA: number;
  articleA: number;
  mediaA: number;
  userA: number;
  grantA: number;
  orgA: number;
  syndicationA: number;
  faqA: number;
  questionA: number;
}

type Call = { url: string; body?: unknown };
/** How an out-of-scope caller (an editor of site B) calls the route against site A's objects; 'self' for routes about the caller. */
type ScopeRow = ((w: World) => Call) | 'self' | 'public-read' | { multipart: string };

const SCOPE: Record<string, ScopeRow> = {
  // accounts: the caller's own session and second factor
  'POST /api/v1/auth/logout': 'self',
  'GET /api/v1/auth/me': 'self',
  'POST /api/v1/auth/password': 'self',
  'POST /api/v1/auth/totp/setup': 'self',
  'POST /api/v1/auth/totp/enable': 'self',
  'POST /api/v1/auth/totp/verify': 'self',
  'POST /api/v1/auth/totp/disable': 'self',
  // accounts administration: security administrator (users, grants, policy), auditor (audit log); tokens: own, or anyone's for the security administrator
  'GET /api/v1/users': () => ({ url: '/api/v1/users' }),
  'POST /api/v1/users': () => ({ url: '/api/v1/users', body: { username: 'outsider.made', displayName: '越权创建' } }),
  'GET /api/v1/users/:id': (w) => ({ url: `/api/v1/users/${w.userA}` }),
  'PATCH /api/v1/users/:id': (w) => ({ url: `/api/v1/users/${w.userA}`, body: { status: 'disabled' } }),
  'POST /api/v1/users/:id/reset-password': (w) => ({ url: `/api/v1/users/${w.userA}/reset-password` }),
  'POST /api/v1/users/:id/unlock': (w) => ({ url: `/api/v1/users/${w.userA}/unlock` }),
  'POST /api/v1/grants': (w) => ({ url: '/api/v1/grants', body: { userId: w.userA, role: 'reviewer', siteId: w.siteA } }),
  'DELETE /api/v1/grants/:id': (w) => ({ url: `/api/v1/grants/${w.grantA}` }),
  'GET /api/v1/tokens': (w) => ({ url: `/api/v1/tokens?userId=${w.userA}` }),
  'POST /api/v1/tokens': (w) => ({ url: '/api/v1/tokens', body: { userId: w.userA, name: '冒名令牌' } }),
  'DELETE /api/v1/tokens/:id': 'self', // another user's token → 403: src/modules/accounts/tokens.test.ts
  'GET /api/v1/security/policy': () => ({ url: '/api/v1/security/policy' }),
  'PUT /api/v1/security/policy': () => ({ url: '/api/v1/security/policy', body: {} }),
  'GET /api/v1/audit': () => ({ url: '/api/v1/audit' }),
  'GET /api/v1/audit/verify': () => ({ url: '/api/v1/audit/verify' }),
  'GET /api/v1/audit/export.xlsx': () => ({ url: '/api/v1/audit/export.xlsx' }),
  // a site's grants: the security administrator, and read-only the site's own administrators
  'GET /api/v1/sites/:id/grants': (w) => ({ url: `/api/v1/sites/${w.siteA}/grants` }),
  // sites: organisations and sites are readable by every logged-in user (menus); columns are scoped
  'GET /api/v1/organisations': 'public-read',
  'GET /api/v1/organisations/:id': 'public-read',
  'POST /api/v1/organisations': () => ({ url: '/api/v1/organisations', body: { code: 'scope-org', name: '越权单位' } }),
  'PATCH /api/v1/organisations/:id': (w) => ({ url: `/api/v1/organisations/${w.orgA}`, body: { name: '越权' } }),
  'DELETE /api/v1/organisations/:id': (w) => ({ url: `/api/v1/organisations/${w.orgA}` }),
  'GET /api/v1/sites': 'public-read',
  'GET /api/v1/sites/:id': 'public-read',
  'POST /api/v1/sites': (w) => ({ url: '/api/v1/sites', body: { code: 'scope-site', name: '越权站点', organisationId: w.orgA } }),
  'PATCH /api/v1/sites/:id': (w) => ({ url: `/api/v1/sites/${w.siteA}`, body: { name: '越权' } }),
  'DELETE /api/v1/sites/:id': (w) => ({ url: `/api/v1/sites/${w.siteA}` }),
  'GET /api/v1/sites/:id/columns': (w) => ({ url: `/api/v1/sites/${w.siteA}/columns` }),
  'POST /api/v1/sites/:id/columns/reorder': (w) => ({ url: `/api/v1/sites/${w.siteA}/columns/reorder`, body: { parentId: null, ids: [w.columnA] } }),
  'POST /api/v1/columns': (w) => ({ url: '/api/v1/columns', body: { siteId: w.siteA, name: '越权栏目', slug: 'scope' } }),
  'GET /api/v1/columns/:id': (w) => ({ url: `/api/v1/columns/${w.columnA}` }),
  'PATCH /api/v1/columns/:id': (w) => ({ url: `/api/v1/columns/${w.columnA}`, body: { name: '越权' } }),
  'DELETE /api/v1/columns/:id': (w) => ({ url: `/api/v1/columns/${w.columnA}` }),
  'POST /api/v1/columns/:id/move': (w) => ({ url: `/api/v1/columns/${w.columnA}/move`, body: { parentId: null } }),
  // content: articles (scoped by their column) and syndications (scoped by the target column)
  'GET /api/v1/articles': (w) => ({ url: `/api/v1/articles?siteId=${w.siteA}` }),
  'POST /api/v1/articles': (w) => ({ url: '/api/v1/articles', body: { columnId: w.columnA, title: '越权稿件' } }),
  'GET /api/v1/articles/returned': 'self',
  'GET /api/v1/articles/:id': (w) => ({ url: `/api/v1/articles/${w.articleA}` }),
  'PATCH /api/v1/articles/:id': (w) => ({ url: `/api/v1/articles/${w.articleA}`, body: { baseVersion: 1, title: '越权' } }),
  'DELETE /api/v1/articles/:id': (w) => ({ url: `/api/v1/articles/${w.articleA}` }),
  'POST /api/v1/articles/:id/submit': (w) => ({ url: `/api/v1/articles/${w.articleA}/submit` }),
  'POST /api/v1/articles/:id/review': (w) => ({ url: `/api/v1/articles/${w.articleA}/review`, body: { decision: 'approve' } }),
  'POST /api/v1/articles/:id/publish': (w) => ({ url: `/api/v1/articles/${w.articleA}/publish`, body: {} }),
  'POST /api/v1/articles/:id/withdraw': (w) => ({ url: `/api/v1/articles/${w.articleA}/withdraw`, body: { reason: '越权撤稿' } }),
  'POST /api/v1/articles/:id/move': (w) => ({ url: `/api/v1/articles/${w.articleA}/move`, body: { columnId: w.columnA } }),
  'GET /api/v1/articles/:id/versions': (w) => ({ url: `/api/v1/articles/${w.articleA}/versions` }),
  'GET /api/v1/articles/:id/versions/:version': (w) => ({ url: `/api/v1/articles/${w.articleA}/versions/1` }),
  'GET /api/v1/articles/:id/diff': (w) => ({ url: `/api/v1/articles/${w.articleA}/diff?from=1&to=1` }),
  'POST /api/v1/articles/:id/syndications': (w) => ({ url: `/api/v1/articles/${w.articleA}/syndications`, body: { columnIds: [w.columnA] } }),
  'GET /api/v1/syndications': (w) => ({ url: `/api/v1/syndications?columnId=${w.columnA}` }),
  'POST /api/v1/syndications/:id/review': (w) => ({ url: `/api/v1/syndications/${w.syndicationA}/review`, body: { decision: 'approve' } }),
  'POST /api/v1/syndications/:id/withdraw': (w) => ({ url: `/api/v1/syndications/${w.syndicationA}/withdraw`, body: { reason: '越权撤下' } }),
  'GET /api/v1/review-queue': 'self',
  // the console's lists: where site A's articles can be pushed; overdue columns are the caller's own
  'GET /api/v1/syndication-targets': (w) => ({ url: `/api/v1/syndication-targets?siteId=${w.siteA}` }),
  'GET /api/v1/overdue-columns': 'self',
  // media library (scoped by the file's site); uploads are multipart, refused out of scope before any byte is read
  'GET /api/v1/media': (w) => ({ url: `/api/v1/media?siteId=${w.siteA}` }),
  'POST /api/v1/media': { multipart: 'siteId' },
  'GET /api/v1/media/:id': (w) => ({ url: `/api/v1/media/${w.mediaA}` }),
  'PATCH /api/v1/media/:id': (w) => ({ url: `/api/v1/media/${w.mediaA}`, body: { alt: '越权' } }),
  'DELETE /api/v1/media/:id': (w) => ({ url: `/api/v1/media/${w.mediaA}` }),
  // templates and themes (site administrators, i.e. designers)
  'GET /api/v1/sites/:id/templates': (w) => ({ url: `/api/v1/sites/${w.siteA}/templates` }),
  'GET /api/v1/sites/:id/templates/:name': (w) => ({ url: `/api/v1/sites/${w.siteA}/templates/home` }),
  'PUT /api/v1/sites/:id/templates/:name': (w) => ({ url: `/api/v1/sites/${w.siteA}/templates/home`, body: { source: '越权' } }),
  'DELETE /api/v1/sites/:id/templates/:name': (w) => ({ url: `/api/v1/sites/${w.siteA}/templates/home` }),
  'GET /api/v1/sites/:id/templates/:name/versions': (w) => ({ url: `/api/v1/sites/${w.siteA}/templates/home/versions` }),
  'GET /api/v1/sites/:id/templates/:name/versions/:version': (w) => ({ url: `/api/v1/sites/${w.siteA}/templates/home/versions/1` }),
  'POST /api/v1/sites/:id/templates/:name/rollback': (w) => ({ url: `/api/v1/sites/${w.siteA}/templates/home/rollback`, body: { version: 1 } }),
  'POST /api/v1/templates/preview': (w) => ({ url: '/api/v1/templates/preview', body: { siteId: w.siteA, name: 'home', source: '越权' } }),
  'GET /api/v1/sites/:id/theme/export': (w) => ({ url: `/api/v1/sites/${w.siteA}/theme/export` }),
  'POST /api/v1/sites/:id/theme/import': (w) => ({ url: `/api/v1/sites/${w.siteA}/theme/import`, body: { zipBase64: 'UEsFBgAAAAAAAAAAAAAAAAAAAAAAAA==' } }),
  // national mourning (grey mode): cluster-wide by the system administrator, per site by its administrator
  'PUT /api/v1/publishing/mourning': (w) => ({ url: '/api/v1/publishing/mourning', body: { on: true, siteId: w.siteA } }),
  'PUT /api/v1/publishing/banner': (w) => ({ url: '/api/v1/publishing/banner', body: { banner: { text: '越权通告', level: 'info' }, siteId: w.siteA } }),
  'GET /api/v1/publishing/live': (w) => ({ url: `/api/v1/publishing/live?siteId=${w.siteA}` }),
  // previews in the real theme (whoever may read the content), rebuilds and output state (system administrator)
  'GET /api/v1/articles/:id/preview': (w) => ({ url: `/api/v1/articles/${w.articleA}/preview` }),
  'GET /api/v1/columns/:id/preview': (w) => ({ url: `/api/v1/columns/${w.columnA}/preview` }),
  'POST /api/v1/publishing/rebuild': () => ({ url: '/api/v1/publishing/rebuild', body: {} }),
  'GET /api/v1/publishing/status': () => ({ url: '/api/v1/publishing/status' }),
  // jobs (system administrator)
  'GET /api/v1/jobs': () => ({ url: '/api/v1/jobs' }),
  'POST /api/v1/jobs/:id/retry': () => ({ url: '/api/v1/jobs/1/retry' }),
  'GET /api/v1/jobs/events': () => ({ url: '/api/v1/jobs/events' }),
  // search dictionary, synonyms, hot-search blocklist, query statistics, re-index (system administrator)
  'GET /api/v1/search/terms': () => ({ url: '/api/v1/search/terms' }),
  'POST /api/v1/search/terms': () => ({ url: '/api/v1/search/terms', body: { word: '越权词语' } }),
  'PATCH /api/v1/search/terms/:id': () => ({ url: '/api/v1/search/terms/1', body: { kind: 'other' } }),
  'DELETE /api/v1/search/terms/:id': () => ({ url: '/api/v1/search/terms/1' }),
  'GET /api/v1/search/synonyms': () => ({ url: '/api/v1/search/synonyms' }),
  'POST /api/v1/search/synonyms': () => ({ url: '/api/v1/search/synonyms', body: { words: ['越权', '越界'] } }),
  'PUT /api/v1/search/synonyms/:id': () => ({ url: '/api/v1/search/synonyms/1', body: { words: ['越权', '越界'] } }),
  'DELETE /api/v1/search/synonyms/:id': () => ({ url: '/api/v1/search/synonyms/1' }),
  'GET /api/v1/search/blocklist': () => ({ url: '/api/v1/search/blocklist' }),
  'POST /api/v1/search/blocklist': () => ({ url: '/api/v1/search/blocklist', body: { word: '越权' } }),
  'DELETE /api/v1/search/blocklist/:id': () => ({ url: '/api/v1/search/blocklist/1' }),
  'GET /api/v1/search/queries': () => ({ url: '/api/v1/search/queries' }),
  'POST /api/v1/search/reindex': () => ({ url: '/api/v1/search/reindex', body: {} }),
  // FAQ knowledge base (scoped by the entry's site) and the smart Q&A staff queue (scoped by the question's site)
  'GET /api/v1/faq': (w) => ({ url: `/api/v1/faq?siteId=${w.siteA}` }),
  'POST /api/v1/faq': (w) => ({ url: '/api/v1/faq', body: { siteId: w.siteA, topic: '越权', question: '越权问题？' } }),
  'GET /api/v1/faq/topics': (w) => ({ url: `/api/v1/faq/topics?siteId=${w.siteA}` }),
  'GET /api/v1/faq/settings': (w) => ({ url: `/api/v1/faq/settings?siteId=${w.siteA}` }),
  'PUT /api/v1/faq/settings': (w) => ({ url: '/api/v1/faq/settings', body: { siteId: w.siteA, reviewLevels: 0 } }),
  'GET /api/v1/faq/:id': (w) => ({ url: `/api/v1/faq/${w.faqA}` }),
  'PATCH /api/v1/faq/:id': (w) => ({ url: `/api/v1/faq/${w.faqA}`, body: { baseVersion: 1, topic: '越权' } }),
  'DELETE /api/v1/faq/:id': (w) => ({ url: `/api/v1/faq/${w.faqA}` }),
  'POST /api/v1/faq/:id/submit': (w) => ({ url: `/api/v1/faq/${w.faqA}/submit` }),
  'POST /api/v1/faq/:id/review': (w) => ({ url: `/api/v1/faq/${w.faqA}/review`, body: { decision: 'approve' } }),
  'POST /api/v1/faq/:id/withdraw': (w) => ({ url: `/api/v1/faq/${w.faqA}/withdraw`, body: { reason: '越权撤下' } }),
  'GET /api/v1/qa/questions': (w) => ({ url: `/api/v1/qa/questions?siteId=${w.siteA}` }),
  'POST /api/v1/qa/questions/:id/handle': (w) => ({ url: `/api/v1/qa/questions/${w.questionA}/handle`, body: { note: '越权处理' } }),
  'POST /api/v1/qa/questions/:id/assign': (w) => ({ url: `/api/v1/qa/questions/${w.questionA}/assign`, body: { siteId: w.siteB } }),
};

const HOSTILE = `<script>alert(1)</script>'; DROP TABLE sites;-- ../../etc/passwd 😀 ${'长'.repeat(12_000)}`;
const TABLES: (keyof Database)[] = ['organisations', 'sites', 'site_hosts', 'columns', 'users', 'grants', 'api_tokens', 'audit_log', 'articles', 'article_versions', 'article_reviews', 'article_attachments', 'syndications', 'media', 'jobs', 'settings', 'search_terms', 'search_synonyms', 'search_blocked_words', 'faq_entries', 'faq_versions', 'faq_reviews', 'qa_questions'];

let t: TestApp;
let w: World;
let outsider: Client;
let routes: AnyRoute[];

async function counts(): Promise<Record<string, number>> {
  const out: Record<string, number> = {};
  for (const table of TABLES) {
    const r = await t.store.db.selectFrom(table).select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
    out[table] = Number(r.n);
  }
  return out;
}

const fill = (url: string, world: World) =>
  url.replace(/:id\b/, String(world.articleA)).replace(/:version\b/, '1').replace(/:(\w+)/g, '1');

beforeAll(async () => {
  t = await createTestApp();
  const T = '2026-01-01T00:00:00.000Z';
  const siteA = await makeSite(t.store, 'sitea');
  const siteB = await makeSite(t.store, 'siteb');
  const columnA = (await makeColumn(t.store, siteA, 'news')).id;
  await makeColumn(t.store, siteB, 'news');
  const userA = await makeUser(t.store, 'editor_a', [{ role: 'editor', siteId: siteA }]);
  await makeUser(t.store, 'editor_b', [{ role: 'editor', siteId: siteB }]);
  const grantA = (await t.store.db.selectFrom('grants').select('id').where('user_id', '=', userA).executeTakeFirstOrThrow()).id;
  const orgA = (await t.store.db.selectFrom('sites').select('organisation_id').where('id', '=', siteA).executeTakeFirstOrThrow()).organisation_id;
  const articleA = (
    await t.store.db
      .insertInto('articles')
      .values({ site_id: siteA, column_id: columnA, title: '甲站文章', subtitle: '', summary: '', body: '<p>正文</p>', source: '', author: '', publish_at: null, published_at: null, effective_at: null, expires_at: null, cover_media_id: null, cover_alt: '', tags: '[]', status: 'draft', review_level: 0, version: 1, approved_version: null, live_version: null, created_by: userA, updated_by: userA, created_at: T, updated_at: T })
      .returning('id')
      .executeTakeFirstOrThrow()
  ).id;
  await t.store.db.insertInto('article_versions').values({ article_id: articleA, version: 1, data: '{}', created_by: userA, created_at: T }).execute();
  const mediaA = (
    await t.store.db
      .insertInto('media')
      .values({ site_id: siteA, kind: 'document', original_name: '甲.pdf', stored_name: '2026/01/aaaa.pdf', mime: 'application/pdf', ext: 'pdf', size: 10, sha256: 'x', width: null, height: null, alt: '', created_by: userA, created_at: T })
      .returning('id')
      .executeTakeFirstOrThrow()
  ).id;
  // Article A pushed to a column of site C, waiting for site C's review.
  const siteC = await makeSite(t.store, 'sitec');
  const columnC = (await makeColumn(t.store, siteC, 'news')).id;
  const syndicationA = (
    await t.store.db
      .insertInto('syndications')
      .values({ article_id: articleA, site_id: siteC, column_id: columnC, status: 'pending', review_level: 1, requested_by: userA, published_at: null, created_at: T, updated_at: T })
      .returning('id')
      .executeTakeFirstOrThrow()
  ).id;
  // An FAQ entry of site A (draft) and a question asked on site A, unanswered, in its staff's queue.
  const faqA = (
    await t.store.db
      .insertInto('faq_entries')
      .values({ site_id: siteA, organisation_id: null, topic: '测试', question: '甲站的问题？', variants: '[]', answer: '<p>答</p>', ref_title: '', ref_url: '', effective_at: null, expires_at: null, status: 'draft', review_level: 0, version: 1, approved_version: null, live_version: null, published_at: null, source_question_id: null, created_by: userA, updated_by: userA, created_at: T, updated_at: T })
      .returning('id')
      .executeTakeFirstOrThrow()
  ).id;
  await t.store.db.insertInto('faq_versions').values({ entry_id: faqA, version: 1, data: '{}', created_by: userA, created_at: T }).execute();
  const questionA = (
    await t.store.db
      .insertInto('qa_questions')
      .values({ conversation: 'AAAAAAAAAAAAAAAAAAAAAA', site_id: siteA, asked_at: T, question: '甲站没人回答的问题', answer_entry_id: null, confidence: 0, related: '[]', passages: '[]', feedback: null, feedback_at: null, status: 'open', handled_by: null, handled_at: null, handled_entry_id: null, handled_note: '' })
      .returning('id')
      .executeTakeFirstOrThrow()
  ).id;
  w = { siteA, siteB, columnA, articleA, mediaA, userA, grantA, orgA, syndicationA, faqA, questionA };
  outsider = await loginAs(t, 'editor_b');
  routes = t.jiyue.router.routes;
});
afterAll(() => t.close());

describe('the route table', () => {
  it('has a scope row for every non-public route', () => {
    const missing = routes.filter((r) => r.auth !== 'public' && !(`${r.method} ${r.url}` in SCOPE)).map((r) => `${r.method} ${r.url}`);
    expect(missing).toEqual([]);
  });

  it('every non-public route refuses an anonymous caller with 401 and the error shape', async () => {
    const anon = anonymousClient(t);
    const wrong: string[] = [];
    for (const r of routes.filter((x) => x.auth !== 'public')) {
      const res = await anon.request(r.method, fill(r.url, w), r.method === 'GET' || r.method === 'DELETE' ? undefined : {});
      if (res.status !== 401 || res.body?.error?.code !== 'unauthenticated') wrong.push(`${r.method} ${r.url} → ${res.status}`);
    }
    expect(wrong).toEqual([]);
  });

  it('every scoped route refuses a caller outside its scope with 403 and changes nothing', async () => {
    const before = await counts();
    const wrong: string[] = [];
    for (const r of routes) {
      const row = SCOPE[`${r.method} ${r.url}`];
      if (r.auth === 'public' || !row || row === 'self' || row === 'public-read') continue;
      let res;
      if (typeof row === 'object') {
        // A real multipart upload aimed at site A.
        const fd = new FormData();
        fd.append(row.multipart, String(w.siteA));
        fd.append('alt', '越权上传');
        fd.append('file', new Blob([Buffer.from('%PDF-1.4\n%%EOF\n')]), '越权.pdf');
        const packed = new Response(fd);
        res = await outsider.request(r.method, r.url, Buffer.from(await packed.arrayBuffer()), { 'content-type': packed.headers.get('content-type')! });
      } else {
        const call = row(w);
        res = await outsider.request(r.method, call.url, call.body ?? (r.method === 'GET' || r.method === 'DELETE' ? undefined : {}));
      }
      if (res.status !== 403 || typeof res.body?.error?.message !== 'string') wrong.push(`${r.method} ${r.url} → ${res.status} ${JSON.stringify(res.body).slice(0, 200)}`);
    }
    expect(wrong).toEqual([]);
    const after = await counts();
    expect({ ...after, audit_log: 0 }).toEqual({ ...before, audit_log: 0 });
    expect(after.audit_log).toBe(before.audit_log);
  });

  it('bad input on every write route gets a 4xx with the error shape and stores nothing', async () => {
    const before = await counts();
    const wrong: string[] = [];
    const writes = routes.filter((r) => r.method !== 'GET' && r.body && !r.raw);
    expect(writes.length).toBeGreaterThan(5);
    for (const r of writes) {
      const props = Object.keys((z.toJSONSchema(r.body!, { io: 'input', unrepresentable: 'any' }) as any).properties ?? {});
      const hostileObject = Object.fromEntries(props.map((p) => [p, HOSTILE]));
      const surrogate = Object.fromEntries(props.map((p) => [p, '示范\uD800']));
      const bodies: [string, unknown, Record<string, string>?][] = [
        ['malformed JSON', '{"title": "未闭合', { 'content-type': 'application/json' }],
        ['array', [1, 2, 3]],
        ['hostile strings', hostileObject],
        ['lone surrogate', surrogate],
        ['number', 42],
      ];
      for (const [label, body, headers] of bodies) {
        const caller = r.auth === 'public' ? anonymousClient(t) : outsider;
        const res = await caller.request(r.method, fill(r.url, w), body, headers);
        const shaped = typeof res.body?.error?.code === 'string' && typeof res.body?.error?.message === 'string';
        if (res.status < 400 || res.status >= 500 || !shaped) wrong.push(`${r.method} ${r.url} [${label}] → ${res.status}`);
      }
    }
    expect(wrong).toEqual([]);
    const after = await counts();
    // Failed public logins are audited by design; nothing else may change.
    expect({ ...after, audit_log: 0 }).toEqual({ ...before, audit_log: 0 });
  });
});
