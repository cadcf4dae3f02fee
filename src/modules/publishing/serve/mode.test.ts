/**
 * Visitor modes without JavaScript: /_mode sets the cookies and sends the visitor back (only to
 * a local path); /_mode.css gives each visitor the overrides their cookies and the site's
 * mourning switch call for; the mourning API switches a site or the whole cluster.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type TestApp, anonymousClient, createTestApp, loginAs, makeSite, makeUser } from '../../../../test/helpers.js';
import { MOURNING_CSS, modeCss, modesFromCookies } from './mode.js';
import { CLUSTER_MOURNING_KEY } from './mourning.js';
import { createServing } from './serving.js';
import { request } from './testing.js';

let t: TestApp;
let port: number;
let jyj: number;
let wsj: number;
const css = (site: string, cookie?: string) => request(port, `/_mode.css?site=${site}`, cookie ? { cookie } : {});

beforeAll(async () => {
  t = await createTestApp();
  await makeSite(t.store, 'www');
  jyj = await makeSite(t.store, 'jyj');
  wsj = await makeSite(t.store, 'wsjkw');
  await t.store.db.updateTable('sites').set({ settings: JSON.stringify({ sponsor: '示范市教育局' }) }).where('id', '=', jyj).execute();
  await makeUser(t.store, 'sys', [{ role: 'sysadmin' }]);
  await makeUser(t.store, 'jyj_admin', [{ role: 'site_admin', siteId: jyj }]);
  await makeUser(t.store, 'jyj_editor', [{ role: 'editor', siteId: jyj }]);
  await makeUser(t.store, 'wsj_admin', [{ role: 'site_admin', siteId: wsj }]);
  await makeUser(t.store, 'sec', [{ role: 'secadmin' }]);
  await t.jiyue.app.listen({ port: 0, host: '127.0.0.1' });
  port = (t.jiyue.app.server.address() as { port: number }).port;
});
afterAll(() => t.close());

const auditCount = async () => Number((await t.store.db.selectFrom('audit_log').select((eb) => eb.fn.countAll<number>().as('n')).where('action', '=', 'publishing.mourning').executeTakeFirstOrThrow()).n);

describe('/_mode', () => {
  it('sets long-lived SameSite=Lax cookies and sends the visitor back with 303', async () => {
    const r = await request(port, '/_mode?elder=1&size=larger&back=/jyj/gzdt/');
    expect(r.status).toBe(303);
    expect(r.headers.location).toBe('/jyj/gzdt/');
    const cookies = r.headers['set-cookie']!;
    const elder = cookies.find((c) => c.startsWith('jiyue_elder='))!;
    const size = cookies.find((c) => c.startsWith('jiyue_size='))!;
    expect(elder).toMatch(/^jiyue_elder=1;/);
    expect(size).toMatch(/^jiyue_size=larger;/);
    for (const c of [elder, size]) {
      expect(c).toMatch(/Max-Age=31536000/);
      expect(c).toMatch(/SameSite=Lax/);
      expect(c).toMatch(/Path=\//);
    }
  });

  it('clears the cookies when the visitor switches back', async () => {
    const r = await request(port, '/_mode?elder=0&size=normal&back=/');
    expect(r.status).toBe(303);
    const cookies = r.headers['set-cookie']!;
    expect(cookies.find((c) => c.startsWith('jiyue_elder='))).toMatch(/Max-Age=0/);
    expect(cookies.find((c) => c.startsWith('jiyue_size='))).toMatch(/Max-Age=0/);
  });

  it('sends the visitor only to a local path', async () => {
    for (const back of ['//evil.com', 'https://evil.com', '/\\evil.com', 'javascript:alert(1)', '%2F%2Fevil.com', '']) {
      const r = await request(port, `/_mode?elder=1&back=${encodeURIComponent(back)}`);
      expect(r.status, back).toBe(303);
      expect(r.headers.location, back).toBe('/');
    }
    expect((await request(port, '/_mode?elder=1')).headers.location).toBe('/');
  });

  it('refuses values it does not know with a 400', async () => {
    for (const q of ['elder=2', 'size=huge', `elder=1&back=/${'a'.repeat(3000)}`]) {
      const r = await request(port, `/_mode?${q}`);
      expect(r.status, q).toBe(400);
      expect(r.headers['set-cookie']).toBeUndefined();
    }
  });
});

describe('/_mode.css', () => {
  it('is private, revalidated and varies by cookie', async () => {
    const r = await css('jyj');
    expect(r.status).toBe(200);
    expect(r.headers['content-type']).toBe('text/css; charset=utf-8');
    expect(r.headers['cache-control']).toBe('private, no-cache');
    expect(r.headers.vary).toBe('Cookie');
    expect(r.body.toString()).not.toMatch(/font-size|grayscale/);
    const again = await request(port, '/_mode.css?site=jyj', { 'if-none-match': String(r.headers.etag) });
    expect(again.status).toBe(304);
  });

  it('enlarges the root font size for the size cookie', async () => {
    expect((await css('jyj', 'jiyue_size=large')).body.toString()).toContain('html { font-size: 112.5%; }');
    expect((await css('jyj', 'jiyue_size=larger')).body.toString()).toContain('html { font-size: 125%; }');
    expect((await css('jyj', 'jiyue_size=enormous')).body.toString()).not.toContain('font-size');
  });

  it('keeps A+ larger than elder mode alone (elder mode already starts at 125 %)', async () => {
    const large = (await css('jyj', 'jiyue_elder=1; jiyue_size=large')).body.toString();
    const larger = (await css('jyj', 'jiyue_elder=1; jiyue_size=larger')).body.toString();
    expect(large).toContain('html { font-size: 140%; }');
    expect(larger).toContain('html { font-size: 156.25%; }');
  });

  it("includes the theme's elder stylesheet for elder visitors", async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'jiyue-elder-'));
    const elderFile = path.join(dir, 'elder.css');
    fs.writeFileSync(elderFile, 'body { font-size: 1.25rem; background: #fff; color: #000; }\n');
    const serving = createServing({ dataDir: dir, store: t.store, log: pino({ level: 'silent' }), clock: () => t.now.value, elderCssFile: elderFile });
    const server = serving.serverFactory((_req, res) => res.writeHead(404).end(), {});
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const p = (server.address() as { port: number }).port;
    try {
      const elder = await request(p, '/_mode.css?site=jyj', { cookie: 'other=1; jiyue_elder=1' });
      expect(elder.body.toString()).toContain('body { font-size: 1.25rem; background: #fff; color: #000; }');
      const normal = await request(p, '/_mode.css?site=jyj', { cookie: 'jiyue_elder=0' });
      expect(normal.body.toString()).not.toContain('1.25rem');
      expect(normal.headers.etag).not.toBe(elder.headers.etag);
    } finally {
      await new Promise((r) => server.close(r));
      await serving.close();
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('tolerates a missing elder stylesheet', async () => {
    const serving = createServing({ dataDir: os.tmpdir(), store: t.store, log: pino({ level: 'silent' }), clock: () => t.now.value, elderCssFile: '/nonexistent/elder.css' });
    expect(serving.elderCss).toBe('');
    await serving.close();
  });

  it('composes the overrides in a fixed order', () => {
    expect(modesFromCookies({ jiyue_elder: '1', jiyue_size: 'large' })).toEqual({ elder: true, size: 'large' });
    expect(modesFromCookies({ jiyue_size: '__proto__' })).toEqual({ elder: false, size: 'normal' });
    const all = modeCss({ elder: true, size: 'larger', mourning: true, elderCss: 'a{}' });
    expect(all.indexOf('a{}')).toBeLessThan(all.indexOf('156.25%'));
    expect(all.indexOf('156.25%')).toBeLessThan(all.indexOf('grayscale'));
  });
});

describe('mourning (哀悼模式)', () => {
  it('greys one site when its administrator switches it on, live at once, and audits it', async () => {
    const before = await auditCount();
    const admin = await loginAs(t, 'jyj_admin');
    const r = await admin.put('/api/v1/publishing/mourning', { on: true, siteId: jyj });
    expect(r.status).toBe(200);
    expect(r.body).toEqual({ on: true, siteId: jyj });
    expect((await css('jyj')).body.toString()).toContain(MOURNING_CSS);
    expect((await css('wsjkw')).body.toString()).not.toContain('grayscale');
    expect((await css('www')).body.toString()).not.toContain('grayscale');
    // Other settings of the site are kept.
    const row = await t.store.db.selectFrom('sites').select('settings').where('id', '=', jyj).executeTakeFirstOrThrow();
    expect(JSON.parse(row.settings)).toEqual({ sponsor: '示范市教育局', mourning: true });
    expect(await auditCount()).toBe(before + 1);
    const entry = await t.store.db.selectFrom('audit_log').selectAll().orderBy('id', 'desc').limit(1).executeTakeFirstOrThrow();
    expect(entry).toMatchObject({ action: 'publishing.mourning', actor_name: 'jyj_admin', target_type: 'site', site_id: jyj });
    expect(JSON.parse(entry.after!)).toEqual({ on: true });
    expect((await admin.put('/api/v1/publishing/mourning', { on: false, siteId: jyj })).status).toBe(200);
    expect((await css('jyj')).body.toString()).not.toContain('grayscale');
  });

  it('greys every site when the system administrator switches the cluster on', async () => {
    const sys = await loginAs(t, 'sys');
    const r = await sys.put('/api/v1/publishing/mourning', { on: true });
    expect(r.status).toBe(200);
    expect(r.body).toEqual({ on: true, siteId: null });
    for (const site of ['www', 'jyj', 'wsjkw', 'unknown-site']) expect((await css(site)).body.toString(), site).toContain('grayscale');
    expect((await request(port, '/_mode.css')).body.toString()).toContain('grayscale');
    const setting = await t.store.db.selectFrom('settings').select('value').where('key', '=', CLUSTER_MOURNING_KEY).executeTakeFirstOrThrow();
    expect(JSON.parse(setting.value)).toBe(true);
    const entry = await t.store.db.selectFrom('audit_log').selectAll().orderBy('id', 'desc').limit(1).executeTakeFirstOrThrow();
    expect(entry).toMatchObject({ action: 'publishing.mourning', actor_name: 'sys', target_type: 'cluster' });
    expect((await sys.put('/api/v1/publishing/mourning', { on: false })).status).toBe(200);
    expect((await css('jyj')).body.toString()).not.toContain('grayscale');
  });

  it('takes a switch made by another process within two seconds', async () => {
    await t.store.db.updateTable('sites').set({ settings: JSON.stringify({ mourning: true }) }).where('id', '=', wsj).execute();
    const deadline = Date.now() + 2500;
    let grey = false;
    while (!grey && Date.now() < deadline) {
      grey = (await css('wsjkw')).body.toString().includes('grayscale');
      if (!grey) await new Promise((r) => setTimeout(r, 100));
    }
    expect(grey).toBe(true);
    await t.store.db.updateTable('sites').set({ settings: '{}' }).where('id', '=', wsj).execute();
  });

  it('refuses callers without the right permission and changes nothing', async () => {
    const before = await auditCount();
    const cases: [string | null, unknown, number][] = [
      [null, { on: true }, 401],
      [null, { on: true, siteId: jyj }, 401],
      ['jyj_admin', { on: true }, 403], // cluster-wide needs system.manage
      ['wsj_admin', { on: true, siteId: jyj }, 403],
      ['jyj_editor', { on: true, siteId: jyj }, 403],
      ['sec', { on: true, siteId: jyj }, 403],
      ['sec', { on: true }, 403],
      ['sys', { on: true, siteId: 999_999 }, 404],
    ];
    for (const [user, body, status] of cases) {
      const c = user ? await loginAs(t, user) : anonymousClient(t);
      const r = await c.put('/api/v1/publishing/mourning', body);
      expect(r.status, `${user} ${JSON.stringify(body)}`).toBe(status);
      expect(typeof r.body.error.message).toBe('string');
    }
    expect(await auditCount()).toBe(before);
    expect((await css('jyj')).body.toString()).not.toContain('grayscale');
  });

  it('refuses bad input with a 400 and stores nothing', async () => {
    const before = await auditCount();
    const sys = await loginAs(t, 'sys');
    for (const body of [
      {},
      { on: 'yes' },
      { on: 1 },
      { on: true, siteId: -1 },
      { on: true, siteId: '1; DROP TABLE sites;--' },
      { on: true, siteId: 1.5 },
      { on: true, siteId: 2 ** 40 },
      { on: true, extra: '<script>alert(1)</script>' },
      { on: '示范\uD800' },
      { on: '😀'.repeat(5000) },
      ['../../etc/passwd'],
    ]) {
      const r = await sys.put('/api/v1/publishing/mourning', body);
      expect(r.status, JSON.stringify(body).slice(0, 60)).toBe(400);
      expect(typeof r.body.error.code).toBe('string');
    }
    expect(await auditCount()).toBe(before);
    const setting = await t.store.db.selectFrom('settings').select('value').where('key', '=', CLUSTER_MOURNING_KEY).executeTakeFirstOrThrow();
    expect(JSON.parse(setting.value)).toBe(false);
  });
});
