/** Input schemas of the smart Q&A (zod): the public question and feedback, and the staff queue. */
import { z } from 'zod';
import { PageQuery } from '../../../http/pagination.js';
import { Id, QueryId, text } from '../schema.js';

/** Longest question accepted: a question, not a letter (letters go to the mailbox). */
export const QUESTION_MAX = 200;
export const CONVERSATION_RE = /^[A-Za-z0-9_-]{22}$/;

const emptyAsUndefined = (v: unknown) => (typeof v === 'string' && v.trim() === '' ? undefined : v);

export const Conversation = z.string({ error: '会话标识必须是文字' }).regex(CONVERSATION_RE, '会话标识格式不正确');
const SiteCode = z.string({ error: '站点代码必须是文字' }).regex(/^[a-z][a-z0-9-]{1,30}$/, '站点代码格式不正确');

export const AskInput = z.strictObject({
  question: z
    .string({ error: '请输入您的问题' })
    .transform((s) => s.replace(/\s+/g, ' ').trim())
    .pipe(text('问题', QUESTION_MAX, { min: 2 })),
  site: z.preprocess(emptyAsUndefined, SiteCode.optional()),
  conversation: z.preprocess(emptyAsUndefined, Conversation.optional()),
});
export type AskInput = z.infer<typeof AskInput>;

export const FeedbackInput = z.strictObject({
  conversation: Conversation,
  helpful: z.boolean({ error: 'helpful 应为 true（有帮助）或 false（没帮助）' }),
});
export type FeedbackInput = z.infer<typeof FeedbackInput>;

export const QuestionListQuery = PageQuery.extend({
  siteId: QueryId.optional(),
  /** open: the queue (unanswered or unhelpful, not handled); handled; all: every logged question. */
  status: z.enum(['open', 'handled', 'all'], { error: 'status 应为 open、handled 或 all' }).default('open'),
  /** Within the open queue: only the unanswered, or only the unhelpful ones. */
  kind: z.enum(['unanswered', 'unhelpful', 'all'], { error: 'kind 应为 unanswered、unhelpful 或 all' }).default('all'),
  q: text('关键词', 50).optional(),
});
export type QuestionListQuery = z.infer<typeof QuestionListQuery>;

export const HandleInput = z.strictObject({ note: text('处理说明', 500, { min: 1, multiline: true }) });
export type HandleInput = z.infer<typeof HandleInput>;

export const AssignInput = z.strictObject({ siteId: Id });
export type AssignInput = z.infer<typeof AssignInput>;
