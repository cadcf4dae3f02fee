import type { Ctx } from '../../../lib/ctx.js';
import { type Result, ok } from '../../../lib/errors.js';
import { can } from '../access.js';
import { type SecurityPolicy, getPolicy } from '../policy.js';

/** The security policy in force (defaults filled in). */
export async function getSecurityPolicy(ctx: Ctx): Promise<Result<SecurityPolicy>> {
  const denied = can(ctx.actor, 'security.manage', 'global');
  if (denied) return denied;
  return ok(await getPolicy(ctx.db));
}
