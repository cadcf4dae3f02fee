import type { Ctx } from '../../../lib/ctx.js';
import { type Result, ok } from '../../../lib/errors.js';
import { type Page, offsetOf } from '../../../http/pagination.js';
import { can } from '../access.js';
import type { AuditQuery } from '../adminSchema.js';
import { type AuditEntryDto, auditDto } from '../dto.js';
import { filteredAuditLog } from './auditFilter.js';

/**
 * The audit log for the security auditor, newest first, filtered as auditFilter.ts describes.
 * There is deliberately no way to change or delete entries (the database refuses it too).
 */
export async function listAuditLog(ctx: Ctx, q: AuditQuery): Promise<Result<Page<AuditEntryDto>>> {
  const denied = can(ctx.actor, 'audit.read', 'global');
  if (denied) return denied;
  const base = filteredAuditLog(ctx.db, q);
  const { n } = await base.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
  const rows = await base.selectAll().orderBy('id', 'desc').limit(q.pageSize).offset(offsetOf(q)).execute();
  return ok({ total: Number(n), page: q.page, pageSize: q.pageSize, items: rows.map(auditDto) });
}
