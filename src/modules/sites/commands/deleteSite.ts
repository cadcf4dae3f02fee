import type { Ctx } from '../../../lib/ctx.js';
import { type Result, fail } from '../../../lib/errors.js';
import { audit, can } from '../../accounts/index.js';
import { emit } from '../../jobs/index.js';
import { siteView } from '../dto.js';
import { hostsOf } from '../queries/sites.js';
import { writeTx } from '../write.js';

/** 删除站点 (system administrators only): only an empty one, without columns. */
export async function deleteSite(ctx: Ctx, id: number): Promise<Result<{ id: number; deleted: true }>> {
  const denied = can(ctx.actor, 'system.manage', 'global');
  if (denied) return denied;
  const row = await ctx.db.selectFrom('sites').selectAll().where('id', '=', id).executeTakeFirst();
  if (!row) return fail('not_found', '站点不存在');
  const columns = Number(
    (await ctx.db.selectFrom('columns').select((eb) => eb.fn.countAll<number>().as('n')).where('site_id', '=', id).executeTakeFirstOrThrow()).n,
  );
  if (columns > 0) return fail('conflict', `该站点还有 ${columns} 个栏目，请先删除栏目`, { columns });
  const before = siteView(row, (await hostsOf(ctx.db, [id])).get(id) ?? []);
  return writeTx(ctx, '该站点刚被其他数据引用，不能删除', async (tx) => {
    await tx.deleteFrom('site_hosts').where('site_id', '=', id).execute();
    await tx.deleteFrom('sites').where('id', '=', id).execute();
    await audit.record(tx, ctx, 'site.delete', { type: 'site', id, siteId: id }, before, null);
    await emit(tx, 'site.updated', { siteId: id, changed: ['deleted'], fromCode: row.code }, ctx.now);
    return { id, deleted: true as const };
  });
}
