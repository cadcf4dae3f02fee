/**
 * Going public and going offline, shared by the commands and the scheduled jobs. Each function
 * runs inside the caller's transaction and writes its audit entries, events (outbox) and jobs
 * there, so a change and its consequences commit together or not at all.
 *
 * The single source of truth for "public" is `articles.live_version` (and a syndication's
 * status together with its source's `live_version`), never the files the publisher writes.
 */
import type { Updateable } from 'kysely';
import type { DB } from '../../db/index.js';
import { AppError } from '../../lib/errors.js';
import { iso } from '../../lib/time.js';
import { audit } from '../accounts/index.js';
import { cancelPending, emit, enqueue } from '../jobs/index.js';
import { transition } from './lifecycle.js';
import {
  type ArticleRow,
  EXPIRE_JOB,
  type OpCtx,
  PUBLISH_JOB,
  type SyndicationRow,
  auditView,
  expireJobKey,
  publishJobKey,
  saveState,
  stateOf,
  syndicationAuditView,
} from './store.js';
import type { ArticleTable } from './tables.js';

/** Payload of article.published / article.withdrawn / article.expired. */
export const articleEvent = (r: Pick<ArticleRow, 'id' | 'site_id' | 'column_id'>) => ({ id: r.id, siteId: r.site_id, columnId: r.column_id });
/** Payload of syndication.published / syndication.withdrawn. */
export const syndicationEvent = (s: Pick<SyndicationRow, 'id' | 'article_id' | 'site_id' | 'column_id'>) => ({
  id: s.id,
  articleId: s.article_id,
  siteId: s.site_id,
  columnId: s.column_id,
});

const target = (r: ArticleRow) => ({ type: 'article', id: r.id, siteId: r.site_id });
const synTarget = (s: SyndicationRow) => ({ type: 'syndication', id: s.id, siteId: s.site_id });

/**
 * Makes the approved current version the public one: `live_version` = version, first
 * `published_at` kept, expiry (re)scheduled, waiting syndications published, `article.published`
 * emitted, audited as `article.publish`.
 */
export async function goLive(tx: DB, ctx: OpCtx, before: ArticleRow, set: Updateable<ArticleTable> = {}): Promise<ArticleRow> {
  const next = transition(stateOf(before), { type: 'publish' }, { now: ctx.now, levels: 0 });
  if (!next.ok) throw AppError.from(next);
  const row = await saveState(tx, before, next.value, { now: ctx.now, by: null, set });
  if (!row) throw new AppError('conflict', '稿件刚刚被他人更改，请刷新后重试');
  await cancelPending(tx, publishJobKey(row.id));
  await cancelPending(tx, expireJobKey(row.id));
  if (row.expires_at) await enqueue(tx, EXPIRE_JOB, { articleId: row.id }, ctx.now, { runAt: new Date(row.expires_at), dedupeKey: expireJobKey(row.id) });
  await emit(tx, 'article.published', articleEvent(row), ctx.now);
  await audit.record(tx, ctx, 'article.publish', target(row), auditView(before), auditView(row));
  await publishWaitingSyndications(tx, ctx, row);
  return row;
}

/**
 * After the last review level (or a submission needing none): publish at once when no
 * publication time is set or it has come, else wait for it in a scheduled job.
 */
export async function afterFinalApproval(tx: DB, ctx: OpCtx, approved: ArticleRow): Promise<ArticleRow> {
  if (!approved.publish_at || approved.publish_at <= iso(ctx.now)) return goLive(tx, ctx, approved);
  await schedulePublication(tx, ctx, approved.id, approved.publish_at);
  return approved;
}

/** (Re)schedules the publication job; the handler re-checks the article when it runs. */
export async function schedulePublication(tx: DB, ctx: OpCtx, articleId: number, at: string): Promise<void> {
  await cancelPending(tx, publishJobKey(articleId));
  await enqueue(tx, PUBLISH_JOB, { articleId }, ctx.now, { runAt: new Date(at), dedupeKey: publishJobKey(articleId) });
}

/**
 * After the public copy went offline (withdrawn or expired): no job may bring it back, its
 * placements in other sites go too, and the event tells the publisher to remove the page.
 */
export async function afterOffline(tx: DB, ctx: OpCtx, row: ArticleRow, event: 'article.withdrawn' | 'article.expired'): Promise<void> {
  await cancelPending(tx, publishJobKey(row.id));
  await cancelPending(tx, expireJobKey(row.id));
  await emit(tx, event, articleEvent(row), ctx.now);
  const syns = await tx
    .selectFrom('syndications')
    .selectAll()
    .where('article_id', '=', row.id)
    .where('status', 'in', ['pending', 'approved', 'published'])
    .execute();
  for (const s of syns) {
    const after = await tx
      .updateTable('syndications')
      .set({ status: 'withdrawn', updated_at: iso(ctx.now) })
      .where('id', '=', s.id)
      .where('status', '=', s.status)
      .returningAll()
      .executeTakeFirst();
    if (!after) continue;
    if (s.status === 'published') await emit(tx, 'syndication.withdrawn', syndicationEvent(after), ctx.now);
    const reason = event === 'article.withdrawn' ? '源稿件已撤稿' : '源稿件已过期';
    await audit.record(tx, ctx, 'syndication.withdraw', synTarget(after), syndicationAuditView(s), syndicationAuditView(after, { reason }));
  }
}

/** Publishes a syndication whose target review is complete (its source must be live). */
export async function publishSyndication(tx: DB, ctx: OpCtx, s: SyndicationRow): Promise<SyndicationRow> {
  const after = await tx
    .updateTable('syndications')
    .set({ status: 'published', published_at: iso(ctx.now), updated_at: iso(ctx.now) })
    .where('id', '=', s.id)
    .where('status', '=', s.status)
    .where('review_level', '=', s.review_level)
    .returningAll()
    .executeTakeFirst();
  if (!after) throw new AppError('conflict', '推送记录刚刚被他人更改，请刷新后重试');
  await emit(tx, 'syndication.published', syndicationEvent(after), ctx.now);
  await audit.record(tx, ctx, 'syndication.publish', synTarget(after), syndicationAuditView(s), syndicationAuditView(after));
  return after;
}

async function publishWaitingSyndications(tx: DB, ctx: OpCtx, row: ArticleRow): Promise<void> {
  const waiting = await tx.selectFrom('syndications').selectAll().where('article_id', '=', row.id).where('status', '=', 'approved').execute();
  for (const s of waiting) await publishSyndication(tx, ctx, s);
}
