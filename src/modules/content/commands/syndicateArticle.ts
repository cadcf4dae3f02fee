import type { Ctx } from '../../../lib/ctx.js';
import { AppError, type Result, fail, ok } from '../../../lib/errors.js';
import { iso } from '../../../lib/time.js';
import { audit } from '../../accounts/index.js';
import { loadArticle } from '../access.js';
import { type SyndicationDto, syndicationDtos } from '../dto.js';
import { syndicationTransition } from '../lifecycle.js';
import { type ColumnRef, columnRef } from '../refs.js';
import { type SyndicateInput, invalid } from '../schema.js';
import { type SyndicationRow, syndicationAuditView } from '../store.js';

/**
 * 推送: offers an article to list columns of other sites (e.g. a department's news to the
 * portal). Each placement waits for the target column's reviewers; the text stays the source's.
 * A placement once returned or withdrawn may be offered again.
 */
export async function syndicateArticle(ctx: Ctx, id: number, input: SyndicateInput): Promise<Result<SyndicationDto[]>> {
  const loaded = await loadArticle(ctx, id, 'article.edit');
  if (!loaded.ok) return loaded;
  const { article } = loaded.value;
  if (ctx.actor.kind !== 'user') return fail('forbidden', '只有用户可以推送稿件');

  const targets: ColumnRef[] = [];
  for (const [i, columnId] of input.columnIds.entries()) {
    const c = await columnRef(ctx.db, columnId);
    if (!c) return fail('not_found', `目标栏目 ${columnId} 不存在`);
    if (c.siteId === article.site_id) return invalid([{ path: `columnIds.${i}`, message: '只能推送到其他网站的栏目；本站内请使用移动' }]);
    if (c.kind !== 'list') return invalid([{ path: `columnIds.${i}`, message: `栏目“${c.name}”不是列表栏目，不能接收推送` }]);
    targets.push(c);
  }
  const existing = await ctx.db
    .selectFrom('syndications')
    .selectAll()
    .where('article_id', '=', article.id)
    .where(
      'column_id',
      'in',
      targets.map((t) => t.id),
    )
    .execute();
  const byColumn = new Map(existing.map((s) => [s.column_id, s]));
  for (const t of targets) {
    const s = byColumn.get(t.id);
    if (s && s.status !== 'returned' && s.status !== 'withdrawn') return fail('conflict', `稿件已推送到栏目“${t.name}”`, { syndicationId: s.id });
  }

  const requester = ctx.actor.id;
  const now = iso(ctx.now);
  const rows = await ctx.db.transaction().execute(async (tx) => {
    const out: SyndicationRow[] = [];
    for (const t of targets) {
      const prev = byColumn.get(t.id);
      let row: SyndicationRow | undefined;
      if (prev) {
        const next = syndicationTransition({ status: prev.status, reviewLevel: prev.review_level }, { type: 'request' }, { levels: t.reviewLevels, sourceLive: false });
        if (!next.ok) throw AppError.from(next);
        row = await tx
          .updateTable('syndications')
          .set({ status: next.value.status, review_level: next.value.reviewLevel, requested_by: requester, published_at: null, updated_at: now })
          .where('id', '=', prev.id)
          .where('status', '=', prev.status)
          .returningAll()
          .executeTakeFirst();
        if (!row) throw new AppError('conflict', '推送记录刚刚被他人更改，请刷新后重试');
      } else {
        row = await tx
          .insertInto('syndications')
          .values({ article_id: article.id, site_id: t.siteId, column_id: t.id, status: 'pending', review_level: 1, requested_by: requester, published_at: null, created_at: now, updated_at: now })
          .returningAll()
          .executeTakeFirstOrThrow();
      }
      await audit.record(tx, ctx, 'syndication.request', { type: 'syndication', id: row.id, siteId: row.site_id }, prev ? syndicationAuditView(prev) : null, syndicationAuditView(row));
      out.push(row);
    }
    return out;
  });
  return ok(await syndicationDtos(ctx.db, rows));
}
