import type { DB } from '../../../db/index.js';
import type { Ctx } from '../../../lib/ctx.js';
import { type Result, fail, ok } from '../../../lib/errors.js';
import { type Actor, can, columnScopes } from '../../accounts/index.js';
import { type ColumnView, columnView } from '../dto.js';
import { type Nested, isInSubtree, nest } from '../rules.js';
import type { ColumnTable } from '../tables.js';

/** The columns of a site an actor may see: all ('site'), or the subtrees under these id_paths. */
export type ColumnVisibility = 'site' | string[];

/** Columns are visible to whoever may read content in them or manage them. */
export function columnVisibility(actor: Actor, siteId: number): ColumnVisibility {
  const manage = columnScopes(actor, 'site.manage', siteId);
  const read = columnScopes(actor, 'content.read', siteId);
  if (manage === 'site' || read === 'site') return 'site';
  return [...new Set([...manage, ...read])];
}

export const isVisible = (v: ColumnVisibility, idPath: string): boolean => v === 'site' || v.some((root) => isInSubtree(idPath, root));

export type ColumnNode = Nested<ColumnView>;

/** The column tree of a site, siblings by sort then id, cut to what `visibility` allows. */
export async function columnTree(db: DB, site: { id: number; code: string }, visibility: ColumnVisibility = 'site'): Promise<ColumnNode[]> {
  const rows = await db.selectFrom('columns').selectAll().where('site_id', '=', site.id).orderBy('sort').orderBy('id').execute();
  return nest(rows.filter((r) => isVisible(visibility, r.id_path)).map((r) => columnView(r, site.code)));
}

export async function getColumn(db: DB, id: number): Promise<ColumnView | undefined> {
  const r = await getColumnRow(db, id);
  return r && columnView(r, r.site_code);
}

/** What other modules need to authorise and route work in a column. */
export interface ColumnScopeInfo {
  id: number;
  siteId: number;
  idPath: string;
  path: string;
  reviewLevels: number;
  kind: ColumnTable['kind'];
  name: string;
}

export async function getColumnForScope(db: DB, columnId: number): Promise<ColumnScopeInfo | undefined> {
  const r = await db
    .selectFrom('columns')
    .select(['id', 'site_id', 'id_path', 'path', 'review_levels', 'kind', 'name'])
    .where('id', '=', columnId)
    .executeTakeFirst();
  return r && { id: r.id, siteId: r.site_id, idPath: r.id_path, path: r.path, reviewLevels: r.review_levels, kind: r.kind, name: r.name };
}

/** The stored row of a column with its site's code (for commands). */
export async function getColumnRow(db: DB, id: number) {
  return db
    .selectFrom('columns')
    .innerJoin('sites', 'sites.id', 'columns.site_id')
    .selectAll('columns')
    .select('sites.code as site_code')
    .where('columns.id', '=', id)
    .executeTakeFirst();
}

/** 栏目树 as the caller may see it: 403 when they may see no column of the site at all. */
export async function readColumnTree(ctx: Ctx, siteId: number): Promise<Result<{ siteId: number; items: ColumnNode[] }>> {
  const site = await ctx.db.selectFrom('sites').select(['id', 'code']).where('id', '=', siteId).executeTakeFirst();
  if (!site) return fail('not_found', '站点不存在');
  const visibility = columnVisibility(ctx.actor, siteId);
  if (visibility !== 'site' && visibility.length === 0) return can(ctx.actor, 'content.read', { siteId }) ?? fail('forbidden', '没有权限查看该站点的栏目');
  return ok({ siteId, items: await columnTree(ctx.db, site, visibility) });
}

/** One column, for a caller who may read content in it or manage it. */
export async function readColumn(ctx: Ctx, id: number): Promise<Result<ColumnView>> {
  const col = await getColumn(ctx.db, id);
  if (!col) return fail('not_found', '栏目不存在');
  if (!isVisible(columnVisibility(ctx.actor, col.siteId), col.idPath)) return can(ctx.actor, 'content.read', { siteId: col.siteId, columnIdPath: col.idPath }) ?? fail('forbidden', '没有权限查看该栏目');
  return ok(col);
}
