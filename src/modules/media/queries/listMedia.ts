import { type RawBuilder, type SqlBool, sql } from 'kysely';
import { type Page, offsetOf } from '../../../http/pagination.js';
import type { Ctx } from '../../../lib/ctx.js';
import { type Result, fail, ok } from '../../../lib/errors.js';
import { can, visibleSiteIds } from '../../accounts/index.js';
import { type MediaDto, mediaDto } from '../dto.js';
import type { MediaListQuery } from '../schema.js';

/** `LIKE` with the user's text taken literally (%, _ escaped), case-insensitive for Latin letters, on both databases. */
const containsText = (column: string, text: string): RawBuilder<SqlBool> =>
  sql<SqlBool>`lower(${sql.ref(column)}) like ${`%${text.toLowerCase().replace(/[!%_]/g, (c) => `!${c}`)}%`} escape '!'`;

/**
 * The media library, newest first: files of the sites where the caller holds `content.read`, plus
 * shared files (no site). `siteId` narrows to one site (403 outside the caller's sites), `kind` to
 * images or documents, `q` to original names containing the text.
 */
export async function listMedia(ctx: Ctx, q: MediaListQuery): Promise<Result<Page<MediaDto>>> {
  if (ctx.actor.kind === 'anonymous') return fail('unauthenticated', '请先登录');
  const visible = visibleSiteIds(ctx.actor, 'content.read');
  if (visible !== 'all' && visible.length === 0) return fail('forbidden', '没有权限查看媒体库');
  let base = ctx.db.selectFrom('media');
  if (q.siteId !== undefined) {
    const denied = can(ctx.actor, 'content.read', { siteId: q.siteId });
    if (denied) return denied;
    base = base.where('site_id', '=', q.siteId);
  } else if (visible !== 'all') {
    base = base.where((eb) => eb.or([eb('site_id', 'in', visible), eb('site_id', 'is', null)]));
  }
  if (q.kind) base = base.where('kind', '=', q.kind);
  if (q.q) base = base.where(containsText('original_name', q.q));
  const { n } = await base.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
  const rows = await base.selectAll().orderBy('id', 'desc').limit(q.pageSize).offset(offsetOf(q)).execute();
  return ok({ total: Number(n), page: q.page, pageSize: q.pageSize, items: rows.map(mediaDto) });
}
