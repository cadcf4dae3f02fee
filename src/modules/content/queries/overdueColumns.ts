import type { Ctx } from '../../../lib/ctx.js';
import { type Result, ok } from '../../../lib/errors.js';
import { columnScopes, visibleSiteIds } from '../../accounts/index.js';
import { columnUrl } from '../../sites/index.js';
import { freshness } from '../freshness.js';

export interface OverdueColumn {
  columnId: number;
  columnName: string;
  siteId: number;
  siteName: string;
  url: string;
  updateIntervalDays: number;
  lastPublishedAt: string | null;
  daysSince: number;
  overdueDays: number;
}

const LIMIT = 200;

/**
 * 栏目更新超期: the active columns with a promised update interval, in the open sites the caller
 * writes for or manages, whose newest publication (an own article or an accepted push) is older
 * than the interval — most overdue first.
 */
export async function overdueColumns(ctx: Ctx, q: { siteId?: number }): Promise<Result<{ total: number; items: OverdueColumn[] }>> {
  const sites = new Set<number>();
  for (const p of ['article.edit', 'site.manage'] as const) {
    const v = visibleSiteIds(ctx.actor, p);
    if (v === 'all') {
      for (const s of await ctx.db.selectFrom('sites').select('id').execute()) sites.add(s.id);
    } else for (const id of v) sites.add(id);
  }
  const siteIds = [...sites].filter((id) => q.siteId === undefined || id === q.siteId);
  if (siteIds.length === 0) return ok({ total: 0, items: [] });

  const columns = await ctx.db
    .selectFrom('columns')
    .innerJoin('sites', 'sites.id', 'columns.site_id')
    .select(['columns.id', 'columns.name', 'columns.site_id', 'columns.path', 'columns.id_path', 'columns.update_interval_days', 'columns.created_at', 'sites.name as site_name', 'sites.code as site_code'])
    .where('columns.site_id', 'in', siteIds)
    .where('columns.update_interval_days', 'is not', null)
    .where('columns.status', '=', 'active')
    .where('sites.status', '=', 'open')
    .execute();
  // Only the columns the caller works in (a column-scoped editor sees their subtree's).
  const mine = columns.filter((c) => {
    const scopes = [columnScopes(ctx.actor, 'article.edit', c.site_id), columnScopes(ctx.actor, 'site.manage', c.site_id)];
    return scopes.some((s) => s === 'site' || s.some((root) => c.id_path.startsWith(root)));
  });
  if (mine.length === 0) return ok({ total: 0, items: [] });

  const ids = mine.map((c) => c.id);
  const [own, pushed] = await Promise.all([
    ctx.db
      .selectFrom('articles')
      .select((eb) => ['column_id', eb.fn.max('published_at').as('last')])
      .where('column_id', 'in', ids)
      .where('status', '=', 'published')
      .groupBy('column_id')
      .execute(),
    ctx.db
      .selectFrom('syndications')
      .select((eb) => ['column_id', eb.fn.max('published_at').as('last')])
      .where('column_id', 'in', ids)
      .where('status', '=', 'published')
      .groupBy('column_id')
      .execute(),
  ]);
  const last = new Map<number, string>();
  for (const r of [...own, ...pushed]) {
    const at = r.last as string | null;
    if (at && (!last.has(r.column_id) || at > last.get(r.column_id)!)) last.set(r.column_id, at);
  }
  const items: OverdueColumn[] = [];
  for (const c of mine) {
    const lastPublishedAt = last.get(c.id) ?? null;
    const f = freshness(lastPublishedAt, c.created_at, c.update_interval_days!, ctx.now);
    if (!f.isOverdue) continue;
    items.push({
      columnId: c.id,
      columnName: c.name,
      siteId: c.site_id,
      siteName: c.site_name,
      url: columnUrl(c.site_code, c.path),
      updateIntervalDays: c.update_interval_days!,
      lastPublishedAt,
      daysSince: f.daysSince,
      overdueDays: f.overdueDays,
    });
  }
  items.sort((a, b) => b.overdueDays - a.overdueDays || a.columnId - b.columnId);
  return ok({ total: items.length, items: items.slice(0, LIMIT) });
}
