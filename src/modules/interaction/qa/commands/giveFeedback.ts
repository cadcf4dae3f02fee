import type { DB } from '../../../../db/index.js';
import { type Result, fail, ok } from '../../../../lib/errors.js';
import { iso } from '../../../../lib/time.js';
import type { Feedback } from '../../tables.js';

export interface FeedbackDto {
  questionId: number;
  feedback: Feedback;
}

/**
 * 有帮助 / 没帮助: the visitor's verdict on an answer, for a question of their own conversation
 * (the token proves it; question ids are sequential). They may change their mind while the staff
 * have not handled the question; "没帮助" puts the question in the staff's queue.
 */
export async function giveFeedback(env: { db: DB; now: Date }, questionId: number, input: { conversation: string; helpful: boolean }): Promise<Result<FeedbackDto>> {
  const q = await env.db.selectFrom('qa_questions').select(['id', 'conversation', 'status', 'feedback']).where('id', '=', questionId).executeTakeFirst();
  // Someone else's question is as absent as a missing one.
  if (!q || q.conversation !== input.conversation) return fail('not_found', '问题不存在或不属于本次会话');
  if (q.status === 'handled') return fail('conflict', '该问题已由工作人员处理，感谢您的反馈');
  const feedback: Feedback = input.helpful ? 'helpful' : 'unhelpful';
  const r = await env.db
    .updateTable('qa_questions')
    .set({ feedback, feedback_at: iso(env.now) })
    .where('id', '=', q.id)
    .where('conversation', '=', input.conversation)
    .where('status', '=', 'open')
    .executeTakeFirst();
  if (Number(r.numUpdatedRows) !== 1) return fail('conflict', '该问题刚刚被处理，请刷新页面');
  return ok({ questionId: q.id, feedback });
}
