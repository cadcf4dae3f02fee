/**
 * SQLite FTS5 over the segmented text: `search_fts(title, body, facets)`, contentless (the text
 * is in search_documents) with contentless_delete, tokenizer unicode61 — which only has to split
 * at the spaces segment.ts put between tokens. The rowid is the document id (documents.ts), so
 * date order, date ranges and the ranking boosts come from the index itself; site and type
 * filters are facet tokens in their own column (weight 0 in BM25).
 */
import { type RawBuilder, sql } from 'kysely';
import { MAX_DAY, firstIdOfDay, siteFacet, typeFacet } from '../documents.js';
import { fts5Match } from '../query.js';
import type { DB } from '../../../db/index.js';
import { AUTHORITY, RANK_LIMITS, RECENCY_BOOST, RECENCY_HALF_LIFE_DAYS, TITLE_WEIGHT } from '../ranking.js';
import { candidateCount, countCap, limitsOf, rankCandidates, strategyOf, totalOf } from './strategy.js';
import type { EngineQuery, EngineResult, SearchEngine } from './types.js';

const CHUNK = 200;

/**
 * A rowid as an SQL integer: better-sqlite3 binds a JavaScript number as a REAL, and FTS5 does
 * not seek its doclists to a REAL rowid bound — it reads them from the start (3.6 ms instead of
 * 0.05 ms for a title match within the newest candidates of a common word).
 */
const int = (n: number): bigint => BigInt(n);
const chunks = <T>(xs: readonly T[], n = CHUNK): T[][] => Array.from({ length: Math.ceil(xs.length / n) }, (_, i) => xs.slice(i * n, i * n + n));

function score(today: number): RawBuilder<number> {
  return sql<number>`(-bm25(search_fts, ${sql.lit(TITLE_WEIGHT)}, 1.0, 0.0))
    * (CASE WHEN ((rowid >> 34) & 1) = 1 THEN ${sql.lit(AUTHORITY.portal)} ELSE 1.0 END)
    * (CASE WHEN ((rowid >> 31) & 7) = 1 THEN ${sql.lit(AUTHORITY.disclosure)} ELSE 1.0 END)
    * (1.0 + ${sql.lit(RECENCY_BOOST * RECENCY_HALF_LIFE_DAYS)} / (${sql.lit(RECENCY_HALF_LIFE_DAYS)} + max(0, ${today} - (rowid >> 35))))`;
}

