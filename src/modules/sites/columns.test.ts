import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Client, type TestApp, anonymousClient, createTestApp, countRows, loginAs, makeColumn, makeSite, makeUser } from '../../../test/helpers.js';
import { getColumnForScope } from './queries/columns.js';


let t: TestApp;
let root: Client;
beforeAll(async () => {
  t = await createTestApp();
  await makeUser(t.store, 'root', [{ role: 'sysadmin' }]);
  root = await loginAs(t, 'root');
});
afterAll(() => t.close());

const rowOf = (id: number) => t.store.db.selectFrom('columns').select(['parent_id', 'path', 'id_path', 'sort', 'slug']).where('id', '=', id).executeTakeFirstOrThrow();

async function create(c: Client, siteId: number, slug: string, parentId: number | null = null, extra: object = {}): Promise<any> {
  const r = await c.post('/api/v1/columns', { siteId, parentId, name: `栏目 ${slug}`, slug, ...extra });
  expect(r.status, JSON.stringify(r.body)).toBe(201);
  return r.body;
}

/** Ids of a nested tree in walk order, with depth. */
const walk = (nodes: any[], depth = 0): Array<[string, number]> => nodes.flatMap((n) => [[n.path, depth] as [string, number], ...walk(n.children, depth + 1)]);

describe('column paths', () => {
  it('computes path, id_path and url on create, appending to the siblings', async () => {
    const site = await makeSite(t.store, 'paths');
    const zwgk = await create(root, site, 'zwgk');
    expect(zwgk).toMatchObject({ path: 'zwgk', idPath: `/${zwgk.id}/`, url: '/paths/zwgk/', parentId: null, sort: 0, kind: 'list', reviewLevels: 1, status: 'active' });
    const tzgg = await create(root, site, 'tzgg', zwgk.id, { kind: 'disclosure', reviewLevels: 3, updateIntervalDays: 14, templates: { list: 'list-news' } });
    expect(tzgg).toMatchObject({ path: 'zwgk/tzgg', idPath: `/${zwgk.id}/${tzgg.id}/`, url: '/paths/zwgk/tzgg/', reviewLevels: 3, updateIntervalDays: 14, templates: { list: 'list-news' } });
    const second = await create(root, site, 'zcjd', zwgk.id);
    expect(second.sort).toBe(tzgg.sort + 1);
    expect(await getColumnForScope(t.store.db, tzgg.id)).toEqual({ id: tzgg.id, siteId: site, idPath: tzgg.idPath, path: 'zwgk/tzgg', reviewLevels: 3, kind: 'disclosure', name: '栏目 tzgg' });
    expect(await getColumnForScope(t.store.db, 999_999)).toBeUndefined();
  });

  it('gives portal columns urls without a site segment', async () => {
    const portal = await makeSite(t.store, 'www');
    const col = await create(root, portal, 'news');
    expect(col.url).toBe('/news/');
    const r = await root.post('/api/v1/columns', { siteId: portal, name: '搜索', slug: 'search' });
    expect(r.status).toBe(409);
    await makeSite(t.store, 'jyj');
    expect((await root.post('/api/v1/columns', { siteId: portal, name: '教育', slug: 'jyj' })).status).toBe(409);
    // Below the top level the portal namespace does not matter.
    expect((await root.post('/api/v1/columns', { siteId: portal, parentId: col.id, name: '教育', slug: 'jyj' })).status).toBe(201);
  });

  it('refuses a slug already used by a sibling, but not by a cousin', async () => {
    const site = await makeSite(t.store, 'clash');
    const a = await create(root, site, 'a');
    const b = await create(root, site, 'b');
    await create(root, site, 'x', a.id);
    const before = await countRows(t.store, 'columns');
    const dup = await root.post('/api/v1/columns', { siteId: site, parentId: a.id, name: '重复', slug: 'x' });
    expect(dup.status).toBe(409);
    expect(dup.body.error.code).toBe('conflict');
    expect((await root.post('/api/v1/columns', { siteId: site, name: '重复', slug: 'a' })).status).toBe(409);
    expect(await countRows(t.store, 'columns')).toBe(before);
    await create(root, site, 'x', b.id);
    expect((await root.patch(`/api/v1/columns/${b.id}`, { slug: 'a' })).status).toBe(409);
  });

  it('rewrites the paths of all descendants when a slug changes, and only theirs', async () => {
    const site = await makeSite(t.store, 'rename');
    const top = await create(root, site, 'zwgk');
    const mid = await create(root, site, 'tzgg', top.id);
    const low = await create(root, site, '2026', mid.id);
    const other = await create(root, site, 'zwgkx');
    const otherChild = await create(root, site, 'tzgg', other.id);

    const r = await root.patch(`/api/v1/columns/${top.id}`, { slug: 'xxgk-old', name: '政务公开' });
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ slug: 'xxgk-old', path: 'xxgk-old', name: '政务公开', url: '/rename/xxgk-old/' });
    expect((await rowOf(mid.id)).path).toBe('xxgk-old/tzgg');
    expect((await rowOf(low.id)).path).toBe('xxgk-old/tzgg/2026');
    expect((await rowOf(other.id)).path).toBe('zwgkx');
    expect((await rowOf(otherChild.id)).path).toBe('zwgkx/tzgg');
    expect((await rowOf(low.id)).id_path).toBe(low.idPath);

    const midRename = await root.patch(`/api/v1/columns/${mid.id}`, { slug: 'gg' });
    expect(midRename.body.url).toBe('/rename/xxgk-old/gg/');
    expect((await root.get(`/api/v1/columns/${low.id}`)).body.url).toBe('/rename/xxgk-old/gg/2026/');
    const audit = await t.store.db.selectFrom('audit_log').select(['action', 'before', 'after']).orderBy('id', 'desc').limit(1).executeTakeFirstOrThrow();
    expect(audit.action).toBe('column.update');
    expect(JSON.parse(audit.before!).path).toBe('xxgk-old/tzgg');
    expect(JSON.parse(audit.after!).path).toBe('xxgk-old/gg');
  });
});

