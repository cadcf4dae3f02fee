import type { Ctx } from '../../../lib/ctx.js';
import { AppError, type Result, ok } from '../../../lib/errors.js';
import { audit } from '../../accounts/index.js';
import { cancelPending } from '../../jobs/index.js';
import { loadArticle } from '../access.js';
import { transition } from '../lifecycle.js';
import { auditView, expireJobKey, publishJobKey, stateOf } from '../store.js';

/** Deletes an article that never went public, with its versions, reviews and pushes. */
export async function deleteArticle(ctx: Ctx, id: number): Promise<Result<{ id: number; deleted: true }>> {
  const loaded = await loadArticle(ctx, id, 'article.edit');
  if (!loaded.ok) return loaded;
  const { article, column } = loaded.value;
  const allowed = transition(stateOf(article), { type: 'delete' }, { now: ctx.now, levels: column.reviewLevels });
  if (!allowed.ok) return allowed;
  await ctx.db.transaction().execute(async (tx) => {
    await cancelPending(tx, publishJobKey(article.id));
    await cancelPending(tx, expireJobKey(article.id));
    await tx.deleteFrom('article_reviews').where('article_id', '=', article.id).execute();
    await tx.deleteFrom('syndications').where('article_id', '=', article.id).execute();
    await tx.deleteFrom('article_attachments').where('article_id', '=', article.id).execute();
    await tx.deleteFrom('article_versions').where('article_id', '=', article.id).execute();
    const r = await tx
      .deleteFrom('articles')
      .where('id', '=', article.id)
      .where('version', '=', article.version)
      .where('live_version', 'is', null)
      .where('published_at', 'is', null)
      .executeTakeFirst();
    if (Number(r.numDeletedRows) !== 1) throw new AppError('conflict', '稿件刚刚被他人更改，请刷新后重试');
    await audit.record(tx, ctx, 'article.delete', { type: 'article', id: article.id, siteId: article.site_id }, auditView(article), null);
  });
  return ok({ id: article.id, deleted: true });
}
