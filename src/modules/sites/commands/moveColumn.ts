import type { Ctx } from '../../../lib/ctx.js';
import { type Result, fail } from '../../../lib/errors.js';
import { iso } from '../../../lib/time.js';
import { audit, can } from '../../accounts/index.js';
import { emit } from '../../jobs/index.js';
import { portalSlugConflict, siblingSlugConflict } from '../checks.js';
import { type ColumnView, columnView } from '../dto.js';
import { getColumnRow } from '../queries/columns.js';
import { MAX_COLUMN_DEPTH, childIdPath, childPath, depthOf, isInSubtree, placeAt } from '../rules.js';
import type { MoveColumnInput } from '../schema.js';
import { rebaseSubtree } from '../subtree.js';
import { fieldFailure, writeTx } from '../write.js';

/**
 * 移动栏目: under another parent of the same site and/or to another place among its siblings.
 * The caller must manage both the column and where it goes. The paths and id_paths of the
 * whole subtree are rewritten, and the new siblings renumbered, in one transaction.
 */
export async function moveColumn(ctx: Ctx, id: number, input: MoveColumnInput): Promise<Result<ColumnView>> {
  const col = await getColumnRow(ctx.db, id);
  if (!col) return fail('not_found', '栏目不存在');
  const denied = can(ctx.actor, 'site.manage', { siteId: col.site_id, columnIdPath: col.id_path });
  if (denied) return denied;

  const parent =
    input.parentId === null
      ? null
      : await ctx.db.selectFrom('columns').select(['id', 'site_id', 'path', 'id_path']).where('id', '=', input.parentId).executeTakeFirst();
  if (parent === undefined) return fail('not_found', '目标上级栏目不存在');
  if (parent && parent.site_id !== col.site_id) return fieldFailure('parentId', '不能把栏目移到其他站点');
  if (parent && isInSubtree(parent.id_path, col.id_path)) return fail('conflict', '不能把栏目移到它自己或它的下级栏目之下');
  const deniedThere = can(ctx.actor, 'site.manage', { siteId: col.site_id, columnIdPath: parent?.id_path ?? null });
  if (deniedThere) return deniedThere;

  const parentId = parent?.id ?? null;
  const parentChanged = parentId !== col.parent_id;
  if (parentChanged) {
    const subtree = await ctx.db.selectFrom('columns').select('id_path').where('site_id', '=', col.site_id).where('id_path', 'like', `${col.id_path}%`).execute();
    const height = Math.max(...subtree.map((r) => depthOf(r.id_path))) - depthOf(col.id_path);
    const newDepth = (parent ? depthOf(parent.id_path) : 0) + 1;
    if (newDepth + height > MAX_COLUMN_DEPTH) return fail('conflict', `移动后栏目层级将超过 ${MAX_COLUMN_DEPTH} 级`);
    const conflict =
      (await portalSlugConflict(ctx.db, col.site_code, parentId, col.slug)) ?? (await siblingSlugConflict(ctx.db, col.site_id, parentId, col.slug, id));
    if (conflict) return conflict;
  }

  const siblings = await ctx.db
    .selectFrom('columns')
    .select(['id', 'sort'])
    .where('site_id', '=', col.site_id)
    .where((eb) => (parentId === null ? eb('parent_id', 'is', null) : eb('parent_id', '=', parentId)))
    .where('id', '!=', id)
    .orderBy('sort')
    .orderBy('id')
    .execute();
  const order = placeAt(
    siblings.map((s) => s.id),
    id,
    input.position,
  );
  const currentSort = new Map<number, number>([...siblings.map((s) => [s.id, s.sort] as [number, number]), [id, parentChanged ? Number.NaN : col.sort]]);
  const before = columnView(col, col.site_code);
  const now = iso(ctx.now);

  return writeTx(ctx, `目标位置已有别名为“${col.slug}”的栏目`, async (tx) => {
    if (parentChanged) {
      await tx.updateTable('columns').set({ parent_id: parentId }).where('id', '=', id).execute();
      await rebaseSubtree(
        tx,
        col.site_id,
        col.id_path,
        { from: col.path, to: childPath(parent?.path ?? null, col.slug) },
        { from: col.id_path, to: childIdPath(parent?.id_path ?? null, id) },
        now,
      );
    }
    for (const [i, sid] of order.entries()) {
      if (currentSort.get(sid) !== i) await tx.updateTable('columns').set({ sort: i, updated_at: now }).where('id', '=', sid).execute();
    }
    const row = await tx.selectFrom('columns').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
    const after = columnView(row, col.site_code);
    await audit.record(
      tx,
      ctx,
      'column.move',
      { type: 'column', id, siteId: col.site_id },
      { parentId: before.parentId, path: before.path, idPath: before.idPath, sort: before.sort },
      { parentId: after.parentId, path: after.path, idPath: after.idPath, sort: after.sort, siblings: order },
    );
    await emit(tx, 'column.moved', { siteId: col.site_id, columnId: id, ...(parentChanged && { fromPath: col.path }) }, ctx.now);
    return after;
  });
}
