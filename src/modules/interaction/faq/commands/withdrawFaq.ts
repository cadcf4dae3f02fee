import type { Ctx } from '../../../../lib/ctx.js';
import { type Result, ok } from '../../../../lib/errors.js';
import { audit, can } from '../../../accounts/index.js';
import { cancelPending } from '../../../jobs/index.js';
import { faqNotFound, siteScope } from '../access.js';
import type { FaqDto } from '../dto.js';
import { faqTransition, isLive } from '../lifecycle.js';
import { afterOffline } from '../publication.js';
import { faqDto } from '../queries/getFaq.js';
import type { FaqWithdrawInput } from '../schema.js';
import { faqAuditView, faqStateOf, faqTarget, findFaq, publishJobKey, reviewLevelsOf, saveFaqStateOrConflict } from '../store.js';

/**
 * 撤下 / 撤回, with a reason: a public entry goes offline (article.publish; out of the index and
 * the Q&A answers); one in review or waiting for its effective date is recalled to a draft by its
 * editors (article.edit).
 */
export async function withdrawFaq(ctx: Ctx, id: number, input: FaqWithdrawInput): Promise<Result<FaqDto>> {
  const entry = await findFaq(ctx.db, id);
  if (!entry) return faqNotFound();
  const live = isLive(faqStateOf(entry));
  const denied = can(ctx.actor, live ? 'article.publish' : 'article.edit', siteScope(entry.site_id));
  if (denied) return denied;
  const next = faqTransition(faqStateOf(entry), { type: 'withdraw', reason: input.reason }, { now: ctx.now, levels: await reviewLevelsOf(ctx.db, entry.site_id) });
  if (!next.ok) return next;
  const row = await ctx.db.transaction().execute(async (tx) => {
    const r = await saveFaqStateOrConflict(tx, entry, next.value, { now: ctx.now, by: null });
    if (live) await afterOffline(tx, ctx, r, 'faq.withdrawn');
    else await cancelPending(tx, publishJobKey(r.id));
    await audit.record(tx, ctx, 'faq.withdraw', faqTarget(r), faqAuditView(entry), faqAuditView(r, { reason: input.reason }));
    return r;
  });
  return ok(await faqDto(ctx.db, row));
}
