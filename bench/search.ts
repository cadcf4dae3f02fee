/**
 * Search at scale: 100,000 documents of ~1 KB of realistic Chinese (sentences of the demo city's
 * articles, recombined), indexed through the real path (indexBatches: segmentation with the
 * dictionary, the engine's writes, one transaction per 1,000 documents, the next batch segmented
 * while one is written), then the search API end to end through Fastify (`inject`: parsing, segmentation, query, snippets, JSON, query log) for rare and very
 * common words. SEARCH_BENCH_DOCS changes the size.
 */
import { makeSite, createTestApp } from '../test/helpers.js';
import { dictionaryOf } from '../src/modules/search/dictionary.js';
import { type SourceItem } from '../src/modules/search/documents.js';
import { engineFor } from '../src/modules/search/engine/index.js';
import { indexBatches } from '../src/modules/search/indexer.js';
import { htmlText } from '../src/modules/search/text.js';
import { articles } from '../src/seed/demo-data.js';
import fs from 'node:fs';
import type net from 'node:net';
import { setResultCacheSize } from '../src/modules/search/queries/cache.js';
import { RELEVANCE } from '../src/modules/search/relevance.fixture.js';
import { WRK, line, percentile, throughput, timeEach, wrk } from './lib.js';

const N = Number(process.env.SEARCH_BENCH_DOCS ?? 100_000);
const BATCH = 1000;
const PAGE_SECONDS = Number(process.env.BENCH_SERVE_SECONDS ?? 5);
const RARE = ['晶圆封装', '竹编技艺', '职业伤害保障', '候鸟 湿地', '锂电池 正极材料'];
const COMMON = ['示范', '工作', '示范市 工作', '推进 工作 会议'];

/** Deterministic documents: a demo title and ~1 KB of demo sentences per document. */
function* documents(siteIds: number[]): Generator<SourceItem> {
  const demo = articles();
  const sentences: string[] = [];
  for (const a of demo) for (const s of htmlText(a.body).split(/(?<=[。；！？\n])/)) if (s.trim().length > 8) sentences.push(s.trim());
  let seed = 20261120;
  const rnd = () => ((seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) / 4294967296);
  const t0 = Date.parse('2026-11-20T00:00:00Z');
  for (let i = 1; i <= N; i++) {
    let body = '';
    while (body.length < 340) body += sentences[Math.floor(rnd() * sentences.length)]!;
    const a = demo[Math.floor(rnd() * demo.length)]!;
    const siteId = siteIds[i % siteIds.length]!;
    yield {
      type: 'article', sourceId: i, siteId, isPortal: siteId === siteIds[0], organisationId: null, columnId: null,
      date: new Date(t0 - Math.floor(rnd() * 3 * 365) * 86_400_000).toISOString(), title: a.title, body, extra: a.source, url: `/b/${i}.html`, placementSiteIds: [],
    };
  }
}

