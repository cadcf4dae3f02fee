/** API objects of the FAQ knowledge base (camelCase), built from rows by one function. */
import type { DB } from '../../../db/index.js';
import { faqEntryUrl } from '../urls.js';
import { FAQ_STATUS_NAMES, isLive } from './lifecycle.js';
import { type FaqRow, faqStateOf } from './store.js';
import type { FaqStatus } from '../tables.js';
import { parseStringArray } from '../../../lib/json.js';

export interface FaqSummaryDto {
  id: number;
  siteId: number;
  siteName: string | null;
  organisationId: number | null;
  organisationName: string | null;
  topic: string;
  question: string;
  variants: string[];
  refTitle: string;
  refUrl: string;
  effectiveAt: string | null;
  expiresAt: string | null;
  status: FaqStatus;
  statusName: string;
  reviewLevel: number;
  version: number;
  approvedVersion: number | null;
  liveVersion: number | null;
  isLive: boolean;
  publishedAt: string | null;
  /** Public address while live, else null. */
  url: string | null;
  sourceQuestionId: number | null;
  createdBy: number;
  updatedBy: number;
  createdAt: string;
  updatedAt: string;
}

export interface FaqReviewDto {
  id: number;
  version: number;
  level: number;
  decision: 'approve' | 'return';
  comment: string;
  reviewerId: number;
  reviewerName: string | null;
  createdAt: string;
}

export interface FaqDto extends FaqSummaryDto {
  answer: string;
  /** Review levels of the entry's site now. */
  reviewLevels: number;
  reviews: FaqReviewDto[];
}

export interface Names {
  sites: Map<number, { code: string; name: string }>;
  orgs: Map<number, string>;
}

export async function namesFor(db: DB, rows: Pick<FaqRow, 'site_id' | 'organisation_id'>[]): Promise<Names> {
  const siteIds = [...new Set(rows.map((r) => r.site_id))];
  const orgIds = [...new Set(rows.map((r) => r.organisation_id).filter((x): x is number => x !== null))];
  const [sites, orgs] = await Promise.all([
    siteIds.length ? db.selectFrom('sites').select(['id', 'code', 'name']).where('id', 'in', siteIds).execute() : [],
    orgIds.length ? db.selectFrom('organisations').select(['id', 'name']).where('id', 'in', orgIds).execute() : [],
  ]);
  return { sites: new Map(sites.map((s) => [s.id, { code: s.code, name: s.name }])), orgs: new Map(orgs.map((o) => [o.id, o.name])) };
}

export function faqSummaryDto(r: FaqRow, names: Names): FaqSummaryDto {
  const site = names.sites.get(r.site_id);
  const live = isLive(faqStateOf(r));
  return {
    id: r.id,
    siteId: r.site_id,
    siteName: site?.name ?? null,
    organisationId: r.organisation_id,
    organisationName: r.organisation_id === null ? null : (names.orgs.get(r.organisation_id) ?? null),
    topic: r.topic,
    question: r.question,
    variants: parseStringArray(r.variants),
    refTitle: r.ref_title,
    refUrl: r.ref_url,
    effectiveAt: r.effective_at,
    expiresAt: r.expires_at,
    status: r.status,
    statusName: FAQ_STATUS_NAMES[r.status],
    reviewLevel: r.review_level,
    version: r.version,
    approvedVersion: r.approved_version,
    liveVersion: r.live_version,
    isLive: live,
    publishedAt: r.published_at,
    url: live && site ? faqEntryUrl(site.code, r.id) : null,
    sourceQuestionId: r.source_question_id,
    createdBy: r.created_by,
    updatedBy: r.updated_by,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
  };
}
