import type { Ctx } from '../../../lib/ctx.js';
import { type Result, fail, ok } from '../../../lib/errors.js';
import { iso } from '../../../lib/time.js';
import { audit, can } from '../../accounts/index.js';
import { emit } from '../../jobs/index.js';
import { portalSlugConflict, siblingSlugConflict } from '../checks.js';
import { type ColumnView, columnView } from '../dto.js';
import { getColumnRow } from '../queries/columns.js';
import { renamedPath } from '../rules.js';
import { type UpdateColumnInput, linkUrlProblem } from '../schema.js';
import { rebaseSubtree } from '../subtree.js';
import { fieldFailure, writeTx } from '../write.js';

/**
 * 修改栏目. A new slug changes the column's URL and those of everything below it: the paths of
 * the whole subtree are rewritten in the same transaction.
 */
export async function updateColumn(ctx: Ctx, id: number, input: UpdateColumnInput): Promise<Result<ColumnView>> {
  const col = await getColumnRow(ctx.db, id);
  if (!col) return fail('not_found', '栏目不存在');
  const denied = can(ctx.actor, 'site.manage', { siteId: col.site_id, columnIdPath: col.id_path });
  if (denied) return denied;
  const before = columnView(col, col.site_code);

  const kind = input.kind ?? col.kind;
  // Leaving kind=link drops the old target unless a new one is given (which is then refused).
  const linkUrl = input.linkUrl !== undefined ? input.linkUrl : kind === 'link' ? col.link_url : null;
  const problem = linkUrlProblem(kind, linkUrl);
  if (problem) return fieldFailure('linkUrl', problem);

  const slugChanged = input.slug !== undefined && input.slug !== col.slug;
  if (slugChanged) {
    const conflict =
      (await portalSlugConflict(ctx.db, col.site_code, col.parent_id, input.slug!)) ??
      (await siblingSlugConflict(ctx.db, col.site_id, col.parent_id, input.slug!, id));
    if (conflict) return conflict;
  }
  const templates = input.templates === undefined ? undefined : JSON.stringify(input.templates);
  const changes = {
    ...(input.name !== undefined && input.name !== col.name && { name: input.name }),
    ...(slugChanged && { slug: input.slug! }),
    ...(kind !== col.kind && { kind }),
    ...(linkUrl !== col.link_url && { link_url: linkUrl }),
    ...(input.sort !== undefined && input.sort !== col.sort && { sort: input.sort }),
    ...(input.updateIntervalDays !== undefined && input.updateIntervalDays !== col.update_interval_days && { update_interval_days: input.updateIntervalDays }),
    ...(input.reviewLevels !== undefined && input.reviewLevels !== col.review_levels && { review_levels: input.reviewLevels }),
    ...(input.description !== undefined && input.description !== col.description && { description: input.description }),
    ...(input.keywords !== undefined && input.keywords !== col.keywords && { keywords: input.keywords }),
    ...(templates !== undefined && templates !== JSON.stringify(before.templates) && { templates }),
    ...(input.status !== undefined && input.status !== col.status && { status: input.status }),
  };
  if (Object.keys(changes).length === 0) return ok(before);

  const now = iso(ctx.now);
  return writeTx(ctx, `同级栏目已使用别名“${input.slug ?? col.slug}”`, async (tx) => {
    await tx.updateTable('columns').set({ ...changes, updated_at: now }).where('id', '=', id).execute();
    if (slugChanged) {
      await rebaseSubtree(tx, col.site_id, col.id_path, { from: col.path, to: renamedPath(col.path, col.slug, input.slug!) }, null, now);
    }
    const row = await tx.selectFrom('columns').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
    const after = columnView(row, col.site_code);
    await audit.record(tx, ctx, 'column.update', { type: 'column', id, siteId: col.site_id }, before, after);
    // A new slug moves the subtree's pages: the publisher leaves redirects at the old paths.
    await emit(tx, 'column.updated', { siteId: col.site_id, columnId: id, ...(slugChanged && { fromPath: col.path }) }, ctx.now);
    return after;
  });
}
