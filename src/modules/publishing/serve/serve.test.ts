/**
 * Static serving over real HTTP (the fast path sits in front of Fastify, so `inject` would not
 * reach it): negotiation, ETag/304, HEAD, hostile paths, directory redirects, per-site 404
 * pages, own host names, the redirects table, revalidation after a change on disk, invalidate().
 */
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import os from 'node:os';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type TestApp, createTestApp, makeSite } from '../../../../test/helpers.js';
import { createServing, invalidate, servingOf } from './index.js';
import { PLAIN_NOT_FOUND } from './serving.js';
import { articlePage, decoded, request, writePublic } from './testing.js';

let t: TestApp;
let port: number;
const ARTICLE = '/zxzx/zwyw/202611/t20261120_42.html';
const article = articlePage();
const SECRET = 'TOP-SECRET-不应泄露';

const get = (p: string, headers: Record<string, string> = {}) => request(port, p, headers);

beforeAll(async () => {
  t = await createTestApp();
  await makeSite(t.store, 'www', { name: '示范市人民政府' });
  const jyj = await makeSite(t.store, 'jyj', { name: '示范市教育局' });
  await t.store.db.insertInto('site_hosts').values({ host: 'jyj.example.gov.cn', site_id: jyj }).execute();
  writePublic(t.dataDir, {
    '/index.html': '<!doctype html><title>示范市人民政府</title><h1>门户首页</h1>',
    '/404.html': '<!doctype html><title>页面不存在</title><h1>门户：页面不存在</h1>',
    '/zxzx/zwyw/index.html': '<!doctype html><h1>政务要闻</h1>',
    [ARTICLE]: article,
    '/jyj/index.html': '<!doctype html><h1>教育局首页</h1>',
    '/jyj/404.html': '<!doctype html><h1>教育局：页面不存在</h1>',
    '/jyj/gzdt/index.html': '<!doctype html><h1>教育局工作动态</h1>',
    '/zh-hant/jyj/index.html': '<!doctype html><h1>教育局首頁</h1>',
    '/zh-hant/jyj/gzdt/index.html': '<!doctype html><h1>教育局工作動態</h1>',
    '/zh-hant/jyj/404.html': '<!doctype html><h1>教育局：頁面不存在</h1>',
    '/zh-hant/404.html': '<!doctype html><h1>門戶：頁面不存在</h1>',
    '/assets/default/site.css': `body { font-family: "Microsoft YaHei", sans-serif; }\n${'.x { color: #123456; }\n'.repeat(200)}`,
    '/assets/default/logo.png': Buffer.from('89504e470d0a1a0a0000000d4948445200000001000000010806000000', 'hex'),
    '/rss.xml': '<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>政务要闻</title></channel></rss>',
    '/.index.html.tmp-123': 'half-written',
    '/x/index.html': '<h1>x</h1>',
  });
  fs.writeFileSync(path.join(t.dataDir, 'secret.txt'), SECRET);
  await invalidate(); // the app loaded hosts when it became ready, before these sites existed
  await t.jiyue.app.listen({ port: 0, host: '127.0.0.1' });
  port = (t.jiyue.app.server.address() as { port: number }).port;
});
afterAll(() => t.close());

