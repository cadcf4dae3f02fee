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
import { INDEX_VERSION_KEY, indexChanged } from './queries/cache.js';
import { ARTICLE_BATCH, publicArticleBatch, publicArticles } from './sources/articles.js';
import { SegmentThread } from './segmentThread.js';
import { publicFaqItems } from './sources/faq.js';
import { bumpVersion } from './versions.js';

export interface IndexCtx {
  db: DB;
  dialect: Dialect;
  now: Date;
}

/**
 * The start of every transaction that writes the index: serialises writers on PostgreSQL (SQLite
 * has one writer anyway) and bumps the index version, which retires every process's cached
 * results (queries/cache.ts). Call `indexChanged(db)` once the transaction has committed.
 */
async function beginIndexWrite(tx: DB, dialect: Dialect): Promise<void> {
  if (dialect === 'postgres') await sql`SELECT pg_advisory_xact_lock(${INDEX_LOCK})`.execute(tx);
  await bumpVersion(tx, INDEX_VERSION_KEY, new Date());
}

const INDEX_LOCK = 7420505;

/**
 * A bulk batch (indexBatches) takes the lock shared: batches of one scan hold disjoint items and
 * may be written side by side, but never beside a writer that replaces items (which takes it
 * exclusively). They leave the version alone (one row every batch would wait on); indexBatches
 * bumps it once at the end.
 */
async function beginBulkWrite(tx: DB, dialect: Dialect): Promise<void> {
  if (dialect === 'postgres') await sql`SELECT pg_advisory_xact_lock_shared(${INDEX_LOCK})`.execute(tx);
}

/** Bulk batches written at once: PostgreSQL's to_tsvector and GIN upkeep run in each backend, on every core. */
const BULK_WRITERS: Record<Dialect, number> = { postgres: 2, sqlite: 1 };

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
  const r = await ctx.db.transaction().execute(async (tx) => {
    await beginIndexWrite(tx, ctx.dialect);
    const old = sourceIds.length === 0 ? [] : await tx.selectFrom('search_documents').select('id').where('type', '=', type).where('source_id', 'in', [...sourceIds]).execute();
    await engine.remove(tx, old.map((r) => Number(r.id)));
    await engine.insert(tx, docs);
    return { indexed: docs.length, removed: Math.max(0, old.length - docs.length) };
  });
  indexChanged(ctx.db);
  return r;
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

/** Items segmented between two turns of the event loop while a batch is written (~5 ms of work). */
const SEGMENT_SLICE = 50;

/** documentsOf, a slice at a time, letting the event loop run in between (see indexBatches). */
async function documentsInSlices(items: readonly SourceItem[], dict: Dictionary): Promise<IndexedDocument[]> {
  const out: IndexedDocument[] = [];
  for (let i = 0; i < items.length; i += SEGMENT_SLICE) {
    if (i > 0) await new Promise<void>((resolve) => setImmediate(resolve));
    out.push(...documentsOf(items.slice(i, i + SEGMENT_SLICE), dict));
  }
  return out;
}

/**
 * Bulk indexing segments in a worker thread (segmentThread.ts): better-sqlite3 writes
 * synchronously on this one, and on PostgreSQL it leaves this thread to the driver (measured at
 * 100,000 documents: 2,200–2,570 docs/s against 2,140 segmenting here between the writes). The
 * first batch at least this large starts the thread; smaller scans (a few items) stay here.
 */
export const THREAD_FROM_ITEMS = 500;

export interface BulkOptions {
  /** The number of items of each batch, once its transaction has committed. */
  onWritten?: (items: number) => void | Promise<void>;
  /** Overrides THREAD_FROM_ITEMS (tests); Infinity never starts the thread. */
  threadFrom?: number;
}

/**
 * Bulk indexing (a rebuild, the bench): writes each batch of items in one transaction, replacing
 * any document of the same items, and segments the next batches on another thread while the
 * database writes this one (on PostgreSQL two batches are written at once). Returns the number
 * of documents written.
 */