describe('moving columns', () => {
  it('moves a subtree under a new parent, rewriting path and id_path of every descendant', async () => {
    const site = await makeSite(t.store, 'move');
    const a = await create(root, site, 'a');
    const b = await create(root, site, 'b');
    const b1 = await create(root, site, 'b1', b.id);
    const x = await create(root, site, 'x', a.id);
    const y = await create(root, site, 'y', x.id);
    const z = await create(root, site, 'z', y.id);

    const r = await root.post(`/api/v1/columns/${x.id}/move`, { parentId: b.id, position: 0 });
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ parentId: b.id, path: 'b/x', idPath: `/${b.id}/${x.id}/`, url: '/move/b/x/', sort: 0 });
    expect(await rowOf(y.id)).toMatchObject({ path: 'b/x/y', id_path: `/${b.id}/${x.id}/${y.id}/` });
    expect(await rowOf(z.id)).toMatchObject({ path: 'b/x/y/z', id_path: `/${b.id}/${x.id}/${y.id}/${z.id}/` });
    expect((await rowOf(b1.id)).sort).toBe(1);

    const toTop = await root.post(`/api/v1/columns/${y.id}/move`, { parentId: null, position: 1 });
    expect(toTop.status).toBe(200);
    expect(toTop.body).toMatchObject({ parentId: null, path: 'y', idPath: `/${y.id}/` });
    expect(await rowOf(z.id)).toMatchObject({ path: 'y/z', id_path: `/${y.id}/${z.id}/` });
    const tree = await root.get(`/api/v1/sites/${site}/columns`);
    expect(walk(tree.body.items)).toEqual([
      ['a', 0],
      ['y', 0],
      ['y/z', 1],
      ['b', 0],
      ['b/x', 1],
      ['b/b1', 1],
    ]);
  });

  it('refuses to move a column into itself or its own subtree', async () => {
    const site = await makeSite(t.store, 'cycle');
    const a = await create(root, site, 'a');
    const b = await create(root, site, 'b', a.id);
    const c = await create(root, site, 'c', b.id);
    for (const target of [a.id, b.id, c.id]) {
      const r = await root.post(`/api/v1/columns/${a.id}/move`, { parentId: target });
      expect(r.status).toBe(409);
    }
    expect(await rowOf(a.id)).toMatchObject({ parent_id: null, path: 'a', id_path: `/${a.id}/` });
    expect(await rowOf(c.id)).toMatchObject({ path: 'a/b/c', id_path: `/${a.id}/${b.id}/${c.id}/` });
  });

  it('refuses to move a column to another site or onto a sibling’s slug', async () => {
    const s1 = await makeSite(t.store, 'move-s1');
    const s2 = await makeSite(t.store, 'move-s2');
    const a = await create(root, s1, 'a');
    const there = await create(root, s2, 'there');
    const r = await root.post(`/api/v1/columns/${a.id}/move`, { parentId: there.id });
    expect(r.status).toBe(400);
    expect(await rowOf(a.id)).toMatchObject({ parent_id: null, path: 'a' });

    const p = await create(root, s1, 'p');
    await create(root, s1, 'a', p.id);
    expect((await root.post(`/api/v1/columns/${a.id}/move`, { parentId: p.id })).status).toBe(409);
    expect((await root.post(`/api/v1/columns/${a.id}/move`, { parentId: 999_999 })).status).toBe(404);
    expect((await root.post('/api/v1/columns/999999/move', { parentId: null })).status).toBe(404);
  });

  it('reorders siblings from an ordered id list, which must name them all', async () => {
    const site = await makeSite(t.store, 'reorder');
    const p = await create(root, site, 'p');
    const ids = [(await create(root, site, 'c1', p.id)).id, (await create(root, site, 'c2', p.id)).id, (await create(root, site, 'c3', p.id)).id];
    const reversed = [...ids].reverse();
    const r = await root.post(`/api/v1/sites/${site}/columns/reorder`, { parentId: p.id, ids: reversed });
    expect(r.status).toBe(200);
    expect(r.body.map((c: any) => [c.id, c.sort])).toEqual(reversed.map((id, i) => [id, i]));
    const tree = await root.get(`/api/v1/sites/${site}/columns`);
    expect(tree.body.items[0].children.map((c: any) => c.id)).toEqual(reversed);

    expect((await root.post(`/api/v1/sites/${site}/columns/reorder`, { parentId: p.id, ids: ids.slice(0, 2) })).status).toBe(409);
    expect((await root.post(`/api/v1/sites/${site}/columns/reorder`, { parentId: p.id, ids: [ids[0], ids[0], ids[1]] })).status).toBe(400);
    expect((await root.post(`/api/v1/sites/${site}/columns/reorder`, { parentId: null, ids: [p.id] })).status).toBe(200);
    expect((await rowOf(ids[0]!)).sort).toBe(2);
  });
});

