import { type Expression, type ExpressionBuilder, type RawBuilder, type SqlBool, sql } from 'kysely';
import type { Database } from '../../../db/schema.js';
import { type Actor, type Permission, columnScopes, visibleSiteIds } from '../../accounts/index.js';
import { columnsUnder } from '../refs.js';

/** Where the actor holds a permission: everywhere, nowhere, or per site (whole site or column subtrees). */
export type Reach = 'all' | 'none' | { siteId: number; columns: 'site' | string[] }[];

export function reachOf(actor: Actor, permission: Permission): Reach {
  const sites = visibleSiteIds(actor, permission);
  if (sites === 'all') return 'all';
  const parts = sites
    .map((siteId) => ({ siteId, columns: columnScopes(actor, permission, siteId) }))
    .filter((p) => p.columns === 'site' || p.columns.length > 0);
  return parts.length === 0 ? 'none' : parts;
}

/**
 * The SQL condition "row is within reach", for a table with a site id and a column id
 * (articles by their column, syndications by their target column).
 */
export function withinReach<T extends 'articles' | 'syndications'>(reach: Exclude<Reach, 'all' | 'none'>, table: T) {
  return (eb: ExpressionBuilder<Database, T>): Expression<SqlBool> =>
    eb.or(
      reach.map((p) => {
        const site = eb(sql.ref(`${table}.site_id`), '=', p.siteId);
        if (p.columns === 'site') return site;
        return eb.and([site, eb(sql.ref(`${table}.column_id`), 'in', columnsUnder(eb as ExpressionBuilder<Database, any>, p.siteId, p.columns))]);
      }),
    );
}

/** `LIKE` with the user's text taken literally (its % and _ escaped), the same on both databases. */
const escapeLike = (s: string): string => s.replace(/[!%_]/g, (c) => `!${c}`);
export const containsText = (column: string, text: string): RawBuilder<SqlBool> =>
  sql<SqlBool>`lower(${sql.ref(column)}) like ${`%${escapeLike(text.toLowerCase())}%`} escape '!'`;