describe('serving published files', () => {
  it('serves the portal at / and an article page with its type, cache and security headers', async () => {
    const home = await get('/');
    expect(home.status).toBe(200);
    expect(home.body.toString()).toContain('门户首页');
    expect(home.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(home.headers['cache-control']).toBe('public, max-age=60');
    const r = await get(ARTICLE);
    expect(r.status).toBe(200);
    expect(r.body.toString()).toBe(article);
    expect(r.headers['content-length']).toBe(String(Buffer.byteLength(article)));
    // The same security policy as the application's own responses.
    const api = await get('/healthz');
    for (const h of ['content-security-policy', 'x-content-type-options', 'x-frame-options', 'referrer-policy']) {
      expect(r.headers[h], h).toBe(api.headers[h]);
    }
    expect(r.headers['x-frame-options']).toBe('SAMEORIGIN');
  });

  it('gives theme assets an hour of caching, and feeds and images their types', async () => {
    const css = await get('/assets/default/site.css');
    expect(css.headers['cache-control']).toBe('public, max-age=3600');
    expect(css.headers['content-type']).toBe('text/css; charset=utf-8');
    const png = await get('/assets/default/logo.png', { 'accept-encoding': 'gzip, br' });
    expect(png.headers['content-type']).toBe('image/png');
    expect(png.headers['content-encoding']).toBeUndefined();
    expect((await get('/rss.xml')).headers['content-type']).toBe('application/xml; charset=utf-8');
  });

  it('negotiates br over gzip over identity and says so in Vary', async () => {
    const cases: [string | undefined, string | undefined][] = [
      ['gzip, deflate, br', 'br'],
      ['br;q=1.0, gzip;q=0.8', 'br'],
      ['gzip', 'gzip'],
      ['gzip, br;q=0', 'gzip'],
      ['*', 'br'],
      ['deflate', undefined],
      ['identity', undefined],
      [undefined, undefined],
    ];
    for (const [accept, expected] of cases) {
      const r = await get(ARTICLE, accept === undefined ? {} : { 'accept-encoding': accept });
      expect(r.headers['content-encoding'], String(accept)).toBe(expected);
      expect(r.headers.vary).toBe('Accept-Encoding');
      expect(decoded(r).toString()).toBe(article);
    }
    const br = await get(ARTICLE, { 'accept-encoding': 'br' });
    expect(br.body.length).toBeLessThan(Buffer.byteLength(article) / 3);
  });

  it('answers 304 to a matching If-None-Match or If-Modified-Since, per encoding variant', async () => {
    const plain = await get(ARTICLE);
    const gz = await get(ARTICLE, { 'accept-encoding': 'gzip' });
    const br = await get(ARTICLE, { 'accept-encoding': 'br' });
    const tags = [plain, gz, br].map((r) => String(r.headers.etag));
    expect(new Set(tags).size).toBe(3);
    for (const tag of tags) expect(tag).toMatch(/^"[\w-]+"$/);
    const again = await get(ARTICLE, { 'accept-encoding': 'br', 'if-none-match': String(br.headers.etag) });
    expect(again.status).toBe(304);
    expect(again.body.length).toBe(0);
    expect(again.headers.etag).toBe(br.headers.etag);
    expect(again.headers['cache-control']).toBe('public, max-age=60');
    // Weak comparison and lists.
    expect((await get(ARTICLE, { 'if-none-match': `"x", W/${plain.headers.etag}` })).status).toBe(304);
    // Another variant's tag does not validate this one.
    expect((await get(ARTICLE, { 'accept-encoding': 'gzip', 'if-none-match': String(br.headers.etag) })).status).toBe(200);
    const lm = String(plain.headers['last-modified']);
    expect((await get(ARTICLE, { 'if-modified-since': lm })).status).toBe(304);
    expect((await get(ARTICLE, { 'if-modified-since': new Date(Date.parse(lm) - 3600_000).toUTCString() })).status).toBe(200);
    // If-None-Match wins over If-Modified-Since (RFC 9110 §13.2.2).
    expect((await get(ARTICLE, { 'if-modified-since': lm, 'if-none-match': '"other"' })).status).toBe(200);
  });

  it('answers HEAD with the headers of GET and no body', async () => {
    const g = await get(ARTICLE, { 'accept-encoding': 'gzip' });
    const h = await request(port, ARTICLE, { 'accept-encoding': 'gzip' }, 'HEAD');
    expect(h.status).toBe(200);
    expect(h.body.length).toBe(0);
    for (const k of ['content-length', 'content-type', 'etag', 'content-encoding', 'last-modified']) expect(h.headers[k], k).toBe(g.headers[k]);
    const missing = await request(port, '/jyj/nothing.html', {}, 'HEAD');
    expect(missing.status).toBe(404);
    expect(missing.body.length).toBe(0);
  });

  it('refuses traversal attempts with 400 and never serves a file outside public/', async () => {
    const hostile = [
      '/../secret.txt',
      '/jyj/../../secret.txt',
      '/%2e%2e/secret.txt',
      '/%2E%2E/secret.txt',
      '/.%2e/secret.txt',
      '/%2e./secret.txt',
      '/jyj/%2e%2e/%2e%2e/secret.txt',
      '/..%2fsecret.txt',
      '/%2e%2e%2fsecret.txt',
      '/%252e%252e/secret.txt',
      '/..\\secret.txt',
      '/%5c..%5csecret.txt',
      '/jyj/..%5c..%5csecret.txt',
      '/secret.txt%00.html',
      '/index.html%00',
      '/%c0%ae%c0%ae/secret.txt',
      '/%e0%80%ae%e0%80%ae/secret.txt',
      '/./index.html',
      '/jyj/%',
    ];
    expect(hostile.length).toBeGreaterThanOrEqual(10);
    for (const p of hostile) {
      const r = await get(p);
      expect(r.status, p).toBe(400);
      expect(r.body.toString()).not.toContain(SECRET);
    }
    // Outside-looking but harmless paths stay inside public/: 404, never the secret.
    for (const p of ['//secret.txt', '/secret.txt', '/db.sqlite', '/%2fsecret.txt']) {
      const r = await get(p);
      expect(r.status, p).toBe(404);
      expect(r.body.toString()).not.toContain(SECRET);
    }
  });

  it('hides temporary files and the precompressed siblings', async () => {
    expect((await get('/.index.html.tmp-123')).status).toBe(404);
    expect((await get('/index.html.gz')).status).toBe(404);
    expect((await get('/index.html.br')).status).toBe(404);
  });

  it('maps directories to index.html and redirects a directory without its slash', async () => {
    expect((await get('/jyj/')).body.toString()).toContain('教育局首页');
    expect((await get('/jyj/index.html')).body.toString()).toContain('教育局首页');
    const r = await get('/jyj');
    expect(r.status).toBe(301);
    expect(r.headers.location).toBe('/jyj/');
    expect((await get('/jyj/gzdt?page=2')).headers.location).toBe('/jyj/gzdt/?page=2');
    // Collapsed slashes never make a protocol-relative Location (open redirect).
    const open = await get('//x');
    expect(open.status).toBe(301);
    expect(open.headers.location).toBe('/x/');
  });

  it("answers an unknown path with the site's own 404 page and status 404", async () => {
    const cases: [string, string][] = [
      ['/jyj/nothing.html', '教育局：页面不存在'],
      ['/jyj/gzdt/202611/t20261120_999.html', '教育局：页面不存在'],
      ['/jyj/missing/', '教育局：页面不存在'],
      ['/zxzx/none/', '门户：页面不存在'],
      ['/nosuchsite/a.html', '门户：页面不存在'],
      ['/zh-hant/jyj/none.html', '教育局：頁面不存在'],
      ['/zh-hant/none.html', '門戶：頁面不存在'],
    ];
    for (const [p, text] of cases) {
      const r = await get(p, { 'accept-encoding': 'gzip' });
      expect(r.status, p).toBe(404);
      expect(decoded(r).toString(), p).toContain(text);
      expect(r.headers['cache-control']).toBe('no-cache');
      expect(r.headers.etag).toBeUndefined();
    }
  });

  it('serves a site on its own host name', async () => {
    const host = (p: string, h = 'jyj.example.gov.cn') => request(port, p, { host: h });
    expect((await host('/')).body.toString()).toContain('教育局首页');
    expect((await host('/gzdt/')).body.toString()).toContain('教育局工作动态');
    expect((await host('/gzdt/', 'JYJ.Example.GOV.cn:8080')).body.toString()).toContain('教育局工作动态');
    expect((await host('/jyj/gzdt/')).body.toString()).toContain('教育局工作动态'); // links rendered with cluster paths
    expect((await host('/zh-hant/gzdt/')).body.toString()).toContain('教育局工作動態');
    expect((await host('/assets/default/site.css')).headers['content-type']).toBe('text/css; charset=utf-8');
    const missing = await host('/nothing.html');
    expect(missing.status).toBe(404);
    expect(missing.body.toString()).toContain('教育局：页面不存在');
    const dir = await host('/gzdt');
    expect(dir.status).toBe(301);
    expect(dir.headers.location).toBe('/gzdt/');
    // The API is the API on every host.
    expect((await host('/healthz')).body.toString()).toContain('"status":"ok"');
    // Other hosts see the cluster.
    expect((await host('/', 'www.example.gov.cn')).body.toString()).toContain('门户首页');
  });

  it('learns a new own host name on reload', async () => {
    const id = (await t.store.db.selectFrom('sites').select('id').where('code', '=', 'jyj').executeTakeFirstOrThrow()).id;
    await t.store.db.insertInto('site_hosts').values({ host: 'edu.example.gov.cn', site_id: id }).execute();
    await invalidate([]);
    expect((await request(port, '/gzdt/', { host: 'edu.example.gov.cn' })).body.toString()).toContain('教育局工作动态');
  });

  it('answers a path of the redirects table with 301 to its new place', async () => {
    const T = '2026-11-20T00:00:00.000Z';
    await t.store.db
      .insertInto('redirects')
      .values([
        { from_path: '/jyj/old/', to_path: '/jyj/gzdt/', site_id: null, created_at: T },
        { from_path: '/jyj/old/202601/t20260101_7.html', to_path: '/jyj/gzdt/202601/t20260101_7.html', site_id: null, created_at: T },
        { from_path: '/jyj/cn/', to_path: '/jyj/通知/', site_id: null, created_at: T },
        { from_path: '/jyj/evil/', to_path: 'javascript:alert(1)', site_id: null, created_at: T },
        { from_path: '/jyj/evil2/', to_path: '//evil.example.com/', site_id: null, created_at: T },
      ])
      .execute();
    await invalidate();
    for (const p of ['/jyj/old/', '/jyj/old/index.html', '/jyj/old']) {
      const r = await get(p);
      expect(r.status, p).toBe(301);
      expect(r.headers.location).toBe('/jyj/gzdt/');
    }
    expect((await get('/jyj/old/202601/t20260101_7.html')).headers.location).toBe('/jyj/gzdt/202601/t20260101_7.html');
    expect((await request(port, '/old/', { host: 'jyj.example.gov.cn' })).headers.location).toBe('/jyj/gzdt/');
    expect((await get('/jyj/cn/')).headers.location).toBe('/jyj/%E9%80%9A%E7%9F%A5/');
    expect((await get('/jyj/evil/')).status).toBe(404);
    expect((await get('/jyj/evil2/')).status).toBe(404);
  });

  it('serves the new bytes a second after a file changed on disk, in every encoding', async () => {
    writePublic(t.dataDir, { '/zxzx/zwyw/index.html': '<!doctype html><h1>政务要闻（旧）</h1>' });
    await invalidate(['/zxzx/zwyw/']);
    expect((await get('/zxzx/zwyw/')).body.toString()).toContain('（旧）');
    writePublic(t.dataDir, { '/zxzx/zwyw/index.html': '<!doctype html><h1>政务要闻（新）</h1>' });
    await new Promise((r) => setTimeout(r, 1100));
    expect((await get('/zxzx/zwyw/')).body.toString()).toContain('（新）');
    expect(decoded(await get('/zxzx/zwyw/', { 'accept-encoding': 'gzip' })).toString()).toContain('（新）');
    expect(decoded(await get('/zxzx/zwyw/', { 'accept-encoding': 'br' })).toString()).toContain('（新）');
    // Deleted behind the server's back: gone within a second too.
    fs.rmSync(path.join(t.dataDir, 'public/zxzx/zwyw/index.html'));
    await new Promise((r) => setTimeout(r, 1100));
    expect((await get('/zxzx/zwyw/')).status).toBe(404);
  });

  it('serves the new bytes at once after invalidate(paths)', async () => {
    writePublic(t.dataDir, { '/jyj/gzdt/index.html': '<!doctype html><h1>工作动态 v1</h1>' });
    await invalidate(['/jyj/gzdt/index.html']);
    expect((await get('/jyj/gzdt/')).body.toString()).toContain('v1');
    writePublic(t.dataDir, { '/jyj/gzdt/index.html': '<!doctype html><h1>工作动态 v2</h1>' });
    expect((await get('/jyj/gzdt/')).body.toString()).toContain('v1'); // still within the second
    await invalidate(['/jyj/gzdt/']);
    expect((await get('/jyj/gzdt/')).body.toString()).toContain('v2');
    // A file published where there was none is found at once after invalidate too.
    expect((await get('/jyj/new.html')).status).toBe(404);
    writePublic(t.dataDir, { '/jyj/new.html': '<p>新页面</p>' });
    await invalidate(['/jyj/new.html']);
    expect((await get('/jyj/new.html')).status).toBe(200);
  });

  it('ignores a stale precompressed sibling and serves what the file says', async () => {
    writePublic(t.dataDir, { '/jyj/stale.html': '<p>现在的内容</p>'.repeat(20) });
    fs.writeFileSync(path.join(t.dataDir, 'public/jyj/stale.html.gz'), zlib.gzipSync('<p>过时的内容</p>'.repeat(20)));
    fs.writeFileSync(path.join(t.dataDir, 'public/jyj/stale.html.br'), Buffer.from('not brotli at all'));
    await invalidate(['/jyj/stale.html']);
    for (const enc of ['gzip', 'br']) {
      const r = await get('/jyj/stale.html', { 'accept-encoding': enc });
      expect(r.headers['content-encoding']).toBe(enc);
      expect(decoded(r).toString()).toBe('<p>现在的内容</p>'.repeat(20));
    }
  });

  it('falls back to a plain Chinese 404 when even the portal has no 404 page', async () => {
    fs.renameSync(path.join(t.dataDir, 'public/404.html'), path.join(t.dataDir, 'public/404.bak'));
    await invalidate(['/404.html']);
    const r = await get('/zxzx/none.html');
    expect(r.status).toBe(404);
    expect(r.body.equals(PLAIN_NOT_FOUND)).toBe(true);
    expect(r.body.toString()).toContain('页面不存在');
    fs.renameSync(path.join(t.dataDir, 'public/404.bak'), path.join(t.dataDir, 'public/404.html'));
    await invalidate(['/404.html']);
  });

  it('leaves the API, the live endpoints and other methods to the application', async () => {
    const api = await get('/api/v1/no-such-thing');
    expect(api.status).toBe(404);
    expect(JSON.parse(api.body.toString()).error.code).toBe('not_found');
    expect((await request(port, '/', {}, 'POST')).status).toBe(404);
    expect((await get('/_mode?back=/jyj/')).status).toBe(303);
  });

  it('serves the same files through Fastify when a request does not come through the fast path', async () => {
    const page = await t.jiyue.app.inject({ url: '/jyj/gzdt/' });
    expect(page.statusCode).toBe(200);
    const gz = await t.jiyue.app.inject({ url: ARTICLE, headers: { 'accept-encoding': 'gzip' } });
    expect(gz.headers['content-encoding']).toBe('gzip');
    expect(zlib.gunzipSync(gz.rawPayload).toString()).toBe(article);
    expect((await t.jiyue.app.inject({ url: '/jyj/nothing' })).statusCode).toBe(404);
    expect((await t.jiyue.app.inject({ url: '/jyj/..%5c..%5csecret.txt' })).statusCode).toBe(400);
    expect((await t.jiyue.app.inject({ url: '/_v/x' })).statusCode).toBe(404);
    expect((await t.jiyue.app.inject({ url: '/_v?p=/jyj/' })).headers['content-type']).toBe('image/gif');
    const api = await t.jiyue.app.inject({ url: '/api/v1/nothing' });
    expect(api.statusCode).toBe(404);
    expect(api.json().error.code).toBe('not_found');
  });

  it('answers static requests without Fastify: no route, hooks or metrics see them', async () => {
    const routeCount = async () => {
      const m = (await get('/metrics')).body.toString();
      return [...m.matchAll(/^jiyue_http_request_duration_seconds_count\{[^}]*route="(\/\*|unmatched)"[^}]*\} (\d+)$/gm)].reduce((n, x) => n + Number(x[2]), 0);
    };
    const before = await routeCount();
    for (let i = 0; i < 5; i++) await get(i % 2 ? ARTICLE : '/jyj/nothing.html');
    expect(await routeCount()).toBe(before);
    // Through Fastify (inject), the same request is seen by the hooks.
    await t.jiyue.app.inject({ url: '/jyj/gzdt/' });
    expect(await routeCount()).toBeGreaterThan(before);
  });

  it('keeps the files it served in the memory cache', () => {
    const s = servingOf(t.jiyue.app)!;
    expect(s.cache.has(ARTICLE)).toBe(true);
    expect(s.cache.stats().bytes).toBeGreaterThan(Buffer.byteLength(article));
  });
});

