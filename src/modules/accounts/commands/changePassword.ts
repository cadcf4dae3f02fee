import type { z } from 'zod';
import type { Ctx } from '../../../lib/ctx.js';
import { type Result, fail, ok } from '../../../lib/errors.js';
import { iso } from '../../../lib/time.js';
import * as audit from '../audit.js';
import { hashPassword, passwordProblems, verifyPassword } from '../passwords.js';
import type { ChangePasswordInput } from '../schema.js';

/** The user changes their own password (also how the forced first change is done). */
export async function changePassword(ctx: Ctx, input: z.infer<typeof ChangePasswordInput>): Promise<Result<{ changed: true }>> {
  const a = ctx.actor;
  if (a.kind !== 'user') return fail('unauthenticated', '请先登录');
  const user = await ctx.db.selectFrom('users').select(['id', 'username', 'password_hash', 'totp_enabled']).where('id', '=', a.id).executeTakeFirstOrThrow();
  // Knowing the password is not enough once a second factor is enrolled: verify it first.
  if (a.session?.mfaPending && user.totp_enabled) return fail('mfa_required', '请先完成第二因素（动态口令）验证');
  if (!(await verifyPassword(user.password_hash, input.currentPassword))) return fail('validation_failed', '当前密码不正确', { issues: [{ path: 'currentPassword', message: '当前密码不正确' }] });
  const problems = passwordProblems(input.newPassword, user.username);
  if (input.newPassword === input.currentPassword) problems.push('新密码不能与当前密码相同');
  if (problems.length) return fail('validation_failed', `新密码不符合要求：${problems.join('；')}`, { issues: problems.map((message) => ({ path: 'newPassword', message })) });
  const hash = await hashPassword(input.newPassword);
  await ctx.db.transaction().execute(async (tx) => {
    await tx.updateTable('users').set({ password_hash: hash, must_change_password: 0, password_changed_at: iso(ctx.now), updated_at: iso(ctx.now) }).where('id', '=', a.id).execute();
    // Every other session of this user ends: a changed password must lock out whoever had the old one.
    let others = tx.deleteFrom('sessions').where('user_id', '=', a.id);
    if (a.session) others = others.where('id', '!=', a.session.id);
    await others.execute();
    await audit.record(tx, ctx, 'user.password_change', { type: 'user', id: a.id });
  });
  return ok({ changed: true });
}
