/**
 * Segmentation on a worker thread (bulk indexing): the thread's documents are exactly
 * those made on the main thread, its failures reach the caller, and indexBatches uses it for
 * every batch after the first and writes what it made.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { type TestEnv, createTestStore, makeSite } from '../../../test/helpers.js';
import { dictionaryOf } from './dictionary.js';
import { type SourceItem, toDocument } from './documents.js';
import { engineFor } from './engine/index.js';
import { indexBatches } from './indexer.js';
import { planQuery } from './query.js';
import { Segmenter } from './segment.js';
import { SegmentThread } from './segmentThread.js';

const item = (sourceId: number, title: string, body: string, extra = ''): SourceItem => ({
  type: 'article', sourceId, siteId: 1, isPortal: sourceId % 2 === 0, organisationId: null, columnId: null,
  date: '2026-11-02T02:00:00.000Z', title, body, extra, url: `/a/${sourceId}.html`, placementSiteIds: [3, 1, 3],
});

/** Ordinary and hostile text: the thread must make the same tokens of all of it. */
const HOSTILE: SourceItem[] = [
  item(1, '示范市人力资源和社会保障局关于职业伤害保障的通知', '灵活就业人员可在社保经办窗口办理住房公积金提取。', '市人社局'),
  item(2, '<script>alert("x")</script>', `'; DROP TABLE search_documents; -- "社保" NEAR(a b) title:x ^y* (公积金 OR 社保) & | ! :*`),
  item(3, '😀🏛️ 政务服务 👍', '\uD800 孤立的代理项 \uDFFF 以及 ＦＵＬＬ　ＷＩＤＴＨ １２３ 和 Ünïcödé'),
  item(4, '繁體標題：社會保險', `${'长'.repeat(5000)} ${'a'.repeat(100)} ${'办理'.repeat(2000)}`),
  item(5, '', ''),
];

describe('SegmentThread', () => {
  const words = ['人力资源和社会保障局', '职业伤害保障', 'qzx专用词'];
  let thread: SegmentThread;
  beforeAll(() => {
    thread = new SegmentThread(words);
  });
  afterAll(async () => {
    await thread.close();
  });

  it('makes exactly the documents the main thread makes, for ordinary and hostile text', async () => {
    const here = new Segmenter(words);
    const expected = HOSTILE.map((it) => toDocument(it, (t) => here.indexTokens(t)));
    const made = await thread.documents(HOSTILE);
    expect(made).toEqual(expected);
    // The custom words reached the thread: the term is one token there too.
    expect(made[0]!.titleText.split(' ')).toContain('人力资源和社会保障局');
    expect(made[1]!.bodyText).not.toMatch(/[<>'";()*^:&|!]/);
  });

  it('reports a batch it cannot make, and goes on with the next', async () => {
    await expect(thread.documents([item(0, '编号为零', '')])).rejects.toThrow(/segmentation failed: source id out of range: 0/);
    expect((await thread.documents([item(7, '社保', '')]))[0]!.sourceId).toBe(7);
  });

  it('refuses work once closed', async () => {
    const t2 = new SegmentThread([]);
    const pending = t2.documents([item(8, '住房公积金', '')]);
    await t2.close();
    await expect(pending).rejects.toThrow(/closed/);
    await expect(t2.documents([item(9, '社保', '')])).rejects.toThrow(/closed/);
  });
});

describe('indexBatches with the segmentation thread', () => {
  let env: TestEnv;
  let siteId: number;
  beforeAll(async () => {
    env = await createTestStore();
    siteId = await makeSite(env.store, 'www');
    const now = new Date().toISOString();
    await env.store.db.insertInto('search_terms').values({ word: 'qzx专用词', kind: 'other', created_at: now, updated_at: now }).execute();
  });
  afterAll(async () => {
    await env.close();
  });
  afterEach(() => {
    vi.restoreAllMocks();
  });

  it('segments every batch after the first on the thread and writes what it made', async () => {
    const asked = vi.spyOn(SegmentThread.prototype, 'documents');
    const dict = await dictionaryOf(env.store.db);
    const batches = [0, 1, 2, 3].map((b) =>
      Array.from({ length: 30 }, (_, i) => ({ ...item(1000 + b * 30 + i, `第${b}批第${i}篇 qzx专用词`, `批量索引测试正文 编号${b}x${i}`), siteId, placementSiteIds: [] })),
    );
    const n = await indexBatches({ db: env.store.db, dialect: env.store.dialect }, batches, dict, { threadFrom: 1 });
    expect(n).toBe(120);
    expect(asked).toHaveBeenCalledTimes(3);
    // Every document is there and found by the custom word, which the thread kept whole.
    const engine = engineFor(env.store.dialect);
    const plan = planQuery('qzx专用词', dict.segmenter, dict.synonyms);
    expect(plan.groups).toHaveLength(1);
    const hits = await engine.search(env.store.db, { plan, limit: 200, offset: 0, sort: 'date', today: 20_000 });
    expect(hits.total).toBe(120);
    const ids = await env.store.db.selectFrom('search_documents').select('source_id').orderBy('source_id').execute();
    expect(ids.map((r) => Number(r.source_id))).toEqual(Array.from({ length: 120 }, (_, i) => 1000 + i));
  });

  it('fails the run when the thread cannot make a batch, after committing the batches before it', async () => {
    const dict = await dictionaryOf(env.store.db);
    const before = await env.store.db.selectFrom('search_documents').select('id').execute();
    const good = (id: number) => ({ ...item(id, `正常文档${id}`, '正文'), siteId, placementSiteIds: [] });
    const run = indexBatches({ db: env.store.db, dialect: env.store.dialect }, [[good(2001)], [good(2002), { ...good(3), sourceId: 0 }], [good(2003)]], dict, { threadFrom: 1 });
    await expect(run).rejects.toThrow(/source id out of range: 0/);
    const after = (await env.store.db.selectFrom('search_documents').select('source_id').execute()).map((r) => Number(r.source_id));
    expect(after).toContain(2001);
    expect(after).not.toContain(2002);
    expect(after.length).toBeLessThanOrEqual(before.length + 2);
  });
});
