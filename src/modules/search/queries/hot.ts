/**
 * Hot searches (热门搜索): the most asked queries of the last HOT_DAYS days that found
 * something, minus those containing a blocked word. Computed at most every CACHE_MS per process.
 */
import type { DB } from '../../../db/index.js';

export const HOT_DAYS = 30;
const CACHE_MS = 60_000;
const KEEP = 500;

export interface HotQuery {
  q: string;
  count: number;
}

const cache = new WeakMap<DB, { at: number; list: HotQuery[] }>();

/** Pure: drops queries containing any blocked word (case-insensitive). */
export function withoutBlocked(list: readonly HotQuery[], blocked: readonly string[]): HotQuery[] {
  const words = blocked.map((w) => w.toLowerCase()).filter(Boolean);
  return list.filter((h) => !words.some((w) => h.q.toLowerCase().includes(w)));
}

/** The hot list (up to 500, most asked first), cached. */
export async function hotQueries(db: DB, now: Date): Promise<HotQuery[]> {
  const c = cache.get(db);
  if (c && Date.now() - c.at < CACHE_MS) return c.list;
  const since = new Date(now.getTime() - HOT_DAYS * 86_400_000).toISOString();
  const rows = await db
    .selectFrom('search_query_log')
    .select(['q', (eb) => eb.fn.countAll<number>().as('n')])
    .where('at', '>=', since)
    .where('results', '>', 0)
    .groupBy('q')
    .orderBy('n', 'desc')
    .orderBy('q')
    .limit(KEEP)
    .execute();
  const blocked = (await db.selectFrom('search_blocked_words').select('word').execute()).map((r) => r.word);
  const list = withoutBlocked(
    rows.map((r) => ({ q: r.q, count: Number(r.n) })),
    blocked,
  );
  cache.set(db, { at: Date.now(), list });
  return list;
}

export function forgetHot(db: DB): void {
  cache.delete(db);
}