describe('deleting columns', () => {
  it('refuses a column with children, articles or live pushed articles, and deletes an empty leaf', async () => {
    const site = await makeSite(t.store, 'delete');
    const parent = await create(root, site, 'parent');
    const leaf = await create(root, site, 'leaf', parent.id);
    const withArticle = await create(root, site, 'news');
    const uid = await makeUser(t.store, 'writer');
    await t.store.db
      .insertInto('articles')
      .values({
        ...{ site_id: site, column_id: withArticle.id, title: '一篇信息', subtitle: '', summary: '', body: '', source: '', author: '', cover_media_id: null, cover_alt: '', tags: '[]' },
        ...{ publish_at: null, published_at: null, effective_at: null, expires_at: null, status: 'draft' as const, review_level: 0, version: 1, approved_version: null, live_version: null },
        ...{ created_by: uid, updated_by: uid, created_at: '2026-01-01T00:00:00.000Z', updated_at: '2026-01-01T00:00:00.000Z' },
      })
      .execute();

    const r1 = await root.del(`/api/v1/columns/${parent.id}`);
    expect(r1.status).toBe(409);
    expect(r1.body.error.message).toContain('子栏目');
    const r2 = await root.del(`/api/v1/columns/${withArticle.id}`);
    expect(r2.status).toBe(409);
    expect(r2.body.error.details).toEqual({ articles: 1 });

    // A column that received an article pushed from elsewhere keeps it until it is dealt with.
    const article = await t.store.db.selectFrom('articles').select('id').where('column_id', '=', withArticle.id).executeTakeFirstOrThrow();
    const target = await create(root, site, 'pushed');
    const T = '2026-01-01T00:00:00.000Z';
    const push = { article_id: article.id, site_id: site, column_id: target.id, review_level: 1, requested_by: uid, published_at: null, created_at: T, updated_at: T };
    const syn = await t.store.db.insertInto('syndications').values({ ...push, status: 'pending' }).returning('id').executeTakeFirstOrThrow();
    const r3 = await root.del(`/api/v1/columns/${target.id}`);
    expect(r3.status).toBe(409);
    expect(r3.body.error.details).toEqual({ syndications: 1 });
    await t.store.db.updateTable('syndications').set({ status: 'withdrawn' }).where('id', '=', syn.id).execute();
    expect((await root.del(`/api/v1/columns/${target.id}`)).status).toBe(200);

    const audits = await countRows(t.store, 'audit_log');
    expect((await root.del(`/api/v1/columns/${leaf.id}`)).status).toBe(200);
    expect((await root.get(`/api/v1/columns/${leaf.id}`)).status).toBe(404);
    expect(await countRows(t.store, 'audit_log')).toBe(audits + 1);
    expect((await root.del(`/api/v1/columns/${parent.id}`)).status).toBe(200);
  });
});

