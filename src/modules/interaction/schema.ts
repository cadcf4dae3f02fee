/**
 * Input schemas shared by the interaction module's parts: bounded, trimmed plain text that the
 * database can store (no control characters, no lone surrogates), ids and instants.
 */
import { z } from 'zod';
import { IsoDate } from '../../http/pagination.js';
import { type Failure, fail } from '../../lib/errors.js';

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;
// eslint-disable-next-line no-control-regex -- refusing control characters is the point
const CONTROL = /[\u0000-\u001F\u007F]/;
// eslint-disable-next-line no-control-regex
const CONTROL_MULTILINE = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F]/;

/** Plain text (stored as typed, escaped wherever shown). */
export function text(label: string, max: number, opts: { min?: number; multiline?: boolean } = {}) {
  const base = z.string({ error: `${label}必须是文字` }).trim();
  const sized = (opts.min ? base.min(opts.min, opts.min === 1 ? `${label}不能为空` : `${label}至少 ${opts.min} 个字`) : base).max(max, `${label}不能超过 ${max} 个字符`);
  return sized
    .refine((s) => !LONE_SURROGATE.test(s), `${label}含有无效的文字编码（不完整的 Unicode 字符）`)
    .refine((s) => !(opts.multiline ? CONTROL_MULTILINE : CONTROL).test(s), `${label}不能包含控制字符`);
}

/** A database id in a JSON body (PostgreSQL `integer`). */
export const Id = z.number({ error: '编号必须是数字' }).int().positive().max(2_147_483_647);
export const QueryId = z.coerce.number().int().positive().max(2_147_483_647);

/** An ISO instant with offset, normalised to the UTC text the database stores. */
export const Instant = IsoDate.refine((s) => !Number.isNaN(Date.parse(s)), '日期时间无效').transform((s) => new Date(s).toISOString());

/** Site-relative path or http(s) address (no javascript:, no protocol-relative //host). */
export const LinkUrl = z
  .string({ error: '链接必须是文字' })
  .trim()
  .max(500, '链接不能超过 500 个字符')
  .refine((s) => s === '' || /^\/(?![/\\])[^\s\\]*$/.test(s) || /^https?:\/\/[^\s\\]+$/i.test(s), '链接应为本站路径（以 / 开头）或 http(s) 地址');

export interface FieldIssue {
  path: string;
  message: string;
}

/** A 400 in the route validation's shape, for rules checked after parsing. */
export function invalid(issues: FieldIssue[]): Failure {
  const first = issues[0];
  return fail('validation_failed', first ? `输入有误。${first.path}: ${first.message}` : '输入有误', { issues });
}

/** Runs of 6+ digits (ID-card, phone, bank numbers) in what a visitor typed: masked before storing. */
export const maskDigits = (s: string): string => s.replace(/\d{6,}/g, (m) => `${m.slice(0, 2)}${'*'.repeat(m.length - 4)}${m.slice(-2)}`);
