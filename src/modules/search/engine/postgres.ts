/**
 * PostgreSQL: a `tsv tsvector` column on search_documents, built with the `simple`
 * configuration (no stemming, no stop words: the tokens are already words, made by segment.ts)
 * from the same segmented text as FTS5 — titles weighted A, bodies D — with a GIN index.
 * Date order and date ranges use the primary key (ids are ordered by day, documents.ts).
 */
import { type RawBuilder, sql } from 'kysely';
import { type IndexedDocument, MAX_DAY, firstIdOfDay } from '../documents.js';
import { tsQuery } from '../query.js';
import type { DB } from '../../../db/index.js';
import { RANK_LIMITS, RECENCY_BOOST, RECENCY_HALF_LIFE_DAYS, TITLE_WEIGHT } from '../ranking.js';
import { candidateCount, countCap, limitsOf, strategyOf, totalOf } from './strategy.js';
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
            setweight(to_tsvector('simple', ${d.titleText}), 'A') || setweight(to_tsvector('simple', ${d.bodyText}), 'D'))`,
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

  async search(db, query) {
    const q = { ...query, limits: query.limits ?? RANK_LIMITS.postgres };
    const text = tsQuery(q.plan, { titleOnly: !!q.titleOnly, prefixLast: !!q.prefixLast });
    if (text === null) return { total: 0, totalIsLowerBound: false, ids: [] };
    let lo = q.fromDay === undefined ? 0 : firstIdOfDay(q.fromDay);
    const hi = q.toDay === undefined ? Number.MAX_SAFE_INTEGER : firstIdOfDay(Math.min(MAX_DAY, q.toDay) + 1) - 1;
    // Suggestions look through the newest documents only (see SUGGEST_WINDOW).
    if (q.noTotal) lo = await windowStart(db, q.siteId, lo, hi);
    const parts = branches(q, text, lo, hi);
    const cap = countCap(q);
    const counts = parts.map((from) => sql<number>`(SELECT count(*) FROM (SELECT 1 ${from} LIMIT ${cap}) c)`);
    const counted = Number((await sql<{ n: number }>`SELECT ${sql.join(counts, sql` + `)} AS n`.execute(db)).rows[0]?.n ?? 0);
    const total = totalOf(q, counted);
    if (counted === 0) return { ...total, ids: [] };
    let ids: number[];
    switch (strategyOf(q, counted)) {
      case 'date': {
        const order = (await walkIdIndex(db, q.offset + q.limit, counted, cap)) ? sql`d.id` : sql`d.id + 0`;
        ids = await newest(db, parts, order, q.offset, q.limit);
        break;
      }
      case 'full':
        ids = await best(db, parts.map((from) => sql`SELECT d.id, ${score(q.today)} AS score ${from}`), q.offset, q.limit);
        break;
      case 'candidates': {
        // Very common words: ts_rank over the newest candidates, then older matches newest first (strategy.ts).
        const n = candidateCount(q);
        const order = (await walkIdIndex(db, n, counted, cap)) ? sql`d.id` : sql`d.id + 0`;
        const each = parts.map((from) => sql`(SELECT d.id, ${score(q.today)} AS score ${from} ORDER BY ${order} DESC LIMIT ${n})`);
        const rows = (
          await sql<{ id: number }>`SELECT c.id FROM (SELECT u.id, u.score, row_number() OVER (ORDER BY u.id DESC) AS i FROM (${sql.join(each, sql` UNION ALL `)}) u ORDER BY u.id DESC LIMIT ${n}) c
            ORDER BY (c.i <= ${limitsOf(q).candidates}) DESC, CASE WHEN c.i <= ${limitsOf(q).candidates} THEN c.score END DESC, c.id DESC LIMIT ${q.limit} OFFSET ${q.offset}`.execute(db)
        ).rows;
        ids = rows.map((r) => Number(r.id));
        break;
      }
    }
    return { ...total, ids } satisfies EngineResult;
  },

  async optimize(db) {
    // New GIN entries wait in a pending list (fast update) until it outgrows 4 MB; merge the rest.
    await sql`SELECT gin_clean_pending_list('search_documents_tsv_idx')`.execute(db);
    await sql`ANALYZE search_documents`.execute(db);
  },
};

/**
 * The FROM … WHERE of a search, one per part of its scope: every document, or a site's own
 * documents and those placed in it (disjoint sets, documents.ts). Each part is queried on its
 * own, so each is read through its own index — (site_id, id) for the site's documents; written
 * as one `site_id = … OR id IN (placements)`, the planner can use no index for the site and
 * reads the whole table (300 ms at 100,000 documents).
 */
function branches(q: EngineQuery, text: string, lo: number, hi: number): RawBuilder<unknown>[] {
  const match = sql`to_tsquery('simple', ${text}) AS q(q)`;
  const where = sql`d.tsv @@ q.q AND d.id BETWEEN ${lo} AND ${hi} ${q.type ? sql`AND d.type = ${q.type}` : sql``}`;
  if (!q.siteId) return [sql`FROM search_documents d, ${match} WHERE ${where}`];
  return [
    sql`FROM search_documents d, ${match} WHERE d.site_id = ${q.siteId} AND ${where}`,
    sql`FROM search_placements p JOIN search_documents d ON d.id = p.document_id, ${match} WHERE p.site_id = ${q.siteId} AND ${where}`,
  ];
}

/** The ids of the `limit` best-scored rows after `offset` over the parts (`SELECT d.id, … AS score`). */
async function best(db: DB, parts: RawBuilder<unknown>[], offset: number, limit: number): Promise<number[]> {
  const each = parts.map((p) => sql`(${p} ORDER BY score DESC, id DESC LIMIT ${offset + limit})`);
  const rows = (await sql<{ id: number }>`SELECT u.id FROM (${sql.join(each, sql` UNION ALL `)}) u ORDER BY u.score DESC, u.id DESC LIMIT ${limit} OFFSET ${offset}`.execute(db)).rows;
  return rows.map((r) => Number(r.id));
}

/** The ids of the newest matches over the parts, `order` choosing how each part reads them (walkIdIndex). */
async function newest(db: DB, parts: RawBuilder<unknown>[], order: RawBuilder<unknown>, offset: number, limit: number): Promise<number[]> {
  const each = parts.map((from) => sql`(SELECT d.id ${from} ORDER BY ${order} DESC LIMIT ${offset + limit})`);
  const rows = (await sql<{ id: number }>`SELECT u.id FROM (${sql.join(each, sql` UNION ALL `)}) u ORDER BY u.id DESC LIMIT ${limit} OFFSET ${offset}`.execute(db)).rows;
  return rows.map((r) => Number(r.id));
}

/**
 * Suggestions (title prefixes, `noTotal`) look through the newest SUGGEST_WINDOW documents of the
 * scope only: the index holds words, not titles, so a title-only prefix is rechecked document by
 * document, and a prefix no title has would otherwise be tested against every document.
 */
export const SUGGEST_WINDOW = 10_000;

async function windowStart(db: DB, siteId: number | undefined, lo: number, hi: number): Promise<number> {
  const site = siteId ? sql`AND site_id = ${siteId}` : sql``;
  const row = (await sql<{ id: number }>`SELECT id FROM search_documents WHERE id BETWEEN ${lo} AND ${hi} ${site} ORDER BY id DESC OFFSET ${SUGGEST_WINDOW - 1} LIMIT 1`.execute(db)).rows[0];
  return row ? Math.max(lo, Number(row.id)) : lo;
}

/**
 * Whether the newest `need` matches are best read by walking the primary key backwards and
 * testing each document (`ORDER BY d.id`: about need × documents / matches rows), or by
 * collecting every match through the GIN index and sorting (`ORDER BY d.id + 0`, which the
 * primary key cannot serve: about `matches` rows). The planner's own guess is poor for weighted
 * and prefix queries (suggestions), where walking a word few titles have reads the whole table.
 * A capped count means at least `cap` matches: walking is bounded, collecting may not be.
 */
async function walkIdIndex(db: DB, need: number, counted: number, cap: number): Promise<boolean> {
  if (counted >= cap) return true;
  return need * (await documentCount(db)) < counted * counted;
}

const DOCUMENT_COUNT_TTL_MS = 60_000;
const documentCounts = new WeakMap<DB, { n: number; at: number }>();

/** About how many documents the index holds: the planner's statistics, re-read every minute. */
async function documentCount(db: DB): Promise<number> {
  const c = documentCounts.get(db);
  if (c && Date.now() - c.at < DOCUMENT_COUNT_TTL_MS) return c.n;
  const row = (await sql<{ n: number }>`SELECT reltuples AS n FROM pg_class WHERE oid = 'search_documents'::regclass`.execute(db)).rows[0];
  let n = Number(row?.n ?? -1);
  // Never analysed yet (a new index): count.
  if (n < 0) n = Number((await sql<{ n: number }>`SELECT count(*) AS n FROM search_documents`.execute(db)).rows[0]?.n ?? 0);
  documentCounts.set(db, { n, at: Date.now() });
  return n;
}

export type { EngineQuery };
