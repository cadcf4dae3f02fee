import type { Ctx } from '../../../lib/ctx.js';
import { AppError, type Result, ok } from '../../../lib/errors.js';
import { iso } from '../../../lib/time.js';
import { audit, can } from '../../accounts/index.js';
import { emit } from '../../jobs/index.js';
import { type SyndicationDto, syndicationDtos } from '../dto.js';
import { syndicationTransition } from '../lifecycle.js';
import { syndicationEvent } from '../publication.js';
import { columnRef, scopeOf } from '../refs.js';
import type { WithdrawInput } from '../schema.js';
import { findArticle, findSyndication, syndicationAuditView } from '../store.js';
import { syndicationNotFound } from './reviewSyndication.js';

/**
 * Takes a placement down: the target site's site administrators and reviewers
 * (article.publish on the target column) decide what their site shows; the source's editors
 * may cancel their own push.
 */
export async function withdrawSyndication(ctx: Ctx, id: number, input: WithdrawInput): Promise<Result<SyndicationDto>> {
  const s = await findSyndication(ctx.db, id);
  if (!s) return syndicationNotFound();
  const target = await columnRef(ctx.db, s.column_id);
  const article = await findArticle(ctx.db, s.article_id);
  const source = article ? await columnRef(ctx.db, article.column_id) : undefined;
  if (!target || !source) return syndicationNotFound();
  const deniedTarget = can(ctx.actor, 'article.publish', scopeOf(target));
  if (deniedTarget && can(ctx.actor, 'article.edit', scopeOf(source))) return deniedTarget;
  const next = syndicationTransition({ status: s.status, reviewLevel: s.review_level }, { type: 'withdraw' }, { levels: target.reviewLevels, sourceLive: false });
  if (!next.ok) return next;
  const row = await ctx.db.transaction().execute(async (tx) => {
    const r = await tx
      .updateTable('syndications')
      .set({ status: 'withdrawn', updated_at: iso(ctx.now) })
      .where('id', '=', s.id)
      .where('status', '=', s.status)
      .returningAll()
      .executeTakeFirst();
    if (!r) throw new AppError('conflict', '推送记录刚刚被他人更改，请刷新后重试');
    if (s.status === 'published') await emit(tx, 'syndication.withdrawn', syndicationEvent(r), ctx.now);
    await audit.record(tx, ctx, 'syndication.withdraw', { type: 'syndication', id: r.id, siteId: r.site_id }, syndicationAuditView(s), syndicationAuditView(r, { reason: input.reason }));
    return r;
  });
  const [dto] = await syndicationDtos(ctx.db, [row]);
  return ok(dto!);
}
