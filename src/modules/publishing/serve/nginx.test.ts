/**
 * docs/deploy/nginx.conf + jiyue-site.conf, run by Debian's nginx on a sample of published files,
 * serve the same status and the same bytes (identity, and gzip once decoded) as the built-in
 * server — including per-site 404 pages, directory redirects, own host names and the live
 * endpoints it proxies to Node. Skipped when /usr/sbin/nginx is absent (CI installs `nginx`).
 */
import fs from 'node:fs';
import type net from 'node:net';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type TestApp, createTestApp, makeSite } from '../../../../test/helpers.js';
import { invalidate } from './index.js';
import { NGINX, type RunningNginx, articlePage, decoded, request, startNginx, writePublic } from './testing.js';

const HAVE_NGINX = fs.existsSync(NGINX);
const HOST = 'jyj.example.gov.cn';

let t: TestApp;
let nginx: RunningNginx | undefined;
let appPort: number;
let nginxPort: number;

describe.skipIf(!HAVE_NGINX)(`nginx serves what the built-in server serves${HAVE_NGINX ? '' : ' (skipped: /usr/sbin/nginx not installed — apt-get install nginx)'}`, () => {
  beforeAll(async () => {
    t = await createTestApp();
    await makeSite(t.store, 'www');
    const jyj = await makeSite(t.store, 'jyj');
    await makeSite(t.store, 'wsjkw');
    await t.store.db.insertInto('site_hosts').values({ host: HOST, site_id: jyj }).execute();
    writePublic(t.dataDir, {
      '/index.html': '<!doctype html><html lang="zh-CN"><title>示范市人民政府</title><h1>门户首页</h1></html>',
      '/404.html': '<!doctype html><h1>门户：页面不存在</h1>',
      '/zxzx/zwyw/index.html': '<!doctype html><h1>政务要闻</h1><ul><li>国务院常务会议</li></ul>',
      '/zxzx/zwyw/202611/t20261120_42.html': articlePage(),
      '/zxzx/zwyw/rss.xml': '<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>政务要闻</title></channel></rss>',
      '/sitemap.xml': '<?xml version="1.0" encoding="utf-8"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"><url><loc>/</loc></url></urlset>',
      '/jyj/index.html': '<!doctype html><h1>示范市教育局</h1>',
      '/jyj/404.html': '<!doctype html><h1>教育局：页面不存在</h1>',
      '/jyj/gzdt/index.html': '<!doctype html><h1>工作动态</h1>',
      '/jyj/gzdt/202611/t20261121_43.html': articlePage(12_000, '教育局召开秋季学期安全工作会议'),
      '/zh-hant/jyj/index.html': '<!doctype html><h1>示範市教育局</h1>',
      '/zh-hant/jyj/404.html': '<!doctype html><h1>教育局：頁面不存在</h1>',
      '/zh-hant/404.html': '<!doctype html><h1>門戶：頁面不存在</h1>',
      '/assets/default/site.css': `:root { --brand: #0b4ea2; }\n${'.nav a { color: var(--brand); }\n'.repeat(100)}`,
      '/assets/default/logo.png': Buffer.from('89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c4890000000d49444154789c6300010000050001', 'hex'),
    });
    // A text file the publisher left without siblings: nginx sends it as it is, the built-in server compresses it.
    writePublic(t.dataDir, { '/wsjkw/index.html': '<!doctype html><h1>卫生健康委员会</h1>'.repeat(30) }, { siblings: false });
    fs.writeFileSync(path.join(t.dataDir, 'secret.txt'), 'secret');
    await invalidate();
    await t.jiyue.app.listen({ port: 0, host: '127.0.0.1' });
    appPort = (t.jiyue.app.server.address() as net.AddressInfo).port;

    nginx = await startNginx({ publicDir: path.join(t.dataDir, 'public'), appPort });
    nginxPort = nginx.port;
  });

  afterAll(async () => {
    await nginx?.stop();
    await t?.close();
  });

  const both = async (p: string, headers: Record<string, string> = {}) => [await request(appPort, p, headers), await request(nginxPort, p, headers)] as const;

  const SAMPLE = [
    '/',
    '/index.html',
    '/zxzx/zwyw/',
    '/zxzx/zwyw/202611/t20261120_42.html',
    '/zxzx/zwyw/rss.xml',
    '/sitemap.xml',
    '/jyj/',
    '/jyj/gzdt/',
    '/jyj/gzdt/202611/t20261121_43.html',
    '/zh-hant/jyj/',
    '/wsjkw/',
    '/assets/default/site.css',
    '/assets/default/logo.png',
    // 404s: the site's page, the portal's, the Traditional ones
    '/jyj/nothing.html',
    '/jyj/gzdt/202611/t20261121_999.html',
    '/zxzx/nothing/',
    '/no-such-site/page.html',
    '/zh-hant/jyj/nothing.html',
    '/zh-hant/nothing.html',
    '/wsjkw/nothing.html', // a site without its own 404 page: the portal's
    '/.hidden.html',
    '/index.html.gz',
    '/assets/default/missing.css',
  ];

  it('sends the same status and bytes without compression', async () => {
    for (const p of SAMPLE) {
      const [mine, theirs] = await both(p);
      expect(theirs.status, p).toBe(mine.status);
      expect(theirs.headers['content-encoding'], p).toBeUndefined();
      expect(theirs.body.equals(mine.body), `${p}: ${theirs.body.toString().slice(0, 120)}`).toBe(true);
    }
  });

  it('sends the same bytes gzip-compressed, once decoded', async () => {
    let compressed = 0;
    for (const p of SAMPLE) {
      const [mine, theirs] = await both(p, { 'accept-encoding': 'gzip' });
      expect(theirs.status, p).toBe(mine.status);
      expect(decoded(theirs).equals(decoded(mine)), p).toBe(true);
      if (theirs.headers['content-encoding'] === 'gzip') compressed++;
    }
    expect(compressed).toBeGreaterThan(10); // gzip_static found the publisher's .gz files
  });

  it('agrees on headers that matter: type, caching, security', async () => {
    for (const p of ['/zxzx/zwyw/202611/t20261120_42.html', '/assets/default/site.css', '/jyj/nothing.html']) {
      const [mine, theirs] = await both(p, { 'accept-encoding': 'gzip' });
      for (const h of ['cache-control', 'x-content-type-options', 'x-frame-options', 'referrer-policy', 'content-security-policy']) {
        expect(theirs.headers[h], `${p} ${h}`).toBe(mine.headers[h]);
      }
      expect(String(theirs.headers['content-type']).split(';')[0], p).toBe(String(mine.headers['content-type']).split(';')[0]);
    }
  });

  it('falls back to the same plain Chinese 404 when a site has no 404 page at all', async () => {
    const page = path.join(t.dataDir, 'public/404.html');
    fs.renameSync(page, `${page}.away`);
    try {
      await invalidate(['/404.html']);
      const [mine, theirs] = await both('/zxzx/nothing.html');
      expect([mine.status, theirs.status]).toEqual([404, 404]);
      expect(mine.body.toString()).toContain('页面不存在');
      expect(theirs.body.equals(mine.body)).toBe(true);
    } finally {
      fs.renameSync(`${page}.away`, page);
      await invalidate(['/404.html']);
    }
  });

  it('redirects a directory without its slash alike', async () => {
    for (const p of ['/jyj', '/jyj/gzdt', '/zxzx/zwyw']) {
      const [mine, theirs] = await both(p);
      expect([mine.status, theirs.status], p).toEqual([301, 301]);
      expect(theirs.headers.location, p).toBe(mine.headers.location);
    }
  });

  it("serves a site's own host name alike", async () => {
    for (const p of ['/', '/gzdt/', '/gzdt/202611/t20261121_43.html', '/jyj/gzdt/', '/zh-hant/', '/assets/default/site.css', '/nothing.html', '/zh-hant/nothing.html']) {
      const [mine, theirs] = await both(p, { host: HOST, 'accept-encoding': 'gzip' });
      expect(theirs.status, p).toBe(mine.status);
      expect(decoded(theirs).equals(decoded(mine)), p).toBe(true);
    }
    // Directories redirect on both (nginx to the /jyj/… form, which the own host also serves).
    const [mine, theirs] = await both('/gzdt', { host: HOST });
    expect([mine.status, theirs.status]).toEqual([301, 301]);
  });

  it('passes the live endpoints to Node', async () => {
    for (const p of ['/_mode.css?site=jyj', '/_v?p=/jyj/', '/api/v1/auth/me']) {
      const [mine, theirs] = await both(p, { cookie: 'jiyue_size=large' });
      expect(theirs.status, p).toBe(mine.status);
      expect(theirs.body.equals(mine.body), p).toBe(true);
    }
    const mode = await request(nginxPort, '/_mode?elder=1&back=/jyj/');
    expect(mode.status).toBe(303);
    expect(mode.headers.location).toBe('/jyj/');
    expect(String(mode.headers['set-cookie'])).toContain('jiyue_elder=1');
  });

  it('refuses traversal on both', async () => {
    for (const p of ['/../secret.txt', '/%2e%2e/secret.txt', '/jyj/../../secret.txt']) {
      const [mine, theirs] = await both(p);
      expect([mine.status, theirs.status], p).toEqual([400, 400]);
      expect(theirs.body.toString()).not.toContain('secret');
    }
  });
});
