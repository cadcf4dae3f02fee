import type { Ctx } from '../../../../lib/ctx.js';
import { type Result, fail, ok } from '../../../../lib/errors.js';
import * as audit from '../../../accounts/audit.js';
import { manageableSite } from '../access.js';
import type { ThemeEngine } from '../engine.js';
import { activeOverride, isUniqueViolation } from '../overrides.js';
import type { SaveTemplateInput } from '../schema.js';
import { announce, sha256, templateInvalid, writeVersion } from './write.js';

export interface SavedTemplate {
  name: string;
  version: number;
  /** False when the source equals the active override (nothing stored). */
  changed: boolean;
}

/**
 * Saves a site's override of a template as a new version, after parsing it: a template that does
 * not parse — or reaches for a file by a variable or a bad name — is refused with its line and
 * column. `baseVersion` (0 or null: the theme's file) guards against overwriting a colleague's save.
 */
export async function saveTemplate(ctx: Ctx, engine: ThemeEngine, siteId: number, name: string, input: SaveTemplateInput): Promise<Result<SavedTemplate>> {
  const site = await manageableSite(ctx, siteId);
  if (!site.ok) return site;
  const valid = engine.validate(input.source);
  if (!valid.ok) return templateInvalid(valid);
  const current = await activeOverride(ctx.db, siteId, name);
  if (input.baseVersion !== undefined && (input.baseVersion ?? 0) !== (current?.version ?? 0)) {
    return fail('conflict', `模板已被他人修改（当前版本 ${current?.version ?? 0}），请重新打开后再保存`, { currentVersion: current?.version ?? 0 });
  }
  if (current && current.source === input.source) return ok({ name, version: current.version, changed: false });
  try {
    const version = await ctx.db.transaction().execute(async (tx) => {
      const v = await writeVersion(tx, ctx, siteId, name, input.source);
      await audit.record(
        tx,
        ctx,
        'template.save',
        { type: 'template', id: name, siteId },
        current ? { version: current.version, sha256: sha256(current.source) } : null,
        { version: v, sha256: sha256(input.source), size: input.source.length },
      );
      await announce(tx, ctx, siteId, name);
      return v;
    });
    engine.invalidate(siteId);
    return ok({ name, version, changed: true });
  } catch (e) {
    if (isUniqueViolation(e)) return fail('conflict', '模板正在被同时保存，请稍后重试');
    throw e;
  }
}
