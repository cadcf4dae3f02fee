import type { Ctx } from '../../../../lib/ctx.js';
import { type Result, fail, ok } from '../../../../lib/errors.js';
import { iso } from '../../../../lib/time.js';
import { audit, can } from '../../../accounts/index.js';
import { type Banner, CLUSTER_BANNER_KEY, readClusterBanner, siteBanner } from '../mourning.js';
import type { SetBannerInput } from '../schema.js';

export interface BannerView {
  banner: Banner | null;
  /** null: the whole cluster. */
  siteId: number | null;
}

/**
 * 紧急通告: a banner on every page of the whole cluster (system administrator) or of one site
 * (its site administrator). Live through `/_mode.css` within seconds; no page is re-rendered.
 * The site's banner is its `settings.banner` (also editable with the site's other settings).
 */
export async function setBanner(ctx: Ctx, input: SetBannerInput): Promise<Result<BannerView>> {
  const after = input.banner;
  if (input.siteId === undefined) {
    const denied = can(ctx.actor, 'system.manage', 'global');
    if (denied) return denied;
    const before = await readClusterBanner(ctx.db);
    const value = JSON.stringify(after);
    await ctx.db.transaction().execute(async (tx) => {
      await tx
        .insertInto('settings')
        .values({ key: CLUSTER_BANNER_KEY, value, updated_at: iso(ctx.now) })
        .onConflict((oc) => oc.column('key').doUpdateSet({ value, updated_at: iso(ctx.now) }))
        .execute();
      await audit.record(tx, ctx, 'publishing.banner', { type: 'cluster', id: null, siteId: null }, { banner: before }, { banner: after });
    });
    return ok({ banner: after, siteId: null });
  }

  const site = await ctx.db.selectFrom('sites').select(['id', 'settings']).where('id', '=', input.siteId).executeTakeFirst();
  if (!site) return fail('not_found', '站点不存在');
  const denied = can(ctx.actor, 'site.manage', { siteId: site.id });
  if (denied) return denied;
  let settings: Record<string, unknown> = {};
  try {
    const parsed: unknown = JSON.parse(site.settings);
    if (typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed)) settings = parsed as Record<string, unknown>;
  } catch {
    // unreadable settings: start from an empty object
  }
  const before = siteBanner(site.settings);
  await ctx.db.transaction().execute(async (tx) => {
    await tx
      .updateTable('sites')
      .set({ settings: JSON.stringify({ ...settings, banner: after }), updated_at: iso(ctx.now) })
      .where('id', '=', site.id)
      .execute();
    await audit.record(tx, ctx, 'publishing.banner', { type: 'site', id: site.id, siteId: site.id }, { banner: before }, { banner: after });
  });
  return ok({ banner: after, siteId: site.id });
}
