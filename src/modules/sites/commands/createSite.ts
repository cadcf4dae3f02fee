import type { Ctx } from '../../../lib/ctx.js';
import { type Result, fail } from '../../../lib/errors.js';
import { iso } from '../../../lib/time.js';
import { audit, can } from '../../accounts/index.js';
import { emit } from '../../jobs/index.js';
import { hostConflict, siteCodeConflict } from '../checks.js';
import { type SiteView, siteView } from '../dto.js';
import type { CreateSiteInput } from '../schema.js';
import { writeTx } from '../write.js';

/** 新建站点 (system administrators only): the site row and its host names, in one transaction. */
export async function createSite(ctx: Ctx, input: CreateSiteInput): Promise<Result<SiteView>> {
  const denied = can(ctx.actor, 'system.manage', 'global');
  if (denied) return denied;
  const org = await ctx.db.selectFrom('organisations').select('id').where('id', '=', input.organisationId).executeTakeFirst();
  if (!org) return fail('not_found', '所属单位不存在');
  const conflict = (await siteCodeConflict(ctx.db, input.code, null)) ?? (await hostConflict(ctx.db, input.hosts, null));
  if (conflict) return conflict;
  const now = iso(ctx.now);
  const hosts = [...input.hosts].sort();
  return writeTx(ctx, '站点代码或域名已被使用，或所属单位已被删除', async (tx) => {
    const row = await tx
      .insertInto('sites')
      .values({
        code: input.code,
        name: input.name,
        organisation_id: input.organisationId,
        language: input.language,
        theme: input.theme,
        status: input.status,
        settings: JSON.stringify(input.settings),
        sort: input.sort,
        created_at: now,
        updated_at: now,
      })
      .returningAll()
      .executeTakeFirstOrThrow();
    if (hosts.length) await tx.insertInto('site_hosts').values(hosts.map((host) => ({ host, site_id: row.id }))).execute();
    const view = siteView(row, hosts);
    await audit.record(tx, ctx, 'site.create', { type: 'site', id: row.id, siteId: row.id }, null, view);
    await emit(tx, 'site.updated', { siteId: row.id, changed: ['created'] }, ctx.now);
    return view;
  });
}
