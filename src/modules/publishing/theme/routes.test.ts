import { strFromU8, unzipSync, zipSync } from 'fflate';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Client, PASSWORD, type TestApp, anonymousClient, countRows, loginAs, makeSite, makeUser, createTestApp } from '../../../../test/helpers.js';
import { openApiDocument } from '../../../http/openapi.js';
import { fixtureContext } from './fixtures.js';
import { setPreviewModel, themeEngineFor } from './services.js';


let t: TestApp;
let siteA: number;
let siteB: number;
let admin: Client; // site_admin of A: the designer
let sys: Client; // sysadmin
let editor: Client; // editor of A: no site.manage
let otherAdmin: Client; // site_admin of B

const url = (site: number, rest = '') => `/api/v1/sites/${site}/templates${rest}`;

async function overrideRows(siteId?: number): Promise<number> {
  let q = t.store.db.selectFrom('template_overrides').select((eb) => eb.fn.countAll<number>().as('n'));
  if (siteId !== undefined) q = q.where('site_id', '=', siteId);
  return Number((await q.executeTakeFirstOrThrow()).n);
}

async function auditActions(): Promise<string[]> {
  return (await t.store.db.selectFrom('audit_log').select('action').orderBy('id').execute()).map((r) => r.action);
}

async function templateEvents(): Promise<unknown[]> {
  const rows = await t.store.db.selectFrom('jobs').select('payload').where('type', '=', 'event').orderBy('id').execute();
  return rows.map((r) => JSON.parse(r.payload)).filter((p) => p.event === 'template.changed');
}

/** Counts that must not move when a request is refused. */
async function snapshot() {
  return { overrides: await overrideRows(), audit: await countRows(t.store, 'audit_log'), jobs: await countRows(t.store, 'jobs') };
}

const zipOf = (files: Record<string, string | Uint8Array>) =>
  Buffer.from(zipSync(Object.fromEntries(Object.entries(files).map(([k, v]) => [k, typeof v === 'string' ? new TextEncoder().encode(v) : v])))).toString('base64');

beforeAll(async () => {
  t = await createTestApp();
  siteA = await makeSite(t.store, 'jyj', { name: '示范市教育局' });
  siteB = await makeSite(t.store, 'wjw', { name: '示范市卫生健康委员会' });
  await makeUser(t.store, 'designer', [{ role: 'site_admin', siteId: siteA }]);
  await makeUser(t.store, 'sys', [{ role: 'sysadmin' }]);
  await makeUser(t.store, 'editor', [{ role: 'editor', siteId: siteA }]);
  await makeUser(t.store, 'badmin', [{ role: 'site_admin', siteId: siteB }]);
  admin = await loginAs(t, 'designer');
  sys = await loginAs(t, 'sys');
  editor = await loginAs(t, 'editor');
  otherAdmin = await loginAs(t, 'badmin');
});
afterAll(() => t.close());

describe('reading templates', () => {
  it('lists the theme templates with their override state', async () => {
    const r = await admin.get(url(siteA));
    expect(r.status).toBe(200);
    expect(r.body.theme).toBe('default');
    const names = r.body.items.map((i: { name: string }) => i.name);
    for (const n of ['home', 'column', 'page', 'article', 'sitemap', 'notfound', 'layouts/base', 'partials/header', 'partials/footer']) expect(names).toContain(n);
    expect(r.body.items.find((i: { name: string }) => i.name === 'partials/header')).toEqual({
      name: 'partials/header',
      urlName: 'partials__header',
      inTheme: true,
      overridden: false,
      version: null,
      updatedAt: null,
    });
  });

  it('returns a theme file by name, with "/" written as "__" or percent-encoded', async () => {
    const a = await admin.get(url(siteA, '/partials__header'));
    expect(a.status).toBe(200);
    expect(a.body).toMatchObject({ name: 'partials/header', overridden: false, version: 0, inTheme: true });
    expect(a.body.source).toContain('<header class="site-header">');
    const b = await admin.get(url(siteA, '/partials%2Fheader'));
    expect(b.status).toBe(200);
    expect(b.body.source).toBe(a.body.source);
  });

  it('answers 404 for an unknown template or site and 400 for a bad name', async () => {
    expect((await admin.get(url(siteA, '/no-such'))).status).toBe(404);
    expect((await sys.get(url(99999, '/home'))).status).toBe(404);
    for (const bad of ['..%2F..%2Fetc%2Fpasswd', '%2Fetc%2Fpasswd', 'Home', 'a.liquid', 'x'.repeat(62), '%E6%96%87']) {
      const r = await admin.get(url(siteA, `/${bad}`));
      expect([bad, r.status, r.body.error?.code]).toEqual([bad, 400, 'validation_failed']);
    }
  });
});

