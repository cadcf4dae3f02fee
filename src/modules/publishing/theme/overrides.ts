import type { DB } from '../../../db/index.js';

/**
 * A site's template overrides (table `template_overrides`). Every save is a new row with the next
 * version number; exactly one row per (site, name) is active while the override is in force (the
 * latest save, or the version a roll-back re-activated); none after the override was removed.
 * Reads only: the state changes are in commands/.
 */

export interface OverrideRow {
  id: number;
  site_id: number;
  name: string;
  version: number;
  source: string;
  active: number;
  created_by: number | null;
  created_at: string;
}

export interface TemplateVersionView {
  version: number;
  active: boolean;
  size: number;
  createdAt: string;
  createdBy: { id: number; username: string } | null;
}

/** name → source of the site's active overrides (the engine's `loadOverrides`). */
export async function loadActiveOverrides(db: DB, siteId: number): Promise<Record<string, string>> {
  const rows = await db.selectFrom('template_overrides').select(['name', 'source']).where('site_id', '=', siteId).where('active', '=', 1).execute();
  const out: Record<string, string> = {};
  for (const r of rows) out[r.name] = r.source;
  return out;
}

/** The active override of one template, if any. */
export async function activeOverride(db: DB, siteId: number, name: string): Promise<OverrideRow | undefined> {
  return db.selectFrom('template_overrides').selectAll().where('site_id', '=', siteId).where('name', '=', name).where('active', '=', 1).executeTakeFirst();
}

/** Name, version and time of every active override of a site. */
export async function activeOverrideList(db: DB, siteId: number): Promise<{ name: string; version: number; created_at: string }[]> {
  return db
    .selectFrom('template_overrides')
    .select(['name', 'version', 'created_at'])
    .where('site_id', '=', siteId)
    .where('active', '=', 1)
    .orderBy('name')
    .execute();
}

export async function overrideVersion(db: DB, siteId: number, name: string, version: number): Promise<OverrideRow | undefined> {
  return db.selectFrom('template_overrides').selectAll().where('site_id', '=', siteId).where('name', '=', name).where('version', '=', version).executeTakeFirst();
}

/** The highest version ever saved (0 when none): the next save is this + 1. */
export async function latestVersion(db: DB, siteId: number, name: string): Promise<number> {
  const r = await db
    .selectFrom('template_overrides')
    .select((eb) => eb.fn.max('version').as('v'))
    .where('site_id', '=', siteId)
    .where('name', '=', name)
    .executeTakeFirst();
  return Number(r?.v ?? 0);
}

export async function listVersions(
  db: DB,
  siteId: number,
  name: string,
  page: { page: number; pageSize: number },
): Promise<{ total: number; page: number; pageSize: number; items: TemplateVersionView[] }> {
  const base = db.selectFrom('template_overrides').where('template_overrides.site_id', '=', siteId).where('template_overrides.name', '=', name);
  const [rows, total] = await Promise.all([
    base
      .leftJoin('users', 'users.id', 'template_overrides.created_by')
      .select([
        'template_overrides.version',
        'template_overrides.active',
        'template_overrides.source',
        'template_overrides.created_at',
        'template_overrides.created_by',
        'users.username',
      ])
      .orderBy('template_overrides.version', 'desc')
      .limit(page.pageSize)
      .offset((page.page - 1) * page.pageSize)
      .execute(),
    base.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow(),
  ]);
  return {
    total: Number(total.n),
    page: page.page,
    pageSize: page.pageSize,
    items: rows.map((r) => ({
      version: r.version,
      active: r.active === 1,
      size: r.source.length,
      createdAt: r.created_at,
      createdBy: r.created_by !== null && r.username ? { id: r.created_by, username: r.username } : null,
    })),
  };
}

/** Is this a unique-constraint violation (two saves raced for the same version number)? */
export function isUniqueViolation(e: unknown): boolean {
  const code = (e as { code?: string } | null)?.code;
  return code === '23505' || code === 'SQLITE_CONSTRAINT_UNIQUE' || code === 'SQLITE_CONSTRAINT_PRIMARYKEY';
}
