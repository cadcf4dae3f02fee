/**
 * PostgreSQL: a `tsv tsvector` column on search_documents, built with the `simple`
 * configuration (no stemming, no stop words: the tokens are already words, made by segment.ts)
 * from the same segmented text as FTS5 — titles weighted A, bodies D — with a GIN index.
 * Date order and date ranges use the primary key (ids are ordered by day, documents.ts).
 */
import { type RawBuilder, sql } from 'kysely';
import { type IndexedDocument, MAX_DAY, firstIdOfDay } from '../documents.js';
import { tsQuery } from '../query.js';
import { CANDIDATES, FULL_RANK_LIMIT, RECENCY_BOOST, RECENCY_HALF_LIFE_DAYS, TITLE_WEIGHT } from '../ranking.js';
import type { EngineQuery, EngineResult, SearchEngine } from './types.js';

const CHUNK = 200;
const chunks = <T>(xs: readonly T[], n = CHUNK): T[][] => Array.from({ length: Math.ceil(xs.length / n) }, (_, i) => xs.slice(i * n, i * n + n));

/** ts_rank weights {D, C, B, A}: a title (A) hit weighs TITLE_WEIGHT body (D) hits. */
const WEIGHTS = `{${(1 / TITLE_WEIGHT).toFixed(4)},0.2,0.4,1.0}`;

function score(today: number): RawBuilder<number> {
  return sql<number>`ts_rank(${WEIGHTS}::float4[], d.tsv, q.q, 1) * d.authority
    * (1.0 + ${sql.lit(RECENCY_BOOST * RECENCY_HALF_LIFE_DAYS)} / (${sql.lit(RECENCY_HALF_LIFE_DAYS)} + greatest(0, ${today}::int - d.day)))`;
}

export const postgresEngine: SearchEngine = {
  name: 'postgres',

  async insert(tx, docs) {
    const now = new Date().toISOString();
    for (const part of chunks(docs)) {
      const rows = part.map(
        (d: IndexedDocument) =>
          sql`(${d.id}, ${d.type}, ${d.sourceId}, ${d.siteId}, ${d.organisationId}, ${d.columnId}, ${d.date}, ${d.day}, ${d.title}, ${d.body}, ${d.url}, ${d.authority}, ${now},
            setweight(to_tsvector('simple', ${d.titleTokens.join(' ')}), 'A') || setweight(to_tsvector('simple', ${d.bodyTokens.join(' ')}), 'D'))`,
      );
      await sql`INSERT INTO search_documents (id, type, source_id, site_id, organisation_id, column_id, date, day, title, body, url, authority, indexed_at, tsv) VALUES ${sql.join(rows)}`.execute(tx);
      const placements = part.flatMap((d) => d.placementSiteIds.map((s) => ({ document_id: d.id, site_id: s })));
      if (placements.length > 0) await tx.insertInto('search_placements').values(placements).execute();
    }
  },

  async remove(tx, ids) {
    for (const part of chunks(ids, 1000)) {
      await tx.deleteFrom('search_placements').where('document_id', 'in', part).execute();
      await tx.deleteFrom('search_documents').where('id', 'in', part).execute();
    }
  },

  async clear(tx) {
    await tx.deleteFrom('search_placements').execute();
    await tx.deleteFrom('search_documents').execute();
  },

  async search(db, q) {
    const text = tsQuery(q.plan, { titleOnly: !!q.titleOnly, prefixLast: !!q.prefixLast });
    if (text === null) return { total: 0, ids: [] };
    const lo = q.fromDay === undefined ? 0 : firstIdOfDay(q.fromDay);
    const hi = q.toDay === undefined ? Number.MAX_SAFE_INTEGER : firstIdOfDay(Math.min(MAX_DAY, q.toDay) + 1) - 1;
    const site = q.siteId ? sql`AND (d.site_id = ${q.siteId} OR d.id IN (SELECT document_id FROM search_placements WHERE site_id = ${q.siteId}))` : sql``;
    const type = q.type ? sql`AND d.type = ${q.type}` : sql``;
    const from = sql`FROM search_documents d, to_tsquery('simple', ${text}) AS q(q) WHERE d.tsv @@ q.q AND d.id BETWEEN ${lo} AND ${hi} ${site} ${type}`;
    const total = q.noTotal ? 0 : Number((await sql<{ n: number }>`SELECT count(*) AS n ${from}`.execute(db)).rows[0]?.n ?? 0);
    let rows: { id: number }[];
    if (q.sort === 'date') {
      rows = (await sql<{ id: number }>`SELECT d.id ${from} ORDER BY d.id DESC LIMIT ${q.limit} OFFSET ${q.offset}`.execute(db)).rows;
    } else if (!q.noTotal && total <= FULL_RANK_LIMIT) {
      rows = (await sql<{ id: number }>`SELECT d.id, ${score(q.today)} AS score ${from} ORDER BY score DESC, d.id DESC LIMIT ${q.limit} OFFSET ${q.offset}`.execute(db)).rows;
    } else {
      const k = Math.max(CANDIDATES, q.offset + q.limit);
      rows = (
        await sql<{ id: number }>`SELECT c.id FROM (SELECT d.id, ${score(q.today)} AS score ${from} ORDER BY d.id DESC LIMIT ${k}) c ORDER BY c.score DESC, c.id DESC LIMIT ${q.limit} OFFSET ${q.offset}`.execute(db)
      ).rows;
    }
    return { total, ids: rows.map((r) => Number(r.id)) } satisfies EngineResult;
  },

  async optimize(db) {
    await sql`ANALYZE search_documents`.execute(db);
  },
};

export type { EngineQuery };
