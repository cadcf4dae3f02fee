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
 * Above this many matches relevance is computed over the newest CANDIDATES of them, not all:
 * such a query consists of words most documents contain, whose weight (IDF) is close to
 * nothing, so recency decides anyway, and ranking 100,000 rows would cost ~100 ms.
 */
export const FULL_RANK_LIMIT = 5000;
export const CANDIDATES = 1500;

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
