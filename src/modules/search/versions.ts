/**
 * Version stamps in `settings` for what every process caches: the dictionary (dictionary.ts) and
 * the index's contents (queries/cache.ts). A change bumps its stamp in the transaction that makes
 * it; other processes compare stamps every few seconds, the process that made the change at once.
 */
import type { DB } from '../../db/index.js';
import { iso } from '../../lib/time.js';

export async function readVersion(db: DB, key: string): Promise<string> {
  const row = await db.selectFrom('settings').select('value').where('key', '=', key).executeTakeFirst();
  return row?.value ?? '0';
}

/** Sets a new stamp (call inside the transaction of the change). */
export async function bumpVersion(tx: DB, key: string, now: Date): Promise<void> {
  const value = JSON.stringify(`${now.getTime()}-${Math.random().toString(36).slice(2, 8)}`);
  const updated = await tx.updateTable('settings').set({ value, updated_at: iso(now) }).where('key', '=', key).executeTakeFirst();
  if (Number(updated.numUpdatedRows) === 0) await tx.insertInto('settings').values({ key, value, updated_at: iso(now) }).execute();
}
