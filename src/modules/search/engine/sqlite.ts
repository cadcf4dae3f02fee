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
import { AUTHORITY, CANDIDATES, FULL_RANK_LIMIT, RECENCY_BOOST, RECENCY_HALF_LIFE_DAYS, TITLE_WEIGHT } from '../ranking.js';
import type { EngineQuery, EngineResult, SearchEngine } from './types.js';

const CHUNK = 200;
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
      const rows = part.map((d) => sql`(${d.id}, ${d.titleTokens.join(' ')}, ${d.bodyTokens.join(' ')}, ${d.facets.join(' ')})`);
      await sql`INSERT INTO search_fts (rowid, title, body, facets) VALUES ${sql.join(rows)}`.execute(tx);
      const placements = part.flatMap((d) => d.placementSiteIds.map((s) => ({ document_id: d.id, site_id: s })));
      if (placements.length > 0) await tx.insertInto('search_placements').values(placements).execute();
    }
  },

  async remove(tx, ids) {
    for (const part of chunks(ids, 500)) {
      await sql`DELETE FROM search_fts WHERE rowid IN (${sql.join(part)})`.execute(tx);
      await tx.deleteFrom('search_placements').where('document_id', 'in', part).execute();
      await tx.deleteFrom('search_documents').where('id', 'in', part).execute();
    }
  },

  async clear(tx) {
    await sql`INSERT INTO search_fts (search_fts) VALUES ('delete-all')`.execute(tx);
    await tx.deleteFrom('search_placements').execute();
    await tx.deleteFrom('search_documents').execute();
  },

  async search(db, q) {
    const facets = [...(q.siteId ? [siteFacet(q.siteId)] : []), ...(q.type ? [typeFacet(q.type)] : [])];
    const match = fts5Match(q.plan, { facets, titleOnly: !!q.titleOnly, prefixLast: !!q.prefixLast });
    if (match === null) return { total: 0, ids: [] };
    const lo = q.fromDay === undefined ? 0 : firstIdOfDay(q.fromDay);
    const hi = q.toDay === undefined ? Number.MAX_SAFE_INTEGER : firstIdOfDay(Math.min(MAX_DAY, q.toDay) + 1) - 1;
    const where = sql`search_fts MATCH ${match} AND rowid BETWEEN ${lo} AND ${hi}`;
    const total = q.noTotal ? 0 : Number((await sql<{ n: number }>`SELECT count(*) AS n FROM search_fts WHERE ${where}`.execute(db)).rows[0]?.n ?? 0);
    let rows: { id: number }[];
    if (q.sort === 'date') {
      rows = (await sql<{ id: number }>`SELECT rowid AS id FROM search_fts WHERE ${where} ORDER BY rowid DESC LIMIT ${q.limit} OFFSET ${q.offset}`.execute(db)).rows;
    } else if (!q.noTotal && total <= FULL_RANK_LIMIT) {
      rows = (await sql<{ id: number }>`SELECT rowid AS id, ${score(q.today)} AS score FROM search_fts WHERE ${where} ORDER BY score DESC, rowid DESC LIMIT ${q.limit} OFFSET ${q.offset}`.execute(db)).rows;
    } else {
      // Very common words: rank the newest candidates (ranking.ts, FULL_RANK_LIMIT).
      const k = Math.max(CANDIDATES, q.offset + q.limit);
      rows = (
        await sql<{ id: number }>`SELECT id FROM (SELECT rowid AS id, ${score(q.today)} AS score FROM search_fts WHERE ${where} ORDER BY rowid DESC LIMIT ${k}) ORDER BY score DESC, id DESC LIMIT ${q.limit} OFFSET ${q.offset}`.execute(db)
      ).rows;
    }
    return { total, ids: rows.map((r) => Number(r.id)) } satisfies EngineResult;
  },

  async optimize(db) {
    await sql`INSERT INTO search_fts (search_fts) VALUES ('optimize')`.execute(db);
  },
};

export type { EngineQuery };
