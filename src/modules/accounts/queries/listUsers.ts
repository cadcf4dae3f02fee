import type { Ctx } from '../../../lib/ctx.js';
import { type Result, ok } from '../../../lib/errors.js';
import { type Page, offsetOf } from '../../../http/pagination.js';
import { can } from '../access.js';
import type { UserListQuery } from '../adminSchema.js';
import { USER_COLUMNS, type UserDto, userDto } from '../dto.js';
import { containsText } from './like.js';
import { grantsOfUsers } from './userGrants.js';

/**
 * Users for the security administrator: `q` matches username or display name; `role` and
 * `siteId` keep users holding such a grant (the same grant when both are given).
 */
export async function listUsers(ctx: Ctx, q: UserListQuery): Promise<Result<Page<UserDto>>> {
  const denied = can(ctx.actor, 'security.manage', 'global');
  if (denied) return denied;
  let base = ctx.db.selectFrom('users');
  if (q.q) {
    const text = q.q;
    base = base.where((eb) => eb.or([containsText('users.username', text), containsText('users.display_name', text)]));
  }
  if (q.status) base = base.where('users.status', '=', q.status);
  if (q.role || q.siteId) {
    const { role, siteId } = q;
    base = base.where((eb) =>
      eb.exists(
        eb
          .selectFrom('grants')
          .select('grants.id')
          .whereRef('grants.user_id', '=', 'users.id')
          .$if(!!role, (w) => w.where('grants.role', '=', role!))
          .$if(!!siteId, (w) => w.where('grants.site_id', '=', siteId!)),
      ),
    );
  }
  const { n } = await base.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
  const rows = await base.select(USER_COLUMNS).orderBy('users.id').limit(q.pageSize).offset(offsetOf(q)).execute();
  const grants = await grantsOfUsers(
    ctx.db,
    rows.map((r) => r.id),
  );
  return ok({ total: Number(n), page: q.page, pageSize: q.pageSize, items: rows.map((r) => userDto(r, ctx.now, grants.get(r.id) ?? [])) });
}
