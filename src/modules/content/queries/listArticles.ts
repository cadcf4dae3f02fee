import type { Ctx } from '../../../lib/ctx.js';
import { type Result, fail, ok } from '../../../lib/errors.js';
import { type Page, offsetOf } from '../../../http/pagination.js';
import { can } from '../../accounts/index.js';
import { type ArticleSummaryDto, articleSummaries } from '../dto.js';
import { columnRef, columnsUnder, scopeOf } from '../refs.js';
import type { ArticleListQuery } from '../schema.js';
import { containsText, reachOf, withinReach } from './scope.js';

const emptyPage = (q: ArticleListQuery): Page<ArticleSummaryDto> => ({ total: 0, page: q.page, pageSize: q.pageSize, items: [] });

/**
 * Articles the caller may read (content.read), newest change first: a department's editor only
 * ever sees the columns granted to them. Filters narrow within that; asking for a site or
 * column outside it is a 403.
 */
export async function listArticles(ctx: Ctx, q: ArticleListQuery): Promise<Result<Page<ArticleSummaryDto>>> {
  if (ctx.actor.kind === 'anonymous') return fail('unauthenticated', '请先登录');
  const reach = reachOf(ctx.actor, 'content.read');
  if (q.siteId !== undefined && reach !== 'all' && (reach === 'none' || !reach.some((p) => p.siteId === q.siteId))) return fail('forbidden', '没有权限查看该网站的稿件');
  if (reach === 'none') return ok(emptyPage(q));

  let base = ctx.db.selectFrom('articles');
  if (reach !== 'all') base = base.where(withinReach(reach, 'articles'));
  if (q.siteId !== undefined) base = base.where('articles.site_id', '=', q.siteId);
  if (q.columnId !== undefined) {
    const column = await columnRef(ctx.db, q.columnId);
    if (!column) return fail('not_found', '栏目不存在');
    // A subtree may be readable in part only: the reach condition above still applies.
    if (!q.descendants) {
      const denied = can(ctx.actor, 'content.read', scopeOf(column));
      if (denied) return denied;
      base = base.where('articles.column_id', '=', column.id);
    } else {
      base = base.where('articles.column_id', 'in', (eb) => columnsUnder(eb, column.siteId, [column.idPath]));
    }
  }
  if (q.status) base = base.where('articles.status', '=', q.status);
  if (q.q) {
    const text = q.q;
    base = base.where(() => containsText('articles.title', text));
  }
  const dateColumn = q.dateField === 'publishedAt' ? 'articles.published_at' : 'articles.updated_at';
  if (q.dateField === 'publishedAt') base = base.where('articles.published_at', 'is not', null);
  if (q.from) base = base.where(dateColumn, '>=', q.from);
  if (q.to) base = base.where(dateColumn, '<=', q.to);
  if (q.createdBy === 'me' && ctx.actor.kind === 'user') base = base.where('articles.created_by', '=', ctx.actor.id);

  const { n } = await base.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
  const rows = await base.selectAll('articles').orderBy(dateColumn, 'desc').orderBy('articles.id', 'desc').limit(q.pageSize).offset(offsetOf(q)).execute();
  return ok({ total: Number(n), page: q.page, pageSize: q.pageSize, items: await articleSummaries(ctx.db, rows) });
}
