import type { Ctx } from '../../../../lib/ctx.js';
import { type Result, ok } from '../../../../lib/errors.js';
import { audit } from '../../../accounts/index.js';
import { invalid } from '../../schema.js';
import { loadFaq } from '../access.js';
import type { FaqDto } from '../dto.js';
import { faqTransition } from '../lifecycle.js';
import { afterFinalApproval } from '../publication.js';
import { faqDto } from '../queries/getFaq.js';
import { submitIssues } from '../schema.js';
import { faqAuditView, faqFieldsOf, faqStateOf, faqTarget, reviewLevelsOf, saveFaqStateOrConflict } from '../store.js';

/** 送审: the current version goes to the site's first review level (a site without FAQ review approves at once). */
export async function submitFaq(ctx: Ctx, id: number): Promise<Result<FaqDto>> {
  const loaded = await loadFaq(ctx, id, 'article.edit');
  if (!loaded.ok) return loaded;
  const entry = loaded.value;
  const next = faqTransition(faqStateOf(entry), { type: 'submit' }, { now: ctx.now, levels: await reviewLevelsOf(ctx.db, entry.site_id) });
  if (!next.ok) return next;
  const issues = submitIssues(faqFieldsOf(entry));
  if (issues.length > 0) return invalid(issues);
  const row = await ctx.db.transaction().execute(async (tx) => {
    const r = await saveFaqStateOrConflict(tx, entry, next.value, { now: ctx.now, by: null });
    await audit.record(tx, ctx, 'faq.submit', faqTarget(r), faqAuditView(entry), faqAuditView(r));
    return r.status === 'approved' ? afterFinalApproval(tx, ctx, r) : r;
  });
  return ok(await faqDto(ctx.db, row));
}
