import type { Ctx } from '../../../lib/ctx.js';
import { type Result, fail } from '../../../lib/errors.js';
import { iso } from '../../../lib/time.js';
import { audit, can } from '../../accounts/index.js';
import { emit } from '../../jobs/index.js';
import { portalSlugConflict, siblingSlugConflict } from '../checks.js';
import { type ColumnView, columnView } from '../dto.js';
import { MAX_COLUMN_DEPTH, childIdPath, childPath, depthOf } from '../rules.js';
import type { CreateColumnInput } from '../schema.js';
import { fieldFailure, writeTx } from '../write.js';

/**
 * 新建栏目. Needs `site.manage` where the column goes: the whole site for a top-level column,
 * or the parent's subtree (so a column-subtree administrator can add inside their subtree).
 * `path` and `id_path` are computed here; `id_path` needs the new id, so it is set after insert.
 */
export async function createColumn(ctx: Ctx, input: CreateColumnInput): Promise<Result<ColumnView>> {
  const site = await ctx.db.selectFrom('sites').select(['id', 'code']).where('id', '=', input.siteId).executeTakeFirst();
  if (!site) return fail('not_found', '站点不存在');
  const parent =
    input.parentId === null
      ? null
      : await ctx.db.selectFrom('columns').select(['id', 'site_id', 'path', 'id_path']).where('id', '=', input.parentId).executeTakeFirst();
  if (parent === undefined) return fail('not_found', '上级栏目不存在');
  if (parent && parent.site_id !== site.id) return fieldFailure('parentId', '上级栏目不属于该站点');
  const denied = can(ctx.actor, 'site.manage', { siteId: site.id, columnIdPath: parent?.id_path ?? null });
  if (denied) return denied;

  if (parent && depthOf(parent.id_path) + 1 > MAX_COLUMN_DEPTH) return fail('conflict', `栏目层级不能超过 ${MAX_COLUMN_DEPTH} 级`);
  const conflict =
    (await portalSlugConflict(ctx.db, site.code, input.parentId, input.slug)) ??
    (await siblingSlugConflict(ctx.db, site.id, input.parentId, input.slug, null));
  if (conflict) return conflict;

  let sort = input.sort;
  if (sort === undefined) {
    const last = await ctx.db
      .selectFrom('columns')
      .select((eb) => eb.fn.max('sort').as('m'))
      .where('site_id', '=', site.id)
      .where((eb) => (input.parentId === null ? eb('parent_id', 'is', null) : eb('parent_id', '=', input.parentId)))
      .executeTakeFirst();
    sort = last?.m === null || last?.m === undefined ? 0 : Number(last.m) + 1;
  }
  const now = iso(ctx.now);
  return writeTx(ctx, `同级栏目已使用别名“${input.slug}”，或上级栏目已被删除`, async (tx) => {
    const inserted = await tx
      .insertInto('columns')
      .values({
        site_id: site.id,
        parent_id: input.parentId,
        name: input.name,
        slug: input.slug,
        path: childPath(parent?.path ?? null, input.slug),
        id_path: '/',
        kind: input.kind,
        sort: sort!,
        update_interval_days: input.updateIntervalDays,
        review_levels: input.reviewLevels,
        link_url: input.linkUrl,
        description: input.description,
        keywords: input.keywords,
        templates: JSON.stringify(input.templates),
        status: input.status,
        created_at: now,
        updated_at: now,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    const row = await tx
      .updateTable('columns')
      .set({ id_path: childIdPath(parent?.id_path ?? null, inserted.id) })
      .where('id', '=', inserted.id)
      .returningAll()
      .executeTakeFirstOrThrow();
    const view = columnView(row, site.code);
    await audit.record(tx, ctx, 'column.create', { type: 'column', id: row.id, siteId: site.id }, null, view);
    await emit(tx, 'column.created', { siteId: site.id, columnId: row.id }, ctx.now);
    return view;
  });
}
