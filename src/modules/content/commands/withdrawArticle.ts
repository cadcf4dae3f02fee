import type { Ctx } from '../../../lib/ctx.js';
import { type Result, ok } from '../../../lib/errors.js';
import { audit, can } from '../../accounts/index.js';
import { cancelPending } from '../../jobs/index.js';
import { articleNotFound } from '../access.js';
import type { ArticleDto } from '../dto.js';
import { isLive, transition } from '../lifecycle.js';
import { afterOffline } from '../publication.js';
import { articleDto } from '../queries/getArticle.js';
import { columnRef, scopeOf } from '../refs.js';
import type { WithdrawInput } from '../schema.js';
import { auditView, findArticle, publishJobKey, saveStateOrConflict, stateOf } from '../store.js';

/**
 * 撤稿 / 撤回, with a reason. A live article is taken offline (needs article.publish): its
 * placements in other sites go with it. An article in review or waiting for its scheduled
 * publication, never public, is recalled by its editors to a draft (article.edit).
 */
export async function withdrawArticle(ctx: Ctx, id: number, input: WithdrawInput): Promise<Result<ArticleDto>> {
  const article = await findArticle(ctx.db, id);
  if (!article) return articleNotFound();
  const column = await columnRef(ctx.db, article.column_id);
  if (!column) return articleNotFound();
  const live = isLive(stateOf(article));
  const denied = can(ctx.actor, live ? 'article.publish' : 'article.edit', scopeOf(column));
  if (denied) return denied;
  const next = transition(stateOf(article), { type: 'withdraw', reason: input.reason }, { now: ctx.now, levels: column.reviewLevels });
  if (!next.ok) return next;
  const row = await ctx.db.transaction().execute(async (tx) => {
    const r = await saveStateOrConflict(tx, article, next.value, { now: ctx.now, by: null });
    if (live) await afterOffline(tx, ctx, r, 'article.withdrawn');
    else await cancelPending(tx, publishJobKey(r.id));
    await audit.record(tx, ctx, 'article.withdraw', { type: 'article', id: r.id, siteId: r.site_id }, auditView(article), auditView(r, { reason: input.reason }));
    return r;
  });
  return ok(await articleDto(ctx.db, row));
}
