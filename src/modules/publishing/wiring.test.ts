/**
 * The publishing module as the app registers it (no test renderer): an article published
 * through the API is on disk in the default theme and served by the built-in server once the
 * jobs have run; a withdrawal takes it away; previews render unpublished text in the real theme;
 * template previews use the site's real content; a rebuild is queued once and audited.
 */
import fs from 'node:fs';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Client, type TestApp, countRows, createTestApp, loginAs, makeColumn, makeSite, makeUser, runJobs } from '../../../test/helpers.js';
import { FULL_BUILD_JOB } from './build/index.js';
import { publisherOf } from './index.js';

let t: TestApp;
let admin: Client;
let editor: Client;
let outsider: Client;
let base: string;
let ids: { jyj: number; gzdt: number; page: number };

beforeAll(async () => {
  t = await createTestApp();
  const jyj = await makeSite(t.store, 'jyj', { name: '示范市教育局' });
  await makeSite(t.store, 'wsj', { name: '示范市卫生健康委员会' });
  const gzdt = (await makeColumn(t.store, jyj, 'gzdt', { name: '工作动态', reviewLevels: 0 })).id;
  ids = { jyj, gzdt, page: 0 };
  await makeUser(t.store, 'sys', [{ role: 'sysadmin' }]);
  await makeUser(t.store, 'jyj_admin', [{ role: 'site_admin', siteId: jyj }]);
  await makeUser(t.store, 'wsj_editor', [{ role: 'editor', siteId: (await t.store.db.selectFrom('sites').select('id').where('code', '=', 'wsj').executeTakeFirstOrThrow()).id }]);
  admin = await loginAs(t, 'sys');
  editor = await loginAs(t, 'jyj_admin');
  outsider = await loginAs(t, 'wsj_editor');
  await t.jiyue.app.listen({ port: 0, host: '127.0.0.1' });
  base = `http://127.0.0.1:${(t.jiyue.app.server.address() as AddressInfo).port}`;
});
afterAll(() => t.close());

const onDisk = (url: string) => path.join(t.dataDir, 'public', url.endsWith('/') ? `${url}index.html` : url);

async function writeArticle(title: string): Promise<{ id: number; url: string }> {
  const created = await editor.post('/api/v1/articles', { columnId: ids.gzdt, title, body: `<p>${title}的正文，共三段。</p>`, source: '示范市教育局' });
  expect(created.status).toBe(201);
  const submitted = await editor.post(`/api/v1/articles/${created.body.id}/submit`);
  expect(submitted.body.status).toBe('published');
  return { id: created.body.id, url: submitted.body.url };
}

