import type { Ctx } from '../../../../lib/ctx.js';
import { type Result, fail, ok } from '../../../../lib/errors.js';
import { audit, can } from '../../../accounts/index.js';
import { siteScope } from '../access.js';
import type { FaqSettingsInput } from '../schema.js';
import { reviewLevelsOf, setReviewLevels } from '../store.js';

export interface FaqSettingsDto {
  siteId: number;
  reviewLevels: number;
}

/** The review levels FAQ entries of a site pass (0-3), set by the site's administrator; entries in review keep their place. */
export async function setFaqSettings(ctx: Ctx, input: FaqSettingsInput): Promise<Result<FaqSettingsDto>> {
  const site = await ctx.db.selectFrom('sites').select('id').where('id', '=', input.siteId).executeTakeFirst();
  if (!site) return fail('not_found', '站点不存在');
  const denied = can(ctx.actor, 'site.manage', siteScope(site.id));
  if (denied) return denied;
  const before = await reviewLevelsOf(ctx.db, site.id);
  await ctx.db.transaction().execute(async (tx) => {
    await setReviewLevels(tx, site.id, input.reviewLevels, ctx.now);
    await audit.record(tx, ctx, 'faq.settings', { type: 'site', id: site.id, siteId: site.id }, { reviewLevels: before }, { reviewLevels: input.reviewLevels });
  });
  return ok({ siteId: site.id, reviewLevels: input.reviewLevels });
}

export async function getFaqSettings(ctx: Ctx, siteId: number): Promise<Result<FaqSettingsDto>> {
  const site = await ctx.db.selectFrom('sites').select('id').where('id', '=', siteId).executeTakeFirst();
  if (!site) return fail('not_found', '站点不存在');
  const denied = can(ctx.actor, 'content.read', siteScope(site.id));
  if (denied) return denied;
  return ok({ siteId, reviewLevels: await reviewLevelsOf(ctx.db, siteId) });
}
