import type { Ctx } from '../../../../lib/ctx.js';
import { type Result, fail, ok } from '../../../../lib/errors.js';
import * as audit from '../../../accounts/audit.js';
import { manageableSite } from '../access.js';
import type { ThemeEngine } from '../engine.js';
import { activeOverride } from '../overrides.js';
import { announce, sha256 } from './write.js';

/** Ends a site's override: the theme's own file applies again. Versions are kept for roll-back. */
export async function removeTemplateOverride(ctx: Ctx, engine: ThemeEngine, siteId: number, name: string): Promise<Result<{ name: string; removed: true }>> {
  const site = await manageableSite(ctx, siteId);
  if (!site.ok) return site;
  const current = await activeOverride(ctx.db, siteId, name);
  if (!current) return fail('not_found', `本站没有覆盖模板 ${name}`);
  await ctx.db.transaction().execute(async (tx) => {
    await tx.updateTable('template_overrides').set({ active: 0 }).where('site_id', '=', siteId).where('name', '=', name).where('active', '=', 1).execute();
    await audit.record(tx, ctx, 'template.delete', { type: 'template', id: name, siteId }, { version: current.version, sha256: sha256(current.source) }, null);
    await announce(tx, ctx, siteId, name);
  });
  engine.invalidate(siteId);
  return ok({ name, removed: true });
}
