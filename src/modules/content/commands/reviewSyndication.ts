import type { Ctx } from '../../../lib/ctx.js';
import { AppError, type Result, fail, ok } from '../../../lib/errors.js';
import { iso } from '../../../lib/time.js';
import { audit, can, canReviewLevel } from '../../accounts/index.js';
import { type SyndicationDto, syndicationDtos } from '../dto.js';
import { SYNDICATION_STATUS_NAMES, syndicationTransition } from '../lifecycle.js';
import { publishSyndication } from '../publication.js';
import { columnRef, scopeOf } from '../refs.js';
import type { ReviewInput } from '../schema.js';
import { findArticle, findSyndication, syndicationAuditView } from '../store.js';

export const syndicationNotFound = () => fail('not_found', '推送记录不存在');

/**
 * The target column's reviewers decide a push level by level. Fully approved, it is published
 * at once if its source is live, else when the source is published.
 */
export async function reviewSyndication(ctx: Ctx, id: number, input: ReviewInput): Promise<Result<SyndicationDto>> {
  const s = await findSyndication(ctx.db, id);
  if (!s) return syndicationNotFound();
  const target = await columnRef(ctx.db, s.column_id);
  const article = await findArticle(ctx.db, s.article_id);
  if (!target || !article) return syndicationNotFound();
  const denied = can(ctx.actor, 'article.review', scopeOf(target));
  if (denied) return denied;
  if (ctx.actor.kind !== 'user') return fail('forbidden', '只有用户可以审核推送');
  if (s.status !== 'pending') return fail('invalid_transition', `推送当前状态为“${SYNDICATION_STATUS_NAMES[s.status]}”，不在审核中`, { status: s.status });
  const level = s.review_level;
  const deniedLevel = canReviewLevel(ctx.actor, scopeOf(target), level);
  if (deniedLevel) return deniedLevel;

  const action = input.decision === 'approve' ? ({ type: 'approve', level } as const) : ({ type: 'return', level, comment: input.comment } as const);
  const next = syndicationTransition({ status: s.status, reviewLevel: s.review_level }, action, { levels: target.reviewLevels, sourceLive: article.live_version !== null });
  if (!next.ok) return next;

  const reviewerId = ctx.actor.id;
  const row = await ctx.db.transaction().execute(async (tx) => {
    await tx
      .insertInto('article_reviews')
      .values({ article_id: s.article_id, syndication_id: s.id, version: article.version, level, decision: input.decision, comment: input.comment, reviewer_id: reviewerId, created_at: iso(ctx.now) })
      .execute();
    const auditTarget = { type: 'syndication', id: s.id, siteId: s.site_id };
    const verb = input.decision === 'approve' ? 'syndication.approve' : 'syndication.return';
    if (next.value.status === 'published') {
      // Recorded as approved at this level, then published (its own entry) in the same transaction.
      await audit.record(tx, ctx, verb, auditTarget, syndicationAuditView(s), syndicationAuditView(s, { status: 'approved', level, comment: input.comment }));
      return publishSyndication(tx, ctx, s);
    }
    const r = await tx
      .updateTable('syndications')
      .set({ status: next.value.status, review_level: next.value.reviewLevel, updated_at: iso(ctx.now) })
      .where('id', '=', s.id)
      .where('status', '=', s.status)
      .where('review_level', '=', s.review_level)
      .returningAll()
      .executeTakeFirst();
    if (!r) throw new AppError('conflict', '推送记录刚刚被他人更改，请刷新后重试');
    await audit.record(tx, ctx, verb, auditTarget, syndicationAuditView(s), syndicationAuditView(r, { level, comment: input.comment }));
    return r;
  });
  const [dto] = await syndicationDtos(ctx.db, [row]);
  return ok(dto!);
}
