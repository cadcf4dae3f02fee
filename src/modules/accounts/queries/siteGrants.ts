import type { Ctx } from '../../../lib/ctx.js';
import { type Result, fail, ok } from '../../../lib/errors.js';
import { can } from '../access.js';
import { ROLE_NAMES, type Role } from '../actor.js';

export interface SiteGrantColumn {
  id: number;
  parentId: number | null;
  name: string;
  idPath: string;
  kind: string;
  reviewLevels: number;
  sort: number;
}

export interface SiteGrant {
  id: number;
  userId: number;
  username: string;
  displayName: string;
  userStatus: string;
  role: Role;
  roleName: string;
  /** null: the whole site. */
  columnId: number | null;
  columnName: string | null;
  columnIdPath: string | null;
  reviewLevel: number | null;
  createdAt: string;
}

export interface SiteGrants {
  siteId: number;
  siteName: string;
  /** Every column of the site (flat, siblings by sort): what a grant can be limited to. */
  columns: SiteGrantColumn[];
  grants: SiteGrant[];
}

/**
 * 站点与栏目授权: who holds which role on a site, site-wide or limited to a column subtree, and
 * the site's columns a grant can be limited to. For the security administrator, who grants
 * (三员分立: only they change grants), and read-only for the site's administrators, who need to
 * know who edits and reviews in their columns.
 */
export async function siteGrants(ctx: Ctx, siteId: number): Promise<Result<SiteGrants>> {
  const site = await ctx.db.selectFrom('sites').select(['id', 'name']).where('id', '=', siteId).executeTakeFirst();
  if (!site) return fail('not_found', '站点不存在');
  const denied = can(ctx.actor, 'security.manage', 'global') && can(ctx.actor, 'site.manage', { siteId });
  if (denied) return denied;
  const [columns, grants] = await Promise.all([
    ctx.db
      .selectFrom('columns')
      .select(['id', 'parent_id', 'name', 'id_path', 'kind', 'review_levels', 'sort'])
      .where('site_id', '=', siteId)
      .orderBy('sort')
      .orderBy('id')
      .execute(),
    ctx.db
      .selectFrom('grants')
      .innerJoin('users', 'users.id', 'grants.user_id')
      .leftJoin('columns', 'columns.id', 'grants.column_id')
      .select([
        'grants.id',
        'grants.user_id',
        'users.username',
        'users.display_name',
        'users.status',
        'grants.role',
        'grants.column_id',
        'columns.name as column_name',
        'columns.id_path as column_id_path',
        'grants.review_level',
        'grants.created_at',
      ])
      .where('grants.site_id', '=', siteId)
      .orderBy('grants.id')
      .execute(),
  ]);
  return ok({
    siteId,
    siteName: site.name,
    columns: columns.map((c) => ({ id: c.id, parentId: c.parent_id, name: c.name, idPath: c.id_path, kind: c.kind, reviewLevels: c.review_levels, sort: c.sort })),
    grants: grants.map((g) => ({
      id: g.id,
      userId: g.user_id,
      username: g.username,
      displayName: g.display_name,
      userStatus: g.status,
      role: g.role as Role,
      roleName: ROLE_NAMES[g.role as Role] ?? g.role,
      columnId: g.column_id,
      columnName: g.column_name,
      columnIdPath: g.column_id_path,
      reviewLevel: g.review_level,
      createdAt: g.created_at,
    })),
  });
}
