import type { Ctx } from '../../../../lib/ctx.js';
import { type Result, fail, ok } from '../../../../lib/errors.js';
import { audit } from '../../../accounts/index.js';
import { cancelPending } from '../../../jobs/index.js';
import { invalid } from '../../schema.js';
import { loadFaq } from '../access.js';
import type { FaqDto } from '../dto.js';
import { faqTransition } from '../lifecycle.js';
import { faqDto } from '../queries/getFaq.js';
import { FAQ_FIELDS, type FaqFields, type UpdateFaqInput, crossFieldIssues } from '../schema.js';
import { faqAuditView, faqFieldColumns, faqFieldsOf, faqStateOf, faqTarget, publishJobKey, reviewLevelsOf, saveFaqStateOrConflict, writeFaqVersion } from '../store.js';
import { organisationIssues } from './refs.js';

/**
 * 修改: saves a new version (optimistic lock on `baseVersion`). Editing an approved or published
 * entry starts a new working version; the public keeps the live one until this is approved.
 */
export async function updateFaq(ctx: Ctx, id: number, input: UpdateFaqInput): Promise<Result<FaqDto>> {
  const loaded = await loadFaq(ctx, id, 'article.edit');
  if (!loaded.ok) return loaded;
  const entry = loaded.value;
  if (ctx.actor.kind !== 'user') return fail('forbidden', '只有用户可以修改问答条目');
  if (input.baseVersion !== entry.version)
    return fail('conflict', `条目已被他人修改：当前为第 ${entry.version} 版，您的修改基于第 ${input.baseVersion} 版。本次未保存，请刷新后合并您的修改再保存。`, {
      currentVersion: entry.version,
      baseVersion: input.baseVersion,
    });
  const next = faqTransition(faqStateOf(entry), { type: 'edit' }, { now: ctx.now, levels: await reviewLevelsOf(ctx.db, entry.site_id) });
  if (!next.ok) return next;

  const changes: Partial<FaqFields> = {};
  for (const k of FAQ_FIELDS) if (input[k] !== undefined) (changes as Record<string, unknown>)[k] = input[k];
  const merged: FaqFields = { ...faqFieldsOf(entry), ...changes };
  const issues = [...crossFieldIssues(merged), ...(await organisationIssues(ctx.db, changes.organisationId))];
  if (issues.length > 0) return invalid(issues);

  const userId = ctx.actor.id;
  const row = await ctx.db.transaction().execute(async (tx) => {
    const r = await saveFaqStateOrConflict(tx, entry, next.value, { now: ctx.now, by: userId, set: faqFieldColumns(changes) });
    await writeFaqVersion(tx, r.id, r.version, merged, userId, ctx.now);
    // An approval waiting for its effective date was for the previous text.
    if (entry.status === 'approved') await cancelPending(tx, publishJobKey(r.id));
    await audit.record(tx, ctx, 'faq.update', faqTarget(r), faqAuditView(entry), faqAuditView(r, { changed: Object.keys(changes) }));
    return r;
  });
  return ok(await faqDto(ctx.db, row));
}
