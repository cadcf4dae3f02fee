import type { FastifyRequest } from 'fastify';
import type { DB } from '../../db/index.js';
import { addMinutes, iso } from '../../lib/time.js';
import { type Actor, type Grant, type Role, anonymous } from './actor.js';
import { randomToken, sha256 } from './passwords.js';
import { getPolicy } from './policy.js';

export const SESSION_COOKIE = 'jiyue_session';
export const CSRF_HEADER = 'x-csrf-token';
export const TOKEN_PREFIX = 'jy_';

export async function loadGrants(db: DB, userId: number): Promise<Grant[]> {
  const rows = await db
    .selectFrom('grants')
    .leftJoin('columns', 'columns.id', 'grants.column_id')
    .select(['grants.id', 'grants.role', 'grants.site_id', 'grants.column_id', 'grants.review_level', 'columns.id_path'])
    .where('grants.user_id', '=', userId)
    .orderBy('grants.id')
    .execute();
  return rows.map((r) => ({
    id: r.id,
    role: r.role as Role,
    siteId: r.site_id,
    columnId: r.column_id,
    columnIdPath: r.id_path ?? null,
    reviewLevel: r.review_level,
  }));
}

export interface NewSession {
  cookie: string;
  csrfToken: string;
  expiresAt: string;
}

export async function createSession(
  db: DB,
  userId: number,
  opts: { now: Date; ip: string | null; userAgent: string | null; mfaPending: boolean },
): Promise<NewSession> {
  const policy = await getPolicy(db);
  const cookie = randomToken(32);
  const csrfToken = randomToken(24);
  const expiresAt = iso(addMinutes(opts.now, policy.sessionIdleMinutes));
  await db
    .insertInto('sessions')
    .values({
      id: sha256(cookie),
      user_id: userId,
      csrf_token: csrfToken,
      mfa_pending: opts.mfaPending ? 1 : 0,
      created_at: iso(opts.now),
      last_seen_at: iso(opts.now),
      expires_at: expiresAt,
      ip: opts.ip,
      user_agent: opts.userAgent?.slice(0, 300) ?? null,
    })
    .execute();
  return { cookie, csrfToken, expiresAt };
}

async function userActor(db: DB, userId: number, via: 'session' | 'token'): Promise<Actor | null> {
  const u = await db
    .selectFrom('users')
    .select(['id', 'username', 'display_name', 'status', 'must_change_password'])
    .where('id', '=', userId)
    .executeTakeFirst();
  if (!u || u.status !== 'active') return null;
  return {
    kind: 'user',
    id: u.id,
    username: u.username,
    displayName: u.display_name,
    grants: await loadGrants(db, u.id),
    via,
    mustChangePassword: u.must_change_password === 1,
  };
}

/**
 * Resolves who is calling: an API token (`Authorization: Bearer jy_…`) or a session cookie.
 * A session idle for longer than the policy allows, or past its absolute lifetime, is ended.
 */
export async function resolveActor(db: DB, req: FastifyRequest, now: Date): Promise<Actor> {
  const auth = req.headers.authorization;
  if (auth?.startsWith('Bearer ')) {
    const token = auth.slice(7).trim();
    if (!token.startsWith(TOKEN_PREFIX) || token.length > 200) return anonymous;
    const row = await db
      .selectFrom('api_tokens')
      .select(['id', 'user_id', 'expires_at', 'revoked_at', 'last_used_at'])
      .where('token_hash', '=', sha256(token))
      .executeTakeFirst();
    if (!row || row.revoked_at || (row.expires_at && row.expires_at <= iso(now))) return anonymous;
    // Record use at most once a minute: tokens are used by busy integrations.
    if (!row.last_used_at || row.last_used_at < iso(addMinutes(now, -1))) {
      await db.updateTable('api_tokens').set({ last_used_at: iso(now) }).where('id', '=', row.id).execute();
    }
    return (await userActor(db, row.user_id, 'token')) ?? anonymous;
  }
  const cookie = req.cookies?.[SESSION_COOKIE];
  if (!cookie || cookie.length > 100) return anonymous;
  const id = sha256(cookie);
  const s = await db.selectFrom('sessions').selectAll().where('id', '=', id).executeTakeFirst();
  if (!s) return anonymous;
  const policy = await getPolicy(db);
  const maxEnd = iso(addMinutes(new Date(s.created_at), policy.sessionMaxHours * 60));
  if (s.expires_at <= iso(now) || maxEnd <= iso(now)) {
    await db.deleteFrom('sessions').where('id', '=', id).execute();
    return anonymous;
  }
  // Sliding idle timeout: touch at most every 30 s to spare the database.
  if (new Date(s.last_seen_at).getTime() < now.getTime() - 30_000) {
    await db
      .updateTable('sessions')
      .set({ last_seen_at: iso(now), expires_at: iso(addMinutes(now, policy.sessionIdleMinutes)) })
      .where('id', '=', id)
      .execute();
  }
  const actor = await userActor(db, s.user_id, 'session');
  if (!actor || actor.kind !== 'user') return anonymous;
  actor.session = { id, csrfToken: s.csrf_token, mfaPending: s.mfa_pending === 1 };
  return actor;
}
