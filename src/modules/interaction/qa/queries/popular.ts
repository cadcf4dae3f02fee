import type { DB } from '../../../../db/index.js';
import { type PublicFaq, publicFaqs } from '../../faq/queries/publicFaqs.js';

/**
 * Questions to offer a visitor who has not asked yet (您可以这样问): the entries most often given
 * as answers in the last 30 days, of the site first, topped up with the site's (else the
 * cluster's) newest entries.
 */
export async function popularEntries(db: DB, now: Date, siteId: number | null, limit = 6): Promise<PublicFaq[]> {
  const since = new Date(now.getTime() - 30 * 86_400_000).toISOString();
  let asked = db
    .selectFrom('qa_questions')
    .select(['answer_entry_id as id', (eb) => eb.fn.countAll<number>().as('n')])
    .where('answer_entry_id', 'is not', null)
    .where('asked_at', '>=', since)
    .where((eb) => eb.or([eb('feedback', 'is', null), eb('feedback', '=', 'helpful')]));
  if (siteId !== null) asked = asked.where('site_id', '=', siteId);
  const top = await asked.groupBy('answer_entry_id').orderBy('n', 'desc').orderBy('answer_entry_id').limit(limit * 2).execute();
  const byPopularity = await publicFaqs(db, now, { ids: top.map((t) => t.id!).filter((x): x is number => typeof x === 'number') });
  const rank = new Map(top.map((t, i) => [t.id, i]));
  const out = byPopularity.sort((a, b) => (rank.get(a.id) ?? 0) - (rank.get(b.id) ?? 0)).slice(0, limit);
  if (out.length < limit) {
    const pool = await publicFaqs(db, now, siteId !== null ? { siteId } : 'all');
    // One per topic first, newest first, so the suggestions show the range of the knowledge base.
    const seen = new Set(out.map((e) => e.id));
    const topics = new Set(out.map((e) => e.topic));
    const newest = pool.sort((a, b) => (a.publishedAt < b.publishedAt ? 1 : a.publishedAt > b.publishedAt ? -1 : a.id - b.id));
    for (const pass of [true, false])
      for (const e of newest) {
        if (out.length >= limit) break;
        if (seen.has(e.id) || (pass && topics.has(e.topic))) continue;
        out.push(e);
        seen.add(e.id);
        topics.add(e.topic);
      }
  }
  return out;
}
