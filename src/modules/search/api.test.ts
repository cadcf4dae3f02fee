/**
 * The search API and page on the demo cluster: the response shape, filters, sorting, snippets,
 * suggestions, did-you-mean, hot searches with the blocklist, the query log, the dictionary
 * administration (sysadmin only, audited, re-index queued, bad input refused and nothing stored),
 * hostile queries, and the server-rendered page in both scripts.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Client, type TestApp, anonymousClient, countRows, loginAs, runJobs } from '../../../test/helpers.js';
import { DEMO_PASSWORD } from '../../seed/seed.js';
import { queryLogOf } from './index.js';
import { forgetHot } from './queries/hot.js';
import { dictionaryOf } from './dictionary.js';
import { engineFor } from './engine/index.js';
import { documentsOf, indexBatches, rebuildIndex } from './indexer.js';
import { INDEX_VERSION_KEY } from './queries/cache.js';
import { search } from './queries/search.js';
import { bumpVersion } from './versions.js';
import { demoApp } from './testing.js';

let t: TestApp;
let anon: Client;
let sys: Client;
beforeAll(async () => {
  t = await demoApp();
  anon = anonymousClient(t);
  sys = await loginAs(t, 'sysadmin', DEMO_PASSWORD);
}, 180_000);
afterAll(() => t?.close());

const get = (url: string) => anon.get(url);
const q = (s: string) => encodeURIComponent(s);

describe('GET /api/v1/search', () => {
  it('returns {total, items:[{title,url,type,site,date,snippet}]} with highlighted, escaped snippets', async () => {
    const r = await get(`/api/v1/search?q=${q('公积金')}`);
    expect(r.status).toBe(200);
    expect(r.body.total).toBeGreaterThanOrEqual(2);
    expect(r.body.totalIsLowerBound).toBe(false);
    expect(Object.keys(r.body)).toEqual(expect.arrayContaining(['total', 'items']));
    for (const it of r.body.items) {
      expect(Object.keys(it)).toEqual(expect.arrayContaining(['title', 'url', 'type', 'site', 'date', 'snippet']));
      // Articles (…/tYYYYMMDD_id.html) and FAQ entries (/hdjl/cjwt/{site}/{id}.html).
      expect(it.url).toMatch(it.type === 'faq' ? /^\/hdjl\/cjwt\/[a-z0-9]+\/\d+\.html$/ : /^\/.*t\d{8}_\d+\.html$/);
      expect(it.date).toMatch(/^\d{4}-\d{2}-\d{2}$/);
      expect(['article', 'faq']).toContain(it.type);
      // Only <em> is markup; everything else is escaped.
      expect(it.snippet.replace(/<\/?em>/g, '')).not.toMatch(/[<>]/);
    }
    expect(r.body.items[0].title).toContain('公积金');
    expect(r.body.items.some((i: { snippet: string }) => i.snippet.includes('<em>公积金</em>'))).toBe(true);
  });

  it('filters by site, type and time, and sorts by date', async () => {
    const all = (await get(`/api/v1/search?q=${q('工作')}&pageSize=50`)).body;
    const jyj = (await get(`/api/v1/search?q=${q('工作')}&site=jyj&pageSize=50`)).body;
    expect(jyj.total).toBeGreaterThan(0);
    expect(jyj.total).toBeLessThan(all.total);
    expect(new Set(jyj.items.map((i: { site: string }) => i.site))).toEqual(new Set(['jyj']));
    const faq = (await get(`/api/v1/search?q=${q('工作')}&type=faq&pageSize=50`)).body;
    expect(faq.total).toBeGreaterThan(0);
    expect(faq.total).toBeLessThan(all.total);
    expect(new Set(faq.items.map((i: { type: string }) => i.type))).toEqual(new Set(['faq']));
    expect((await get(`/api/v1/search?q=${q('工作')}&type=letter`)).body.total).toBe(0);
    const recent = (await get(`/api/v1/search?q=${q('工作')}&from=2026-11-01&pageSize=50`)).body;
    expect(recent.total).toBeLessThan(all.total);
    for (const i of recent.items) expect(i.date >= '2026-11-01').toBe(true);
    const byDate = (await get(`/api/v1/search?q=${q('工作')}&sort=date&pageSize=20`)).body.items.map((i: { date: string }) => i.date);
    expect(byDate).toEqual([...byDate].sort().reverse());
    const p2 = (await get(`/api/v1/search?q=${q('工作')}&sort=date&pageSize=10&page=2`)).body.items.map((i: { date: string }) => i.date);
    expect(p2[0] <= byDate[9]).toBe(true);
  });

  it('ranks a title hit above a body mention and the portal above a department repeating it', async () => {
    const items = (await get(`/api/v1/search?q=${q('营商环境')}`)).body.items;
    expect(items[0].title).toContain('营商环境');
    expect(items.slice(0, 3).some((i: { site: string; title: string }) => i.site === 'www' && i.title.includes('营商环境'))).toBe(true);
  });

  it('offers "did you mean" for a typo of a government term', async () => {
    const r = await get(`/api/v1/search?q=${q('公基金提取')}`);
    expect(r.status).toBe(200);
    expect(r.body.didYouMean).toBe('公积金提取');
    expect((await get(`/api/v1/search?q=${q('公积金提取')}`)).body.didYouMean).toBeNull();
  });

  it('finds with some of the words when none has all, and says so', async () => {
    const r = await get(`/api/v1/search?q=${q('退休工资涨了多少')}`);
    expect(r.body.total).toBeGreaterThan(0);
    expect(r.body.items[0].title).toContain('养老金');
  });

  it.each([
    ['', 400],
    ['长'.repeat(101), 400],
    ['社保\u0000', 400],
  ])('refuses the query %j with a clear 4xx in the error shape', async (query, status) => {
    const r = await get(`/api/v1/search?q=${q(query)}`);
    expect(r.status).toBe(status);
    expect(typeof r.body.error.code).toBe('string');
    expect(r.body.error.message).toMatch(/检索词|无效|输入有误/);
  });

  it.each(['"', '""', "'", '*', '社保*', 'NEAR(社保 缴费, 2)', '社保 AND OR NOT', '(((', ')', '\\', '\\\\"', '^社保', 'title:社保', '{title}:社保', '社保 & | ! <-> 缴费', "'); DROP TABLE search_documents;--", '😀😀', '𠀀𠀁', 'ｓｅｌｅｃｔ', '社保'.repeat(50), '% _ %%'])(
    'answers the hostile query %j without an error',
    async (query) => {
      const r = await get(`/api/v1/search?q=${q(query)}`);
      expect(r.status).toBe(200);
      expect(typeof r.body.total).toBe('number');
      for (const it of r.body.items) expect(it.snippet.replace(/<\/?em>/g, '')).not.toMatch(/[<>]/);
    },
  );

  it('never fails on malformed UTF-8 or a lone surrogate in the address', async () => {
    for (const raw of ['%ED%A0%80', '%FF%FE', '%E4%B8', '%C0%AF', '%', '%%', '%uD800']) {
      const r = await get(`/api/v1/search?q=${q('社保')}${raw}`);
      expect(r.status, raw).toBeLessThan(500);
    }
  });

  it('refuses bad filters clearly', async () => {
    for (const [url, field] of [
      [`/api/v1/search?q=${q('社保')}&site=nosuch`, 'site'],
      [`/api/v1/search?q=${q('社保')}&site=${q('../x')}`, 'site'],
      [`/api/v1/search?q=${q('社保')}&type=secret`, 'type'],
      [`/api/v1/search?q=${q('社保')}&from=2026-02-30`, 'from'],
      [`/api/v1/search?q=${q('社保')}&from=2026-10-01&to=2026-09-01`, 'from'],
      [`/api/v1/search?q=${q('社保')}&page=51`, 'page'],
      [`/api/v1/search?q=${q('社保')}&sort=random`, 'sort'],
    ] as const) {
      const r = await get(url);
      expect(r.status, url).toBe(400);
      expect(r.body.error.details.issues[0].path).toBe(field);
    }
  });
});

describe('suggestions, hot searches and the query log', () => {
  it('suggests titles as you type', async () => {
    const r = await get(`/api/v1/search/suggest?q=${q('公积')}`);
    expect(r.status).toBe(200);
    expect(r.body.items.length).toBeGreaterThan(0);
    for (const s of r.body.items) expect(s.text).toContain('公积');
    expect((await get(`/api/v1/search/suggest?q=`)).body.items).toEqual([]);
  });

  it('logs queries (personal numbers masked) and lists hot searches without blocked words', async () => {
    for (let i = 0; i < 30; i++) await get(`/api/v1/search?q=${q('社保卡')}`);
    for (let i = 0; i < 2; i++) await get(`/api/v1/search?q=${q('公积金 丑闻')}`);
    await get(`/api/v1/search?q=${q('身份证 330102199001011234')}`);
    await queryLogOf(t.jiyue).flush();
    const logged = await t.store.db.selectFrom('search_query_log').select('q').execute();
    expect(logged.map((r) => r.q)).toContain('社保卡');
    expect(logged.map((r) => r.q).join(' ')).not.toContain('330102199001011234');
    forgetHot(t.store.db);
    let hot = (await get('/api/v1/search/hot')).body.items.map((h: { q: string }) => h.q);
    expect(hot[0]).toBe('社保卡');
    expect(hot).toContain('公积金 丑闻');
    const b = await sys.post('/api/v1/search/blocklist', { word: '丑闻' });
    expect(b.status).toBe(201);
    hot = (await get('/api/v1/search/hot')).body.items.map((h: { q: string }) => h.q);
    expect(hot).not.toContain('公积金 丑闻');
    expect((await get(`/api/v1/search/suggest?q=${q('社保')}`)).body.items[0]).toMatchObject({ text: '社保卡', kind: 'hot' });
    const stats = await sys.get('/api/v1/search/queries');
    expect(stats.body.top.map((x: { q: string }) => x.q)).toContain('社保卡');
  });
});

describe('the dictionary, synonyms and blocklist (system administrators)', () => {
  it('adds a term: audited, segmentation changes at once, a re-index is queued', async () => {
    const before = await countRows(t.store, 'audit_log');
    const r = await sys.post('/api/v1/search/terms', { word: '校园餐', kind: 'service' });
    expect(r.status).toBe(201);
    expect(r.body).toMatchObject({ word: '校园餐', kind: 'service' });
    expect(await countRows(t.store, 'audit_log')).toBe(before + 1);
    const job = await t.store.db.selectFrom('jobs').select(['type', 'status']).where('type', '=', 'search.reindex').where('status', '=', 'pending').executeTakeFirst();
    expect(job).toBeTruthy();
    expect((await sys.post('/api/v1/search/terms', { word: '校园餐' })).status).toBe(409);
    const listed = await sys.get(`/api/v1/search/terms?q=${q('校园')}`);
    expect(listed.body.items.map((x: { word: string }) => x.word)).toContain('校园餐');
    expect((await sys.patch(`/api/v1/search/terms/${r.body.id}`, { kind: 'policy' })).body.kind).toBe('policy');
    expect((await sys.del(`/api/v1/search/terms/${r.body.id}`)).status).toBe(200);
    expect((await sys.del(`/api/v1/search/terms/${r.body.id}`)).status).toBe(404);
    await runJobs(t);
  });

  it('adds a synonym group that queries use at once', async () => {
    expect((await get(`/api/v1/search?q=${q('娃娃')}`)).body.total).toBe(0);
    const r = await sys.post('/api/v1/search/synonyms', { words: ['娃娃', '适龄儿童'] });
    expect(r.status).toBe(201);
    await runJobs(t);
    expect((await get(`/api/v1/search?q=${q('娃娃')}`)).body.total).toBeGreaterThan(0);
    expect((await sys.post('/api/v1/search/synonyms', { words: ['适龄儿童', '娃娃'] })).status).toBe(409);
    expect((await sys.put(`/api/v1/search/synonyms/${r.body.id}`, { words: ['娃娃', '适龄儿童', '小朋友'] })).body.words).toEqual(['娃娃', '适龄儿童', '小朋友']);
    expect((await sys.del(`/api/v1/search/synonyms/${r.body.id}`)).status).toBe(200);
  });

  it('refuses bad input with a Chinese message and stores nothing', async () => {
    const tables = ['search_terms', 'search_synonyms', 'search_blocked_words'] as const;
    const count = async () => Promise.all(tables.map(async (x) => Number((await t.store.db.selectFrom(x).select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n)));
    const before = await count();
    for (const [url, body] of [
      ['/api/v1/search/terms', { word: '' }],
      ['/api/v1/search/terms', { word: '有 空格' }],
      ['/api/v1/search/terms', { word: '《标点》' }],
      ['/api/v1/search/terms', { word: '长'.repeat(21) }],
      ['/api/v1/search/terms', { word: '词', kind: 'secret' }],
      ['/api/v1/search/terms', { word: '好词', extra: 1 }],
      ['/api/v1/search/synonyms', { words: ['单独'] }],
      ['/api/v1/search/synonyms', { words: ['重复', '重复'] }],
      ['/api/v1/search/synonyms', { words: 'a,b' }],
      ['/api/v1/search/blocklist', { word: '' }],
      ['/api/v1/search/blocklist', { word: '坏\u0007' }],
    ] as const) {
      const r = await sys.post(url, body);
      expect(r.status, `${url} ${JSON.stringify(body)}`).toBe(400);
      expect(r.body.error.message).toMatch(/输入有误/);
    }
    expect(await count()).toEqual(before);
  });

  it('is for system administrators only', async () => {
    const editor = await loginAs(t, 'jyj_editor', DEMO_PASSWORD);
    for (const [m, url] of [
      ['GET', '/api/v1/search/terms'],
      ['POST', '/api/v1/search/terms'],
      ['GET', '/api/v1/search/synonyms'],
      ['POST', '/api/v1/search/blocklist'],
      ['POST', '/api/v1/search/reindex'],
    ] as const) {
      const r = await editor.request(m, url, m === 'POST' ? (url.endsWith('/terms') ? { word: '越权词', kind: 'other' } : url.endsWith('/blocklist') ? { word: '越权词' } : {}) : undefined);
      expect(r.status, url).toBe(403);
    }
    expect((await anon.request('POST', '/api/v1/search/terms', { word: '匿名词' })).status).toBe(401);
  });
});

describe('the search page', () => {
  it('renders results in the site look, with count, pagination and filters, without JavaScript', async () => {
    const r = await get(`/search?q=${q('工作')}`);
    expect(r.status).toBe(200);
    const html = String(r.body);
    expect(html).toContain('<html lang="zh-CN">');
    expect(html).toMatch(/找到 <strong>\d+<\/strong> 条与“工作”相关的结果/);
    expect(html).toContain('<nav class="pagination"');
    expect(html).toContain('class="site-header"');
    expect(html).toContain('<footer');
    expect(html).toMatch(/<form class="search-box" role="search" action="\/search" method="get"/);
    expect(html).not.toMatch(/<script(?![^>]*src=)/);
  });

  it('searches within one site in that site’s look', async () => {
    const html = String((await get(`/search?q=${q('招生')}&site=jyj`)).body);
    expect(html).toContain('示范市教育局网站');
    expect(html).toMatch(/在示范市教育局网站中找到/);
  });

  it('shows the did-you-mean link and escapes the query', async () => {
    const html = String((await get(`/search?q=${q('公基金<script>')}`)).body);
    expect(html).not.toContain('<script>alert');
    expect(html).toContain('公基金&lt;script&gt;');
    const dym = String((await get(`/search?q=${q('公基金提取')}`)).body);
    expect(dym).toMatch(/您是不是要找：<a href="\/search\?q=[^"]+">公积金提取<\/a>/);
  });

  it('has a Traditional Chinese twin at /zh-hant/search that accepts Traditional queries', async () => {
    const r = await get(`/zh-hant/search?q=${q('社會保險')}`);
    expect(r.status).toBe(200);
    const html = String(r.body);
    expect(html).toContain('<html lang="zh-Hant">');
    expect(html).toMatch(/找到 <strong>[1-9]\d*<\/strong> 條/);
    expect(html).toContain('action="/zh-hant/search"');
    expect(html).toMatch(/href="\/zh-hant\/rsj\//);
  });

  it('offers every kind of result that has a source in the type filter, and filters by it', async () => {
    const html = String((await get(`/search?q=${q('社保')}&type=faq`)).body);
    expect(html).toContain('<option value="article">信息</option>');
    expect(html).toContain('<option value="faq" selected>常见问题</option>');
    expect(html).toMatch(/<span>常见问题<\/span>/);
    expect(html).not.toMatch(/<span>信息<\/span> <time/);
  });

  it('gives Traditional pages their suggestions converted, with addresses in the /zh-hant tree', async () => {
    const simplified = (await get(`/api/v1/search/suggest?q=${q('养老')}&site=rsj`)).body.items as { text: string; url: string | null }[];
    const r = await get(`/zh-hant/search/suggest?q=${q('養老')}&site=rsj`);
    expect(r.status).toBe(200);
    const items = r.body.items as { text: string; url: string | null }[];
    expect(items.length).toBeGreaterThan(0);
    expect(items.map((i) => i.url)).toEqual(simplified.map((i) => (i.url ? `/zh-hant${i.url}` : null)));
    expect(items.map((i) => i.text).join('')).toContain('養老');
    expect(items.map((i) => i.text).join('')).not.toMatch(/[养险这们发时说]/);
    expect((await get(`/zh-hant/search/suggest?q=${q('长'.repeat(101))}`)).status).toBe(400);
    expect((await get('/zh-hant/search/suggest?q=%E7%A4%BE&site=nosuch')).status).toBe(400);
  });

  it('answers a bad query with a message, not an error page', async () => {
    const r = await get(`/search?q=${q('长'.repeat(101))}`);
    expect(r.status).toBe(400);
    expect(String(r.body)).toContain('检索词不能超过 100 个字');
    expect((await get('/search')).status).toBe(200);
    expect((await get(`/search?q=${q('社保')}&page=abc`)).status).toBe(400);
  });
});

describe('results kept in memory', () => {
  const letter = async (sourceId: number, title: string) => {
    const site = await t.store.db.selectFrom('sites').select('id').where('code', '=', 'jyj').executeTakeFirstOrThrow();
    return {
      type: 'letter' as const, sourceId, siteId: site.id, isPortal: false, organisationId: null, columnId: null,
      date: '2026-11-02T02:00:00.000Z', title, body: '正文', extra: '', url: `/x/${sourceId}.html`, placementSiteIds: [],
    };
  };
  const found = async (word: string) => (await get(`/api/v1/search?q=${q(word)}`)).body.total as number;
  const letters = () => t.store.db.selectFrom('search_documents').select('id').where('type', '=', 'letter').execute();
  afterAll(async () => {
    await engineFor(t.store.dialect).remove(t.store.db, (await letters()).map((r) => Number(r.id)));
  });

  it('are dropped when this process writes the index, and every search is still logged', async () => {
    expect(await found('qzxlw7731')).toBe(0);
    expect(await found('qzxlw7731')).toBe(0); // kept
    await indexBatches({ db: t.store.db, dialect: t.store.dialect }, [[await letter(910_001, '古建筑琉璃瓦修缮答复 qzxlw7731')]], await dictionaryOf(t.store.db));
    expect(await found('qzxlw7731')).toBe(1);
    await queryLogOf(t.jiyue).flush();
    const logged = await t.store.db.selectFrom('search_query_log').select('results').where('q', '=', 'qzxlw7731').execute();
    expect(logged.map((r) => r.results)).toEqual([0, 0, 1]);
  });

  it('are dropped when another process changed the index (its version in the database)', async () => {
    expect(await found('qzxlw7732')).toBe(0);
    // Another process (`jiyue reindex`) writes documents; until its version bump, this process
    // answers from memory — proof the result was kept.
    const doc = documentsOf([await letter(910_002, '传统榫卯结构保护答复 qzxlw7732')], await dictionaryOf(t.store.db));
    await t.store.db.transaction().execute((tx) => engineFor(t.store.dialect).insert(tx, doc));
    expect(await found('qzxlw7732')).toBe(0);
    await t.store.db.transaction().execute((tx) => bumpVersion(tx, INDEX_VERSION_KEY, new Date()));
    const deadline = Date.now() + 10_000;
    let n = await found('qzxlw7732');
    while (n === 0 && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 100));
      n = await found('qzxlw7732');
    }
    expect(n).toBe(1);
  });

  it('keep the search page too: each visit is logged, and a write to the index shows at once', async () => {
    const page = async () => String((await get(`/search?q=qzxlw7733`)).body);
    expect(await page()).not.toContain('青砖墙面修复');
    expect(await page()).not.toContain('青砖墙面修复');
    await indexBatches({ db: t.store.db, dialect: t.store.dialect }, [[await letter(910_003, '青砖墙面修复答复 qzxlw7733')]], await dictionaryOf(t.store.db));
    expect(await page()).toContain('青砖墙面修复');
    expect(await page()).toContain('青砖墙面修复');
    await queryLogOf(t.jiyue).flush();
    const logged = await t.store.db.selectFrom('search_query_log').select('results').where('q', '=', 'qzxlw7733').execute();
    expect(logged.map((r) => r.results)).toEqual([0, 0, 1, 1]);
  });

  it('are shared between requests but cannot be changed by one', async () => {
    const r = await search({ db: t.store.db, dialect: t.store.dialect, now: t.now.value }, { q: '公积金', sort: 'relevance', page: 1, pageSize: 10 });
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(() => {
      (r.value.items[0] as { title: string }).title = '篡改';
    }).toThrow(TypeError);
  });
});

describe('a rebuild (jiyue reindex)', () => {
  it('throws when a batch cannot be written, while the next one is being prepared, and keeps what was committed', async () => {
    const site = await t.store.db.selectFrom('sites').select('id').where('code', '=', 'jyj').executeTakeFirstOrThrow();
    const item = (sourceId: number) => ({
      type: 'letter' as const, sourceId, siteId: site.id, isPortal: false, organisationId: null, columnId: null,
      date: '2026-11-02T02:00:00.000Z', title: `批量写入测试${sourceId}`, body: '正文', extra: '', url: `/x/${sourceId}.html`, placementSiteIds: [],
    });
    const written: number[] = [];
    const letters = () => t.store.db.selectFrom('search_documents').select(['id', 'source_id']).where('type', '=', 'letter').execute();
    // The second batch holds the same item twice: its transaction fails on the unique key.
    const run = indexBatches({ db: t.store.db, dialect: t.store.dialect }, [[item(900_001)], [item(900_002), item(900_002)], [item(900_003)]], await dictionaryOf(t.store.db), {
      onWritten: (n) => {
        written.push(n);
      },
    });
    await expect(run).rejects.toThrow();
    // The first batch committed, the failing one not at all; on PostgreSQL the third may have been
    // written beside the second. Every committed batch was reported, and only those.
    const ids = (await letters()).map((r) => Number(r.source_id)).sort();
    expect(ids).toContain(900_001);
    expect(ids).not.toContain(900_002);
    expect(written).toEqual(ids.map(() => 1));
    await engineFor(t.store.dialect).remove(t.store.db, (await letters()).map((r) => Number(r.id)));
  });

  it('indexes every source again — articles and FAQ entries — and reports progress up to done', async () => {
    const byType = async () =>
      Object.fromEntries(
        (await t.store.db.selectFrom('search_documents').select(['type', (eb) => eb.fn.countAll<number>().as('n')]).groupBy('type').execute()).map((r) => [r.type, Number(r.n)]),
      );
    const before = await byType();
    expect(before.article).toBeGreaterThan(100);
    expect(before.faq).toBeGreaterThan(50);
    const progress: [number, number][] = [];
    const r = await rebuildIndex({ db: t.store.db, dialect: t.store.dialect, now: t.now.value }, (done, total) => {
      progress.push([done, total]);
    });
    expect(await byType()).toEqual(before);
    expect(r.documents).toBe(before.article! + before.faq!);
    expect(progress.length).toBeGreaterThanOrEqual(2);
    for (let i = 1; i < progress.length; i++) expect(progress[i]![0]).toBeGreaterThanOrEqual(progress[i - 1]![0]);
    const [done, total] = progress.at(-1)!;
    expect(done).toBe(total);
    // An FAQ entry is found by its question after the rebuild.
    const faq = await get(`/api/v1/search?q=${q('公积金')}&type=faq`);
    expect(faq.body.total).toBeGreaterThan(0);
  });
});