describe('permissions', () => {
  it('needs site.manage on the site: 401 anonymous, 403 for an editor and another site admin, 200 for the system administrator', async () => {
    expect((await anonymousClient(t).get(url(siteA))).status).toBe(401);
    expect((await editor.get(url(siteA))).status).toBe(403);
    expect((await otherAdmin.get(url(siteA))).status).toBe(403);
    expect((await sys.get(url(siteA))).status).toBe(200);
    const before = await snapshot();
    expect((await editor.put(url(siteA, '/home'), { source: '越权' })).status).toBe(403);
    expect((await otherAdmin.put(url(siteA, '/home'), { source: '越权' })).status).toBe(403);
    expect((await otherAdmin.post('/api/v1/templates/preview', { siteId: siteA, name: 'home', source: 'x' })).status).toBe(403);
    expect((await otherAdmin.get(`/api/v1/sites/${siteA}/theme/export`)).status).toBe(403);
    expect((await otherAdmin.post(`/api/v1/sites/${siteA}/theme/import`, { zipBase64: zipOf({ 'templates/home.liquid': 'x' }) })).status).toBe(403);
    expect((await otherAdmin.del(url(siteA, '/home'))).status).toBe(403);
    expect((await otherAdmin.post(url(siteA, '/home/rollback'), { version: 1 })).status).toBe(403);
    expect(await snapshot()).toEqual(before);
  });
});

