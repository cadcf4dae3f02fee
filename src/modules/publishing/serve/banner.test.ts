/**
 * The emergency banner (紧急通告), live on every page through /_mode.css: switched on for one
 * site by its administrator or for the whole cluster by the system administrator, shown within
 * seconds without re-rendering a page, escaped so that no text can break out of the stylesheet,
 * converted for Traditional pages, audited, and refused cleanly to the wrong callers and input.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type TestApp, anonymousClient, createTestApp, loginAs, makeSite, makeUser } from '../../../../test/helpers.js';
import { bannerCss, cssString } from './mode.js';
import { CLUSTER_BANNER_KEY } from './mourning.js';
import { request } from './testing.js';

let t: TestApp;
let port: number;
let jyj: number;
let wsj: number;
const css = async (site: string, extra = '') => (await request(port, `/_mode.css?site=${site}${extra}`)).body.toString();
/** The text a stylesheet's generated content spells, escapes resolved (what a browser shows). */
const shown = (stylesheet: string) =>
  [...stylesheet.matchAll(/content: ((?:"(?:[^"\\]|\\.)*"\s*)+);/g)]
    .map((m) => [...m[1]!.matchAll(/"((?:[^"\\]|\\.)*)"/g)].map((s) => s[1]!.replace(/\\([0-9a-f]{1,6}) ?/g, (_, h: string) => String.fromCodePoint(parseInt(h, 16)))).join(''))
    .join(' | ');
const auditCount = async () => Number((await t.store.db.selectFrom('audit_log').select((eb) => eb.fn.countAll<number>().as('n')).where('action', '=', 'publishing.banner').executeTakeFirstOrThrow()).n);

beforeAll(async () => {
  t = await createTestApp();
  await makeSite(t.store, 'www');
  jyj = await makeSite(t.store, 'jyj');
  wsj = await makeSite(t.store, 'wsjkw');
  await t.store.db.updateTable('sites').set({ settings: JSON.stringify({ sponsor: '示范市教育局' }) }).where('id', '=', jyj).execute();
  await makeUser(t.store, 'sys', [{ role: 'sysadmin' }]);
  await makeUser(t.store, 'jyj_admin', [{ role: 'site_admin', siteId: jyj }]);
  await makeUser(t.store, 'jyj_editor', [{ role: 'editor', siteId: jyj }]);
  await makeUser(t.store, 'sec', [{ role: 'secadmin' }]);
  await t.jiyue.app.listen({ port: 0, host: '127.0.0.1' });
  port = (t.jiyue.app.server.address() as { port: number }).port;
});
afterAll(() => t.close());

describe('cssString', () => {
  it('keeps the text and escapes everything that could end the string or the rule', () => {
    for (const text of ['台风红色预警：请市民减少外出', 'a"b\\c', 'x</style><script>alert(1)</script>', 'line1\nline2\r\u0000', '😀 emoji', "'; } body { display: none } /*"]) {
      const lit = cssString(text);
      const inner = lit.slice(1, -1);
      expect([...inner].filter((ch) => ch.charCodeAt(0) < 0x20 || '"<>'.includes(ch))).toEqual([]);
      expect(inner).not.toMatch(/\\(?![0-9a-f])/);
      expect(shown(`content: ${lit};`)).toBe(text);
    }
  });
  it('writes nothing when no banner is on', () => {
    expect(bannerCss([])).toBe('');
  });
});

describe('the emergency banner', () => {
  it('is shown on one site within seconds of its administrator switching it on, kept with the other settings, and audited', async () => {
    const before = await auditCount();
    const admin = await loginAs(t, 'jyj_admin');
    const r = await admin.put('/api/v1/publishing/banner', { siteId: jyj, banner: { text: '台风红色预警：全市中小学今日停课', level: 'emergency' } });
    expect(r.status).toBe(200);
    expect(r.body).toEqual({ siteId: jyj, banner: { text: '台风红色预警：全市中小学今日停课', level: 'emergency' } });
    const jyjCss = await css('jyj');
    expect(jyjCss).toContain('.live-banner { display: block;');
    expect(shown(jyjCss)).toBe('紧急通告：台风红色预警：全市中小学今日停课');
    expect(await css('wsjkw')).not.toContain('live-banner');
    // Traditional pages get the converted text.
    expect(shown(await css('jyj', '&v=hant'))).toBe('緊急通告：颱風紅色預警：全市中小學今日停課');
    const row = await t.store.db.selectFrom('sites').select('settings').where('id', '=', jyj).executeTakeFirstOrThrow();
    expect(JSON.parse(row.settings)).toEqual({ sponsor: '示范市教育局', banner: { text: '台风红色预警：全市中小学今日停课', level: 'emergency' } });
    expect(await auditCount()).toBe(before + 1);
    const entry = await t.store.db.selectFrom('audit_log').selectAll().orderBy('id', 'desc').limit(1).executeTakeFirstOrThrow();
    expect(entry).toMatchObject({ action: 'publishing.banner', actor_name: 'jyj_admin', target_type: 'site', site_id: jyj });
    expect(JSON.parse(entry.before!)).toEqual({ banner: null });

    const live = await admin.get(`/api/v1/publishing/live?siteId=${jyj}`);
    expect(live.body.site).toEqual({ id: jyj, mourning: false, banner: { text: '台风红色预警：全市中小学今日停课', level: 'emergency' } });

    expect((await admin.put('/api/v1/publishing/banner', { siteId: jyj, banner: null })).status).toBe(200);
    expect(await css('jyj')).not.toContain('live-banner');
  });

  it('is shown on every site when the system administrator sets the cluster banner, before a site’s own', async () => {
    const sys = await loginAs(t, 'sys');
    await t.store.db.updateTable('sites').set({ settings: JSON.stringify({ banner: { text: '本站系统维护', level: 'info' } }) }).where('id', '=', wsj).execute();
    expect((await sys.put('/api/v1/publishing/banner', { banner: { text: '全市启动防汛四级应急响应', level: 'warning' } })).status).toBe(200);
    for (const site of ['www', 'jyj', 'unknown-site']) expect(shown(await css(site)), site).toBe('重要提示：全市启动防汛四级应急响应');
    const deadline = Date.now() + 2500; // the site banner was written behind the API's back: within two seconds
    let both = '';
    while (Date.now() < deadline && !both.includes('本站')) {
      both = shown(await css('wsjkw'));
      if (!both.includes('本站')) await new Promise((r) => setTimeout(r, 100));
    }
    expect(both).toBe('重要提示：全市启动防汛四级应急响应 | 通知：本站系统维护');
    const setting = await t.store.db.selectFrom('settings').select('value').where('key', '=', CLUSTER_BANNER_KEY).executeTakeFirstOrThrow();
    expect(JSON.parse(setting.value)).toEqual({ text: '全市启动防汛四级应急响应', level: 'warning' });
    expect((await sys.put('/api/v1/publishing/banner', { banner: null })).status).toBe(200);
    expect(await css('jyj')).not.toContain('live-banner');
    await t.store.db.updateTable('sites').set({ settings: '{}' }).where('id', '=', wsj).execute();
  });

  it('shows hostile text as text: it cannot leave the stylesheet', async () => {
    const sys = await loginAs(t, 'sys');
    const evil = '"; } html { display: none } .x::before { content: "</style><script>alert(1)</script>\\';
    expect((await sys.put('/api/v1/publishing/banner', { banner: { text: evil, level: 'emergency' } })).status).toBe(200);
    const sheet = await css('jyj');
    // Outside its string literals the stylesheet is only our own rules.
    const rules = sheet.replace(/"(?:[^"\\]|\\.)*"/g, '""');
    expect(rules).not.toContain('html {');
    expect(rules).not.toContain('.x::before');
    expect(rules.match(/\{/g)).toHaveLength(2);
    expect(sheet).not.toMatch(/[<>]/);
    expect(shown(sheet)).toBe(`紧急通告：${evil}`);
    expect((await sys.put('/api/v1/publishing/banner', { banner: null })).status).toBe(200);
  });

  it('refuses callers without the right permission, and bad input, and changes nothing', async () => {
    const before = await auditCount();
    const ok = { text: '停电通知', level: 'info' };
    const cases: [string | null, unknown, number][] = [
      [null, { banner: ok }, 401],
      ['jyj_admin', { banner: ok }, 403],
      ['jyj_editor', { banner: ok, siteId: jyj }, 403],
      ['sec', { banner: ok, siteId: jyj }, 403],
      ['sys', { banner: ok, siteId: 999_999 }, 404],
      ['sys', {}, 400],
      ['sys', { banner: { text: '', level: 'info' } }, 400],
      ['sys', { banner: { text: '   ', level: 'info' } }, 400],
      ['sys', { banner: { text: '长'.repeat(201), level: 'info' } }, 400],
      ['sys', { banner: { text: '停电', level: 'panic' } }, 400],
      ['sys', { banner: { text: '示范\uD800', level: 'info' } }, 400],
      ['sys', { banner: { text: 'a\u0007b', level: 'info' } }, 400],
      ['sys', { banner: ok, siteId: '1; DROP TABLE sites;--' }, 400],
      ['sys', { banner: ok, extra: '<script>' }, 400],
      ['sys', ['../../etc/passwd'], 400],
    ];
    for (const [user, body, status] of cases) {
      const c = user ? await loginAs(t, user) : anonymousClient(t);
      const r = await c.put('/api/v1/publishing/banner', body);
      expect(r.status, `${user} ${JSON.stringify(body).slice(0, 80)}`).toBe(status);
      expect(typeof r.body.error.message).toBe('string');
    }
    expect(await auditCount()).toBe(before);
    expect(await css('jyj')).not.toContain('live-banner');
  });

  it('re-renders nothing when only the live settings of a site change, and the site when others do', async () => {
    const sys = await loginAs(t, 'sys');
    const events = async () => (await t.store.db.selectFrom('jobs').select('payload').where('type', '=', 'event').execute()).filter((j) => JSON.parse(j.payload).event === 'site.updated').length;
    const n = await events();
    const r = await sys.patch(`/api/v1/sites/${wsj}`, { settings: { banner: { text: '停水通知：明日9时至17时', level: 'warning' }, mourning: true } });
    expect(r.status).toBe(200);
    expect(await events()).toBe(n);
    // Live within two seconds (the sites API does not reach the server's two-second cache).
    const deadline = Date.now() + 2500;
    let text = '';
    while (Date.now() < deadline && !text) {
      text = shown(await css('wsjkw'));
      if (!text) await new Promise((res) => setTimeout(res, 100));
    }
    expect(text).toBe('重要提示：停水通知：明日9时至17时');
    expect((await sys.patch(`/api/v1/sites/${wsj}`, { settings: { banner: null, phone: '0578-82001234' } })).status).toBe(200);
    expect(await events()).toBe(n + 1);
  });
});
