import type { Ctx } from '../../../lib/ctx.js';
import { type Result, fail, ok } from '../../../lib/errors.js';
import { type Page, type PageQuery, offsetOf } from '../../../http/pagination.js';
import { type ArticleSummaryDto, articleSummaries } from '../dto.js';
import { reachOf, withinReach } from './scope.js';

/** 退回稿件: the caller's own articles returned by a reviewer, still within the caller's reach. */
export async function myReturned(ctx: Ctx, q: PageQuery): Promise<Result<Page<ArticleSummaryDto>>> {
  if (ctx.actor.kind !== 'user') return fail('unauthenticated', '请先登录');
  const reach = reachOf(ctx.actor, 'content.read');
  if (reach === 'none') return ok({ total: 0, page: q.page, pageSize: q.pageSize, items: [] });
  let base = ctx.db.selectFrom('articles').where('articles.status', '=', 'returned').where('articles.created_by', '=', ctx.actor.id);
  if (reach !== 'all') base = base.where(withinReach(reach, 'articles'));
  const { n } = await base.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
  const rows = await base.selectAll('articles').orderBy('articles.updated_at', 'desc').orderBy('articles.id', 'desc').limit(q.pageSize).offset(offsetOf(q)).execute();
  return ok({ total: Number(n), page: q.page, pageSize: q.pageSize, items: await articleSummaries(ctx.db, rows) });
}
