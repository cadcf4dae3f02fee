import { z } from 'zod';
import { PageQuery } from '../../http/pagination.js';
import { type Failure, fail } from '../../lib/errors.js';

/**
 * Input schemas of the media library. Every string is trimmed and bounded; text that reaches the
 * database must be well-formed Unicode without control characters (PostgreSQL refuses NUL).
 */

// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u001F\u007F]/;

/** Plain text, stored as given and escaped wherever it is shown (an alt text may mention "<"). */
const plainText = (max: number) =>
  z
    .string()
    .trim()
    .max(max)
    .refine((s) => s.isWellFormed(), '包含无效字符（不完整的 Unicode 编码）')
    .refine((s) => !CONTROL.test(s), '不能包含控制字符');

export const ALT_MAX = 200;
export const ALT_REQUIRED = '图片须填写替代文本（alt）';
export const Alt = plainText(ALT_MAX);

const Id = z.coerce.number().int().positive().max(2_147_483_647);
/** An empty form field counts as absent. */
const emptyAsAbsent = (v: unknown) => (v === '' ? undefined : v);

/** The text fields of the upload form (multipart/form-data, next to the `file` part). */
export const UploadFields = z
  .object({
    siteId: z.preprocess(emptyAsAbsent, Id.optional()),
    alt: Alt.default(''),
  })
  .strict();
export type UploadFields = z.infer<typeof UploadFields>;

export const MediaListQuery = PageQuery.extend({
  siteId: z.preprocess(emptyAsAbsent, Id.optional()),
  kind: z.preprocess(emptyAsAbsent, z.enum(['image', 'document']).optional()),
  /** Part of the original file name. */
  q: z.preprocess(emptyAsAbsent, plainText(100).optional()),
});
export type MediaListQuery = z.infer<typeof MediaListQuery>;

export const UpdateMediaInput = z.object({ alt: Alt }).strict();
export type UpdateMediaInput = z.infer<typeof UpdateMediaInput>;

/** A 400 naming one field, shaped like the ones zod validation produces. */
export const fieldFailure = (path: string, message: string): Failure => fail('validation_failed', `输入有误。${path}: ${message}`, { issues: [{ path, message }] });
