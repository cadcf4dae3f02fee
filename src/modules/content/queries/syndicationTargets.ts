import type { Ctx } from '../../../lib/ctx.js';
import { type Result, fail, ok } from '../../../lib/errors.js';
import { columnScopes } from '../../accounts/index.js';

export interface TargetColumn {
  id: number;
  parentId: number | null;
  name: string;
  /** Can receive a push (a list column); other columns are listed as the way to one. */
  selectable: boolean;
  reviewLevels: number;
}

export interface TargetSite {
  siteId: number;
  siteName: string;
  columns: TargetColumn[];
}

/**
 * 推送目标: the columns of the other open sites an article of `siteId` can be pushed to (active
 * list columns; their ancestors come along so the tree reads as on the site). Any editor of the
 * source site may ask: the names are those the public pages show anyway, and each push still
 * waits for the target column's reviewers.
 */
export async function syndicationTargets(ctx: Ctx, siteId: number): Promise<Result<{ siteId: number; sites: TargetSite[] }>> {
  const scopes = columnScopes(ctx.actor, 'article.edit', siteId);
  if (scopes !== 'site' && scopes.length === 0) return ctx.actor.kind === 'anonymous' ? fail('unauthenticated', '请先登录') : fail('forbidden', '没有权限推送该站点的稿件');
  const sites = await ctx.db.selectFrom('sites').select(['id', 'name']).where('id', '!=', siteId).where('status', '=', 'open').orderBy('sort').orderBy('id').execute();
  if (sites.length === 0) return ok({ siteId, sites: [] });
  const rows = await ctx.db
    .selectFrom('columns')
    .select(['id', 'site_id', 'parent_id', 'name', 'kind', 'id_path', 'review_levels'])
    .where(
      'site_id',
      'in',
      sites.map((s) => s.id),
    )
    .where('status', '=', 'active')
    .orderBy('sort')
    .orderBy('id')
    .execute();
  // Keep list columns and every column on the way to one.
  const needed = new Set<number>();
  for (const r of rows) if (r.kind === 'list') for (const id of r.id_path.split('/').filter(Boolean)) needed.add(Number(id));
  const out: TargetSite[] = [];
  for (const s of sites) {
    const columns = rows
      .filter((r) => r.site_id === s.id && needed.has(r.id))
      .map((r) => ({ id: r.id, parentId: r.parent_id, name: r.name, selectable: r.kind === 'list', reviewLevels: r.review_levels }));
    if (columns.some((c) => c.selectable)) out.push({ siteId: s.id, siteName: s.name, columns });
  }
  return ok({ siteId, sites: out });
}
