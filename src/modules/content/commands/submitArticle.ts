import type { Ctx } from '../../../lib/ctx.js';
import { type Result, ok } from '../../../lib/errors.js';
import { audit } from '../../accounts/index.js';
import { loadArticle } from '../access.js';
import type { ArticleDto } from '../dto.js';
import { transition } from '../lifecycle.js';
import { afterFinalApproval } from '../publication.js';
import { articleDto } from '../queries/getArticle.js';
import { auditView, saveStateOrConflict, stateOf } from '../store.js';

/**
 * 送审: hands the current version to the column's first review level. A column without review
 * approves at once (and then publishes, or schedules, like a final approval).
 */
export async function submitArticle(ctx: Ctx, id: number): Promise<Result<ArticleDto>> {
  const loaded = await loadArticle(ctx, id, 'article.edit');
  if (!loaded.ok) return loaded;
  const { article, column } = loaded.value;
  const next = transition(stateOf(article), { type: 'submit' }, { now: ctx.now, levels: column.reviewLevels });
  if (!next.ok) return next;
  const row = await ctx.db.transaction().execute(async (tx) => {
    const r = await saveStateOrConflict(tx, article, next.value, { now: ctx.now, by: null });
    await audit.record(tx, ctx, 'article.submit', { type: 'article', id: r.id, siteId: r.site_id }, auditView(article), auditView(r));
    return r.status === 'approved' ? afterFinalApproval(tx, ctx, r) : r;
  });
  return ok(await articleDto(ctx.db, row));
}
