import type { DB } from '../../db/index.js';
import { type Failure, fail } from '../../lib/errors.js';
import { PORTAL_CODE, portalSlugProblem } from './rules.js';

/**
 * Guards that read the database before a write. Each returns the failure to answer, or null.
 * The unique keys in the schema back them up against races (see write.ts).
 */

/** Hosts already bound to a site other than `exceptSiteId`. */
export async function hostConflict(db: DB, hosts: readonly string[], exceptSiteId: number | null): Promise<Failure | null> {
  if (hosts.length === 0) return null;
  let q = db.selectFrom('site_hosts').innerJoin('sites', 'sites.id', 'site_hosts.site_id').select(['site_hosts.host', 'sites.id', 'sites.name']).where('site_hosts.host', 'in', [...hosts]);
  if (exceptSiteId !== null) q = q.where('site_hosts.site_id', '!=', exceptSiteId);
  const taken = await q.orderBy('site_hosts.host').execute();
  const first = taken[0];
  if (!first) return null;
  return fail('conflict', `域名 ${first.host} 已绑定到站点“${first.name}”`, { field: 'hosts', taken: taken.map((t) => ({ host: t.host, siteId: t.id })) });
}

/** A site code must be unused, and must not collide with a top-level column of the portal (both live at `/{x}/`). */
export async function siteCodeConflict(db: DB, code: string, exceptSiteId: number | null): Promise<Failure | null> {
  let q = db.selectFrom('sites').select(['id', 'name']).where('code', '=', code);
  if (exceptSiteId !== null) q = q.where('id', '!=', exceptSiteId);
  const clash = await q.executeTakeFirst();
  if (clash) return fail('conflict', `站点代码“${code}”已被站点“${clash.name}”使用`, { field: 'code', siteId: clash.id });
  if (code !== PORTAL_CODE) {
    const column = await db
      .selectFrom('columns')
      .innerJoin('sites', 'sites.id', 'columns.site_id')
      .select('columns.id')
      .where('sites.code', '=', PORTAL_CODE)
      .where('columns.parent_id', 'is', null)
      .where('columns.slug', '=', code)
      .executeTakeFirst();
    if (column) return fail('conflict', `门户已有一级栏目 /${code}/，站点代码不能与之相同`, { field: 'code', columnId: column.id });
  }
  return null;
}

/** For a top-level column of the portal: its slug must be neither a reserved path nor a site code. */
export async function portalSlugConflict(db: DB, siteCode: string, parentId: number | null, slug: string): Promise<Failure | null> {
  if (siteCode !== PORTAL_CODE || parentId !== null) return null;
  const codes = await db.selectFrom('sites').select('code').where('code', '=', slug).execute();
  const problem = portalSlugProblem(slug, codes.map((c) => c.code));
  return problem ? fail('conflict', problem, { field: 'slug' }) : null;
}

/** No two siblings share a slug (their paths would be the same). */
export async function siblingSlugConflict(db: DB, siteId: number, parentId: number | null, slug: string, exceptId: number | null): Promise<Failure | null> {
  let q = db
    .selectFrom('columns')
    .select(['id', 'name'])
    .where('site_id', '=', siteId)
    .where((eb) => (parentId === null ? eb('parent_id', 'is', null) : eb('parent_id', '=', parentId)))
    .where('slug', '=', slug);
  if (exceptId !== null) q = q.where('id', '!=', exceptId);
  const clash = await q.executeTakeFirst();
  return clash ? fail('conflict', `同级栏目“${clash.name}”已使用别名“${slug}”`, { field: 'slug', columnId: clash.id }) : null;
}
