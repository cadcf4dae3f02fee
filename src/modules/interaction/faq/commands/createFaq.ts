import type { Ctx } from '../../../../lib/ctx.js';
import { AppError, type Result, fail, ok } from '../../../../lib/errors.js';
import { iso } from '../../../../lib/time.js';
import { audit, can } from '../../../accounts/index.js';
import { invalid } from '../../schema.js';
import { siteScope } from '../access.js';
import type { FaqDto } from '../dto.js';
import { faqDto } from '../queries/getFaq.js';
import { type CreateFaqInput, type FaqFields, crossFieldIssues } from '../schema.js';
import { faqAuditView, faqTarget, writeFaqVersion } from '../store.js';
import { organisationIssues } from './refs.js';

/**
 * 录入: a new draft (version 1) in a site the actor edits. Written for a logged question of the
 * 智能问答 queue (`sourceQuestionId`), it marks that question handled in the same transaction.
 */
export async function createFaq(ctx: Ctx, input: CreateFaqInput): Promise<Result<FaqDto>> {
  const site = await ctx.db.selectFrom('sites').select(['id', 'organisation_id']).where('id', '=', input.siteId).executeTakeFirst();
  if (!site) return fail('not_found', '站点不存在');
  const denied = can(ctx.actor, 'article.edit', siteScope(site.id));
  if (denied) return denied;
  if (ctx.actor.kind !== 'user') return fail('forbidden', '只有用户可以撰写问答条目');

  const fields: FaqFields = {
    organisationId: input.organisationId === undefined ? site.organisation_id : input.organisationId,
    topic: input.topic,
    question: input.question,
    variants: input.variants ?? [],
    answer: input.answer ?? '',
    refTitle: input.refTitle ?? '',
    refUrl: input.refUrl ?? '',
    effectiveAt: input.effectiveAt ?? null,
    expiresAt: input.expiresAt ?? null,
  };
  const issues = [...crossFieldIssues(fields), ...(await organisationIssues(ctx.db, fields.organisationId))];
  if (issues.length > 0) return invalid(issues);

  let source: { id: number; site_id: number | null; status: string } | undefined;
  if (input.sourceQuestionId !== undefined) {
    source = await ctx.db.selectFrom('qa_questions').select(['id', 'site_id', 'status']).where('id', '=', input.sourceQuestionId).executeTakeFirst();
    if (!source) return invalid([{ path: 'sourceQuestionId', message: '来源问题不存在' }]);
    // The question must be one the actor's queue shows (asked on a site they edit).
    if (source.site_id === null || can(ctx.actor, 'article.edit', siteScope(source.site_id))) return fail('forbidden', '没有处理该问题的权限');
    if (source.status !== 'open') return fail('conflict', '该问题已处理，请刷新问题列表');
  }

  const userId = ctx.actor.id;
  const now = iso(ctx.now);
  const row = await ctx.db.transaction().execute(async (tx) => {
    const r = await tx
      .insertInto('faq_entries')
      .values({
        site_id: site.id,
        organisation_id: fields.organisationId,
        topic: fields.topic,
        question: fields.question,
        variants: JSON.stringify(fields.variants),
        answer: fields.answer,
        ref_title: fields.refTitle,
        ref_url: fields.refUrl,
        effective_at: fields.effectiveAt,
        expires_at: fields.expiresAt,
        status: 'draft',
        review_level: 0,
        version: 1,
        approved_version: null,
        live_version: null,
        published_at: null,
        source_question_id: source?.id ?? null,
        created_by: userId,
        updated_by: userId,
        created_at: now,
        updated_at: now,
      })
      .returningAll()
      .executeTakeFirstOrThrow();
    await writeFaqVersion(tx, r.id, 1, fields, userId, ctx.now);
    await audit.record(tx, ctx, 'faq.create', faqTarget(r), null, faqAuditView(r));
    if (source) {
      const handled = await tx
        .updateTable('qa_questions')
        .set({ status: 'handled', handled_by: userId, handled_at: now, handled_entry_id: r.id, handled_note: '已转为知识库条目' })
        .where('id', '=', source.id)
        .where('status', '=', 'open')
        .executeTakeFirst();
      if (Number(handled.numUpdatedRows) !== 1) throw new AppError('conflict', '该问题刚刚被他人处理，请刷新问题列表');
      await audit.record(tx, ctx, 'qa.question.handle', { type: 'qa_question', id: source.id, siteId: source.site_id }, { status: 'open' }, { status: 'handled', entryId: r.id });
    }
    return r;
  });
  return ok(await faqDto(ctx.db, row));
}
