/**
 * Scheduled publication and expiry. Each handler re-reads the article when it runs and does
 * nothing if the job no longer applies (rescheduled, edited, withdrawn …): jobs may be stale or
 * run twice, the result is the same.
 */
import type { Store } from '../../db/index.js';
import { iso } from '../../lib/time.js';
import { audit, systemActor } from '../accounts/index.js';
import type { JobRegistry } from '../jobs/index.js';
import { transition } from './lifecycle.js';
import { afterOffline, goLive } from './publication.js';
import { EXPIRE_JOB, type OpCtx, PUBLISH_JOB, auditView, findArticle, readVersion, saveState, stateOf } from './store.js';

const jobCtx = (store: Store, now: Date): OpCtx => ({ actor: systemActor('scheduler'), ip: null, now, dialect: store.dialect });

const articleIdOf = (payload: unknown): number | null => {
  const id = (payload as { articleId?: unknown } | null)?.articleId;
  return typeof id === 'number' && Number.isInteger(id) && id > 0 ? id : null;
};

/** content.publish_due {articleId}: an approved article whose publication time has come goes live. */
export async function publishDue(store: Store, now: Date, payload: unknown): Promise<'published' | 'skipped'> {
  const id = articleIdOf(payload);
  if (id === null) return 'skipped';
  const ctx = jobCtx(store, now);
  return store.db.transaction().execute(async (tx) => {
    const a = await findArticle(tx, id);
    if (!a || !a.publish_at || a.publish_at > iso(now)) return 'skipped';
    if (!transition(stateOf(a), { type: 'publish' }, { now, levels: 0 }).ok) return 'skipped';
    await goLive(tx, ctx, a);
    return 'published';
  });
}

/**
 * content.expire_due {articleId}: the public copy goes offline when the expiry time of the live
 * version has come (a later draft's different expiry counts only once it is published).
 */
export async function expireDue(store: Store, now: Date, payload: unknown): Promise<'expired' | 'skipped'> {
  const id = articleIdOf(payload);
  if (id === null) return 'skipped';
  const ctx = jobCtx(store, now);
  return store.db.transaction().execute(async (tx) => {
    const a = await findArticle(tx, id);
    if (!a || a.live_version === null) return 'skipped';
    const live = await readVersion(tx, a.id, a.live_version);
    const expiresAt = live?.fields.expiresAt ?? a.expires_at;
    if (!expiresAt || expiresAt > iso(now)) return 'skipped';
    const next = transition(stateOf(a), { type: 'expire' }, { now, levels: 0 });
    if (!next.ok) return 'skipped';
    const r = await saveState(tx, a, next.value, { now, by: null });
    if (!r) return 'skipped';
    await afterOffline(tx, ctx, r, 'article.expired');
    await audit.record(tx, ctx, 'article.expire', { type: 'article', id: r.id, siteId: r.site_id }, auditView(a), auditView(r));
    return 'expired';
  });
}

export function registerJobs(jobs: JobRegistry): void {
  jobs.handle(PUBLISH_JOB, async (payload, jc) => {
    const outcome = await publishDue(jc.store, jc.now(), payload);
    jc.log.info({ articleId: articleIdOf(payload), outcome }, 'scheduled publication');
  });
  jobs.handle(EXPIRE_JOB, async (payload, jc) => {
    const outcome = await expireDue(jc.store, jc.now(), payload);
    jc.log.info({ articleId: articleIdOf(payload), outcome }, 'expiry');
  });
}