describe('files too large for the cache', () => {
  it('streams them from disk with validators, HEAD and 304', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'jiyue-large-'));
    const pdf = Buffer.alloc(40_000, 7);
    writePublic(dir, { '/jyj/report.pdf': pdf });
    // 64 KB of cache: entries over 16 KB are streamed.
    const serving = createServing({ dataDir: dir, store: t.store, log: pino({ level: 'silent' }), clock: () => t.now.value, cacheBytes: 64 * 1024 });
    const server = serving.serverFactory((_req, res) => res.writeHead(418).end(), {});
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const p = (server.address() as { port: number }).port;
    try {
      const r = await request(p, '/jyj/report.pdf', { 'accept-encoding': 'gzip' });
      expect(r.status).toBe(200);
      expect(r.body.equals(pdf)).toBe(true);
      expect(r.headers['content-type']).toBe('application/pdf');
      expect(r.headers['content-length']).toBe('40000');
      expect(serving.cache.has('/jyj/report.pdf')).toBe(false);
      const head = await request(p, '/jyj/report.pdf', {}, 'HEAD');
      expect(head.body.length).toBe(0);
      expect(head.headers['content-length']).toBe('40000');
      expect((await request(p, '/jyj/report.pdf', { 'if-none-match': String(r.headers.etag) })).status).toBe(304);
      expect((await request(p, '/api/v1/x')).status).toBe(418); // not ours: handed to the next handler
    } finally {
      await new Promise((r) => server.close(r));
      await serving.close();
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('which requests the fast path takes', () => {
  it('leaves every registered route to Fastify and takes the rest', async () => {
    const serving = createServing({ dataDir: os.tmpdir(), store: t.store, log: pino({ level: 'silent' }), clock: () => t.now.value });
    for (const url of ['/api/v1/sites/:id', '/xxgk/search', '/letters/:id/reply', '/files/*', '/*', '/', '/:code/preview', '/_mode', '/a.b/:x']) serving.learnRoute(url);
    const wants = (url: string, method = 'GET') => serving.wants({ method, url } as never);
    const cases: [string, boolean][] = [
      ['/', true],
      ['/jyj/gzdt/', true],
      ['/xxgk/index.html', true],
      ['/xxgk/search', false],
      ['/xxgk/search?q=1', false],
      ['/letters/12/reply', false],
      ['/letters/index.html', true],
      ['/letters/12/reply/x', true],
      ['/files/a/b.pdf', false],
      ['/a.b/1', false],
      ['/axb/1', true],
      ['/api/v1/sites', false],
      ['/admin/', false],
      ['/media/1', false],
      ['/search?q=政务', false],
      ['/healthz', false],
      ['/metrics', false],
      ['/_mode?elder=1', false],
      ['/_mode.css?site=jyj', true],
      ['/_v?p=/', true],
      ['/_v/x', false],
      ['/_mode.css/x', false],
      ['/_anything', false],
      ['*', false],
      ['http://example.com/', false],
    ];
    for (const [url, expected] of cases) expect(wants(url), url).toBe(expected);
    expect(wants('/jyj/', 'POST')).toBe(false);
    expect(wants('/jyj/', 'HEAD')).toBe(true);
    await serving.close();
  });
});
