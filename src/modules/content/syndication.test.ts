import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Client, type TestApp, countRows, loginAs, createTestApp } from '../../../test/helpers.js';
import { type Cluster, emitted, makeCluster } from './testApp.js';

let t: TestApp;
let c: Cluster;
beforeAll(async () => {
  t = await createTestApp();
  c = await makeCluster(t);
});
afterAll(() => t.close());

const A = '/api/v1/articles';
const S = '/api/v1/syndications';

async function newArticle(as: Client, columnId: number, title = '市教育局召开2026年秋季开学工作会议') {
  const r = await as.post(A, { columnId, title, body: '<p>会议要求各校做好开学准备。</p>' });
  expect(r.status, JSON.stringify(r.body)).toBe(201);
  return r.body;
}

describe('syndication from a department site to the portal', () => {
  it('waits for the portal reviewer, and becomes public only when its source is live', async () => {
    const editor = await loginAs(t, 'editor');
    const r1 = await loginAs(t, 'r1');
    const portalReviewer = await loginAs(t, 'wwwr1');
    const portalEditor = await loginAs(t, 'wwweditor');
    const a = await newArticle(editor, c.col.xwzx.id);

    const pushed = await editor.post(`${A}/${a.id}/syndications`, { columnIds: [c.col.bmdt.id] });
    expect(pushed.status).toBe(201);
    expect(pushed.body).toMatchObject([{ articleId: a.id, siteId: c.www, columnId: c.col.bmdt.id, status: 'pending', reviewLevel: 1, url: null }]);
    const synId = pushed.body[0].id;
    expect((await editor.post(`${A}/${a.id}/syndications`, { columnIds: [c.col.bmdt.id] })).status).toBe(409);

    // The portal's queue shows it; the portal's reviewer may read the source to decide.
    expect((await portalReviewer.get(S)).body.items.map((s: any) => s.id)).toEqual([synId]);
    expect((await portalReviewer.get('/api/v1/review-queue')).body.syndications.map((s: any) => s.id)).toEqual([synId]);
    expect((await portalReviewer.get(`${A}/${a.id}`)).status).toBe(200);

    // Only the target's reviewers decide: not the portal's editors, not the source's reviewers.
    expect((await portalEditor.post(`${S}/${synId}/review`, { decision: 'approve' })).status).toBe(403);
    expect((await r1.post(`${S}/${synId}/review`, { decision: 'approve' })).status).toBe(403);
    // The portal's editors cannot change the text: it stays the source's.
    expect((await portalEditor.patch(`${A}/${a.id}`, { baseVersion: 1, title: '改标题' })).status).toBe(403);

    const approved = await portalReviewer.post(`${S}/${synId}/review`, { decision: 'approve' });
    expect(approved.body).toMatchObject({ id: synId, status: 'approved', url: null });
    expect(await emitted(t, 'syndication.published')).toEqual([]);

    // The source is submitted and approved in its own site: the placement goes public with it.
    await editor.post(`${A}/${a.id}/submit`);
    const live = await r1.post(`${A}/${a.id}/review`, { decision: 'approve' });
    expect(live.body).toMatchObject({ status: 'published' });
    expect(live.body.syndications).toMatchObject([{ id: synId, status: 'published', publishedAt: t.now.value.toISOString() }]);
    expect(live.body.syndications[0].url).toBe(`/bmdt/202611/t20261120_${a.id}.html`);
    expect(await emitted(t, 'syndication.published')).toEqual([{ id: synId, articleId: a.id, siteId: c.www, columnId: c.col.bmdt.id }]);

    // Withdrawing the source withdraws the placement.
    const withdrawn = await r1.post(`${A}/${a.id}/withdraw`, { reason: '数据有误' });
    expect(withdrawn.body.syndications).toMatchObject([{ id: synId, status: 'withdrawn', url: null }]);
    expect(await emitted(t, 'syndication.withdrawn')).toEqual([{ id: synId, articleId: a.id, siteId: c.www, columnId: c.col.bmdt.id }]);
    const actions = await t.store.db.selectFrom('audit_log').select('action').where('target_type', '=', 'syndication').where('target_id', '=', String(synId)).orderBy('id').execute();
    expect(actions.map((r) => r.action)).toEqual(['syndication.request', 'syndication.approve', 'syndication.publish', 'syndication.withdraw']);
  });

  it('publishes at once when the source is already live, after every target level', async () => {
    const editor = await loginAs(t, 'editor');
    const r1 = await loginAs(t, 'r1');
    const w1 = await loginAs(t, 'wwwr1');
    const w2 = await loginAs(t, 'wwwr2');
    const a = await newArticle(editor, c.col.xwzx.id, '已发布后推送的稿件');
    await editor.post(`${A}/${a.id}/submit`);
    await r1.post(`${A}/${a.id}/review`, { decision: 'approve' });

    const [syn] = (await editor.post(`${A}/${a.id}/syndications`, { columnIds: [c.col.zyxw.id] })).body;
    expect((await w2.post(`${S}/${syn.id}/review`, { decision: 'approve' })).status).toBe(403); // level 1 first
    expect((await w1.post(`${S}/${syn.id}/review`, { decision: 'approve' })).body).toMatchObject({ status: 'pending', reviewLevel: 2 });
    expect((await w1.post(`${S}/${syn.id}/review`, { decision: 'approve' })).status).toBe(403);
    const done = await w2.post(`${S}/${syn.id}/review`, { decision: 'approve' });
    expect(done.body).toMatchObject({ status: 'published', url: `/zyxw/202611/t20261120_${a.id}.html` });
    expect(await emitted(t, 'syndication.published')).toContainEqual({ id: syn.id, articleId: a.id, siteId: c.www, columnId: c.col.zyxw.id });
  });

  it('is returned with a comment, may be pushed again, and the target may take it down', async () => {
    const editor = await loginAs(t, 'editor');
    const r1 = await loginAs(t, 'r1');
    const w1 = await loginAs(t, 'wwwr1');
    const wAdmin = await loginAs(t, 'wwwadmin');
    const wEditor = await loginAs(t, 'wwweditor');
    const a = await newArticle(editor, c.col.xwzx.id, '退回后再推送的稿件');
    await editor.post(`${A}/${a.id}/submit`);
    await r1.post(`${A}/${a.id}/review`, { decision: 'approve' });
    const [syn] = (await editor.post(`${A}/${a.id}/syndications`, { columnIds: [c.col.bmdt.id] })).body;

    expect((await w1.post(`${S}/${syn.id}/review`, { decision: 'return' })).status).toBe(400);
    expect((await w1.post(`${S}/${syn.id}/review`, { decision: 'return', comment: '请压缩篇幅' })).body).toMatchObject({ status: 'returned' });
    const review = await t.store.db.selectFrom('article_reviews').selectAll().where('syndication_id', '=', syn.id).executeTakeFirstOrThrow();
    expect(review).toMatchObject({ article_id: a.id, level: 1, decision: 'return', comment: '请压缩篇幅' });

    const again = await editor.post(`${A}/${a.id}/syndications`, { columnIds: [c.col.bmdt.id] });
    expect(again.body).toMatchObject([{ id: syn.id, status: 'pending', reviewLevel: 1 }]);
    expect((await w1.post(`${S}/${syn.id}/review`, { decision: 'approve' })).body.status).toBe('published');

    // The portal's editors may not take placements down; its administrator may.
    expect((await wEditor.post(`${S}/${syn.id}/withdraw`, { reason: '版面调整' })).status).toBe(403);
    const down = await wAdmin.post(`${S}/${syn.id}/withdraw`, { reason: '版面调整' });
    expect(down.body).toMatchObject({ status: 'withdrawn', url: null });
    expect(await emitted(t, 'syndication.withdrawn')).toContainEqual({ id: syn.id, articleId: a.id, siteId: c.www, columnId: c.col.bmdt.id });
    // The source itself is untouched.
    expect((await editor.get(`${A}/${a.id}`)).body).toMatchObject({ status: 'published', isLive: true });
  });

  it('refuses pushes within the site, to non-list columns, to unknown columns, and by outsiders; nothing is stored', async () => {
    const editor = await loginAs(t, 'editor');
    const wsj = await loginAs(t, 'wsjeditor');
    const a = await newArticle(editor, c.col.xwzx.id, '不合规的推送');
    const before = await countRows(t.store, 'syndications');
    expect((await editor.post(`${A}/${a.id}/syndications`, { columnIds: [c.col.tzgg.id] })).status).toBe(400);
    expect((await editor.post(`${A}/${a.id}/syndications`, { columnIds: [c.col.about.id] })).status).toBe(400);
    expect((await editor.post(`${A}/${a.id}/syndications`, { columnIds: [c.col.bmdt.id, 999999] })).status).toBe(404);
    expect((await editor.post(`${A}/${a.id}/syndications`, { columnIds: [c.col.bmdt.id, c.col.bmdt.id] })).status).toBe(400);
    expect((await editor.post(`${A}/${a.id}/syndications`, { columnIds: [] })).status).toBe(400);
    expect((await wsj.post(`${A}/${a.id}/syndications`, { columnIds: [c.col.bmdt.id] })).status).toBe(403);
    expect(await countRows(t.store, 'syndications')).toBe(before);
    expect((await editor.post(`${S}/999999/review`, { decision: 'approve' })).status).toBe(404);
  });
});