describe('saving, versions, roll-back and removal', () => {
  it('saves an override as a new version, audited, announced, and rendered at once', async () => {
    const engine = themeEngineFor(t.jiyue);
    expect(await engine.render(siteA, 'default', 'home', fixtureContext('home'))).not.toContain('新页脚一');
    const r1 = await admin.put(url(siteA, '/partials__footer'), { source: '<footer>新页脚一</footer>' });
    expect(r1.status).toBe(200);
    expect(r1.body).toEqual({ name: 'partials/footer', version: 1, changed: true });
    const r2 = await admin.put(url(siteA, '/partials__footer'), { source: '<footer>新页脚二</footer>', baseVersion: 1 });
    expect(r2.body).toEqual({ name: 'partials/footer', version: 2, changed: true });

    const got = await admin.get(url(siteA, '/partials__footer'));
    expect(got.body).toMatchObject({ overridden: true, version: 2, source: '<footer>新页脚二</footer>' });
    const list = await admin.get(url(siteA));
    expect(list.body.items.find((i: { name: string }) => i.name === 'partials/footer')).toMatchObject({ overridden: true, version: 2 });

    const versions = await admin.get(url(siteA, '/partials__footer/versions'));
    expect(versions.body.total).toBe(2);
    expect(versions.body.items.map((v: { version: number; active: boolean }) => [v.version, v.active])).toEqual([
      [2, true],
      [1, false],
    ]);
    expect(versions.body.items[0].createdBy).toMatchObject({ username: 'designer' });
    const v1 = await admin.get(url(siteA, '/partials__footer/versions/1'));
    expect(v1.body).toMatchObject({ version: 1, active: false, source: '<footer>新页脚一</footer>' });

    const html = await engine.render(siteA, 'default', 'home', fixtureContext('home'));
    expect(html).toContain('新页脚二');
    expect(await engine.render(siteB, 'default', 'home', fixtureContext('home'))).not.toContain('新页脚');

    expect((await auditActions()).filter((a) => a.startsWith('template.'))).toEqual(['template.save', 'template.save']);
    expect(await templateEvents()).toEqual([
      { event: 'template.changed', data: { siteId: siteA, name: 'partials/footer' } },
      { event: 'template.changed', data: { siteId: siteA, name: 'partials/footer' } },
    ]);
  });

  it('stores nothing when the source is unchanged', async () => {
    const before = await snapshot();
    const r = await admin.put(url(siteA, '/partials__footer'), { source: '<footer>新页脚二</footer>' });
    expect(r.body).toEqual({ name: 'partials/footer', version: 2, changed: false });
    expect(await snapshot()).toEqual(before);
  });

  it('refuses a save based on a stale version with 409', async () => {
    const before = await snapshot();
    const r = await admin.put(url(siteA, '/partials__footer'), { source: '<footer>旧稿</footer>', baseVersion: 1 });
    expect(r.status).toBe(409);
    expect(r.body.error.details).toEqual({ currentVersion: 2 });
    const fresh = await admin.put(url(siteA, '/home'), { source: '<p>新首页</p>', baseVersion: 3 });
    expect(fresh.status).toBe(409);
    expect(await snapshot()).toEqual(before);
  });

  it('rolls back to an earlier version and removes the override back to the theme file', async () => {
    const engine = themeEngineFor(t.jiyue);
    const rb = await admin.post(url(siteA, '/partials__footer/rollback'), { version: 1 });
    expect(rb.status).toBe(200);
    expect(rb.body).toEqual({ name: 'partials/footer', version: 1, changed: true });
    expect((await admin.get(url(siteA, '/partials__footer'))).body).toMatchObject({ version: 1, source: '<footer>新页脚一</footer>' });
    expect(await engine.render(siteA, 'default', 'home', fixtureContext('home'))).toContain('新页脚一');
    expect((await admin.post(url(siteA, '/partials__footer/rollback'), { version: 7 })).status).toBe(404);

    const del = await admin.del(url(siteA, '/partials__footer'));
    expect(del.status).toBe(200);
    const got = await admin.get(url(siteA, '/partials__footer'));
    expect(got.body).toMatchObject({ overridden: false, version: 0 });
    expect(got.body.source).toContain('网站标识码');
    expect(await engine.render(siteA, 'default', 'home', fixtureContext('home'))).toContain('网站标识码');
    expect((await admin.del(url(siteA, '/partials__footer'))).status).toBe(404);

    // The next save continues the numbering; a removed override can be rolled back.
    expect((await admin.put(url(siteA, '/partials__footer'), { source: '<footer>三</footer>' })).body.version).toBe(3);
    await admin.del(url(siteA, '/partials__footer'));
    expect((await admin.post(url(siteA, '/partials__footer/rollback'), { version: 2 })).body.changed).toBe(true);
    expect((await admin.get(url(siteA, '/partials__footer'))).body.source).toBe('<footer>新页脚二</footer>');

    const actions = (await auditActions()).filter((a) => a.startsWith('template.'));
    expect(actions.slice(2)).toEqual(['template.rollback', 'template.delete', 'template.save', 'template.delete', 'template.rollback']);
  });

  it('lets a site add a template the theme does not have', async () => {
    const r = await admin.put(url(siteA, '/list-news'), { source: "{% layout 'layouts/base' %}{% block main %}<h1>{{ column.name }}</h1>{% endblock %}" });
    expect(r.status).toBe(200);
    const list = await admin.get(url(siteA));
    expect(list.body.items.find((i: { name: string }) => i.name === 'list-news')).toMatchObject({ inTheme: false, overridden: true, version: 1 });
    const html = await themeEngineFor(t.jiyue).render(siteA, 'default', 'list-news', fixtureContext('column'));
    expect(html).toContain('<h1>工作动态</h1>');
  });
});

