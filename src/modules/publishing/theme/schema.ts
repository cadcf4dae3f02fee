import { z } from 'zod';
import { PageQuery } from '../../../http/pagination.js';
import { isTemplateName } from './names.js';

/** Longest template source accepted through the API (characters). */
export const MAX_SOURCE_CHARS = 200_000;
/** Largest theme zip accepted by the import (bytes, before base64). */
export const MAX_ZIP_BYTES = 5 * 1024 * 1024;

const SiteId = z.coerce.number().int().positive().max(2_147_483_647);

/**
 * Template names travel in URLs with "/" written as "__" ("partials__header"); a
 * percent-encoded slash ("partials%2Fheader") works too. Names themselves never contain "__".
 */
export const TemplateNameParam = z
  .string()
  .max(200)
  .transform((s) => s.replaceAll('__', '/'))
  .refine(isTemplateName, '模板名不合法：只允许小写字母、数字、_、-，目录用 “__” 或 “/” 分隔，最长 61 个字符');

export const SiteParams = z.strictObject({ id: SiteId });
export const TemplateParams = z.strictObject({ id: SiteId, name: TemplateNameParam });
export const TemplateVersionParams = z.strictObject({ id: SiteId, name: TemplateNameParam, version: z.coerce.number().int().positive().max(1_000_000) });

const Source = z.string().max(MAX_SOURCE_CHARS, `模板内容过长（最多 ${MAX_SOURCE_CHARS} 个字符）`);

export const SaveTemplateInput = z.strictObject({
  source: Source,
  /** The version the editor started from: a later save by someone else is then a 409, not lost. */
  baseVersion: z.number().int().min(0).max(1_000_000).nullable().optional(),
});
export type SaveTemplateInput = z.infer<typeof SaveTemplateInput>;

export const RollbackTemplateInput = z.strictObject({ version: z.number().int().positive().max(1_000_000) });

export const VersionsQuery = PageQuery;

export const SAMPLE_KINDS = ['home', 'column', 'page', 'article', 'sitemap', 'notfound'] as const;
export type SampleKind = (typeof SAMPLE_KINDS)[number];

export const PreviewInput = z.strictObject({
  siteId: SiteId,
  name: z.string().trim().max(200).refine(isTemplateName, '模板名不合法：只允许小写字母、数字、/、_、-'),
  source: Source,
  sample: z.enum(SAMPLE_KINDS).optional(),
});
export type PreviewInput = z.infer<typeof PreviewInput>;

export const ImportThemeInput = z.strictObject({
  zipBase64: z
    .string()
    .max(Math.ceil(MAX_ZIP_BYTES / 3) * 4, '主题包过大（zip 最大 5 MB）')
    .regex(/^[A-Za-z0-9+/]*={0,2}$/, '主题包应为 base64 编码的 zip 文件'),
});
