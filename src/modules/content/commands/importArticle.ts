import type { DB } from '../../../db/index.js';
import { AppError } from '../../../lib/errors.js';
import { iso } from '../../../lib/time.js';
import { audit } from '../../accounts/index.js';
import { emit } from '../../jobs/index.js';
import { articleEvent } from '../publication.js';
import { ARTICLE_COLUMN_KINDS, columnRef } from '../refs.js';
import { sanitizeBody } from '../sanitize.js';
import type { ArticleFields } from '../schema.js';
import { type OpCtx, auditView, replaceAttachments, writeVersion } from '../store.js';

export interface ImportArticleInput {
  columnId: number;
  fields: Pick<ArticleFields, 'title'> & Partial<ArticleFields>;
  /** When it was first published (the source system's date). */
  publishedAt: string;
  /** The user recorded as its author in the platform. */
  createdBy: number;
}

/**
 * Brings in an article that was already reviewed and published elsewhere (the demo seed, a
 * migration from an old CMS): it arrives live as version 1, approved, with its original
 * publication time, and one `article.import` audit entry. The body goes through the same
 * sanitiser as the editor's. Trusted callers only (no permission check): the CLI and seeders.
 * `announce: false` skips the `article.published` event when a full rebuild follows anyway.
 */
export async function importPublishedArticle(db: DB, ctx: OpCtx, input: ImportArticleInput, opts: { announce?: boolean } = {}): Promise<number> {
  const column = await columnRef(db, input.columnId);
  if (!column) throw new AppError('not_found', `栏目 ${input.columnId} 不存在`);
  if (!ARTICLE_COLUMN_KINDS.includes(column.kind)) throw new AppError('validation_failed', `栏目“${column.name}”不能发布稿件`);
  const body = sanitizeBody(input.fields.body ?? '');
  if (!body.ok) throw new AppError('validation_failed', body.message);
  const f = input.fields;
  const fields: ArticleFields = {
    title: f.title,
    subtitle: f.subtitle ?? '',
    summary: f.summary ?? '',
    body: body.html,
    source: f.source ?? '',
    author: f.author ?? '',
    publishAt: f.publishAt ?? null,
    effectiveAt: f.effectiveAt ?? null,
    expiresAt: f.expiresAt ?? null,
    coverMediaId: f.coverMediaId ?? null,
    coverAlt: f.coverAlt ?? '',
    tags: f.tags ?? [],
    attachmentIds: f.attachmentIds ?? [],
  };
  const publishedAt = new Date(input.publishedAt).toISOString();
  return db.transaction().execute(async (tx) => {
    const r = await tx
      .insertInto('articles')
      .values({
        site_id: column.siteId,
        column_id: column.id,
        title: fields.title,
        subtitle: fields.subtitle,
        summary: fields.summary,
        body: fields.body,
        source: fields.source,
        author: fields.author,
        publish_at: fields.publishAt,
        published_at: publishedAt,
        effective_at: fields.effectiveAt,
        expires_at: fields.expiresAt,
        cover_media_id: fields.coverMediaId,
        cover_alt: fields.coverAlt,
        tags: JSON.stringify(fields.tags),
        status: 'published',
        review_level: 0,
        version: 1,
        approved_version: 1,
        live_version: 1,
        created_by: input.createdBy,
        updated_by: input.createdBy,
        created_at: publishedAt,
        updated_at: iso(ctx.now),
      })
      .returningAll()
      .executeTakeFirstOrThrow();
    await replaceAttachments(tx, r.id, fields.attachmentIds);
    await writeVersion(tx, r.id, 1, fields, input.createdBy, new Date(publishedAt));
    await audit.record(tx, ctx, 'article.import', { type: 'article', id: r.id, siteId: r.site_id }, null, auditView(r));
    if (opts.announce !== false) await emit(tx, 'article.published', articleEvent(r), ctx.now);
    return r.id;
  });
}
