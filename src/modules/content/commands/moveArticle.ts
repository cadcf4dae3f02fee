import type { Ctx } from '../../../lib/ctx.js';
import { AppError, type Result, fail, ok } from '../../../lib/errors.js';
import { iso } from '../../../lib/time.js';
import { audit, can } from '../../accounts/index.js';
import { emit } from '../../jobs/index.js';
import { loadArticle } from '../access.js';
import type { ArticleDto } from '../dto.js';
import { articleDto } from '../queries/getArticle.js';
import { ARTICLE_COLUMN_KINDS, columnRef, scopeOf } from '../refs.js';
import { type MoveInput, invalid } from '../schema.js';
import { auditView } from '../store.js';

/**
 * Moves an article to another column of the same site (article.edit on both). A live article
 * announces `article.moved` so the publisher moves its page (leaving a redirect behind).
 */
export async function moveArticle(ctx: Ctx, id: number, input: MoveInput): Promise<Result<ArticleDto>> {
  const loaded = await loadArticle(ctx, id, 'article.edit');
  if (!loaded.ok) return loaded;
  const { article, column: from } = loaded.value;
  const to = await columnRef(ctx.db, input.columnId);
  if (!to) return fail('not_found', '目标栏目不存在');
  if (to.siteId !== article.site_id) return invalid([{ path: 'columnId', message: '只能移动到本网站的栏目；推送到其他网站请使用推送' }]);
  const denied = can(ctx.actor, 'article.edit', scopeOf(to));
  if (denied) return denied;
  if (!ARTICLE_COLUMN_KINDS.includes(to.kind)) return invalid([{ path: 'columnId', message: '该栏目不能发布稿件（只有列表栏目和单页栏目可以）' }]);
  if (article.status === 'submitted') return fail('invalid_transition', '审核中的稿件不能移动，请先撤回');
  if (to.id === from.id) return ok(await articleDto(ctx.db, article));

  const row = await ctx.db.transaction().execute(async (tx) => {
    const r = await tx
      .updateTable('articles')
      .set({ column_id: to.id, updated_at: iso(ctx.now) })
      .where('id', '=', article.id)
      .where('version', '=', article.version)
      .where('column_id', '=', from.id)
      .where('status', '=', article.status)
      .returningAll()
      .executeTakeFirst();
    if (!r) throw new AppError('conflict', '稿件刚刚被他人更改，请刷新后重试');
    if (r.live_version !== null) await emit(tx, 'article.moved', { id: r.id, siteId: r.site_id, fromColumnId: from.id, toColumnId: to.id }, ctx.now);
    await audit.record(tx, ctx, 'article.move', { type: 'article', id: r.id, siteId: r.site_id }, auditView(article), auditView(r, { fromColumnId: from.id, toColumnId: to.id }));
    return r;
  });
  return ok(await articleDto(ctx.db, row));
}