describe('link columns', () => {
  it('requires a safe link target for kind=link and only for it', async () => {
    const site = await makeSite(t.store, 'links');
    const before = await countRows(t.store, 'columns');
    for (const linkUrl of ['javascript:alert(1)', 'JAVASCRIPT:alert(1)', 'data:text/html;base64,PHNjcmlwdD4=', '//evil.example/', 'vbscript:x']) {
      const r = await root.post('/api/v1/columns', { siteId: site, name: '链接', slug: 'link', kind: 'link', linkUrl });
      expect(r.status, linkUrl).toBe(400);
      expect(r.body.error.details.issues[0].path).toBe('linkUrl');
    }
    expect((await root.post('/api/v1/columns', { siteId: site, name: '链接', slug: 'link', kind: 'link' })).status).toBe(400);
    expect(await countRows(t.store, 'columns')).toBe(before);

    const link = await create(root, site, 'gov', null, { kind: 'link', linkUrl: 'https://www.gov.cn/' });
    expect(link.linkUrl).toBe('https://www.gov.cn/');
    expect((await root.patch(`/api/v1/columns/${link.id}`, { linkUrl: 'javascript:alert(1)' })).status).toBe(400);
    expect((await root.patch(`/api/v1/columns/${link.id}`, { linkUrl: null })).status).toBe(400);
    const list = await create(root, site, 'plain');
    expect((await root.patch(`/api/v1/columns/${list.id}`, { kind: 'link' })).status).toBe(400);
    expect((await root.patch(`/api/v1/columns/${list.id}`, { kind: 'link', linkUrl: '/plain/' })).status).toBe(200);
    const back = await root.patch(`/api/v1/columns/${list.id}`, { kind: 'page' });
    expect(back.status).toBe(200);
    expect(back.body.linkUrl).toBeNull();
  });
});

