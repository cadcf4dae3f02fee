import type { JiyueApp } from '../../app.js';
import { IdParams } from '../../http/pagination.js';
import { siteGrants } from './queries/siteGrants.js';

/** The console's per-column grants screen: who holds which role on a site and its columns. */
export function siteGrantsRoute({ router }: JiyueApp): void {
  router.add({
    method: 'GET',
    url: '/api/v1/sites/:id/grants',
    summary: '站点的角色授权（整站或限定栏目）与可限定的栏目（安全管理员；本站站点管理员只读）',
    tag: 'grants',
    auth: 'user',
    params: IdParams,
    handler: (ctx, { params }) => siteGrants(ctx, params.id),
  });
}
