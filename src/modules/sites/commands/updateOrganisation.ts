import type { Ctx } from '../../../lib/ctx.js';
import { type Result, fail, ok } from '../../../lib/errors.js';
import { iso } from '../../../lib/time.js';
import { audit, can } from '../../accounts/index.js';
import { type OrganisationView, organisationView } from '../dto.js';
import { wouldCycle } from '../rules.js';
import type { UpdateOrganisationInput } from '../schema.js';
import { writeTx } from '../write.js';

/** 修改单位: name, kind, code, sort, or its place in the organisation tree. */
export async function updateOrganisation(ctx: Ctx, id: number, input: UpdateOrganisationInput): Promise<Result<OrganisationView>> {
  const denied = can(ctx.actor, 'system.manage', 'global');
  if (denied) return denied;
  const row = await ctx.db.selectFrom('organisations').selectAll().where('id', '=', id).executeTakeFirst();
  if (!row) return fail('not_found', '单位不存在');
  const before = organisationView(row);

  if (input.parentId !== undefined && input.parentId !== row.parent_id && input.parentId !== null) {
    const all = await ctx.db.selectFrom('organisations').select(['id', 'parent_id']).execute();
    const parentOf = new Map(all.map((o) => [o.id, o.parent_id]));
    if (!parentOf.has(input.parentId)) return fail('not_found', '上级单位不存在');
    if (wouldCycle(id, input.parentId, parentOf)) return fail('conflict', '不能把单位移到它自己或它的下级单位之下');
  }
  if (input.code !== undefined && input.code !== row.code) {
    const clash = await ctx.db.selectFrom('organisations').select('id').where('code', '=', input.code).executeTakeFirst();
    if (clash) return fail('conflict', `单位代码“${input.code}”已被使用`, { field: 'code', id: clash.id });
  }
  const changes = {
    ...(input.code !== undefined && { code: input.code }),
    ...(input.name !== undefined && { name: input.name }),
    ...(input.kind !== undefined && { kind: input.kind }),
    ...(input.parentId !== undefined && { parent_id: input.parentId }),
    ...(input.sort !== undefined && { sort: input.sort }),
  };
  if (Object.keys(changes).length === 0) return ok(before);
  return writeTx(ctx, '单位代码已被使用，或上级单位已被删除', async (tx) => {
    const updated = await tx
      .updateTable('organisations')
      .set({ ...changes, updated_at: iso(ctx.now) })
      .where('id', '=', id)
      .returningAll()
      .executeTakeFirstOrThrow();
    const after = organisationView(updated);
    await audit.record(tx, ctx, 'organisation.update', { type: 'organisation', id }, before, after);
    return after;
  });
}
