import type { Ctx } from '../../../lib/ctx.js';
import { AppError, type Result, fail, ok } from '../../../lib/errors.js';
import { iso } from '../../../lib/time.js';
import { can } from '../access.js';
import type { Role } from '../actor.js';
import type { GrantRoleInput } from '../adminSchema.js';
import * as audit from '../audit.js';
import type { GrantDto } from '../dto.js';
import { type GrantShape, grantProblem } from '../grantsRules.js';
import { grantsOfUsers } from '../queries/userGrants.js';

/**
 * The security administrator grants a role (see grantsRules.ts for what may be held together).
 * Grants are read at every request, so the change applies to the user's next request.
 * Nobody changes their own grants.
 */
export async function grantRole(ctx: Ctx, input: GrantRoleInput): Promise<Result<GrantDto>> {
  const denied = can(ctx.actor, 'security.manage', 'global');
  if (denied) return denied;
  if (ctx.actor.kind === 'user' && ctx.actor.id === input.userId) return fail('forbidden', '不能修改自己的角色授权');
  const proposed: GrantShape = { role: input.role, siteId: input.siteId ?? null, columnId: input.columnId ?? null, reviewLevel: input.reviewLevel ?? null };

  let id: number;
  try {
    id = await insertGrant(ctx, input.userId, proposed);
  } catch (err) {
    if (err instanceof AppError) return fail(err.code, err.message, err.details);
    throw err;
  }
  const grants = (await grantsOfUsers(ctx.db, [input.userId])).get(input.userId) ?? [];
  return ok(grants.find((g) => g.id === id)!);
}

/** Checks the rules and inserts, in one transaction; a refusal is thrown as an AppError. */
async function insertGrant(ctx: Ctx, userId: number, proposed: GrantShape): Promise<number> {
  return ctx.db.transaction().execute(async (tx) => {
    // Lock the user row (PostgreSQL) so two concurrent grants cannot both pass the rules.
    const user = await tx
      .selectFrom('users')
      .select(['id', 'username'])
      .where('id', '=', userId)
      .$if(ctx.dialect === 'postgres', (q) => q.forUpdate())
      .executeTakeFirst();
    if (!user) throw new AppError('not_found', '用户不存在');
    const existing = (
      await tx.selectFrom('grants').select(['role', 'site_id', 'column_id', 'review_level']).where('user_id', '=', user.id).execute()
    ).map((g) => ({ role: g.role as Role, siteId: g.site_id, columnId: g.column_id, reviewLevel: g.review_level }));
    const site = proposed.siteId === null ? undefined : await tx.selectFrom('sites').select('id').where('id', '=', proposed.siteId).executeTakeFirst();
    const column =
      proposed.columnId === null ? undefined : await tx.selectFrom('columns').select('site_id').where('id', '=', proposed.columnId).executeTakeFirst();
    const problem = grantProblem({ proposed, existing, siteExists: !!site, columnSiteId: column?.site_id ?? null });
    if (problem) throw AppError.from(problem);

    const row = await tx
      .insertInto('grants')
      .values({
        user_id: user.id,
        role: proposed.role,
        site_id: proposed.siteId,
        column_id: proposed.columnId,
        review_level: proposed.reviewLevel,
        created_by: ctx.actor.kind === 'user' ? ctx.actor.id : null,
        created_at: iso(ctx.now),
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    await audit.record(tx, ctx, 'grant.create', { type: 'grant', id: row.id, siteId: proposed.siteId }, null, {
      grantId: row.id,
      userId: user.id,
      username: user.username,
      ...proposed,
    });
    return row.id;
  });
}