export async function indexBatches(
  ctx: Omit<IndexCtx, 'now'>,
  batches: AsyncIterable<readonly SourceItem[]> | Iterable<readonly SourceItem[]>,
  dict: Dictionary,
  opts: BulkOptions = {},
): Promise<number> {
  const engine = engineFor(ctx.dialect);
  const write = async (items: number, docs: IndexedDocument[]) => {
    await ctx.db.transaction().execute(async (tx) => {
      await beginBulkWrite(tx, ctx.dialect);
      // An item published meanwhile may already be there (its event job ran): replace it.
      for (const type of new Set(docs.map((d) => d.type))) {
        const ids = docs.filter((d) => d.type === type).map((d) => d.sourceId);
        const old = await tx.selectFrom('search_documents').select('id').where('type', '=', type).where('source_id', 'in', ids).execute();
        await engine.remove(tx, old.map((r) => Number(r.id)));
      }
      await engine.insert(tx, docs);
    });
    indexChanged(ctx.db);
    await opts.onWritten?.(items);
  };
  const threadFrom = opts.threadFrom ?? THREAD_FROM_ITEMS;
  let thread: SegmentThread | undefined;
  const segment = (items: readonly SourceItem[]): Promise<IndexedDocument[]> => {
    if (thread) return thread.documents(items);
    // This batch is segmented here while the thread starts; the next ones go to it.
    if (items.length >= threadFrom) thread = new SegmentThread(dict.segmenter.words);
    return documentsInSlices(items, dict);
  };
  const writing: Promise<void>[] = [];
  let failed: { err: unknown } | undefined;
  let written = 0;
  const writeWhenSegmented = async (items: number, segmented: Promise<IndexedDocument[]>) => {
    const docs = await segmented;
    while (writing.length >= BULK_WRITERS[ctx.dialect]) await writing.shift();
    if (failed) throw failed.err;
    written += docs.length;
    // Not awaited here: the next batches are read and segmented meanwhile. A failure is kept and
    // thrown at the next turn (never left as an unhandled rejection).
    writing.push(
      write(items, docs).catch((err: unknown) => {
        failed ??= { err };
      }),
    );
  };
  // One batch is always asked to be segmented ahead of the one being handed to the writers, so
  // the segmenting thread never waits for this one to read the source.
  let ahead: { items: number; docs: Promise<IndexedDocument[]> } | undefined;
  try {
    for await (const items of batches) {
      const docs = segment(items);
      docs.catch(() => undefined); // awaited below; handled even if it fails before
      if (ahead) await writeWhenSegmented(ahead.items, ahead.docs);
      ahead = { items: items.length, docs };
    }
    if (ahead) await writeWhenSegmented(ahead.items, ahead.docs);
  } finally {
    await Promise.all(writing);
    await thread?.close();
    // Other processes drop their kept results (this one did after each batch).
    await ctx.db.transaction().execute((tx) => bumpVersion(tx, INDEX_VERSION_KEY, new Date()));
  }
  if (failed) throw failed.err;
  return written;
}

/** Every public item of every source, in batches: what a rebuild indexes. */
async function* everyPublicItem(ctx: IndexCtx): AsyncGenerator<SourceItem[]> {
  for (let after: number | null = 0; after !== null; ) {
    const batch = await publicArticleBatch(ctx.db, ctx.now, after);
    yield batch.items;
    after = batch.next;
  }
  const faqs = await publicFaqItems(ctx.db, ctx.now, 'all');
  for (let i = 0; i < faqs.length; i += ARTICLE_BATCH) yield faqs.slice(i, i + ARTICLE_BATCH);
}

/**
 * Rebuilds the whole index from the sources (articles, FAQ entries): empties it, then indexes
 * every public item in batches (one transaction each, so publishing is never blocked for long).
 * `onProgress` gets (done, total) after each batch.
 */
export async function rebuildIndex(ctx: IndexCtx, onProgress?: (done: number, total: number) => void | Promise<void>): Promise<RebuildReport> {
  const t0 = performance.now();
  const dict = await dictionaryOf(ctx.db);
  const engine = engineFor(ctx.dialect);
  const count = async (table: 'articles' | 'faq_entries') =>
    Number(
      (
        await ctx.db
          .selectFrom(table)
          .select((eb) => eb.fn.countAll<number>().as('n'))
          .where('live_version', 'is not', null)
          .executeTakeFirst()
      )?.n ?? 0,
    );
  const total = (await count('articles')) + (await count('faq_entries'));
  await ctx.db.transaction().execute(async (tx) => {
    await beginIndexWrite(tx, ctx.dialect);
    await engine.clear(tx);
  });
  indexChanged(ctx.db);
  // Progress counts the public items written; live articles on a closed site are never public,
  // so the last report says done.
  let done = 0;
  const documents = await indexBatches(ctx, everyPublicItem(ctx), dict, {
    onWritten: async (items) => {
      done += items;
      if (onProgress) await onProgress(Math.min(done, total), total);
    },
  });
  if (onProgress) await onProgress(total, total);
  await engine.optimize(ctx.db);
  return { documents, ms: performance.now() - t0 };
}
