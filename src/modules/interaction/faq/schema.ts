/** Input schemas of the FAQ knowledge base (zod) and the field set a version snapshot holds. */
import { z } from 'zod';
import { PageQuery } from '../../../http/pagination.js';
import { sanitizeBody } from '../../content/index.js';
import { type FieldIssue, Id, Instant, LinkUrl, QueryId, text } from '../schema.js';
import { COMMENT_MAX } from './lifecycle.js';

export const ANSWER_MAX = 50_000;
export const MAX_VARIANTS = 30;

/** The answer: rich text from the editor, bounded, then through the content module's allow-list sanitiser. */
export const AnswerHtml = z
  .string({ error: '答案必须是文字' })
  .max(ANSWER_MAX, `答案不能超过 ${ANSWER_MAX} 个字符`)
  .transform((s, ctx) => {
    const r = sanitizeBody(s);
    if (!r.ok) {
      ctx.addIssue({ code: 'custom', message: r.message });
      return z.NEVER;
    }
    return r.html;
  });

const Question = text('问题', 200, { min: 2 });
const Variants = z
  .array(text('同义问法', 200, { min: 2 }), { error: '同义问法应为文字数组' })
  .max(MAX_VARIANTS, `同义问法最多 ${MAX_VARIANTS} 条`)
  .transform((a) => [...new Set(a)]);

const fields = {
  organisationId: Id.nullable(),
  topic: text('主题', 30, { min: 1 }),
  question: Question,
  variants: Variants,
  answer: AnswerHtml,
  refTitle: text('关联事项名称', 200),
  refUrl: LinkUrl,
  effectiveAt: Instant.nullable(),
  expiresAt: Instant.nullable(),
};

/** The stored values of the editable fields: what a version snapshot holds. */
export interface FaqFields {
  organisationId: number | null;
  topic: string;
  question: string;
  variants: string[];
  answer: string;
  refTitle: string;
  refUrl: string;
  effectiveAt: string | null;
  expiresAt: string | null;
}

export const FAQ_FIELDS = ['organisationId', 'topic', 'question', 'variants', 'answer', 'refTitle', 'refUrl', 'effectiveAt', 'expiresAt'] as const satisfies readonly (keyof FaqFields)[];

export const CreateFaqInput = z.strictObject({
  siteId: Id,
  organisationId: fields.organisationId.optional(),
  topic: fields.topic,
  question: fields.question,
  variants: fields.variants.optional(),
  answer: fields.answer.optional(),
  refTitle: fields.refTitle.optional(),
  refUrl: fields.refUrl.optional(),
  effectiveAt: fields.effectiveAt.optional(),
  expiresAt: fields.expiresAt.optional(),
  /** A logged question of the 智能问答 queue this entry answers: it is marked handled with it. */
  sourceQuestionId: Id.optional(),
});
export type CreateFaqInput = z.infer<typeof CreateFaqInput>;

export const UpdateFaqInput = z.strictObject({
  /** The version the editor started from (optimistic lock). */
  baseVersion: z.number({ error: 'baseVersion 必须是数字' }).int().positive(),
  organisationId: fields.organisationId.optional(),
  topic: fields.topic.optional(),
  question: fields.question.optional(),
  variants: fields.variants.optional(),
  answer: fields.answer.optional(),
  refTitle: fields.refTitle.optional(),
  refUrl: fields.refUrl.optional(),
  effectiveAt: fields.effectiveAt.optional(),
  expiresAt: fields.expiresAt.optional(),
});
export type UpdateFaqInput = z.infer<typeof UpdateFaqInput>;

export const FaqReviewInput = z.strictObject({
  decision: z.enum(['approve', 'return'], { error: 'decision 应为 approve（通过）或 return（退回）' }),
  comment: text('审核意见', COMMENT_MAX, { multiline: true }).default(''),
  /** The version the reviewer read; a newer one gets a 409. */
  version: z.number().int().positive().optional(),
});
export type FaqReviewInput = z.infer<typeof FaqReviewInput>;

export const FaqWithdrawInput = z.strictObject({ reason: text('原因', 500, { min: 1, multiline: true }) });
export type FaqWithdrawInput = z.infer<typeof FaqWithdrawInput>;

const STATUSES = ['draft', 'returned', 'submitted', 'approved', 'published', 'withdrawn', 'expired'] as const;

export const FaqListQuery = PageQuery.extend({
  siteId: QueryId.optional(),
  status: z.enum(STATUSES, { error: `状态应为 ${STATUSES.join('、')} 之一` }).optional(),
  topic: text('主题', 30).optional(),
  q: text('关键词', 50).optional(),
  /** Only entries waiting for a review level the caller may decide. */
  awaitingMe: z.enum(['1', 'true']).optional(),
});
export type FaqListQuery = z.infer<typeof FaqListQuery>;

export const FaqSettingsQuery = z.object({ siteId: QueryId });
export const FaqSettingsInput = z.strictObject({
  siteId: Id,
  reviewLevels: z.number({ error: '审核级数必须是数字' }).int('审核级数必须是整数').min(0, '审核级数为 0-3').max(3, '审核级数为 0-3'),
});
export type FaqSettingsInput = z.infer<typeof FaqSettingsInput>;

/** Rules across fields, on the merged result of a create or an update. */
export function crossFieldIssues(f: Pick<FaqFields, 'effectiveAt' | 'expiresAt' | 'question' | 'variants'>): FieldIssue[] {
  const issues: FieldIssue[] = [];
  if (f.expiresAt && f.effectiveAt && f.expiresAt <= f.effectiveAt) issues.push({ path: 'expiresAt', message: '失效时间必须晚于生效时间' });
  const i = f.variants.findIndex((v) => v === f.question);
  if (i >= 0) issues.push({ path: `variants.${i}`, message: '同义问法不能与标准问题相同' });
  return issues;
}

/** What submitting needs beyond a draft: an answer. */
export function submitIssues(f: Pick<FaqFields, 'answer'>): FieldIssue[] {
  return f.answer.replace(/<[^>]*>/g, '').trim() === '' ? [{ path: 'answer', message: '送审前请填写答案' }] : [];
}
