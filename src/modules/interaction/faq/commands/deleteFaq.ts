import type { Ctx } from '../../../../lib/ctx.js';
import { type Result, ok } from '../../../../lib/errors.js';
import { audit } from '../../../accounts/index.js';
import { cancelPending } from '../../../jobs/index.js';
import { loadFaq } from '../access.js';
import { faqTransition } from '../lifecycle.js';
import { faqAuditView, faqStateOf, faqTarget, publishJobKey } from '../store.js';

/** 删除: an entry that never went public (a draft nobody needs); its questions' links are kept as history. */
export async function deleteFaq(ctx: Ctx, id: number): Promise<Result<{ id: number; deleted: true }>> {
  const loaded = await loadFaq(ctx, id, 'article.edit');
  if (!loaded.ok) return loaded;
  const entry = loaded.value;
  const check = faqTransition(faqStateOf(entry), { type: 'delete' }, { now: ctx.now, levels: 0 });
  if (!check.ok) return check;
  await ctx.db.transaction().execute(async (tx) => {
    await cancelPending(tx, publishJobKey(entry.id));
    // A question handled by writing this draft goes back to the queue.
    await tx.updateTable('qa_questions').set({ status: 'open', handled_by: null, handled_at: null, handled_entry_id: null, handled_note: '' }).where('handled_entry_id', '=', entry.id).execute();
    await tx.deleteFrom('faq_entries').where('id', '=', entry.id).where('version', '=', entry.version).execute();
    await audit.record(tx, ctx, 'faq.delete', faqTarget(entry), faqAuditView(entry), null);
  });
  return ok({ id, deleted: true as const });
}
