/**
 * Going public and going offline, shared by the commands and the scheduled jobs. Each runs in
 * the caller's transaction and writes its audit entry, events (outbox) and jobs there, so a
 * change and its consequences commit together or not at all:
 *
 * - `faq.published` / `faq.withdrawn` / `faq.expired` {id, siteId}: the search index follows
 *   (interaction/jobs.ts);
 * - the knowledge-base version: every process's Q&A matcher reloads (qa/knowledge.ts).
 */
import type { DB } from '../../../db/index.js';
import { AppError } from '../../../lib/errors.js';
import { audit } from '../../accounts/index.js';
import { cancelPending, emit, enqueue } from '../../jobs/index.js';
import { faqTransition, waitsForEffect } from './lifecycle.js';
import {
  FAQ_EXPIRE_JOB,
  FAQ_PUBLISH_JOB,
  type FaqRow,
  type OpCtx,
  bumpKnowledgeVersion,
  expireJobKey,
  faqAuditView,
  faqStateOf,
  faqTarget,
  publishJobKey,
  saveFaqState,
} from './store.js';

export type FaqEvent = 'faq.published' | 'faq.withdrawn' | 'faq.expired';
export const faqEvent = (r: Pick<FaqRow, 'id' | 'site_id'>) => ({ id: r.id, siteId: r.site_id });

/** The approved current version becomes the public one; expiry (re)scheduled; audited as faq.publish. */
export async function goLive(tx: DB, ctx: OpCtx, before: FaqRow): Promise<FaqRow> {
  const next = faqTransition(faqStateOf(before), { type: 'publish' }, { now: ctx.now, levels: 0 });
  if (!next.ok) throw AppError.from(next);
  const row = await saveFaqState(tx, before, next.value, { now: ctx.now, by: null });
  if (!row) throw new AppError('conflict', '问答条目刚刚被他人更改，请刷新后重试');
  await cancelPending(tx, publishJobKey(row.id));
  await cancelPending(tx, expireJobKey(row.id));
  if (row.expires_at) await enqueue(tx, FAQ_EXPIRE_JOB, { entryId: row.id }, ctx.now, { runAt: new Date(row.expires_at), dedupeKey: expireJobKey(row.id) });
  await emit(tx, 'faq.published', faqEvent(row), ctx.now);
  await bumpKnowledgeVersion(tx, ctx.now);
  await audit.record(tx, ctx, 'faq.publish', faqTarget(row), faqAuditView(before), faqAuditView(row));
  return row;
}

/**
 * After the last review level (or a submission needing none): public at once, or when the entry
 * becomes effective (a scheduled job; the handler re-checks the entry when it runs).
 */
export async function afterFinalApproval(tx: DB, ctx: OpCtx, approved: FaqRow): Promise<FaqRow> {
  if (!waitsForEffect(faqStateOf(approved), ctx.now)) return goLive(tx, ctx, approved);
  await cancelPending(tx, publishJobKey(approved.id));
  await enqueue(tx, FAQ_PUBLISH_JOB, { entryId: approved.id }, ctx.now, { runAt: new Date(approved.effective_at!), dedupeKey: publishJobKey(approved.id) });
  return approved;
}

/** After the public copy went offline: no job may bring it back, the index and the matcher follow. */
export async function afterOffline(tx: DB, ctx: OpCtx, row: FaqRow, event: 'faq.withdrawn' | 'faq.expired'): Promise<void> {
  await cancelPending(tx, publishJobKey(row.id));
  await cancelPending(tx, expireJobKey(row.id));
  await emit(tx, event, faqEvent(row), ctx.now);
  await bumpKnowledgeVersion(tx, ctx.now);
}
