/**
 * Index updates in the same flow as publishing: the events the publisher reacts to
 * (PUBLISHING_EVENTS) are fanned out after commit to `search.on.<event>` jobs too, whose handlers
 * re-read the items concerned and replace their documents — publish → indexed, withdraw or
 * expiry → removed, a moved column or a renamed or closed site → its documents re-synced.
 *
 *   search.on.<event>   one per event that can change what is public
 *   search.reindex      rebuild everything (dictionary changed, an administrator asked, first start)
 *   search.prune_log    daily: query-log lines older than LOG_DAYS go
 */
import type { JiyueApp } from '../../app.js';
import { PUBLISHING_EVENTS } from '../publishing/build/index.js';
import { REINDEX_JOB } from './commands/write.js';
import { rebuildIndex, syncArticles, syncSite } from './indexer.js';

export const searchEventJob = (event: string): string => `search.on.${event}`;
export const PRUNE_LOG_JOB = 'search.prune_log';
export const LOG_DAYS = 180;
/** Template changes do not change what is said. */
export const SEARCH_EVENTS = PUBLISHING_EVENTS.filter((e) => e !== 'template.changed');

const num = (v: unknown): number | null => (typeof v === 'number' && Number.isInteger(v) && v > 0 ? v : null);

export function registerSearchJobs(app: JiyueApp): void {
  for (const event of SEARCH_EVENTS) {
    const type = searchEventJob(event);
    app.jobs.handle(type, async (payload, jc) => {
      const p = payload && typeof payload === 'object' ? (payload as Record<string, unknown>) : {};
      const ctx = { db: jc.store.db, dialect: jc.store.dialect, now: jc.now() };
      let r = { indexed: 0, removed: 0 };
      if (event.startsWith('article.')) {
        const id = num(p.id);
        if (id) r = await syncArticles(ctx, [id]);
      } else if (event.startsWith('syndication.')) {
        const id = num(p.articleId);
        if (id) r = await syncArticles(ctx, [id]);
      } else {
        // site.updated, column.*: addresses (and for a site its status) may have changed.
        const siteId = num(p.siteId);
        if (siteId) r = await syncSite(ctx, siteId);
      }
      jc.log.debug({ event, ...r }, 'search index updated');
    });
    app.jobs.subscribe(event, type);
  }
  app.jobs.handle(REINDEX_JOB, async (_payload, jc) => {
    const r = await rebuildIndex({ db: jc.store.db, dialect: jc.store.dialect, now: jc.now() }, (done, total) => jc.progress(done, total, 'search reindex'));
    jc.log.info({ documents: r.documents, ms: Math.round(r.ms) }, 'search index rebuilt');
  });
  app.jobs.handle(PRUNE_LOG_JOB, async (_payload, jc) => {
    const before = new Date(jc.now().getTime() - LOG_DAYS * 86_400_000).toISOString();
    await jc.store.db.deleteFrom('search_query_log').where('at', '<', before).execute();
  });
  app.jobs.every(PRUNE_LOG_JOB, 86_400);
}
