import type { Ctx } from '../../../../lib/ctx.js';
import { type Result, fail, ok } from '../../../../lib/errors.js';
import * as audit from '../../../accounts/audit.js';
import { manageableSite } from '../access.js';
import type { ThemeEngine } from '../engine.js';
import { activeOverride, overrideVersion } from '../overrides.js';
import { announce, templateInvalid } from './write.js';

/**
 * Makes an earlier version of a site's template override the active one again (the version keeps
 * its number; the next save still gets a new, higher one). Works after the override was removed.
 */
export async function rollbackTemplate(ctx: Ctx, engine: ThemeEngine, siteId: number, name: string, version: number): Promise<Result<{ name: string; version: number; changed: boolean }>> {
  const site = await manageableSite(ctx, siteId);
  if (!site.ok) return site;
  const target = await overrideVersion(ctx.db, siteId, name, version);
  if (!target) return fail('not_found', `模板 ${name} 没有第 ${version} 版`);
  // The rules may have tightened since it was saved: it must still parse.
  const valid = engine.validate(target.source);
  if (!valid.ok) return templateInvalid(valid, 'version', `第 ${version} 版模板`);
  const current = await activeOverride(ctx.db, siteId, name);
  if (current?.id === target.id) return ok({ name, version, changed: false });
  await ctx.db.transaction().execute(async (tx) => {
    await tx.updateTable('template_overrides').set({ active: 0 }).where('site_id', '=', siteId).where('name', '=', name).where('active', '=', 1).execute();
    await tx.updateTable('template_overrides').set({ active: 1 }).where('id', '=', target.id).execute();
    await audit.record(tx, ctx, 'template.rollback', { type: 'template', id: name, siteId }, { version: current?.version ?? null }, { version });
    await announce(tx, ctx, siteId, name);
  });
  engine.invalidate(siteId);
  return ok({ name, version, changed: true });
}
