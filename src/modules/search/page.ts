/**
 * The public search page `/search?q=…&site=…` (and its 繁體 twin `/zh-hant/search`): rendered
 * on the server through the site's theme (template `search`), in the look of the site searched
 * (the portal for the whole cluster), a plain GET form, so it works without JavaScript.
 *
 * `/zh-hant/search/suggest?q=&site=` gives the theme's suggestion list (site.js) on Traditional
 * pages what `/api/v1/search/suggest` gives Simplified ones, converted to Traditional and with
 * addresses in the /zh-hant tree.
 */
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { JiyueApp } from '../../app.js';
import { findMalformedText } from '../../http/validate.js';
import { dynamicPage, toTraditional } from '../publishing/build/index.js';
import { themeEngineFor } from '../publishing/index.js';
import { dictionaryOf } from './dictionary.js';
import { DOCUMENT_TYPES, TYPE_NAMES, beijingDay, dayDate } from './documents.js';
import { cached } from './queries/cache.js';
import { hotQueries } from './queries/hot.js';
import { type SearchResult, search } from './queries/search.js';
import { suggest } from './queries/suggest.js';
import type { QueryLog } from './querylog.js';
import { SearchQuery, SuggestQuery } from './schema.js';

/** The kinds of result the page's type filter offers: those that have a source in the index. */
const PAGE_TYPES = DOCUMENT_TYPES.filter((t) => t === 'article' || t === 'faq');

const RANGES = [
  { key: 'week', name: '一周内', days: 7 },
  { key: 'month', name: '一月内', days: 31 },
  { key: 'year', name: '一年内', days: 366 },
] as const;

const first = (v: unknown): string | undefined => (Array.isArray(v) ? first(v[0]) : typeof v === 'string' ? v : undefined);

/**
 * How long a rendered page is kept. The results in it are dropped as soon as the index changes
 * (queries/cache.ts); this bounds how late a change of the site's look (theme, columns) or of the
 * hot list shows on the search page.
 */
const PAGE_MAX_AGE_MS = 5000;

interface RenderedPage {
  status: number;
  html: string;
  /** What the query log notes for each visit (null: no search was made). */
  logged: { q: string; siteId: number | null; results: number } | null;
}

export function registerSearchPage(app: JiyueApp, log: QueryLog): void {
  const { store, clock } = app.deps;
  // A page depends on its address, the script, the day (time filters) and the dictionary; its
  // look does not depend on the visitor (elder mode and font size come from /_mode.css).
  const handler = (traditional: boolean) => async (req: FastifyRequest, reply: FastifyReply) => {
    const now = clock();
    const key = JSON.stringify(['page', traditional, beijingDay(now), (await dictionaryOf(store.db)).version, req.url]);
    const page = await cached(store.db, key, () => renderSearchPage(app, req, traditional, now), { keep: (p) => p.status === 200, maxAgeMs: PAGE_MAX_AGE_MS });
    if (page.logged) log.note(page.logged.q, page.logged.siteId, page.logged.results, now);
    return reply.code(page.status).header('cache-control', 'no-store').header('x-robots-tag', 'noindex').type('text/html; charset=utf-8').send(page.html);
  };
  app.app.get('/search', handler(false));
  app.app.get('/zh-hant/search', handler(true));
  app.app.get('/zh-hant/search/suggest', async (req, reply) => {
    const input = req.query as Record<string, unknown>;
    const p = findMalformedText(input) ? null : SuggestQuery.safeParse({ q: first(input.q) ?? '', site: first(input.site) });
    const r = p?.success ? await suggest({ db: app.deps.store.db, dialect: app.deps.store.dialect, now: app.deps.clock() }, p.data) : null;
    reply.header('cache-control', 'no-store');
    if (!r?.ok) return reply.code(400).send({ error: { code: 'validation_failed', message: '輸入有誤', details: null } });
    return reply.send({ items: r.value.items.map((it) => ({ ...it, text: toTraditional(it.text), url: it.url?.startsWith('/') ? `/zh-hant${it.url}` : it.url })) });
  });
}

