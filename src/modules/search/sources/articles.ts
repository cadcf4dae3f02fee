/**
 * The public articles, as search items: what the public sees of each live article (its
 * `live_version`, the row itself when the working copy is that version, else the snapshot), on
 * open sites, not past its expiry, with the sites it is placed in. Read in batches, like the
 * publisher's BuildData: a rebuild of 100,000 articles does a few hundred queries.
 */
import type { DB } from '../../../db/index.js';
import { articleUrl } from '../../content/index.js';
import { PORTAL_CODE } from '../../sites/index.js';
import type { SourceItem } from '../documents.js';
import { htmlText } from '../text.js';

export const ARTICLE_BATCH = 500;

interface Snapshot {
  title?: unknown;
  subtitle?: unknown;
  summary?: unknown;
  body?: unknown;
  source?: unknown;
  tags?: unknown;
  expiresAt?: unknown;
}

const str = (v: unknown): string => (typeof v === 'string' ? v : '');
const tagsOf = (v: unknown): string[] => {
  let x = v;
  if (typeof x === 'string') {
    try {
      x = JSON.parse(x);
    } catch {
      return [];
    }
  }
  return Array.isArray(x) ? x.filter((t): t is string => typeof t === 'string') : [];
};

export type ArticleScope = { ids: readonly number[] } | { afterId: number };

/** One batch of a full scan: the public articles among the next ARTICLE_BATCH live ones after `afterId`, and where to go on (null: done). */
export async function publicArticleBatch(db: DB, now: Date, afterId: number): Promise<{ items: SourceItem[]; next: number | null }> {
  const r = await load(db, now, { afterId });
  return { items: r.items, next: r.rows < ARTICLE_BATCH ? null : r.lastId };
}

/** Public articles in scope. */
export async function publicArticles(db: DB, now: Date, scope: ArticleScope): Promise<SourceItem[]> {
  return (await load(db, now, scope)).items;
}

async function load(db: DB, now: Date, scope: ArticleScope): Promise<{ items: SourceItem[]; rows: number; lastId: number }> {
  if ('ids' in scope && scope.ids.length === 0) return { items: [], rows: 0, lastId: 0 };
  let q = db
    .selectFrom('articles as a')
    .innerJoin('columns as c', 'c.id', 'a.column_id')
    .innerJoin('sites as s', 's.id', 'a.site_id')
    .select([
      'a.id', 'a.site_id', 'a.column_id', 'a.published_at', 'a.version', 'a.live_version', 'a.title', 'a.subtitle', 'a.summary', 'a.body', 'a.source', 'a.tags', 'a.expires_at',
      'c.path as column_path', 's.code as site_code', 's.organisation_id',
    ])
    .where('a.live_version', 'is not', null)
    .where('a.published_at', 'is not', null)
    .where('s.status', '=', 'open');
  if ('ids' in scope) q = q.where('a.id', 'in', [...scope.ids]);
  else q = q.where('a.id', '>', scope.afterId).orderBy('a.id').limit(ARTICLE_BATCH);
  const rows = await q.execute();
  if (rows.length === 0) return { items: [], rows: 0, lastId: 0 };

  const stale = rows.filter((r) => r.version !== r.live_version);
  const snapshots = new Map<number, Snapshot>();
  for (let i = 0; i < stale.length; i += 400) {
    const part = stale.slice(i, i + 400);
    const vs = await db
      .selectFrom('article_versions')
      .select(['article_id', 'version', 'data'])
      .where('article_id', 'in', part.map((r) => r.id))
      .execute();
    const want = new Map(part.map((r) => [r.id, r.live_version]));
    for (const v of vs) {
      if (want.get(v.article_id) !== v.version) continue;
      try {
        snapshots.set(v.article_id, JSON.parse(v.data) as Snapshot);
      } catch {
        /* an unreadable snapshot: the row's text is the best we have */
      }
    }
  }

  const placements = new Map<number, number[]>();
  const ids = rows.map((r) => r.id);
  for (let i = 0; i < ids.length; i += 400) {
    const syn = await db
      .selectFrom('syndications as y')
      .innerJoin('sites as s', 's.id', 'y.site_id')
      .select(['y.article_id', 'y.site_id'])
      .where('y.article_id', 'in', ids.slice(i, i + 400))
      .where('y.status', '=', 'published')
      .where('s.status', '=', 'open')
      .execute();
    for (const y of syn) placements.set(y.article_id, [...(placements.get(y.article_id) ?? []), y.site_id]);
  }

  const nowIso = now.toISOString();
  const out: SourceItem[] = [];
  for (const r of rows) {
    const snap = snapshots.get(r.id);
    const f = snap
      ? { title: str(snap.title), subtitle: str(snap.subtitle), summary: str(snap.summary), body: str(snap.body), source: str(snap.source), tags: tagsOf(snap.tags), expiresAt: typeof snap.expiresAt === 'string' ? snap.expiresAt : r.expires_at }
      : { title: r.title, subtitle: r.subtitle, summary: r.summary, body: r.body, source: r.source, tags: tagsOf(r.tags), expiresAt: r.expires_at };
    // Past its expiry it is no longer public, even before the expiry job has run.
    if (f.expiresAt && f.expiresAt <= nowIso) continue;
    const publishedAt = r.published_at!;
    const text = htmlText(f.body);
    out.push({
      type: 'article',
      sourceId: r.id,
      siteId: r.site_id,
      isPortal: r.site_code === PORTAL_CODE,
      organisationId: r.organisation_id,
      columnId: r.column_id,
      date: publishedAt,
      title: f.title,
      body: f.summary && !text.startsWith(f.summary) ? `${f.summary}\n${text}` : text,
      extra: [f.subtitle, f.source, ...f.tags].filter(Boolean).join(' '),
      url: articleUrl(r.site_code, r.column_path, publishedAt, r.id),
      placementSiteIds: placements.get(r.id) ?? [],
    });
  }
  return { items: out, rows: rows.length, lastId: rows[rows.length - 1]!.id };
}
