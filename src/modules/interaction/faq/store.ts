/**
 * Reading and writing the FAQ tables: the entry row and its state, version snapshots, the
 * site's review-level setting, and the knowledge-base version the Q&A matcher watches. Commands
 * and job handlers share these so every save is guarded and versioned the same way.
 */
import type { Selectable, Updateable } from 'kysely';
import type { DB } from '../../../db/index.js';
import type { Ctx } from '../../../lib/ctx.js';
import { AppError } from '../../../lib/errors.js';
import { iso } from '../../../lib/time.js';
import type { FaqEntryTable } from '../tables.js';
import { DEFAULT_REVIEW_LEVELS, type FaqState, levelsOf } from './lifecycle.js';
import type { FaqFields } from './schema.js';
import { parseStringArray } from '../../../lib/json.js';

export type FaqRow = Selectable<FaqEntryTable>;
export type OpCtx = Pick<Ctx, 'actor' | 'ip' | 'now' | 'dialect'>;

export const findFaq = (db: DB, id: number): Promise<FaqRow | undefined> => db.selectFrom('faq_entries').selectAll().where('id', '=', id).executeTakeFirst();

export function faqStateOf(r: FaqRow): FaqState {
  return {
    status: r.status,
    reviewLevel: r.review_level,
    version: r.version,
    approvedVersion: r.approved_version,
    liveVersion: r.live_version,
    publishedAt: r.published_at,
    effectiveAt: r.effective_at,
    expiresAt: r.expires_at,
  };
}

const stateColumns = (s: FaqState) => ({
  status: s.status,
  review_level: s.reviewLevel,
  version: s.version,
  approved_version: s.approvedVersion,
  live_version: s.liveVersion,
  published_at: s.publishedAt,
});

/** Writes a new state (and field changes) only if the row is still the one that was read; undefined when someone changed it in between. */
export function saveFaqState(tx: DB, before: FaqRow, next: FaqState, opts: { now: Date; by: number | null; set?: Updateable<FaqEntryTable> }): Promise<FaqRow | undefined> {
  return tx
    .updateTable('faq_entries')
    .set({ ...stateColumns(next), ...opts.set, updated_at: iso(opts.now), ...(opts.by === null ? {} : { updated_by: opts.by }) })
    .where('id', '=', before.id)
    .where('version', '=', before.version)
    .where('status', '=', before.status)
    .where('review_level', '=', before.review_level)
    .returningAll()
    .executeTakeFirst();
}

export async function saveFaqStateOrConflict(tx: DB, before: FaqRow, next: FaqState, opts: Parameters<typeof saveFaqState>[3]): Promise<FaqRow> {
  const row = await saveFaqState(tx, before, next, opts);
  if (!row) throw new AppError('conflict', '问答条目刚刚被他人更改，请刷新后重试');
  return row;
}

export function faqFieldsOf(r: FaqRow): FaqFields {
  return {
    organisationId: r.organisation_id,
    topic: r.topic,
    question: r.question,
    variants: parseStringArray(r.variants),
    answer: r.answer,
    refTitle: r.ref_title,
    refUrl: r.ref_url,
    effectiveAt: r.effective_at,
    expiresAt: r.expires_at,
  };
}

export function faqFieldColumns(f: Partial<FaqFields>): Updateable<FaqEntryTable> {
  const out: Updateable<FaqEntryTable> = {};
  if (f.organisationId !== undefined) out.organisation_id = f.organisationId;
  if (f.topic !== undefined) out.topic = f.topic;
  if (f.question !== undefined) out.question = f.question;
  if (f.variants !== undefined) out.variants = JSON.stringify(f.variants);
  if (f.answer !== undefined) out.answer = f.answer;
  if (f.refTitle !== undefined) out.ref_title = f.refTitle;
  if (f.refUrl !== undefined) out.ref_url = f.refUrl;
  if (f.effectiveAt !== undefined) out.effective_at = f.effectiveAt;
  if (f.expiresAt !== undefined) out.expires_at = f.expiresAt;
  return out;
}

export async function writeFaqVersion(tx: DB, entryId: number, version: number, fields: FaqFields, userId: number, now: Date): Promise<void> {
  await tx.insertInto('faq_versions').values({ entry_id: entryId, version, data: JSON.stringify(fields), created_by: userId, created_at: iso(now) }).execute();
}

export async function readFaqVersion(db: DB, entryId: number, version: number): Promise<FaqFields | undefined> {
  const row = await db.selectFrom('faq_versions').select('data').where('entry_id', '=', entryId).where('version', '=', version).executeTakeFirst();
  return row ? (JSON.parse(row.data) as FaqFields) : undefined;
}

/** What the audit log keeps of an entry: its state and question, never the answer. */
export function faqAuditView(r: FaqRow, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    question: r.question,
    topic: r.topic,
    status: r.status,
    reviewLevel: r.review_level,
    version: r.version,
    approvedVersion: r.approved_version,
    liveVersion: r.live_version,
    publishedAt: r.published_at,
    effectiveAt: r.effective_at,
    expiresAt: r.expires_at,
    ...extra,
  };
}

export const faqTarget = (r: Pick<FaqRow, 'id' | 'site_id'>) => ({ type: 'faq', id: r.id, siteId: r.site_id });

// ---------- the site's review levels ----------

const levelsKey = (siteId: number): string => `interaction.faq_review_levels.${siteId}`;

export async function reviewLevelsOf(db: DB, siteId: number): Promise<number> {
  const row = await db.selectFrom('settings').select('value').where('key', '=', levelsKey(siteId)).executeTakeFirst();
  if (!row) return DEFAULT_REVIEW_LEVELS;
  const n = Number(JSON.parse(row.value));
  return levelsOf(Number.isFinite(n) ? n : DEFAULT_REVIEW_LEVELS);
}

export async function setReviewLevels(tx: DB, siteId: number, levels: number, now: Date): Promise<void> {
  await putSetting(tx, levelsKey(siteId), JSON.stringify(levels), now);
}

async function putSetting(tx: DB, key: string, value: string, now: Date): Promise<void> {
  const updated = await tx.updateTable('settings').set({ value, updated_at: iso(now) }).where('key', '=', key).executeTakeFirst();
  if (Number(updated.numUpdatedRows) === 0) await tx.insertInto('settings').values({ key, value, updated_at: iso(now) }).execute();
}

// ---------- the knowledge base's version (what is public changed) ----------

export const KNOWLEDGE_VERSION_KEY = 'interaction.faq_version';

/** Marks the public knowledge base changed, in the transaction of the change: every process's matcher reloads within seconds. */
export async function bumpKnowledgeVersion(tx: DB, now: Date): Promise<void> {
  await putSetting(tx, KNOWLEDGE_VERSION_KEY, JSON.stringify(`${now.getTime()}-${Math.random().toString(36).slice(2, 8)}`), now);
}

export async function knowledgeVersion(db: DB): Promise<string> {
  const row = await db.selectFrom('settings').select('value').where('key', '=', KNOWLEDGE_VERSION_KEY).executeTakeFirst();
  return row?.value ?? '0';
}

export const FAQ_PUBLISH_JOB = 'interaction.faq_publish_due';
export const FAQ_EXPIRE_JOB = 'interaction.faq_expire_due';
export const publishJobKey = (id: number): string => `faq.publish:${id}`;
export const expireJobKey = (id: number): string => `faq.expire:${id}`;
