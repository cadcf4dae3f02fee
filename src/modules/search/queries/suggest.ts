/** Suggestions as a visitor types: hot queries that contain the text, then titles with a word starting with it. */
import type { DB, Dialect } from '../../../db/index.js';
import { type Result, ok } from '../../../lib/errors.js';
import { dictionaryOf } from '../dictionary.js';
import { beijingDay } from '../documents.js';
import { engineFor } from '../engine/index.js';
import { planQuery } from '../query.js';
import { normalise, toSimplified } from '../segment.js';
import type { SuggestQuery } from '../schema.js';
import { hotQueries } from './hot.js';
import { resolveSite } from './search.js';

export const SUGGESTIONS = 8;

export interface Suggestion {
  text: string;
  kind: 'hot' | 'title';
  url: string | null;
}

export async function suggest(env: { db: DB; dialect: Dialect; now: Date }, query: SuggestQuery): Promise<Result<{ items: Suggestion[] }>> {
  const site = await resolveSite(env.db, query.site);
  if (!site.ok) return site;
  const q = normalise(toSimplified(query.q));
  if (!q) return ok({ items: [] });
  const out: Suggestion[] = [];
  const seen = new Set<string>();
  for (const h of await hotQueries(env.db, env.now)) {
    if (out.length >= 3) break;
    if (h.q.toLowerCase().includes(q) && h.q !== query.q && !seen.has(h.q)) {
      seen.add(h.q);
      out.push({ text: h.q, kind: 'hot', url: null });
    }
  }
  const dict = await dictionaryOf(env.db);
  const plan = planQuery(query.q, dict.segmenter, dict.synonyms);
  const r = await engineFor(env.dialect).search(env.db, { plan, siteId: site.value?.id, sort: 'relevance', titleOnly: true, prefixLast: true, noTotal: true, offset: 0, limit: SUGGESTIONS * 2, today: beijingDay(env.now) });
  if (r.ids.length > 0) {
    const rows = await env.db.selectFrom('search_documents').select(['id', 'title', 'url']).where('id', 'in', r.ids).execute();
    const byId = new Map(rows.map((x) => [Number(x.id), x]));
    for (const id of r.ids) {
      const d = byId.get(id);
      if (!d || seen.has(d.title) || out.length >= SUGGESTIONS) continue;
      seen.add(d.title);
      out.push({ text: d.title, kind: 'title', url: d.url });
    }
  }
  return ok({ items: out });
}
