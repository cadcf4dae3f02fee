import { sql } from 'kysely';
import type { Tx } from '../../db/index.js';

/**
 * Rewrites `path` (and `id_path`, when given) of a column and all its descendants in one
 * statement: the old prefix is replaced by the new one. The subtree is found by the prefix of
 * the unchanged `id_path`, which holds only digits and slashes, so it is a safe LIKE pattern.
 * Parameterised on both dialects (`||` and `substr` are standard in SQLite and PostgreSQL).
 */
export async function rebaseSubtree(
  tx: Tx,
  siteId: number,
  rootIdPath: string,
  path: { from: string; to: string },
  idPath: { from: string; to: string } | null,
  now: string,
): Promise<number> {
  const newPath = sql<string>`cast(${path.to} as text) || substr(path, cast(${path.from.length + 1} as integer))`;
  const set = idPath
    ? { path: newPath, id_path: sql<string>`cast(${idPath.to} as text) || substr(id_path, cast(${idPath.from.length + 1} as integer))`, updated_at: now }
    : { path: newPath, updated_at: now };
  const r = await tx.updateTable('columns').set(set).where('site_id', '=', siteId).where('id_path', 'like', `${rootIdPath}%`).executeTakeFirst();
  return Number(r.numUpdatedRows);
}