describe('hostile and invalid sources', () => {
  it('refuses a parse error with its line and column, storing nothing', async () => {
    const before = await snapshot();
    const r = await admin.put(url(siteA, '/home'), { source: '<main>\n  <h1>{{ site.name }}</h1>\n  {% for a in articles %}\n</main>' });
    expect(r.status).toBe(400);
    expect(r.body.error.code).toBe('validation_failed');
    expect(r.body.error.message).toMatch(/第 3 行第 3 列/);
    expect(r.body.error.details.issues[0]).toEqual({ path: 'source', line: 3, column: 3, message: expect.stringMatching(/没有结束标签/) });
    expect(await snapshot()).toEqual(before);
  });

  it.each([
    ['an include of /etc/passwd', "{% include '/etc/passwd' %}"],
    ['a render of ../../etc/passwd', "ok\n{% render '../../etc/passwd' %}"],
    ['a variable partial name', '{% include page.url %}'],
    ['an unknown filter', '{{ "" | constructor }}'],
  ])('refuses %s with 400 and stores nothing', async (_label, source) => {
    const before = await snapshot();
    const r = await admin.put(url(siteA, '/home'), { source });
    expect(r.status).toBe(400);
    expect(r.body.error.details.issues[0]).toMatchObject({ path: 'source', line: expect.any(Number), column: expect.any(Number) });
    expect(await snapshot()).toEqual(before);
  });

  it('refuses huge sources, lone surrogates, NUL, unknown fields and bad names cleanly', async () => {
    const before = await snapshot();
    const cases: [string, unknown, number][] = [
      [url(siteA, '/home'), { source: 'x'.repeat(200_001) }, 400],
      [url(siteA, '/home'), { source: 'x'.repeat(3 * 1024 * 1024) }, 413],
      [url(siteA, '/home'), { source: '示范\uD800' }, 400],
      [url(siteA, '/home'), { source: 'a\u0000b' }, 400],
      [url(siteA, '/home'), { source: 'ok', extra: 1 }, 400],
      [url(siteA, '/home'), { source: 42 }, 400],
      [url(siteA, '/home'), [1, 2], 400],
      [url(siteA, '/..%2F..%2Fetc%2Fpasswd'), { source: 'x' }, 400],
      [url(siteA, '/%2Fetc%2Fpasswd'), { source: 'x' }, 400],
      [url(siteA, `/${'a'.repeat(300)}`), { source: 'x' }, 400],
      [`/api/v1/sites/0/templates/home`, { source: 'x' }, 400],
      [`/api/v1/sites/1;DROP/templates/home`, { source: 'x' }, 400],
    ];
    for (const [u, body, status] of cases) {
      const r = await admin.put(u, body);
      expect([u.slice(0, 60), r.status, typeof r.body?.error?.message]).toEqual([u.slice(0, 60), status, 'string']);
    }
    expect(await snapshot()).toEqual(before);
  });

  it('stores markup, SQL-ish text and emoji inertly: a template is text', async () => {
    const source = "<script src=\"/x.js\"></script>'; DROP TABLE sites;-- 😀 {{ site.name }}";
    const r = await admin.put(url(siteA, '/partials__banner'), { source });
    expect(r.status).toBe(200);
    expect((await admin.get(url(siteA, '/partials__banner'))).body.source).toBe(source);
    expect(await countRows(t.store, 'sites')).toBe(2);
    await admin.del(url(siteA, '/partials__banner'));
  });
});

