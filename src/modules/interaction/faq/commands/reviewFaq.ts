import type { Ctx } from '../../../../lib/ctx.js';
import { type Result, fail, ok } from '../../../../lib/errors.js';
import { iso } from '../../../../lib/time.js';
import { audit, canReviewLevel } from '../../../accounts/index.js';
import { loadFaq, siteScope } from '../access.js';
import type { FaqDto } from '../dto.js';
import { FAQ_STATUS_NAMES, faqTransition } from '../lifecycle.js';
import { afterFinalApproval } from '../publication.js';
import { faqDto } from '../queries/getFaq.js';
import type { FaqReviewInput } from '../schema.js';
import { faqAuditView, faqStateOf, faqTarget, reviewLevelsOf, saveFaqStateOrConflict } from '../store.js';

/** 审核: the reviewer of the level now deciding approves (next level, or public) or returns with a comment. */
export async function reviewFaq(ctx: Ctx, id: number, input: FaqReviewInput): Promise<Result<FaqDto>> {
  const loaded = await loadFaq(ctx, id, 'article.review');
  if (!loaded.ok) return loaded;
  const entry = loaded.value;
  if (ctx.actor.kind !== 'user') return fail('forbidden', '只有用户可以审核问答条目');
  if (entry.status !== 'submitted') return fail('invalid_transition', `问答条目当前状态为“${FAQ_STATUS_NAMES[entry.status]}”，不在审核中`, { status: entry.status });
  const level = entry.review_level;
  const deniedLevel = canReviewLevel(ctx.actor, siteScope(entry.site_id), level);
  if (deniedLevel) return deniedLevel;
  if (input.version !== undefined && input.version !== entry.version)
    return fail('conflict', `条目已更新为第 ${entry.version} 版，请查看最新内容后再审核`, { currentVersion: entry.version });
  const action = input.decision === 'approve' ? ({ type: 'approve', level } as const) : ({ type: 'return', level, comment: input.comment } as const);
  const next = faqTransition(faqStateOf(entry), action, { now: ctx.now, levels: await reviewLevelsOf(ctx.db, entry.site_id) });
  if (!next.ok) return next;

  const reviewerId = ctx.actor.id;
  const row = await ctx.db.transaction().execute(async (tx) => {
    const r = await saveFaqStateOrConflict(tx, entry, next.value, { now: ctx.now, by: null });
    await tx
      .insertInto('faq_reviews')
      .values({ entry_id: r.id, version: entry.version, level, decision: input.decision, comment: input.comment, reviewer_id: reviewerId, created_at: iso(ctx.now) })
      .execute();
    await audit.record(tx, ctx, input.decision === 'approve' ? 'faq.approve' : 'faq.return', faqTarget(r), faqAuditView(entry), faqAuditView(r, { level, comment: input.comment }));
    return r.status === 'approved' ? afterFinalApproval(tx, ctx, r) : r;
  });
  return ok(await faqDto(ctx.db, row));
}
