/** Input schemas of the search API (zod), and the types inferred from them. */
import { z } from 'zod';
import { DOCUMENT_TYPES } from './documents.js';
import { MAX_QUERY_LENGTH } from './query.js';

const TERM_RE = /^[\p{L}\p{N}]{2,20}$/u;

/** The visitor's query: trimmed, 1..MAX_QUERY_LENGTH characters (malformed Unicode and NUL are refused by the router). */
export const QueryText = z
  .string({ error: '请输入检索词' })
  .transform((s) => s.replace(/\s+/g, ' ').trim())
  .pipe(z.string().min(1, '请输入检索词').max(MAX_QUERY_LENGTH, `检索词不能超过 ${MAX_QUERY_LENGTH} 个字`));

const Ymd = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, '日期格式应为 YYYY-MM-DD').refine((s) => !Number.isNaN(Date.parse(`${s}T00:00:00Z`)) && new Date(`${s}T00:00:00Z`).toISOString().startsWith(s), '日期不存在');
const emptyAsUndefined = (v: unknown) => (typeof v === 'string' && v.trim() === '' ? undefined : v);

export const SearchQuery = z
  .object({
    q: QueryText,
    site: z.preprocess(emptyAsUndefined, z.string().regex(/^[a-z][a-z0-9-]{1,30}$/, '站点代码格式不正确').optional()),
    type: z.preprocess(emptyAsUndefined, z.enum(DOCUMENT_TYPES, { error: `类型应为 ${DOCUMENT_TYPES.join('、')} 之一` }).optional()),
    from: z.preprocess(emptyAsUndefined, Ymd.optional()),
    to: z.preprocess(emptyAsUndefined, Ymd.optional()),
    sort: z.preprocess(emptyAsUndefined, z.enum(['relevance', 'date'], { error: '排序应为 relevance（相关度）或 date（时间）' }).default('relevance')),
    page: z.preprocess(emptyAsUndefined, z.coerce.number({ error: '页码应为数字' }).int('页码应为整数').min(1, '页码从 1 开始').max(50, '最多查看前 50 页结果').default(1)),
    pageSize: z.preprocess(emptyAsUndefined, z.coerce.number({ error: '每页条数应为数字' }).int().min(1).max(50, '每页最多 50 条').default(10)),
  })
  .refine((v) => !v.from || !v.to || v.from <= v.to, { message: '开始日期不能晚于结束日期', path: ['from'] });
export type SearchQuery = z.infer<typeof SearchQuery>;

export const SuggestQuery = z.object({
  q: z
    .string()
    .transform((s) => s.replace(/\s+/g, ' ').trim())
    .pipe(z.string().max(MAX_QUERY_LENGTH, `检索词不能超过 ${MAX_QUERY_LENGTH} 个字`)),
  site: z.preprocess(emptyAsUndefined, z.string().regex(/^[a-z][a-z0-9-]{1,30}$/, '站点代码格式不正确').optional()),
});
export type SuggestQuery = z.infer<typeof SuggestQuery>;

export const HotQuery = z.object({ limit: z.coerce.number().int().min(1).max(50).default(10) });

export const Term = z.string({ error: '词语必须是文字' }).trim().regex(TERM_RE, '词语应为 2-20 个汉字、字母或数字（不含空格和标点）');
export const TermKind = z.enum(['department', 'service', 'policy', 'place', 'other'], { error: '类别应为 department（部门）、service（服务事项）、policy（政策用语）、place（地名）或 other' });

export const CreateTermInput = z.strictObject({ word: Term, kind: TermKind.default('other') });
export type CreateTermInput = z.infer<typeof CreateTermInput>;
export const UpdateTermInput = z.strictObject({ word: Term.optional(), kind: TermKind.optional() });
export type UpdateTermInput = z.infer<typeof UpdateTermInput>;

const SynonymWords = z
  .array(Term, { error: '同义词应为词语数组' })
  .min(2, '一组同义词至少 2 个词')
  .max(10, '一组同义词最多 10 个词')
  .refine((ws) => new Set(ws.map((w) => w.normalize('NFKC').toLowerCase())).size === ws.length, '同一组同义词中不能有重复的词');
export const SynonymInput = z.strictObject({ words: SynonymWords });
export type SynonymInput = z.infer<typeof SynonymInput>;

export const BlockInput = z.strictObject({ word: z.string({ error: '屏蔽词必须是文字' }).trim().min(1, '屏蔽词不能为空').max(50, '屏蔽词不能超过 50 个字').refine((w) => /^[^\p{Cc}\p{Cs}]+$/u.test(w), '屏蔽词含有控制字符') });
export type BlockInput = z.infer<typeof BlockInput>;

export const ListQuery = z.object({
  q: z.string().trim().max(50).optional(),
  page: z.coerce.number().int().min(1).max(100_000).default(1),
  pageSize: z.coerce.number().int().min(1).max(200).default(50),
});
export type ListQuery = z.infer<typeof ListQuery>;
