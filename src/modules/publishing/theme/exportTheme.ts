import type { Ctx } from '../../../lib/ctx.js';
import { type Result, ok } from '../../../lib/errors.js';
import { iso } from '../../../lib/time.js';
import { manageableSite } from './access.js';
import type { ThemeEngine } from './engine.js';
import { writeThemeZip } from './zip.js';

/** The site's effective theme as a zip: every template (override or theme file) and the theme's assets. */
export async function exportTheme(ctx: Ctx, engine: ThemeEngine, siteId: number): Promise<Result<{ filename: string; data: Uint8Array }>> {
  const site = await manageableSite(ctx, siteId);
  if (!site.ok) return site;
  const { theme, code } = site.value;
  const rows = await ctx.db
    .selectFrom('template_overrides')
    .select(['name', 'version', 'source'])
    .where('site_id', '=', siteId)
    .where('active', '=', 1)
    .execute();
  const templates = new Map<string, string>();
  for (const name of engine.themeTemplates(theme)) templates.set(name, engine.themeSource(theme, name)!);
  for (const r of rows) templates.set(r.name, r.source);
  const manifest = {
    format: 'jiyue-theme/1',
    theme,
    site: code,
    exportedAt: iso(ctx.now),
    overridden: rows.map((r) => ({ name: r.name, version: r.version })).sort((a, b) => a.name.localeCompare(b.name)),
  };
  const data = writeThemeZip({ templates, assets: engine.themeAssets(theme), manifest, mtime: ctx.now });
  return ok({ filename: `theme-${code}.zip`, data });
}