describe('the publishing module in the app', () => {
  it('writes a published article, its column and the home page in the default theme, and serves them', async () => {
    const a = await writeArticle('市教育局召开秋季开学工作部署会');
    expect(fs.existsSync(onDisk(a.url))).toBe(false); // nothing until the worker ran
    await runJobs(t);
    const html = fs.readFileSync(onDisk(a.url), 'utf8');
    expect(html).toContain('<meta name="ArticleTitle" content="市教育局召开秋季开学工作部署会">');
    expect(html).toMatch(/<meta name="PubDate" content="\d{4}-\d{2}-\d{2} \d{2}:\d{2}">/);
    expect(fs.readFileSync(onDisk('/jyj/gzdt/'), 'utf8')).toContain('市教育局召开秋季开学工作部署会');
    expect(fs.readFileSync(onDisk('/jyj/'), 'utf8')).toContain('市教育局召开秋季开学工作部署会');
    // The Traditional twin, converted.
    expect(fs.readFileSync(onDisk(`/zh-hant${a.url}`), 'utf8')).toContain('市教育局召開秋季開學工作部署會');

    const res = await fetch(base + a.url, { headers: { 'accept-encoding': 'br' } });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-encoding')).toBe('br');
    expect(await res.text()).toContain('市教育局召开秋季开学工作部署会');
  });

  it('takes a withdrawn article off the disk and out of its list, and the server answers 404 at once', async () => {
    const a = await writeArticle('关于调整校车运营线路的通知');
    await runJobs(t);
    expect((await fetch(base + a.url)).status).toBe(200);
    const w = await editor.post(`/api/v1/articles/${a.id}/withdraw`, { reason: '内容有误，撤稿更正' });
    expect(w.status).toBe(200);
    await runJobs(t);
    expect(fs.existsSync(onDisk(a.url))).toBe(false);
    expect(fs.readFileSync(onDisk('/jyj/gzdt/'), 'utf8')).not.toContain('关于调整校车运营线路的通知');
    expect((await fetch(base + a.url)).status).toBe(404);
  });

  it('previews a draft in the real theme for its editors only, and writes nothing', async () => {
    const created = await editor.post('/api/v1/articles', { columnId: ids.gzdt, title: '草稿：教育局暑期安全提示', body: '<p>尚未发布的正文</p>' });
    const before = fs.readdirSync(path.join(t.dataDir, 'public'), { recursive: true }).length;
    const res = await editor.get(`/api/v1/articles/${created.body.id}/preview`);
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toContain('text/html');
    expect(res.headers['cache-control']).toBe('no-store');
    expect(String(res.headers['content-security-policy'])).toContain('sandbox');
    expect(res.body).toContain('草稿：教育局暑期安全提示');
    expect(res.body).toContain('<meta name="ArticleTitle"'); // the theme's article page, not a stub
    expect(fs.readdirSync(path.join(t.dataDir, 'public'), { recursive: true }).length).toBe(before);

    const denied = await outsider.get(`/api/v1/articles/${created.body.id}/preview`);
    expect(denied.status).toBe(403);
    expect(denied.body.error.code).toBeTruthy();
    expect((await editor.get('/api/v1/articles/99999/preview')).status).toBe(404);
    expect((await editor.get(`/api/v1/articles/${created.body.id}/preview?version=abc`)).status).toBe(400);

    const column = await editor.get(`/api/v1/columns/${ids.gzdt}/preview`);
    expect(column.status).toBe(200);
    expect(column.body).toContain('市教育局召开秋季开学工作部署会');
  });

  it('previews a template with the site’s real content instead of the fixture', async () => {
    const r = await editor.post('/api/v1/templates/preview', { siteId: ids.jyj, name: 'column', source: '<ul>{% for a in articles %}<li>{{ a.title }}</li>{% endfor %}</ul>' });
    expect(r.status).toBe(200);
    expect(r.body.html).toContain('市教育局召开秋季开学工作部署会');
  });

  it('queues one rebuild however often it is asked for, audits it, and the job rebuilds everything', async () => {
    const audits = await countRows(t.store, 'audit_log');
    expect((await editor.post('/api/v1/publishing/rebuild', {})).status).toBe(403);
    const first = await admin.post('/api/v1/publishing/rebuild', {});
    expect(first.status).toBe(202);
    expect((await admin.post('/api/v1/publishing/rebuild', {})).status).toBe(202);
    expect((await admin.post('/api/v1/publishing/rebuild', { all: true })).status).toBe(400);
    const waiting = await t.store.db.selectFrom('jobs').select('id').where('type', '=', FULL_BUILD_JOB).where('status', '=', 'pending').execute();
    expect(waiting).toHaveLength(1);
    expect(first.body.jobId).toBe(waiting[0]!.id);
    expect(await countRows(t.store, 'audit_log')).toBe(audits + 2);

    // Delete the output behind the platform's back: the rebuild job brings all of it back.
    fs.rmSync(onDisk('/jyj/gzdt/'));
    await runJobs(t);
    expect(fs.existsSync(onDisk('/jyj/gzdt/'))).toBe(true);
    const status = await admin.get('/api/v1/publishing/status');
    expect(status.status).toBe(200);
    expect(status.body.files).toBeGreaterThan(10);
    expect(status.body.jobsWaiting).toBe(0);
    expect(publisherOf(t.jiyue).publicDir).toBe(path.join(t.dataDir, 'public'));
  });
});
