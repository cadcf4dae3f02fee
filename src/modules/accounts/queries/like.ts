import { type RawBuilder, type SqlBool, sql } from 'kysely';

/**
 * `LIKE` with the user's text taken literally (its % and _ escaped), written the same way for
 * SQLite and PostgreSQL. Case-insensitive for Latin letters (both sides lower-cased).
 */
const escapeLike = (s: string): string => s.replace(/[!%_]/g, (c) => `!${c}`);

export const containsText = (column: string, text: string): RawBuilder<SqlBool> =>
  sql<SqlBool>`lower(${sql.ref(column)}) like ${`%${escapeLike(text.toLowerCase())}%`} escape '!'`;

export const startsWithText = (column: string, text: string): RawBuilder<SqlBool> =>
  sql<SqlBool>`${sql.ref(column)} like ${`${escapeLike(text)}%`} escape '!'`;
