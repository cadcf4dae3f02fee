/**
 * The module's jobs. Each handler re-reads what it acts on when it runs and does nothing when
 * the job no longer applies (edited, withdrawn, rescheduled …): jobs may be late or run twice.
 *
 *   interaction.faq_publish_due {entryId}   an approved entry whose effective date has come goes public
 *   interaction.faq_expire_due {entryId}    a public entry whose expiry (of its live version) has come goes offline
 *   interaction.faq_index {id?, siteId?}    faq.published / faq.withdrawn / faq.expired and site.updated:
 *                                           the entry's (or the site's) search documents follow what is public
 */
import type { JiyueApp } from '../../app.js';
import type { Store } from '../../db/index.js';
import { iso } from '../../lib/time.js';
import { audit, systemActor } from '../accounts/index.js';
import { replaceItems } from '../search/index.js';
import { publicFaqItems } from '../search/sources/faq.js';
import { faqTransition } from './faq/lifecycle.js';
import { afterOffline, goLive } from './faq/publication.js';
import { FAQ_EXPIRE_JOB, FAQ_PUBLISH_JOB, type OpCtx, bumpKnowledgeVersion, faqAuditView, faqStateOf, faqTarget, findFaq, readFaqVersion, saveFaqState } from './faq/store.js';
import { forgetKnowledge } from './qa/knowledge.js';

export const FAQ_INDEX_JOB = 'interaction.faq_index';
const INDEX_EVENTS = ['faq.published', 'faq.withdrawn', 'faq.expired', 'site.updated'] as const;

const jobCtx = (store: Store, now: Date): OpCtx => ({ actor: systemActor('scheduler'), ip: null, now, dialect: store.dialect });

const idOf = (payload: unknown, key: string): number | null => {
  const v = (payload as Record<string, unknown> | null)?.[key];
  return typeof v === 'number' && Number.isInteger(v) && v > 0 ? v : null;
};

export async function publishDue(store: Store, now: Date, payload: unknown): Promise<'published' | 'skipped'> {
  const id = idOf(payload, 'entryId');
  if (id === null) return 'skipped';
  const ctx = jobCtx(store, now);
  const out = await store.db.transaction().execute(async (tx) => {
    const e = await findFaq(tx, id);
    if (!e || (e.effective_at && e.effective_at > iso(now))) return 'skipped' as const;
    if (!faqTransition(faqStateOf(e), { type: 'publish' }, { now, levels: 0 }).ok) return 'skipped' as const;
    await goLive(tx, ctx, e);
    return 'published' as const;
  });
  if (out === 'published') forgetKnowledge(store.db);
  return out;
}

export async function expireDue(store: Store, now: Date, payload: unknown): Promise<'expired' | 'skipped'> {
  const id = idOf(payload, 'entryId');
  if (id === null) return 'skipped';
  const ctx = jobCtx(store, now);
  const out = await store.db.transaction().execute(async (tx) => {
    const e = await findFaq(tx, id);
    if (!e || e.live_version === null) return 'skipped' as const;
    const live = await readFaqVersion(tx, e.id, e.live_version);
    const expiresAt = live?.expiresAt ?? e.expires_at;
    if (!expiresAt || expiresAt > iso(now)) return 'skipped' as const;
    const next = faqTransition(faqStateOf(e), { type: 'expire' }, { now, levels: 0 });
    if (!next.ok) return 'skipped' as const;
    const r = await saveFaqState(tx, e, next.value, { now, by: null });
    if (!r) return 'skipped' as const;
    await afterOffline(tx, ctx, r, 'faq.expired');
    await audit.record(tx, ctx, 'faq.expire', faqTarget(r), faqAuditView(e), faqAuditView(r));
    return 'expired' as const;
  });
  if (out === 'expired') forgetKnowledge(store.db);
  return out;
}

/** Replaces the search documents of these entries (or of every entry of a site) by what is public now. */
export async function syncFaqIndex(store: Store, now: Date, scope: { ids: number[] } | { siteId: number }): Promise<{ indexed: number; removed: number }> {
  const ctx = { db: store.db, dialect: store.dialect, now };
  let ids: number[];
  if ('ids' in scope) ids = scope.ids;
  else {
    const own = await store.db.selectFrom('faq_entries').select('id').where('site_id', '=', scope.siteId).execute();
    const indexed = await store.db.selectFrom('search_documents').select('source_id as id').where('type', '=', 'faq').where('site_id', '=', scope.siteId).execute();
    ids = [...new Set([...own, ...indexed].map((r) => Number(r.id)))];
  }
  const total = { indexed: 0, removed: 0 };
  for (let i = 0; i < ids.length; i += 400) {
    const part = ids.slice(i, i + 400);
    const r = await replaceItems(ctx, 'faq', part, await publicFaqItems(store.db, now, { ids: part }));
    total.indexed += r.indexed;
    total.removed += r.removed;
  }
  return total;
}

export function registerInteractionJobs(app: JiyueApp): void {
  const { jobs } = app;
  jobs.handle(FAQ_PUBLISH_JOB, async (payload, jc) => {
    jc.log.info({ entryId: idOf(payload, 'entryId'), outcome: await publishDue(jc.store, jc.now(), payload) }, 'faq publication');
  });
  jobs.handle(FAQ_EXPIRE_JOB, async (payload, jc) => {
    jc.log.info({ entryId: idOf(payload, 'entryId'), outcome: await expireDue(jc.store, jc.now(), payload) }, 'faq expiry');
  });
  jobs.handle(FAQ_INDEX_JOB, async (payload, jc) => {
    const id = idOf(payload, 'id');
    const siteId = idOf(payload, 'siteId');
    // site.updated carries only the site; faq.* carry the entry.
    const r = id !== null ? await syncFaqIndex(jc.store, jc.now(), { ids: [id] }) : siteId !== null ? await syncFaqIndex(jc.store, jc.now(), { siteId }) : { indexed: 0, removed: 0 };
    if (id === null && siteId !== null) {
      // A site closed, opened or renamed: its entries' public state and addresses changed for every process's matcher.
      await jc.store.db.transaction().execute((tx) => bumpKnowledgeVersion(tx, jc.now()));
      forgetKnowledge(jc.store.db);
    }
    jc.log.debug({ ...r, id, siteId }, 'faq search documents updated');
  });
  for (const e of INDEX_EVENTS) jobs.subscribe(e, FAQ_INDEX_JOB);
}
