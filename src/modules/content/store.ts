/**
 * Reading and writing this module's own tables: the article row and its state, version
 * snapshots, attachments. Commands and job handlers share these so every save is guarded and
 * versioned the same way.
 */
import type { Selectable, Updateable } from 'kysely';
import type { DB } from '../../db/index.js';
import type { Ctx } from '../../lib/ctx.js';
import { AppError } from '../../lib/errors.js';
import { iso } from '../../lib/time.js';
import type { ArticleState } from './lifecycle.js';
import type { ArticleFields } from './schema.js';
import type { ArticleTable, SyndicationTable } from './tables.js';
import { parseStringArray } from '../../lib/json.js';

export type ArticleRow = Selectable<ArticleTable>;
export type SyndicationRow = Selectable<SyndicationTable>;

/** What the shared write helpers need of the context (a request, or a job acting as the system). */
export type OpCtx = Pick<Ctx, 'actor' | 'ip' | 'now' | 'dialect'>;

export const findArticle = (db: DB, id: number): Promise<ArticleRow | undefined> =>
  db.selectFrom('articles').selectAll().where('id', '=', id).executeTakeFirst();

export const findSyndication = (db: DB, id: number): Promise<SyndicationRow | undefined> =>
  db.selectFrom('syndications').selectAll().where('id', '=', id).executeTakeFirst();

export function stateOf(r: ArticleRow): ArticleState {
  return {
    status: r.status,
    reviewLevel: r.review_level,
    version: r.version,
    approvedVersion: r.approved_version,
    liveVersion: r.live_version,
    publishedAt: r.published_at,
    publishAt: r.publish_at,
    expiresAt: r.expires_at,
  };
}

const stateColumns = (s: ArticleState) => ({
  status: s.status,
  review_level: s.reviewLevel,
  version: s.version,
  approved_version: s.approvedVersion,
  live_version: s.liveVersion,
  published_at: s.publishedAt,
  publish_at: s.publishAt,
  expires_at: s.expiresAt,
});

/**
 * Writes a new state (and any field changes, which win over the state's copies of publish_at
 * and expires_at) only if the row is still the one that was read:
 * same version, status and review level. Returns the updated row, or undefined when someone
 * else changed it in between.
 */
export async function saveState(
  tx: DB,
  before: ArticleRow,
  next: ArticleState,
  opts: { now: Date; by: number | null; set?: Updateable<ArticleTable> },
): Promise<ArticleRow | undefined> {
  return tx
    .updateTable('articles')
    .set({ ...stateColumns(next), ...opts.set, updated_at: iso(opts.now), ...(opts.by === null ? {} : { updated_by: opts.by }) })
    .where('id', '=', before.id)
    .where('version', '=', before.version)
    .where('status', '=', before.status)
    .where('review_level', '=', before.review_level)
    .returningAll()
    .executeTakeFirst();
}

/** saveState for commands: a lost race aborts the transaction with a 409. */
export async function saveStateOrConflict(tx: DB, before: ArticleRow, next: ArticleState, opts: Parameters<typeof saveState>[3]): Promise<ArticleRow> {
  const row = await saveState(tx, before, next, opts);
  if (!row) throw new AppError('conflict', '稿件刚刚被他人更改，请刷新后重试');
  return row;
}

export async function attachmentIdsOf(db: DB, articleId: number): Promise<number[]> {
  const rows = await db.selectFrom('article_attachments').select('media_id').where('article_id', '=', articleId).orderBy('sort').execute();
  return rows.map((r) => r.media_id);
}

export async function replaceAttachments(tx: DB, articleId: number, mediaIds: number[]): Promise<void> {
  await tx.deleteFrom('article_attachments').where('article_id', '=', articleId).execute();
  if (mediaIds.length > 0) await tx.insertInto('article_attachments').values(mediaIds.map((m, i) => ({ article_id: articleId, media_id: m, sort: i }))).execute();
}

export function fieldsOf(r: ArticleRow, attachmentIds: number[]): ArticleFields {
  return {
    title: r.title,
    subtitle: r.subtitle,
    summary: r.summary,
    body: r.body,
    source: r.source,
    author: r.author,
    publishAt: r.publish_at,
    effectiveAt: r.effective_at,
    expiresAt: r.expires_at,
    coverMediaId: r.cover_media_id,
    coverAlt: r.cover_alt,
    tags: parseStringArray(r.tags),
    attachmentIds,
  };
}

/** Field values → article columns (without the attachments, which live in their own table). */
export function fieldColumns(f: Partial<ArticleFields>): Updateable<ArticleTable> {
  const out: Updateable<ArticleTable> = {};
  if (f.title !== undefined) out.title = f.title;
  if (f.subtitle !== undefined) out.subtitle = f.subtitle;
  if (f.summary !== undefined) out.summary = f.summary;
  if (f.body !== undefined) out.body = f.body;
  if (f.source !== undefined) out.source = f.source;
  if (f.author !== undefined) out.author = f.author;
  if (f.publishAt !== undefined) out.publish_at = f.publishAt;
  if (f.effectiveAt !== undefined) out.effective_at = f.effectiveAt;
  if (f.expiresAt !== undefined) out.expires_at = f.expiresAt;
  if (f.coverMediaId !== undefined) out.cover_media_id = f.coverMediaId;
  if (f.coverAlt !== undefined) out.cover_alt = f.coverAlt;
  if (f.tags !== undefined) out.tags = JSON.stringify(f.tags);
  return out;
}

/** Appends the snapshot of one saved version. */
export async function writeVersion(tx: DB, articleId: number, version: number, fields: ArticleFields, userId: number, now: Date): Promise<void> {
  await tx
    .insertInto('article_versions')
    .values({ article_id: articleId, version, data: JSON.stringify(fields), created_by: userId, created_at: iso(now) })
    .execute();
}

export async function readVersion(db: DB, articleId: number, version: number): Promise<{ fields: ArticleFields; createdBy: number; createdAt: string } | undefined> {
  const row = await db
    .selectFrom('article_versions')
    .select(['data', 'created_by', 'created_at'])
    .where('article_id', '=', articleId)
    .where('version', '=', version)
    .executeTakeFirst();
  if (!row) return undefined;
  return { fields: JSON.parse(row.data) as ArticleFields, createdBy: row.created_by, createdAt: row.created_at };
}

/** What the audit log keeps of an article: its state and numbers, never the body. */
export function auditView(r: ArticleRow, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    title: r.title,
    columnId: r.column_id,
    status: r.status,
    reviewLevel: r.review_level,
    version: r.version,
    approvedVersion: r.approved_version,
    liveVersion: r.live_version,
    publishAt: r.publish_at,
    publishedAt: r.published_at,
    expiresAt: r.expires_at,
    ...extra,
  };
}

export const syndicationAuditView = (s: SyndicationRow, extra: Record<string, unknown> = {}): Record<string, unknown> => ({
  articleId: s.article_id,
  siteId: s.site_id,
  columnId: s.column_id,
  status: s.status,
  reviewLevel: s.review_level,
  publishedAt: s.published_at,
  ...extra,
});

export const publishJobKey = (articleId: number): string => `article.publish:${articleId}`;
export const expireJobKey = (articleId: number): string => `article.expire:${articleId}`;
export const PUBLISH_JOB = 'content.publish_due';
export const EXPIRE_JOB = 'content.expire_due';
