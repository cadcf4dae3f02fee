/**
 * 统一检索: one query over every public item of the cluster (or one site), ranked, filtered,
 * with highlighted snippets, "did you mean" and the query logged. Results are kept until the index
 * changes (cache.ts); every search is logged, whether its result was kept or not.
 */
import type { DB, Dialect } from '../../../db/index.js';
import { type Result, fail, ok } from '../../../lib/errors.js';
import { type Dictionary, dictionaryOf } from '../dictionary.js';
import { type DocumentType, beijingDay, dateDay, dayDate } from '../documents.js';
import { engineFor } from '../engine/index.js';
import { type QueryPlan, planQuery } from '../query.js';
import type { QueryLog } from '../querylog.js';
import type { SearchQuery } from '../schema.js';
import { highlight, snippet } from '../snippet.js';
import { cached } from './cache.js';
import { corrections } from './didYouMean.js';

export interface SearchItem {
  title: string;
  url: string;
  type: DocumentType;
  /** Site code. */
  site: string;
  /** Beijing date "YYYY-MM-DD". */
  date: string;
  /** Escaped text with <em> around hits. */
  snippet: string;
  /** The title escaped, with <em> around hits. */
  titleHtml: string;
  siteName: string;
  id: number;
}

export interface SearchResult {
  /** Matches, counted up to COUNT_LIMIT (ranking.ts). */
  total: number;
  /** There are more than `total` ("10,000+"). */
  totalIsLowerBound: boolean;
  page: number;
  pageSize: number;
  items: SearchItem[];
  /** The words searched for (after segmentation, stop words left out). */
  words: string[];
  /** No result had every word: these have some of them (best first). */
  relaxed: boolean;
  /** A corrected query that finds more, for common typos; null otherwise. */
  didYouMean: string | null;
}

export interface SearchEnv {
  db: DB;
  dialect: Dialect;
  now: Date;
  log?: QueryLog | undefined;
}

export async function resolveSite(db: DB, code: string | undefined): Promise<Result<{ id: number; name: string } | null>> {
  if (!code) return ok(null);
  const s = await db.selectFrom('sites').select(['id', 'name', 'status']).where('code', '=', code).executeTakeFirst();
  if (!s || s.status !== 'open') return fail('validation_failed', `输入有误。site: 站点“${code}”不存在或未开通`, { issues: [{ path: 'site', message: '站点不存在或未开通' }] });
  return ok({ id: s.id, name: s.name });
}

async function load(db: DB, ids: readonly number[]) {
  if (ids.length === 0) return [];
  const rows = await db
    .selectFrom('search_documents as d')
    .innerJoin('sites as s', 's.id', 'd.site_id')
    .select(['d.id', 'd.type', 'd.title', 'd.body', 'd.url', 'd.day', 's.code as site', 's.name as site_name'])
    .where('d.id', 'in', [...ids])
    .execute();
  const byId = new Map(rows.map((r) => [Number(r.id), r]));
  return ids.map((id) => byId.get(id)).filter((r): r is NonNullable<typeof r> => !!r);
}

export async function search(env: SearchEnv, query: SearchQuery): Promise<Result<SearchResult>> {
  const site = await resolveSite(env.db, query.site);
  if (!site.ok) return site;
  const dict = await dictionaryOf(env.db);
  const today = beijingDay(env.now);
  const key = JSON.stringify([dict.version, today, site.value?.id ?? null, query.q, query.type ?? null, query.from ?? null, query.to ?? null, query.sort, query.page, query.pageSize]);
  const result = await cached(env.db, key, () => run(env, dict, site.value?.id, query, today));
  env.log?.note(query.q, site.value?.id ?? null, result.total, env.now);
  return ok(result);
}

/** The search itself (what the cache keeps; shared between requests, so frozen). */
async function run(env: SearchEnv, dict: Dictionary, siteId: number | undefined, query: SearchQuery, today: number): Promise<SearchResult> {
  const plan = planQuery(query.q, dict.segmenter, dict.synonyms);
  const base = { siteId, type: query.type, fromDay: query.from ? dateDay(query.from) : undefined, toDay: query.to ? dateDay(query.to) : undefined };
  const engine = engineFor(env.dialect);
  const page = { sort: query.sort, offset: (query.page - 1) * query.pageSize, limit: query.pageSize, today };
  let r = await engine.search(env.db, { plan, ...base, ...page });
  const strictTotal = r.total;
  // Nothing has every word ("退休工资涨了多少"): rank what has some of them, most first.
  let relaxed = false;
  if (r.total === 0 && plan.groups.length > 1) {
    r = await engine.search(env.db, { plan: relax(plan), ...base, ...page, sort: query.sort });
    relaxed = r.total > 0;
  }
  const rows = await load(env.db, r.ids);
  const items: SearchItem[] = rows.map((d) =>
    Object.freeze({
      title: d.title,
      url: d.url,
      type: d.type as DocumentType,
      site: d.site,
      date: dayDate(d.day),
      snippet: snippet(d.body, plan.highlights),
      titleHtml: highlight(d.title, plan.highlights),
      siteName: d.site_name,
      id: Number(d.id),
    }),
  );
  const didYouMean = await betterQuery(env, dict, query.q, strictTotal, { ...base, today });
  return Object.freeze({
    total: r.total,
    totalIsLowerBound: r.totalIsLowerBound,
    page: query.page,
    pageSize: query.pageSize,
    items: Object.freeze(items) as SearchItem[],
    words: Object.freeze(plan.words) as string[],
    relaxed,
    didYouMean,
  });
}

/** Any word instead of every word: one group of all alternatives (BM25 puts documents with more of them first). */
export function relax(plan: QueryPlan): QueryPlan {
  return { ...plan, groups: [{ word: plan.words.join(' '), alternatives: plan.groups.flatMap((g) => g.alternatives) }] };
}

/**
 * The correction of a near miss of a dictionary term (didYouMean.ts) that finds something, and
 * at least as much as the query as typed (a typo usually cuts a term into pieces that still
 * match something: 公基金 → 公 / 基金), the one finding most; null when there is none.
 */
async function betterQuery(env: SearchEnv, dict: Dictionary, q: string, found: number, base: { siteId?: number | undefined; type?: string | undefined; fromDay?: number | undefined; toDay?: number | undefined; today: number }): Promise<string | null> {
  const engine = engineFor(env.dialect);
  let best: { q: string; n: number } | null = null;
  for (const c of corrections(q, dict.vocabulary)) {
    const plan: QueryPlan = planQuery(c, dict.segmenter, dict.synonyms);
    const r = await engine.search(env.db, { plan, ...base, sort: 'date', offset: 0, limit: 1 });
    if (r.total > 0 && r.total >= found && (!best || r.total > best.n)) best = { q: c, n: r.total };
  }
  return best?.q ?? null;
}
