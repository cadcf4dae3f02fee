import type { Ctx } from '../../../../lib/ctx.js';
import { type Result, fail, ok } from '../../../../lib/errors.js';
import * as audit from '../../../accounts/audit.js';
import { manageableSite } from '../access.js';
import type { ThemeEngine } from '../engine.js';
import { isUniqueViolation, loadActiveOverrides } from '../overrides.js';
import { MAX_SOURCE_CHARS, MAX_ZIP_BYTES } from '../schema.js';
import { type ThemeZip, ZipRejected, readThemeZip } from '../zip.js';
import { announce, templateInvalid, writeVersion } from './write.js';

export interface ImportResult {
  imported: { name: string; version: number }[];
  /** Templates in the package identical to what the site uses now (nothing stored). */
  unchanged: string[];
  /** Entries accepted but not stored: assets (they come from the theme folder), theme.json. */
  ignored: string[];
}

/**
 * Imports a theme package as the site's overrides: every entry is checked (names, sizes, UTF-8,
 * Liquid) before anything is written; then all changed templates are saved in one transaction.
 * Any problem → nothing stored, and the first problem is reported.
 */
export async function importTheme(ctx: Ctx, engine: ThemeEngine, siteId: number, zipBase64: string): Promise<Result<ImportResult>> {
  const site = await manageableSite(ctx, siteId);
  if (!site.ok) return site;
  const data = Buffer.from(zipBase64, 'base64');
  if (data.length > MAX_ZIP_BYTES) return fail('payload_too_large', '主题包过大（zip 最大 5 MB）');
  let pkg: ThemeZip;
  try {
    pkg = readThemeZip(data);
  } catch (e) {
    if (!(e instanceof ZipRejected)) throw e;
    return fail('validation_failed', e.message, { issues: [{ path: 'zipBase64', message: e.message, entry: e.entry }] });
  }
  if (pkg.templates.size === 0) return fail('validation_failed', '主题包中没有模板（templates/*.liquid）', { issues: [{ path: 'zipBase64', message: '没有模板' }] });

  const names = [...pkg.templates.keys()].sort();
  for (const name of names) {
    const source = pkg.templates.get(name)!;
    const path = `templates/${name}.liquid`;
    if (source.length > MAX_SOURCE_CHARS) return fail('validation_failed', `模板 ${name} 过长（最多 ${MAX_SOURCE_CHARS} 个字符）`, { issues: [{ path, message: '模板过长' }] });
    const valid = engine.validate(source);
    if (!valid.ok) return templateInvalid(valid, path, `模板 ${name} `);
  }

  const overrides = await loadActiveOverrides(ctx.db, siteId);
  const changed = names.filter((n) => (Object.hasOwn(overrides, n) ? overrides[n] : engine.themeSource(site.value.theme, n)) !== pkg.templates.get(n));
  const unchanged = names.filter((n) => !changed.includes(n));
  if (changed.length === 0) return ok({ imported: [], unchanged, ignored: pkg.ignored });
  try {
    const imported = await ctx.db.transaction().execute(async (tx) => {
      const out: ImportResult['imported'] = [];
      for (const name of changed) {
        out.push({ name, version: await writeVersion(tx, ctx, siteId, name, pkg.templates.get(name)!) });
        await announce(tx, ctx, siteId, name);
      }
      await audit.record(tx, ctx, 'template.import', { type: 'site', id: siteId, siteId }, null, { templates: out, unchanged: unchanged.length, ignored: pkg.ignored.length });
      return out;
    });
    engine.invalidate(siteId);
    return ok({ imported, unchanged, ignored: pkg.ignored });
  } catch (e) {
    if (isUniqueViolation(e)) return fail('conflict', '模板正在被同时保存，请稍后重试');
    throw e;
  }
}