export const sqliteEngine: SearchEngine = {
  name: 'fts5',

  async insert(tx, docs) {
    for (const part of chunks(docs)) {
      await tx
        .insertInto('search_documents')
        .values(
          part.map((d) => ({
            id: d.id,
            type: d.type,
            source_id: d.sourceId,
            site_id: d.siteId,
            organisation_id: d.organisationId,
            column_id: d.columnId,
            date: d.date,
            day: d.day,
            title: d.title,
            body: d.body,
            url: d.url,
            authority: d.authority,
            indexed_at: new Date().toISOString(),
          })),
        )
        .execute();
      const rows = part.map((d) => sql`(${int(d.id)}, ${d.titleText}, ${d.bodyText}, ${d.facets.join(' ')})`);
      await sql`INSERT INTO search_fts (rowid, title, body, facets) VALUES ${sql.join(rows)}`.execute(tx);
      const placements = part.flatMap((d) => d.placementSiteIds.map((s) => ({ document_id: d.id, site_id: s })));
      if (placements.length > 0) await tx.insertInto('search_placements').values(placements).execute();
    }
  },

  async remove(tx, ids) {
    for (const part of chunks(ids, 500)) {
      await sql`DELETE FROM search_fts WHERE rowid IN (${sql.join(part.map(int))})`.execute(tx);
      await tx.deleteFrom('search_placements').where('document_id', 'in', part).execute();
      await tx.deleteFrom('search_documents').where('id', 'in', part).execute();
    }
  },

  async clear(tx) {
    await sql`INSERT INTO search_fts (search_fts) VALUES ('delete-all')`.execute(tx);
    await tx.deleteFrom('search_placements').execute();
    await tx.deleteFrom('search_documents').execute();
  },

  async search(db, query) {
    const q = { ...query, limits: query.limits ?? RANK_LIMITS.fts5 };
    const facets = [...(q.siteId ? [siteFacet(q.siteId)] : []), ...(q.type ? [typeFacet(q.type)] : [])];
    const match = fts5Match(q.plan, { facets, titleOnly: !!q.titleOnly, prefixLast: !!q.prefixLast });
    if (match === null) return { total: 0, totalIsLowerBound: false, ids: [] };
    const lo = q.fromDay === undefined ? 0 : firstIdOfDay(q.fromDay);
    const hi = q.toDay === undefined ? Number.MAX_SAFE_INTEGER : firstIdOfDay(Math.min(MAX_DAY, q.toDay) + 1) - 1;
    const where = sql`search_fts MATCH ${match} AND rowid BETWEEN ${int(lo)} AND ${int(hi)}`;
    const counted = q.noTotal ? null : Number((await sql<{ n: number }>`SELECT count(*) AS n FROM (SELECT 1 FROM search_fts WHERE ${where} LIMIT ${countCap(q)})`.execute(db)).rows[0]?.n ?? 0);
    const total = totalOf(q, counted);
    if (counted === 0) return { ...total, ids: [] };
    let strategy = strategyOf(q, counted);
    // bm25() costs what the words' documents number, not the matches: common words within a
    // site or a period are ranked as they are in the whole index.
    const filtered = facets.length > 0 || q.fromDay !== undefined || q.toDay !== undefined;
    if (strategy === 'full' && filtered) {
      const words = fts5Match(q.plan, { titleOnly: !!q.titleOnly, prefixLast: !!q.prefixLast });
      const cap = limitsOf(q).fullRank + 1;
      const everywhere = Number((await sql<{ n: number }>`SELECT count(*) AS n FROM (SELECT 1 FROM search_fts WHERE search_fts MATCH ${words} LIMIT ${cap})`.execute(db)).rows[0]?.n ?? 0);
      if (everywhere >= cap) strategy = 'candidates';
    }
    let ids: number[];
    switch (strategy) {
      case 'date':
        ids = await idsOf(db, sql`SELECT rowid AS id FROM search_fts WHERE ${where} ORDER BY rowid DESC LIMIT ${q.limit} OFFSET ${q.offset}`);
        break;
      case 'full':
        ids = await idsOf(db, sql`SELECT rowid AS id, ${score(q.today)} AS score FROM search_fts WHERE ${where} ORDER BY score DESC, rowid DESC LIMIT ${q.limit} OFFSET ${q.offset}`);
        break;
      case 'candidates':
        ids = await rankNewest(db, q, where);
        break;
    }
    return { ...total, ids } satisfies EngineResult;
  },

  async optimize(db) {
    await sql`INSERT INTO search_fts (search_fts) VALUES ('optimize')`.execute(db);
  },
};

async function idsOf(db: DB, query: RawBuilder<{ id: number }>): Promise<number[]> {
  return (await query.execute(db)).rows.map((r) => Number(r.id));
}

/**
 * A very common query without bm25(), which counts every document of each of its words on every
 * query (~4 ms a word at 100,000 documents, whatever the LIMIT): its newest candidates straight
 * from the doclists, with their titles, scored by strategy.ts.
 */
async function rankNewest(db: DB, q: EngineQuery, where: RawBuilder<unknown>): Promise<number[]> {
  const newest = sql<{ id: number }>`SELECT rowid AS id FROM search_fts WHERE ${where} ORDER BY rowid DESC LIMIT ${candidateCount(q)}`;
  if (q.titleOnly) return rankCandidates((await idsOf(db, newest)).map((id) => ({ id, title: null })), q);
  const rows = (await sql<{ id: number; title: string }>`SELECT d.id, d.title FROM (${newest}) c JOIN search_documents d ON d.id = c.id`.execute(db)).rows;
  return rankCandidates(rows.map((r) => ({ id: Number(r.id), title: r.title })), q);
}

export type { EngineQuery };
