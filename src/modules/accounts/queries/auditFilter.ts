import type { DB } from '../../../db/index.js';
import type { AuditQuery } from '../adminSchema.js';
import { startsWithText } from './like.js';

/** The filters of the audit log's list and export (the same query, paged or not). */
export type AuditFilter = Omit<AuditQuery, 'page' | 'pageSize'>;

/**
 * `actor` is the exact actor name (`alice`, `system:cli`), `action` a prefix (`user.` or
 * `user.create`), `from`/`to` inclusive instants.
 */
export function filteredAuditLog(db: DB, q: AuditFilter) {
  let base = db.selectFrom('audit_log');
  if (q.actor) base = base.where('actor_name', '=', q.actor);
  if (q.action) base = base.where(startsWithText('action', q.action));
  if (q.targetType) base = base.where('target_type', '=', q.targetType);
  if (q.targetId) base = base.where('target_id', '=', q.targetId);
  if (q.siteId) base = base.where('site_id', '=', q.siteId);
  if (q.from) base = base.where('at', '>=', q.from);
  if (q.to) base = base.where('at', '<=', q.to);
  return base;
}