describe('preview', () => {
  it('renders a changed partial inside the sample page without storing anything', async () => {
    const before = await snapshot();
    const r = await admin.post('/api/v1/templates/preview', { siteId: siteA, name: 'partials/footer', source: '<footer>预览中的页脚</footer>' });
    expect(r.status).toBe(200);
    expect(r.body.template).toBe('home');
    expect(r.body.html).toContain('预览中的页脚');
    expect(r.body.html).toContain('<title>示范市教育局</title>');
    const art = await admin.post('/api/v1/templates/preview', { siteId: siteA, name: 'article', source: "{% layout 'layouts/base' %}{% block main %}<h1>{{ article.title }}</h1>{% endblock %}" });
    expect(art.body.html).toContain('<h1>市教育局召开2026年秋季学期开学工作部署会</h1>');
    const col = await admin.post('/api/v1/templates/preview', { siteId: siteA, name: 'partials/pagination', source: 'PAGES {{ pagination.total }}', sample: 'column' });
    expect(col.body.html).toContain('PAGES 12');
    expect(await snapshot()).toEqual(before);
    expect(await themeEngineFor(t.jiyue).render(siteA, 'default', 'home', fixtureContext('home'))).not.toContain('预览中的页脚');
  });

  it('reports parse errors with line numbers and stops hostile loops quickly', { timeout: 10_000 }, async () => {
    const bad = await admin.post('/api/v1/templates/preview', { siteId: siteA, name: 'home', source: 'a\n{% if x %}' });
    expect(bad.status).toBe(400);
    expect(bad.body.error.details.issues[0]).toMatchObject({ path: 'source', line: 2 });
    const passwd = await admin.post('/api/v1/templates/preview', { siteId: siteA, name: 'home', source: "{% include '/etc/passwd' %}" });
    expect(passwd.status).toBe(400);
    const t0 = Date.now();
    const loop = await admin.post('/api/v1/templates/preview', { siteId: siteA, name: 'home', source: '{% for i in (1..3000) %}{% for j in (1..3000) %}{{ j }}{% endfor %}{% endfor %}' });
    expect(loop.status).toBe(400);
    expect(loop.body.error.message).toMatch(/limit/);
    expect(Date.now() - t0).toBeLessThan(5000);
    const missing = await admin.post('/api/v1/templates/preview', { siteId: siteA, name: 'home', source: "{% render 'partials/nope' %}" });
    expect(missing.status).toBe(400);
    expect(missing.body.error.details.issues[0].kind).toBe('missing');
  });

  it('uses the model the publisher provides', async () => {
    setPreviewModel(t.jiyue, async (_ctx, site, kind) => fixtureContext(kind, { site: { id: site.id, name: '来自发布模块的模型' } }));
    try {
      const r = await admin.post('/api/v1/templates/preview', { siteId: siteA, name: 'partials/footer', source: '<footer>{{ site.name }}</footer>' });
      expect(r.body.html).toContain('<footer>来自发布模块的模型</footer>');
    } finally {
      setPreviewModel(t.jiyue, null);
    }
  });

  it('refuses bad input', async () => {
    for (const body of [{ siteId: siteA, name: '../x', source: 'x' }, { siteId: siteA, name: 'home', source: 'x', sample: 'admin' }, { siteId: 'x', name: 'home', source: 'x' }, {}]) {
      const r = await admin.post('/api/v1/templates/preview', body);
      expect(r.status).toBe(400);
    }
    expect((await admin.post('/api/v1/templates/preview', { siteId: 99999, name: 'home', source: 'x' })).status).toBe(404);
  });
});

