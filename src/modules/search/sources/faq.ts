/**
 * The public FAQ entries (常见问题, interaction module) as search items of type 'faq': the
 * standard question as the title, the answer's text as the body, the variant phrasings and the
 * topic as extra words. What is public is the interaction module's rule (`publicFaqs`: the live
 * version, open site, not expired).
 */
import type { DB } from '../../../db/index.js';
import { publicFaqs } from '../../interaction/faq/queries/publicFaqs.js';
import type { SourceItem } from '../documents.js';

export type FaqScope = { ids: readonly number[] } | { siteId: number } | 'all';

export async function publicFaqItems(db: DB, now: Date, scope: FaqScope): Promise<SourceItem[]> {
  const entries = await publicFaqs(db, now, scope);
  return entries.map((e) => ({
    type: 'faq',
    sourceId: e.id,
    siteId: e.siteId,
    isPortal: e.isPortal,
    organisationId: e.organisationId,
    columnId: null,
    date: e.publishedAt,
    title: e.question,
    body: e.answerText,
    extra: [...e.variants, e.topic, e.organisationName ?? ''].filter(Boolean).join('\n'),
    url: e.url,
    placementSiteIds: [],
  }));
}
