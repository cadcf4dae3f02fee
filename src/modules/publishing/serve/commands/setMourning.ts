import type { Ctx } from '../../../../lib/ctx.js';
import { type Result, fail, ok } from '../../../../lib/errors.js';
import { iso } from '../../../../lib/time.js';
import { audit, can } from '../../../accounts/index.js';
import { CLUSTER_MOURNING_KEY, readClusterMourning, siteMourning } from '../mourning.js';
import type { MourningInput } from '../schema.js';

export interface MourningView {
  on: boolean;
  /** null: the whole cluster. */
  siteId: number | null;
}

/**
 * 哀悼模式: grey pages for the whole cluster (system administrator) or one site (its site
 * administrator). Takes effect through `/_mode.css` within seconds; no page is re-rendered.
 */
export async function setMourning(ctx: Ctx, input: MourningInput): Promise<Result<MourningView>> {
  if (input.siteId === undefined) {
    const denied = can(ctx.actor, 'system.manage', 'global');
    if (denied) return denied;
    const before = await readClusterMourning(ctx.db);
    const value = JSON.stringify(input.on);
    await ctx.db.transaction().execute(async (tx) => {
      await tx
        .insertInto('settings')
        .values({ key: CLUSTER_MOURNING_KEY, value, updated_at: iso(ctx.now) })
        .onConflict((oc) => oc.column('key').doUpdateSet({ value, updated_at: iso(ctx.now) }))
        .execute();
      await audit.record(tx, ctx, 'publishing.mourning', { type: 'cluster', id: null, siteId: null }, { on: before }, { on: input.on });
    });
    return ok({ on: input.on, siteId: null });
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
  const before = siteMourning(site.settings);
  await ctx.db.transaction().execute(async (tx) => {
    await tx
      .updateTable('sites')
      .set({ settings: JSON.stringify({ ...settings, mourning: input.on }), updated_at: iso(ctx.now) })
      .where('id', '=', site.id)
      .execute();
    await audit.record(tx, ctx, 'publishing.mourning', { type: 'site', id: site.id, siteId: site.id }, { on: before }, { on: input.on });
  });
  return ok({ on: input.on, siteId: site.id });
}
