import type { Ctx } from '../../../lib/ctx.js';
import { type Result, fail, ok } from '../../../lib/errors.js';
import { audit } from '../../accounts/index.js';
import { cancelPending } from '../../jobs/index.js';
import { loadArticle } from '../access.js';
import type { ArticleDto } from '../dto.js';
import { transition } from '../lifecycle.js';
import { articleDto } from '../queries/getArticle.js';
import { mediaIssues } from '../refs.js';
import { type ArticleFields, EDITABLE_FIELDS, type UpdateArticleInput, crossFieldIssues, invalid } from '../schema.js';
import { attachmentIdsOf, auditView, fieldColumns, fieldsOf, publishJobKey, replaceAttachments, saveStateOrConflict, stateOf, writeVersion } from '../store.js';

/**
 * 修改: saves a new version. Optimistic lock: the editor names the version they started from;
 * if someone saved since, nothing is written and the answer is a 409 telling them so.
 * Editing an approved or published article starts a new working version (status draft): its
 * approval was for another text; the public keeps seeing `live_version` until this one is
 * approved and published.
 */
export async function updateArticle(ctx: Ctx, id: number, input: UpdateArticleInput): Promise<Result<ArticleDto>> {
  const loaded = await loadArticle(ctx, id, 'article.edit');
  if (!loaded.ok) return loaded;
  const { article, column } = loaded.value;
  if (ctx.actor.kind !== 'user') return fail('forbidden', '只有用户可以修改稿件');
  if (input.baseVersion !== article.version)
    return fail(
      'conflict',
      `稿件已被他人修改：当前为第 ${article.version} 版，您的修改基于第 ${input.baseVersion} 版。为避免覆盖他人的修改，本次未保存；请刷新查看最新内容，合并您的修改后再保存。`,
      { currentVersion: article.version, baseVersion: input.baseVersion, updatedBy: article.updated_by, updatedAt: article.updated_at },
    );
  const next = transition(stateOf(article), { type: 'edit' }, { now: ctx.now, levels: column.reviewLevels });
  if (!next.ok) return next;

  const changes: Partial<ArticleFields> = {};
  for (const k of EDITABLE_FIELDS) if (input[k] !== undefined) (changes as Record<string, unknown>)[k] = input[k];
  const current = fieldsOf(article, await attachmentIdsOf(ctx.db, article.id));
  const merged: ArticleFields = { ...current, ...changes };
  const issues = [...crossFieldIssues(merged), ...(await mediaIssues(ctx.db, article.site_id, { coverMediaId: changes.coverMediaId, attachmentIds: changes.attachmentIds }))];
  if (issues.length > 0) return invalid(issues);

  const userId = ctx.actor.id;
  const row = await ctx.db.transaction().execute(async (tx) => {
    const r = await saveStateOrConflict(tx, article, next.value, { now: ctx.now, by: userId, set: fieldColumns(changes) });
    if (changes.attachmentIds) await replaceAttachments(tx, r.id, changes.attachmentIds);
    await writeVersion(tx, r.id, r.version, merged, userId, ctx.now);
    // An approval waiting for its publication time was for the previous text.
    if (article.status === 'approved') await cancelPending(tx, publishJobKey(r.id));
    await audit.record(tx, ctx, 'article.update', { type: 'article', id: r.id, siteId: r.site_id }, auditView(article), auditView(r, { changed: Object.keys(changes) }));
    return r;
  });
  return ok(await articleDto(ctx.db, row));
}
