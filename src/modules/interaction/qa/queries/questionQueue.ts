/**
 * 待处理问题: the staff's queue of logged questions — those the knowledge base could not answer
 * and those whose answer the visitor found unhelpful — of the sites the caller edits, newest
 * first, with how often the same question was asked. Also every logged question (status=all).
 */
import { type ExpressionBuilder, sql } from 'kysely';
import type { Database } from '../../../../db/schema.js';
import type { Ctx } from '../../../../lib/ctx.js';
import { type Result, ok } from '../../../../lib/errors.js';
import { type Page, offsetOf } from '../../../../http/pagination.js';
import { can } from '../../../accounts/index.js';
import { siteScope } from '../../faq/access.js';
import { faqSiteIds } from '../../faq/queries/listFaq.js';
import type { Feedback, QuestionStatus } from '../../tables.js';
import type { QuestionListQuery } from '../schema.js';
import { parseIds } from './conversation.js';

export interface QuestionDto {
  id: number;
  siteId: number | null;
  siteName: string | null;
  askedAt: string;
  question: string;
  answered: boolean;
  answerEntryId: number | null;
  answerQuestion: string | null;
  confidence: number;
  relatedIds: number[];
  feedback: Feedback | null;
  status: QuestionStatus;
  /** Why it is in the queue: 未能回答 / 答案没帮助. */
  reason: 'unanswered' | 'unhelpful' | null;
  handledBy: number | null;
  handledByName: string | null;
  handledAt: string | null;
  handledEntryId: number | null;
  handledNote: string;
  /** Logged questions with the same text (all time). */
  askedTimes: number;
}

const likeContains = (q: string): string => `%${q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;

const inQueue = (eb: ExpressionBuilder<Database, 'qa_questions'>) => eb.or([eb('qa_questions.answer_entry_id', 'is', null), eb('qa_questions.feedback', '=', 'unhelpful')]);

export async function questionQueue(ctx: Ctx, q: QuestionListQuery): Promise<Result<Page<QuestionDto>>> {
  if (q.siteId !== undefined) {
    const denied = can(ctx.actor, 'content.read', siteScope(q.siteId));
    if (denied) return denied;
  }
  const scope = q.siteId !== undefined ? [q.siteId] : faqSiteIds(ctx.actor, 'content.read');
  const empty = { total: 0, page: q.page, pageSize: q.pageSize, items: [] };
  if (scope !== 'all' && scope.length === 0) return ok(empty);
  let base = ctx.db.selectFrom('qa_questions');
  if (scope !== 'all') base = base.where('qa_questions.site_id', 'in', scope);
  if (q.status === 'open') {
    base = base.where('qa_questions.status', '=', 'open');
    if (q.kind === 'unanswered') base = base.where('qa_questions.answer_entry_id', 'is', null);
    else if (q.kind === 'unhelpful') base = base.where('qa_questions.feedback', '=', 'unhelpful');
    else base = base.where(inQueue);
  } else if (q.status === 'handled') base = base.where('qa_questions.status', '=', 'handled');
  if (q.q) base = base.where(sql<boolean>`qa_questions.question like ${likeContains(q.q)} escape '\\'`);
  const [total, rows] = await Promise.all([
    base.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow(),
    base
      .leftJoin('sites as s', 's.id', 'qa_questions.site_id')
      .leftJoin('faq_entries as e', 'e.id', 'qa_questions.answer_entry_id')
      .leftJoin('users as u', 'u.id', 'qa_questions.handled_by')
      .selectAll('qa_questions')
      .select(['s.name as site_name', 'e.question as answer_question', 'u.display_name as handled_by_name'])
      .orderBy('qa_questions.id', 'desc')
      .limit(q.pageSize)
      .offset(offsetOf(q))
      .execute(),
  ]);
  const texts = [...new Set(rows.map((r) => r.question))];
  const counts = new Map<string, number>();
  if (texts.length > 0) {
    const c = await ctx.db
      .selectFrom('qa_questions')
      .select(['question', (eb) => eb.fn.countAll<number>().as('n')])
      .where('question', 'in', texts)
      .groupBy('question')
      .execute();
    for (const r of c) counts.set(r.question, Number(r.n));
  }
  return ok({
    total: Number(total.n),
    page: q.page,
    pageSize: q.pageSize,
    items: rows.map((r) => ({
      id: r.id,
      siteId: r.site_id,
      siteName: r.site_name ?? null,
      askedAt: r.asked_at,
      question: r.question,
      answered: r.answer_entry_id !== null,
      answerEntryId: r.answer_entry_id,
      answerQuestion: r.answer_question ?? null,
      confidence: r.confidence,
      relatedIds: parseIds(r.related),
      feedback: r.feedback,
      status: r.status,
      reason: r.answer_entry_id === null ? 'unanswered' : r.feedback === 'unhelpful' ? 'unhelpful' : null,
      handledBy: r.handled_by,
      handledByName: r.handled_by_name ?? null,
      handledAt: r.handled_at,
      handledEntryId: r.handled_entry_id,
      handledNote: r.handled_note,
      askedTimes: counts.get(r.question) ?? 1,
    })),
  });
}
