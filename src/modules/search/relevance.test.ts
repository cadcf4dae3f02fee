/**
 * Relevance on the real demo data (src/seed/): RELEVANCE's queries, each with the articles a
 * person would expect in the first five results. Measures
 *
 * - precision@5: of the expected articles (at most five), the share found in the top 5, averaged;
 * - strict P@5: expected articles in the top 5 divided by 5 (low by nature: most queries expect one or two);
 * - MRR: the mean of 1 / rank of the first expected article in the top 10 (0 when absent).
 *
 * prints them, and keeps them above a floor a little below what the engine reaches.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type TestApp, DIALECT, anonymousClient } from '../../../test/helpers.js';
import { RELEVANCE } from './relevance.fixture.js';
import { demoApp } from './testing.js';

/**
 * A little below what each engine reaches (2026-12-03: SQLite 0.960 / 0.944, PostgreSQL 0.940 /
 * 0.915). Until then a rebuild left the FAQ entries out of the index, and the figures (0.972 /
 * 0.953, 0.953 / 0.928) were over articles alone; with the 95 entries in, short questions
 * compete with articles, most visibly under PostgreSQL's ts_rank.
 */
const FLOOR = DIALECT === 'postgres' ? { precisionAt5: 0.93, mrr: 0.9 } : { precisionAt5: 0.95, mrr: 0.93 };

let t: TestApp;
let titles: { id: number; title: string }[];
beforeAll(async () => {
  t = await demoApp();
  titles = (await t.store.db.selectFrom('search_documents').select(['id', 'title']).execute()).map((r) => ({ id: Number(r.id), title: r.title }));
}, 180_000);
afterAll(() => t?.close());

describe('relevance on the demo cluster', () => {
  it('has at least 200 queries, each naming articles that exist exactly once in the index', () => {
    expect(RELEVANCE.length).toBeGreaterThanOrEqual(200);
    const problems: string[] = [];
    for (const [q, expected] of RELEVANCE) {
      if (expected.length === 0) problems.push(`${q}: no expected article`);
      for (const e of expected) {
        const n = titles.filter((d) => d.title.includes(e)).length;
        if (n !== 1) problems.push(`${q}: “${e}” matches ${n} articles`);
      }
    }
    expect(problems).toEqual([]);
  });

  it('finds what people expect: precision@5 and MRR above their floors', async () => {
    const c = anonymousClient(t);
    let p5 = 0;
    let strict = 0;
    let rr = 0;
    const misses: string[] = [];
    for (const [q, expected] of RELEVANCE) {
      const res = await c.get(`/api/v1/search?q=${encodeURIComponent(q)}&pageSize=10`);
      expect(res.status).toBe(200);
      const got: string[] = res.body.items.map((i: { title: string }) => i.title);
      const rankOf = (e: string) => got.findIndex((g) => g.includes(e));
      const inTop5 = expected.filter((e) => {
        const r = rankOf(e);
        return r >= 0 && r < 5;
      }).length;
      p5 += inTop5 / Math.min(5, expected.length);
      strict += inTop5 / 5;
      const ranks = expected.map(rankOf).filter((r) => r >= 0);
      const first = ranks.length ? Math.min(...ranks) : -1;
      rr += first >= 0 ? 1 / (first + 1) : 0;
      if (inTop5 < Math.min(5, expected.length)) misses.push(`${q} → ${inTop5}/${Math.min(5, expected.length)} [${got.slice(0, 5).join(' | ')}]`);
    }
    const n = RELEVANCE.length;
    const report = { queries: n, precisionAt5: p5 / n, strictP5: strict / n, mrr: rr / n };
    process.stdout.write(`search relevance [${DIALECT}]: queries ${n}, precision@5 ${report.precisionAt5.toFixed(3)}, strict P@5 ${report.strictP5.toFixed(3)}, MRR ${report.mrr.toFixed(3)}\n`);
    if (process.env.SEARCH_RELEVANCE_MISSES) process.stdout.write(misses.join('\n') + '\n');
    expect(report.precisionAt5).toBeGreaterThanOrEqual(FLOOR.precisionAt5);
    expect(report.mrr).toBeGreaterThanOrEqual(FLOOR.mrr);
  }, 120_000);
});
