import type { Ctx } from '../../../lib/ctx.js';
import { type Result, ok } from '../../../lib/errors.js';
import { can } from '../access.js';
import { type ChainReport, verifyChain } from '../audit.js';

/** Recomputes the whole hash chain and reports the first altered or missing entry. */
export async function verifyAuditLog(ctx: Ctx): Promise<Result<ChainReport>> {
  const denied = can(ctx.actor, 'audit.read', 'global');
  if (denied) return denied;
  return ok(await verifyChain(ctx.db));
}
