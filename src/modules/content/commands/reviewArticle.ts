import type { Ctx } from '../../../lib/ctx.js';
import { type Result, fail, ok } from '../../../lib/errors.js';
import { iso } from '../../../lib/time.js';
import { audit, canReviewLevel } from '../../accounts/index.js';
import { loadArticle } from '../access.js';
import type { ArticleDto } from '../dto.js';
import { STATUS_NAMES, transition } from '../lifecycle.js';
import { afterFinalApproval } from '../publication.js';
import { articleDto } from '../queries/getArticle.js';
import { scopeOf } from '../refs.js';
import type { ReviewInput } from '../schema.js';
import { auditView, saveStateOrConflict, stateOf } from '../store.js';

/**
 * 审核: the reviewer of the level now deciding approves (to the next level, or finally: publish
 * now or at `publishAt`) or returns the article to its editor with a comment.
 */
export async function reviewArticle(ctx: Ctx, id: number, input: ReviewInput): Promise<Result<ArticleDto>> {
  const loaded = await loadArticle(ctx, id, 'article.review');
  if (!loaded.ok) return loaded;
  const { article, column } = loaded.value;
  if (ctx.actor.kind !== 'user') return fail('forbidden', '只有用户可以审核稿件');
  if (article.status !== 'submitted') return fail('invalid_transition', `稿件当前状态为“${STATUS_NAMES[article.status]}”，不在审核中`, { status: article.status });
  const level = article.review_level;
  const deniedLevel = canReviewLevel(ctx.actor, scopeOf(column), level);
  if (deniedLevel) return deniedLevel;
  if (input.version !== undefined && input.version !== article.version)
    return fail('conflict', `稿件已更新为第 ${article.version} 版，请查看最新内容后再审核`, { currentVersion: article.version });

  const action = input.decision === 'approve' ? ({ type: 'approve', level } as const) : ({ type: 'return', level, comment: input.comment } as const);
  const next = transition(stateOf(article), action, { now: ctx.now, levels: column.reviewLevels });
  if (!next.ok) return next;

  const reviewerId = ctx.actor.id;
  const row = await ctx.db.transaction().execute(async (tx) => {
    const r = await saveStateOrConflict(tx, article, next.value, { now: ctx.now, by: null });
    await tx
      .insertInto('article_reviews')
      .values({
        article_id: r.id,
        syndication_id: null,
        version: article.version,
        level,
        decision: input.decision,
        comment: input.comment,
        reviewer_id: reviewerId,
        created_at: iso(ctx.now),
      })
      .execute();
    const action = input.decision === 'approve' ? 'article.approve' : 'article.return';
    await audit.record(tx, ctx, action, { type: 'article', id: r.id, siteId: r.site_id }, auditView(article), auditView(r, { level, comment: input.comment }));
    return r.status === 'approved' ? afterFinalApproval(tx, ctx, r) : r;
  });
  return ok(await articleDto(ctx.db, row));
}
