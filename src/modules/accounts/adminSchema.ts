import { z } from 'zod';
import { IsoDate, PageQuery } from '../../http/pagination.js';
import { ROLES } from './actor.js';
import { SecurityPolicy } from './policy.js';
import { Username } from './schema.js';

/**
 * Input schemas of the administration half (users, grants, tokens, policy, audit log).
 * Every string is trimmed and bounded; text that reaches the database must be well-formed
 * Unicode without control characters (PostgreSQL refuses NUL and lone surrogates; both would
 * otherwise surface as a 500).
 */

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u001F\u007F]/;

/** One line of plain text: trimmed, bounded, well-formed, no control characters. */
export const plainText = (max: number, min = 0) =>
  z
    .string()
    .trim()
    .min(min)
    .max(max)
    .refine((s) => !LONE_SURROGATE.test(s), '包含无效字符（不完整的 Unicode 编码）')
    .refine((s) => !CONTROL.test(s), '不能包含控制字符');

/** A label people read (display names, token names): plain text without markup characters. */
const label = (max: number) => plainText(max, 1).refine((s) => !/[<>]/.test(s), '不能包含尖括号 < >');

const Email = z.string().trim().max(254).pipe(z.email('邮箱格式不正确'));
const Phone = z.string().trim().max(30).regex(/^\+?[0-9][0-9 -]{2,28}[0-9]$/, '电话号码只能包含数字、空格、连字符和开头的 +');
const Id = z.number().int().positive().max(2_147_483_647);
/** An id in a query string (bounded: PostgreSQL integers stop at 2^31-1). */
const QueryId = z.coerce.number().int().positive().max(2_147_483_647).optional();

/** An ISO instant with offset, normalised to the UTC text the database stores. */
export const Instant = IsoDate.refine((s) => !Number.isNaN(Date.parse(s)), '日期时间无效').transform((s) => new Date(s).toISOString());

export const CreateUserInput = z
  .object({
    username: Username,
    displayName: label(64),
    organisationId: Id.nullish(),
    email: Email.nullish(),
    phone: Phone.nullish(),
  })
  .strict();
export type CreateUserInput = z.infer<typeof CreateUserInput>;

export const UpdateUserInput = z
  .object({
    displayName: label(64).optional(),
    organisationId: Id.nullable().optional(),
    email: Email.nullable().optional(),
    phone: Phone.nullable().optional(),
    status: z.enum(['active', 'disabled']).optional(),
  })
  .strict()
  .refine((o) => Object.values(o).some((v) => v !== undefined), '至少需要修改一项');
export type UpdateUserInput = z.infer<typeof UpdateUserInput>;

export const UserListQuery = PageQuery.extend({
  q: plainText(64).optional(),
  status: z.enum(['active', 'disabled']).optional(),
  role: z.enum(ROLES).optional(),
  siteId: QueryId,
});
export type UserListQuery = z.infer<typeof UserListQuery>;

export const GrantRoleInput = z
  .object({
    userId: Id,
    role: z.enum(ROLES),
    siteId: Id.nullish(),
    columnId: Id.nullish(),
    reviewLevel: z.number().int().min(1).max(3).nullish(),
  })
  .strict();
export type GrantRoleInput = z.infer<typeof GrantRoleInput>;

export const TokenName = label(64);

export const CreateTokenInput = z
  .object({
    /** Only the security administrator may name another user. */
    userId: Id.optional(),
    name: TokenName,
    expiresAt: Instant.nullish(),
  })
  .strict();
export type CreateTokenInput = z.infer<typeof CreateTokenInput>;

export const TokenListQuery = PageQuery.extend({ userId: QueryId });
export type TokenListQuery = z.infer<typeof TokenListQuery>;

/** PUT replaces the whole policy; fields left out take their defaults. Unknown keys are refused. */
export const PolicyInput = SecurityPolicy.strict();

export const AuditQuery = PageQuery.extend({
  actor: plainText(100).optional(),
  action: plainText(64).optional(),
  targetType: plainText(64).optional(),
  targetId: plainText(64).optional(),
  siteId: QueryId,
  from: Instant.optional(),
  to: Instant.optional(),
});
export type AuditQuery = z.infer<typeof AuditQuery>;
