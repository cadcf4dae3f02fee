/**
 * What the public sees of the knowledge base: the live version (its snapshot) of every entry of
 * an open site, not past its expiry even before the expiry job has run. The FAQ pages, the Q&A
 * matcher and the search index all read it through here, so they agree on what is public.
 */
import type { DB } from '../../../../db/index.js';
import { bodyText } from '../../../content/index.js';
import { PORTAL_CODE } from '../../../sites/index.js';
import { faqEntryUrl } from '../../urls.js';
import type { FaqFields } from '../schema.js';

export interface PublicFaq {
  id: number;
  siteId: number;
  siteCode: string;
  siteName: string;
  isPortal: boolean;
  organisationId: number | null;
  organisationName: string | null;
  topic: string;
  question: string;
  variants: string[];
  /** Sanitised HTML. */
  answer: string;
  /** Its reading text. */
  answerText: string;
  refTitle: string;
  refUrl: string;
  effectiveAt: string | null;
  expiresAt: string | null;
  publishedAt: string;
  url: string;
}

export type PublicScope = { ids: readonly number[] } | { siteId: number } | 'all';

const str = (v: unknown): string => (typeof v === 'string' ? v : '');
const strs = (v: unknown): string[] => (Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : []);

export async function publicFaqs(db: DB, now: Date, scope: PublicScope): Promise<PublicFaq[]> {
  if (scope !== 'all' && 'ids' in scope && scope.ids.length === 0) return [];
  let q = db
    .selectFrom('faq_entries as e')
    .innerJoin('faq_versions as v', (j) => j.onRef('v.entry_id', '=', 'e.id').onRef('v.version', '=', 'e.live_version'))
    .innerJoin('sites as s', 's.id', 'e.site_id')
    .select(['e.id', 'e.site_id', 'e.published_at', 'v.data', 's.code as site_code', 's.name as site_name'])
    .where('e.live_version', 'is not', null)
    .where('e.published_at', 'is not', null)
    .where('s.status', '=', 'open');
  if (scope !== 'all') q = 'ids' in scope ? q.where('e.id', 'in', [...scope.ids]) : q.where('e.site_id', '=', scope.siteId);
  const rows = await q.orderBy('e.id').execute();
  const nowIso = now.toISOString();
  const out: PublicFaq[] = [];
  const orgIds = new Set<number>();
  for (const r of rows) {
    let f: Partial<FaqFields>;
    try {
      f = JSON.parse(r.data) as Partial<FaqFields>;
    } catch {
      continue;
    }
    const expiresAt = typeof f.expiresAt === 'string' ? f.expiresAt : null;
    if (expiresAt && expiresAt <= nowIso) continue;
    const organisationId = typeof f.organisationId === 'number' ? f.organisationId : null;
    if (organisationId !== null) orgIds.add(organisationId);
    const answer = str(f.answer);
    out.push({
      id: r.id,
      siteId: r.site_id,
      siteCode: r.site_code,
      siteName: r.site_name,
      isPortal: r.site_code === PORTAL_CODE,
      organisationId,
      organisationName: null,
      topic: str(f.topic),
      question: str(f.question),
      variants: strs(f.variants),
      answer,
      answerText: bodyText(answer),
      refTitle: str(f.refTitle),
      refUrl: str(f.refUrl),
      effectiveAt: typeof f.effectiveAt === 'string' ? f.effectiveAt : null,
      expiresAt,
      publishedAt: r.published_at!,
      url: faqEntryUrl(r.site_code, r.id),
    });
  }
  if (orgIds.size > 0) {
    const orgs = await db.selectFrom('organisations').select(['id', 'name']).where('id', 'in', [...orgIds]).execute();
    const names = new Map(orgs.map((o) => [o.id, o.name]));
    for (const e of out) if (e.organisationId !== null) e.organisationName = names.get(e.organisationId) ?? null;
  }
  return out;
}
