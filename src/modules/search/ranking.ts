/**
 * How results are ordered (pure; the engines evaluate the same formula in SQL with these
 * constants as parameters, see engine/):
 *
 *   score = text relevance × authority × recency
 *
 * - text relevance: BM25 (FTS5) or ts_rank (PostgreSQL), a title hit weighing TITLE_WEIGHT
 *   times a body hit;
 * - authority: the portal's items and disclosure documents (政府信息公开) are the authoritative
 *   version of what departments repeat (AUTHORITY);
 * - recency: 1 + RECENCY_BOOST × HALF_LIFE / (HALF_LIFE + age in days): ×1.5 today, ×1.25 at
 *   three months, ×1.1 at a year — news fades, a policy stays findable.
 */

export const TITLE_WEIGHT = 8;
export const RECENCY_BOOST = 0.5;
export const RECENCY_HALF_LIFE_DAYS = 90;
export const AUTHORITY = { portal: 1.3, disclosure: 1.2 } as const;

/**
 * How far each engine counts, and when a query is "very common" (RankLimits):
 *
 * - `count`: a query matching more says "10,000+" (`total` 10000 and `totalIsLowerBound`).
 *   Nobody pages that far (50 pages at most), and counting the 90,000 matches of a word nearly
 *   every document has was half the time of such a query.
 * - `fullRank`: above this many matches relevance is computed over the newest `candidates` of
 *   them, not all: such a query consists of words most documents contain, whose weight (IDF)
 *   is close to nothing, so recency decides anyway, and ranking 100,000 rows would cost ~100 ms.
 *   How the candidates are ordered is the engine's (engine/): `candidateScore` on SQLite,
 *   where bm25() would first count every document of each word; ts_rank on PostgreSQL.
 *
 * FTS5 counts from its doclists (10,000 matches: ~1 ms). PostgreSQL reads a table page for every
 * match it counts or ranks (the GIN index holds no visibility): 2,000 keep a site-wide common
 * word within the aim on a server whose cache does not hold the whole table.
 */
export interface RankLimits {
  count: number;
  fullRank: number;
  candidates: number;
}
export const RANK_LIMITS: Readonly<Record<'fts5' | 'postgres', RankLimits>> = {
  fts5: { count: 10_000, fullRank: 5000, candidates: 1500 },
  postgres: { count: 2000, fullRank: 2000, candidates: 1500 },
};

/**
 * Score of a candidate of a very common query without text statistics: the share of the
 * query's words its title has (a title with every word weighs like TITLE_WEIGHT body hits, as in
 * BM25 and ts_rank) × authority × recency. Every candidate has every word somewhere.
 */
export function candidateScore(doc: { isPortal: boolean; type: string; day: number }, titleShare: number, today: number): number {
  return (1 + TITLE_WEIGHT * Math.min(1, Math.max(0, titleShare))) * authorityOf(doc) * recencyOf(today - doc.day);
}

export function authorityOf(doc: { isPortal: boolean; type: string }): number {
  let a = 1;
  if (doc.isPortal) a *= AUTHORITY.portal;
  if (doc.type === 'disclosure') a *= AUTHORITY.disclosure;
  return a;
}

export function recencyOf(ageDays: number): number {
  const age = Math.max(0, ageDays);
  return 1 + (RECENCY_BOOST * RECENCY_HALF_LIFE_DAYS) / (RECENCY_HALF_LIFE_DAYS + age);
}
