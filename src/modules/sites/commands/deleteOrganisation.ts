import type { Ctx } from '../../../lib/ctx.js';
import { type Result, fail } from '../../../lib/errors.js';
import { audit, can } from '../../accounts/index.js';
import { organisationView } from '../dto.js';
import { writeTx } from '../write.js';

/** 删除单位: only one nothing hangs on (no sub-units, sites or users). */
export async function deleteOrganisation(ctx: Ctx, id: number): Promise<Result<{ id: number; deleted: true }>> {
  const denied = can(ctx.actor, 'system.manage', 'global');
  if (denied) return denied;
  const row = await ctx.db.selectFrom('organisations').selectAll().where('id', '=', id).executeTakeFirst();
  if (!row) return fail('not_found', '单位不存在');
  const n = async (q: Promise<{ n: number }>): Promise<number> => Number((await q).n);
  const children = await n(ctx.db.selectFrom('organisations').select((eb) => eb.fn.countAll<number>().as('n')).where('parent_id', '=', id).executeTakeFirstOrThrow());
  const sites = await n(ctx.db.selectFrom('sites').select((eb) => eb.fn.countAll<number>().as('n')).where('organisation_id', '=', id).executeTakeFirstOrThrow());
  const users = await n(ctx.db.selectFrom('users').select((eb) => eb.fn.countAll<number>().as('n')).where('organisation_id', '=', id).executeTakeFirstOrThrow());
  if (children || sites || users) {
    const what = [children && `${children} 个下级单位`, sites && `${sites} 个站点`, users && `${users} 个用户`].filter(Boolean).join('、');
    return fail('conflict', `该单位下还有${what}，不能删除`, { children, sites, users });
  }
  return writeTx(ctx, '该单位刚被其他数据引用，不能删除', async (tx) => {
    await tx.deleteFrom('organisations').where('id', '=', id).execute();
    await audit.record(tx, ctx, 'organisation.delete', { type: 'organisation', id }, organisationView(row), null);
    return { id, deleted: true as const };
  });
}
