import type { DB } from '../../../db/index.js';
import type { Ctx } from '../../../lib/ctx.js';
import { type Result, ok } from '../../../lib/errors.js';
import { loadArticleForRead } from '../access.js';
import { type ArticleDto, type ReviewDto, articleSummaryDto, syndicationDto, urlRefs } from '../dto.js';
import { mediaSummaries } from '../refs.js';
import { type ArticleRow, attachmentIdsOf } from '../store.js';

/** One article with its body, attachments, placements in other sites and review history. */
export async function getArticle(ctx: Ctx, id: number): Promise<Result<ArticleDto>> {
  const loaded = await loadArticleForRead(ctx, id);
  if (!loaded.ok) return loaded;
  return ok(await articleDto(ctx.db, loaded.value.article));
}

export async function articleDto(db: DB, r: ArticleRow): Promise<ArticleDto> {
  const [attachmentIds, syndications, reviews] = await Promise.all([
    attachmentIdsOf(db, r.id),
    db.selectFrom('syndications').selectAll().where('article_id', '=', r.id).orderBy('id').execute(),
    db.selectFrom('article_reviews').selectAll().where('article_id', '=', r.id).orderBy('id').execute(),
  ]);
  const refs = await urlRefs(db, [{ siteId: r.site_id, columnId: r.column_id }, ...syndications.map((s) => ({ siteId: s.site_id, columnId: s.column_id }))]);
  return {
    ...articleSummaryDto(r, refs),
    body: r.body,
    attachments: await mediaSummaries(db, attachmentIds),
    syndications: syndications.map((s) => syndicationDto(s, refs, r)),
    reviews: reviews.map(
      (v): ReviewDto => ({
        id: v.id,
        syndicationId: v.syndication_id,
        version: v.version,
        level: v.level,
        decision: v.decision,
        comment: v.comment,
        reviewerId: v.reviewer_id,
        createdAt: v.created_at,
      }),
    ),
  };
}
