import type { Ctx } from '../../../lib/ctx.js';
import { type Result, fail } from '../../../lib/errors.js';
import { iso } from '../../../lib/time.js';
import { audit, can } from '../../accounts/index.js';
import { emit } from '../../jobs/index.js';
import { type ColumnView, columnView } from '../dto.js';
import { sameIdSet } from '../rules.js';
import type { ReorderColumnsInput } from '../schema.js';
import { fieldFailure, writeTx } from '../write.js';

/**
 * 栏目排序: the siblings under `parentId` (null: top level) take the order of `ids`, which must
 * name every one of them exactly once (so a list made before someone added a column is refused).
 */
export async function reorderColumns(ctx: Ctx, siteId: number, input: ReorderColumnsInput): Promise<Result<ColumnView[]>> {
  const site = await ctx.db.selectFrom('sites').select(['id', 'code']).where('id', '=', siteId).executeTakeFirst();
  if (!site) return fail('not_found', '站点不存在');
  const parent =
    input.parentId === null ? null : await ctx.db.selectFrom('columns').select(['id', 'site_id', 'id_path']).where('id', '=', input.parentId).executeTakeFirst();
  if (parent === undefined) return fail('not_found', '上级栏目不存在');
  if (parent && parent.site_id !== siteId) return fieldFailure('parentId', '上级栏目不属于该站点');
  const denied = can(ctx.actor, 'site.manage', { siteId, columnIdPath: parent?.id_path ?? null });
  if (denied) return denied;

  const siblings = await ctx.db
    .selectFrom('columns')
    .select(['id', 'sort'])
    .where('site_id', '=', siteId)
    .where((eb) => (input.parentId === null ? eb('parent_id', 'is', null) : eb('parent_id', '=', input.parentId)))
    .orderBy('sort')
    .orderBy('id')
    .execute();
  const current = siblings.map((s) => s.id);
  if (!sameIdSet(current, input.ids)) {
    return fail('conflict', '排序列表应恰好包含该级的全部栏目（可能有人刚刚增删了栏目，请刷新后重试）', { expected: current });
  }
  const sortOf = new Map(siblings.map((s) => [s.id, s.sort]));
  const now = iso(ctx.now);
  return writeTx(ctx, '栏目刚被修改，请刷新后重试', async (tx) => {
    for (const [i, id] of input.ids.entries()) {
      if (sortOf.get(id) !== i) await tx.updateTable('columns').set({ sort: i, updated_at: now }).where('id', '=', id).execute();
    }
    await audit.record(tx, ctx, 'column.reorder', { type: 'column', id: input.parentId, siteId }, { ids: current }, { ids: input.ids });
    await emit(tx, 'column.moved', { siteId, columnId: input.parentId }, ctx.now);
    const rows = await tx.selectFrom('columns').selectAll().where('id', 'in', input.ids).execute();
    const byId = new Map(rows.map((r) => [r.id, r]));
    return input.ids.map((id) => columnView(byId.get(id)!, site.code));
  });
}
