import { z } from 'zod';
import { PageQuery } from '../../http/pagination.js';
import {
  COLUMN_SLUG_RE,
  ORG_CODE_RE,
  SITE_CODE_RE,
  THEME_RE,
  hasUnsafeChars,
  isHostName,
  isIcpNumber,
  isPsbNumber,
  isReservedCode,
  isSafeLinkUrl,
  isSiteIdCode,
  isTemplateName,
} from './rules.js';

// ---------- building blocks ----------

/** A database id in a JSON body (PostgreSQL `integer`: larger values would be a 500). */
export const Id = z.number().int().positive().max(2_147_483_647);
const Sort = z.number().int().min(-1_000_000, '排序值过小').max(1_000_000, '排序值过大');

/** Trimmed text that can be stored faithfully: no control characters, no lone surrogates. */
function text(label: string, max: number, opts: { min?: number; multiline?: boolean } = {}) {
  const base = z.string().trim();
  const sized = (opts.min ? base.min(opts.min, `${label}不能为空`) : base).max(max, `${label}不能超过 ${max} 个字符`);
  return sized.refine((s) => !hasUnsafeChars(s, opts.multiline), `${label}含有控制字符或无效的文字编码`);
}

/** An optional coded field where an empty form field ('') means "not set". */
const optionalCoded = (schema: z.ZodType<string, string>) => z.preprocess((v) => (typeof v === 'string' && v.trim() === '' ? undefined : v), schema.optional());

// ---------- organisations ----------

export const OrganisationKind = z.enum(['government', 'department', 'district', 'other'], { error: '单位类型应为 government、department、district 或 other' });
const OrgCode = z.string().trim().regex(ORG_CODE_RE, '单位代码应以小写字母开头，由 2-41 位小写字母、数字或连字符组成');
const OrgName = text('单位名称', 100, { min: 1 });

export const CreateOrganisationInput = z.strictObject({
  code: OrgCode,
  name: OrgName,
  kind: OrganisationKind.default('department'),
  parentId: Id.nullable().default(null),
  sort: Sort.default(0),
});
export type CreateOrganisationInput = z.infer<typeof CreateOrganisationInput>;

export const UpdateOrganisationInput = z.strictObject({
  code: OrgCode.optional(),
  name: OrgName.optional(),
  kind: OrganisationKind.optional(),
  parentId: Id.nullable().optional(),
  sort: Sort.optional(),
});
export type UpdateOrganisationInput = z.infer<typeof UpdateOrganisationInput>;

// ---------- sites ----------

export const SiteCode = z
  .string()
  .trim()
  .regex(SITE_CODE_RE, '站点代码应以小写字母开头，由 2-31 位小写字母、数字或连字符组成')
  .refine((c) => !isReservedCode(c), '站点代码不能使用平台保留路径（api、admin、static、media、search、healthz、metrics、assets、xxgk、bsfw、hdjl）');

export const HostName = z
  .string()
  .trim()
  .max(253, '域名过长')
  .transform((h) => h.toLowerCase())
  .refine(isHostName, '域名格式不正确（只能包含字母、数字、连字符和点，中文域名请使用 xn-- 编码，不含端口）');

export const Hosts = z
  .array(HostName)
  .max(10, '一个站点最多绑定 10 个域名')
  .transform((hs) => [...new Set(hs)]);

export const SiteLanguage = z.enum(['zh-CN', 'zh-TW', 'en'], { error: '语言应为 zh-CN、zh-TW 或 en' });
export const SiteStatus = z.enum(['open', 'building', 'closed'], { error: '站点状态应为 open（开通）、building（建设中）或 closed（关闭）' });
const Theme = z.string().trim().regex(THEME_RE, '主题名只能包含小写字母、数字和连字符（1-40 位）');
const SiteName = text('网站名称', 100, { min: 1 });

export const BannerLevel = z.enum(['info', 'warning', 'emergency'], { error: '通告级别应为 info、warning 或 emergency' });
/** An emergency or notice banner shown on every page (live within seconds, publishing/serve). */
export const BannerInput = z.strictObject({
  text: text('通告内容', 200, { min: 1 }),
  level: BannerLevel.default('info'),
});

/** Typed per-site settings: the footer identity every government site must show, contact, display flags. */
export const SiteSettings = z.strictObject({
  /** 网站标识码 */
  siteIdCode: optionalCoded(z.string().trim().refine(isSiteIdCode, '网站标识码应为10位数字或“bm”加8位数字')),
  /** ICP备案号 */
  icp: optionalCoded(z.string().trim().max(40, 'ICP备案号过长').refine(isIcpNumber, 'ICP备案号格式应为“京ICP备05012345号”或“京ICP备05012345号-1”（省份简称 + ICP备 + 编号 + 号）')),
  /** 公安机关备案号（公网安备） */
  psbNumber: optionalCoded(z.string().trim().refine(isPsbNumber, '公安备案号应为14位数字')),
  /** 主办单位 */
  sponsor: text('主办单位', 100).optional(),
  /** 承办单位 */
  organizer: text('承办单位', 100).optional(),
  /** 联系方式说明 */
  contact: text('联系方式', 200).optional(),
  address: text('地址', 200).optional(),
  phone: optionalCoded(z.string().trim().max(50, '联系电话过长').regex(/^[0-9+()（）\- 、,，/转]+$/u, '联系电话只能包含数字、空格和 + - ( ) 、 , / 转')),
  email: optionalCoded(z.string().trim().max(254, '电子邮箱过长').pipe(z.email('电子邮箱格式不正确'))),
  /** 哀悼模式（页面灰色）, for national days of mourning. */
  mourning: z.boolean({ error: '哀悼模式应为 true 或 false' }).optional(),
  /** A notice shown on every page of the site (e.g. an emergency alert); null for none. */
  banner: BannerInput.nullable().optional(),
});
export type SiteSettings = z.infer<typeof SiteSettings>;

