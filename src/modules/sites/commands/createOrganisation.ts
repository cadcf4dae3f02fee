import type { Ctx } from '../../../lib/ctx.js';
import { type Result, fail } from '../../../lib/errors.js';
import { iso } from '../../../lib/time.js';
import { audit, can } from '../../accounts/index.js';
import { type OrganisationView, organisationView } from '../dto.js';
import type { CreateOrganisationInput } from '../schema.js';
import { writeTx } from '../write.js';

/** 新建单位 (system administrators only). */
export async function createOrganisation(ctx: Ctx, input: CreateOrganisationInput): Promise<Result<OrganisationView>> {
  const denied = can(ctx.actor, 'system.manage', 'global');
  if (denied) return denied;
  if (input.parentId !== null) {
    const parent = await ctx.db.selectFrom('organisations').select('id').where('id', '=', input.parentId).executeTakeFirst();
    if (!parent) return fail('not_found', '上级单位不存在');
  }
  const clash = await ctx.db.selectFrom('organisations').select('id').where('code', '=', input.code).executeTakeFirst();
  if (clash) return fail('conflict', `单位代码“${input.code}”已被使用`, { field: 'code', id: clash.id });
  const now = iso(ctx.now);
  return writeTx(ctx, '单位代码已被使用，或上级单位已被删除', async (tx) => {
    const row = await tx
      .insertInto('organisations')
      .values({ code: input.code, name: input.name, kind: input.kind, parent_id: input.parentId, sort: input.sort, created_at: now, updated_at: now })
      .returningAll()
      .executeTakeFirstOrThrow();
    const view = organisationView(row);
    await audit.record(tx, ctx, 'organisation.create', { type: 'organisation', id: row.id }, null, view);
    return view;
  });
}
