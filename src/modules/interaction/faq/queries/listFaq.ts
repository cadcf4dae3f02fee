import { sql } from 'kysely';
import type { Ctx } from '../../../../lib/ctx.js';
import { type Result, ok } from '../../../../lib/errors.js';
import { type Page, offsetOf } from '../../../../http/pagination.js';
import { type Actor, type Permission, can, canReviewLevel, visibleSiteIds } from '../../../accounts/index.js';
import { siteScope } from '../access.js';
import { type FaqSummaryDto, faqSummaryDto, namesFor } from '../dto.js';
import type { FaqListQuery } from '../schema.js';

/** Sites on which the actor holds `permission` site-wide ('all' for the system administrator). */
export function faqSiteIds(actor: Actor, permission: Permission): number[] | 'all' {
  const v = visibleSiteIds(actor, permission);
  return v === 'all' ? v : v.filter((id) => !can(actor, permission, siteScope(id)));
}

const likeContains = (q: string): string => `%${q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;

/** 问答条目列表: the entries of the sites the caller reads, newest change first, with filters. */
export async function listFaq(ctx: Ctx, q: FaqListQuery): Promise<Result<Page<FaqSummaryDto>>> {
  const sites = faqSiteIds(ctx.actor, 'content.read');
  const empty = { total: 0, page: q.page, pageSize: q.pageSize, items: [] };
  if (q.siteId !== undefined) {
    const denied = can(ctx.actor, 'content.read', siteScope(q.siteId));
    if (denied) return denied;
  }
  const scope = q.siteId !== undefined ? [q.siteId] : sites;
  if (scope !== 'all' && scope.length === 0) return ok(empty);
  let base = ctx.db.selectFrom('faq_entries');
  if (scope !== 'all') base = base.where('site_id', 'in', scope);
  if (q.status) base = base.where('status', '=', q.status);
  if (q.topic) base = base.where('topic', '=', q.topic);
  if (q.q) {
    const pattern = likeContains(q.q);
    base = base.where((eb) => eb.or([sql<boolean>`${eb.ref('question')} like ${pattern} escape '\\'`, sql<boolean>`${eb.ref('variants')} like ${pattern} escape '\\'`]));
  }
  if (q.awaitingMe) {
    base = base.where('status', '=', 'submitted');
    // The levels differ per entry: narrow by SQL to submitted entries, then keep those the caller may decide.
    const rows = await base.selectAll().orderBy('updated_at').orderBy('id').limit(2000).execute();
    const mine = rows.filter((r) => !canReviewLevel(ctx.actor, siteScope(r.site_id), r.review_level));
    const page = mine.slice(offsetOf(q), offsetOf(q) + q.pageSize);
    const names = await namesFor(ctx.db, page);
    return ok({ total: mine.length, page: q.page, pageSize: q.pageSize, items: page.map((r) => faqSummaryDto(r, names)) });
  }
  const [total, rows] = await Promise.all([
    base.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow(),
    base.selectAll().orderBy('updated_at', 'desc').orderBy('id', 'desc').limit(q.pageSize).offset(offsetOf(q)).execute(),
  ]);
  const names = await namesFor(ctx.db, rows);
  return ok({ total: Number(total.n), page: q.page, pageSize: q.pageSize, items: rows.map((r) => faqSummaryDto(r, names)) });
}

/** The topics in use on the caller's sites (for the console's filter and the editor's suggestions). */
export async function faqTopics(ctx: Ctx, siteId: number | undefined): Promise<Result<{ items: { topic: string; count: number }[] }>> {
  if (siteId !== undefined) {
    const denied = can(ctx.actor, 'content.read', siteScope(siteId));
    if (denied) return denied;
  }
  const scope = siteId !== undefined ? [siteId] : faqSiteIds(ctx.actor, 'content.read');
  if (scope !== 'all' && scope.length === 0) return ok({ items: [] });
  let base = ctx.db.selectFrom('faq_entries').select(['topic', (eb) => eb.fn.countAll<number>().as('n')]);
  if (scope !== 'all') base = base.where('site_id', 'in', scope);
  const rows = await base.groupBy('topic').orderBy('topic').execute();
  return ok({ items: rows.map((r) => ({ topic: r.topic, count: Number(r.n) })) });
}
