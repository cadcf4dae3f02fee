import type { Ctx } from '../../../lib/ctx.js';
import { type Result, ok } from '../../../lib/errors.js';
import { type Page, offsetOf } from '../../../http/pagination.js';
import { can } from '../access.js';
import type { AuditQuery } from '../adminSchema.js';
import { type AuditEntryDto, auditDto } from '../dto.js';
import { startsWithText } from './like.js';

/**
 * The audit log for the security auditor, newest first. `actor` is the exact actor name
 * (`alice`, `system:cli`), `action` a prefix (`user.` or `user.create`), `from`/`to` inclusive.
 * There is deliberately no way to change or delete entries (the database refuses it too).
 */
export async function listAuditLog(ctx: Ctx, q: AuditQuery): Promise<Result<Page<AuditEntryDto>>> {
  const denied = can(ctx.actor, 'audit.read', 'global');
  if (denied) return denied;
  let base = ctx.db.selectFrom('audit_log');
  if (q.actor) base = base.where('actor_name', '=', q.actor);
  if (q.action) base = base.where(startsWithText('action', q.action));
  if (q.targetType) base = base.where('target_type', '=', q.targetType);
  if (q.targetId) base = base.where('target_id', '=', q.targetId);
  if (q.siteId) base = base.where('site_id', '=', q.siteId);
  if (q.from) base = base.where('at', '>=', q.from);
  if (q.to) base = base.where('at', '<=', q.to);
  const { n } = await base.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
  const rows = await base.selectAll().orderBy('id', 'desc').limit(q.pageSize).offset(offsetOf(q)).execute();
  return ok({ total: Number(n), page: q.page, pageSize: q.pageSize, items: rows.map(auditDto) });
}
