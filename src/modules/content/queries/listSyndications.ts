import type { Ctx } from '../../../lib/ctx.js';
import { type Result, fail, ok } from '../../../lib/errors.js';
import { type Page, offsetOf } from '../../../http/pagination.js';
import { can } from '../../accounts/index.js';
import { type SyndicationDto, syndicationDtos } from '../dto.js';
import { columnRef, scopeOf } from '../refs.js';
import type { SyndicationListQuery } from '../schema.js';
import { reachOf, withinReach } from './scope.js';

/** Pushes into the columns the caller may read; by default those waiting for review. */
export async function listSyndications(ctx: Ctx, q: SyndicationListQuery): Promise<Result<Page<SyndicationDto>>> {
  if (ctx.actor.kind === 'anonymous') return fail('unauthenticated', '请先登录');
  const reach = reachOf(ctx.actor, 'content.read');
  if (reach === 'none') return ok({ total: 0, page: q.page, pageSize: q.pageSize, items: [] });
  let base = ctx.db.selectFrom('syndications').where('syndications.status', '=', q.status ?? 'pending');
  if (reach !== 'all') base = base.where(withinReach(reach, 'syndications'));
  if (q.columnId !== undefined) {
    const column = await columnRef(ctx.db, q.columnId);
    if (!column) return fail('not_found', '栏目不存在');
    const denied = can(ctx.actor, 'content.read', scopeOf(column));
    if (denied) return denied;
    base = base.where('syndications.column_id', '=', column.id);
  }
  const { n } = await base.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
  const rows = await base.selectAll('syndications').orderBy('syndications.updated_at', 'desc').orderBy('syndications.id', 'desc').limit(q.pageSize).offset(offsetOf(q)).execute();
  return ok({ total: Number(n), page: q.page, pageSize: q.pageSize, items: await syndicationDtos(ctx.db, rows) });
}
