import type { Ctx } from '../../../lib/ctx.js';
import { type Result, fail, ok } from '../../../lib/errors.js';
import { iso } from '../../../lib/time.js';
import { can } from '../access.js';
import * as audit from '../audit.js';
import { generatePassword, hashPassword } from '../passwords.js';
import { findUserRow } from '../queries/getUser.js';

export interface ResetPasswordResult {
  userId: number;
  username: string;
  /** The new one-time password, shown once; it must be changed at the next login. */
  password: string;
}

/**
 * The security administrator gives a user a new one-time password: it must be changed at the
 * next login, every session of the user ends, and a lockout is lifted. Administrators change
 * their own password through the ordinary change-password route (which asks for the current one).
 */
export async function resetPassword(ctx: Ctx, id: number): Promise<Result<ResetPasswordResult>> {
  const denied = can(ctx.actor, 'security.manage', 'global');
  if (denied) return denied;
  const user = await findUserRow(ctx.db, id);
  if (!user) return fail('not_found', '用户不存在');
  if (ctx.actor.kind === 'user' && ctx.actor.id === id) return fail('forbidden', '不能重置自己的密码，请使用“修改密码”');
  const password = generatePassword();
  const hash = await hashPassword(password);
  await ctx.db.transaction().execute(async (tx) => {
    await tx
      .updateTable('users')
      .set({ password_hash: hash, must_change_password: 1, password_changed_at: iso(ctx.now), failed_logins: 0, locked_until: null, updated_at: iso(ctx.now) })
      .where('id', '=', id)
      .execute();
    await tx.deleteFrom('sessions').where('user_id', '=', id).execute();
    await audit.record(
      tx,
      ctx,
      'user.password_reset',
      { type: 'user', id },
      { mustChangePassword: user.must_change_password === 1, failedLogins: user.failed_logins, lockedUntil: user.locked_until },
      { mustChangePassword: true, failedLogins: 0, lockedUntil: null, sessionsEnded: true },
    );
  });
  return ok({ userId: id, username: user.username, password });
}
