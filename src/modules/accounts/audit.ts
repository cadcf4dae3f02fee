import { sql } from 'kysely';
import type { DB, Dialect } from '../../db/index.js';
import type { Ctx } from '../../lib/ctx.js';
import { iso } from '../../lib/time.js';
import { actorId, actorName } from './actor.js';
import { sha256 } from './passwords.js';

export const GENESIS_HASH = '0'.repeat(64);
/** Fields never written into the audit log, wherever they appear. */
const SECRET_FIELDS = new Set(['password_hash', 'totp_secret', 'token_hash', 'password', 'csrf_token']);

export interface AuditTarget {
  type: string;
  id?: string | number | null;
  siteId?: number | null;
}

function redact(v: unknown): string | null {
  if (v === undefined || v === null) return null;
  return JSON.stringify(v, (k, val) => (SECRET_FIELDS.has(k) ? '[redacted]' : val));
}

interface ChainFields {
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
}

export function entryHash(prev: string, e: ChainFields): string {
  return sha256(
    prev +
      '\n' +
      JSON.stringify([e.at, e.actor_id, e.actor_name, e.action, e.target_type, e.target_id, e.site_id, e.before, e.after, e.ip]),
  );
}

/**
 * Appends one entry, chained to the previous one. Call inside the transaction of the change it
 * records, so the change and its record commit together or not at all.
 */
export async function record(
  tx: DB,
  ctx: Pick<Ctx, 'actor' | 'ip' | 'now' | 'dialect'>,
  action: string,
  target: AuditTarget,
  before?: unknown,
  after?: unknown,
): Promise<void> {
  await lockChain(tx, ctx.dialect);
  const last = await tx.selectFrom('audit_log').select('hash').orderBy('id', 'desc').limit(1).executeTakeFirst();
  const fields: ChainFields = {
    at: iso(ctx.now),
    actor_id: actorId(ctx.actor),
    actor_name: actorName(ctx.actor),
    action,
    target_type: target.type,
    target_id: target.id === undefined || target.id === null ? null : String(target.id),
    site_id: target.siteId ?? null,
    before: redact(before),
    after: redact(after),
    ip: ctx.ip,
  };
  const prev = last?.hash ?? GENESIS_HASH;
  await tx.insertInto('audit_log').values({ ...fields, prev_hash: prev, hash: entryHash(prev, fields) }).execute();
}

/** Serialises appends so two transactions never chain onto the same predecessor. */
async function lockChain(tx: DB, dialect: Dialect): Promise<void> {
  if (dialect === 'postgres') await sql`SELECT pg_advisory_xact_lock(7420117)`.execute(tx);
}

export interface ChainReport {
  entries: number;
  ok: boolean;
  /** First entry whose hash or link does not match. */
  brokenAt?: number;
  reason?: string;
}

/** Walks the whole chain in id order, recomputing every hash (`jiyue check`). */
export async function verifyChain(db: DB): Promise<ChainReport> {
  let prev = GENESIS_HASH;
  let entries = 0;
  let lastId = 0;
  for (;;) {
    const rows = await db.selectFrom('audit_log').selectAll().where('id', '>', lastId).orderBy('id').limit(1000).execute();
    if (rows.length === 0) break;
    for (const r of rows) {
      if (r.prev_hash !== prev) return { entries, ok: false, brokenAt: r.id, reason: '链接断开：prev_hash 与上一条不符 (entry removed or reordered)' };
      if (entryHash(prev, r) !== r.hash) return { entries, ok: false, brokenAt: r.id, reason: '内容被改动：hash 不符 (entry altered)' };
      prev = r.hash;
      entries++;
      lastId = r.id;
    }
  }
  return { entries, ok: true };
}
