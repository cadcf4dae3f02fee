import type { Ctx } from '../../../lib/ctx.js';
import { type Result, fail } from '../../../lib/errors.js';
import { audit, can } from '../../accounts/index.js';
import { emit } from '../../jobs/index.js';
import { columnView } from '../dto.js';
import { getColumnRow } from '../queries/columns.js';
import { writeTx } from '../write.js';

/** 删除栏目: only a leaf without articles (its own or pushed into it from other sites). */
export async function deleteColumn(ctx: Ctx, id: number): Promise<Result<{ id: number; deleted: true }>> {
  const col = await getColumnRow(ctx.db, id);
  if (!col) return fail('not_found', '栏目不存在');
  const denied = can(ctx.actor, 'site.manage', { siteId: col.site_id, columnIdPath: col.id_path });
  if (denied) return denied;
  const n = async (q: Promise<{ n: number }>): Promise<number> => Number((await q).n);
  const children = await n(ctx.db.selectFrom('columns').select((eb) => eb.fn.countAll<number>().as('n')).where('parent_id', '=', id).executeTakeFirstOrThrow());
  if (children) return fail('conflict', `该栏目下还有 ${children} 个子栏目，请先删除或移走子栏目`, { children });
  const articles = await n(ctx.db.selectFrom('articles').select((eb) => eb.fn.countAll<number>().as('n')).where('column_id', '=', id).executeTakeFirstOrThrow());
  if (articles) return fail('conflict', `该栏目下还有 ${articles} 篇信息，请先删除或移走信息`, { articles });
  // Live syndicated placements would vanish with the column (ON DELETE CASCADE): refuse instead.
  // Returned or withdrawn ones are over and may go with it.
  const syndications = await n(
    ctx.db
      .selectFrom('syndications')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('column_id', '=', id)
      .where('status', 'not in', ['returned', 'withdrawn'])
      .executeTakeFirstOrThrow(),
  );
  if (syndications) return fail('conflict', `该栏目还有 ${syndications} 条推送来的信息，请先处理`, { syndications });

  return writeTx(ctx, '该栏目刚被其他数据引用，不能删除', async (tx) => {
    await tx.deleteFrom('columns').where('id', '=', id).execute();
    await audit.record(tx, ctx, 'column.delete', { type: 'column', id, siteId: col.site_id }, columnView(col, col.site_code), null);
    await emit(tx, 'column.deleted', { siteId: col.site_id, columnId: id }, ctx.now);
    return { id, deleted: true as const };
  });
}