export const CreateSiteInput = z.strictObject({
  code: SiteCode,
  name: SiteName,
  organisationId: Id,
  hosts: Hosts.default([]),
  language: SiteLanguage.default('zh-CN'),
  theme: Theme.default('default'),
  status: SiteStatus.default('open'),
  sort: Sort.default(0),
  settings: SiteSettings.default({}),
});
export type CreateSiteInput = z.infer<typeof CreateSiteInput>;

/** PATCH: fields given replace the stored ones; `settings` and `hosts` are replaced as a whole. */
export const UpdateSiteInput = z.strictObject({
  code: SiteCode.optional(),
  name: SiteName.optional(),
  organisationId: Id.optional(),
  hosts: Hosts.optional(),
  language: SiteLanguage.optional(),
  theme: Theme.optional(),
  status: SiteStatus.optional(),
  sort: Sort.optional(),
  settings: SiteSettings.optional(),
});
export type UpdateSiteInput = z.infer<typeof UpdateSiteInput>;

export const ListSitesQuery = PageQuery.extend({
  organisationId: z.coerce.number().int().positive().max(2_147_483_647).optional(),
  status: SiteStatus.optional(),
  q: text('关键词', 100).optional(),
});
export type ListSitesQuery = z.infer<typeof ListSitesQuery>;

// ---------- columns ----------

export const ColumnKind = z.enum(['list', 'page', 'link', 'disclosure', 'service', 'interaction'], {
  error: '栏目类型应为 list、page、link、disclosure、service 或 interaction',
});
export const ColumnStatus = z.enum(['active', 'hidden'], { error: '栏目状态应为 active（显示）或 hidden（隐藏）' });
const ColumnName = text('栏目名称', 60, { min: 1 });
export const ColumnSlug = z
  .string()
  .trim()
  .regex(COLUMN_SLUG_RE, '栏目别名只能包含小写字母、数字、下划线和连字符，以字母或数字开头（1-40 位）');
const UpdateIntervalDays = z.number().int().min(1, '更新周期至少 1 天').max(365, '更新周期最多 365 天').nullable();
const ReviewLevels = z.number().int().min(0, '审核级数为 0-3').max(3, '审核级数为 0-3');
export const LinkUrl = z
  .string()
  .trim()
  .max(500, '链接地址不能超过 500 个字符')
  .refine(isSafeLinkUrl, '链接地址应为 http(s):// 开头的网址，或以 / 开头的本站路径');
const Description = text('栏目描述', 500, { multiline: true });
const Keywords = text('关键词', 200);
export const Templates = z
  .record(
    z.string().regex(/^[a-z][a-z0-9_-]{0,30}$/, '模板用途名只能包含小写字母、数字、下划线和连字符'),
    z.string().trim().refine(isTemplateName, '模板名只能包含小写字母、数字、/、_ 和 -（1-60 位，不以 / 开头或结尾）'),
  )
  .refine((t) => Object.keys(t).length <= 20, '模板设置最多 20 项');

/** kind=link needs a link target, and only kind=link may have one (pure, shared by create and update). */
export function linkUrlProblem(kind: string, linkUrl: string | null | undefined): string | null {
  if (kind === 'link' && !linkUrl) return '链接类栏目必须填写链接地址';
  if (kind !== 'link' && linkUrl) return '只有链接类栏目可以填写链接地址';
  return null;
}

export const CreateColumnInput = z
  .strictObject({
    siteId: Id,
    parentId: Id.nullable().default(null),
    name: ColumnName,
    slug: ColumnSlug,
    kind: ColumnKind.default('list'),
    /** Omitted: after the last sibling. */
    sort: Sort.optional(),
    updateIntervalDays: UpdateIntervalDays.default(null),
    reviewLevels: ReviewLevels.default(1),
    linkUrl: LinkUrl.nullable().default(null),
    description: Description.default(''),
    keywords: Keywords.default(''),
    templates: Templates.default({}),
    status: ColumnStatus.default('active'),
  })
  .superRefine((c, ctx) => {
    const problem = linkUrlProblem(c.kind, c.linkUrl);
    if (problem) ctx.addIssue({ code: 'custom', path: ['linkUrl'], message: problem });
  });
export type CreateColumnInput = z.infer<typeof CreateColumnInput>;

/** PATCH: the site and the parent change only through `move`. */
export const UpdateColumnInput = z.strictObject({
  name: ColumnName.optional(),
  slug: ColumnSlug.optional(),
  kind: ColumnKind.optional(),
  sort: Sort.optional(),
  updateIntervalDays: UpdateIntervalDays.optional(),
  reviewLevels: ReviewLevels.optional(),
  linkUrl: LinkUrl.nullable().optional(),
  description: Description.optional(),
  keywords: Keywords.optional(),
  templates: Templates.optional(),
  status: ColumnStatus.optional(),
});
export type UpdateColumnInput = z.infer<typeof UpdateColumnInput>;

export const MoveColumnInput = z.strictObject({
  parentId: Id.nullable(),
  /** 0-based place among the new siblings; omitted: last. */
  position: z.number().int().min(0).max(100_000).optional(),
});
export type MoveColumnInput = z.infer<typeof MoveColumnInput>;

export const ReorderColumnsInput = z.strictObject({
  parentId: Id.nullable(),
  ids: z
    .array(Id)
    .min(1, '请给出栏目顺序')
    .max(1000, '一次最多排序 1000 个栏目')
    .refine((ids) => new Set(ids).size === ids.length, '栏目 id 不能重复'),
});
export type ReorderColumnsInput = z.infer<typeof ReorderColumnsInput>;
