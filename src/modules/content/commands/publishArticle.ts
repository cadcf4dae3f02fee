import type { Ctx } from '../../../lib/ctx.js';
import { type Result, ok } from '../../../lib/errors.js';
import { iso } from '../../../lib/time.js';
import { audit } from '../../accounts/index.js';
import { loadArticle } from '../access.js';
import type { ArticleDto } from '../dto.js';
import { transition } from '../lifecycle.js';
import { goLive, schedulePublication } from '../publication.js';
import { articleDto } from '../queries/getArticle.js';
import type { PublishInput } from '../schema.js';
import { auditView, saveStateOrConflict, stateOf } from '../store.js';

/**
 * 发布: an approved article goes public now, or its scheduled time is changed (a time in the
 * future reschedules: the pending job is replaced).
 */
export async function publishArticle(ctx: Ctx, id: number, input: PublishInput): Promise<Result<ArticleDto>> {
  const loaded = await loadArticle(ctx, id, 'article.publish');
  if (!loaded.ok) return loaded;
  const { article, column } = loaded.value;
  const now = iso(ctx.now);
  const target = { type: 'article', id: article.id, siteId: article.site_id };

  if (input.publishAt && input.publishAt > now) {
    const at = input.publishAt;
    const next = transition(stateOf(article), { type: 'schedule', at }, { now: ctx.now, levels: column.reviewLevels });
    if (!next.ok) return next;
    const row = await ctx.db.transaction().execute(async (tx) => {
      const r = await saveStateOrConflict(tx, article, next.value, { now: ctx.now, by: null });
      await schedulePublication(tx, ctx, r.id, at);
      await audit.record(tx, ctx, 'article.schedule', target, auditView(article), auditView(r));
      return r;
    });
    return ok(await articleDto(ctx.db, row));
  }

  const check = transition(stateOf(article), { type: 'publish' }, { now: ctx.now, levels: column.reviewLevels });
  if (!check.ok) return check;
  // Published by hand before its scheduled time: the publication time is now.
  const set = article.publish_at && article.publish_at > now ? { publish_at: now } : {};
  const row = await ctx.db.transaction().execute((tx) => goLive(tx, ctx, article, set));
  return ok(await articleDto(ctx.db, row));
}
