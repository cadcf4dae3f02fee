import type { Ctx } from '../../../lib/ctx.js';
import { type Result, fail, ok } from '../../../lib/errors.js';
import { can } from '../../accounts/access.js';

export interface ThemeSite {
  id: number;
  code: string;
  name: string;
  theme: string;
}

/**
 * The site whose templates the actor wants to read or change: 404 when it does not exist, 403
 * without `site.manage` on it (designers are site administrators).
 */
export async function manageableSite(ctx: Ctx, siteId: number): Promise<Result<ThemeSite>> {
  const site = await ctx.db.selectFrom('sites').select(['id', 'code', 'name', 'theme']).where('id', '=', siteId).executeTakeFirst();
  if (!site) return fail('not_found', '站点不存在');
  const denied = can(ctx.actor, 'site.manage', { siteId });
  if (denied) return denied;
  return ok(site);
}
