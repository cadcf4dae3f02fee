import type { Ctx } from '../../../lib/ctx.js';
import { type Result, fail, ok } from '../../../lib/errors.js';
import { iso } from '../../../lib/time.js';
import { audit, can } from '../../accounts/index.js';
import { emit } from '../../jobs/index.js';
import { hostConflict, siteCodeConflict } from '../checks.js';
import { type SiteView, siteView } from '../dto.js';
import { hostsOf } from '../queries/sites.js';
import { PORTAL_CODE, portalSlugProblem } from '../rules.js';
import type { UpdateSiteInput } from '../schema.js';
import { writeTx } from '../write.js';

const sameSet = (a: readonly string[], b: readonly string[]): boolean => a.length === b.length && a.every((x) => b.includes(x));

/**
 * 修改站点. A site administrator may change the site's name, look, status and settings; its
 * code (its URL), organisation and host names are the cluster's business and need a system
 * administrator. Host names are replaced as a whole, in the same transaction as the site.
 */
export async function updateSite(ctx: Ctx, id: number, input: UpdateSiteInput): Promise<Result<SiteView>> {
  const row = await ctx.db.selectFrom('sites').selectAll().where('id', '=', id).executeTakeFirst();
  if (!row) return fail('not_found', '站点不存在');
  const denied = can(ctx.actor, 'site.manage', { siteId: id });
  if (denied) return denied;
  const currentHosts = (await hostsOf(ctx.db, [id])).get(id) ?? [];
  const before = siteView(row, currentHosts);

  const codeChanged = input.code !== undefined && input.code !== row.code;
  const orgChanged = input.organisationId !== undefined && input.organisationId !== row.organisation_id;
  const hosts = input.hosts === undefined ? undefined : [...input.hosts].sort();
  const hostsChanged = hosts !== undefined && !sameSet(hosts, currentHosts);
  if ((codeChanged || orgChanged || hostsChanged) && can(ctx.actor, 'system.manage', 'global')) {
    return fail('forbidden', '修改站点代码、所属单位或绑定域名需要系统管理员权限');
  }
  if (orgChanged) {
    const org = await ctx.db.selectFrom('organisations').select('id').where('id', '=', input.organisationId!).executeTakeFirst();
    if (!org) return fail('not_found', '所属单位不存在');
  }
  if (codeChanged) {
    const conflict = await siteCodeConflict(ctx.db, input.code!, id);
    if (conflict) return conflict;
    if (input.code === PORTAL_CODE) {
      // Becoming the portal: this site's top-level columns move to `/{slug}/`, beside the sub-sites.
      const tops = await ctx.db.selectFrom('columns').select('slug').where('site_id', '=', id).where('parent_id', 'is', null).execute();
      const codes = (await ctx.db.selectFrom('sites').select('code').where('id', '!=', id).execute()).map((s) => s.code);
      const problem = tops.map((c) => portalSlugProblem(c.slug, codes)).find(Boolean);
      if (problem) return fail('conflict', `该站点不能成为门户：${problem}`, { field: 'code' });
    }
  }
  if (hostsChanged) {
    const conflict = await hostConflict(ctx.db, hosts, id);
    if (conflict) return conflict;
  }

  const changes = {
    ...(codeChanged && { code: input.code! }),
    ...(input.name !== undefined && input.name !== row.name && { name: input.name }),
    ...(orgChanged && { organisation_id: input.organisationId! }),
    ...(input.language !== undefined && input.language !== row.language && { language: input.language }),
    ...(input.theme !== undefined && input.theme !== row.theme && { theme: input.theme }),
    ...(input.status !== undefined && input.status !== row.status && { status: input.status }),
    ...(input.sort !== undefined && input.sort !== row.sort && { sort: input.sort }),
    ...(input.settings !== undefined && JSON.stringify(input.settings) !== JSON.stringify(before.settings) && { settings: JSON.stringify(input.settings) }),
  };
  if (Object.keys(changes).length === 0 && !hostsChanged) return ok(before);

  return writeTx(ctx, '站点代码或域名已被使用，或所属单位已被删除', async (tx) => {
    const updated = await tx
      .updateTable('sites')
      .set({ ...changes, updated_at: iso(ctx.now) })
      .where('id', '=', id)
      .returningAll()
      .executeTakeFirstOrThrow();
    if (hostsChanged) {
      await tx.deleteFrom('site_hosts').where('site_id', '=', id).execute();
      if (hosts.length) await tx.insertInto('site_hosts').values(hosts.map((host) => ({ host, site_id: id }))).execute();
    }
    const after = siteView(updated, hostsChanged ? hosts : currentHosts);
    await audit.record(tx, ctx, 'site.update', { type: 'site', id, siteId: id }, before, after);
    // The publisher re-renders the site's pages (every site's, when its name or address changed).
    const changed = [...Object.keys(changes).map((k) => (k === 'organisation_id' ? 'organisationId' : k)), ...(hostsChanged ? ['hosts'] : [])];
    // The banner and mourning switches are live (/_mode.css): a change of only those re-renders nothing.
    const onlyLive = changed.length === 1 && changed[0] === 'settings' && onlyLiveSettingsDiffer(before.settings, input.settings);
    if (!onlyLive) await emit(tx, 'site.updated', { siteId: id, changed, ...(codeChanged && { fromCode: row.code }) }, ctx.now);
    return after;
  });
}

/** Settings keys shown live on every page without re-rendering it (publishing/serve). */
const LIVE_SETTINGS = new Set(['banner', 'mourning']);

function onlyLiveSettingsDiffer(a: object | undefined, b: object | undefined): boolean {
  const x = (a ?? {}) as Record<string, unknown>;
  const y = (b ?? {}) as Record<string, unknown>;
  for (const k of new Set([...Object.keys(x), ...Object.keys(y)])) if (!LIVE_SETTINGS.has(k) && JSON.stringify(x[k]) !== JSON.stringify(y[k])) return false;
  return true;
}
