/**
 * Index updates in the publishing flow, through the real API and the job worker: publish →
 * findable, withdraw → gone, pushed to another site → findable within that site, expiry →
 * gone, a closed site → gone, an edit of the live text → the new text.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Client, type TestApp, anonymousClient, createTestApp, loginAs, makeUser, runJobs } from '../../../test/helpers.js';
import { type Cluster, DAY, later, makeCluster } from '../content/testApp.js';

let t: TestApp;
let c: Cluster;
let editor: Client;
let r1: Client;
let anon: Client;
const A = '/api/v1/articles';

beforeAll(async () => {
  t = await createTestApp();
  c = await makeCluster(t);
  await makeUser(t.store, 'sys', [{ role: 'sysadmin' }]);
  editor = await loginAs(t, 'editor');
  r1 = await loginAs(t, 'r1');
  anon = anonymousClient(t);
}, 60_000);
afterAll(() => t.close());

const titlesFor = async (q: string, extra = '') => (await anon.get(`/api/v1/search?q=${encodeURIComponent(q)}${extra}`)).body.items.map((i: { title: string }) => i.title);

async function publish(title: string, body: string, extra: Record<string, unknown> = {}): Promise<number> {
  const a = await editor.post(A, { columnId: c.col.xwzx.id, title, body, ...extra });
  expect(a.status, JSON.stringify(a.body)).toBe(201);
  await editor.post(`${A}/${a.body.id}/submit`);
  const live = await r1.post(`${A}/${a.body.id}/review`, { decision: 'approve' });
  expect(live.body.status).toBe('published');
  return a.body.id;
}

describe('the index follows what is public', () => {
  it('indexes an article when it is published, not before, and removes it when withdrawn', async () => {
    const draft = await editor.post(A, { columnId: c.col.xwzx.id, title: '草稿：校车安全检查', body: '<p>校车安全检查尚未发布。</p>' });
    expect(draft.status).toBe(201);
    await runJobs(t);
    expect(await titlesFor('校车')).toEqual([]);

    const id = await publish('市教育局开展校车安全专项检查', '<p>全市校车安全专项检查覆盖所有学校。</p>');
    expect(await titlesFor('校车')).toEqual([]); // the index follows after commit, in a job
    await runJobs(t);
    expect(await titlesFor('校车')).toEqual(['市教育局开展校车安全专项检查']);

    const w = await r1.post(`${A}/${id}/withdraw`, { reason: '内容有误' });
    expect(w.status).toBe(200);
    await runJobs(t);
    expect(await titlesFor('校车')).toEqual([]);
  });

  it('finds a pushed article within the site it was pushed to', async () => {
    const id = await publish('市教育局发布寒假安全提示', '<p>寒假期间注意防溺水和交通安全。</p>');
    await runJobs(t);
    expect(await titlesFor('寒假', '&site=www')).toEqual([]);
    const pushed = await editor.post(`${A}/${id}/syndications`, { columnIds: [c.col.bmdt.id] });
    expect(pushed.status).toBe(201);
    const portal = await loginAs(t, 'wwwr1');
    expect((await portal.post(`/api/v1/syndications/${pushed.body[0].id}/review`, { decision: 'approve' })).body.status).toBe('published');
    await runJobs(t);
    expect(await titlesFor('寒假', '&site=www')).toEqual(['市教育局发布寒假安全提示']);
    expect(await titlesFor('寒假', '&site=jyj')).toEqual(['市教育局发布寒假安全提示']);
    expect(await titlesFor('寒假', '&site=wsj')).toEqual([]);
  });

  it('drops an article at its expiry', async () => {
    await publish('限时公示：教育经费使用情况', '<p>教育经费使用情况公示七天。</p>', { expiresAt: new Date(t.now.value.getTime() + 7 * DAY).toISOString() });
    await runJobs(t);
    expect(await titlesFor('教育经费')).toEqual(['限时公示：教育经费使用情况']);
    later(t, 8 * DAY);
    await runJobs(t);
    expect(await titlesFor('教育经费')).toEqual([]);
    // Sessions time out meanwhile.
    editor = await loginAs(t, 'editor');
    r1 = await loginAs(t, 'r1');
  });

  it('shows the new text after a live article is edited and republished', async () => {
    const id = await publish('市教育局召开家长会议', '<p>会议讨论课后托管。</p>');
    await runJobs(t);
    const a = (await editor.get(`${A}/${id}`)).body;
    expect((await editor.patch(`${A}/${id}`, { baseVersion: a.version, body: '<p>会议讨论研学旅行。</p>' })).status).toBe(200);
    await runJobs(t);
    // The public text is still the old one until the edit is approved.
    expect(await titlesFor('课后托管')).toEqual(['市教育局召开家长会议']);
    expect(await titlesFor('研学旅行')).toEqual([]);
    await editor.post(`${A}/${id}/submit`);
    await r1.post(`${A}/${id}/review`, { decision: 'approve' });
    await runJobs(t);
    expect(await titlesFor('研学旅行')).toEqual(['市教育局召开家长会议']);
    expect(await titlesFor('课后托管')).toEqual([]);
  });

  it('removes a closed site from the index, and brings it back when it opens', async () => {
    await publish('市教育局召开体育工作会议', '<p>推进校园足球。</p>');
    await runJobs(t);
    expect(await titlesFor('校园足球')).toEqual(['市教育局召开体育工作会议']);
    const sys = await loginAs(t, 'sys');
    expect((await sys.patch(`/api/v1/sites/${c.jyj}`, { status: 'closed' })).status).toBe(200);
    await runJobs(t);
    expect(await titlesFor('校园足球')).toEqual([]);
    expect((await sys.patch(`/api/v1/sites/${c.jyj}`, { status: 'open' })).status).toBe(200);
    await runJobs(t);
    expect(await titlesFor('校园足球')).toEqual(['市教育局召开体育工作会议']);
  });
});
