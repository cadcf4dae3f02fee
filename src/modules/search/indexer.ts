/**
 * Keeping the index equal to what is public. Every write reads the database as it is when it
 * runs (so a late or repeated job writes the newest state) and replaces the documents of the
 * items concerned in one transaction: an item is either indexed as it is now, or not at all.
 */
import { sql } from 'kysely';
import type { DB, Dialect } from '../../db/index.js';
import { type Dictionary, dictionaryOf } from './dictionary.js';
import { type DocumentType, type IndexedDocument, type SourceItem, toDocument } from './documents.js';
import { engineFor } from './engine/index.js';
import { ARTICLE_BATCH, publicArticleBatch, publicArticles } from './sources/articles.js';

export interface IndexCtx {
  db: DB;
  dialect: Dialect;
  now: Date;
}

/** Serialises index writers on PostgreSQL (SQLite has one writer anyway). */
async function lockIndex(tx: DB, dialect: Dialect): Promise<void> {
  if (dialect === 'postgres') await sql`SELECT pg_advisory_xact_lock(7420505)`.execute(tx);
}

export function documentsOf(items: readonly SourceItem[], dict: Dictionary): IndexedDocument[] {
  const tokens = (t: string) => dict.segmenter.indexTokens(t);
  return items.map((it) => toDocument(it, tokens));
}

/**
 * Replaces the documents of these articles by their public state now: indexed if public,
 * removed if not (withdrawn, expired, on a closed site, deleted).
 */
export async function syncArticles(ctx: IndexCtx, ids: readonly number[]): Promise<{ indexed: number; removed: number }> {
  if (ids.length === 0) return { indexed: 0, removed: 0 };
  return replaceItems(ctx, 'article', ids, await publicArticles(ctx.db, ctx.now, { ids }));
}

/**
 * The way any source keeps its items in the index (articles now; FAQ entries, service guides and
 * letters later): the documents of `sourceIds` of `type` are replaced by `items` (those of them
 * that are public now; an id without an item is removed), in one transaction.
 */
export async function replaceItems(ctx: IndexCtx, type: DocumentType, sourceIds: readonly number[], items: readonly SourceItem[]): Promise<{ indexed: number; removed: number }> {
  const dict = await dictionaryOf(ctx.db);
  const engine = engineFor(ctx.dialect);
  const docs = documentsOf(items.filter((it) => it.type === type), dict);
  return ctx.db.transaction().execute(async (tx) => {
    await lockIndex(tx, ctx.dialect);
    const old = sourceIds.length === 0 ? [] : await tx.selectFrom('search_documents').select('id').where('type', '=', type).where('source_id', 'in', [...sourceIds]).execute();
    await engine.remove(tx, old.map((r) => Number(r.id)));
    await engine.insert(tx, docs);
    return { indexed: docs.length, removed: Math.max(0, old.length - docs.length) };
  });
}

/**
 * Re-syncs everything a site shows (its own articles and those placed in it) and everything
 * indexed under it: after its status, code or columns changed.
 */
export async function syncSite(ctx: IndexCtx, siteId: number): Promise<{ indexed: number; removed: number }> {
  const own = await ctx.db.selectFrom('articles').select('id').where('site_id', '=', siteId).execute();
  const placed = await ctx.db.selectFrom('syndications').select('article_id as id').where('site_id', '=', siteId).execute();
  const indexedHere = await ctx.db
    .selectFrom('search_documents')
    .select('source_id as id')
    .where('type', '=', 'article')
    .where((eb) => eb.or([eb('site_id', '=', siteId), eb('id', 'in', eb.selectFrom('search_placements').select('document_id').where('site_id', '=', siteId))]))
    .execute();
  const ids = [...new Set([...own, ...placed, ...indexedHere].map((r) => Number(r.id)))].sort((a, b) => a - b);
  const total = { indexed: 0, removed: 0 };
  for (let i = 0; i < ids.length; i += ARTICLE_BATCH) {
    const r = await syncArticles(ctx, ids.slice(i, i + ARTICLE_BATCH));
    total.indexed += r.indexed;
    total.removed += r.removed;
  }
  return total;
}

export interface RebuildReport {
  documents: number;
  ms: number;
}

/**
 * Rebuilds the whole index from the sources: empties it, then indexes every public item in
 * batches (one transaction each, so publishing is never blocked for long). `onProgress` gets
 * (done, total) after each batch.
 */
export async function rebuildIndex(ctx: IndexCtx, onProgress?: (done: number, total: number) => void | Promise<void>): Promise<RebuildReport> {
  const t0 = performance.now();
  const dict = await dictionaryOf(ctx.db);
  const engine = engineFor(ctx.dialect);
  const totalRow = await ctx.db
    .selectFrom('articles')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('live_version', 'is not', null)
    .executeTakeFirst();
  const total = Number(totalRow?.n ?? 0);
  await ctx.db.transaction().execute(async (tx) => {
    await lockIndex(tx, ctx.dialect);
    await engine.clear(tx);
  });
  let indexed = 0;
  let scanned = 0;
  for (let after: number | null = 0; after !== null; ) {
    const batch = await publicArticleBatch(ctx.db, ctx.now, after);
    const docs = documentsOf(batch.items, dict);
    await ctx.db.transaction().execute(async (tx) => {
      await lockIndex(tx, ctx.dialect);
      // An item published meanwhile may already be there (its event job ran): replace it.
      const ids = docs.map((d) => d.sourceId);
      if (ids.length > 0) {
        const old = await tx.selectFrom('search_documents').select('id').where('type', '=', 'article').where('source_id', 'in', ids).execute();
        await engine.remove(tx, old.map((r) => Number(r.id)));
      }
      await engine.insert(tx, docs);
    });
    indexed += docs.length;
    scanned += ARTICLE_BATCH;
    after = batch.next;
    if (onProgress) await onProgress(after === null ? total : Math.min(scanned, total), total);
  }
  await engine.optimize(ctx.db);
  return { documents: indexed, ms: performance.now() - t0 };
}
