/**
 * Scales a seeded demo cluster up to `target` live articles, for benchmarks (issue 3: "the demo
 * cluster scaled to 20,000 articles"): copies of the demo's own articles, imported as published
 * history into the list columns of every open site, spread over the past two years. Bulk inserts
 * (one transaction per 500 articles), no audit entries and no events: a full build follows.
 * Benchmark helper only — not for production data.
 */
import type { Store } from '../../../db/index.js';
import { iso } from '../../../lib/time.js';

export async function scaleArticles(store: Store, target: number, now: Date, log: (msg: string) => void = () => {}): Promise<number> {
  const db = store.db;
  const count = async () => Number((await db.selectFrom('articles').select((eb) => eb.fn.countAll<number>().as('n')).where('live_version', 'is not', null).executeTakeFirstOrThrow()).n);
  let have = await count();
  if (have >= target) return have;
  const samples = await db.selectFrom('articles').select(['title', 'subtitle', 'summary', 'body', 'source', 'author', 'tags', 'created_by']).where('live_version', 'is not', null).orderBy('id').execute();
  const columns = await db
    .selectFrom('columns')
    .innerJoin('sites', 'sites.id', 'columns.site_id')
    .select(['columns.id', 'columns.site_id'])
    .where('columns.kind', '=', 'list')
    .where('sites.status', '=', 'open')
    .orderBy('columns.id')
    .execute();
  if (samples.length === 0 || columns.length === 0) throw new Error('scaleArticles: seed the demo cluster first');
  let n = 0;
  while (have < target) {
    const batch = Math.min(500, target - have);
    await db.transaction().execute(async (tx) => {
      for (let i = 0; i < batch; i++, n++) {
        const s = samples[n % samples.length]!;
        const c = columns[(n * 7) % columns.length]!;
        const at = iso(new Date(now.getTime() - (60 + ((n * 7919) % (730 * 24 * 60))) * 60_000));
        const r = await tx
          .insertInto('articles')
          .values({
            site_id: c.site_id,
            column_id: c.id,
            title: `${s.title}（${Math.floor(n / samples.length) + 2}）`,
            subtitle: s.subtitle,
            summary: s.summary,
            body: s.body,
            source: s.source,
            author: s.author,
            publish_at: null,
            published_at: at,
            effective_at: null,
            expires_at: null,
            cover_media_id: null,
            cover_alt: '',
            tags: s.tags,
            status: 'published',
            review_level: 0,
            version: 1,
            approved_version: 1,
            live_version: 1,
            created_by: s.created_by,
            updated_by: s.created_by,
            created_at: at,
            updated_at: at,
          })
          .returning('id')
          .executeTakeFirstOrThrow();
        await tx
          .insertInto('article_versions')
          .values({
            article_id: r.id,
            version: 1,
            data: JSON.stringify({ title: s.title, subtitle: s.subtitle, summary: s.summary, body: s.body, source: s.source, author: s.author, publishAt: null, effectiveAt: null, expiresAt: null, coverMediaId: null, coverAlt: '', tags: JSON.parse(s.tags), attachmentIds: [] }),
            created_by: s.created_by,
            created_at: at,
          })
          .execute();
      }
    });
    have += batch;
    log(`${have} live articles`);
  }
  return count();
}
