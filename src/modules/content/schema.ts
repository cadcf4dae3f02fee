import { z } from 'zod';
import { IsoDate, PageQuery } from '../../http/pagination.js';
import { type Failure, fail } from '../../lib/errors.js';
import { sanitizeBody } from './sanitize.js';

/**
 * Input schemas of the content module. Every string is trimmed and bounded; text that reaches
 * the database must be well-formed Unicode without control characters (PostgreSQL refuses NUL,
 * a lone surrogate would be silently replaced: both are refused here, as a 400).
 */

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u001F\u007F]/;
// eslint-disable-next-line no-control-regex
const CONTROL_MULTILINE = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F]/;


/** Plain text (never markup: it is stored as typed and escaped wherever it is shown). */
function text(label: string, max: number, opts: { min?: number; multiline?: boolean } = {}) {
  const base = z.string().trim();
  const sized = (opts.min ? base.min(opts.min, `${label}不能为空`) : base).max(max, `${label}不能超过 ${max} 个字符`);
  return sized
    .refine((s) => !LONE_SURROGATE.test(s), `${label}含有无效的文字编码（不完整的 Unicode 字符）`)
    .refine((s) => !(opts.multiline ? CONTROL_MULTILINE : CONTROL).test(s), `${label}不能包含控制字符`);
}

/** A database id in a JSON body (PostgreSQL `integer`: larger values would be a 500). */
export const Id = z.number().int().positive().max(2_147_483_647);
const QueryId = z.coerce.number().int().positive().max(2_147_483_647);

/** An ISO instant with offset, normalised to the UTC text the database stores. */
export const Instant = IsoDate.refine((s) => !Number.isNaN(Date.parse(s)), '日期时间无效').transform((s) => new Date(s).toISOString());

export const BODY_MAX = 1_000_000;

/** Rich text from the editor: bounded, then passed through the allow-list sanitiser. */
export const SafeHtml = z
  .string()
  .max(BODY_MAX, `正文不能超过 ${BODY_MAX} 个字符`)
  .refine((s) => !LONE_SURROGATE.test(s), '正文含有无效的文字编码（不完整的 Unicode 字符）')
  .transform((s, ctx) => {
    const r = sanitizeBody(s);
    if (!r.ok) {
      ctx.addIssue({ code: 'custom', message: r.message });
      return z.NEVER;
    }
    return r.html;
  });

const Tag = text('标签', 20, { min: 1 });

/** The editable fields of an article (without the column, which `move` changes). */
const fields = {
  title: text('标题', 200, { min: 1 }),
  subtitle: text('副标题', 200),
  summary: text('摘要', 1000, { multiline: true }),
  body: SafeHtml,
  source: text('来源', 100),
  author: text('作者', 100),
  publishAt: Instant.nullable(),
  effectiveAt: Instant.nullable(),
  expiresAt: Instant.nullable(),
  coverMediaId: Id.nullable(),
  coverAlt: text('封面图片替代文本', 200),
  tags: z
    .array(Tag)
    .max(10, '标签最多 10 个')
    .transform((a) => [...new Set(a)]),
  attachmentIds: z
    .array(Id)
    .max(50, '附件最多 50 个')
    .refine((a) => new Set(a).size === a.length, '附件不能重复'),
};

/** The stored values of the editable fields: what a version snapshot holds. */
export interface ArticleFields {
  title: string;
  subtitle: string;
  summary: string;
  body: string;
  source: string;
  author: string;
  publishAt: string | null;
  effectiveAt: string | null;
  expiresAt: string | null;
  coverMediaId: number | null;
  coverAlt: string;
  tags: string[];
  attachmentIds: number[];
}

export const EDITABLE_FIELDS = [
  'title',
  'subtitle',
  'summary',
  'body',
  'source',
  'author',
  'publishAt',
  'effectiveAt',
  'expiresAt',
  'coverMediaId',
  'coverAlt',
  'tags',
  'attachmentIds',
] as const satisfies readonly (keyof ArticleFields)[];

export interface FieldIssue {
  path: string;
  message: string;
}

/** A 400 in the shape the route validation uses, for rules checked after parsing. */
export function invalid(issues: FieldIssue[]): Failure {
  const first = issues[0];
  return fail('validation_failed', first ? `输入有误。${first.path}: ${first.message}` : '输入有误', { issues });
}

/**
 * Rules across fields, checked on the merged result of a create or an update (an update may
 * change only one of two related fields).
 */
export function crossFieldIssues(f: Pick<ArticleFields, 'publishAt' | 'effectiveAt' | 'expiresAt' | 'coverMediaId' | 'coverAlt'>): FieldIssue[] {
  const issues: FieldIssue[] = [];
  if (f.expiresAt) {
    if (f.publishAt && f.expiresAt <= f.publishAt) issues.push({ path: 'expiresAt', message: '失效时间必须晚于发布时间' });
    if (f.effectiveAt && f.expiresAt <= f.effectiveAt) issues.push({ path: 'expiresAt', message: '失效时间必须晚于生效时间' });
  }
  if (f.coverMediaId && !f.coverAlt) issues.push({ path: 'coverAlt', message: '设置封面图片时必须填写替代文本（alt）' });
  return issues;
}

