import type { DB } from '../../../../db/index.js';
import { beijingDay } from '../views.js';

export interface TopPage {
  path: string;
  siteId: number | null;
  articleId: number | null;
  views: number;
}

/**
 * The most-read pages over the last `days` Beijing calendar days (today included), for the
 * rankings on home pages; optionally of one site, optionally articles only.
 */
export async function topPages(
  db: DB,
  opts: { siteId?: number; days: number; limit?: number; articlesOnly?: boolean; now?: Date },
): Promise<TopPage[]> {
  const now = opts.now ?? new Date();
  const days = Math.max(1, Math.floor(opts.days));
  const from = beijingDay(new Date(now.getTime() - (days - 1) * 86_400_000));
  let q = db
    .selectFrom('page_views')
    .select(['path', 'site_id', 'article_id', (eb) => eb.fn.sum<number>('views').as('views')])
    .where('day', '>=', from)
    .groupBy(['path', 'site_id', 'article_id']);
  if (opts.siteId !== undefined) q = q.where('site_id', '=', opts.siteId);
  if (opts.articlesOnly) q = q.where('article_id', 'is not', null);
  const rows = await q
    .orderBy('views', 'desc')
    .orderBy('path')
    .limit(Math.min(Math.max(1, opts.limit ?? 10), 1000))
    .execute();
  return rows.map((r) => ({ path: r.path, siteId: r.site_id, articleId: r.article_id, views: Number(r.views) }));
}
