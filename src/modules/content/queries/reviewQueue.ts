import type { Ctx } from '../../../lib/ctx.js';
import { type Result, fail, ok } from '../../../lib/errors.js';
import { type Page, type PageQuery, offsetOf } from '../../../http/pagination.js';
import { canReviewLevel } from '../../accounts/index.js';
import { type ArticleSummaryDto, type SyndicationDto, articleSummaries, syndicationDtos } from '../dto.js';
import { columnPaths } from '../refs.js';
import { reachOf, withinReach } from './scope.js';

/** How many waiting items are examined for the caller's levels (queues are short in practice). */
const CANDIDATES = 2000;
const SYNDICATIONS_SHOWN = 100;

export interface ReviewQueue {
  /** Articles waiting at a level the caller may decide, oldest first. */
  articles: Page<ArticleSummaryDto>;
  /** Pushes into the caller's columns waiting at a level the caller may decide (at most 100). */
  syndications: SyndicationDto[];
}

/** 待审: what the caller may decide now. */
export async function reviewQueue(ctx: Ctx, q: PageQuery): Promise<Result<ReviewQueue>> {
  if (ctx.actor.kind === 'anonymous') return fail('unauthenticated', '请先登录');
  const reach = reachOf(ctx.actor, 'article.review');
  if (reach === 'none') return ok({ articles: { total: 0, page: q.page, pageSize: q.pageSize, items: [] }, syndications: [] });

  let arts = ctx.db.selectFrom('articles').where('articles.status', '=', 'submitted');
  if (reach !== 'all') arts = arts.where(withinReach(reach, 'articles'));
  const candidates = await arts.select(['articles.id', 'articles.site_id', 'articles.column_id', 'articles.review_level']).orderBy('articles.updated_at').orderBy('articles.id').limit(CANDIDATES).execute();

  let syns = ctx.db.selectFrom('syndications').where('syndications.status', '=', 'pending');
  if (reach !== 'all') syns = syns.where(withinReach(reach, 'syndications'));
  const synCandidates = await syns.selectAll('syndications').orderBy('syndications.updated_at').orderBy('syndications.id').limit(CANDIDATES).execute();

  const paths = await columnPaths(ctx.db, [...candidates.map((c) => c.column_id), ...synCandidates.map((s) => s.column_id)]);
  const decidable = (siteId: number, columnId: number, level: number) => {
    const col = paths.get(columnId);
    return !!col && canReviewLevel(ctx.actor, { siteId, columnIdPath: col.idPath }, level) === null;
  };
  const mine = candidates.filter((c) => decidable(c.site_id, c.column_id, c.review_level));
  const pageIds = mine.slice(offsetOf(q), offsetOf(q) + q.pageSize).map((c) => c.id);
  const rows = pageIds.length ? await ctx.db.selectFrom('articles').selectAll().where('id', 'in', pageIds).execute() : [];
  const order = new Map(pageIds.map((id, i) => [id, i]));
  rows.sort((a, b) => order.get(a.id)! - order.get(b.id)!);

  const mySyns = synCandidates.filter((s) => decidable(s.site_id, s.column_id, s.review_level)).slice(0, SYNDICATIONS_SHOWN);
  return ok({
    articles: { total: mine.length, page: q.page, pageSize: q.pageSize, items: await articleSummaries(ctx.db, rows) },
    syndications: await syndicationDtos(ctx.db, mySyns),
  });
}
