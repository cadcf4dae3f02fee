import type { Ctx } from '../../../lib/ctx.js';
import { type Result, fail, ok } from '../../../lib/errors.js';
import { can } from '../access.js';
import * as audit from '../audit.js';
import type { GrantDto } from '../dto.js';
import { grantsOfUsers } from '../queries/userGrants.js';

/** Removes a grant; it stops applying at the user's next request. Nobody revokes their own grants. */
export async function revokeGrant(ctx: Ctx, id: number): Promise<Result<GrantDto>> {
  const denied = can(ctx.actor, 'security.manage', 'global');
  if (denied) return denied;
  const grant = await ctx.db.selectFrom('grants').select(['id', 'user_id']).where('id', '=', id).executeTakeFirst();
  if (!grant) return fail('not_found', '授权不存在');
  if (ctx.actor.kind === 'user' && ctx.actor.id === grant.user_id) return fail('forbidden', '不能修改自己的角色授权');
  const before = (await grantsOfUsers(ctx.db, [grant.user_id])).get(grant.user_id)?.find((g) => g.id === id);
  const user = await ctx.db.selectFrom('users').select('username').where('id', '=', grant.user_id).executeTakeFirstOrThrow();
  const deleted = await ctx.db.transaction().execute(async (tx) => {
    const r = await tx.deleteFrom('grants').where('id', '=', id).executeTakeFirst();
    if (Number(r.numDeletedRows) === 0) return false; // revoked concurrently: nothing to record
    await audit.record(tx, ctx, 'grant.revoke', { type: 'grant', id, siteId: before?.siteId ?? null }, { grantId: id, userId: grant.user_id, username: user.username, ...before }, null);
    return true;
  });
  if (!deleted || !before) return fail('not_found', '授权不存在');
  return ok(before);
}