export const CreateArticleInput = z
  .strictObject({
    columnId: Id,
    title: fields.title,
    subtitle: fields.subtitle.optional(),
    summary: fields.summary.optional(),
    body: fields.body.optional(),
    source: fields.source.optional(),
    author: fields.author.optional(),
    publishAt: fields.publishAt.optional(),
    effectiveAt: fields.effectiveAt.optional(),
    expiresAt: fields.expiresAt.optional(),
    coverMediaId: fields.coverMediaId.optional(),
    coverAlt: fields.coverAlt.optional(),
    tags: fields.tags.optional(),
    attachmentIds: fields.attachmentIds.optional(),
  })
  .superRefine((o, ctx) => {
    const issues = crossFieldIssues({
      publishAt: o.publishAt ?? null,
      effectiveAt: o.effectiveAt ?? null,
      expiresAt: o.expiresAt ?? null,
      coverMediaId: o.coverMediaId ?? null,
      coverAlt: o.coverAlt ?? '',
    });
    for (const i of issues) ctx.addIssue({ code: 'custom', path: [i.path], message: i.message });
  });
export type CreateArticleInput = z.infer<typeof CreateArticleInput>;

export const UpdateArticleInput = z
  .strictObject({
    /** The version the editor started from: saving over a newer version is refused (409). */
    baseVersion: z.number().int().positive().max(2_147_483_647),
    title: fields.title.optional(),
    subtitle: fields.subtitle.optional(),
    summary: fields.summary.optional(),
    body: fields.body.optional(),
    source: fields.source.optional(),
    author: fields.author.optional(),
    publishAt: fields.publishAt.optional(),
    effectiveAt: fields.effectiveAt.optional(),
    expiresAt: fields.expiresAt.optional(),
    coverMediaId: fields.coverMediaId.optional(),
    coverAlt: fields.coverAlt.optional(),
    tags: fields.tags.optional(),
    attachmentIds: fields.attachmentIds.optional(),
  })
  .refine((o) => Object.keys(o).some((k) => k !== 'baseVersion' && (o as Record<string, unknown>)[k] !== undefined), '至少需要修改一项');
export type UpdateArticleInput = z.infer<typeof UpdateArticleInput>;

const Comment = text('审核意见', 1000, { multiline: true });
const Reason = text('原因', 1000, { min: 1, multiline: true });

export const ReviewInput = z
  .strictObject({
    decision: z.enum(['approve', 'return'], { error: '审核结论应为 approve（通过）或 return（退回）' }),
    comment: Comment.default(''),
    /** Optional: the version the reviewer read; deciding on a newer one is refused (409). */
    version: z.number().int().positive().max(2_147_483_647).optional(),
  })
  .superRefine((o, ctx) => {
    if (o.decision === 'return' && !o.comment) ctx.addIssue({ code: 'custom', path: ['comment'], message: '退回时必须填写审核意见' });
  });
export type ReviewInput = z.infer<typeof ReviewInput>;

export const PublishInput = z.strictObject({
  /** Absent, null or not in the future: publish now. In the future: (re)schedule. */
  publishAt: Instant.nullable().optional(),
});
export type PublishInput = z.infer<typeof PublishInput>;

export const WithdrawInput = z.strictObject({ reason: Reason });
export type WithdrawInput = z.infer<typeof WithdrawInput>;

export const MoveInput = z.strictObject({ columnId: Id });
export type MoveInput = z.infer<typeof MoveInput>;

export const SyndicateInput = z.strictObject({
  columnIds: z
    .array(Id)
    .min(1, '至少选择一个目标栏目')
    .max(20, '一次最多推送到 20 个栏目')
    .refine((a) => new Set(a).size === a.length, '目标栏目不能重复'),
});
export type SyndicateInput = z.infer<typeof SyndicateInput>;

export const ARTICLE_STATUSES = ['draft', 'returned', 'submitted', 'approved', 'published', 'withdrawn', 'expired'] as const;

/** A boolean in a query string. */
const QueryBool = z.enum(['true', 'false', '1', '0']).transform((v) => v === 'true' || v === '1');

export const ArticleListQuery = PageQuery.extend({
  siteId: QueryId.optional(),
  columnId: QueryId.optional(),
  /** With columnId: include the articles of its sub-columns. */
  descendants: QueryBool.optional(),
  status: z.enum(ARTICLE_STATUSES).optional(),
  q: text('搜索词', 100).optional(),
  /** Which date `from`/`to` bound: last change (default) or publication. */
  dateField: z.enum(['updatedAt', 'publishedAt']).default('updatedAt'),
  from: Instant.optional(),
  to: Instant.optional(),
  createdBy: z.literal('me', { error: 'createdBy 只能为 me' }).optional(),
});
export type ArticleListQuery = z.infer<typeof ArticleListQuery>;

export const SyndicationListQuery = PageQuery.extend({
  status: z.enum(['pending', 'approved', 'published', 'returned', 'withdrawn']).optional(),
  columnId: QueryId.optional(),
});
export type SyndicationListQuery = z.infer<typeof SyndicationListQuery>;

export const VersionParams = z.strictObject({
  id: QueryId,
  version: z.coerce.number().int().positive().max(2_147_483_647),
});

export const DiffQuery = z.strictObject({
  from: z.coerce.number().int().positive().max(2_147_483_647),
  to: z.coerce.number().int().positive().max(2_147_483_647),
});
