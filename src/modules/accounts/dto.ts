import type { Selectable } from 'kysely';
import { iso } from '../../lib/time.js';
import { ROLE_NAMES, type Role } from './actor.js';
import type { ApiTokenTable, AuditLogTable, UserTable } from './tables.js';

/**
 * Rows → API objects (camelCase), one function per entity. Secrets (password hash, TOTP secret,
 * token hash) have no field here, so no route can leak them by accident.
 */

/** The user columns an API object is built from: never the hash or the TOTP secret. */
export const USER_COLUMNS = [
  'users.id',
  'users.username',
  'users.display_name',
  'users.status',
  'users.organisation_id',
  'users.email',
  'users.phone',
  'users.must_change_password',
  'users.password_changed_at',
  'users.totp_enabled',
  'users.failed_logins',
  'users.locked_until',
  'users.last_login_at',
  'users.created_at',
  'users.updated_at',
] as const;

export type UserRow = Omit<Selectable<UserTable>, 'password_hash' | 'totp_secret'>;

export interface GrantDto {
  id: number;
  role: Role;
  roleName: string;
  siteId: number | null;
  siteName: string | null;
  columnId: number | null;
  columnName: string | null;
  reviewLevel: number | null;
  createdAt: string;
}

export interface UserDto {
  id: number;
  username: string;
  displayName: string;
  status: 'active' | 'disabled';
  organisationId: number | null;
  email: string | null;
  phone: string | null;
  mustChangePassword: boolean;
  passwordChangedAt: string | null;
  totpEnabled: boolean;
  failedLogins: number;
  lockedUntil: string | null;
  /** Locked right now (lockedUntil in the future). */
  locked: boolean;
  lastLoginAt: string | null;
  createdAt: string;
  updatedAt: string;
  grants?: GrantDto[];
}

export function userDto(r: UserRow, now: Date, grants?: GrantDto[]): UserDto {
  return {
    id: r.id,
    username: r.username,
    displayName: r.display_name,
    status: r.status,
    organisationId: r.organisation_id,
    email: r.email,
    phone: r.phone,
    mustChangePassword: r.must_change_password === 1,
    passwordChangedAt: r.password_changed_at,
    totpEnabled: r.totp_enabled === 1,
    failedLogins: r.failed_logins,
    lockedUntil: r.locked_until,
    locked: !!r.locked_until && r.locked_until > iso(now),
    lastLoginAt: r.last_login_at,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
    ...(grants ? { grants } : {}),
  };
}

export interface GrantRow {
  id: number;
  role: string;
  site_id: number | null;
  site_name: string | null;
  column_id: number | null;
  column_name: string | null;
  review_level: number | null;
  created_at: string;
}

export const grantDto = (r: GrantRow): GrantDto => ({
  id: r.id,
  role: r.role as Role,
  roleName: ROLE_NAMES[r.role as Role] ?? r.role,
  siteId: r.site_id,
  siteName: r.site_name,
  columnId: r.column_id,
  columnName: r.column_name,
  reviewLevel: r.review_level,
  createdAt: r.created_at,
});

export type TokenRow = Omit<Selectable<ApiTokenTable>, 'token_hash'> & { username: string };

export interface TokenDto {
  id: number;
  userId: number;
  username: string;
  name: string;
  /** The first characters of the token, to recognise it; the token itself is shown once. */
  prefix: string;
  createdAt: string;
  lastUsedAt: string | null;
  expiresAt: string | null;
  revokedAt: string | null;
  /** Usable right now: neither revoked nor expired. */
  active: boolean;
}

export const TOKEN_COLUMNS = [
  'api_tokens.id',
  'api_tokens.user_id',
  'api_tokens.name',
  'api_tokens.prefix',
  'api_tokens.created_at',
  'api_tokens.last_used_at',
  'api_tokens.expires_at',
  'api_tokens.revoked_at',
  'users.username',
] as const;

export const tokenDto = (r: TokenRow, now: Date): TokenDto => ({
  id: r.id,
  userId: r.user_id,
  username: r.username,
  name: r.name,
  prefix: r.prefix,
  createdAt: r.created_at,
  lastUsedAt: r.last_used_at,
  expiresAt: r.expires_at,
  revokedAt: r.revoked_at,
  active: !r.revoked_at && !(r.expires_at && r.expires_at <= iso(now)),
});

export interface AuditEntryDto {
  id: number;
  at: string;
  actorId: number | null;
  actorName: string;
  action: string;
  targetType: string;
  targetId: string | null;
  siteId: number | null;
  before: unknown;
  after: unknown;
  ip: string | null;
  prevHash: string;
  hash: string;
}

const parseJson = (s: string | null): unknown => {
  if (s === null) return null;
  try {
    return JSON.parse(s);
  } catch {
    return s; // not JSON (never written by audit.record): show it as it is
  }
};

export const auditDto = (r: Selectable<AuditLogTable>): AuditEntryDto => ({
  id: r.id,
  at: r.at,
  actorId: r.actor_id,
  actorName: r.actor_name,
  action: r.action,
  targetType: r.target_type,
  targetId: r.target_id,
  siteId: r.site_id,
  before: parseJson(r.before),
  after: parseJson(r.after),
  ip: r.ip,
  prevHash: r.prev_hash,
  hash: r.hash,
});
