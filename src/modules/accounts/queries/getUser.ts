import type { DB } from '../../../db/index.js';
import type { Ctx } from '../../../lib/ctx.js';
import { type Result, fail, ok } from '../../../lib/errors.js';
import { can } from '../access.js';
import { USER_COLUMNS, type UserDto, type UserRow, userDto } from '../dto.js';
import { grantsOfUsers } from './userGrants.js';

/** One user row without secrets, or undefined. */
export async function findUserRow(db: DB, id: number): Promise<UserRow | undefined> {
  return db.selectFrom('users').select(USER_COLUMNS).where('users.id', '=', id).executeTakeFirst();
}

/** A user with their grants (security administrator). */
export async function getUser(ctx: Ctx, id: number): Promise<Result<UserDto>> {
  const denied = can(ctx.actor, 'security.manage', 'global');
  if (denied) return denied;
  const row = await findUserRow(ctx.db, id);
  if (!row) return fail('not_found', '用户不存在');
  const grants = await grantsOfUsers(ctx.db, [id]);
  return ok(userDto(row, ctx.now, grants.get(id) ?? []));
}
