/**
 * The index interface on the database under test (FTS5 on SQLite, tsvector/GIN on PostgreSQL):
 * the same documents and queries must give the same answers on both.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type TestEnv, createTestStore, makeSite } from '../../../test/helpers.js';
import { type SourceItem, beijingDay, toDocument } from './documents.js';
import { engineFor } from './engine/index.js';
import { buildSynonymMap, planQuery } from './query.js';
import { Segmenter, normalise } from './segment.js';

let env: TestEnv;
let siteA: number;
let siteB: number;
const seg = new Segmenter(['公积金']);
const syn = buildSynonymMap([['社保', '社会保险']], normalise);
const today = beijingDay('2026-11-20T02:00:00Z');

const item = (sourceId: number, siteId: number, date: string, title: string, body: string, extra: Partial<SourceItem> = {}): SourceItem => ({
  type: 'article', sourceId, siteId, isPortal: false, organisationId: null, columnId: null, date, title, body, extra: '', url: `/a/${sourceId}.html`, placementSiteIds: [], ...extra,
});

beforeAll(async () => {
  env = await createTestStore();
  siteA = await makeSite(env.store, 'sitea');
  siteB = await makeSite(env.store, 'siteb');
  const items = [
    item(1, siteA, '2026-11-01T02:00:00Z', '社会保险缴费基数调整的通知', '各参保单位：社会保险缴费基数按上年度平均工资确定。'),
    item(2, siteA, '2026-05-01T02:00:00Z', '工作动态', '本局召开会议，研究社会保险扩面工作。'),
    item(3, siteB, '2026-10-01T02:00:00Z', '住房公积金提取办事指南', '职工租房可以提取住房公积金。', { placementSiteIds: [siteA] }),
    item(4, siteB, '2025-01-01T02:00:00Z', '旧闻：公积金', '去年的公积金政策。'),
    item(5, siteA, '2026-11-18T02:00:00Z', '其他新闻', '与检索无关的内容。'),
    // A "very common" word once the limits are lowered (see 'counts up to its limit …').
    item(10, siteA, '2026-11-10T02:00:00Z', '防汛工作会议召开', '今年防汛形势严峻，各地要做好准备。'),
    item(11, siteA, '2026-11-19T02:00:00Z', '秋季动态', '今年防汛形势严峻，各地要做好准备。'),
    item(12, siteA, '2026-11-15T02:00:00Z', '秋季动态', '今年防汛形势严峻，各地要做好准备。'),
    item(13, siteA, '2026-01-01T02:00:00Z', '防汛抗旱的通知', '今年防汛形势严峻，各地要做好准备。'),
    item(14, siteA, '2026-11-18T02:00:00Z', '秋季动态', '今年防汛形势严峻，各地要做好准备。'),
    item(15, siteB, '2026-11-17T02:00:00Z', '防汛物资储备', '今年防汛形势严峻，各地要做好准备。', { placementSiteIds: [siteA] }),
  ];
  const engine = engineFor(env.store.dialect);
  await env.store.db.transaction().execute((tx) => engine.insert(tx, items.map((it) => toDocument(it, (t) => seg.indexTokens(t)))));
}, 60_000);
afterAll(() => env.close());

const run = async (q: string, extra: Record<string, unknown> = {}) => {
  const r = await engineFor(env.store.dialect).search(env.store.db, { plan: planQuery(q, seg, syn), sort: 'relevance', offset: 0, limit: 10, today, ...extra });
  const rows = r.ids.length ? await env.store.db.selectFrom('search_documents').select(['id', 'source_id']).where('id', 'in', r.ids).execute() : [];
  const src = new Map(rows.map((x) => [Number(x.id), x.source_id]));
  return { total: r.total, lowerBound: r.totalIsLowerBound, sources: r.ids.map((id) => src.get(id)) };
};
const strict = async (q: string, extra: Record<string, unknown> = {}) => {
  const { lowerBound, ...rest } = await run(q, extra);
  expect(lowerBound).toBe(false);
  return rest;
};

describe(`the ${process.env.DATABASE_URL ? 'PostgreSQL' : 'SQLite FTS5'} engine`, () => {
  it('finds by a word, its synonym and its parts, a title hit first', async () => {
    expect(await strict('社会保险')).toEqual({ total: 2, sources: [1, 2] });
    expect(await strict('社保')).toEqual({ total: 2, sources: [1, 2] });
    expect((await run('公积金')).sources.sort()).toEqual([3, 4]);
  });

  it('filters by site (placements included), type and date range', async () => {
    expect((await run('公积金', { siteId: siteA })).sources).toEqual([3]);
    expect((await run('社会保险', { siteId: siteB })).total).toBe(0);
    expect((await run('社会保险', { type: 'faq' })).total).toBe(0);
    expect((await run('社会保险', { type: 'article' })).total).toBe(2);
    expect((await run('公积金', { fromDay: beijingDay('2026-01-01T00:00:00+08:00') })).sources).toEqual([3]);
    expect((await run('公积金', { toDay: beijingDay('2025-12-31T00:00:00+08:00') })).sources).toEqual([4]);
  });

  it('sorts by date, newest first, and pages', async () => {
    expect((await run('社会保险', { sort: 'date' })).sources).toEqual([1, 2]);
    expect((await run('社会保险', { sort: 'date', offset: 1, limit: 1 })).sources).toEqual([2]);
  });

  it('matches title prefixes for suggestions', async () => {
    expect((await run('公积', { titleOnly: true, prefixLast: true, noTotal: true })).sources).toEqual(expect.arrayContaining([3, 4]));
    expect((await run('职工', { titleOnly: true })).total).toBe(0);
  });

  // Six documents have 防汛; of the newest four (11, 14, 15, 12) one has it in its title (15);
  // two older titles (10, 13) are outside them.
  const low = { count: 3, fullRank: 2, candidates: 4 };

  it('ranks every match when there are few: both title hits first, the old one too', async () => {
    const r = await strict('防汛');
    expect(r.total).toBe(6);
    expect(r.sources.slice(0, 3).sort()).toEqual([10, 13, 15]);
  });

  it('counts up to its limit and says the total is a lower bound', async () => {
    expect(await run('防汛', { limits: low, sort: 'date', limit: 3 })).toEqual({ total: 3, lowerBound: true, sources: [11, 14, 15] });
    expect(await run('防汛', { limits: { ...low, count: 6 } })).toMatchObject({ total: 6, lowerBound: false });
  });

  it('ranks a very common query over its newest candidates, title hits first; older matches follow by date', async () => {
    expect((await run('防汛', { limits: low, limit: 4 })).sources).toEqual([15, 11, 14, 12]);
    expect((await run('防汛', { limits: low, offset: 1, limit: 2 })).sources).toEqual([11, 14]);
    // Within a site, placed documents included (15 is siteB's, placed in siteA).
    expect((await run('防汛', { limits: low, siteId: siteA, limit: 4 })).sources).toEqual([15, 11, 14, 12]);
    expect(await run('防汛', { limits: low, siteId: siteB })).toEqual({ total: 1, lowerBound: false, sources: [15] });
    // Past the candidates the older matches follow, newest first, and pages do not overlap.
    expect((await run('防汛', { limits: low, offset: 3, limit: 2 })).sources).toEqual([12, 10]);
    expect((await run('防汛', { limits: low, limit: 10 })).sources).toEqual([15, 11, 14, 12, 10, 13]);
  });

  it('answers a query of operators and quotes with nothing, not an error', async () => {
    for (const q of ['" OR "', "' | '", 'NEAR(a b)', '*', 'a:*', '!!!', '((((', '\\', '社保" OR "1"="1']) {
      const r = await run(q);
      expect(r.total).toBeGreaterThanOrEqual(0);
    }
  });

  it('removes documents and clears', async () => {
    const engine = engineFor(env.store.dialect);
    const ids = (await env.store.db.selectFrom('search_documents').select('id').where('source_id', '=', 4).execute()).map((r) => Number(r.id));
    await env.store.db.transaction().execute((tx) => engine.remove(tx, ids));
    expect((await run('公积金')).sources).toEqual([3]);
    await env.store.db.transaction().execute((tx) => engine.clear(tx));
    expect((await run('社会保险')).total).toBe(0);
    expect(await env.store.db.selectFrom('search_placements').selectAll().execute()).toEqual([]);
  });
});
