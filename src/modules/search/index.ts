/**
 * 统一检索 (issue 5): Chinese segmentation (jieba with a government dictionary kept as data),
 * one index interface with two engines (SQLite FTS5, PostgreSQL tsvector/GIN), index updates
 * driven by the publishing events, the search API and the public search page.
 *
 * Other capabilities (FAQ, service guides, published letters) join the same index as other
 * document types: a source that yields SourceItems (documents.ts) and calls `replaceItems`
 * from its own event jobs.
 */
import type { JiyueApp } from '../../app.js';
import { queueReindex } from './commands/write.js';
import { registerSearchJobs } from './jobs.js';
import { registerSearchPage } from './page.js';
import { QueryLog } from './querylog.js';
import { searchRoutes } from './routes.js';
import { warmUp } from './segment.js';

export const name = 'search';
export { DOCUMENT_TYPES, type DocumentType, type SourceItem } from './documents.js';
export { engineFor, type SearchEngine } from './engine/index.js';
export { type RebuildReport, rebuildIndex, replaceItems, syncArticles, syncSite } from './indexer.js';
export { search, type SearchItem, type SearchResult } from './queries/search.js';
export { REINDEX_JOB } from './commands/write.js';
export { QueryLog } from './querylog.js';

const logs = new WeakMap<JiyueApp, QueryLog>();

/** The app's query log (tests flush it). */
export function queryLogOf(app: JiyueApp): QueryLog {
  const l = logs.get(app);
  if (!l) throw new Error('the search module is not registered on this app');
  return l;
}

export async function register(app: JiyueApp): Promise<void> {
  const { store, log } = app.deps;
  const queryLog = new QueryLog(store.db, (err) => log.error({ err }, 'could not write the search query log'));
  logs.set(app, queryLog);
  searchRoutes(app, queryLog);
  registerSearchPage(app, queryLog);
  registerSearchJobs(app);
  app.app.addHook('onClose', async () => {
    await queryLog.flush();
  });
  // A database with public articles but no index (first start after the demo seed, an upgrade,
  // a restored backup from before search): build it in the background.
  app.app.addHook('onReady', async () => {
    const indexed = await store.db.selectFrom('search_documents').select('id').limit(1).executeTakeFirst();
    if (indexed) return;
    const live = await store.db.selectFrom('articles').select('id').where('live_version', 'is not', null).limit(1).executeTakeFirst();
    if (live) await store.db.transaction().execute((tx) => queueReindex(tx, app.deps.clock()));
  });
  warmUp();
}
