import type { Ctx } from '../../../lib/ctx.js';
import { type Result, fail, ok } from '../../../lib/errors.js';
import { iso } from '../../../lib/time.js';
import { can } from '../access.js';
import * as audit from '../audit.js';
import { type UserDto, userDto } from '../dto.js';
import { findUserRow } from '../queries/getUser.js';

/** Lifts a login lockout before it runs out (clears `locked_until` and the failure count). */
export async function unlockUser(ctx: Ctx, id: number): Promise<Result<UserDto>> {
  const denied = can(ctx.actor, 'security.manage', 'global');
  if (denied) return denied;
  const user = await findUserRow(ctx.db, id);
  if (!user) return fail('not_found', '用户不存在');
  const after = await ctx.db.transaction().execute(async (tx) => {
    await tx.updateTable('users').set({ locked_until: null, failed_logins: 0, updated_at: iso(ctx.now) }).where('id', '=', id).execute();
    await audit.record(
      tx,
      ctx,
      'user.unlock',
      { type: 'user', id },
      { lockedUntil: user.locked_until, failedLogins: user.failed_logins },
      { lockedUntil: null, failedLogins: 0 },
    );
    return (await findUserRow(tx, id))!;
  });
  return ok(userDto(after, ctx.now));
}
