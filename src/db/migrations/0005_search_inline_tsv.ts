import { type Kysely, sql } from 'kysely';
import type { Dialect } from '../index.js';

/**
 * PostgreSQL keeps each search document's tsvector in the row (search module, engine/postgres.ts).
 * A ~1 KB document has a ~2.7 KB tsvector, so rows passed the 2 KB toast threshold and every
 * match test read the vector back from the toast table: three times slower than reading it
 * from the row (0.9 against 2.7 µs a document when counting a common word at 100,000 documents). STORAGE MAIN keeps the vector in the row unless
 * the row cannot fit a page; toast_tuple_target lets rows up to a page stay whole. It applies
 * to rows written from now on: `jiyue reindex` rewrites the existing ones.
 */
export async function up(db: Kysely<any>, dialect: Dialect): Promise<void> {
  if (dialect !== 'postgres') return;
  await sql`ALTER TABLE search_documents ALTER COLUMN tsv SET STORAGE MAIN`.execute(db);
  await sql`ALTER TABLE search_documents SET (toast_tuple_target = 8160)`.execute(db);
}

export async function down(db: Kysely<any>, dialect: Dialect): Promise<void> {
  if (dialect !== 'postgres') return;
  await sql`ALTER TABLE search_documents ALTER COLUMN tsv SET STORAGE EXTENDED`.execute(db);
  await sql`ALTER TABLE search_documents RESET (toast_tuple_target)`.execute(db);
}
