/**
 * Lists the console's screens need beyond the article routes: where an article can be pushed,
 * and which of my columns are overdue for an update (the workbench).
 */
import { z } from 'zod';
import type { JiyueApp } from '../../app.js';
import { overdueColumns } from './queries/overdueColumns.js';
import { syndicationTargets } from './queries/syndicationTargets.js';

const SiteIdValue = z.coerce.number().int().positive().max(2_147_483_647);

export function consoleRoutes({ router }: JiyueApp): void {
  router.add({
    method: 'GET',
    url: '/api/v1/syndication-targets',
    summary: '可推送的目标栏目：其他开通站点的列表栏目（源站点的编辑可查）',
    tag: 'content',
    auth: 'user',
    query: z.strictObject({ siteId: SiteIdValue }),
    handler: (ctx, { query }) => syndicationTargets(ctx, query.siteId),
  });
  router.add({
    method: 'GET',
    url: '/api/v1/overdue-columns',
    summary: '更新超期的栏目：本人编辑或管理的、超过更新周期未发布新信息的栏目（超期最久的在前）',
    tag: 'content',
    auth: 'user',
    query: z.strictObject({ siteId: SiteIdValue.optional() }),
    handler: (ctx, { query }) => overdueColumns(ctx, query),
  });
}