async function renderSearchPage(app: JiyueApp, req: FastifyRequest, traditional: boolean, now: Date): Promise<RenderedPage> {
  const { store, config } = app.deps;
  const raw = (req.query ?? {}) as Record<string, unknown>;
  const input: Record<string, string> = {};
  for (const k of ['q', 'site', 'type', 'sort', 'page', 'range']) {
    const v = first(raw[k]);
    if (v !== undefined) input[k] = v;
  }
  const bad = findMalformedText(input);
  const range = RANGES.find((r) => r.key === input.range);
  const q = bad ? '' : (input.q ?? '').trim();
  let error: string | null = bad ? '检索词包含无效的字符，请重新输入' : null;
  let result: SearchResult | null = null;
  let parsed: SearchQuery | null = null;
  if (!bad && q !== '') {
    const from = range ? dayDate(beijingDay(now) - range.days + 1) : undefined;
    const p = SearchQuery.safeParse({ ...input, from, to: undefined, pageSize: 10 });
    if (!p.success) error = p.error.issues.map((i) => i.message).join('；');
    else {
      parsed = p.data;
      const r = await search({ db: store.db, dialect: store.dialect, now }, p.data);
      if (r.ok) result = r.value;
      else error = r.message.replace(/^输入有误。/, '');
    }
  }
  const siteCode = !bad && input.site && /^[a-z][a-z0-9-]{1,30}$/.test(input.site) ? input.site : null;
  const params = (over: Record<string, string | number | undefined>) => {
    const all: Record<string, string | number | undefined> = { q, site: siteCode ?? undefined, type: parsed?.type, sort: parsed?.sort === 'date' ? 'date' : undefined, range: range?.key, ...over };
    const s = new URLSearchParams();
    for (const [k, v] of Object.entries(all)) if (v !== undefined && v !== '' && !(k === 'page' && v === 1)) s.set(k, String(v));
    const str = s.toString();
    return `/search${str ? `?${str}` : ''}`;
  };
  const dp = await dynamicPage(store.db, {
    siteCode,
    traditional,
    kind: 'search',
    title: `${q ? `${q} - ` : ''}搜索结果`,
    path: params({ page: parsed?.page }),
    crumbs: [{ name: '搜索', url: '/search' }],
    publicUrl: config.publicUrl,
  });
  if (!dp) return { status: 404, html: '<!doctype html><html lang="zh-CN"><head><meta charset="utf-8"><title>搜索</title></head><body><main><h1>搜索</h1><p>网站尚未开通。</p></main></body></html>', logged: null };
  const site = dp.site;
  const searchingSite = siteCode !== null && site.code === siteCode;
  const pre = (url: string) => (traditional ? `/zh-hant${url}` : url);
  const total = result?.total ?? 0;
  const pages = Math.min(50, Math.ceil(total / 10));
  const current = parsed?.page ?? 1;
  const hot = (await hotQueries(store.db, now)).slice(0, 10).map((h) => ({ q: h.q, url: pre(params({ q: h.q, page: undefined, type: undefined, range: undefined, sort: undefined })) }));
  const model = {
    ...dp.ctx,
    page: { ...dp.ctx.page, title: `${dp.ctx.page.title}_${site.name}` },
    search: {
      q,
      action: pre('/search'),
      searched: result !== null,
      error,
      total,
      totalIsLowerBound: result?.totalIsLowerBound ?? false,
      words: result?.words ?? [],
      siteCode: searchingSite ? site.code : '',
      siteName: searchingSite ? site.name : '',
      scope: searchingSite ? site.name : '全站群',
      sites: dp.cluster.map((s) => ({ code: s.code, name: s.name, selected: searchingSite && s.code === site.code })),
      types: PAGE_TYPES.map((t) => ({ key: t, name: TYPE_NAMES[t], selected: parsed?.type === t })),
      ranges: RANGES.map((r) => ({ key: r.key, name: r.name, selected: range?.key === r.key })),
      sortDate: parsed?.sort === 'date',
      sortUrls: { relevance: pre(params({ sort: undefined, page: undefined })), date: pre(params({ sort: 'date', page: undefined })) },
      didYouMean: result?.didYouMean ? { q: result.didYouMean, url: pre(params({ q: result.didYouMean, page: undefined })) } : null,
      hot,
      items: (result?.items ?? []).map((it) => ({ ...it, url: dp.link(siteIdOf(dp, it.site), it.url), typeName: TYPE_NAMES[it.type] })),
    },
    pagination:
      pages > 1
        ? {
            current,
            total: pages,
            prev: current > 1 ? pre(params({ page: current - 1 })) : null,
            next: current < pages ? pre(params({ page: current + 1 })) : null,
            pages: Array.from({ length: pages }, (_, i) => ({ number: i + 1, url: pre(params({ page: i + 1 })), current: i + 1 === current })),
          }
        : undefined,
  };
  let html = await themeEngineFor(app).render(site.id, site.theme, 'search', model);
  if (dp.convert) html = toTraditional(html);
  return { status: error && !result ? 400 : 200, html, logged: result && parsed ? { q: parsed.q, siteId: searchingSite ? site.id : null, results: result.total } : null };
}

function siteIdOf(dp: { cluster: { id: number; code: string }[] }, code: string): number {
  return dp.cluster.find((s) => s.code === code)?.id ?? 0;
}
