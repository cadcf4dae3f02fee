import type { Ctx } from '../../../lib/ctx.js';
import { type Result, fail, ok } from '../../../lib/errors.js';
import { iso } from '../../../lib/time.js';
import { can } from '../access.js';
import type { UpdateUserInput } from '../adminSchema.js';
import * as audit from '../audit.js';
import { type UserDto, userDto } from '../dto.js';
import { findUserRow } from '../queries/getUser.js';
import { grantsOfUsers } from '../queries/userGrants.js';
import type { UserTable } from '../tables.js';

/**
 * Edits a user's profile and status. Disabling ends the user's sessions at once (their next
 * request is unauthenticated); grants and tokens stay, and work again if the user is re-enabled.
 * Users are never deleted: the audit log refers to them. Nobody disables themselves.
 */
export async function updateUser(ctx: Ctx, id: number, input: UpdateUserInput): Promise<Result<UserDto>> {
  const denied = can(ctx.actor, 'security.manage', 'global');
  if (denied) return denied;
  const before = await findUserRow(ctx.db, id);
  if (!before) return fail('not_found', '用户不存在');
  if (input.status === 'disabled' && ctx.actor.kind === 'user' && ctx.actor.id === id) return fail('forbidden', '不能停用自己的账号');
  if (input.organisationId) {
    const org = await ctx.db.selectFrom('organisations').select('id').where('id', '=', input.organisationId).executeTakeFirst();
    if (!org) return fail('validation_failed', '所属单位不存在', { issues: [{ path: 'organisationId', message: '所属单位不存在' }] });
  }
  const set: Partial<Pick<UserTable, 'display_name' | 'organisation_id' | 'email' | 'phone' | 'status'>> = {};
  if (input.displayName !== undefined) set.display_name = input.displayName;
  if (input.organisationId !== undefined) set.organisation_id = input.organisationId;
  if (input.email !== undefined) set.email = input.email;
  if (input.phone !== undefined) set.phone = input.phone;
  if (input.status !== undefined) set.status = input.status;
  const action =
    input.status && input.status !== before.status ? (input.status === 'disabled' ? 'user.disable' : 'user.enable') : 'user.update';
  const grants = (await grantsOfUsers(ctx.db, [id])).get(id) ?? [];
  const after = await ctx.db.transaction().execute(async (tx) => {
    await tx.updateTable('users').set({ ...set, updated_at: iso(ctx.now) }).where('id', '=', id).execute();
    if (input.status === 'disabled') await tx.deleteFrom('sessions').where('user_id', '=', id).execute();
    const row = (await findUserRow(tx, id))!;
    await audit.record(tx, ctx, action, { type: 'user', id }, userDto(before, ctx.now), userDto(row, ctx.now));
    return row;
  });
  return ok(userDto(after, ctx.now, grants));
}