export async function benchSearch(): Promise<void> {
  const t = await createTestApp();
  const db = t.store.dialect;
  try {
    const siteIds = [await makeSite(t.store, 'www')];
    for (let s = 1; s < 10; s++) siteIds.push(await makeSite(t.store, `dept${s}`));
    const dict = await dictionaryOf(t.store.db);
    const engine = engineFor(t.store.dialect);
    let bytes = 0;
    function* batches(): Generator<SourceItem[]> {
      let batch: SourceItem[] = [];
      for (const it of documents(siteIds)) {
        bytes += Buffer.byteLength(it.title) + Buffer.byteLength(it.body);
        batch.push(it);
        if (batch.length === BATCH) {
          yield batch;
          batch = [];
        }
      }
      if (batch.length) yield batch;
    }
    const t0 = performance.now();
    await indexBatches({ db: t.store.db, dialect: t.store.dialect }, batches(), dict);
    const secs = (performance.now() - t0) / 1000;
    await engine.optimize(t.store.db);
    line(`search.index[${db}]`, N / secs, 'docs/s');
    line(`search.doc_size[${db}]`, bytes / N, 'bytes');
    // The machine's pace, to compare runs made at different times (the same code has indexed 2,200
    // and 4,300 docs/s on PostgreSQL on this machine a day apart): the dictionary's segmentation
    // alone, on this thread, over the first 5,000 documents' text.
    const sample: string[] = [];
    for (const it of documents(siteIds)) if (sample.push(`${it.title}\n${it.body}`) === 5000) break;
    const s0 = performance.now();
    for (const text of sample) dict.segmenter.indexTokens(text);
    line(`search.segment[${db}]`, sample.reduce((n, x) => n + Buffer.byteLength(x), 0) / 1e6 / ((performance.now() - s0) / 1000), 'MB/s (machine pace)');

    // The latency lines measure the search itself: nothing kept between requests.
    setResultCacheSize(t.store.db, 0);
    const api = (q: string, extra = '') => t.jiyue.app.inject({ method: 'GET', url: `/api/v1/search?q=${encodeURIComponent(q)}${extra}` });
    const totals = async (qs: string[]) => (await Promise.all(qs.map(async (q) => JSON.parse((await api(q)).body).total as number))).join('/');
    line(`search.rare_matches[${db}]`, Math.max(...(await totals(RARE)).split('/').map(Number)), 'docs (largest of the rare queries)');
    line(`search.common_matches[${db}]`, Math.min(...(await totals(COMMON)).split('/').map(Number)), 'docs (smallest of the common queries)');
    for (const [name, qs, extra] of [
      ['rare', RARE, ''],
      ['common', COMMON, ''],
      ['common_site', COMMON, '&site=dept3'],
      ['common_date', COMMON, '&sort=date'],
    ] as const) {
      for (const q of qs) await api(q, extra); // warm
      const lat = await timeEach(300, (i) => api(qs[i % qs.length]!, extra));
      line(`search.api.${name}.p50[${db}]`, percentile(lat, 50), 'ms');
      line(`search.api.${name}.p95[${db}]`, percentile(lat, 95), 'ms');
    }
    const suggest = await timeEach(300, (i) => t.jiyue.app.inject({ method: 'GET', url: `/api/v1/search/suggest?q=${encodeURIComponent(['公积', '社保', '示范', '营商'][i % 4]!)}` }));
    line(`search.api.suggest.p95[${db}]`, percentile(suggest, 95), 'ms');
    line(`search.api.mixed[${db}]`, await throughput(3000, 4, () => api([...RARE, ...COMMON][Math.floor(Math.random() * 9)]!)), 'req/s');

    // The search page over HTTP, wrk in another process, queries drawn from the relevance
    // fixture's 287 with the hot list's skew (rank r ∝ 1/r): with results kept (as served, after
    // each query was asked once) and without (every request searched and rendered).
    if (!fs.existsSync(WRK)) {
      console.log('# wrk not installed (apt-get install wrk): no search page figures');
      return;
    }
    await t.jiyue.app.listen({ port: 0, host: '127.0.0.1' });
    const base = `http://127.0.0.1:${(t.jiyue.app.server.address() as net.AddressInfo).port}`;
    const paths = RELEVANCE.map(([q]) => `/search?q=${encodeURIComponent(q)}`);
    const check = await fetch(base + paths[0]!);
    if (check.status !== 200 || !(await check.text()).includes('搜索')) throw new Error(`the search page is not served: ${check.status}`);
    for (const [name, size] of [
      ['kept', 2000],
      ['uncached', 0],
    ] as const) {
      setResultCacheSize(t.store.db, size);
      // Warm: each query asked once (what a running site has kept), then wrk's own warm-up.
      if (size > 0) for (const p of paths) await (await fetch(base + p)).text();
      await wrk(base, { connections: 16, seconds: 2, paths });
      line(`search.page.${name}[${db}]`, await wrk(base, { connections: 16, seconds: PAGE_SECONDS, paths }), 'req/s');
    }
  } finally {
    await t.close();
  }
}
