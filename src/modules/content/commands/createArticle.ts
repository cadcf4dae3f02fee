import type { Ctx } from '../../../lib/ctx.js';
import { type Result, fail, ok } from '../../../lib/errors.js';
import { iso } from '../../../lib/time.js';
import { audit, can } from '../../accounts/index.js';
import type { ArticleDto } from '../dto.js';
import { articleDto } from '../queries/getArticle.js';
import { ARTICLE_COLUMN_KINDS, columnRef, mediaIssues, scopeOf } from '../refs.js';
import { type ArticleFields, type CreateArticleInput, invalid } from '../schema.js';
import { auditView, replaceAttachments, writeVersion } from '../store.js';

/** 录入: a new draft (version 1) in a column the actor may edit. */
export async function createArticle(ctx: Ctx, input: CreateArticleInput): Promise<Result<ArticleDto>> {
  const column = await columnRef(ctx.db, input.columnId);
  if (!column) return fail('not_found', '栏目不存在');
  const denied = can(ctx.actor, 'article.edit', scopeOf(column));
  if (denied) return denied;
  if (ctx.actor.kind !== 'user') return fail('forbidden', '只有用户可以撰写稿件');
  if (!ARTICLE_COLUMN_KINDS.includes(column.kind)) return invalid([{ path: 'columnId', message: '该栏目不能发布稿件（只有列表栏目和单页栏目可以）' }]);

  const fields: ArticleFields = {
    title: input.title,
    subtitle: input.subtitle ?? '',
    summary: input.summary ?? '',
    body: input.body ?? '',
    source: input.source ?? '',
    author: input.author ?? '',
    publishAt: input.publishAt ?? null,
    effectiveAt: input.effectiveAt ?? null,
    expiresAt: input.expiresAt ?? null,
    coverMediaId: input.coverMediaId ?? null,
    coverAlt: input.coverAlt ?? '',
    tags: input.tags ?? [],
    attachmentIds: input.attachmentIds ?? [],
  };
  const issues = await mediaIssues(ctx.db, column.siteId, fields);
  if (issues.length > 0) return invalid(issues);

  const userId = ctx.actor.id;
  const now = iso(ctx.now);
  const row = await ctx.db.transaction().execute(async (tx) => {
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
        published_at: null,
        effective_at: fields.effectiveAt,
        expires_at: fields.expiresAt,
        cover_media_id: fields.coverMediaId,
        cover_alt: fields.coverAlt,
        tags: JSON.stringify(fields.tags),
        status: 'draft',
        review_level: 0,
        version: 1,
        approved_version: null,
        live_version: null,
        created_by: userId,
        updated_by: userId,
        created_at: now,
        updated_at: now,
      })
      .returningAll()
      .executeTakeFirstOrThrow();
    await replaceAttachments(tx, r.id, fields.attachmentIds);
    await writeVersion(tx, r.id, 1, fields, userId, ctx.now);
    await audit.record(tx, ctx, 'article.create', { type: 'article', id: r.id, siteId: r.site_id }, null, auditView(r));
    return r;
  });
  return ok(await articleDto(ctx.db, row));
}
