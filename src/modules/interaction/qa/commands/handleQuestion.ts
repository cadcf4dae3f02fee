import type { Ctx } from '../../../../lib/ctx.js';
import { AppError, type Result, fail, ok } from '../../../../lib/errors.js';
import { iso } from '../../../../lib/time.js';
import { audit, can } from '../../../accounts/index.js';
import { siteScope } from '../../faq/access.js';
import type { AssignInput, HandleInput } from '../schema.js';

export interface HandledDto {
  id: number;
  status: 'handled' | 'open';
  siteId: number | null;
}

const target = (q: { id: number; site_id: number | null }) => ({ type: 'qa_question', id: q.id, siteId: q.site_id });

async function loadQuestion(ctx: Ctx, id: number) {
  const q = await ctx.db.selectFrom('qa_questions').select(['id', 'site_id', 'status', 'question']).where('id', '=', id).executeTakeFirst();
  if (!q) return fail('not_found', '问题不存在');
  // Questions asked nowhere in particular (their site deleted) belong to the system administrator.
  const denied = can(ctx.actor, 'article.edit', q.site_id === null ? 'global' : siteScope(q.site_id));
  if (denied) return denied;
  return ok(q);
}

/** 标记已处理: out of the queue without a new entry (answered elsewhere, not a question, a duplicate …), with a note. */
export async function handleQuestion(ctx: Ctx, id: number, input: HandleInput): Promise<Result<HandledDto>> {
  const loaded = await loadQuestion(ctx, id);
  if (!loaded.ok) return loaded;
  const q = loaded.value;
  if (ctx.actor.kind !== 'user') return fail('forbidden', '只有用户可以处理问题');
  if (q.status !== 'open') return fail('conflict', '该问题已处理');
  const userId = ctx.actor.id;
  await ctx.db.transaction().execute(async (tx) => {
    const r = await tx
      .updateTable('qa_questions')
      .set({ status: 'handled', handled_by: userId, handled_at: iso(ctx.now), handled_note: input.note })
      .where('id', '=', q.id)
      .where('status', '=', 'open')
      .executeTakeFirst();
    if (Number(r.numUpdatedRows) !== 1) throw new AppError('conflict', '该问题刚刚被他人处理，请刷新问题列表');
    await audit.record(tx, ctx, 'qa.question.handle', target(q), { status: 'open' }, { status: 'handled', note: input.note });
  });
  return ok({ id: q.id, status: 'handled', siteId: q.site_id });
}

/** 转交: the question goes to the queue of another site's staff (the department that knows the answer). */
export async function assignQuestion(ctx: Ctx, id: number, input: AssignInput): Promise<Result<HandledDto>> {
  const loaded = await loadQuestion(ctx, id);
  if (!loaded.ok) return loaded;
  const q = loaded.value;
  if (q.status !== 'open') return fail('conflict', '该问题已处理，不能转交');
  const site = await ctx.db.selectFrom('sites').select(['id', 'status']).where('id', '=', input.siteId).executeTakeFirst();
  if (!site) return fail('validation_failed', '输入有误。siteId: 站点不存在', { issues: [{ path: 'siteId', message: '站点不存在' }] });
  if (site.id === q.site_id) return fail('validation_failed', '输入有误。siteId: 问题已在该站点的待处理列表中', { issues: [{ path: 'siteId', message: '问题已在该站点的待处理列表中' }] });
  await ctx.db.transaction().execute(async (tx) => {
    await tx.updateTable('qa_questions').set({ site_id: site.id }).where('id', '=', q.id).where('status', '=', 'open').execute();
    await audit.record(tx, ctx, 'qa.question.assign', target(q), { siteId: q.site_id }, { siteId: site.id });
  });
  return ok({ id: q.id, status: 'open', siteId: site.id });
}
