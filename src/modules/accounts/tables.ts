import type { Generated } from 'kysely';

export interface UserTable {
  id: Generated<number>;
  username: string;
  display_name: string;
  password_hash: string;
  must_change_password: number;
  password_changed_at: string | null;
  totp_secret: string | null;
  totp_enabled: number;
  failed_logins: number;
  locked_until: string | null;
  status: 'active' | 'disabled';
  organisation_id: number | null;
  email: string | null;
  phone: string | null;
  last_login_at: string | null;
  created_at: string;
  updated_at: string;
}

/** A role held by a user, scoped to the whole platform (null site), a site, or a column subtree. */
export interface GrantTable {
  id: Generated<number>;
  user_id: number;
  role: string;
  site_id: number | null;
  column_id: number | null;
  /** For reviewers: the review level (1-3) this grant may decide; null = any level. */
  review_level: number | null;
  created_by: number | null;
  created_at: string;
}

export interface SessionTable {
  /** SHA-256 of the session cookie value; the cookie itself is never stored. */
  id: string;
  user_id: number;
  csrf_token: string;
  /** 1 while the password is right but the second factor is still owed. */
  mfa_pending: number;
  created_at: string;
  last_seen_at: string;
  expires_at: string;
  ip: string | null;
  user_agent: string | null;
}

export interface ApiTokenTable {
  id: Generated<number>;
  user_id: number;
  name: string;
  /** SHA-256 of the token; the token is shown once at creation. */
  token_hash: string;
  prefix: string;
  created_at: string;
  last_used_at: string | null;
  expires_at: string | null;
  revoked_at: string | null;
}

/** Append-only; every row chained to the previous one by hash (see accounts/audit.ts). */
export interface AuditLogTable {
  id: Generated<number>;
  at: string;
  actor_id: number | null;
  actor_name: string;
  action: string;
  target_type: string;
  target_id: string | null;
  site_id: number | null;
  before: string | null;
  after: string | null;
  ip: string | null;
  prev_hash: string;
  hash: string;
}
