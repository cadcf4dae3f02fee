import { insertUser } from '../store.js';
import type { Ctx } from '../../../lib/ctx.js';
import { type Result, fail, ok } from '../../../lib/errors.js';
import { iso } from '../../../lib/time.js';
import { can } from '../access.js';
import type { CreateUserInput } from '../adminSchema.js';
import * as audit from '../audit.js';
import { type UserDto, userDto } from '../dto.js';
import { generatePassword, hashPassword } from '../passwords.js';
import { findUserRow } from '../queries/getUser.js';

export interface CreatedUser {
  user: UserDto;
  /** The one-time password, shown once; the user must change it at first login. */
  password: string;
}

const TAKEN = '用户名已被使用';

/** True for a unique-constraint violation on either database. */
export function isUniqueViolation(err: unknown): boolean {
  const code = (err as { code?: unknown } | null)?.code;
  return code === '23505' || code === 'SQLITE_CONSTRAINT_UNIQUE';
}

/** The security administrator creates an account with a generated one-time password. */
export async function createUser(ctx: Ctx, input: CreateUserInput): Promise<Result<CreatedUser>> {
  const denied = can(ctx.actor, 'security.manage', 'global');
  if (denied) return denied;
  const username = input.username.toLowerCase();
  const taken = await ctx.db.selectFrom('users').select('id').where('username', '=', username).executeTakeFirst();
  if (taken) return fail('conflict', TAKEN, { issues: [{ path: 'username', message: TAKEN }] });
  if (input.organisationId) {
    const org = await ctx.db.selectFrom('organisations').select('id').where('id', '=', input.organisationId).executeTakeFirst();
    if (!org) return fail('validation_failed', '所属单位不存在', { issues: [{ path: 'organisationId', message: '所属单位不存在' }] });
  }
  const password = generatePassword();
  const hash = await hashPassword(password);
  const now = iso(ctx.now);
  try {
    const user = await ctx.db.transaction().execute(async (tx) => {
      const id = await insertUser(tx, {
        username,
        displayName: input.displayName,
        passwordHash: hash,
        mustChangePassword: true,
        organisationId: input.organisationId ?? null,
        email: input.email ?? null,
        phone: input.phone ?? null,
        now,
      });
      const dto = userDto((await findUserRow(tx, id))!, ctx.now, []);
      await audit.record(tx, ctx, 'user.create', { type: 'user', id }, null, dto);
      return dto;
    });
    return ok({ user, password });
  } catch (err) {
    // Two administrators creating the same name at once: the unique index decides.
    if (isUniqueViolation(err)) return fail('conflict', TAKEN, { issues: [{ path: 'username', message: TAKEN }] });
    throw err;
  }
}
