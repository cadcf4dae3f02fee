import type { Ctx } from '../../../lib/ctx.js';
import { type Result, ok } from '../../../lib/errors.js';
import { can } from '../access.js';
import * as audit from '../audit.js';
import { type SecurityPolicy, getPolicy, savePolicy } from '../policy.js';

/**
 * Replaces the security policy (session timeouts, lockout, roles that must use TOTP). It applies
 * from the next request and the next login: sessions.ts and login.ts read it every time.
 */
export async function updateSecurityPolicy(ctx: Ctx, input: SecurityPolicy): Promise<Result<SecurityPolicy>> {
  const denied = can(ctx.actor, 'security.manage', 'global');
  if (denied) return denied;
  const next: SecurityPolicy = { ...input, mfaRequiredRoles: [...new Set(input.mfaRequiredRoles)] };
  await ctx.db.transaction().execute(async (tx) => {
    const before = await getPolicy(tx);
    await savePolicy(tx, next, ctx.now);
    await audit.record(tx, ctx, 'security.policy_update', { type: 'security_policy', id: 'security.policy' }, before, next);
  });
  return ok(next);
}