describe('export and import', () => {
  it('exports the effective templates, the assets and a manifest as a zip', async () => {
    await admin.put(url(siteA, '/partials__header'), { source: '<header>导出用页头</header>' });
    const res = await t.jiyue.app.inject({ method: 'GET', url: `/api/v1/sites/${siteA}/theme/export`, headers: await sessionHeaders('designer') });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('application/zip');
    expect(res.headers['content-disposition']).toBe('attachment; filename="theme-jyj.zip"');
    const files = unzipSync(new Uint8Array(res.rawPayload));
    expect(strFromU8(files['templates/partials/header.liquid']!)).toBe('<header>导出用页头</header>');
    expect(strFromU8(files['templates/home.liquid']!)).toContain("{% layout 'layouts/base' %}");
    expect(strFromU8(files['templates/list-news.liquid']!)).toContain('column.name');
    expect(files['assets/site.css']).toBeDefined();
    expect(files['assets/elder.css']).toBeDefined();
    const manifest = JSON.parse(strFromU8(files['theme.json']!));
    expect(manifest).toMatchObject({ theme: 'default', site: 'jyj', exportedAt: '2026-11-20T02:00:00.000Z' });
    expect(manifest.overridden.map((o: { name: string }) => o.name)).toContain('partials/header');
  });

  it('imports a package: only changed templates become new versions, in one audited transaction', async () => {
    const res = await t.jiyue.app.inject({ method: 'GET', url: `/api/v1/sites/${siteA}/theme/export`, headers: await sessionHeaders('designer') });
    const files = unzipSync(new Uint8Array(res.rawPayload));
    files['templates/partials/footer.liquid'] = new TextEncoder().encode('<footer>导入的页脚</footer>');
    files['templates/partials/extra.liquid'] = new TextEncoder().encode('<p>新增</p>');
    const before = await overrideRows(siteB);
    const r = await otherAdminImport(Buffer.from(zipSync(files)).toString('base64'));
    expect(r.status).toBe(200);
    // Site B uses the plain theme: A's overrides, the edited footer and the new partial differ from it.
    expect(r.body.imported.map((i: { name: string }) => i.name)).toEqual(['list-news', 'partials/extra', 'partials/footer', 'partials/header']);
    expect(r.body.imported.every((i: { version: number }) => i.version === 1)).toBe(true);
    expect(r.body.unchanged).toContain('home');
    expect(r.body.ignored).toContain('assets/site.css');
    expect(await overrideRows(siteB)).toBe(before + 4);
    expect((await otherAdmin.get(url(siteB, '/partials__footer'))).body.source).toBe('<footer>导入的页脚</footer>');
    expect((await auditActions()).at(-1)).toBe('template.import');
    const again = await otherAdminImport(Buffer.from(zipSync(files)).toString('base64'));
    expect(again.body.imported).toEqual([]);
  });

  it.each([
    ['a template that does not parse', () => zipOf({ 'templates/home.liquid': 'ok', 'templates/partials/footer.liquid': 'line\n{% if %}' }), /partials\/footer/],
    ['an include of /etc/passwd', () => zipOf({ 'templates/home.liquid': "{% include '/etc/passwd' %}" }), /不合法/],
    ['a ../ entry (zip slip)', () => zipOf({ 'templates/home.liquid': 'ok', '../../evil.liquid': 'x' }), /不安全/],
    ['an absolute entry', () => zipOf({ '/etc/cron.d/evil': 'x' }), /不安全|不支持/],
    ['a zip bomb', () => Buffer.from(zipSync({ 'templates/home.liquid': new Uint8Array(30 * 1024 * 1024) }, { level: 9 })).toString('base64'), /过大/],
    ['a file that is not a zip', () => Buffer.from('not a zip').toString('base64'), /zip/],
    ['an empty zip', () => zipOf({}), /没有模板|zip/],
    ['only assets', () => zipOf({ 'assets/site.css': 'body{}' }), /没有模板/],
    ['a lone surrogate in a template', () => zipOf({ 'templates/home.liquid': new Uint8Array([0xed, 0xa0, 0x80]) }), /UTF-8/],
  ])('refuses %s with 4xx and stores nothing', async (_label, make, message) => {
    const before = await snapshot();
    const r = await admin.post(`/api/v1/sites/${siteA}/theme/import`, { zipBase64: make() });
    expect(r.status).toBeGreaterThanOrEqual(400);
    expect(r.status).toBeLessThan(500);
    expect(r.body.error.message).toMatch(message);
    expect(await snapshot()).toEqual(before);
  });

  it('refuses input that is not base64, or too large', async () => {
    const before = await snapshot();
    for (const body of [{ zipBase64: '这不是base64' }, { zipBase64: 'abc$' }, { zipBase64: 42 }, { zip: 'x' }, { zipBase64: 'A'.repeat(8 * 1024 * 1024) }]) {
      const r = await admin.post(`/api/v1/sites/${siteA}/theme/import`, body);
      expect(r.status === 400 || r.status === 413).toBe(true);
    }
    expect(await snapshot()).toEqual(before);
  });
});

describe('the OpenAPI document', () => {
  it('describes the theme routes', () => {
    const doc = openApiDocument(t.jiyue.router.routes, 'test') as { paths: Record<string, Record<string, unknown>> };
    for (const p of ['/api/v1/sites/{id}/templates', '/api/v1/sites/{id}/templates/{name}', '/api/v1/sites/{id}/templates/{name}/versions', '/api/v1/templates/preview', '/api/v1/sites/{id}/theme/import']) {
      expect(doc.paths[p], p).toBeDefined();
    }
  });
});

// ---------- helpers needing the app ----------

const headerCache = new Map<string, Record<string, string>>();
async function sessionHeaders(username: string): Promise<Record<string, string>> {
  if (!headerCache.has(username)) {
    const res = await t.jiyue.app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { username, password: PASSWORD } });
    const cookie = String(res.headers['set-cookie']).split(';')[0]!;
    headerCache.set(username, { cookie, 'x-csrf-token': JSON.parse(res.body).csrfToken });
  }
  return headerCache.get(username)!;
}

function otherAdminImport(zipBase64: string) {
  return otherAdmin.post(`/api/v1/sites/${siteB}/theme/import`, { zipBase64 });
}