describe('who may see and manage columns', () => {
  let siteA: number;
  let siteB: number;
  let a1: any;
  let a1x: any;
  let a2: any;
  let b1: any;
  beforeAll(async () => {
    siteA = await makeSite(t.store, 'dept-a');
    siteB = await makeSite(t.store, 'dept-b');
    a1 = await makeColumn(t.store, siteA, 'zwgk');
    a1x = await makeColumn(t.store, siteA, 'tzgg', { parentId: a1.id });
    a2 = await makeColumn(t.store, siteA, 'bsfw-a');
    b1 = await makeColumn(t.store, siteB, 'zwgk');
    await makeUser(t.store, 'site-admin-a', [{ role: 'site_admin', siteId: siteA }]);
    await makeUser(t.store, 'editor-a', [{ role: 'editor', siteId: siteA }]);
    await makeUser(t.store, 'editor-a1', [{ role: 'editor', siteId: siteA, columnId: a1.id }]);
    await makeUser(t.store, 'subadmin-a1', [{ role: 'site_admin', siteId: siteA, columnId: a1.id }]);
  });

  it('keeps a site administrator of site A out of site B', async () => {
    const c = await loginAs(t, 'site-admin-a');
    const before = await countRows(t.store, 'columns');
    expect((await c.post('/api/v1/columns', { siteId: siteB, name: '越权', slug: 'evil' })).status).toBe(403);
    expect((await c.post('/api/v1/columns', { siteId: siteB, parentId: b1.id, name: '越权', slug: 'evil' })).status).toBe(403);
    expect((await c.patch(`/api/v1/columns/${b1.id}`, { name: '越权' })).status).toBe(403);
    expect((await c.del(`/api/v1/columns/${b1.id}`)).status).toBe(403);
    expect((await c.post(`/api/v1/columns/${b1.id}/move`, { parentId: null })).status).toBe(403);
    expect((await c.post(`/api/v1/sites/${siteB}/columns/reorder`, { parentId: null, ids: [b1.id] })).status).toBe(403);
    expect((await c.get(`/api/v1/sites/${siteB}/columns`)).status).toBe(403);
    expect((await c.get(`/api/v1/columns/${b1.id}`)).status).toBe(403);
    expect(await countRows(t.store, 'columns')).toBe(before);
    expect((await rowOf(b1.id)).slug).toBe('zwgk');
    // …and in site A they manage everything.
    const created = await c.post('/api/v1/columns', { siteId: siteA, name: '新栏目', slug: 'new-a' });
    expect(created.status).toBe(201);
    expect((await c.del(`/api/v1/columns/${created.body.id}`)).status).toBe(200);
  });

  it('shows an editor of site A the columns of site A only, and lets them change none', async () => {
    const c = await loginAs(t, 'editor-a');
    const tree = await c.get(`/api/v1/sites/${siteA}/columns`);
    expect(tree.status).toBe(200);
    expect(walk(tree.body.items).map(([p]) => p)).toEqual(['zwgk', 'zwgk/tzgg', 'bsfw-a']);
    expect((await c.get(`/api/v1/sites/${siteB}/columns`)).status).toBe(403);
    expect((await c.get(`/api/v1/columns/${b1.id}`)).status).toBe(403);
    expect((await c.get(`/api/v1/columns/${a1x.id}`)).status).toBe(200);
    expect((await c.post('/api/v1/columns', { siteId: siteA, name: '编辑建栏目', slug: 'nope' })).status).toBe(403);
    expect((await c.patch(`/api/v1/columns/${a1.id}`, { name: '编辑改名' })).status).toBe(403);
  });

  it('shows an editor scoped to a column subtree that subtree only', async () => {
    const c = await loginAs(t, 'editor-a1');
    const tree = await c.get(`/api/v1/sites/${siteA}/columns`);
    expect(tree.status).toBe(200);
    expect(walk(tree.body.items)).toEqual([
      ['zwgk', 0],
      ['zwgk/tzgg', 1],
    ]);
    expect((await c.get(`/api/v1/columns/${a1x.id}`)).status).toBe(200);
    expect((await c.get(`/api/v1/columns/${a2.id}`)).status).toBe(403);
    expect((await c.get(`/api/v1/sites/${siteB}/columns`)).status).toBe(403);
  });

  it('lets a column-subtree administrator manage columns inside the subtree only', async () => {
    const c = await loginAs(t, 'subadmin-a1');
    const inside = await c.post('/api/v1/columns', { siteId: siteA, parentId: a1x.id, name: '子栏目', slug: 'sub' });
    expect(inside.status).toBe(201);
    expect(inside.body.path).toBe('zwgk/tzgg/sub');
    expect((await c.patch(`/api/v1/columns/${inside.body.id}`, { name: '子栏目（改）' })).status).toBe(200);
    expect((await c.post('/api/v1/columns', { siteId: siteA, name: '顶级', slug: 'top' })).status).toBe(403);
    expect((await c.post('/api/v1/columns', { siteId: siteA, parentId: a2.id, name: '别处', slug: 'elsewhere' })).status).toBe(403);
    expect((await c.patch(`/api/v1/columns/${a2.id}`, { name: '别处' })).status).toBe(403);
    expect((await c.post(`/api/v1/columns/${inside.body.id}/move`, { parentId: a2.id })).status).toBe(403);
    expect((await c.post(`/api/v1/columns/${inside.body.id}/move`, { parentId: null })).status).toBe(403);
    expect((await c.post(`/api/v1/columns/${inside.body.id}/move`, { parentId: a1.id })).status).toBe(200);
    expect((await c.post(`/api/v1/sites/${siteA}/columns/reorder`, { parentId: null, ids: [a1.id, a2.id] })).status).toBe(403);
    expect((await c.patch(`/api/v1/sites/${siteA}`, { name: '改站名' })).status).toBe(403);
    expect((await c.del(`/api/v1/columns/${inside.body.id}`)).status).toBe(200);
  });

  it('answers anonymous callers with 401', async () => {
    const anon = anonymousClient(t);
    expect((await anon.get(`/api/v1/sites/${siteA}/columns`)).status).toBe(401);
    expect((await anon.get(`/api/v1/columns/${a1.id}`)).status).toBe(401);
    expect((await anon.post('/api/v1/columns', { siteId: siteA, name: 'x', slug: 'x' })).status).toBe(401);
    expect((await anon.patch(`/api/v1/columns/${a1.id}`, { name: 'x' })).status).toBe(401);
    expect((await anon.del(`/api/v1/columns/${a1.id}`)).status).toBe(401);
    expect((await anon.post(`/api/v1/columns/${a1.id}/move`, { parentId: null })).status).toBe(401);
    expect((await anon.post(`/api/v1/sites/${siteA}/columns/reorder`, { parentId: null, ids: [a1.id] })).status).toBe(401);
  });
});

