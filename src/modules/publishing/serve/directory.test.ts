import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type TestEnv, createTestStore, makeSite } from '../../../../test/helpers.js';
import { SiteDirectory, redirectLocation } from './directory.js';

let env: TestEnv;
let clock = 0;
let dir: SiteDirectory;
const log = pino({ level: 'silent' });

beforeAll(async () => {
  env = await createTestStore();
  dir = new SiteDirectory(env.store.db, log, 5000, () => clock);
});
afterAll(() => env.close());

describe('the site directory', () => {
  it('refreshes hosts, codes and redirects in the background every few seconds', async () => {
    await dir.reload();
    expect(dir.isSiteCode('jyj')).toBe(false);
    const jyj = await makeSite(env.store, 'jyj');
    await env.store.db.insertInto('site_hosts').values({ host: 'jyj.example.gov.cn', site_id: jyj }).execute();
    await env.store.db.insertInto('redirects').values({ from_path: '/jyj/a/', to_path: '/jyj/b/', site_id: jyj, created_at: '2026-11-20T00:00:00.000Z' }).execute();
    clock += 4999;
    dir.maybeRefresh(); // not yet due
    await new Promise((r) => setTimeout(r, 200));
    expect(dir.isSiteCode('jyj')).toBe(false);
    clock += 1;
    dir.maybeRefresh(); // due: reloads in the background
    await new Promise((r) => setTimeout(r, 200));
    expect(dir.isSiteCode('jyj')).toBe(true);
    expect(dir.siteId('jyj')).toBe(jyj);
    expect(dir.siteOfHost('jyj.example.gov.cn')).toBe('jyj');
    expect(dir.siteOfHost('JYJ.example.gov.cn.:443')).toBe('jyj');
    expect(dir.siteOfHost('[::1]:80')).toBeUndefined();
    expect(dir.siteOfHost('other.example.gov.cn')).toBeUndefined();
    expect(dir.redirectFor('/jyj/a/')).toBe('/jyj/b/');
    expect(dir.redirectFor('/jyj/a')).toBe('/jyj/b/');
    expect(dir.redirectFor('/jyj/a/index.html')).toBe('/jyj/b/');
    expect(dir.redirectFor('/jyj/c/')).toBeUndefined();
  });

  it('keeps the previous maps when the database fails', async () => {
    const broken = new SiteDirectory({ selectFrom: () => { throw new Error('down'); } } as never, log, 5000, () => clock);
    await broken.reload();
    expect(broken.isSiteCode('jyj')).toBe(false);
  });

  it('accepts only safe redirect targets', () => {
    expect(redirectLocation('/jyj/b/')).toBe('/jyj/b/');
    expect(redirectLocation('https://www.gov.cn/')).toBe('https://www.gov.cn/');
    expect(redirectLocation('/通知/')).toBe('/%E9%80%9A%E7%9F%A5/');
    for (const bad of ['//evil.com', 'javascript:alert(1)', '/a\r\nSet-Cookie: x', '/a\\b', 'http://', 'ftp://x/']) expect(redirectLocation(bad), bad).toBeNull();
  });
});
