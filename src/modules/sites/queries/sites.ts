import { type Selectable, sql } from 'kysely';
import type { DB } from '../../../db/index.js';
import { type Page, offsetOf } from '../../../http/pagination.js';
import { type SiteView, siteView } from '../dto.js';
import { normaliseHost } from '../rules.js';
import type { ListSitesQuery } from '../schema.js';
import type { SiteTable } from '../tables.js';

/** Host names of each of the given sites, sorted. */
export async function hostsOf(db: DB, siteIds: number[]): Promise<Map<number, string[]>> {
  const out = new Map<number, string[]>(siteIds.map((id) => [id, []]));
  if (siteIds.length === 0) return out;
  const rows = await db.selectFrom('site_hosts').select(['site_id', 'host']).where('site_id', 'in', siteIds).orderBy('host').execute();
  for (const r of rows) out.get(r.site_id)?.push(r.host);
  return out;
}

async function withHosts(db: DB, rows: Selectable<SiteTable>[]): Promise<SiteView[]> {
  const hosts = await hostsOf(db, rows.map((r) => r.id));
  return rows.map((r) => siteView(r, hosts.get(r.id) ?? []));
}

/** `%`, `_` and `\` taken literally in a LIKE pattern (used with ESCAPE '\'). */
const likeContains = (q: string): string => `%${q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;

export async function listSites(db: DB, q: ListSitesQuery): Promise<Page<SiteView>> {
  let base = db.selectFrom('sites');
  if (q.organisationId !== undefined) base = base.where('organisation_id', '=', q.organisationId);
  if (q.status !== undefined) base = base.where('status', '=', q.status);
  if (q.q) {
    const pattern = likeContains(q.q);
    const lower = likeContains(q.q.toLowerCase());
    base = base.where((eb) => eb.or([sql<boolean>`${eb.ref('name')} like ${pattern} escape '\\'`, sql<boolean>`${eb.ref('code')} like ${lower} escape '\\'`]));
  }
  const total = await base.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
  const rows = await base.selectAll().orderBy('sort').orderBy('id').limit(q.pageSize).offset(offsetOf(q)).execute();
  return { total: Number(total.n), page: q.page, pageSize: q.pageSize, items: await withHosts(db, rows) };
}

export async function getSite(db: DB, id: number): Promise<SiteView | undefined> {
  const r = await db.selectFrom('sites').selectAll().where('id', '=', id).executeTakeFirst();
  return r && (await withHosts(db, [r]))[0];
}

export async function getSiteByCode(db: DB, code: string): Promise<SiteView | undefined> {
  const r = await db.selectFrom('sites').selectAll().where('code', '=', code).executeTakeFirst();
  return r && (await withHosts(db, [r]))[0];
}

/** The site that owns a host name (a `Host` header: case and port do not matter). */
export async function resolveSiteByHost(db: DB, host: string): Promise<SiteView | undefined> {
  const h = normaliseHost(host);
  if (!h) return undefined;
  const r = await db.selectFrom('site_hosts').innerJoin('sites', 'sites.id', 'site_hosts.site_id').selectAll('sites').where('site_hosts.host', '=', h).executeTakeFirst();
  return r && (await withHosts(db, [r]))[0];
}
