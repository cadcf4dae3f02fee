import type { DB } from '../../db/index.js';

export interface NewUserRow {
  username: string;
  displayName: string;
  passwordHash: string;
  mustChangePassword: boolean;
  organisationId?: number | null;
  email?: string | null;
  phone?: string | null;
  /** ISO time of creation (also the time the password was set). */
  now: string;
}

/** Inserts a user row with a fresh security state (no lockout, no second factor); returns its id. */
export async function insertUser(db: DB, u: NewUserRow): Promise<number> {
  const r = await db
    .insertInto('users')
    .values({
      username: u.username,
      display_name: u.displayName,
      password_hash: u.passwordHash,
      must_change_password: u.mustChangePassword ? 1 : 0,
      password_changed_at: u.now,
      totp_secret: null,
      totp_enabled: 0,
      failed_logins: 0,
      locked_until: null,
      status: 'active',
      organisation_id: u.organisationId ?? null,
      email: u.email ?? null,
      phone: u.phone ?? null,
      last_login_at: null,
      created_at: u.now,
      updated_at: u.now,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return r.id;
}