describe('hostile input', () => {
  it('stores a script in a name as text, refuses it in a slug, and never stores a failure', async () => {
    const site = await makeSite(t.store, 'hostile');
    const xss = await create(root, site, 'xss', null, { name: '<script>alert(1)</script>', description: "'; DROP TABLE columns;--\n第二行", keywords: '🏛️ 政务' });
    expect(xss.name).toBe('<script>alert(1)</script>');
    expect(xss.description).toBe("'; DROP TABLE columns;--\n第二行");

    const columns = await countRows(t.store, 'columns');
    const audits = await countRows(t.store, 'audit_log');
    const base = { siteId: site, name: '栏目', slug: 'ok' };
    for (const body of [
      { ...base, slug: '<script>alert(1)</script>' },
      { ...base, slug: '../../etc/passwd' },
      { ...base, slug: "x'; DROP TABLE columns;--" },
      { ...base, name: '栏'.repeat(10_240) },
      { ...base, name: 'x\ud800y' },
      { ...base, name: 'nul\u0000' },
      { ...base, description: 'x'.repeat(10_240) },
      { ...base, templates: { list: '../../etc/passwd' } },
      { ...base, reviewLevels: 99 },
      { ...base, siteId: 2_147_483_648 },
      { ...base, path: 'forged/path' },
      { ...base, idPath: '/1/' },
    ]) {
      const r = await root.post('/api/v1/columns', body);
      expect(r.status, JSON.stringify(body).slice(0, 80)).toBe(400);
    }
    for (const body of [{ slug: '<script>' }, { name: 'a\udc00' }, { name: '栏'.repeat(10_240) }, { parentId: 1 }]) {
      expect((await root.patch(`/api/v1/columns/${xss.id}`, body)).status).toBe(400);
    }
    expect((await root.post(`/api/v1/columns/${xss.id}/move`, { parentId: '1 OR 1=1' })).status).toBe(400);
    expect((await root.post(`/api/v1/sites/${site}/columns/reorder`, { parentId: null, ids: ['1; DROP TABLE columns'] })).status).toBe(400);
    expect((await root.get('/api/v1/columns/..%2F..%2Fetc%2Fpasswd')).status).toBe(400);
    expect(await countRows(t.store, 'columns')).toBe(columns);
    expect(await countRows(t.store, 'audit_log')).toBe(audits);
    expect(await rowOf(xss.id)).toMatchObject({ slug: 'xss', path: 'xss' });
  });

  it('answers unknown sites and columns with 404', async () => {
    expect((await root.post('/api/v1/columns', { siteId: 999_999, name: 'x', slug: 'x' })).status).toBe(404);
    expect((await root.get('/api/v1/sites/999999/columns')).status).toBe(404);
    expect((await root.get('/api/v1/columns/999999')).status).toBe(404);
    expect((await root.patch('/api/v1/columns/999999', { name: 'x' })).status).toBe(404);
    expect((await root.del('/api/v1/columns/999999')).status).toBe(404);
  });
});
